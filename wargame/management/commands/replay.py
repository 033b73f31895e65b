"""replay FILE [--verify] [--json] [--seed N]"""

from django.conf import settings
from django.core.management.base import BaseCommand

from wargame.gamelog import LogError, parse_log, replay

from ._common import fail, print_json, read_file, seed_arg

EXIT_MISMATCH = 1


class Command(BaseCommand):
    help = (
        "Re-adjudicate a log (or a script of moves) and print per-turn state, outcomes and "
        "hashes. --verify exits 1 naming the first turn that differs from the record."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a log or script file, or - for stdin")
        parser.add_argument("--verify", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--seed", type=seed_arg, help="replay with another seed")

    def handle(self, *args, **opts):
        try:
            limit = settings.LT_MAX_LOG_BYTES
            document = parse_log(read_file(opts["file"], limit), max_bytes=limit)
            report = replay(document, seed=opts["seed"])
        except LogError as exc:
            fail(f"{opts['file']}: {exc}")
        if not opts["verify"]:
            report["verified"] = None if report["verified"] is None else report["verified"]
        if opts["json"]:
            print_json(self, report)
        else:
            self._print_text(report)
        if opts["verify"]:
            if report["verified"] is None:
                fail(f"{opts['file']}: nothing to verify (a script with no recorded outcomes)")
            if not report["verified"]:
                first = report["first_mismatch"]
                self.stderr.write(
                    f"verify: turn {first['turn']} differs from the record ({first['field']})"
                )
                raise SystemExit(EXIT_MISMATCH)
            self.stderr.write(f"verify: all {len(report['turns'])} turns match")

    def _print_text(self, report) -> None:
        self.stderr.write(
            f"{report['scenario']} v{report['scenario_version']} "
            f"(sha256 {report['scenario_hash'][:12]}), engine ruleset {report['ruleset']}"
        )
        for turn in report["turns"]:
            state = turn["state"]
            mark = {True: "ok", False: "DIFFERS", None: ""}[turn.get("matches")]
            self.stdout.write(
                f"turn {turn['number']:>2}  {turn['state_hash'][:12]}{_headline(state)}  {mark}"
            )
            for outcome in turn["outcomes"]:
                self.stdout.write(
                    f"    {outcome['role']:10} {outcome['action']:34} {outcome['result']}"
                )


def _headline(state) -> str:
    """The state's first number and a relation (beijing-pyongyang when the scenario has
    it, else its first), so the line works for any scenario's variables."""
    scalar = next((k for k, v in state.items() if k != "turn" and isinstance(v, int)), None)
    relations = state.get("relations", {})
    relation = (
        "beijing-pyongyang" if "beijing-pyongyang" in relations else next(iter(relations), None)
    )
    out = f"  {scalar} {state[scalar]:>3}" if scalar else ""
    if relation:
        out += f"  {relation} {state['relations'][relation]:>4}"
    return out
