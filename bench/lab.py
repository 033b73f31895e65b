"""Monte Carlo jobs on real Celery workers against the engine alone, in the same run.

    .venv/bin/python -m bench.lab [--quick] [--runs N]

Plays the same N random-bot games (10 turns each; 10,000 by default, 2,000 with
--quick): in this process with the pure runner (the engine-only baseline, before and
after the jobs; the faster of the two counts), as a job on one worker, and as a job on
two workers (`celery worker --concurrency
1` each, PostgreSQL and Redis as in bench.fullstack). A job's time runs from its commit
to its last chunk stored. Targets (issue 13): the two-worker job within 1.25x of the
engine-only time divided by 2; the speed-up from one worker to two is reported.
`--live`: a class's game played during a 40,000-run job, on workers as compose runs them
(live and lab queues); no turn may wait 1 s (issue 9: it waited for the whole job).
Needs PostgreSQL and Redis (LT_BENCH_DATABASE_URL, LT_BENCH_REDIS_URL), else SKIP.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench import Figure, distribution, median, ms, print_header, print_summary, verdict
from bench.fullstack import REDIS_URL, setup_django, skipped_without_services

RUNS = 10_000
QUICK_RUNS = 2_000
CHUNK = 500  # services.simulations.RANDOM_CHUNK, a random job's default
SEED = 20261204
TARGET_RATIO = 1.25


def group_cpu_seconds(groups: list[int]) -> float:
    """CPU seconds (user + system) used so far by the live processes of these process
    groups (a celery worker and its pool's child): read from /proc, so a busy machine's
    waiting for a CPU is not counted."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(fields[2]) in groups:  # pgrp; utime and stime in clock ticks
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def engine_only(runs: int) -> float:
    """Seconds for the runner to play the runs in this process (no database, no broker)."""
    from wargame.bots import make_policy
    from wargame.bots.runner import RunSpec, run_chunk
    from wargame.engine.loader import load_scenario

    scenario = load_scenario()
    spec = RunSpec(
        scenario=scenario,
        start=scenario.initial_state(),
        last_turn=scenario.default_turns,
        policies={r: make_policy("random", role=r) for r in scenario.role_slugs},
        budget=scenario.action_budget,
    )
    run_chunk(spec, job_seed=SEED, first=0, count=50)  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    for first in range(0, runs, CHUNK):
        run_chunk(spec, job_seed=SEED, first=first, count=min(CHUNK, runs - first))
    ENGINE_CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started


ENGINE_CPU: list[float] = []  # the engine-only runs' CPU seconds, in order


def job_seconds(runs: int, workers: int) -> float:
    """Seconds from a job's commit to its last chunk stored (polling its row). Prints
    where the workers' time went: playing the runs (each chunk's own timing) against
    everything else (queueing, loading the job, storing records, publishing)."""
    started = time.perf_counter()
    return wait_done(random_job(runs, "bench.lab"), started, workers)


def random_job(runs: int, title: str):
    """A job of `runs` random-bot games from the scenario's start, queued on commit."""
    from wargame.services.games import _released_row
    from wargame.services.simulations import simulation_create

    return simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None),
        policies={},
        runs=runs,
        seed=SEED,
        chunk_size=CHUNK,
        title=title,
    )


def wait_done(job, started: float, workers: int) -> float:
    """Seconds from `started` to the job's last chunk stored (polling its row), and where
    the workers' time went."""
    from django.db.models import Sum

    from wargame.models import Simulation, SimulationChunk

    while True:
        status = Simulation.objects.filter(pk=job.pk).values_list("status", flat=True).get()
        if status == "done":
            wall = time.perf_counter() - started
            job.refresh_from_db()
            chunks = SimulationChunk.objects.filter(simulation=job)
            playing = chunks.aggregate(s=Sum("seconds"))["s"]
            first = (job.started_at - job.created_at).total_seconds()
            print(
                f"  {workers} worker(s): {wall:.1f} s wall x {workers} = {wall * workers:.1f} "
                f"worker-s; playing runs {playing:.1f} s ({playing / (wall * workers):.0%}); "
                f"first chunk began {first:.2f} s after the commit"
            )
            return wall
        if status not in ("queued", "running"):
            raise RuntimeError(f"simulation {job.pk} ended {status}")
        time.sleep(0.05)


def doctrine_job_seconds(runs: int) -> float:
    """The issue's analyst on two workers: `runs` continuations of a finished 10-turn game
    (a random-bot log, imported) from the state after turn 5, every role doctrine."""
    from bench.engine import make_log
    from wargame.engine.loader import load_scenario
    from wargame.services.logs import game_import
    from wargame.services.simulations import simulation_create

    game, _ = game_import(document=make_log(load_scenario(), seed=SEED), title="bench.lab")
    started = time.perf_counter()
    job = simulation_create(
        game_id=game.pk,
        turn=5,
        policies=dict.fromkeys(load_scenario().role_slugs, "doctrine"),
        runs=runs,
        seed=SEED,
        title="bench.lab doctrine",
    )
    return wait_done(job, started, 2)


def run_doctrine(runs: int) -> list[Figure]:
    print_header(f"lab: {runs:,} doctrine continuations after turn 5, on 2 Celery workers")
    skipped = skipped_without_services("lab")
    if skipped:
        return skipped
    stack = lab_stack()
    try:
        stack.start_worker()
        stack.start_worker()
        seconds = doctrine_job_seconds(runs)
    finally:
        stack.stop()
    print(f"doctrine job, 2 workers: {seconds:.1f} s ({runs / seconds:.0f} runs/s)")
    return [Figure(f"lab: {runs:,} doctrine continuations, 2 workers", f"{seconds:.1f} s")]


def lab_stack():
    """Django on the bench database, and a stack on a queue of this run's own (its
    workers are started by the caller)."""
    run_id = f"lt-bench-lab-{os.getpid()}"
    setup_django(run_id)
    from django.conf import settings

    from tests.support.stack import Stack

    return Stack(
        database=settings.DATABASES["default"], redis_url=REDIS_URL, prefix=run_id, queue=run_id
    )


def job_on_the_workers(stack, runs: int) -> tuple[float, float]:
    """A job on the stack's workers as they are: its wall seconds, and the CPU seconds
    of the workers' process groups (each worker leads its own) meanwhile."""
    workers = len(stack.workers)
    groups = [w.pid for w in stack.workers]
    cpu = group_cpu_seconds(groups)
    wall = job_seconds(runs, workers)
    used = group_cpu_seconds(groups) - cpu
    print(f"job on {workers} worker(s): {wall:.1f} s ({runs / wall:.0f} runs/s); CPU {used:.1f} s")
    return wall, used


def run(*, quick: bool = False, runs: int | None = None) -> list[Figure]:
    runs = runs or (QUICK_RUNS if quick else RUNS)
    print_header(f"lab: {runs:,}-game Monte Carlo job on Celery workers")
    skipped = skipped_without_services("lab")
    if skipped:
        return skipped
    stack = lab_stack()
    before = engine_only(runs)
    print(f"engine only, one process: {before:.1f} s ({runs / before:.0f} runs/s)")
    try:
        stack.start_worker()
        one, one_cpu = job_on_the_workers(stack, runs)
        stack.start_worker()
        two, two_cpu = job_on_the_workers(stack, runs)
    finally:
        stack.stop()
    after = engine_only(runs)
    # The stricter of the two baselines (the machine is shared: load moves every figure).
    base = min(before, after)
    print(f"engine only again, after the jobs: {after:.1f} s; baseline {base:.1f} s")
    ratio = two / (base / 2)
    result = verdict(ratio, TARGET_RATIO)
    print(f"  2-worker job / (engine only / 2): {ratio:.2f}x; {result} vs <= {TARGET_RATIO}x")
    print(f"  speed-up from 1 to 2 workers: {one / two:.2f}x (on {os.cpu_count()} CPUs)")
    # CPU seconds do not count the waiting for a CPU that the machine's other load adds
    # to every wall-clock figure above: the workers' own cost against the engine's.
    engine_cpu = min(ENGINE_CPU)
    print(
        f"  CPU: engine only {engine_cpu:.1f} s; the workers' for the job: 1 worker "
        f"{one_cpu:.1f} s ({one_cpu / engine_cpu:.2f}x), 2 workers {two_cpu:.1f} s "
        f"({two_cpu / engine_cpu:.2f}x); load {os.getloadavg()[0]:.1f}"
    )
    return [
        Figure(f"lab: engine only, {runs:,} games", f"{base:.1f} s"),
        Figure("lab: job on 1 worker", f"{one:.1f} s"),
        Figure("lab: job on 2 workers", f"{two:.1f} s"),
        Figure(
            "lab: 2-worker job / (engine only / 2)", f"{ratio:.2f}x", f"<= {TARGET_RATIO}x", result
        ),
        Figure("lab: speed-up 1 -> 2 workers", f"{one / two:.2f}x"),
        Figure("lab: workers' CPU, 2-worker job / engine only", f"{two_cpu / engine_cpu:.2f}x"),
    ]


LIVE_GAME_TURNS = 10
LIVE_RUNS = 40_000  # random runs: about a minute of work for two pool processes
# No turn waits for a chunk (one of 500 random runs takes about a second on one process):
# what is left is sharing two CPUs with the job.
LIVE_MAX_MS = 1_000


def run_live(runs: int) -> list[Figure]:
    """A class's game while an analyst's job runs, on workers as compose runs them: one
    on the live queue, two (one pool process each) on the lab queue. Turns are played
    before the job (the baseline) and then back to back until the job is done; each is
    timed from the last lock to `turn.resolved` on all seven sockets (bench.fullstack)."""
    import random

    import httpx

    import bench.fullstack as fullstack

    print_header(f"lab: a live game during a {runs:,}-run job (1 live, 2 lab workers)")
    skipped = skipped_without_services("lab")
    if skipped:
        return skipped
    stack = lab_stack()
    from wargame.engine.loader import load_scenario
    from wargame.models import Simulation

    fullstack.WAIT_SECONDS = 3600  # with one queue, a turn waited for the whole job
    scenario, rng = load_scenario(), random.Random(SEED)
    try:
        stack.start_web()
        stack.start_worker(LT_WORKER_QUEUES="live", DJANGO_CONN_MAX_AGE="60")
        stack.start_worker(LT_WORKER_QUEUES="lab")
        stack.start_worker(LT_WORKER_QUEUES="lab")
        with httpx.Client(base_url=stack.url, timeout=30) as client:

            def game(index: int, warmup: int):
                played, _ = fullstack.play_game(
                    stack, client, scenario, rng, turns=LIVE_GAME_TURNS, warmup=warmup, index=index
                )
                return [t for t in played if not t.warmup]

            idle = game(0, warmup=3)
            started = time.perf_counter()
            job = random_job(runs, "bench.lab --live")
            during, index = [], 1
            while Simulation.objects.filter(pk=job.pk, status__in=("queued", "running")).exists():
                during += game(index, warmup=0)  # every turn: the first may wait longest
                index += 1
            job.refresh_from_db()
            ended = job.finished_at.timestamp()
            seconds = time.perf_counter() - started
    finally:
        stack.stop()
    # A turn counts as "during" if its last lock was sent before the job's end.
    during_ns = [t.latency for t in during if t.wall0 < ended]
    idle_ns = [t.latency for t in idle]
    print(f"job: {runs:,} random runs in chunks of {CHUNK}, {seconds:.1f} s ({job.status})")
    print(f"before the job, last lock -> all sockets: {distribution(idle_ns)}")
    print(f"during the job: {distribution(during_ns)}")
    ratio = median(during_ns) / median(idle_ns)
    return [
        Figure("live game: turns resolved during the job", f"{len(during_ns)}"),
        Figure("live game: median before the job", ms(median(idle_ns))),
        Figure("live game: median during the job", ms(median(during_ns))),
        Figure(
            "live game: max during the job",
            ms(max(during_ns)),
            f"<= {LIVE_MAX_MS:,} ms",
            verdict(max(during_ns) / 1e6, LIVE_MAX_MS),
        ),
        Figure("live game: median during / before", f"{ratio:.1f}x"),
        Figure("lab: the job's wall time meanwhile", f"{seconds:.1f} s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS:,} games")
    parser.add_argument("--runs", type=int, help="games per measurement")
    parser.add_argument(
        "--doctrine",
        action="store_true",
        help="instead: a doctrine job of 10,000 (or --runs) continuations after turn 5",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help=f"instead: a live game's turns during a job of {LIVE_RUNS:,} (or --runs) random runs",
    )
    args = parser.parse_args()
    if args.live:
        print_summary(run_live(args.runs or LIVE_RUNS))
    elif args.doctrine:
        print_summary(run_doctrine(args.runs or RUNS))
    else:
        print_summary(run(quick=args.quick, runs=args.runs))


if __name__ == "__main__":
    main()
