"""A killed worker's task, redelivered at once, resolves the turn at once: the claim names
its process, and a claim whose process is gone is taken over without waiting out the
lease (here 300 s, so waiting would fail the test). A whole worker killed (its task not
redelivered before the broker's visibility timeout, here 300 s too) is taken over by the
next worker to start."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.fullstack.test_faults import resolved_events, started_game, worker_claimed
from tests.support.scripted_game import poll_until_resolved
from wargame.models import Move, Turn, TurnResult

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def test_killed_worker_process_is_taken_over_before_the_lease(stack, http):
    """SIGKILL the pool process adjudicating a turn (as the OOM killer would): its parent
    requeues the task, the next pool process finds the claim's process gone and resolves
    the turn within seconds, exactly once, every move kept."""
    for worker in list(stack.workers):
        stack.kill(worker)
    stack.workers.clear()
    slow = stack.start_worker(LT_RESOLVE_DELAY_SECONDS="3", LT_RESOLVE_LEASE_SECONDS="300")
    try:
        game, call, tokens = started_game(http, seed=31)
        for role, action in [("pyongyang", "envoy_to_beijing"), ("beijing", "court_seoul")]:
            body = {"action": action}
            status, made = call("POST", f"/api/games/{game.pk}/moves", body, tokens[role])
            assert status == 201, made
        call("POST", f"/api/games/{game.pk}/resolve", None, tokens["facilitator"])
        turn = Turn.objects.get(game=game, number=1)
        deadline = time.monotonic() + 30
        while not worker_claimed(claimed := Turn.objects.get(pk=turn.pk)):
            assert time.monotonic() < deadline, "the worker never claimed the turn"
            time.sleep(0.05)
        pool_process = int(claimed.claim_token[16:22], 16)
        with open(f"/proc/{pool_process}/cmdline", "rb") as f:  # never kill a stranger
            assert b"celery" in f.read(), "the claim does not name the worker's process"
        os.kill(pool_process, signal.SIGKILL)
        killed_at = time.monotonic()

        poll_until_resolved(call, game.pk, tokens["facilitator"], 1, timeout=60)
        assert time.monotonic() - killed_at < 60, "the takeover waited for the lease"
        turn.refresh_from_db()
        assert turn.status == "resolved"
        assert turn.attempts == 2
        assert TurnResult.objects.filter(turn=turn).count() == 1
        assert resolved_events(game.pk, 1) == 1
        assert Move.objects.filter(turn=turn).count() == 2
    finally:
        stack.kill(slow)
        stack.workers.remove(slow)
        stack.start_worker()


# The lease and the broker's visibility timeout, both far beyond the test's patience.
PATIENT = {"LT_RESOLVE_LEASE_SECONDS": "300", "LT_VISIBILITY_TIMEOUT": "300"}


def test_a_whole_worker_killed_is_taken_over_by_the_next_worker_to_start(stack, http):
    """SIGKILL the whole worker (main process and pool) while it adjudicates, as a
    container restart or the OOM killer taking the group would: nothing redelivers its
    task before 300 s, but the next worker to start finds the claim's process gone and
    re-queues the turn: resolved within seconds of that start, exactly once."""
    for worker in list(stack.workers):
        stack.kill(worker)
    stack.workers.clear()
    slow = stack.start_worker(LT_RESOLVE_DELAY_SECONDS="3", **PATIENT)
    replacement = None
    try:
        game, call, tokens = started_game(http, seed=32)
        body = {"action": "envoy_to_beijing"}
        status, made = call("POST", f"/api/games/{game.pk}/moves", body, tokens["pyongyang"])
        assert status == 201, made
        call("POST", f"/api/games/{game.pk}/resolve", None, tokens["facilitator"])
        turn = Turn.objects.get(game=game, number=1)
        deadline = time.monotonic() + 30
        while not worker_claimed(Turn.objects.get(pk=turn.pk)):
            assert time.monotonic() < deadline, "the worker never claimed the turn"
            time.sleep(0.05)
        stack.kill(slow)  # the whole process group: the task stays unacknowledged
        stack.workers.remove(slow)
        time.sleep(1)
        assert Turn.objects.get(pk=turn.pk).status == "resolving"  # nobody took it yet
        replacement = stack.start_worker(**PATIENT)
        started = time.monotonic()

        poll_until_resolved(call, game.pk, tokens["facilitator"], 1, timeout=30)
        assert time.monotonic() - started < 30, "the new worker waited for the lease"
        time.sleep(1.0)  # a duplicate, if any, would have run by now
        turn.refresh_from_db()
        assert turn.status == "resolved"
        assert turn.attempts == 2
        assert TurnResult.objects.filter(turn=turn).count() == 1
        assert resolved_events(game.pk, 1) == 1
        assert Move.objects.filter(turn=turn).count() == 1
    finally:
        if replacement is not None:
            stack.kill(replacement)
            stack.workers.remove(replacement)
        stack.start_worker()
