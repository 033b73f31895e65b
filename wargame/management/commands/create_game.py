"""create_game --scenario SLUG [--scenario-version N] [--turns N] [--seed N] [--deadline S]
[--bots seoul=doctrine,moscow] [--script FILE] --json"""

import json

from django.core.management.base import BaseCommand

from wargame.bots import UnknownPolicy, parse_bot_specs

from ._common import fail, print_json, run_service, seed_arg


class Command(BaseCommand):
    help = "Create a game and print its id and the join code of every seat."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", default="lips-and-teeth-2025")
        parser.add_argument(
            "--scenario-version", type=int, help="a released version (default: the latest)"
        )
        parser.add_argument("--turns", type=int)
        parser.add_argument(
            "--seed", type=seed_arg, help="32 hex digits (ruleset 2), or a number (ruleset 1)"
        )
        parser.add_argument("--deadline", type=int, help="seconds per turn")
        parser.add_argument(
            "--bots",
            default="",
            help="roles played by bots, each ROLE or ROLE=POLICY (random, doctrine, scripted); "
            "a role alone plays random: seoul=doctrine,moscow",
        )
        parser.add_argument("--script", help="a log or script file that scripted bots play")
        parser.add_argument("--title", default="")
        parser.add_argument("--start", action="store_true", help="start the game at once")
        parser.add_argument(
            "--review", action="store_true", help="umpire review: accept each outcome first"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        from wargame.services.games import game_create

        bots = self._bots(opts)
        script = self._script(opts["script"])
        game, codes = run_service(
            lambda: game_create(
                scenario_slug=opts["scenario"],
                scenario_version=opts["scenario_version"],
                turns=opts["turns"],
                seed=opts["seed"],
                deadline_seconds=opts["deadline"],
                bots=bots,
                bot_script=script,
                title=opts["title"],
                umpire_review=opts["review"],
            )
        )
        if opts["start"]:
            from wargame.services.games import game_start

            run_service(lambda: game_start(game_id=game.pk))
        if opts["json"]:
            print_json(self, {"game": game.pk, "codes": codes})
            return
        self.stdout.write(
            f"Game {game.pk} created ({game.max_turns} turns, {game.scenario.slug} "
            f"v{game.scenario.version})."
        )
        for role, code in codes.items():
            self.stdout.write(f"  {role:12} {code}")

    def _bots(self, opts) -> dict[str, str]:
        """{role: policy} from --bots (the service checks the roles and policies)."""
        try:
            return parse_bot_specs(opts["bots"])
        except UnknownPolicy as exc:
            fail(str(exc))

    def _script(self, path: str | None):
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError) as exc:
            fail(f"cannot read the script {path}: {exc}")
