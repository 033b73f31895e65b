"""Instructions per bot-game turn, counted by valgrind: the engine's cost without the load.

On a shared machine every timed figure moves with the other work (bench/README.md); the
number of instructions a turn executes does not. This runs `bench.engine.play_games`
under `valgrind --tool=cachegrind --cache-sim=no` twice, with 0 and with N games after
the same start-up, and prints the difference per turn (N x 10 turns). Same code, same
count to a fraction of a percent; compare two versions by running it in each checkout.

    .venv/bin/python -m bench.instructions [--games 60]

Needs valgrind (Debian: apt-get install valgrind); about 30 s for 60 games.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.engine import GAME_TURNS

ROOT = Path(__file__).resolve().parent.parent
PLAY = (
    "import sys; from bench.engine import play_games; "
    "from wargame.engine.loader import load_scenario; "
    "s = load_scenario(); play_games(s, 5); play_games(s, int(sys.argv[1]))"
)


def instructions(games: int) -> int:
    """Instructions the whole process executed (start-up, 5 warm-up games, then `games`)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, "-c", PLAY, str(games)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=60, help="games counted (default 60)")
    games = parser.parse_args().games
    if shutil.which("valgrind") is None:
        print("SKIP: valgrind is not installed")
        return
    per_turn = (instructions(games) - instructions(0)) / (games * GAME_TURNS)
    print(
        f"bot-game turn (choosing the moves + adjudicating), {games} games: "
        f"{per_turn / 1e6:.3f} M instructions per turn"
    )


if __name__ == "__main__":
    main()
