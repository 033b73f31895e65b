"""Resolve a turn exactly once (docs/architecture.md, "Nothing lost"), in the embedded mode.

`turn_resolve` claims the turn (open/locked -> resolving, with a token), adjudicates outside
any transaction, and commits the TurnResult only while its token still holds the claim. A
transient failure releases the claim (any other fails the turn: tests/jobs); a claim older
than LT_RESOLVE_LEASE_SECONDS may be taken over, and the first claimant's late commit then
does nothing.
"""

import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from wargame.models import Game, GameEvent, Move, Turn, TurnResult
from wargame.services import resolution
from wargame.services.games import game_create, game_finish, game_start
from wargame.services.moves import move_submit
from wargame.services.resolution import turn_resolve, turns_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def turn() -> Turn:
    """Turn 1 of a running game, open, with two moves in it."""
    game, _ = game_create(seed=23, turns=3)
    game_start(game_id=game.pk)
    for role, action, target in (
        ("beijing", "host_summit_pyongyang", "pyongyang"),
        ("pyongyang", "seek_summit_beijing", "beijing"),
    ):
        move_submit(game_id=game.pk, role=role, action=action, target=target, rationale="")
    return Turn.objects.get(game=game, number=1)


def state_of(turn: Turn) -> Turn:
    return Turn.objects.get(pk=turn.pk)


def make_stale(turn: Turn, settings) -> None:
    old = timezone.now() - timedelta(seconds=settings.LT_RESOLVE_LEASE_SECONDS + 5)
    Turn.objects.filter(pk=turn.pk).update(claimed_at=old)


def test_resolving_twice_gives_one_result_and_the_second_call_returns_none(turn):
    """A duplicated task (or a double click): the second call finds nothing to claim."""
    first = turn_resolve(turn_id=turn.pk)
    second = turn_resolve(turn_id=turn.pk)
    assert isinstance(first, TurnResult)
    assert second is None
    assert TurnResult.objects.filter(turn=turn).count() == 1
    assert state_of(turn).status == Turn.Status.RESOLVED
    assert state_of(turn).attempts == 1
    types = list(GameEvent.objects.filter(game=turn.game).values_list("type", flat=True))
    assert types.count("turn.resolved") == 1
    assert types.count("turn.resolving") == 1
    assert Game.objects.get(pk=turn.game_id).current_turn == 1


def test_resolving_opens_the_next_turn_once(turn):
    """Exactly one turn 2 is opened, whatever the number of calls."""
    turn_resolve(turn_id=turn.pk)
    turn_resolve(turn_id=turn.pk)
    assert list(Turn.objects.filter(game=turn.game).values_list("number", "status")) == [
        (1, Turn.Status.RESOLVED),
        (2, Turn.Status.OPEN),
    ]


def test_failure_in_adjudication_releases_the_claim_and_keeps_the_moves(turn, monkeypatch):
    """_adjudicate raises a transient error (the database connection dropped) once: the
    turn is back to locked with no claim, no result, every move in place; a later call
    (the task's retry) resolves it."""
    real = resolution._adjudicate
    calls = []

    def fail_once(claimed):
        calls.append(claimed.pk)
        if len(calls) == 1:
            raise OperationalError("worker lost its database connection")
        return real(claimed)

    monkeypatch.setattr(resolution, "_adjudicate", fail_once)
    moves_before = list(Move.objects.filter(turn=turn).values_list("role", "action"))

    with pytest.raises(OperationalError):
        turn_resolve(turn_id=turn.pk)
    failed = state_of(turn)
    assert failed.status == Turn.Status.LOCKED
    assert failed.claim_token == ""
    assert failed.claimed_at is None
    assert not TurnResult.objects.filter(turn=turn).exists()
    assert list(Move.objects.filter(turn=turn).values_list("role", "action")) == moves_before

    result = turn_resolve(turn_id=turn.pk)
    assert result is not None
    assert state_of(turn).status == Turn.Status.RESOLVED
    assert state_of(turn).attempts == 2
    assert {(o["role"], o["action"]) for o in result.outcomes} == set(moves_before)


def test_fresh_claim_is_not_taken_over(turn):
    """Another worker claimed the turn a moment ago: turn_resolve leaves it alone."""
    assert resolution._claim(turn.pk, "a" * 32) is not None
    assert turn_resolve(turn_id=turn.pk) is None
    claimed = state_of(turn)
    assert claimed.status == Turn.Status.RESOLVING
    assert claimed.claim_token == "a" * 32
    assert not TurnResult.objects.filter(turn=turn).exists()


def test_stale_claim_is_reclaimed_and_the_late_commit_does_nothing(turn, settings):
    """A claimant stalls past the lease; turn_resolve takes the turn over and resolves it;
    the original claimant's late _commit with the old token writes nothing."""
    old_token = uuid.uuid4().hex
    stalled = resolution._claim(turn.pk, old_token)
    adjudication = resolution._adjudicate(stalled)
    make_stale(turn, settings)
    assert turn.pk in turns_due()

    result = turn_resolve(turn_id=turn.pk)
    assert result is not None
    assert state_of(turn).claim_token != old_token
    game_after = Game.objects.get(pk=turn.game_id)
    events_after = GameEvent.objects.filter(game=turn.game).count()

    assert resolution._commit(turn.pk, old_token, adjudication) is None
    assert TurnResult.objects.filter(turn=turn).count() == 1
    assert TurnResult.objects.get(turn=turn).pk == result.pk
    game_now = Game.objects.get(pk=turn.game_id)
    assert (game_now.state_hash, game_now.current_turn) == (
        game_after.state_hash,
        game_after.current_turn,
    )
    assert GameEvent.objects.filter(game=turn.game).count() == events_after
    assert Turn.objects.filter(game=turn.game).count() == 2


def test_late_commit_loses_to_a_takeover_still_in_progress(turn, settings):
    """Two claims in flight: the stale one's commit does nothing, the newer one commits."""
    old_token, new_token = uuid.uuid4().hex, uuid.uuid4().hex
    stalled = resolution._claim(turn.pk, old_token)
    make_stale(turn, settings)
    taker = resolution._claim(turn.pk, new_token)
    assert taker is not None
    assert state_of(turn).claim_token == new_token

    assert resolution._commit(turn.pk, old_token, resolution._adjudicate(stalled)) is None
    assert state_of(turn).status == Turn.Status.RESOLVING
    assert not TurnResult.objects.filter(turn=turn).exists()

    assert resolution._commit(turn.pk, new_token, resolution._adjudicate(taker)) is not None
    assert state_of(turn).status == Turn.Status.RESOLVED
    assert TurnResult.objects.filter(turn=turn).count() == 1


def test_failure_of_a_stale_claimant_does_not_release_the_new_claim(turn, settings):
    """Only the holder of the claim may release it: a stale token's release is ignored."""
    old_token = uuid.uuid4().hex
    resolution._claim(turn.pk, old_token)
    make_stale(turn, settings)
    resolution._claim(turn.pk, "b" * 32)
    resolution._release(turn.pk, old_token)
    assert state_of(turn).status == Turn.Status.RESOLVING
    assert state_of(turn).claim_token == "b" * 32


def test_finished_game_is_not_resolved(turn):
    """A game ended by the facilitator leaves its open turn unresolved: nothing to claim."""
    game_finish(game_id=turn.game_id)
    assert turn_resolve(turn_id=turn.pk) is None
    assert state_of(turn).status == Turn.Status.OPEN
    assert not TurnResult.objects.filter(turn=turn).exists()


def test_unknown_turn_is_nothing_to_do():
    """A task for a turn that no longer exists returns None."""
    assert turn_resolve(turn_id=987_654) is None


# --- a claim whose worker is known dead ------------------------------------------------


def _claimed_by(turn: Turn, token: str) -> None:
    """A worker claimed the turn a moment ago with `token` (and then, maybe, died)."""
    assert resolution._claim(turn.pk, token) is not None


def _dead_pid() -> int:
    """The pid of a process of this host that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_claim_of_a_dead_worker_is_taken_over_at_once(turn):
    """The worker that claimed the turn a second ago was killed (its process is gone):
    the redelivered task resolves the turn now, without waiting out the lease."""
    _claimed_by(turn, resolution.claim_token(_dead_pid()))
    result = turn_resolve(turn_id=turn.pk)
    assert isinstance(result, TurnResult)
    assert state_of(turn).status == Turn.Status.RESOLVED
    assert state_of(turn).attempts == 2
    assert TurnResult.objects.filter(turn=turn).count() == 1


def test_claim_of_a_live_worker_keeps_its_lease_until_that_worker_dies(turn):
    """A live (slow) worker's fresh claim is left alone; once its process is killed and
    reaped, the next task takes the turn over at once."""
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _claimed_by(turn, resolution.claim_token(worker.pid))
        assert turn_resolve(turn_id=turn.pk) is None
        assert state_of(turn).status == Turn.Status.RESOLVING
    finally:
        worker.kill()
        worker.wait()
    assert isinstance(turn_resolve(turn_id=turn.pk), TurnResult)


def test_claim_this_process_holds_is_not_taken_over(turn):
    """This very process holds the claim (it is alive): no takeover before the lease."""
    _claimed_by(turn, resolution.claim_token())
    assert turn_resolve(turn_id=turn.pk) is None
    assert state_of(turn).status == Turn.Status.RESOLVING


@pytest.mark.parametrize(
    "token",
    [
        uuid.uuid4().hex,  # a token of an older release: it names no process
        "0" * 8 + "f" * 8 + "0" * 16,  # another host: its pids mean nothing here
    ],
)
def test_claim_whose_holder_cannot_be_seen_keeps_its_lease(turn, token):
    """A holder on another host, or an old-format token, is not known dead: it keeps its
    claim until the lease runs out, as before."""
    _claimed_by(turn, token)
    assert turn_resolve(turn_id=turn.pk) is None
    assert state_of(turn).claim_token == token


def test_a_killed_worker_not_yet_reaped_counts_as_dead():
    """Between SIGKILL and its parent's wait() the process is a zombie: already dead."""
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    token = resolution.claim_token(worker.pid)
    assert not resolution.holder_is_dead(token)
    worker.kill()
    deadline = time.monotonic() + 5
    while not resolution.holder_is_dead(token) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert resolution.holder_is_dead(token)
    finally:
        worker.wait()
    assert resolution.holder_is_dead(token)


def test_the_sweep_and_a_starting_worker_requeue_a_claim_whose_holder_is_dead(
    turn, django_capture_on_commit_callbacks
):
    """A whole worker was killed holding a fresh claim: its task waits in the broker for
    the visibility timeout, so the sweep (and a worker starting up) re-queue the turn at
    once; a live holder's or an unseen holder's fresh claim is left to its lease."""
    _claimed_by(turn, resolution.claim_token())  # this process: alive
    assert turn.pk not in turns_due()
    assert resolution.dead_claims_requeue() == []
    token_now = Turn.objects.filter(pk=turn.pk).update
    token_now(claim_token="0" * 8 + "f" * 8 + "0" * 16)  # another host
    assert turn.pk not in turns_due()
    token_now(claim_token=resolution.claim_token(_dead_pid()))
    assert turn.pk in turns_due()
    # Re-queued (eagerly, in the embedded mode): the turn is resolved, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert resolution.dead_claims_requeue() == [turn.pk]
    assert state_of(turn).status == Turn.Status.RESOLVED
    assert TurnResult.objects.filter(turn=turn).count() == 1
