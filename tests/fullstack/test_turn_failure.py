"""A turn that cannot be resolved, on the real stack: PostgreSQL, Redis, a Celery worker
process and beat's deadline sweep. The failure is real: a stored move is corrupted on
purpose (an action the scenario does not have), so the worker's adjudication raises (no
test seam in the code)."""

from __future__ import annotations

import time

import pytest

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import join_all, poll_until_resolved
from wargame.models import GameEvent, Move, Turn, TurnResult
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def wait_for_status(turn: Turn, status: str, timeout: float = 30) -> Turn:
    deadline = time.monotonic() + timeout
    while (current := Turn.objects.get(pk=turn.pk)).status != status:
        assert time.monotonic() < deadline, f"turn stayed {current.status}, never {status}"
        time.sleep(0.1)
    return current


def test_a_corrupt_move_fails_the_turn_once_and_retry_resolves_it(stack, http):
    """The worker's adjudication raises on a corrupted move row: the turn fails at once with
    the error kept, one turn.failed and one turn.unresolved; beat's sweeps then append
    nothing for several lease periods. With the row repaired, Resolve now retries it and
    it resolves exactly once."""
    beat = stack.start_beat()
    try:
        _fail_then_retry(http)
    finally:
        stack.kill(beat)
        stack.workers.remove(beat)


def _fail_then_retry(http) -> None:
    game, codes = game_create(seed=41, title="Corrupt state")
    call = http_call(http)
    tokens = join_all(call, codes)
    status, body = call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    assert status == 200, body
    status, body = call(
        "POST", f"/api/games/{game.pk}/moves", {"action": "missile_test"}, tokens["pyongyang"]
    )
    assert status == 201, body
    Move.objects.filter(game=game).update(action="launch_everything")

    status, body = call("POST", f"/api/games/{game.pk}/resolve?turn=1", None, tokens["facilitator"])
    assert status == 200, body
    turn = wait_for_status(Turn.objects.get(game=game, number=1), "failed")
    assert turn.error.startswith("InvalidMoves: Unknown action 'launch_everything'")
    assert turn.attempts == 1

    count = GameEvent.objects.filter(game=game).count()
    time.sleep(12)  # beat sweeps every 5 s; the lease here is 5 s
    assert GameEvent.objects.filter(game=game).count() == count
    types = list(GameEvent.objects.filter(game=game).values_list("type", flat=True))
    assert types.count("turn.resolving") == 1
    assert types.count("turn.failed") == 1 and types.count("turn.unresolved") == 1
    status, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert view["turn"]["phase"] == "failed" and "failure" not in view
    status, view = call("GET", f"/api/games/{game.pk}", None, tokens["facilitator"])
    assert view["failure"]["error"] == turn.error

    Move.objects.filter(game=game).update(action="missile_test")
    status, body = call("POST", f"/api/games/{game.pk}/resolve?turn=1", None, tokens["facilitator"])
    assert status == 200, body
    poll_until_resolved(call, game.pk, tokens["facilitator"], 1)
    assert TurnResult.objects.filter(turn=turn).count() == 1
    assert GameEvent.objects.filter(game=game, type="turn.resolved", turn=1).count() == 1
    assert Turn.objects.get(game=game, number=2).status == "open"
    assert [o["action"] for o in TurnResult.objects.get(turn=turn).outcomes] == ["missile_test"]
