"""`python -m bench`: the engine, the full stack, the fan-out and the pages, then a summary.

The full-stack part is three benchmarks: one game's turns, 30 games resolving at once,
and the pages of a game with 1,000 messages.

A missed target prints FAIL and still exits 0 (these are figures, not tests); an error
in a benchmark exits 1. The full-stack ones are skipped, with the reason, when PostgreSQL
or Redis does not answer.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback

from bench import Figure, print_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations and turns")
    parser.add_argument("--engine-only", action="store_true", help="skip the full stack")
    parser.add_argument("--turns", type=int, help="full stack: measured turns (default 60)")
    parser.add_argument(
        "--fanout-workers", type=int, help="fan-out: celery worker processes (default 2)"
    )
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"lips-and-teeth benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"load average {load}" + (", --quick" if args.quick else "")
    )
    figures: list[Figure] = []
    errors: list[str] = []

    def attempt(name: str, run) -> None:
        try:
            figures.extend(run())
        except Exception:  # report, carry on with the next benchmark, exit non-zero
            traceback.print_exc()
            errors.append(name)
            figures.append(Figure(name, "error", "", "ERROR"))

    from bench import engine

    attempt("engine", lambda: engine.run(quick=args.quick))
    if args.engine_only:
        for name in (
            "full stack",
            "real-time fan-out",
            "pages",
            "imports",
            "review pages",
            "classroom",
            "downloads",
            "load",
        ):
            figures.append(Figure(name, "skipped (--engine-only)", "", "SKIP"))
    else:
        from bench import fullstack, pages, realtime_fanout

        attempt("full stack", lambda: fullstack.run(quick=args.quick, turns=args.turns))
        attempt(
            "real-time fan-out",
            lambda: realtime_fanout.run(quick=args.quick, workers=args.fanout_workers),
        )
        attempt("pages", lambda: pages.run(quick=args.quick))
        from bench import imports

        attempt("imports", lambda: imports.run(quick=args.quick))
        from bench import review

        attempt("review pages", lambda: review.run(quick=args.quick))
        from bench import classroom

        attempt("classroom", lambda: classroom.run(quick=args.quick))
        from bench import downloads

        attempt("downloads", lambda: downloads.run(tables=1, students=8))
        from bench import load

        attempt("load", lambda: load.run(quick=args.quick))

    print_summary(figures)
    verdicts = [f.result for f in figures if f.result]
    print(
        f"\n{verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL, "
        f"{verdicts.count('SKIP')} SKIP, {len(errors)} ERROR"
    )
    if errors:
        print(f"error in: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
