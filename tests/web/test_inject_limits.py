"""Issue 9, item 10: a facilitator cannot make a game's own log unverifiable.

Injects of `add: 2**70` or 10,000 effects used to be accepted, and the game's log then
failed `replay --verify` and import. Now the API refuses them (400 naming the limit), and
a game played to the limits exports a log that verifies and imports.
"""

from __future__ import annotations

import json

import pytest

from tests.web.test_api_game import django_call
from wargame.gamelog import replay
from wargame.models import Inject
from wargame.policy import limits
from wargame.services.games import game_create
from wargame.services.logs import log_import

pytestmark = pytest.mark.django_db


def started(client):
    game, codes = game_create(turns=2, bots=["seoul", "beijing", "pyongyang", "washington"])
    call = django_call(client)
    tokens = {}
    for seat in ("facilitator", "moscow"):
        status, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        assert status == 200, body
        tokens[seat] = body["token"]
    assert call("POST", f"/api/games/{game.pk}/start", {}, tokens["facilitator"])[0] == 200
    return game, call, tokens


@pytest.mark.parametrize(
    ("effects", "named"),
    [
        ([{"var": "tension", "add": 2**70}], "1000"),
        ([{"var": "tension", "add_roll": [0, 2**70]}], "1000"),
        ([{"var": "tension", "add": 1}] * 10_000, str(limits.EFFECTS_PER_INJECT)),
    ],
    ids=["add 2**70", "add_roll 2**70", "10,000 effects"],
)
def test_an_inject_beyond_the_limits_is_refused_naming_the_limit(client, effects, named):
    """400 with a JSON error naming the limit, and nothing is stored."""
    game, call, tokens = started(client)
    status, body = call(
        "POST",
        f"/api/games/{game.pk}/injects",
        {"label": "Too much", "effects": effects},
        tokens["facilitator"],
    )
    assert status == 400, body
    assert set(body) >= {"error", "code"}
    assert named in json.dumps(body)
    assert not Inject.objects.filter(game=game).exists()


@pytest.mark.django_db(transaction=True)
def test_a_game_played_to_the_limits_exports_a_log_that_verifies_and_imports(client):
    """The largest injects the API takes still give a log that replays and imports."""
    game, call, tokens = started(client)
    effects = [{"var": "tension", "add": limits.EFFECT_MAGNITUDE}] * limits.EFFECTS_PER_INJECT
    status, body = call(
        "POST",
        f"/api/games/{game.pk}/injects",
        {"label": "L" * limits.INJECT_LABEL_CHARS, "effects": effects},
        tokens["facilitator"],
    )
    assert status == 201, body
    assert call("POST", f"/api/games/{game.pk}/lock", {}, tokens["moscow"])[0] == 200
    status, log = call("GET", f"/api/games/{game.pk}/log", None, tokens["facilitator"])
    assert status == 200 and log["turns"], log
    assert replay(log)["verified"] is True
    imported, _ = log_import(raw=json.dumps(log).encode())
    assert imported.read_only
