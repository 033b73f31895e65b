"""Section II.1 of the commentary: a Trump variable.

C3 the weakened special tie is moved by outsiders; C4 Hanoi's memory; C5 "China passing";
C6 strategic communication as Beijing's default; C7 a nuclear test as common ground;
C8 Beijing as Pyongyang's hedge; C9 improvement is slow (the relation cap).
"""

from tests.engine.conftest import (
    SEEDS,
    assert_cites,
    change,
    delta,
    fired,
    moves,
    outcome,
    rate,
    situation,
    succeeded,
    value,
)

TIE = "relations.beijing-pyongyang"
WARM_BILATERAL_GESTURES = (
    "pyongyang:envoy_to_beijing",
    "pyongyang:seek_summit_beijing",
    "beijing:strategic_communication_pyongyang",
    "beijing:host_summit_pyongyang",
    "beijing:economic_aid_pyongyang",
)
TALKS = moves("washington:propose_summit_pyongyang", "pyongyang:accept_talks_washington")


# C3 ------------------------------------------------------------------------------------


def test_c3_russia_military_coop_moves_tie_more_than_any_bilateral_gesture(start_state, world):
    """Moscow deepens military cooperation with Pyongyang, a move Beijing and Pyongyang
    did not make to each other. C3: the weakened tie is more sensitive to that outside move
    (it cools) than to any single warm gesture either capital makes on its own."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        russia = world(start_state, moves("moscow:military_coop_pyongyang"), seed)
        outside = delta(quiet, russia, TIE)
        assert outside < 0
        for gesture in WARM_BILATERAL_GESTURES:
            bilateral = delta(quiet, world(start_state, moves(gesture), seed), TIE)
            assert abs(outside) > abs(bilateral), gesture
    assert_cites(russia, "c3_russia_drift_cools_beijing", "C3")


def test_c3_us_tariffs_move_tie_more_than_pyongyangs_unanswered_courtship(start_state, world):
    """Washington raises tariffs on China; in another world Pyongyang courts Beijing with no
    answer. C3: US pressure on Beijing warms the Beijing-Pyongyang tie more than Pyongyang's
    own sentiment does."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        tariffs = world(start_state, moves("washington:raise_tariffs_china"), seed)
        outside = delta(quiet, tariffs, TIE)
        for courtship in ("pyongyang:envoy_to_beijing", "pyongyang:seek_summit_beijing"):
            bilateral = delta(quiet, world(start_state, moves(courtship), seed), TIE)
            assert outside > bilateral > 0
    assert_cites(tariffs, "c3_us_pressure_warms_beijing", "C3")


# C4 ------------------------------------------------------------------------------------


def test_c4_us_dprk_talks_succeed_less_often_than_offered(start_state, world):
    """Washington offers talks and Pyongyang accepts, in 200 different Marches. C4: with the
    Hanoi 'no deal' in mind, the talks open in fewer than 60% of those turns (but they can
    open); without the offer they never do."""
    opened = []
    for seed in SEEDS:
        offered = world(start_state, TALKS, seed)
        not_offered = world(start_state, moves("pyongyang:accept_talks_washington"), seed)
        assert value(not_offered, "us_dprk_dialogue") == "none"
        opened.append(value(offered, "us_dprk_dialogue") == "talks")
        if opened[-1]:
            assert_cites(offered, "c4_us_dprk_talks", "C4")
    assert 0 < rate(opened) < 0.6


def test_c4_summit_succeeds_less_often_than_offered(start_state, world):
    """Working talks exist; Washington proposes a summit and Pyongyang accepts. C4: the
    summit happens in fewer than 60% of such turns; otherwise it ends with no deal."""
    talking = situation(start_state, {"us_dprk_dialogue": "talks"})
    held = []
    for seed in SEEDS:
        adj = world(talking, TALKS, seed)
        held.append(value(adj, "us_dprk_dialogue") == "summit")
        assert held[-1] != ("us_dprk_no_deal" in adj.events)
        if held[-1]:
            assert_cites(adj, "c4_us_dprk_summit", "C4")
    assert 0 < rate(held) < 0.6


def test_c4_failed_round_leaves_no_deal_and_a_cooler_relationship(start_state, world):
    """Offer made and accepted, but the round fails (the seeds where it does). C4: the turn
    reports 'no deal', both moves failed, and Pyongyang-Washington ends lower than in the
    same month with no offer at all."""
    failures = 0
    for seed in SEEDS:
        offered = world(start_state, TALKS, seed)
        if value(offered, "us_dprk_dialogue") != "none":
            continue
        failures += 1
        assert "us_dprk_no_deal" in offered.events
        assert outcome(offered, "pyongyang", "accept_talks_washington").result == "failed"
        quiet = world(start_state, [], seed)
        assert delta(quiet, offered, "relations.pyongyang-washington") < 0
        assert_cites(offered, "us_dprk_no_deal", "C4")
    assert failures > 0


def test_c4_offer_not_taken_up_opens_nothing(start_state, world):
    """Washington offers talks; Pyongyang, cautious, does not accept. C4: no talks open
    and the offer is reported unanswered."""
    for seed in SEEDS:
        adj = world(start_state, moves("washington:propose_summit_pyongyang"), seed)
        assert value(adj, "us_dprk_dialogue") == "none"
        assert outcome(adj, "washington", "propose_summit_pyongyang").result == "unanswered"
    assert_cites(adj, "c4_offer_unanswered", "C4")


# C5 ------------------------------------------------------------------------------------


def test_c5_us_dprk_talks_raise_china_passing(start_state, world):
    """Washington and Pyongyang open talks without Beijing. C5: Beijing's fear of being passed
    over rises against the same month without US-DPRK engagement, and rises most when the
    talks actually open."""
    rise_when_opened, rise_when_failed = set(), set()
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        engaged = world(start_state, TALKS, seed)
        rise = delta(quiet, engaged, "china_passing")
        assert rise > 0
        if value(engaged, "us_dprk_dialogue") == "talks":
            rise_when_opened.add(rise)
            talks_turn = engaged
        else:
            rise_when_failed.add(rise)
    assert min(rise_when_opened) > max(rise_when_failed)
    assert_cites(talks_turn, "c5_china_passing_rises", "C5")


def test_c5_china_passing_makes_beijing_reengagement_land_harder(start_state, world):
    """Beijing opens strategic communication with Pyongyang, once with china_passing at its
    start (20) and once high (45). C5: when Beijing fears being passed over its re-engagement
    raises the tie more, and re-engaging brings the fear down."""
    calm = start_state
    passed = situation(start_state, {"china_passing": 45})
    outreach = moves("beijing:strategic_communication_pyongyang")
    for seed in SEEDS:
        calm_gain = delta(world(calm, [], seed), world(calm, outreach, seed), TIE)
        reengaged = world(passed, outreach, seed)
        idle = world(passed, [], seed)
        assert delta(idle, reengaged, TIE) > calm_gain
        assert delta(idle, reengaged, "china_passing") < 0
    assert_cites(reengaged, "c5_beijing_reengages_when_passed", "C5")


def test_c5_china_passing_makes_prc_dprk_summit_more_likely(start_state, world):
    """Beijing hosts and Pyongyang seeks a summit, with china_passing low (20) or high (45).
    C5: the summit lands more often when Beijing feels passed over, and on every seed where
    it lands without that fear it also lands with it."""
    summit = moves("beijing:host_summit_pyongyang", "pyongyang:seek_summit_beijing")
    passed = situation(start_state, {"china_passing": 45})
    low, high = [], []
    for seed in SEEDS:
        low.append("prc_dprk_summit" in world(start_state, summit, seed).events)
        adj = world(passed, summit, seed)
        high.append("prc_dprk_summit" in adj.events)
        assert high[-1] or not low[-1]
    assert rate(high) > rate(low)
    assert_cites(adj, "c5_beijing_reengages_when_passed", "C5")


def test_c5_china_passing_makes_courting_seoul_land_more_often(start_state, world):
    """Beijing courts Seoul with high-level visits (as Jiang Zemin's leadership did after the
    1994 Agreed Framework), with china_passing low (20) or high (45). C5: the outreach to
    Seoul lands more often when Beijing fears being passed over."""
    court = moves("beijing:court_seoul")
    passed = situation(start_state, {"china_passing": 45})
    low, high = [], []
    for seed in SEEDS:
        calm_adj = world(start_state, court, seed)
        adj = world(passed, court, seed)
        low.append(outcome(calm_adj, "beijing", "court_seoul").result == "succeeded")
        high.append(outcome(adj, "beijing", "court_seoul").result == "succeeded")
        assert high[-1] or not low[-1]
        if high[-1]:
            assert delta(world(passed, [], seed), adj, "relations.beijing-seoul") > 0
            courted = adj
    assert rate(high) > rate(low)
    assert_cites(courted, "c5_beijing_courts_seoul", "C5")


def test_c5_after_us_dprk_talks_open_beijing_reengages_harder_next_month(start_state, play):
    """March: US-DPRK talks open without Beijing (the seeds where they do), or nothing happens.
    April: Beijing re-engages Pyongyang with strategic communication. C5 (2018): after being
    passed over, Beijing's swift re-engagement raises the tie more than the same April move
    would have without the talks. Checked from the March 2025 start (china_passing 20) and
    from the level it sinks to after quiet months (8)."""
    outreach = moves("beijing:strategic_communication_pyongyang")
    cases = 0
    for start in (start_state, situation(start_state, {"china_passing": 8})):
        for seed in SEEDS:
            passed = play(start, [TALKS, outreach], seed)
            if value(passed[0], "us_dprk_dialogue") != "talks":
                continue
            cases += 1
            passed_gain = delta(play(start, [TALKS, []], seed)[1], passed[1], TIE)
            calm_gain = delta(
                play(start, [[], []], seed)[1], play(start, [[], outreach], seed)[1], TIE
            )
            assert passed_gain > calm_gain, (seed, value(passed[0], "china_passing"))
            assert_cites(passed[1], "c5_beijing_reengages_when_passed", "C5")
    assert cases > 0


def test_c5_after_us_dprk_talks_open_courting_seoul_lands_more_often(start_state, play):
    """March: US-DPRK talks open without Beijing, or nothing happens. April: Beijing courts
    Seoul (as in 1994). C5: the courtship lands more often after Beijing has been passed
    over, and whenever it lands in the calm history it lands after the talks too."""
    court = moves("beijing:court_seoul")
    passed_hits, calm_hits = [], []
    for seed in SEEDS:
        passed = play(start_state, [TALKS, court], seed)
        if value(passed[0], "us_dprk_dialogue") != "talks":
            continue
        calm = play(start_state, [[], court], seed)
        passed_hits.append(outcome(passed[1], "beijing", "court_seoul").result == "succeeded")
        calm_hits.append(outcome(calm[1], "beijing", "court_seoul").result == "succeeded")
        assert passed_hits[-1] or not calm_hits[-1]
    assert rate(passed_hits) > rate(calm_hits)


# C6 ------------------------------------------------------------------------------------


def test_c6_strategic_communication_lands_every_time(start_state, world):
    """Beijing opens strategic communication with Pyongyang. C6: it is Beijing's default,
    low-risk instrument: on every seed it succeeds, warms the tie and eases tension against
    the same month without it."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        talked = world(start_state, moves("beijing:strategic_communication_pyongyang"), seed)
        result = outcome(talked, "beijing", "strategic_communication_pyongyang").result
        assert result == "succeeded"
        assert delta(quiet, talked, TIE) > 0
        assert delta(quiet, talked, "tension") < 0
    assert_cites(talked, "c6_strategic_communication", "C6")


def test_c6_strategic_communication_does_not_provoke_washington(start_state, world):
    """With US pressure on China high (70), Beijing either talks to Pyongyang or sends it
    economic aid. C6: strategic communication never moves US tariff pressure, while the
    more practical embrace draws a US escalation on some seeds (C13)."""
    pressed = situation(start_state, {"us_china_trade_pressure": 70})
    aid_escalated = []
    for seed in SEEDS:
        quiet = world(pressed, [], seed)
        talked = world(pressed, moves("beijing:strategic_communication_pyongyang"), seed)
        aided = world(pressed, moves("beijing:economic_aid_pyongyang"), seed)
        assert delta(quiet, talked, "us_china_trade_pressure") == 0
        aid_escalated.append(delta(quiet, aided, "us_china_trade_pressure") > 0)
    assert any(aid_escalated)
    assert_cites(talked, "c6_strategic_communication", "C6")


# C7 ------------------------------------------------------------------------------------


def test_c7_nuclear_test_gives_washington_and_beijing_common_ground(start_state, world):
    """Pyongyang conducts a seventh nuclear test. C7 (as after the sixth test and UNSC 2375):
    against the same month without it, sanctions bite harder, the DPRK economy shrinks, the
    Beijing-Pyongyang tie cools, Beijing-Washington cooperation warms and tension rises."""
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        tested = world(start_state, moves("pyongyang:nuclear_test"), seed)
        assert delta(quiet, tested, "sanctions_enforcement") > 0
        assert delta(quiet, tested, "dprk_economy") < 0
        assert delta(quiet, tested, TIE) < 0
        assert delta(quiet, tested, "relations.beijing-washington") > 0
        assert delta(quiet, tested, "tension") > 0
    assert_cites(tested, "c7_nuclear_test", "C7")


def test_c7_nuclear_test_makes_unsc_resolution_likelier(start_state, world):
    """Washington pushes a UNSC sanctions resolution and Beijing coordinates with it, in a
    month with or without a DPRK nuclear test. C7: the resolution is adopted more often after
    a test, and on every seed where it passes without a test it passes with one."""
    unsc = moves("washington:push_unsc_sanctions", "beijing:coordinate_unsc_washington")
    without_test, with_test = [], []
    for seed in SEEDS:
        without_test.append("unsc_resolution" in world(start_state, unsc, seed).events)
        adj = world(start_state, unsc + moves("pyongyang:nuclear_test"), seed)
        with_test.append("unsc_resolution" in adj.events)
        assert with_test[-1] or not without_test[-1]
        if with_test[-1]:
            adopted = adj
    assert rate(with_test) > rate(without_test)
    assert_cites(adopted, "c7_unsc_resolution", "C7")


# C8 ------------------------------------------------------------------------------------


def test_c8_failed_us_talks_make_outreach_to_beijing_worth_more(start_state, play):
    """March: US-DPRK talks are offered and accepted but fail (the seeds where they do), or
    no talks happen. April: Pyongyang sends an envoy to Beijing. C8: after a failed round,
    the outreach to Beijing - its hedge - raises the tie more than the same April envoy
    would after a quiet March."""
    envoy = moves("pyongyang:envoy_to_beijing")
    failures = 0
    for seed in SEEDS:
        hedged = play(start_state, [TALKS, envoy], seed)
        if "us_dprk_no_deal" not in hedged[0].events:
            continue
        failures += 1
        hedge_gain = delta(play(start_state, [TALKS, []], seed)[1], hedged[1], TIE)
        calm_gain = delta(
            play(start_state, [[], []], seed)[1], play(start_state, [[], envoy], seed)[1], TIE
        )
        assert hedge_gain > calm_gain
        assert_cites(hedged[1], "c8_hedge_after_failed_talks", "C8")
    assert failures > 0


# C9 ------------------------------------------------------------------------------------


def test_c9_warming_is_capped_per_turn(start_state, world):
    """Everything that can warm the Beijing-Pyongyang tie happens in one month (envoy,
    strategic communication, aid, under high US pressure and high china_passing). C9: the
    rules add up to more than 8, but the tie rises by exactly the cap, and the cut is
    explained by the 'relation_cap' rule."""
    primed = situation(start_state, {"us_china_trade_pressure": 70, "china_passing": 45})
    embrace = moves(
        "pyongyang:envoy_to_beijing",
        "beijing:strategic_communication_pyongyang",
        "beijing:economic_aid_pyongyang",
    )
    for seed in SEEDS:
        adj = world(primed, embrace, seed)
        asked = sum(
            amount
            for rule in adj.fired_rules
            if rule.rule != "relation_cap"
            for var, amount in rule.changes
            if var == TIE
        )
        assert asked > 8
        assert change(primed, adj, TIE) == 8
        cap = assert_cites(adj, "relation_cap", "C9")
        assert (TIE, 8 - asked) in cap.changes


def test_c9_cooling_is_capped_per_turn(start_state, world):
    """A nuclear test, Beijing enforcing sanctions, Pyongyang denouncing Beijing and Moscow
    arming Pyongyang, all in one month. C9: the tie falls by exactly the cap, not by the sum
    of the rules, and less than the uncapped sum."""
    crisis = moves(
        "pyongyang:nuclear_test",
        "pyongyang:denounce>beijing",
        "beijing:enforce_sanctions",
        "moscow:military_coop_pyongyang",
    )
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        adj = world(start_state, crisis, seed)
        assert change(start_state, adj, TIE) == -8
        assert delta(quiet, adj, TIE) < 0
        assert_cites(adj, "relation_cap", "C9")
    assert fired(quiet, "relation_cap") is None
    assert succeeded(adj, "c7_nuclear_test")
