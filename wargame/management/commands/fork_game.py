"""fork_game ID --turn N --json"""

from django.core.management.base import BaseCommand

from wargame.services.logs import game_fork

from ._common import print_json, run_service, seed_arg


class Command(BaseCommand):
    help = "Start a new live game from the state after turn N of another game."

    def add_arguments(self, parser):
        parser.add_argument("game", type=int)
        parser.add_argument("--turn", type=int, required=True)
        parser.add_argument(
            "--seed",
            type=seed_arg,
            help="default: a fresh secret seed (give the parent's to keep its dice)",
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--bots", default="", help="comma-separated roles played by bots")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        game, codes = run_service(
            lambda: game_fork(
                game_id=opts["game"],
                turn=opts["turn"],
                seed=opts["seed"],
                title=opts["title"],
                bots=[b.strip() for b in opts["bots"].split(",") if b.strip()],
            )
        )
        if opts["json"]:
            print_json(self, {"game": game.pk, "codes": codes})
        else:
            self.stdout.write(
                f"Game {game.pk} forked from game {opts['game']} at turn {opts['turn']}."
            )
            for role, code in codes.items():
                self.stdout.write(f"  {role:12} {code}")
