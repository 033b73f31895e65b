"""The log's optional per-turn "bots" list (docs/log-format.md): which roles a bot played.
Additive: old logs have none and still verify; a log with one verifies, imports with it
and exports it again; a role that is not the scenario's is refused by its path."""

from __future__ import annotations

import pytest

from tests.support.scripted_game import ROLES
from wargame.errors import BadInput
from wargame.gamelog import replay
from wargame.selectors import game_log
from wargame.services.games import game_create, game_start
from wargame.services.logs import game_import

pytestmark = pytest.mark.django_db(transaction=True)


def bot_game_log() -> dict:
    """Two bots and three empty seats: the bots lock at once, each turn resolves by
    itself (eager tasks), and the game ends after two turns."""
    game, _codes = game_create(seed=11, turns=2, bots=ROLES[:2])
    game_start(game_id=game.pk)
    game.refresh_from_db()
    assert game.status == "finished"
    return game_log(game)


def test_bot_turns_are_listed_verify_and_survive_an_import():
    log = bot_game_log()
    assert [t.get("bots") for t in log["turns"]] == [sorted(ROLES[:2])] * 2
    assert replay(log)["verified"] is True
    imported, _codes = game_import(document=log)
    assert [t.get("bots") for t in game_log(imported)["turns"]] == [sorted(ROLES[:2])] * 2


def test_a_bots_entry_that_is_no_role_is_refused_by_its_path():
    log = bot_game_log()
    log["turns"][1]["bots"] = ["tokyo"]
    with pytest.raises(BadInput, match=r"\$\.turns\[1\]\.bots\[0\]"):
        game_import(document=log)
