"""export_game ID [-o FILE]"""

import json

from django.core.management.base import BaseCommand

from wargame.models import Game
from wargame.selectors import game_log

from ._common import fail


class Command(BaseCommand):
    help = "Write a game's log (format lips-and-teeth/log v1) to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("game", type=int)
        parser.add_argument("-o", "--output")

    def handle(self, *args, **opts):
        game = Game.objects.select_related("scenario").filter(pk=opts["game"]).first()
        if game is None:
            fail(f"no game {opts['game']}")
        text = json.dumps(game_log(game), indent=1, ensure_ascii=False)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"wrote {opts['output']}")
        else:
            self.stdout.write(text)
