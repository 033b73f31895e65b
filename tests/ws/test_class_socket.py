"""The class dashboard's socket: its teacher hears which table changed; nobody else opens it."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from players.selectors import TEACHERS
from wargame.asgi import application
from wargame.services.classes import class_create, class_join, class_start_all
from wargame.services.moves import role_lock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


def session_of(name: str):
    user = get_user_model().objects.create_user(name, password="pw")
    Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    client = Client()
    client.force_login(user)
    return user, client.cookies["sessionid"].value


def communicator(class_id: int, session: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, f"/ws/classes/{class_id}/", headers=headers)


async def frames(socket: WebsocketCommunicator) -> list[dict]:
    heard = []
    while not await socket.receive_nothing(timeout=0.2):
        heard.append(json.loads(await socket.receive_from()))
    return heard


def test_the_teacher_hears_which_table_changed_and_nothing_of_its_moves():
    teacher, session = session_of("ms-kim")
    classroom = class_create(teacher=teacher, tables=2, bots=False)
    class_join(code=classroom.code, name="Ada")  # table 1
    ada_two = [class_join(code=classroom.code, name=f"S{i}") for i in range(5)][-1]  # table 2
    class_start_all(classroom=classroom)
    table_two = classroom.tables.get(number=2).game_id

    async def scenario():
        socket = communicator(classroom.pk, session)
        connected, _ = await socket.connect()
        assert connected
        await async_to_sync_role_lock(ada_two.seat.game_id, ada_two.seat.role)
        heard = await frames(socket)
        await socket.disconnect()
        return heard

    heard = async_to_sync(scenario)()
    assert heard and {f["game"] for f in heard} == {table_two}
    assert {f["type"] for f in heard} == {"table.changed"}
    assert "role.locked" in {f["event"] for f in heard}
    assert all(set(f) == {"type", "game", "event"} for f in heard)


async def async_to_sync_role_lock(game_id: int, role: str) -> None:
    from channels.db import database_sync_to_async

    await database_sync_to_async(role_lock)(game_id=game_id, role=role)


@pytest.mark.parametrize("who", ["rival", "anonymous"])
def test_another_teacher_or_nobody_is_closed_as_not_found(who):
    teacher, _ = session_of("ms-kim")
    classroom = class_create(teacher=teacher, tables=1)
    session = session_of("mr-lee")[1] if who == "rival" else None

    async def scenario():
        socket = communicator(classroom.pk, session)
        connected, code = await socket.connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4404)
