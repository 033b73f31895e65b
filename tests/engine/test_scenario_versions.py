"""Released scenario versions: every one kept, each loaded by number, none changed in place."""

import json
import shutil

import pytest

from wargame.engine import ScenarioError, loader
from wargame.engine.loader import (
    DEFAULT_SLUG,
    SCENARIO_DIR,
    UnknownScenario,
    UnreleasedScenario,
    document_hash,
    latest_version,
    load_document,
    load_scenario,
    released_hash,
    versions_of,
)


@pytest.fixture
def scenario_dir(tmp_path, monkeypatch):
    """A copy of wargame/scenarios/ the loader reads instead, safe to edit."""
    copy = tmp_path / "scenarios"
    shutil.copytree(SCENARIO_DIR, copy)
    monkeypatch.setattr(loader, "SCENARIO_DIR", copy)
    load_document.cache_clear()
    yield copy
    load_document.cache_clear()


def test_the_repository_keeps_versions_1_and_2_and_the_latest_is_the_default():
    """load_scenario(slug) is the newest release; load_scenario(slug, 1) the first."""
    assert versions_of(DEFAULT_SLUG) == [1, 2]
    assert latest_version(DEFAULT_SLUG) == 2
    assert load_scenario().version == 2
    assert load_scenario(DEFAULT_SLUG, 1).version == 1


def test_every_kept_version_matches_its_released_hash():
    """Each file's sha256 is the one recorded when it was released (released.json)."""
    for version in versions_of(DEFAULT_SLUG):
        scenario = load_scenario(DEFAULT_SLUG, version)
        assert scenario.content_hash == released_hash(DEFAULT_SLUG, version)
        assert scenario.content_hash == document_hash(scenario.raw)


def test_an_unknown_version_names_the_versions_there_are():
    """Version 9 does not exist: the error lists 1 and 2."""
    with pytest.raises(UnknownScenario, match=r"has no version 9; it has 1, 2\."):
        load_scenario(DEFAULT_SLUG, 9)


def test_an_unknown_slug_names_the_scenarios_there_are():
    with pytest.raises(
        UnknownScenario,
        match=r"No scenario 'atlantis'\. Available: gyeongju-rehearsal, lips-and-teeth-2025$",
    ):
        load_scenario("atlantis")


def test_a_released_version_edited_in_place_is_refused_with_bump_the_version(scenario_dir):
    """Someone changes one effect of v1 and keeps "version": 1. Loading it is refused, and
    the message says to save the change as a new version instead."""
    path = scenario_dir / DEFAULT_SLUG / "v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["relation_cap"]["value"] = 9
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UnreleasedScenario, match=r"has changed since version 1 was released"):
        load_scenario(DEFAULT_SLUG, 1)
    with pytest.raises(ScenarioError, match=r"bump the version \(save it as v3\.json\)"):
        load_scenario(DEFAULT_SLUG, 1)


def test_a_reformatted_released_version_still_loads(scenario_dir):
    """Whitespace and key order are not content: the hash is of the canonical JSON."""
    path = scenario_dir / DEFAULT_SLUG / "v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(dict(reversed(document.items())), indent=4), encoding="utf-8")
    assert load_scenario(DEFAULT_SLUG, 1).content_hash == released_hash(DEFAULT_SLUG, 1)


def test_a_version_without_a_released_hash_is_refused_naming_its_hash(scenario_dir):
    """A v3.json dropped in without a record in released.json is not playable; the message
    gives the hash to record."""
    folder = scenario_dir / DEFAULT_SLUG
    document = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    document["version"] = 3
    (folder / "v3.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(
        UnreleasedScenario,
        match=rf"v3 is not released: record its sha256 "
        rf"{document_hash(document)}",
    ):
        load_scenario()


def test_a_file_whose_version_disagrees_with_its_name_is_refused(scenario_dir):
    """v2.json that says "version": 1 inside is a copy mistake, not a release."""
    folder = scenario_dir / DEFAULT_SLUG
    (folder / "v2.json").write_text((folder / "v1.json").read_text(encoding="utf-8"))
    with pytest.raises(ScenarioError, match=r"says slug 'lips-and-teeth-2025' version 1; the file"):
        load_scenario(DEFAULT_SLUG, 2)


def test_a_pinned_document_edited_after_pinning_is_refused(monkeypatch):
    """A game row's document edited behind the service's back no longer matches its hash:
    a process that has not built that hash yet refuses it (one that has plays the pinned
    rules it built, never the edited ones)."""
    document = json.loads(json.dumps(load_scenario(DEFAULT_SLUG, 1).raw))
    document["relation_cap"]["value"] = 20
    monkeypatch.setattr(loader, "_BUILT", {})
    with pytest.raises(ScenarioError, match="not the .* it was pinned with"):
        loader.scenario_for_document(document, released_hash(DEFAULT_SLUG, 1))
