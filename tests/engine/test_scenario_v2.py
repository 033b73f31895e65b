"""Version 2 of "lips-and-teeth-2025": three places where v1 fell short of the commentary.

(a) C5 under the C9 cap: the fear of being passed now shows even when the cap binds (the
    re-engagement's goodwill outlasts the month). (b) C18: after a DPRK-PRC summit, Xi's
    APEC visit, with its ROK-PRC summit, warms Beijing-Pyongyang. (c) `attend_apec_gyeongju`
    before October is a one-time commitment; the visit and its effects come in October.
Each v2 case has a v1 twin pinned to version 1, showing the old answer is kept for v1 games.
"""

import pytest

from tests.engine.conftest import (
    APEC_TURN,
    SEEDS,
    assert_cites,
    change,
    delta,
    fired,
    moves,
    outcome,
    situation,
    value,
)

TIE = "relations.beijing-pyongyang"
EMBRACE = moves(
    "pyongyang:envoy_to_beijing",
    "beijing:strategic_communication_pyongyang",
    "beijing:economic_aid_pyongyang",
)
XI_AND_LEE = moves("beijing:court_seoul", "seoul:hold_summit_beijing")
ATTEND = moves("beijing:attend_apec_gyeongju")


def _capped_embrace_then_quiet(start_state, play, china_passing, seed):
    """March: the fullest embrace under high US pressure (the cap binds); April: nobody
    moves. Returns the two adjudications."""
    primed = situation(start_state, {"us_china_trade_pressure": 70, "china_passing": china_passing})
    return play(primed, [EMBRACE, []], seed)


def test_v2_c5_fear_of_being_passed_shows_even_when_the_cap_binds(start_state, play):
    """Beijing and Pyongyang embrace in March with every warming rule firing, once with
    china_passing at 20 and once at 45; in both worlds the C9 cap cuts March to +8. April is
    quiet. C5 in v2: with Beijing fearing exclusion the tie ends April 3 points higher, on
    every seed, and the players are shown why."""
    for seed in SEEDS:
        calm = _capped_embrace_then_quiet(start_state, play, 20, seed)
        passed = _capped_embrace_then_quiet(start_state, play, 45, seed)
        assert fired(calm[0], "relation_cap") and fired(passed[0], "relation_cap")
        assert value(calm[0], TIE) == value(passed[0], TIE)
        assert delta(calm[1], passed[1], TIE) == 3
    assert_cites(passed[1], "c5_reengagement_lasts", "C5")


@pytest.mark.scenario_version(1)
def test_v1_c5_fear_of_being_passed_vanishes_under_the_cap(start_state, play):
    """The same two histories under version 1: the cap swallows C5's extra warmth, and
    after the quiet April the tie is where it would be without the fear."""
    for seed in SEEDS:
        calm = _capped_embrace_then_quiet(start_state, play, 20, seed)
        passed = _capped_embrace_then_quiet(start_state, play, 45, seed)
        assert delta(calm[1], passed[1], TIE) == 0


def _eve_of_apec_after_summit(start_state):
    """End of September: Xi met Kim earlier in the year and has committed to Gyeongju."""
    return situation(
        start_state,
        {"turn": APEC_TURN - 1, "memory.prc_dprk_summit_held": 1, "memory.xi_committed": 1},
    )


def test_v2_c18_summit_first_makes_apec_warm_the_tie(start_state, world):
    """October 2025 after a DPRK-PRC summit: Xi comes to Gyeongju and holds his summit with
    Seoul's president (Seoul asks, Beijing courts Seoul). C18 in v2: APEC is the occasion
    that restores DPRK-China ties - the tie rises over the month on every seed, and
    Pyongyang neither resents the summit (C15) nor stages a provocation around it (C16)."""
    eve = _eve_of_apec_after_summit(start_state)
    for seed in SEEDS:
        october = world(eve, XI_AND_LEE, seed)
        assert "xi_in_gyeongju" in october.events
        assert change(eve, october, TIE) > 0
        assert fired(october, "c15_watches_seoul_beijing") is None
        assert "dprk_provocation" not in october.events
    assert_cites(october, "c18_backlash_softened", "C18")


@pytest.mark.scenario_version(1)
def test_v1_c18_summit_first_apec_can_still_cool_the_tie(start_state, world):
    """The same October under version 1: the ROK-PRC summit at APEC still draws
    Pyongyang's resentment, so on some seeds the tie ends the month lower."""
    eve = _eve_of_apec_after_summit(start_state)
    cooled = [change(eve, world(eve, XI_AND_LEE, seed), TIE) < 0 for seed in SEEDS]
    assert any(cooled)


def test_v2_c18_without_the_summit_first_apec_still_cools_the_tie(start_state, world):
    """The same October with no DPRK-PRC summit beforehand. C17 is unchanged in v2: Xi's
    summit with Seoul cools Beijing-Pyongyang, against the same month with Xi but no prior
    summit, on every seed."""
    eve = _eve_of_apec_after_summit(start_state)
    strained = situation(eve, {"memory.prc_dprk_summit_held": 0})
    for seed in SEEDS:
        assert delta(world(eve, XI_AND_LEE, seed), world(strained, XI_AND_LEE, seed), TIE) < 0


def test_v2_attending_apec_in_march_is_a_commitment_kept_in_october(start_state, play):
    """March: Seoul invites Xi and Beijing answers with `attend_apec_gyeongju` (the seeds
    where the commitment is made); nobody moves from April to September. The v2 decision:
    before October the action is a commitment - Xi's visit, its ROK-PRC summit and
    Pyongyang's reaction happen in October (turn 8), not in March."""
    months = [moves("seoul:invite_xi_apec", "beijing:attend_apec_gyeongju")] + [[]] * 7
    kept = 0
    for seed in SEEDS:
        history = play(start_state, months, seed)
        if value(history[0], "memory.xi_committed") != 1:
            continue
        kept += 1
        assert "xi_in_gyeongju" not in history[0].events
        assert value(history[0], "apec_attendance") == []
        assert "xi_in_gyeongju" in history[-1].events
        assert history[-1].turn == APEC_TURN
    assert kept > len(SEEDS) / 2
    assert outcome(history[0], "beijing", "attend_apec_gyeongju").result == "succeeded"


def test_v2_repeating_the_commitment_before_october_adds_nothing(start_state, world):
    """April: Beijing committed Xi in March and plays `attend_apec_gyeongju` again, or
    holds. v2: the second promise changes nothing (the same world as holding) and the
    players are told the visit is already promised."""
    committed = situation(start_state, {"turn": 1, "memory.xi_committed": 1})
    for seed in SEEDS:
        again, held = world(committed, ATTEND, seed), world(committed, [], seed)
        assert again.state == held.state
        assert outcome(again, "beijing", "attend_apec_gyeongju").result == "no_effect"
    assert_cites(again, "xi_already_committed", "C17")
    assert "already" in outcome(again, "beijing", "attend_apec_gyeongju").reason


@pytest.mark.scenario_version(1)
def test_v1_repeating_the_commitment_warms_seoul_again(start_state, world):
    """The same April under version 1: each repeated promise warmed Beijing-Seoul again."""
    committed = situation(start_state, {"turn": 1, "memory.xi_committed": 1})
    gains = [
        delta(world(committed, [], seed), world(committed, ATTEND, seed), "relations.beijing-seoul")
        for seed in SEEDS
    ]
    assert max(gains) > 0


def test_v2_attending_in_october_succeeds_with_the_visit(start_state, world):
    """October, no earlier commitment: Beijing plays `attend_apec_gyeongju` and Xi goes.
    v2: the move is judged by the visit itself (succeeded), never "failed" while Xi is in
    Gyeongju, as v1 could say when its commitment roll missed."""
    eve = situation(start_state, {"turn": APEC_TURN - 1})
    for seed in SEEDS:
        october = world(eve, ATTEND, seed)
        assert "xi_in_gyeongju" in october.events
        assert outcome(october, "beijing", "attend_apec_gyeongju").result == "succeeded"
