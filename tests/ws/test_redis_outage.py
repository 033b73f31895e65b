"""A Redis outage (issue 9, item 8): writes that committed answer success, the socket
says its live link is degraded, and catch-up delivers what the channel layer could not."""

import logging
import re
import socket

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from tests.support.api_seats import http
from tests.ws.test_socket import drain, open_socket, running_game
from wargame.models import Move
from wargame.realtime import publish

pytestmark = pytest.mark.django_db(transaction=True)


LAYERS = {  # as the settings name them for the full stack (LT_CHANNEL_LAYER)
    "pubsub": "wargame.realtime.layer.DecodeOnceChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}


def dead_redis_layers(kind: str = "core") -> dict:
    """A channel layer on a local port where nothing listens (bound, never accepting)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return {
        "default": {
            "BACKEND": LAYERS[kind],
            "CONFIG": {"hosts": [("127.0.0.1", port)]},
        }
    }


@pytest.fixture(autouse=True)
def fresh_publishers():
    """The publisher of this process keeps its layer: start from none, drop the dead one."""
    publish._publishers.clear()
    yield
    publish._publishers.clear()
    if hasattr(publish, "_health"):  # (absent before the fix, so the test can show it)
        publish._health.__init__()
    async_to_sync(get_channel_layer().flush)()


@sync_to_async
def writes_while_redis_is_down(game: int, tokens: dict[str, str]) -> list[tuple[str, int]]:
    """A move, a private message and a lock with the channel layer unreachable."""
    answers = []
    with override_settings(CHANNEL_LAYERS=dead_redis_layers()):
        publish._publishers.clear()  # this process's publisher now dials the dead port
        for method, path, body, seat in (
            ("POST", "moves", {"action": "court_seoul", "target": "seoul"}, "beijing"),
            ("POST", "messages", {"to": ["seoul"], "text": "quietly"}, "beijing"),
            ("POST", "lock", None, "beijing"),
        ):
            status, _ = http(method, f"/api/games/{game}/{path}", body, tokens[seat])
            answers.append((path, status))
    publish._publishers.clear()
    return answers


async def test_writes_that_committed_answer_success_and_reach_the_socket_by_catch_up(caplog):
    """With Redis unreachable, Beijing's move answers 201 and its message and lock succeed
    (each stored once); Beijing's socket hears nothing live, its ping brings the three
    events in order with a pong saying the link is degraded, and a retry is not needed."""
    game, tokens = await running_game()
    beijing, connected, _ = await open_socket(game, tokens["beijing"])
    assert connected
    await drain(beijing)
    logger = logging.getLogger("wargame.realtime.publish")
    logger.addHandler(caplog.handler)  # (the full-stack settings may not propagate)
    try:
        answers = await writes_while_redis_is_down(game, tokens)
    finally:
        logger.removeHandler(caplog.handler)
    assert answers == [("moves", 201), ("messages", 201), ("lock", 200)]
    assert await sync_to_async(Move.objects.filter(game_id=game, role="beijing").count)() == 1
    assert "sockets catch up from the log" in caplog.text
    assert await drain(beijing) == []  # nothing came live

    await beijing.send_json_to({"type": "ping"})
    caught = [await beijing.receive_json_from() for _ in range(4)]
    pong = await beijing.receive_json_from()
    assert [e["type"] for e in caught] == [
        "move.submitted",
        "move.recorded",
        "message.posted",
        "role.locked",
    ]
    assert pong == {"seq": None, "type": "pong", "turn": 0, "data": {"live": False}}
    await beijing.disconnect()


def test_the_last_lock_answers_success_when_the_broker_is_down_and_the_sweep_queues_it(
    monkeypatch, settings
):
    """The fifth lock commits, then queuing its resolution fails (Redis is the broker too):
    the lock still answers 200, the turn stays claimed for the queue, and once the
    claim's lease has run out the sweep re-queues it."""
    from kombu.exceptions import OperationalError

    from wargame.models import Turn
    from wargame.services import ports
    from wargame.services.resolution import turns_due

    game, tokens = async_to_sync(running_game)()

    def broker_down(turn_id, queued=""):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(ports._ports, "resolve", broker_down)
    answers = [
        http("POST", f"/api/games/{game}/lock", None, tokens[role])[0]
        for role in ("seoul", "beijing", "pyongyang", "washington", "moscow")
    ]
    assert answers == [200] * 5
    turn = Turn.objects.get(game_id=game, number=1)
    assert turn.status == "resolving"
    assert turn.pk not in turns_due()  # the lease has not run out
    settings.LT_RESOLVE_LEASE_SECONDS = 0
    assert turn.pk in turns_due()


# --- a socket opened while Redis is away ------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LAYERS))
async def test_a_game_socket_opened_without_redis_opens_degraded_and_catches_up_on_ping(kind):
    """Its handshake answered 500 (the pub/sub layer subscribes first, the list-based one
    joins the group first): the page said "connection lost" for the whole outage. Now it
    opens, says at once that the live link is degraded, and a ping brings what the log has."""
    game, tokens = await running_game()
    with override_settings(CHANNEL_LAYERS=dead_redis_layers(kind)):
        beijing, connected, _ = await open_socket(game, tokens["beijing"])
        assert connected
        first = await beijing.receive_json_from(timeout=5)
        assert first == {"seq": None, "type": "pong", "turn": 0, "data": {"live": False}}
        await writes_while_redis_is_down(game, tokens)
        assert await drain(beijing) == []  # nothing live
        await beijing.send_json_to({"type": "ping"})
        caught = [(await beijing.receive_json_from(timeout=5))["type"] for _ in range(5)]
        assert caught == ["move.submitted", "move.recorded", "message.posted", "role.locked",
                          "pong"]  # fmt: skip
        await beijing.disconnect()


async def test_a_class_dashboard_opened_without_redis_gets_every_card_on_each_ping():
    """The teacher's dashboard socket: opened, with every table's card; each ping brings
    them again as they are now (a resolution shows), since no table's event comes live."""
    from tests.ws.test_class_socket import communicator, frames, session_of
    from wargame.services.classes import class_create, class_join, class_start_all
    from wargame.services.moves import role_lock

    @sync_to_async
    def a_class_with_a_student():
        teacher, session = session_of("ms-han")
        classroom = class_create(teacher=teacher, tables=1, bots=False)
        student = class_join(code=classroom.code, name="Ada")
        class_start_all(classroom=classroom)
        return classroom, student.seat, session

    classroom, seat, session = await a_class_with_a_student()
    with override_settings(CHANNEL_LAYERS=dead_redis_layers("pubsub")):
        socket = communicator(classroom.pk, session)
        connected, _ = await socket.connect()
        assert connected
        snapshot = await frames(socket)
        assert [f["event"] for f in snapshot] == ["snapshot"]
        assert "Ada" in snapshot[0]["card"]
        assert not re.search(r"turn 1 of \d+ resolved", snapshot[0]["card"])
        await sync_to_async(role_lock)(game_id=seat.game_id, role=seat.role)
        await socket.send_to(text_data='{"type": "ping"}')
        again = await frames(socket)
        assert [f.get("event") for f in again] == ["snapshot", None]  # the card, the pong
        # Ada's lock was the table's last: the turn resolved, and the card says so.
        assert re.search(r"turn 1 of \d+ resolved", again[0]["card"])
        await socket.disconnect()


def test_a_lab_progress_socket_opened_without_redis_sends_the_jobs_row_and_closes():
    """The analyst's progress bar: its handshake answered 500 for the whole outage, and the
    bar stood still. Now the socket sends the job's row and closes (1012); the page opens
    it again two seconds later, so the bar follows the job from its row meanwhile. (With
    the pub/sub layer, the deployed one; the list-based one still fails it.)"""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.support.lab_jobs import half_played_job
    from wargame.asgi import application

    user = get_user_model().objects.create_user("analyst", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)
    job, _queued = half_played_job()
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"),
               (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]  # fmt: skip

    async def scenario():
        socket = WebsocketCommunicator(application, f"/ws/lab/{job.pk}/", headers=headers)
        connected, _ = await socket.connect()
        row = await socket.receive_json_from(timeout=5)
        closed = await socket.receive_output(timeout=5)
        await socket.wait()
        return connected, row, closed

    with override_settings(CHANNEL_LAYERS=dead_redis_layers("pubsub")):
        connected, row, closed = async_to_sync(scenario)()
    assert connected
    assert row["type"] == "simulation.progress"
    assert (row["data"]["done"], row["data"]["status"]) == (10, "running")
    assert (closed["type"], closed["code"]) == ("websocket.close", 1012)
