"""The browser pages, server side: joining, who sees which page, what is embedded, and a
bounded number of queries whatever the game's length."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.properties.test_query_counts import add_messages
from wargame.models import Game
from wargame.services.games import game_create, game_start
from wargame.services.moves import move_submit

pytestmark = pytest.mark.django_db(transaction=True)


def join(client, code, name="Ada"):
    return client.post("/join/", {"code": code, "name": name})


def embedded(response) -> dict:
    """The JSON a page embeds for its script."""
    html = response.content.decode()
    found = re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_join_page_seats_a_player_and_lands_on_their_page(client):
    """A good code and a name: redirected to the game, which shows that capital's page."""
    game, codes = game_create(seed=1)
    response = join(client, codes["seoul"])
    assert response.status_code == 302 and response.url == f"/games/{game.pk}/"
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"Briefing: Seoul" in page.content
    assert embedded(page)["seat"] == {"role": "seoul", "name": "Ada"}


def test_join_link_prefills_the_code(client):
    """/join/<code>/ puts the code in the form: the player only types a name."""
    _, codes = game_create(seed=1)
    page = client.get(f"/join/{codes['beijing']}/")
    assert codes["beijing"].encode() in page.content


def test_a_wrong_code_says_so_and_seats_no_one(client):
    """A mistyped code gets the form back with a message, status 400."""
    game_create(seed=1)
    response = join(client, "NOPE1234")
    assert response.status_code == 400
    assert b"does not open any seat" in response.content


def test_a_blank_name_is_refused(client):
    _, codes = game_create(seed=1)
    response = join(client, codes["seoul"], name="   ")
    assert response.status_code == 400


def test_without_a_seat_the_game_page_sends_you_to_join(client):
    game, _ = game_create(seed=1)
    response = client.get(f"/games/{game.pk}/")
    assert response.status_code == 302 and response.url == "/join/"


def test_a_seat_in_one_game_cannot_open_another(client):
    """Seated in game A, game B's page is a redirect to join, never B's data."""
    _, codes_a = game_create(seed=1)
    game_b, _ = game_create(seed=2)
    join(client, codes_a["seoul"])
    response = client.get(f"/games/{game_b.pk}/")
    assert response.status_code == 302


def test_staff_open_the_console_without_a_code(client):
    """A logged-in facilitator account goes straight to the console of any game."""
    user = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    client.force_login(user)
    game, codes = game_create(seed=1)
    page = client.get(f"/games/{game.pk}/")
    assert page.status_code == 200
    assert b"Facilitator console" in page.content
    data = embedded(page)
    assert {s["role"]: s["code"] for s in data["seats"]}["seoul"] == codes["seoul"]


def test_facilitate_page_needs_a_staff_login_and_creates_games(client):
    assert client.get("/facilitate/").status_code == 302
    user = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    client.force_login(user)
    response = client.post("/facilitate/", {"title": "Class A", "turns": 3, "bots": ["moscow"]})
    assert response.status_code == 302
    console = client.get(response.url)
    assert b"Class A" in console.content


def test_player_page_embeds_no_secret(client):
    """Pyongyang's page, while Beijing's move is secret: neither its action, its rationale
    nor the seed appear anywhere in the HTML."""
    game, codes = game_create(seed=987654321)
    game_start(game_id=game.pk)
    move_submit(
        game_id=game.pk,
        role="beijing",
        action="host_summit_pyongyang",
        target=None,
        rationale="SECRET-RATIONALE",
    )
    join(client, codes["pyongyang"])
    html = client.get(f"/games/{game.pk}/").content.decode()
    for secret in ("SECRET-RATIONALE", "host_summit_pyongyang", "987654321"):
        assert secret not in html
    assert '"moved": ["beijing"]' in html


@pytest.mark.parametrize("seat", ["seoul", "facilitator"])
def test_pages_cost_the_same_at_turn_1_and_turn_10_with_1000_messages(client, seat):
    """The player page and the console: the same number of queries for a 1-turn game and
    for a 10-turn game with 1,000 messages."""
    counts = []
    for turns, messages in ((1, 0), (10, 1000)):
        game, codes = game_played_without_seoul(turns, messages)
        client.cookies.clear()
        join(client, codes[seat] if seat != "facilitator" else codes["facilitator"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/games/{game.pk}/")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 25


def game_played_without_seoul(turns: int, messages: int):
    """Bots play four capitals and lock at once; Seoul's seat has no one yet, so every turn
    resolves as it opens and the game runs to its end; then `messages` are added."""
    game, codes = game_create(
        seed=3, turns=turns, bots=["beijing", "pyongyang", "washington", "moscow"]
    )
    game_start(game_id=game.pk)
    game = Game.objects.get(pk=game.pk)
    assert game.current_turn == turns
    add_messages(game, messages, turns)
    return Game.objects.get(pk=game.pk), codes
