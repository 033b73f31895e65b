"""Cross-site request forgery: every unsafe API request made with a browser's session
needs the CSRF token; bearer-token requests do not; a join from another site is refused
(a forced join would seat the visitor's browser in the attacker's game)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from players.models import Participant
from wargame.models import Classroom, Game, GameEvent
from wargame.services.classes import class_create
from wargame.services.games import game_create
from wargame.web.api import api

pytestmark = pytest.mark.django_db(transaction=True)

EVIL = "http://127.0.0.1:9999"  # another port of the same host: another origin


def staff_browser() -> Client:
    user = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def forged(client: Client, path: str, body: str = "{}"):
    """What a page on another origin can send without a preflight: a text/plain POST."""
    return client.post(path, data=body, content_type="text/plain", HTTP_ORIGIN=EVIL)


def test_forged_create_game_is_refused_and_creates_nothing():
    """POST /api/games from another origin with the staff session: 403, no game."""
    client = staff_browser()
    answer = forged(client, "/api/games", json.dumps({"title": "forged"}))
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["error"]
    assert not Game.objects.filter(title="forged").exists()


def test_forged_import_is_refused_and_imports_nothing():
    """POST /api/games/import with a text/plain log from another origin: 403, no game."""
    client = staff_browser()
    before = Game.objects.count()
    log = json.dumps({"format": "lips-and-teeth/log", "turns": []})
    answer = forged(client, "/api/games/import", log)
    assert answer.status_code == 403
    assert answer.json()["code"] == "csrf"
    assert Game.objects.count() == before


def test_create_game_with_the_token_from_the_site_works():
    """The console's own request (same origin, X-CSRFToken) creates the game."""
    client = staff_browser()
    client.get("/facilitate/")
    token = client.cookies["csrftoken"].value
    answer = client.post(
        "/api/games",
        data={"title": "mine"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="http://testserver",
    )
    assert answer.status_code == 200, answer.content
    assert Game.objects.filter(title="mine").exists()


def unsafe_paths(game_id: int, class_id: int) -> list[tuple[str, str]]:
    """Every unsafe API operation, with its ids filled in (join and the staff-only
    creation endpoints are tested on their own above)."""
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    if method in ("GET", "HEAD", "OPTIONS"):
                        continue
                    url = "/api" + prefix.rstrip("/") + path
                    url = url.replace("{game_id}", str(game_id))
                    url = url.replace("{class_id}", str(class_id))
                    found.append((method, url.replace("{move_id}", "1")))
    return [(m, u) for m, u in found if u not in ("/api/join", "/api/games", "/api/games/import")]


def test_every_unsafe_endpoint_refuses_the_staff_session_without_the_token():
    """Start, pause, inject, review, observers, ...: each answers 403 to the staff session
    without the CSRF token, and writes no event."""
    game, _codes = game_create(seed=3)
    teacher = get_user_model().objects.create_user("ms-kim", password="pw")
    classroom = class_create(teacher=teacher, tables=2)
    client = staff_browser()
    paths = unsafe_paths(game.pk, classroom.pk)
    assert len(paths) >= 12
    assert ("POST", f"/api/classes/{classroom.pk}/start") in paths
    events = GameEvent.objects.count()
    for method, url in paths:
        answer = client.generic(method, url, data="{}", content_type="text/plain", HTTP_ORIGIN=EVIL)
        assert answer.status_code == 403, (method, url, answer.content)
    assert GameEvent.objects.count() == events
    assert set(Game.objects.values_list("status", flat=True)) == {Game.Status.LOBBY}
    assert Classroom.objects.count() == 1


def test_a_seat_session_needs_the_token_and_a_bearer_token_does_not():
    """A browser seated by the join page may not be made to lock by another site; the
    same seat's bearer token locks without any CSRF token."""
    game, codes = game_create(seed=4)
    fac = Client().post(
        "/api/join", {"code": codes["facilitator"], "name": "F"}, content_type="application/json"
    )
    Client().post(f"/api/games/{game.pk}/start", HTTP_AUTHORIZATION=f"Bearer {fac.json()['token']}")
    browser = Client(enforce_csrf_checks=True)
    browser.get("/join/")
    token = browser.cookies["csrftoken"].value
    form = {"code": codes["seoul"], "name": "Ada", "csrfmiddlewaretoken": token}
    joined = browser.post("/join/", form)
    assert joined.status_code == 302
    answer = forged(browser, f"/api/games/{game.pk}/lock")
    assert answer.status_code == 403
    script = Client(enforce_csrf_checks=True)
    bearer = script.post(
        "/api/join", {"code": codes["seoul"], "name": "Bot"}, content_type="application/json"
    ).json()["token"]
    locked = script.post(f"/api/games/{game.pk}/lock", HTTP_AUTHORIZATION=f"Bearer {bearer}")
    assert locked.status_code == 200, locked.content


def test_forced_join_from_another_site_is_refused_and_sets_no_cookie():
    """A text/plain POST /api/join from another origin seats nobody and sets no session."""
    game, codes = game_create(seed=5)
    browser = Client(enforce_csrf_checks=True)
    body = json.dumps({"code": codes["seoul"], "name": "Victim"})
    answer = forged(browser, "/api/join", body)
    assert answer.status_code == 403
    assert "sessionid" not in answer.cookies
    assert not Participant.objects.filter(seat__game=game).exists()


def test_scripts_join_without_origin_and_the_site_with_its_token():
    """A script (no Origin, no cookie) joins as before; a same-origin page with the CSRF
    token joins too."""
    game, codes = game_create(seed=6)
    script = Client(enforce_csrf_checks=True).post(
        "/api/join", {"code": codes["seoul"], "name": "Bot"}, content_type="application/json"
    )
    assert script.status_code == 200 and script.json()["token"]
    page = Client(enforce_csrf_checks=True)
    page.get("/join/")
    answer = page.post(
        "/api/join",
        {"code": codes["beijing"], "name": "Li"},
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
        HTTP_X_CSRFTOKEN=page.cookies["csrftoken"].value,
    )
    assert answer.status_code == 200, answer.content
