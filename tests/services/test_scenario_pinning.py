"""Games pin the exact scenario document they were created with (slug, version, hash)."""

import json

import pytest

from tests.support.random_games import play_random_game
from wargame.engine import loader
from wargame.engine.loader import DEFAULT_SLUG, load_document, released_hash
from wargame.errors import BadInput
from wargame.gamelog import replay
from wargame.models import Game, Scenario
from wargame.selectors import game_log
from wargame.services.games import game_create, game_force_resolve, game_start
from wargame.services.logs import game_fork, game_import
from wargame.services.scenarios import engine_scenario, scenario_install_document

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_game_pins_the_latest_release_and_ruleset_1():
    """No version asked for: the game plays version 2, stored with its hash."""
    game, _codes = game_create(seed=1)
    assert (game.scenario.slug, game.scenario.version) == (DEFAULT_SLUG, 2)
    assert game.scenario.content_hash == released_hash(DEFAULT_SLUG, 2)
    assert game.ruleset == 1
    assert engine_scenario(game.scenario).version == 2


def test_a_game_can_be_created_with_an_older_release():
    """scenario_version=1 pins version 1; both versions can run side by side."""
    old, _ = game_create(seed=1, scenario_version=1)
    new, _ = game_create(seed=1)
    assert (old.scenario.version, new.scenario.version) == (1, 2)
    assert "c5_reengaged" not in old.state["memory"]
    assert "c5_reengaged" in new.state["memory"]


def test_an_unknown_version_is_refused_listing_the_versions_and_writes_nothing():
    with pytest.raises(BadInput, match=r"has no version 4; it has 1, 2\."):
        game_create(seed=1, scenario_version=4)
    assert not Game.objects.exists()


def test_another_document_under_an_installed_version_is_refused_with_bump_the_version():
    """v1 is installed; someone offers an edited document that still says version 1. It
    is refused, nothing is written, and the installed row keeps its document."""
    game, _ = game_create(seed=1, scenario_version=1)
    document, digest = load_document(DEFAULT_SLUG, 1)
    edited = json.loads(json.dumps(document))
    edited["relation_cap"]["value"] = 12
    with pytest.raises(BadInput, match="bump the version"):
        scenario_install_document(document=edited, content_hash=loader.document_hash(edited))
    row = Scenario.objects.get(slug=DEFAULT_SLUG, version=1)
    assert row.content_hash == digest
    assert row.document["relation_cap"]["value"] == 8
    assert Scenario.objects.count() == 1


def test_a_running_game_plays_its_pinned_document_whatever_the_files_say(monkeypatch):
    """A v1 game is created; then the scenario files become unreadable (as if edited or
    removed). Its turns still resolve, from the document stored with the game, and its
    log verifies under v1."""
    game, _ = game_create(seed=1, scenario_version=1, turns=2)

    def no_files(*args, **kwargs):
        raise AssertionError("the game read a scenario file")

    monkeypatch.setattr(loader, "load_document", no_files)
    game_start(game_id=game.pk)
    for number in (1, 2):
        game_force_resolve(game_id=game.pk, turn_number=number)
    game.refresh_from_db()
    assert (game.status, game.current_turn) == ("finished", 2)
    monkeypatch.undo()
    assert replay(game_log(game))["verified"] is True


def test_the_log_names_version_hash_and_ruleset_and_imports_to_the_same_version():
    """A v1 game played to the end exports a log naming v1, its hash and ruleset 1; the
    import is pinned to v1 too, and a fork of it plays v1."""
    game = play_random_game(3, turns=3, scenario_version=1)
    log = game_log(game)
    assert (log["scenario_version"], log["ruleset"]) == (1, 1)
    assert log["scenario_hash"] == released_hash(DEFAULT_SLUG, 1)
    imported, _ = game_import(document=log)
    assert imported.scenario_id == game.scenario_id
    assert imported.ruleset == 1
    fork, _ = game_fork(game_id=imported.pk, turn=1)
    assert fork.scenario.version == 1


def _shortest_keys_first(value):
    """What PostgreSQL's jsonb does to a document: object keys by length, then bytes."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return {k: _shortest_keys_first(value[k]) for k in keys}
    if isinstance(value, list):
        return [_shortest_keys_first(v) for v in value]
    return value


def test_a_pinned_scenario_keeps_the_authored_order_whatever_the_column_does():
    """A row read back from jsonb has its keys reordered; the engine builds from the text
    kept beside it, so a turn is told in the same words as under the released file (else
    the game's log would not verify against the file)."""
    from wargame.engine import adjudicate
    from wargame.engine.loader import pinned_scenario, scenario_for_document

    document, digest = load_document(DEFAULT_SLUG, 1)
    row = Scenario(
        slug=DEFAULT_SLUG,
        version=1,
        document=_shortest_keys_first(document),
        document_text=json.dumps(document),
        content_hash=digest,
    )
    loader._BUILT.clear()
    pinned = pinned_scenario(row)
    loader._BUILT.clear()
    scrambled = scenario_for_document(_shortest_keys_first(document), digest)
    loader._BUILT.clear()
    released = loader.load_scenario(DEFAULT_SLUG, 1)
    moves = [{"role": "pyongyang", "action": "missile_test"}]
    told = [
        adjudicate(s.initial_state(), moves, seed=3, scenario=s).narrative
        for s in (pinned, released, scrambled)
    ]
    assert list(pinned.variables["scalars"]) == list(released.variables["scalars"])
    assert told[0] == told[1]
    assert told[2] != told[1]  # the reordered column alone would tell it differently
