"""load_scenario [SLUG] [--scenario-version N]"""

from django.core.management.base import BaseCommand

from wargame.engine import ScenarioError
from wargame.engine.loader import DEFAULT_SLUG, UnknownScenario
from wargame.errors import GameError
from wargame.services.scenarios import scenario_install

from ._common import fail


class Command(BaseCommand):
    help = "Validate a scenario file and install its roles, actions and rules as rows."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default=DEFAULT_SLUG)
        parser.add_argument(
            "--scenario-version", type=int, help="a released version (default: the latest)"
        )

    def handle(self, *args, **opts):
        try:
            row = scenario_install(slug=opts["slug"], version=opts["scenario_version"])
        except (ScenarioError, UnknownScenario) as exc:
            fail(str(exc))
        except GameError as exc:
            fail(exc.message)
        self.stdout.write(
            f"Scenario {row.slug} v{row.version}: {row.roles.count()} roles, "
            f"{row.actions.count()} actions, {row.rules.count()} rules "
            f"(sha256 {row.content_hash})."
        )
