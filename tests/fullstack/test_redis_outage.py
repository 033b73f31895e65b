"""A Redis outage on the real stack (issue 9, item 8): the web server, worker and beat run
against a Redis server of this test's own, which it stops mid-turn and starts again.

On the full stack one Redis carries the cache, the channel layer and Celery's queue. The
channel layer and the queue already took an outage in their stride (tests/ws/
test_redis_outage.py), but every seat token's guessing limit is counted in the cache: with
Redis stopped, every API call with a token answered Django's HTML 500, the writes
included, so the players could do nothing until Redis came back."""

from __future__ import annotations

import httpx
import pytest
from django.conf import settings

from tests.fullstack.conftest import STACK_ENV, http_call
from tests.support.private_redis import stack_on_private_redis
from tests.support.scripted_game import join_all, poll_until_resolved
from tests.support.wsclient import SocketClient
from wargame.models import Message, Move
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


@pytest.fixture
def outage_stack(stack):  # (the session's stack: the services are known to be there)
    with stack_on_private_redis(settings.DATABASES["default"], extra_env=STACK_ENV) as pair:
        own, _redis = pair
        own.start_web()
        own.start_worker()
        own.start_beat()
        yield pair


def started_game(client: httpx.Client, seed: int):
    """A running game of 3 turns, every seat joined: (game, call, tokens)."""
    call = http_call(client)
    game, codes = game_create(seed=seed, turns=3)
    tokens = join_all(call, codes)
    assert call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])[0] == 200
    return game, call, tokens


def test_players_play_on_through_a_redis_outage_and_the_turn_resolves_after(outage_stack):
    stack, redis = outage_stack
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        game, call, tokens = started_game(client, seed=91)

        redis.stop()
        answers = [
            call("POST", f"/api/games/{game.pk}/moves", {"action": "hold"}, tokens[role])[0]
            for role in ROLES
        ]
        message = {"to": ["seoul"], "text": "The line is down; we play on."}
        answers.append(
            call("POST", f"/api/games/{game.pk}/messages", message, tokens["beijing"])[0]
        )
        status, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
        answers.append(status)
        answers += [call("POST", f"/api/games/{game.pk}/lock", None, tokens[r])[0] for r in ROLES]
        assert answers == [201] * 6 + [200] * 6
        assert (view["turn"]["number"], view["moved"]) == (1, sorted(ROLES))
        status, wrong = call("POST", "/api/join", {"code": "ZZZZZZZZ", "name": "Eve"}, None)
        assert (status, wrong["code"]) == (404, "not_found")  # JSON, not the HTML 500 page
        # The guessing limit still holds (counted in the process's memory meanwhile).
        guess = http_call(httpx.Client(base_url=stack.url, timeout=30))  # (no seat's cookie)
        refusals = []
        while len(refusals) < 40 and 429 not in refusals:
            refusals.append(
                guess("GET", f"/api/games/{game.pk}", None, f"guess-{len(refusals)}")[0]
            )
        assert refusals[-1] == 429 and set(refusals[:-1]) == {401}  # 20 a minute: then 429
        assert len(refusals) == 22

        redis.start()
        # The last lock's task was lost with the queue; the sweep queues it again once its
        # lease is over, and the turn resolves, each move and the message stored once.
        poll_until_resolved(call, game.pk, tokens["facilitator"], 1, timeout=60)
    assert Move.objects.filter(game=game).count() == len(ROLES)
    assert Message.objects.filter(game=game).count() == 1


def test_a_socket_opened_during_the_outage_serves_by_catch_up_then_goes_live(outage_stack):
    """A page (re)loaded while Redis is away: its socket opened, and the handshake was
    refused with a 500 (the page said "connection lost" for the whole outage). Now it
    opens, says at once that the live link is degraded, and every ping brings what the
    log has; once Redis is back its next ping closes it with 1012, and the socket the
    page opens again is live."""
    stack, redis = outage_stack
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        game, call, tokens = started_game(client, seed=92)
        url = f"{stack.ws_url}/ws/games/{game.pk}/?token={tokens['beijing']}&last_seq=0"

        redis.stop()
        beijing = SocketClient(url, origin=stack.url)
        try:
            beijing.wait_for(lambda frames: any(f["type"] == "pong" for f in frames), 10)
            assert beijing.of_type("pong")[0]["data"] == {"live": False}
            message = {"to": ["beijing"], "text": "Are you there?"}
            assert (
                call("POST", f"/api/games/{game.pk}/messages", message, tokens["seoul"])[0] == 201
            )
            assert not beijing.of_type("message.posted")  # nothing live without Redis
            beijing.send({"type": "ping"})
            beijing.wait_for(lambda frames: any(f["type"] == "message.posted" for f in frames), 10)
            assert beijing.of_type("message.posted")[0]["data"]["text"] == "Are you there?"
            assert beijing.of_type("pong")[-1]["data"] == {"live": False}

            redis.start()
            beijing.send({"type": "ping"})
            beijing.wait_for(lambda frames: beijing.closed, 10)
            assert beijing.conn.close_code == 1012
        finally:
            beijing.close()

        again = SocketClient(url, origin=stack.url)
        try:
            again.wait_for(lambda frames: any(f["type"] == "message.posted" for f in frames), 10)
            message = {"to": ["beijing"], "text": "Back live."}
            assert (
                call("POST", f"/api/games/{game.pk}/messages", message, tokens["seoul"])[0] == 201
            )
            again.wait_for(lambda frames: [f["type"] for f in frames].count("message.posted") == 2)
            again.send({"type": "ping"})
            again.wait_for(lambda frames: any(f["type"] == "pong" for f in frames), 10)
            assert again.of_type("pong")[-1]["data"] == {"live": True}
        finally:
            again.close()
