"""The CLI names scenario versions: create_game --scenario-version, load_scenario, replay."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wargame.engine.loader import released_hash
from wargame.models import Game, Scenario

pytestmark = pytest.mark.django_db(transaction=True)

GOLDEN_V1 = Path(__file__).parents[1] / "gamelog" / "golden" / "lips-and-teeth-2025-v1.json"


def test_create_game_with_scenario_version_1_pins_version_1():
    """create_game --scenario-version 1 --json: the game is pinned to v1 and says so."""
    out = StringIO()
    call_command("create_game", "--scenario-version", "1", "--json", stdout=out)
    game = Game.objects.get(pk=json.loads(out.getvalue())["game"])
    assert game.scenario.version == 1


def test_create_game_without_a_version_plays_the_latest_and_prints_it():
    out = StringIO()
    call_command("create_game", "--turns", "2", stdout=out)
    assert "lips-and-teeth-2025 v2" in out.getvalue()


def test_create_game_with_an_unknown_version_exits_2_naming_the_versions():
    """A version the repository does not keep: exit code 2, a line listing 1 and 2."""
    with pytest.raises(CommandError, match=r"has no version 3; it has 1, 2\.") as refused:
        call_command("create_game", "--scenario-version", "3", stdout=StringIO())
    assert refused.value.returncode == 2
    assert not Game.objects.exists()


def test_load_scenario_installs_the_version_asked_for_and_prints_its_hash():
    out = StringIO()
    call_command("load_scenario", "--scenario-version", "1", stdout=out)
    assert released_hash("lips-and-teeth-2025", 1) in out.getvalue()
    assert list(Scenario.objects.values_list("version", flat=True)) == [1]


def test_replay_says_which_version_and_ruleset_it_replayed_under():
    """replay FILE --verify on the v1 golden log: stderr names v1 and ruleset 1."""
    err = StringIO()
    call_command("replay", str(GOLDEN_V1), "--verify", stdout=StringIO(), stderr=err)
    assert "lips-and-teeth-2025 v1" in err.getvalue()
    assert "engine ruleset 1" in err.getvalue()
