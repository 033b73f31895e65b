"""import_game FILE"""

from django.conf import settings
from django.core.management.base import BaseCommand

from wargame.gamelog import LogError, parse_log
from wargame.services.logs import game_import

from ._common import fail, print_json, read_file, run_service


class Command(BaseCommand):
    help = "Load a log as a new, read-only game (fork it to play on from any turn)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a log file, or - for stdin")
        parser.add_argument("--title", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        raw = read_file(opts["file"])
        try:
            document = parse_log(raw, max_bytes=settings.LT_MAX_LOG_BYTES)
        except LogError as exc:
            fail(f"{opts['file']}: {exc}")
        game, codes = run_service(lambda: game_import(document=document, title=opts["title"]))
        if opts["json"]:
            print_json(self, {"game": game.pk, "codes": codes})
        else:
            self.stdout.write(f"Imported as game {game.pk} ({game.current_turn} turns, read-only).")
