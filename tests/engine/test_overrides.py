"""An umpire's override, as the engine applies it (issue "Live play a first-time player
understands", item 1). From ruleset 3 an override is part of the adjudication: a move the
umpire marks failed takes its rules' failure branch and loses its effects (unless the
umpire keeps them), and the narrative is told from the final result. Rulesets 1 and 2
keep laying the override over the finished turn, as their games were played."""

from __future__ import annotations

import pytest

from wargame.engine import adjudicate, adjudicate_overridden
from wargame.engine.loader import load_scenario
from wargame.gamelog import adjudicate_turn

SEED = "0123456789abcdef0123456789abcdef"
MOVES = [
    {"role": "pyongyang", "action": "nuclear_test"},
    {"role": "seoul", "action": "engage_global_south"},
]
FIZZLED = {
    "reason": "The device fizzled.",
    "effects": [{"var": "tension", "add": -5}],
    "results": [{"index": 0, "result": "failed"}],
}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("lips-and-teeth-2025", 2)


def test_c7_a_test_marked_failed_loses_its_effects_and_the_story_says_failed(scenario):
    """Pyongyang's nuclear test, overridden to failed with tension -5: sanctions, the DPRK
    economy and the test counter stay where they were; tension is the failed world's minus
    5; Pyongyang's own account says failed, and every number it quotes is the final one."""
    start = scenario.initial_state()
    held = adjudicate(start, MOVES, seed=SEED, scenario=scenario, ruleset=3)
    failed = adjudicate(start, MOVES, seed=SEED, scenario=scenario, ruleset=3, forced={0: "failed"})
    result = adjudicate_overridden(start, MOVES, [FIZZLED], seed=SEED, scenario=scenario, ruleset=3)

    assert held.state["sanctions_enforcement"] > start["sanctions_enforcement"]  # it bit
    assert held.state["memory"]["nuclear_tests"] == 1
    for var in ("sanctions_enforcement", "dprk_economy"):
        assert result.state[var] == start[var] == failed.state[var]
    assert result.state["memory"]["nuclear_tests"] == 0
    assert result.state["tension"] == failed.state["tension"] - 5
    pyongyang = result.outcomes[0]
    assert (pyongyang.result, pyongyang.reason) == ("failed", "Umpire: The device fizzled.")
    story = result.narrative["pyongyang"]
    assert "Conduct a nuclear test: failed (Umpire: The device fizzled.)" in story
    assert "sanctions_enforcement" not in story
    public = result.narrative["all"]
    assert f"tension {result.state['tension'] - start['tension']:+d}" in public
    assert f"(now {result.state['tension']})" in public


def test_the_umpire_may_keep_the_effects_of_a_move_marked_failed(scenario):
    """`keep_effects`: the label changes, the effects of the test stay (the umpire's call)."""
    start = scenario.initial_state()
    held = adjudicate(start, MOVES, seed=SEED, scenario=scenario, ruleset=3)
    kept = {**FIZZLED, "results": [{"index": 0, "result": "failed", "keep_effects": True}]}
    result = adjudicate_overridden(start, MOVES, [kept], seed=SEED, scenario=scenario, ruleset=3)
    assert result.state["sanctions_enforcement"] == held.state["sanctions_enforcement"]
    assert result.state["tension"] == held.state["tension"] - 5
    assert result.outcomes[0].result == "failed"
    assert "failed (Umpire: The device fizzled.)" in result.narrative["pyongyang"]


@pytest.mark.parametrize("ruleset", [2, 3])
def test_a_logged_turn_replays_its_override_under_the_ruleset_it_was_played_with(scenario, ruleset):
    """The log reader follows the game's ruleset: ruleset 2 keeps the old override (the
    test's effects stay, the story is the proposal's), ruleset 3 the consistent one."""
    start = scenario.initial_state()
    turn = {"moves": MOVES, "overrides": [FIZZLED]}
    result = adjudicate_turn(scenario, start, turn, seed=SEED, ruleset=ruleset)
    bit = result.state["memory"]["nuclear_tests"] == 1
    told_succeeded = "Conduct a nuclear test: succeeded" in result.narrative["pyongyang"]
    assert (bit, told_succeeded) == ((True, True) if ruleset == 2 else (False, False))
    assert result.outcomes[0].result == "failed"


def test_a_bad_index_or_result_is_refused_naming_the_field(scenario):
    from wargame.engine import ScenarioError

    start = scenario.initial_state()
    for results in ([{"index": 7, "result": "failed"}], [{"index": 0, "result": "fizzled"}]):
        with pytest.raises(ScenarioError, match="overrides.results"):
            adjudicate_overridden(
                start,
                MOVES,
                [{**FIZZLED, "results": results}],
                seed=SEED,
                scenario=scenario,
                ruleset=3,
            )
