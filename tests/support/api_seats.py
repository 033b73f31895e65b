"""Games with every seat taken through the public API, for tests that act as the seats."""

from __future__ import annotations

from django.test import Client

from tests.support.scripted_game import ROLES
from tests.web.test_api_game import django_call
from wargame.services.games import game_create


def http(method, path, body=None, token=None):
    """One API call with Django's test client: (status, JSON body)."""
    return django_call(Client())(method, path, body, token)


def seated_game(*, seed: int, title: str, start: bool = True) -> tuple[int, dict[str, str]]:
    """A game with every seat joined through POST /api/join, started by its facilitator
    unless `start=False`: (game id, {seat: token}) for the roles, facilitator, observer."""
    game, codes = game_create(seed=seed, title=title)
    tokens = {}
    for seat in [*ROLES, "facilitator", "observer"]:
        status, body = http("POST", "/api/join", {"code": codes[seat], "name": seat})
        assert status == 200, body
        tokens[seat] = body["token"]
    if start:
        status, body = http("POST", f"/api/games/{game.pk}/start", token=tokens["facilitator"])
        assert status == 200, body
    return game.pk, tokens
