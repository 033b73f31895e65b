"""A log replays under the scenario version, content hash and engine ruleset it names."""

import copy
import json
from pathlib import Path

import pytest

from wargame.engine.loader import DEFAULT_SLUG, released_hash
from wargame.gamelog import LogError, check_log, replay

GOLDEN_V1 = Path(__file__).parent / "golden" / "lips-and-teeth-2025-v1.json"


@pytest.fixture
def v1_log() -> dict:
    """The ten-turn log recorded under version 1 before version 2 existed."""
    return json.loads(GOLDEN_V1.read_text(encoding="utf-8"))


def test_a_v1_log_replays_under_v1_after_v2_is_released(v1_log):
    """The latest release is 2, but the log says 1: it is re-adjudicated with v1 and
    every turn matches its record."""
    report = replay(v1_log)
    assert (report["scenario_version"], report["verified"]) == (1, True)
    assert report["scenario_hash"] == released_hash(DEFAULT_SLUG, 1)
    assert report["ruleset"] == 1


def test_a_log_without_a_hash_is_read_with_the_released_document_of_its_version(v1_log):
    """Logs written before hashes were recorded name only the version: still verified."""
    v1_log.pop("scenario_hash", None)
    assert replay(v1_log)["verified"] is True


def test_a_log_naming_no_version_means_version_1(v1_log):
    """Before versions were recorded every game was played with version 1 (the only one),
    so an unversioned log still verifies instead of being read with the latest rules."""
    for key in ("scenario_version", "scenario_hash", "ruleset"):
        v1_log.pop(key, None)
    report = replay(v1_log)
    assert (report["scenario_version"], report["verified"]) == (1, True)


def test_a_log_whose_hash_is_not_the_released_one_is_refused_at_scenario_hash(v1_log):
    """The log was played with some other document under the name v1: refused, naming
    the field and both hashes, rather than replayed under rules it was not played with."""
    v1_log["scenario_hash"] = "0" * 64
    with pytest.raises(LogError) as refused:
        check_log(v1_log)
    assert refused.value.path == "$.scenario_hash"
    assert released_hash(DEFAULT_SLUG, 1) in refused.value.detail


def test_a_log_of_an_unknown_version_is_refused_naming_the_versions_there_are(v1_log):
    v1_log["scenario_version"] = 7
    v1_log.pop("scenario_hash", None)
    with pytest.raises(LogError, match=r"^\$\.scenario_version: .*has no version 7; it has 1, 2"):
        check_log(v1_log)


def test_a_log_of_an_unknown_ruleset_is_refused_at_ruleset(v1_log):
    """A log from an engine with a ruleset this one lacks is refused with a message."""
    v1_log["ruleset"] = 5
    with pytest.raises(LogError, match=r"^\$\.ruleset: unknown engine ruleset 5; this engine"):
        check_log(v1_log)


def test_the_v1_log_read_as_v2_no_longer_verifies(v1_log):
    """Relabelled as version 2 the same moves give other outcomes: the version a log
    names decides its rules, so it must never be guessed."""
    relabelled = copy.deepcopy(v1_log)
    relabelled["scenario_version"] = 2
    relabelled.pop("scenario_hash", None)
    report = replay(relabelled)
    assert report["verified"] is False
