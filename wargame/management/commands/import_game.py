"""import_game FILE"""

from django.conf import settings
from django.core.management.base import BaseCommand

from wargame.errors import GameError
from wargame.services.logs import log_import

from ._common import fail, print_json, read_file


class Command(BaseCommand):
    help = (
        "Load a log as a new, read-only game (fork it to play on from any turn). A log over "
        "LT_MAX_LOG_BYTES, malformed, or whose outcomes do not re-adjudicate is refused with "
        "the JSON path of the first problem (exit 2); nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a log file, or - for stdin")
        parser.add_argument("--title", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        limit = settings.LT_MAX_LOG_BYTES
        raw = read_file(opts["file"], limit)
        try:
            game, codes = log_import(raw=raw, title=opts["title"], max_bytes=limit)
        except GameError as exc:
            fail(f"{opts['file']}: {exc.message}")
        if opts["json"]:
            print_json(self, {"game": game.pk, "codes": codes})
        else:
            self.stdout.write(f"Imported as game {game.pk} ({game.current_turn} turns, read-only).")
