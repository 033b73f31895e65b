"""A class's turn is never queued behind an analyst's Monte Carlo job: turns go to the
live queue, chunks to the lab queue, and a worker serving both takes live work first."""

from __future__ import annotations

import time

import pytest

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import join_all, poll_until_resolved
from wargame.models import SimulationChunk, Turn
from wargame.services.games import _released_row, game_create
from wargame.services.simulations import simulation_cancel, simulation_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

# 40 chunks of random-bot runs: tens of seconds of work for one pool process, queued
# before the turn; each chunk well under a second.
RUNS, CHUNK = 4_000, 100


def job_of_many_chunks(seed: int):
    return simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None),
        policies={},
        runs=RUNS,
        seed=seed,
        chunk_size=CHUNK,
    )


def chunks_stored(job) -> int:
    return SimulationChunk.objects.filter(simulation=job).count()


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def resolve_a_turn(http, seed: int):
    """Start a game and ask for its first turn's resolution over HTTP, as the facilitator's
    button does; returns what `poll_until_resolved` needs."""
    game, codes = game_create(seed=seed)
    call = http_call(http)
    tokens = join_all(call, codes)
    for path in ("start", "resolve"):
        status, body = call("POST", f"/api/games/{game.pk}/{path}", None, tokens["facilitator"])
        assert status == 200, body
    return call, game, tokens["facilitator"]


def test_a_worker_serving_both_queues_takes_the_turn_before_the_jobs_next_chunk(stack, http):
    """The stack's one worker (one pool process, both queues) is playing a job of 40
    chunks, all queued, when a turn is asked for: it resolves the turn as soon as the
    chunk in hand is stored, not after the 39 behind it (as one queue did)."""
    job = job_of_many_chunks(seed=5151)
    try:
        wait_for(lambda: chunks_stored(job) >= 1, 120, "the job never stored a chunk")
        before = chunks_stored(job)
        call, game, token = resolve_a_turn(http, seed=31)
        poll_until_resolved(call, game.pk, token, 1, timeout=120)
        during = chunks_stored(job) - before
        assert during <= 2, (
            f"{during} of the job's chunks were played between the request and the turn's "
            "result: the turn waited behind them"
        )
        assert Turn.objects.get(game=game, number=1).status == "resolved"
    finally:
        simulation_cancel(simulation_id=job.pk)


def test_a_live_worker_leaves_chunks_to_the_lab_worker(stack, http):
    """As compose runs them: a worker on the live queue only and one on the lab queue
    only. The turn is resolved while the job runs; the live worker never took a chunk and
    the lab worker never took a turn."""
    for worker in list(stack.workers):
        stack.kill(worker)
    stack.workers.clear()
    live = stack.start_worker(LT_WORKER_QUEUES="live")
    lab = stack.start_worker(LT_WORKER_QUEUES="lab")
    job = job_of_many_chunks(seed=5252)
    try:
        wait_for(lambda: chunks_stored(job) >= 1, 120, "the lab worker never stored a chunk")
        call, game, token = resolve_a_turn(http, seed=32)
        poll_until_resolved(call, game.pk, token, 1, timeout=60)
        assert chunks_stored(job) < RUNS // CHUNK, "the job was over before the turn resolved"
    finally:
        simulation_cancel(simulation_id=job.pk)
    # A worker's log says "Task <name>[<id>] received" for each task it takes (its
    # banner lists every task it knows, without the brackets).
    live_log = stack.logs[live.pid].read_text(errors="replace")
    lab_log = stack.logs[lab.pid].read_text(errors="replace")
    assert "Task wargame.tasks.resolve_turn[" in live_log
    assert "Task wargame.tasks.simulation_chunk[" not in live_log
    assert "Task wargame.tasks.simulation_chunk[" in lab_log
    assert "Task wargame.tasks.resolve_turn[" not in lab_log
    for worker in (live, lab):
        stack.kill(worker)
        stack.workers.remove(worker)
    stack.start_worker()
