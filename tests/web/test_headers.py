"""Headers and small doors: Content-Security-Policy, Permissions-Policy and no-store on
what carries secrets; the anonymous front page lists no games."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)


def seated(game, codes, role="seoul") -> Client:
    client = Client()
    answer = client.post("/join/", {"code": codes[role], "name": "Ada"})
    assert answer.status_code == 302
    return client


def test_pages_carry_a_strict_content_security_policy():
    """No inline script, no foreign scripts, no framing, forms post only here."""
    game, codes = game_create(seed=1)
    page = seated(game, codes).get(f"/games/{game.pk}/")
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy


def test_the_seats_page_and_api_answers_are_not_stored():
    """The player's page (with its own moves) and the API's answers: Cache-Control no-store,
    and a Permissions-Policy that grants no camera, microphone or location."""
    game, codes = game_create(seed=1)
    browser = seated(game, codes)
    page = browser.get(f"/games/{game.pk}/")
    token = (
        Client()
        .post("/api/join", {"code": codes["seoul"], "name": "B"}, content_type="application/json")
        .json()["token"]
    )
    api = Client().get(f"/api/games/{game.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    events = Client().get(f"/api/games/{game.pk}/events", HTTP_AUTHORIZATION=f"Bearer {token}")
    for answer in (page, api, events):
        assert answer.status_code == 200
        assert answer["Cache-Control"] == "no-store"
        assert "camera=()" in answer["Permissions-Policy"]
        assert "microphone=()" in answer["Permissions-Policy"]
        assert "geolocation=()" in answer["Permissions-Policy"]


def test_the_join_answer_with_its_token_is_not_stored():
    """POST /api/join answers the seat's token: no-store."""
    game, codes = game_create(seed=1)
    answer = Client().post(
        "/api/join", {"code": codes["seoul"], "name": "B"}, content_type="application/json"
    )
    assert answer["Cache-Control"] == "no-store"


def test_anonymous_home_page_lists_no_games_and_staff_see_them():
    """A visitor learns no game's title or progress from the front page; staff do."""
    game_create(seed=1, title="Class 3B exercise")
    anonymous = Client().get("/")
    assert anonymous.status_code == 200
    assert b"Class 3B exercise" not in anonymous.content
    assert b"/games/" not in anonymous.content
    user = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    staff = Client()
    staff.force_login(user)
    assert b"Class 3B exercise" in staff.get("/").content


def test_a_joined_seat_does_not_see_the_games_list_either():
    """Holding a seat in one game does not reveal the others on the front page."""
    game_create(seed=2, title="Another class")
    game, codes = game_create(seed=1, title="Mine")
    browser = seated(game, codes)
    assert b"Another class" not in browser.get("/").content
