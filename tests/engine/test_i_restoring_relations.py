"""Section I of the commentary: restoring DPRK-China relations since Trump's second term.

C1: Pyongyang courts Beijing more eagerly than Beijing responds.
C2: rising US tariff pressure makes Beijing value a stable tie with Pyongyang.
"""

import pytest

from tests.engine.conftest import (
    SEEDS,
    assert_cites,
    change,
    delta,
    moves,
    outcome,
    situation,
)

TIE = "relations.beijing-pyongyang"
BEIJING_OUTREACH = (
    "strategic_communication_pyongyang",
    "host_summit_pyongyang",
    "economic_aid_pyongyang",
)


def test_c1_unanswered_outreach_raises_tie_only_modestly(start_state, world):
    """March 2025, Pyongyang sends an envoy to Beijing (as Park Myung Ho visited the Chinese
    embassy) and Beijing does nothing. C1: the outreach warms the tie, but only modestly:
    by less than Beijing's own default gesture would, and the move is reported unanswered."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        courted = world(start_state, moves("pyongyang:envoy_to_beijing"), seed)
        beijing_alone = world(start_state, moves("beijing:strategic_communication_pyongyang"), seed)
        gain = delta(quiet, courted, TIE)
        assert 0 < gain < delta(quiet, beijing_alone, TIE)
        assert outcome(courted, "pyongyang", "envoy_to_beijing").result == "unanswered"
    assert_cites(courted, "c1_outreach_unanswered", "C1")


def test_c1_summit_request_without_invitation_is_unanswered(start_state, world):
    """Pyongyang asks for a summit with Xi; Beijing does not host. C1: no summit happens,
    the request is unanswered and the tie moves only a little."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        asking = world(start_state, moves("pyongyang:seek_summit_beijing"), seed)
        assert 0 < delta(quiet, asking, TIE) <= 2
        assert "prc_dprk_summit" not in asking.events
        assert outcome(asking, "pyongyang", "seek_summit_beijing").result == "unanswered"
    assert_cites(asking, "c1_outreach_unanswered", "C1")


def test_c1_reciprocated_outreach_raises_tie_more(start_state, world):
    """Pyongyang sends an envoy and, in the same month, Beijing answers with strategic
    communication. C1: Pyongyang's outreach is worth more when Beijing reciprocates than
    when it is left unanswered (each measured against the same world without the envoy)."""
    answer = moves("beijing:strategic_communication_pyongyang")
    envoy = moves("pyongyang:envoy_to_beijing")
    for seed in SEEDS:
        unanswered_gain = delta(world(start_state, [], seed), world(start_state, envoy, seed), TIE)
        answered = world(start_state, envoy + answer, seed)
        answered_gain = delta(world(start_state, answer, seed), answered, TIE)
        assert answered_gain > unanswered_gain
        assert outcome(answered, "pyongyang", "envoy_to_beijing").result == "succeeded"
    assert_cites(answered, "c1_outreach_reciprocated", "C1")


@pytest.mark.parametrize("action", BEIJING_OUTREACH)
def test_c2_high_us_pressure_makes_beijing_outreach_more_effective(start_state, world, action):
    """Beijing reaches out to Pyongyang once with US tariff pressure at its starting level
    and once with it high (70). C2: the same outreach raises the tie more under high
    pressure, because Beijing then values a stable DPRK tie more."""
    low = start_state
    high = situation(start_state, {"us_china_trade_pressure": 70})
    outreach = moves(f"beijing:{action}")
    for seed in SEEDS:
        gain_low = delta(world(low, [], seed), world(low, outreach, seed), TIE)
        pressed = world(high, outreach, seed)
        gain_high = delta(world(high, [], seed), pressed, TIE)
        assert gain_high > gain_low > 0
    assert_cites(pressed, "c2_pressure_raises_value_of_tie", "C2")


def test_c2_new_tariffs_make_next_months_outreach_more_effective(start_state, play):
    """March: Washington raises tariffs on China (or does not). April: Beijing opens strategic
    communication with Pyongyang. C2: after the tariffs, Beijing's outreach is worth more to
    the tie than in the same April without them."""
    tariffs = moves("washington:raise_tariffs_china")
    outreach = moves("beijing:strategic_communication_pyongyang")
    for seed in SEEDS:
        pressed = play(start_state, [tariffs, outreach], seed)
        pressed_gain = delta(play(start_state, [tariffs, []], seed)[1], pressed[1], TIE)
        calm = play(start_state, [[], outreach], seed)
        calm_gain = delta(play(start_state, [[], []], seed)[1], calm[1], TIE)
        assert change(start_state, pressed[0], "us_china_trade_pressure") > 0
        assert pressed_gain > calm_gain > 0
    assert_cites(pressed[1], "c2_pressure_raises_value_of_tie", "C2")
