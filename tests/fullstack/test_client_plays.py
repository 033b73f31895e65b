"""The client plays a whole game against a real server (uvicorn and a worker): one seat
by `play_bot`'s loop with the doctrine policy, the others bots of the server."""

from __future__ import annotations

import threading

import pytest

from tests.fullstack.conftest import http_call
from wargame.client import ApiError, GameClient
from wargame.client.bot import play_seat
from wargame.models import Game, Move
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def test_the_client_bot_plays_a_seat_to_the_end(stack, http):
    game, codes = game_create(
        turns=3, seed=41, bots=["beijing", "pyongyang", "washington", "moscow"]
    )
    lines: list[str] = []
    result: dict = {}

    def play():
        client = GameClient(stack.url)
        result["view"] = play_seat(
            client,
            code=codes["seoul"],
            name="Seoul bot",
            policy="doctrine",
            seed=7,
            say=lines.append,
            timeout=240,
        )
        result["token"] = client.token

    player = threading.Thread(target=play)
    player.start()
    call = http_call(http)
    status, body = call("POST", "/api/join", {"code": codes["facilitator"], "name": "Umpire"}, None)
    assert status == 200, body
    status, body = call("POST", f"/api/games/{game.pk}/start", None, body["token"])
    assert status == 200, body
    player.join(timeout=300)
    assert not player.is_alive()
    assert result["view"]["status"] == "finished"
    assert Game.objects.get(pk=game.pk).status == "finished"
    seoul = Move.objects.filter(turn__game=game, role="seoul")
    assert seoul.exists() and all(m.rationale.startswith("Doctrine for Seoul") for m in seoul)
    assert [line for line in lines if line.endswith("locked")] == [
        f"turn {n}: {len(seoul.filter(turn__number=n))} move(s), locked" for n in (1, 2, 3)
    ]
    heard: list[str] = []

    def listen():  # the seat's socket, resumed from the start: the game's end arrives
        for event in GameClient(stack.url, token=result["token"]).socket(game.pk):
            heard.append(event["type"])
            if event["type"] == "game.finished":
                return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    listener.join(timeout=30)
    assert "turn.resolved" in heard and heard[-1] == "game.finished"
    with pytest.raises(ApiError) as refused:
        GameClient(stack.url).join(codes["moscow"], "Someone")
    assert refused.value.status == 404  # a bot's seat cannot be joined
