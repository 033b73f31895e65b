"""A class downloads its debriefs at once, while a game on the same server is still live.

    .venv/bin/python -m bench.downloads [--tables N] [--students N]

On the full stack (one uvicorn process, as compose runs it, and one worker): finished
10-turn games (imported logs), one per table; every student of every table asks for their
table's debrief PDF at the same moment, nothing cached yet. Meanwhile a probe calls the
API (`GET /api/games/{id}`, staff session) every 20 ms, as a live table's page does; it
is timed before the downloads too, as its baseline. Prints how long one PDF takes alone,
when the last student had theirs, and the probe's median and max before and during.
Targets (issue 9): no live API call fails or waits more than 1 s during the downloads.
Needs PostgreSQL and Redis (LT_BENCH_DATABASE_URL, LT_BENCH_REDIS_URL), else SKIP.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

from bench import Figure, distribution, median, ms, print_header, print_summary, verdict
from bench.fullstack import REDIS_URL, setup_django, skipped_without_services

PROBE_EVERY_SECONDS = 0.02
BASELINE_SECONDS = 3.0
TARGET_MAX_MS = 1_000


def staff_cookies() -> dict[str, str]:
    """A signed-in staff session's cookie (bench.classroom's, as a dict for httpx)."""
    from django.contrib.auth import get_user_model

    from bench.classroom import session_cookie

    user, _ = get_user_model().objects.get_or_create(
        username="bench-downloads", defaults={"is_staff": True}
    )
    name, value = session_cookie(user).split("=", 1)
    return {name: value}


def finished_games(count: int) -> list[int]:
    from bench.engine import make_log
    from wargame.engine.loader import load_scenario
    from wargame.services.logs import game_import

    scenario, first = load_scenario(), time.time_ns() % 10**6
    return [
        game_import(document=make_log(scenario, seed=first + i), title=f"bench.downloads {i}")[0].pk
        for i in range(count)
    ]


def probe(url: str, cookies: dict[str, str], path: str, out: list[int], failed: list[int], stop):
    """Call `path` every 20 ms until `stop`: each call's ns in `out`, a failed one's status
    (503 when no database connection came within the pool's 30 s) in `failed` too."""
    import httpx

    with httpx.Client(base_url=url, cookies=cookies, timeout=120) as client:
        while not stop.is_set():
            t0 = time.perf_counter_ns()
            status = client.get(path).status_code
            out.append(time.perf_counter_ns() - t0)
            if status != 200:
                failed.append(status)
            time.sleep(PROBE_EVERY_SECONDS)


def run(*, tables: int, students: int) -> list[Figure]:
    print_header(f"downloads: {tables} table(s) x {students} students ask for the debrief PDF")
    skipped = skipped_without_services("downloads")
    if skipped:
        return skipped
    run_id = f"lt-bench-downloads-{os.getpid()}"
    setup_django(run_id)
    import httpx
    from django.conf import settings

    from tests.support.stack import Stack

    cookies = staff_cookies()
    *games, live = finished_games(tables + 1)
    stack = Stack(
        database=settings.DATABASES["default"], redis_url=REDIS_URL, prefix=run_id, queue=run_id
    )
    try:
        stack.start_web()
        stack.start_worker()
        started = time.perf_counter()
        httpx.get(f"{stack.url}/games/{live}/debrief.pdf", cookies=cookies, timeout=120)
        alone = time.perf_counter() - started
        before, during, failed, stop = [], [], [], threading.Event()
        path = f"/api/games/{live}"
        baseline = threading.Thread(
            target=probe, args=(stack.url, cookies, path, before, failed, stop)
        )
        baseline.start()
        time.sleep(BASELINE_SECONDS)
        stop.set()
        baseline.join()
        stop = threading.Event()
        prober = threading.Thread(
            target=probe, args=(stack.url, cookies, path, during, failed, stop)
        )
        prober.start()
        served: list[tuple[float, int]] = []

        def download(game: int) -> None:
            response = httpx.get(
                f"{stack.url}/games/{game}/debrief.pdf", cookies=cookies, timeout=600
            )
            served.append((time.perf_counter() - started, response.status_code))

        students_threads = [
            threading.Thread(target=download, args=(game,))
            for game in games
            for _ in range(students)
        ]
        started = time.perf_counter()
        for thread in students_threads:
            thread.start()
        for thread in students_threads:
            thread.join()
        stop.set()
        prober.join()
    finally:
        stack.stop()
    last = max(at for at, _ in served)
    statuses = sorted({status for _, status in served})
    print(f"one debrief PDF alone: {alone:.2f} s")
    print(f"{len(served)} downloads at once: the last had its PDF after {last:.2f} s; {statuses}")
    print(f"live API call before: {distribution(before)}")
    print(f"live API call during: {distribution(during)}; failed: {len(failed)} {failed}")
    return [
        Figure("downloads: one debrief PDF alone", f"{alone:.2f} s"),
        Figure(f"downloads: {len(served)} at once, the last served", f"{last:.2f} s"),
        Figure("downloads: answers", ", ".join(str(s) for s in statuses)),
        Figure("downloads: live API call before, median", ms(median(before))),
        Figure("downloads: live API call during, median", ms(median(during))),
        Figure(
            "downloads: live API calls that failed", str(len(failed)), "0", verdict(len(failed), 0)
        ),
        Figure(
            "downloads: live API call during, max",
            ms(max(during)),
            f"<= {TARGET_MAX_MS:,} ms",
            verdict(max(during) / 1e6, TARGET_MAX_MS),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1, help="finished games (default 1)")
    parser.add_argument("--students", type=int, default=8, help="per table (default 8)")
    args = parser.parse_args()
    print_summary(run(tables=args.tables, students=args.students))


if __name__ == "__main__":
    main()
