"""Guessing is rate limited per client address: wrong passwords (django-axes), wrong join
codes (page and API) and unknown bearer tokens (API and socket)."""

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from players.models import Participant
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)


# Counts live in the shared cache (Redis on the full stack), which is never flushed here:
# each test guesses from addresses and at user names of its own.


def address() -> str:
    bits = secrets.randbits(24)
    return f"10.{bits >> 16}.{(bits >> 8) & 255}.{bits & 255}"


def browser() -> Client:
    return Client(REMOTE_ADDR=address())


def staff_user() -> str:
    name = f"facilitator-{secrets.token_hex(4)}"
    get_user_model().objects.create_user(name, password="right-horse-9", is_staff=True)
    return name


def test_forty_wrong_passwords_then_the_right_one_is_refused():
    """After the failure limit the right password logs nobody in, and the page says why."""
    name = staff_user()
    client = browser()
    for _ in range(40):
        client.post("/accounts/login/", {"username": name, "password": "wrong"})
    answer = client.post("/accounts/login/", {"username": name, "password": "right-horse-9"})
    assert answer.status_code == 429
    assert b"Too many failed logins" in answer.content
    assert "_auth_user_id" not in client.session


def test_a_locked_username_is_locked_from_another_address_too():
    """Spreading the guesses over addresses does not help: the username is locked."""
    name = staff_user()
    for _ in range(12):
        browser().post("/accounts/login/", {"username": name, "password": "wrong"})
    answer = browser().post("/accounts/login/", {"username": name, "password": "right-horse-9"})
    assert answer.status_code == 429


def test_a_few_wrong_passwords_do_not_lock_out():
    """Three typos, then the right password: logged in."""
    name = staff_user()
    client = browser()
    for _ in range(3):
        client.post("/accounts/login/", {"username": name, "password": "wrong"})
    answer = client.post("/accounts/login/", {"username": name, "password": "right-horse-9"})
    assert answer.status_code == 302
    assert client.session["_auth_user_id"]


def test_wrong_join_codes_on_the_api_then_a_right_one_is_429():
    """Past the limit, even the right code answers 429 JSON, and seats nobody."""
    game, codes = game_create(seed=1)
    client = browser()
    for _ in range(25):
        client.post("/api/join", {"code": "WRONGONE", "name": "x"}, content_type="application/json")
    answer = client.post(
        "/api/join", {"code": codes["seoul"], "name": "Ada"}, content_type="application/json"
    )
    assert answer.status_code == 429
    assert answer.json()["code"] == "throttled"
    assert "wrong join codes" in answer.json()["error"]
    assert not Participant.objects.filter(seat__game=game).exists()
    other = browser().post(
        "/api/join", {"code": codes["seoul"], "name": "Ada"}, content_type="application/json"
    )
    assert other.status_code == 200


def test_right_join_codes_are_never_throttled():
    """A class of thirty joining from one address is not slowed down."""
    game, codes = game_create(seed=1)
    client = browser()
    for n in range(30):
        answer = client.post(
            "/api/join", {"code": codes["seoul"], "name": f"s{n}"}, content_type="application/json"
        )
        assert answer.status_code == 200


def test_wrong_join_codes_on_the_page_give_a_readable_429():
    """The join form says to wait, with status 429, and seats nobody."""
    game, codes = game_create(seed=1)
    client = browser()
    for _ in range(25):
        client.post("/join/", {"code": "WRONGONE", "name": "x"})
    answer = client.post("/join/", {"code": codes["seoul"], "name": "Ada"})
    assert answer.status_code == 429
    assert b"Too many wrong join codes" in answer.content
    assert not Participant.objects.filter(seat__game=game).exists()


def test_unknown_bearer_tokens_are_throttled_then_a_good_one_is_429():
    """Guessing tokens: after the limit, a valid token from that address gets 429 too."""
    game, codes = game_create(seed=1)
    token = (
        browser()
        .post("/api/join", {"code": codes["seoul"], "name": "A"}, content_type="application/json")
        .json()["token"]
    )
    client = browser()
    for n in range(25):
        client.get(f"/api/games/{game.pk}", HTTP_AUTHORIZATION=f"Bearer guess{n}")
    answer = client.get(f"/api/games/{game.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 429
    assert answer.json()["code"] == "throttled"
    fine = browser().get(f"/api/games/{game.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert fine.status_code == 200
