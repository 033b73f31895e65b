"""Classes in the JSON API: a teacher creates a class, lists its tables and runs the bulk
controls with its browser session (CSRF token), as the pages do; another teacher's class
answers 404; bad input is 400 with a JSON message and nothing written."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from players.models import Seat
from players.selectors import TEACHERS
from wargame.models import Classroom, Game, Inject, Message
from wargame.services.classes import class_create, class_join

pytestmark = pytest.mark.django_db


def browser(name: str, *, staff: bool = False, teacher: bool = True):
    """A logged-in browser that checks CSRF as a real one would, with its token."""
    user = get_user_model().objects.create_user(name, password="pw", is_staff=staff)
    if teacher and not staff:
        Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/classes/")  # the page sets the csrftoken cookie
    return client, user


def post(client: Client, path: str, body: dict | None = None, *, csrf: bool = True):
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf else {}
    return client.post(path, body or {}, content_type="application/json", headers=headers)


@pytest.fixture
def kim():
    return browser("ms-kim")


@pytest.fixture
def lee():
    return browser("mr-lee")


def test_a_teacher_creates_a_class_and_reads_its_tables(kim):
    client, user = kim
    answer = post(
        client,
        "/api/classes",
        {"title": "Period 3", "tables": 3, "turns": 4, "deadline": 300,
         "bot_policies": {"seoul": "doctrine"}, "bot_timeout": 60},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    body = answer.json()
    classroom = Classroom.objects.get(pk=body["class"])
    assert classroom.teacher == user and classroom.title == "Period 3"
    assert body["code"] == classroom.code and body["link"].endswith(f"/class/{classroom.code}/")
    assert [t["table"] for t in body["table_games"]] == [1, 2, 3]
    seoul = Seat.objects.filter(game__class_table__classroom=classroom, role="seoul")
    assert set(seoul.values_list("policy", flat=True)) == {"doctrine"}

    class_join(code=classroom.code, name="Ada")
    detail = client.get(f"/api/classes/{classroom.pk}").json()
    one = detail["table_games"][0]
    assert (one["status"], one["turns_resolved"], one["max_turns"]) == ("lobby", 0, 4)
    assert one["capitals"][0]["role"] == "seoul"
    assert one["capitals"][0]["students"] == ["Ada"]
    assert not one["capitals"][0]["online"] and not one["capitals"][0]["locked"]
    assert "No students at this table." in detail["table_games"][1]["alerts"]

    listed = client.get("/api/classes").json()["classes"]
    assert [(c["class"], c["tables"]) for c in listed] == [(classroom.pk, 3)]


def test_the_link_route_exists(kim):
    client, _user = kim
    body = post(client, "/api/classes", {"tables": 1}).json()
    assert Client().get(body["link"].split("testserver", 1)[1]).status_code == 200


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"tables": 41}, "tables"),
        ({"tables": 0}, "tables"),
        ({}, "required"),
        ({"tables": 2, "bot_policies": "genius"}, "bot_policies"),
        ({"tables": 2, "bot_policies": {"tokyo": "doctrine"}}, "No capital 'tokyo'"),
        ({"tables": 2, "bot_timeout": -5}, "bot"),
        ({"tables": 2, "scenario": "no-such-scenario"}, "scenario"),
    ],
)
def test_bad_input_is_400_with_a_message_and_creates_nothing(kim, body, words):
    client, _user = kim
    answer = post(client, "/api/classes", body)
    assert answer.status_code == 400, answer.content
    assert words.lower() in answer.json()["error"].lower()
    assert Classroom.objects.count() == 0 and Game.objects.count() == 0


def test_a_write_without_the_csrf_token_is_refused_and_creates_nothing(kim):
    client, _user = kim
    answer = post(client, "/api/classes", {"tables": 2}, csrf=False)
    assert answer.status_code == 403 and answer.json()["code"] == "csrf"
    assert Classroom.objects.count() == 0


def test_another_teachers_class_is_404_on_every_call_and_nothing_changes(kim, lee):
    client, user = kim
    classroom = class_create(teacher=user, tables=2, bots=True)
    rival, _ = lee
    path = f"/api/classes/{classroom.pk}"
    assert rival.get(path).status_code == 404
    for action, body in [
        ("start", {}), ("pause", {}), ("resume", {}), ("resolve", {}), ("standin", {}),
        ("finish", {}), ("clock", {"minutes": 5}), ("extend", {"minutes": 5}),
        ("messages", {"text": "hi"}), ("injects", {"title": "Storm"}),
    ]:  # fmt: skip
        answer = post(rival, f"{path}/{action}", body)
        assert answer.status_code == 404, action
        assert answer.json()["error"] == "No such class."
    assert set(Game.objects.values_list("status", flat=True)) == {Game.Status.LOBBY}
    assert rival.get("/api/classes").json()["classes"] == []
    assert client.get("/api/classes").json()["classes"][0]["class"] == classroom.pk


def test_nobody_logged_in_or_a_plain_account_may_not(kim):
    _client, user = kim
    classroom = class_create(teacher=user, tables=1)
    assert Client().get("/api/classes").status_code == 401
    assert Client().get(f"/api/classes/{classroom.pk}").status_code == 401
    plain, _ = browser("visitor", teacher=False)
    assert plain.get(f"/api/classes/{classroom.pk}").status_code == 401
    assert post(plain, "/api/classes", {"tables": 1}).status_code == 401
    assert Classroom.objects.count() == 1


def test_staff_run_any_class(kim):
    _client, user = kim
    classroom = class_create(teacher=user, tables=2)
    staff, _ = browser("umpire", staff=True)
    answer = post(staff, f"/api/classes/{classroom.pk}/start")
    assert answer.json() == {"done": [1, 2], "skipped": {}}
    assert set(Game.objects.values_list("status", flat=True)) == {Game.Status.RUNNING}


def test_bulk_controls_on_chosen_tables_say_what_they_did(kim):
    client, user = kim
    classroom = class_create(teacher=user, tables=3, bots=True)
    for i in range(6):  # five at table 1, one at table 2: their turns stay open
        class_join(code=classroom.code, name=f"Student {i}")
    path = f"/api/classes/{classroom.pk}"
    assert post(client, f"{path}/start", {"tables": [1, 2]}).json() == {
        "done": [1, 2],
        "skipped": {},
    }
    paused = post(client, f"{path}/pause").json()
    assert paused["done"] == [1, 2] and set(paused["skipped"]) == {"3"}
    assert post(client, f"{path}/resume", {"tables": [2]}).json()["done"] == [2]
    sent = post(client, f"{path}/messages", {"text": "Five minutes left", "tables": [1, 3]})
    assert sent.json()["done"] == [1, 3]
    games = dict(classroom.tables.values_list("number", "game_id"))
    said = Message.objects.filter(text="Five minutes left").values_list("game_id", flat=True)
    assert sorted(said) == sorted([games[1], games[3]])
    injected = post(client, f"{path}/injects", {"title": "A typhoon closes the ports"})
    assert injected.json() == {
        "done": [1, 2],
        "skipped": {"3": "The game is lobby; injects need a running game."},
    }
    assert Inject.objects.filter(label="A typhoon closes the ports").count() == 2
    clocked = post(client, f"{path}/clock", {"minutes": 10, "tables": [2]}).json()
    assert clocked == {"done": [2], "skipped": {}}
    assert post(client, f"{path}/extend", {"minutes": 3, "tables": [2]}).json()["done"] == [2]
    finished = post(client, f"{path}/finish").json()
    assert finished["done"] == [1, 2, 3]


@pytest.mark.parametrize(
    ("action", "body", "words"),
    [
        ("start", {"tables": [1, 7]}, "no table 7"),
        ("clock", {}, "minutes"),
        ("clock", {"minutes": 0}, "minutes"),
        ("messages", {"text": "   "}, "message"),
        ("messages", {}, "text"),
        ("injects", {}, "title"),
        ("injects", {"inject": "no_such_event"}, "no scenario event"),
    ],
)
def test_bad_control_input_is_400_and_changes_no_table(kim, action, body, words):
    client, user = kim
    classroom = class_create(teacher=user, tables=2, bots=True)
    answer = post(client, f"/api/classes/{classroom.pk}/{action}", body)
    assert answer.status_code == 400, answer.content
    assert words in answer.json()["error"].lower()
    assert set(Game.objects.values_list("status", flat=True)) == {Game.Status.LOBBY}
    assert not Message.objects.exists() and not Inject.objects.exists()
