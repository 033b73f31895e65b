"""Staff accounts run any game from its console without a seat: opening the page (a GET)
writes nothing, and the console's API calls are the staff session's, CSRF-checked."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from players.models import Participant
from wargame.models import Game
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)


def staff_client(**kwargs) -> Client:
    user = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_opening_a_game_as_staff_shows_the_console_and_seats_no_one():
    """The GET renders the facilitator's console; no participant is written, so the
    facilitator's seat stays empty and nobody was made to run the game by a page view."""
    game, _codes = game_create(seed=1)
    client = staff_client()
    page = client.get(f"/games/{game.pk}/")
    assert page.status_code == 200
    assert b"Facilitator console" in page.content
    assert Participant.objects.filter(seat__game=game).count() == 0


def test_staff_run_the_game_through_the_api_with_the_csrf_token():
    """The console's start button: refused without the CSRF token, done with it."""
    game, _codes = game_create(seed=1)
    client = staff_client(enforce_csrf_checks=True)
    client.get(f"/games/{game.pk}/")  # sets the CSRF cookie, as the console does
    refused = client.post(f"/api/games/{game.pk}/start")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert Game.objects.get(pk=game.pk).status == Game.Status.LOBBY
    token = client.cookies["csrftoken"].value
    started = client.post(f"/api/games/{game.pk}/start", HTTP_X_CSRFTOKEN=token)
    assert started.status_code == 200, started.content
    assert Game.objects.get(pk=game.pk).status == Game.Status.RUNNING


def test_a_logged_in_account_that_is_not_staff_gets_no_console():
    """Logging in is not enough: a non-staff account without a seat is sent to join, and
    the API answers 401 as to anyone without credentials."""
    game, _codes = game_create(seed=1)
    user = get_user_model().objects.create_user("student", password="pw")
    client = Client()
    client.force_login(user)
    page = client.get(f"/games/{game.pk}/")
    assert page.status_code == 302 and page.url == "/join/"
    assert client.get(f"/api/games/{game.pk}").status_code == 401
    assert client.post(f"/api/games/{game.pk}/start").status_code == 401
