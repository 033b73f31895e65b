"""create_game --scenario SLUG [--scenario-version N] [--turns N] [--seed N] [--deadline S]
[--bots a,b] --json"""

from django.core.management.base import BaseCommand

from wargame.services.games import game_create

from ._common import print_json, run_service, seed_arg


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
        parser.add_argument("--bots", default="", help="comma-separated roles played by bots")
        parser.add_argument("--title", default="")
        parser.add_argument("--start", action="store_true", help="start the game at once")
        parser.add_argument(
            "--review", action="store_true", help="umpire review: accept each outcome first"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        bots = [b.strip() for b in opts["bots"].split(",") if b.strip()]
        game, codes = run_service(
            lambda: game_create(
                scenario_slug=opts["scenario"],
                scenario_version=opts["scenario_version"],
                turns=opts["turns"],
                seed=opts["seed"],
                deadline_seconds=opts["deadline"],
                bots=bots,
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
