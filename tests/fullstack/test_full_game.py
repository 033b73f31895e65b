"""A whole game on the real stack: PostgreSQL, Redis, uvicorn, a celery worker process, and
a WebSocket client per seat that hears `turn.resolved` every turn."""

from __future__ import annotations

import pytest

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import ROLES, join_all, play
from tests.support.wsclient import SocketClient
from wargame.gamelog import replay
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def sockets_for(stack, game_id: int, tokens: dict[str, str]) -> dict[str, SocketClient]:
    return {
        seat: SocketClient(f"{stack.ws_url}/ws/games/{game_id}/?token={token}")
        for seat, token in tokens.items()
    }


def test_ten_turn_game_on_the_full_stack(stack, http):
    """Five scripted seats and a facilitator play 10 turns over HTTP; every socket receives
    turn.resolved for every turn, in seq order without gaps it may see; the exported log
    replays identically."""
    game, codes = game_create(seed=11, title="full stack")
    call = http_call(http)
    tokens = join_all(call, codes)
    sockets = sockets_for(stack, game.pk, tokens)
    try:

        def wait_resolved(number: int) -> None:
            for client in sockets.values():
                client.wait_for(
                    lambda frames, n=number: any(
                        f["type"] == "turn.resolved" and f["turn"] == n for f in frames
                    ),
                    timeout=60,
                )

        play(call, game.pk, tokens, wait_resolved=wait_resolved)
        for seat, client in sockets.items():
            resolved = [f["turn"] for f in client.of_type("turn.resolved")]
            assert resolved == list(range(1, 11)), seat
            seqs = client.seqs()
            assert seqs == sorted(set(seqs)), f"{seat} got events out of order or twice"
            client.wait_for(lambda frames: any(f["type"] == "game.finished" for f in frames))
    finally:
        for client in sockets.values():
            client.close()

    status, log = call("GET", f"/api/games/{game.pk}/log", None, tokens["facilitator"])
    assert status == 200
    report = replay(log)
    assert report["verified"] is True
    assert len(report["turns"]) == 10


def test_private_moves_reach_only_their_seat_on_the_stack(stack, http):
    """Across processes, move.recorded (the move itself) reaches only the mover and the
    facilitator; others hear only move.submitted with the role."""
    game, codes = game_create(seed=12)
    call = http_call(http)
    tokens = join_all(call, codes)
    call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    sockets = sockets_for(stack, game.pk, tokens)
    try:
        status, body = call(
            "POST",
            f"/api/games/{game.pk}/moves",
            {"action": "host_summit_pyongyang", "rationale": "SECRET-B"},
            tokens["beijing"],
        )
        assert status == 201, body
        for client in sockets.values():
            client.wait_for(lambda frames: any(f["type"] == "move.submitted" for f in frames))
        sockets["beijing"].wait_for(lambda fr: any(f["type"] == "move.recorded" for f in fr))
        sockets["facilitator"].wait_for(lambda fr: any(f["type"] == "move.recorded" for f in fr))
        for seat in ROLES:
            if seat != "beijing":
                text = str(sockets[seat].frames)
                assert "SECRET-B" not in text and "host_summit_pyongyang" not in text, seat
    finally:
        for client in sockets.values():
            client.close()
