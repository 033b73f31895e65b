"""Historical episodes from docs/scenario-2025.md, as scripted logs run through `replay`.

Each script (tests/engine/episodes/) replays one sequence of moves the commentary cites;
the seed is the one under which the dice fall as history did. The test checks what the
commentary says followed, through the CLI (`replay --json`) a user would run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

EPISODES = Path(__file__).parent / "episodes"


@pytest.fixture
def replayed(capsys):
    def run(name: str) -> dict:
        call_command("replay", str(EPISODES / f"{name}.json"), "--json")
        return json.loads(capsys.readouterr().out)

    return run


def changed(report: dict, var: str, *, turn: int) -> int:
    """Change of `var` over turn `turn` (1-based) of the replay."""

    def value(state):
        head, _, tail = var.partition(".")
        return state[head][tail] if tail else state[head]

    after = value(report["turns"][turn - 1]["state"])
    if turn == 1:
        from wargame.engine.loader import load_scenario

        before = value(load_scenario().initial_state())
    else:
        before = value(report["turns"][turn - 2]["state"])
    return after - before


def rules_fired(report: dict, turn: int) -> set[str]:
    return {r["rule"] for r in report["turns"][turn - 1]["fired_rules"] if r["succeeded"]}


def test_2017_sixth_test_brings_washington_and_beijing_together_on_sanctions(replayed):
    """September 2017: the sixth nuclear test; then UNSC 2375, agreed by Washington and
    Beijing. Sanctions tighten twice, the DPRK economy falls, Beijing-Pyongyang cools and
    Beijing-Washington warms on that file (C7)."""
    report = replayed("2017-sixth-test-unsc-2375")
    assert report["verified"] is None  # a script: nothing recorded to verify
    assert "c7_nuclear_test" in rules_fired(report, 1)
    assert "unsc_resolution" in report["turns"][1]["events"]
    for turn in (1, 2):
        assert changed(report, "sanctions_enforcement", turn=turn) > 0
        assert changed(report, "dprk_economy", turn=turn) < 0
        assert changed(report, "relations.beijing-washington", turn=turn) > 0
    assert changed(report, "relations.beijing-pyongyang", turn=1) < 0
    assert changed(report, "tension", turn=1) >= 10


def test_2018_talks_raise_china_passing_and_beijing_answers_with_a_summit(replayed):
    """2018: US-DPRK talks open without China; 'China passing' jumps; Beijing ends a
    seven-year summit hiatus with Kim and courts Seoul as in 1994 (C4, C5, C18)."""
    report = replayed("2018-summits-and-kims-trips-to-china")
    assert report["turns"][0]["events"] == ["us_dprk_talks"]
    assert report["turns"][0]["state"]["us_dprk_dialogue"] == "talks"
    assert changed(report, "china_passing", turn=1) > 10
    assert "prc_dprk_summit" in report["turns"][1]["events"]
    assert "c5_beijing_reengages_when_passed" in rules_fired(report, 2)
    assert "c5_beijing_courts_seoul" in rules_fired(report, 2)
    assert changed(report, "relations.beijing-pyongyang", turn=2) > 0
    assert changed(report, "china_passing", turn=2) < 0


def test_2019_hanoi_no_deal_makes_beijing_the_hedge(replayed):
    """2018-19: Singapore opens talks; the Hanoi summit ends with no deal; the next month
    Pyongyang's outreach to Beijing is worth more (C4, C8)."""
    report = replayed("2019-hanoi-no-deal")
    assert "us_dprk_talks" in report["turns"][0]["events"]
    assert "us_dprk_no_deal" in report["turns"][1]["events"]
    assert report["turns"][1]["state"]["us_dprk_dialogue"] == "talks"
    assert changed(report, "relations.pyongyang-washington", turn=2) < 0
    assert "c8_hedge_after_failed_talks" in rules_fired(report, 3)
    assert changed(report, "relations.beijing-pyongyang", turn=3) > 0


def test_2024_alignment_with_moscow_and_a_launch_timed_to_a_summit(replayed):
    """2024: DPRK-Russia military alignment cools Beijing; in May a satellite launch is
    timed to a neighbours' summit and Pyongyang criticises Beijing (C3, C15, C16)."""
    report = replayed("2024-satellite-launch-at-trilateral")
    assert changed(report, "dprk_russia_military", turn=1) > 0
    assert "c3_russia_drift_cools_beijing" in rules_fired(report, 1)
    assert "trilateral_summit" in report["turns"][1]["events"]
    assert "c16_timed_provocation" in rules_fired(report, 2)
    assert changed(report, "tension", turn=2) > 0
    assert changed(report, "relations.beijing-pyongyang", turn=2) < 0
