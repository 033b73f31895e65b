"""The odds a player is shown equal the engine's: engine.explain against engine.adjudicate.

Each case sets a situation, asks `explain_move` for the chance of a move, then adjudicates
the turn with that move (and the partner's, where the rule needs one) and reads the chance
the engine rolled against in the fired rule.
"""

from __future__ import annotations

import pytest

from wargame.engine import Move, adjudicate, new_secret_seed
from wargame.engine.explain import explain_move
from wargame.engine.state import set_var


def _fired(adjudication, rule_id):
    return next(r for r in adjudication.fired_rules if r.rule == rule_id)


def _odds(odds, rule_id):
    return next(r for r in odds.rules if r.rule == rule_id)


@pytest.mark.parametrize(
    ("china_passing", "trade_pressure", "tests", "expected"),
    [(20, 55, 0, 60), (45, 55, 0, 80), (45, 70, 0, 90), (20, 55, 1, 35), (45, 70, 2, 65)],
)
def test_summit_odds_equal_the_engines_chance(
    scenario, start_state, china_passing, trade_pressure, tests, expected
):
    """China-DPRK summit (C18): base 60, +20 if Beijing fears being passed (≥ 40), +10 under
    tariff pressure (≥ 60), −25 after a nuclear test: the chance shown is the one rolled."""
    state = start_state
    set_var(state, "china_passing", china_passing)
    set_var(state, "us_china_trade_pressure", trade_pressure)
    set_var(state, "memory.nuclear_tests", tests)
    odds = explain_move(scenario, state, "pyongyang", "seek_summit_beijing", "beijing")
    shown = _odds(odds, "c18_prc_dprk_summit")
    assert shown.needs == (("beijing:host_summit_pyongyang", None),)
    assert shown.possible is None  # depends on Beijing's secret move
    moves = [
        Move("pyongyang", "seek_summit_beijing", "beijing"),
        Move("beijing", "host_summit_pyongyang", "pyongyang"),
    ]
    played = adjudicate(state, moves, seed=new_secret_seed(), scenario=scenario, ruleset=4)
    assert shown.chance == _fired(played, "c18_prc_dprk_summit").chance == expected


def test_every_chance_shown_at_the_start_equals_the_engines(scenario, start_state):
    """For every action of every role at the start: each rule with dice whose modifiers
    do not depend on the turn shows the chance the engine rolls against once its
    condition holds (every other move of the rule played too)."""
    compared = 0
    for action in scenario.actions.values():
        target = action.targets[0] if action.targets else None
        odds = explain_move(scenario, start_state, action.role, action.code, target)
        for rule in odds.rules:
            if rule.chance is None or rule.possible is False:
                continue
            if any(m.applies is None for m in rule.modifiers):
                continue
            moves = [Move(action.role, action.code, target)]
            for key, aimed in rule.needs:
                role, _sep, code = key.partition(":")
                spec = scenario.action(role, code)
                if role == action.role or any(m.role == role for m in moves):
                    continue
                moves.append(Move(role, code, aimed or (spec.targets[0] if spec.targets else None)))
            try:
                played = adjudicate(start_state, moves, seed="0" * 32, scenario=scenario, ruleset=4)
            except Exception:  # a combination the rules refuse (budget, targets): not a case
                continue
            fired = [r for r in played.fired_rules if r.rule == rule.rule]
            if fired:
                assert fired[0].chance == rule.chance, (action.role, action.code, rule.rule)
                compared += 1
    assert compared >= 10


def test_a_move_that_can_do_nothing_says_why(scenario, start_state):
    """After the snap election Seoul's leadership is stable: "Stabilise the leadership"
    has no rule left to answer it, and the comparison that rules it out is named."""
    assert explain_move(scenario, start_state, "seoul", "stabilise_leadership").can_do_something
    set_var(start_state, "rok_leadership", "stable")
    odds = explain_move(scenario, start_state, "seoul", "stabilise_leadership")
    assert not odds.can_do_something
    assert ({"var": "rok_leadership", "op": "==", "value": "vacuum"}, "stable") in odds.blocked_by
