"""Deadlines on the full stack: `celery beat` sweeps, the worker resolves, sockets hear it."""

from __future__ import annotations

import pytest

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import join_all, poll_until_resolved
from tests.support.wsclient import SocketClient
from wargame.models import TurnResult
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def test_a_turn_past_its_deadline_is_resolved_by_beat_and_the_worker(stack, http):
    """A 10-second turn in which only Seoul moves and nobody locks: beat's sweep finds it
    overdue, the worker resolves it (the others hold), and every socket hears it."""
    beat = stack.start_beat()
    try:
        game, codes = game_create(seed=31, deadline_seconds=10)
        call = http_call(http)
        tokens = join_all(call, codes)
        call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
        status, body = call(
            "POST",
            f"/api/games/{game.pk}/moves",
            {"action": "engage_global_south"},
            tokens["seoul"],
        )
        assert status == 201, body
        client = SocketClient(f"{stack.ws_url}/ws/games/{game.pk}/?token={tokens['pyongyang']}")
        try:
            poll_until_resolved(call, game.pk, tokens["facilitator"], 1, timeout=60)
            client.wait_for(lambda frames: any(f["type"] == "turn.resolved" for f in frames))
        finally:
            client.close()
        result = TurnResult.objects.get(turn__game=game, turn__number=1)
        assert [(o["role"], o["action"]) for o in result.outcomes] == [
            ("seoul", "engage_global_south")
        ]
        status, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
        assert view["turn"]["number"] == 2 and view["turn"]["deadline"] is not None
    finally:
        stack.kill(beat)
        stack.workers.remove(beat)
