"""Monte Carlo jobs on the real stack: chunks on a real Celery worker, a worker SIGKILLed
mid-job, and the progress on a real socket."""

from __future__ import annotations

import time

import pytest

from wargame.bots import make_policy
from wargame.bots.runner import RunSpec, run_chunk
from wargame.engine.loader import load_scenario
from wargame.models import Simulation, SimulationChunk
from wargame.services.games import _released_row
from wargame.services.simulations import simulation_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

RUNS, CHUNK, SEED = 600, 100, 4242


def expected_records() -> list[dict]:
    scenario = load_scenario()
    spec = RunSpec(
        scenario=scenario,
        start=scenario.initial_state(),
        last_turn=scenario.default_turns,
        policies={r: make_policy("random", role=r) for r in scenario.role_slugs},
        budget=scenario.action_budget,
    )
    return run_chunk(spec, job_seed=SEED, first=0, count=RUNS)


def stored_records(job: Simulation) -> list[dict]:
    return [
        r
        for c in SimulationChunk.objects.filter(simulation=job).order_by("index")
        for r in c.records
    ]


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_a_worker_killed_mid_job_gives_the_same_results(stack):
    """SIGKILL the only worker once the job has stored a chunk but not all: a new worker
    is given the unacknowledged chunk again, every chunk is stored once, and the records
    equal the same runs played in this process."""
    job = simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None),
        policies={},
        runs=RUNS,
        seed=SEED,
        chunk_size=CHUNK,
    )
    wait_for(
        lambda: SimulationChunk.objects.filter(simulation=job).exists(),
        120,
        "no chunk was stored",
    )
    for worker in list(stack.workers):
        stack.kill(worker)
    stack.workers.clear()
    job.refresh_from_db()
    assert job.runs_done < RUNS, "the job finished before the worker could be killed"
    stack.start_worker()
    wait_for(
        lambda: Simulation.objects.get(pk=job.pk).status == "done", 240, "the job never finished"
    )
    job.refresh_from_db()
    assert job.runs_done == RUNS
    assert SimulationChunk.objects.filter(simulation=job).count() == RUNS // CHUNK
    assert stored_records(job) == expected_records()
