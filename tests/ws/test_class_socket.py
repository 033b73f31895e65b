"""The class dashboard's socket: its teacher hears which table changed; nobody else opens it."""

from __future__ import annotations

import json
import re

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from players.selectors import TEACHERS
from wargame.asgi import application
from wargame.services.classes import class_create, class_join, class_start_all
from wargame.services.moves import move_submit, role_lock

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


def communicator(class_id: int, session: str | None, query: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    path = f"/ws/classes/{class_id}/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def opened(socket: WebsocketCommunicator) -> list[dict]:
    """Connect; the socket first sends every table's card (the snapshot), returned here."""
    connected, _ = await socket.connect()
    assert connected
    return await frames(socket)


async def frames(socket: WebsocketCommunicator) -> list[dict]:
    heard = []
    while not await socket.receive_nothing(timeout=0.2):
        heard.append(json.loads(await socket.receive_from()))
    return heard


def test_the_teacher_hears_which_table_changed_with_its_card_and_nothing_of_its_moves():
    teacher, session = session_of("ms-kim")
    classroom = class_create(teacher=teacher, tables=2, bots=False)
    joined = [class_join(code=classroom.code, name=f"S{i}") for i in range(6)]
    class_start_all(classroom=classroom)  # table 1 full, table 2 has S5 alone
    table_one = classroom.tables.get(number=1).game_id
    student = joined[1]  # S1, at table 1: its lock leaves the turn open (four to go)
    game, role = student.seat.game_id, student.seat.role
    assert game == table_one
    action = next(  # one of the seat's own moves that needs no target
        a
        for a in classroom.scenario.document["actions"]
        if a["role"] == role and not a.get("target")
    )

    async def scenario():
        socket = communicator(classroom.pk, session)
        await opened(socket)
        await database_sync_to_async(move_submit)(
            game_id=game,
            role=role,
            action=action["code"],
            target=None,
            rationale="Secret plan Zeta",
        )
        await database_sync_to_async(role_lock)(game_id=game, role=role)
        heard = await frames(socket)
        await socket.disconnect()
        return heard

    heard = async_to_sync(scenario)()
    assert heard and {f["game"] for f in heard} == {table_one}
    assert {f["type"] for f in heard} == {"table.changed"}
    assert "role.locked" in [e for f in heard for e in f["events"]]
    last = heard[-1]["card"]  # read after the lock: the table as it is now
    row = re.search(rf'<tr data-role="{role}">.*?</tr>', last, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert "S1" in cells[0]  # who sits there
    assert cells[2].strip() == "✓" and cells[3].strip() == "✓"  # moved, locked
    for frame in heard:  # the move's content is nowhere, only that the seat moved
        assert "Secret Zeta" not in json.dumps(frame)
        assert action["label"] not in frame["card"] and action["code"] not in frame["card"]


def test_the_socket_opens_with_every_tables_card_as_it_is_now():
    """A lock committed after the page was rendered but before its socket subscribed
    never comes as an event: the socket's first frames are every table's current card
    (the dashboard missed a resolution that fell in that gap)."""
    teacher, session = session_of("ms-kim")
    classroom = class_create(teacher=teacher, tables=2, bots=False)
    student = class_join(code=classroom.code, name="Ada")
    class_start_all(classroom=classroom)
    # Ada's lock is the table's last (bots hold the rest): the turn resolves before the socket
    role_lock(game_id=student.seat.game_id, role=student.seat.role)

    async def scenario():
        socket = communicator(classroom.pk, session)
        snapshot = await opened(socket)
        await socket.disconnect()
        return snapshot

    snapshot = async_to_sync(scenario)()
    tables = set(classroom.tables.values_list("game_id", flat=True))
    assert {f["game"] for f in snapshot} == tables and len(snapshot) == len(tables)
    assert {f["event"] for f in snapshot} == {"snapshot"}
    card = next(f["card"] for f in snapshot if f["game"] == student.seat.game_id)
    assert re.search(r"turn 1 of \d+ resolved", card)  # as it is now, not as first rendered


def test_the_card_speaks_the_pages_language():
    teacher, session = session_of("ms-kim")
    classroom = class_create(teacher=teacher, tables=1, bots=False)
    student = class_join(code=classroom.code, name="Ada")
    class_start_all(classroom=classroom)

    async def scenario():
        socket = communicator(classroom.pk, session, query="lang=ko")
        await opened(socket)
        await database_sync_to_async(role_lock)(
            game_id=student.seat.game_id, role=student.seat.role
        )
        heard = await frames(socket)
        await socket.disconnect()
        return heard

    card = async_to_sync(scenario)()[-1]["card"]
    assert "테이블 1" in card or "1번 테이블" in card, card[:300]
    assert "Table 1" not in card


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
