"""The failure policy of a turn, in the embedded mode (the real task, run eagerly).

A transient error (database or broker connection) is retried with backoff up to the cap;
anything else, or the cap, makes the turn `failed`: its error kept, `turn.failed` for the
facilitator, `turn.unresolved` for everyone else, and then nothing more is appended: no
retry, no sweep. The facilitator's "Resolve now" (POST /resolve) retries it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from tests.support.api_seats import http, seated_game
from wargame.jobs.tasks import MAX_RETRIES, resolve_turn
from wargame.models import GameEvent, Move, Turn, TurnResult
from wargame.services import resolution
from wargame.services.resolution import deadline_sweep, turn_resolve, turns_due

pytestmark = pytest.mark.django_db(transaction=True)

BUG = "KeyError: 'relations'"


@pytest.fixture
def broken(monkeypatch):
    """Adjudication that always raises what the test sets (a bug, by default)."""
    raised: dict[str, Exception] = {"error": KeyError("relations")}
    calls: list[int] = []

    def always_raise(turn):
        calls.append(turn.pk)
        raise raised["error"]

    monkeypatch.setattr(resolution, "_adjudicate", always_raise)
    return raised, calls


def game_with_moves() -> tuple[int, dict[str, str], Turn]:
    game_id, tokens = seated_game(seed=31, title="Failing game")
    for role, action in (("pyongyang", "missile_test"), ("beijing", "court_seoul")):
        status, body = http("POST", f"/api/games/{game_id}/moves", {"action": action}, tokens[role])
        assert status == 201, body
    return game_id, tokens, Turn.objects.get(game_id=game_id, number=1)


def resolve_now(game_id: int, tokens: dict[str, str], number: int = 1) -> tuple[int, dict]:
    return http("POST", f"/api/games/{game_id}/resolve?turn={number}", token=tokens["facilitator"])


def events(game_id: int) -> list[tuple[str, list[str]]]:
    return list(GameEvent.objects.filter(game_id=game_id).values_list("type", "audience"))


def test_a_bug_fails_the_turn_at_once_and_nothing_more_is_appended(broken):
    """A non-transient error: one attempt, the turn is failed with the error kept, one
    turn.failed (facilitator) and one turn.unresolved (all); then a duplicate delivery of
    the task, sweeps long after the lease and the turn's deadline append nothing."""
    _, calls = broken
    game_id, tokens, turn = game_with_moves()
    before = len(events(game_id))

    status, body = resolve_now(game_id, tokens)
    assert status == 200, body

    turn.refresh_from_db()
    assert turn.status == Turn.Status.FAILED
    assert turn.error == BUG
    assert turn.failed_at is not None and turn.claim_token == ""
    assert len(calls) == 1
    assert events(game_id)[before:] == [
        ("turn.resolving", ["all"]),
        ("turn.failed", ["facilitator"]),
        ("turn.unresolved", ["all"]),
    ]
    failed = GameEvent.objects.get(game_id=game_id, type="turn.failed")
    assert failed.data == {"number": 1, "error": BUG, "attempts": 1}
    assert GameEvent.objects.get(game_id=game_id, type="turn.unresolved").data == {"number": 1}
    assert not TurnResult.objects.filter(turn=turn).exists()
    assert Move.objects.filter(turn=turn).count() == 2

    after = len(events(game_id))
    resolve_turn.delay(turn.pk)  # a duplicated or late task
    old = timezone.now() - timedelta(hours=1)
    Turn.objects.filter(pk=turn.pk).update(opened_at=old, deadline=old)
    assert turn.pk not in turns_due()
    for _ in range(3):
        deadline_sweep()
    assert len(events(game_id)) == after
    assert len(calls) == 1
    assert Turn.objects.get(pk=turn.pk).status == Turn.Status.FAILED


def test_a_transient_error_is_retried_up_to_the_cap_then_fails_the_turn(broken):
    """The database keeps dropping: the task retries MAX_RETRIES times (one claim each),
    then the turn fails with the last error; nothing after that."""
    raised, calls = broken
    raised["error"] = OperationalError("server closed the connection unexpectedly")
    game_id, tokens, turn = game_with_moves()
    before = len(events(game_id))

    status, body = resolve_now(game_id, tokens)
    assert status == 200, body

    turn.refresh_from_db()
    assert len(calls) == MAX_RETRIES + 1
    assert turn.status == Turn.Status.FAILED
    assert turn.error == "OperationalError: server closed the connection unexpectedly"
    assert turn.attempts == MAX_RETRIES + 1
    types = [t for t, _ in events(game_id)[before:]]
    assert types == ["turn.resolving"] * (MAX_RETRIES + 1) + ["turn.failed", "turn.unresolved"]
    for _ in range(2):
        deadline_sweep()
    assert len(events(game_id)) == before + len(types)


def test_a_transient_error_once_is_retried_and_the_turn_resolves(monkeypatch):
    """The connection drops once: the retry resolves the turn; it never shows as failed."""
    real = resolution._adjudicate
    calls: list[int] = []

    def fail_once(turn):
        calls.append(turn.pk)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(turn)

    monkeypatch.setattr(resolution, "_adjudicate", fail_once)
    game_id, tokens, turn = game_with_moves()
    status, body = resolve_now(game_id, tokens)
    assert status == 200, body
    turn.refresh_from_db()
    assert turn.status == Turn.Status.RESOLVED
    assert turn.attempts == 2 and turn.error == ""
    types = [t for t, _ in events(game_id)]
    assert "turn.failed" not in types and "turn.unresolved" not in types
    assert types.count("turn.resolved") == 1


def test_players_see_only_that_the_turn_could_not_be_resolved(broken):
    """The facilitator's view carries the error; a player's and the observer's views and
    the events they may read say only that turn 1 failed."""
    game_id, tokens, _ = game_with_moves()
    resolve_now(game_id, tokens)

    status, view = http("GET", f"/api/games/{game_id}", token=tokens["facilitator"])
    assert status == 200
    assert view["turn"]["phase"] == "failed"
    assert view["failure"] == {"number": 1, "error": BUG, "attempts": 1}
    for seat in ("seoul", "pyongyang", "observer"):
        status, view = http("GET", f"/api/games/{game_id}", token=tokens[seat])
        assert status == 200
        assert view["turn"]["phase"] == "failed"
        assert "failure" not in view
        status, seen = http("GET", f"/api/games/{game_id}/events", token=tokens[seat])
        assert status == 200
        types = [e["type"] for e in seen["events"]]
        assert "turn.unresolved" in types and "turn.failed" not in types
        assert "KeyError" not in str(seen) and "relations" not in str(seen)


def test_resolve_now_retries_a_failed_turn_which_then_resolves(broken, monkeypatch):
    """Once the cause is gone, the console's Retry (POST /resolve) puts the turn back to
    locked, enqueues it, and it resolves with every move; turn 2 opens."""
    game_id, tokens, turn = game_with_moves()
    resolve_now(game_id, tokens)
    assert Turn.objects.get(pk=turn.pk).status == Turn.Status.FAILED
    monkeypatch.undo()  # the fix is deployed
    before = len(events(game_id))

    status, body = resolve_now(game_id, tokens)
    assert status == 200, body

    turn.refresh_from_db()
    assert turn.status == Turn.Status.RESOLVED
    result = TurnResult.objects.get(turn=turn)
    assert {o["action"] for o in result.outcomes} == {"missile_test", "court_seoul"}
    types = [t for t, _ in events(game_id)[before:]]
    assert types[:3] == ["turn.retried", "turn.resolving", "turn.resolved"]
    assert Turn.objects.get(game_id=game_id, number=2).status == Turn.Status.OPEN
    status, body = resolve_now(game_id, tokens, number=1)
    assert status == 409, body  # a double click on Retry does not cut turn 2 short


def test_a_retry_that_fails_again_fails_once_more_and_stops(broken):
    """Retrying while the bug is still there: one more claim and one more failure pair."""
    _, calls = broken
    game_id, tokens, turn = game_with_moves()
    resolve_now(game_id, tokens)
    before = len(events(game_id))
    status, body = resolve_now(game_id, tokens)
    assert status == 200, body
    assert [t for t, _ in events(game_id)[before:]] == [
        "turn.retried",
        "turn.resolving",
        "turn.failed",
        "turn.unresolved",
    ]
    assert len(calls) == 2
    assert Turn.objects.get(pk=turn.pk).status == Turn.Status.FAILED


def test_a_claim_abandoned_too_often_fails_the_turn(settings):
    """A turn whose worker dies every time (stale claim, MAX_CLAIMS attempts): the next
    claimer fails it instead of trying again, and the sweep lets it be."""
    game_id, _, turn = game_with_moves()
    old = timezone.now() - timedelta(seconds=settings.LT_RESOLVE_LEASE_SECONDS + 5)
    Turn.objects.filter(pk=turn.pk).update(
        status=Turn.Status.RESOLVING,
        claim_token="d" * 32,
        claimed_at=old,
        attempts=resolution.MAX_CLAIMS,
    )
    before = len(events(game_id))
    assert turn_resolve(turn_id=turn.pk) is None
    turn.refresh_from_db()
    assert turn.status == Turn.Status.FAILED
    assert turn.error.startswith(f"Abandoned {resolution.MAX_CLAIMS} times")
    assert [t for t, _ in events(game_id)[before:]] == ["turn.failed", "turn.unresolved"]
    assert turn.pk not in turns_due()
