"""Review pages benchmark: the replay viewer and the debrief of a 10-turn game with 1,000
messages, server time in-process.

The same game as bench/pages.py (10 turns resolved, 1,000 messages, turn 11 open), opened
by its facilitator, who may review a running game. Timed with Django's test client, 200
samples each after 5 warm-up requests (50 with --quick), interleaved round-robin with the
baseline, the facilitator's console (the live page of the same game, same session): the
replay viewer (everything), the viewer as Seoul saw it next to the truth, and the
debrief. Each page is counted once more for its SQL queries. The replay viewer
re-adjudicates all 10 turns on every request (that is how it shows "verified"), so the
engine-only replay of the same log is printed as a second baseline.

    .venv/bin/python -m bench.review [--quick]
"""

from __future__ import annotations

import time

from bench import Figure, distribution, median, ms, percentile, print_header, verdict
from bench.pages import WARMUP, Target, build_game, ensure_django, time_pages

TARGET_MS = 100.0


def run(*, quick: bool = False) -> list[Figure]:
    print_header("review pages: replay viewer and debrief, 10 turns, 1,000 messages")
    from bench.fullstack import skipped_without_services

    skipped = skipped_without_services("review pages")
    if skipped:
        return skipped
    ensure_django()
    samples = 50 if quick else 200
    built = build_game()
    gid = built.game_id
    print(f"game {gid}: built in {built.seconds:.1f} s")
    targets = [
        Target("replay viewer (everything)", "console", f"/games/{gid}/replay/"),
        Target("replay viewer as Seoul + truth", "console", f"/games/{gid}/replay/?as=seoul"),
        Target("debrief", "console", f"/games/{gid}/debrief/"),
        Target("baseline: facilitator console", "console", f"/games/{gid}/"),
    ]
    time_pages(targets, built.clients, samples)
    engine = engine_replay(gid, samples)
    viewer, as_seoul, debrief, console = targets
    print(f"GET, Django test client, {samples} samples each after {WARMUP} warm-up, interleaved:")
    for t in targets:
        print(f"  {t.name:<34} {distribution(t.samples)}")
        print(f"  {'':<34} {t.queries} SQL queries, {t.size / 1024:.0f} KiB")
    print(f"  {'engine replay of the same log':<34} {distribution(engine)}")
    base = median(console.samples)
    print("ratios to the facilitator console (medians):")
    for t in targets[:3]:
        print(f"  {t.name:<34} {median(t.samples) / base:.1f}x")
    return [
        Figure(
            "review: replay viewer, median",
            ms(median(viewer.samples)),
            f"<= {TARGET_MS:g} ms",
            verdict(median(viewer.samples) / 1e6, TARGET_MS),
        ),
        Figure(
            "review: viewer as Seoul + truth, median",
            ms(median(as_seoul.samples)),
            f"<= {TARGET_MS:g} ms",
            verdict(median(as_seoul.samples) / 1e6, TARGET_MS),
        ),
        Figure(
            "review: debrief, median",
            ms(median(debrief.samples)),
            f"<= {TARGET_MS:g} ms",
            verdict(median(debrief.samples) / 1e6, TARGET_MS),
        ),
        Figure("review: viewer p99", ms(percentile(viewer.samples, 99))),
        Figure("review: SQL queries viewer / debrief", f"{viewer.queries} / {debrief.queries}"),
        Figure("baseline: facilitator console, median", ms(base)),
        Figure("baseline: engine replay of the log, median", ms(median(engine))),
        Figure("ratio: viewer / console", f"{median(viewer.samples) / base:.1f}x"),
        Figure("ratio: debrief / console", f"{median(debrief.samples) / base:.1f}x"),
    ]


def engine_replay(game_id: int, samples: int) -> list[int]:
    """gamelog.replay of the game's log alone, as the viewer runs it (no schema pass)."""
    from wargame import selectors
    from wargame.gamelog import replay
    from wargame.models import Game

    doc = selectors.game_log(Game.objects.select_related("scenario").get(pk=game_id))
    out = []
    for i in range(WARMUP + samples):
        t0 = time.perf_counter_ns()
        report = replay(doc, schema=False)  # as the viewer does: our own rows
        elapsed = time.perf_counter_ns() - t0
        if report["verified"] is not True:
            raise RuntimeError(f"the bench game's log does not verify: {report['first_mismatch']}")
        if i >= WARMUP:
            out.append(elapsed)
    return out


def main() -> None:
    from bench import quick_cli

    quick_cli(__doc__, run)


if __name__ == "__main__":
    main()
