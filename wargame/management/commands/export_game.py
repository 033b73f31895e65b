"""export_game ID [-o FILE] | export_game ID --tables DIR [--anonymise]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from players.selectors import participant_names
from wargame.engine.loader import pinned_scenario
from wargame.models import Game
from wargame.review import exports
from wargame.selectors import game_log

from ._common import fail


class Command(BaseCommand):
    help = (
        "Write a game's log (format lips-and-teeth/log v1) to stdout or a file; with "
        "--tables DIR, write every analyst table (moves, messages, states, scores, "
        "fired_rules) as CSV into DIR instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("game", type=int)
        parser.add_argument("-o", "--output")
        parser.add_argument(
            "--tables",
            metavar="DIR",
            help="write game-ID-<table>.csv for every table into DIR (created if missing)",
        )
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="replace participants' names by role labels ('Seoul player')",
        )

    def handle(self, *args, **opts):
        game = Game.objects.with_scenario().filter(pk=opts["game"]).first()
        if game is None:
            fail(f"no game {opts['game']}")
        if opts["tables"] and opts["output"]:
            fail("give either -o FILE (the log) or --tables DIR (CSV tables), not both")
        document = game_log(game)
        if opts["anonymise"]:
            document = exports.anonymise(document, names=participant_names(game))
        if opts["tables"]:
            self._write_tables(game, document, Path(opts["tables"]), opts["anonymise"])
            return
        text = json.dumps(document, indent=1, ensure_ascii=False)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"wrote {opts['output']}")
        else:
            self.stdout.write(text)

    def _write_tables(self, game, document, folder: Path, anonymised: bool) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"cannot create {folder}: {exc.strerror}")
        scenario = pinned_scenario(game.scenario)
        suffix = "-anonymised" if anonymised else ""
        for name, data in exports.all_tables(document, scenario=scenario).items():
            path = folder / f"game-{game.pk}-{name}{suffix}.csv"
            try:
                path.write_bytes(exports.to_csv(data))
            except OSError as exc:
                fail(f"cannot write {path}: {exc.strerror}")
            self.stdout.write(f"wrote {path} ({len(data.rows)} rows)")
