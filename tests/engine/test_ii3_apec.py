"""Section II.3 of the commentary: the 2025 APEC Leaders' Meeting in Gyeongju.

C15 Pyongyang watches Seoul-Beijing ties; C16 provocations around neighbours' summits;
C17 the backlash at Xi's visit; C18 a China-DPRK summit first softens it; C19 Seoul gains
by anticipating; C20 the leadership vacuum invites bypassing; C21 Seoul restores standing.
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
    rate,
    situation,
    succeeded,
    value,
)

TIE = "relations.beijing-pyongyang"
INFLUENCE = "rok_influence"
ROK_PRC_SUMMIT = moves("seoul:hold_summit_beijing", "beijing:court_seoul")
PRC_DPRK_SUMMIT = moves("beijing:host_summit_pyongyang", "pyongyang:seek_summit_beijing")
XI_GOES = moves("beijing:attend_apec_gyeongju")


@pytest.fixture
def eve_of_apec(start_state):
    """End of September 2025: the next turn is October, the APEC month (turn 8)."""
    return situation(start_state, {"turn": APEC_TURN - 1})


# C15 -----------------------------------------------------------------------------------


def test_c15_rok_prc_summit_cools_beijing_pyongyang(start_state, world):
    """Seoul and Beijing hold a leaders' meeting (the seeds where it happens). C15: Pyongyang
    watches Seoul-Beijing ties and resents them: Beijing-Pyongyang ends lower than in the
    same month without the meeting."""
    held = 0
    for seed in SEEDS:
        summit = world(start_state, ROK_PRC_SUMMIT, seed)
        if "rok_prc_summit" not in summit.events:
            continue
        held += 1
        assert delta(world(start_state, [], seed), summit, TIE) < 0
        assert_cites(summit, "c15_watches_seoul_beijing", "C15")
    assert held > 0


def test_c15_seoul_beijing_ties_watched_as_closely_as_us_china_ties(start_state, world):
    """In one world Seoul and Beijing meet; in another Washington and Beijing agree a trade
    truce; same seeds, keeping those where each happens. C15: Pyongyang cools toward Beijing
    over both, and at least as much over Beijing's warmth to Seoul as over its deal with
    Washington."""
    truce_moves = moves("washington:trade_talks_beijing", "beijing:trade_talks_washington")
    compared = 0
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        summit = world(start_state, ROK_PRC_SUMMIT, seed)
        truce = world(start_state, truce_moves, seed)
        if "rok_prc_summit" not in summit.events or "us_china_trade_deal" not in truce.events:
            continue
        compared += 1
        truce_cooling = delta(quiet, truce, TIE)
        assert truce_cooling < 0
        assert delta(quiet, summit, TIE) <= truce_cooling
        assert_cites(truce, "c15_watches_us_china_deal", "C15")
        assert_cites(summit, "c15_watches_seoul_beijing", "C15")
    assert compared > 0


# C16 -----------------------------------------------------------------------------------


def test_c16_neighbours_summit_on_denuclearisation_draws_a_provocation(start_state, world):
    """Seoul, Washington and Tokyo hold a summit that discusses DPRK denuclearisation (the
    seeds where it is held); Pyongyang makes no move of its own. C16: Pyongyang tends to
    stage a provocation around it (on more than half of those seeds, never in the same month
    without the summit), and tension rises more when it does."""
    trilateral = moves("seoul:trilateral_us_japan")
    provoked, rises = [], {True: set(), False: set()}
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        assert "dprk_provocation" not in quiet.events
        summit = world(start_state, trilateral, seed)
        if "trilateral_summit" not in summit.events:
            continue
        provoked.append("dprk_provocation" in summit.events)
        rises[provoked[-1]].add(delta(quiet, summit, "tension"))
        if provoked[-1]:
            assert_cites(summit, "c16_provocation_around_summit", "C16")
    assert rate(provoked) > 0.5
    assert min(rises[True]) > max(rises[False])


def test_c16_launch_timed_to_a_summit_is_read_as_a_provocation(start_state, world):
    """During the ROK-US-Japan summit (seeds where it is held) Pyongyang launches a
    satellite, as it did at the May 2024 ROK-Japan-China summit. C16: the launch is reported
    as timed to the summit and leaves tension higher than the same summit month without it."""
    trilateral = moves("seoul:trilateral_us_japan")
    held = 0
    for seed in SEEDS:
        summit = world(start_state, trilateral, seed)
        if "trilateral_summit" not in summit.events:
            continue
        held += 1
        launch = world(start_state, trilateral + moves("pyongyang:satellite_launch"), seed)
        assert delta(summit, launch, "tension") > 0
        assert_cites(launch, "c16_timed_provocation", "C16")
    assert held > 0


# C17 -----------------------------------------------------------------------------------


def test_c17_xi_in_gyeongju_draws_pyongyangs_backlash(eve_of_apec, world):
    """October 2025: APEC meets in Gyeongju; Xi attends and holds a ROK-PRC summit, with no
    China-DPRK summit beforehand - or stays away. C17: with Xi there, tension is higher and
    Beijing-Pyongyang lower on every seed, and a DPRK provocation follows on most seeds."""
    provoked = []
    for seed in SEEDS:
        away = world(eve_of_apec, [], seed)
        there = world(eve_of_apec, XI_GOES, seed)
        assert "xi_in_gyeongju" in there.events and "xi_in_gyeongju" not in away.events
        assert delta(away, there, "tension") > 0
        assert delta(away, there, TIE) < 0
        provoked.append("dprk_provocation" in there.events)
        assert "dprk_provocation" not in away.events
    assert rate(provoked) > 0.5
    assert_cites(there, "c17_apec_backlash", "C17")


def test_c17_xi_committed_in_advance_draws_the_same_backlash(eve_of_apec, world):
    """Beijing committed Xi to Gyeongju in an earlier month (memory.xi_committed) and makes no
    move in October. C17: the visit and the backlash happen all the same."""
    committed = situation(eve_of_apec, {"memory.xi_committed": 1})
    for seed in SEEDS:
        there = world(committed, [], seed)
        assert value(there, "apec_attendance") == ["seoul", "washington", "beijing"]
        assert delta(world(eve_of_apec, [], seed), there, TIE) < 0
    assert_cites(there, "c17_apec_backlash", "C17")


def test_c17_backlash_at_apec_is_stronger_than_at_an_ordinary_rok_prc_summit(
    start_state, eve_of_apec, world
):
    """The same seeds, two occasions: a ROK-PRC summit in an ordinary month (as with the 2024
    summit), and Xi's ROK-PRC summit at APEC with ties to Pyongyang strained. C17: the
    backlash at APEC (each measured against the same month without it) raises tension more
    and cools Beijing-Pyongyang more, and a provocation follows more often."""
    ordinary_provoked, apec_provoked = [], []
    for seed in SEEDS:
        summit = world(start_state, ROK_PRC_SUMMIT, seed)
        if "rok_prc_summit" not in summit.events:
            continue
        ordinary = world(start_state, [], seed)
        apec, apec_without_xi = world(eve_of_apec, XI_GOES, seed), world(eve_of_apec, [], seed)
        assert delta(apec_without_xi, apec, "tension") > delta(ordinary, summit, "tension")
        assert delta(apec_without_xi, apec, TIE) < delta(ordinary, summit, TIE)
        ordinary_provoked.append("dprk_provocation" in summit.events)
        apec_provoked.append("dprk_provocation" in apec.events)
    assert rate(apec_provoked) > rate(ordinary_provoked)
    assert_cites(apec, "c17_apec_backlash", "C17")


# C18 -----------------------------------------------------------------------------------


def test_c18_prior_prc_dprk_summit_softens_the_apec_backlash(eve_of_apec, world):
    """October 2025, Xi attends APEC; in one history Xi and Kim met earlier in the year
    (memory.prc_dprk_summit_held), in the other they did not. C18: Xi's visit (measured
    against the same October without it) raises tension less and draws no provocation after
    a prior summit, and even warms Beijing-Pyongyang instead of cooling it."""
    met = situation(eve_of_apec, {"memory.prc_dprk_summit_held": 1})
    for seed in SEEDS:
        strained = delta(world(eve_of_apec, [], seed), world(eve_of_apec, XI_GOES, seed), "tension")
        softened = world(met, XI_GOES, seed)
        met_without_xi = world(met, [], seed)
        assert delta(met_without_xi, softened, "tension") < strained
        assert "dprk_provocation" not in softened.events
        assert delta(met_without_xi, softened, TIE) > 0
    assert_cites(softened, "c18_backlash_softened", "C18")


def test_c18_summit_before_apec_makes_apec_restore_dprk_china_ties(start_state, play):
    """August: Xi hosts Kim, who seeks the summit (the seeds where it happens) - or neither
    moves. September: Beijing, invited by Seoul, commits Xi to Gyeongju (the seeds where it
    does). October: APEC. C18: with the summit first, the APEC month ends with
    Beijing-Pyongyang higher and tension lower than in the history without it, and without
    a DPRK provocation."""
    august = situation(start_state, {"turn": APEC_TURN - 3, "memory.xi_invited": 1})
    held = 0
    for seed in SEEDS:
        two_korea = play(august, [PRC_DPRK_SUMMIT, XI_GOES, []], seed)
        if "prc_dprk_summit" not in two_korea[0].events:
            continue
        if two_korea[1].state["memory"]["xi_committed"] != 1:
            continue
        held += 1
        seoul_only = play(august, [[], XI_GOES, []], seed)
        assert delta(seoul_only[-1], two_korea[-1], TIE) > 0
        assert delta(seoul_only[-1], two_korea[-1], "tension") < 0
        assert "dprk_provocation" not in two_korea[-1].events
        assert "xi_in_gyeongju" in two_korea[-1].events
        assert_cites(two_korea[-1], "c18_backlash_softened", "C18")
    assert held > 0


# C19 -----------------------------------------------------------------------------------


def test_c19_channels_open_before_apec_pay_off_at_apec(eve_of_apec, world):
    """October 2025, APEC; Seoul has reopened two channels beforehand (memory.rok_channels)
    or none. C19: having anticipated, Seoul's standing rises more in the APEC month and
    tension ends lower."""
    prepared = situation(eve_of_apec, {"memory.rok_channels": 2})
    for seed in SEEDS:
        unprepared = world(eve_of_apec, [], seed)
        ready = world(prepared, [], seed)
        assert change(prepared, ready, INFLUENCE) > change(eve_of_apec, unprepared, INFLUENCE)
        assert delta(unprepared, ready, "tension") < 0
    assert_cites(ready, "c19_seoul_anticipated", "C19")


def test_c19_seoul_reopening_channels_in_summer_gains_more_at_apec(start_state, play):
    """August and September: Seoul reopens channels to Moscow and the Global South, or holds.
    October: APEC, with Xi committed. C19: on every seed where Seoul got two channels open in
    time, its standing rises more in the APEC month than in the history where it held."""
    august = situation(start_state, {"turn": APEC_TURN - 3, "memory.xi_committed": 1})
    reach_out = moves("seoul:restore_channel_moscow", "seoul:engage_global_south")
    anticipated = 0
    for seed in SEEDS:
        active = play(august, [reach_out, reach_out, []], seed)
        passive = play(august, [[], [], []], seed)
        assert value(active[-1], INFLUENCE) >= value(passive[-1], INFLUENCE)
        if value(active[1], "memory.rok_channels") < 2:
            continue
        anticipated += 1
        active_gain = change(active[1].state, active[2], INFLUENCE)
        passive_gain = change(passive[1].state, passive[2], INFLUENCE)
        assert active_gain > passive_gain
        assert_cites(active[-1], "c19_seoul_anticipated", "C19")
    assert anticipated > 0


# C20 -----------------------------------------------------------------------------------

SEOUL_INITIATIVES = {
    "restore_channel_pyongyang": ("c21_channel_pyongyang", []),
    "restore_channel_moscow": ("c21_channel_moscow", []),
    "engage_global_south": ("c21_global_south", []),
    "trilateral_us_japan": ("trilateral_summit", []),
    "invite_xi_apec": ("invite_xi", []),
    "hold_summit_beijing": ("rok_prc_summit", ["beijing:court_seoul"]),
}


def test_c20_leadership_vacuum_erodes_seouls_influence(start_state, world):
    """A quiet month, with Seoul's leadership in a vacuum or stable. C20: while the vacuum
    lasts Washington and Beijing settle more without Seoul: its influence ends lower."""
    stable = situation(start_state, {"rok_leadership": "stable"})
    for seed in SEEDS:
        vacuum = world(start_state, [], seed)
        assert delta(world(stable, [], seed), vacuum, INFLUENCE) < 0
    assert_cites(vacuum, "c20_vacuum_erodes_influence", "C20")


def test_c20_bypassing_seoul_costs_it_more_in_a_vacuum(start_state, world):
    """Washington deals over Seoul's head, with Seoul's leadership in a vacuum or stable.
    C20: bypassing lowers Seoul's influence either way, and more while Seoul is leaderless."""
    stable = situation(start_state, {"rok_leadership": "stable"})
    bypass = moves("washington:bypass_seoul")
    for seed in SEEDS:
        stable_loss = delta(world(stable, [], seed), world(stable, bypass, seed), INFLUENCE)
        bypassed = world(start_state, bypass, seed)
        vacuum_loss = delta(world(start_state, [], seed), bypassed, INFLUENCE)
        assert vacuum_loss < stable_loss < 0
    assert_cites(bypassed, "c20_bypass_in_vacuum", "C20")


@pytest.mark.parametrize("initiative", sorted(SEOUL_INITIATIVES))
def test_c20_seouls_initiatives_land_less_often_in_a_vacuum(start_state, world, initiative):
    """Seoul takes an initiative (with Beijing's answer where one is needed), its leadership
    in a vacuum or stable. C20: the initiative lands less often in the vacuum, and never
    lands in the vacuum on a seed where it fails with a stable government."""
    rule_id, partner_moves = SEOUL_INITIATIVES[initiative]
    turn = moves(f"seoul:{initiative}", *partner_moves)
    stable = situation(start_state, {"rok_leadership": "stable"})
    in_vacuum, when_stable = [], []
    for seed in SEEDS:
        adj = world(start_state, turn, seed)
        in_vacuum.append(outcome(adj, "seoul", initiative).result == "succeeded")
        when_stable.append(
            outcome(world(stable, turn, seed), "seoul", initiative).result == "succeeded"
        )
        assert when_stable[-1] or not in_vacuum[-1]
    assert rate(in_vacuum) < rate(when_stable)
    assert_cites(adj, rule_id, "C20")


# C21 -----------------------------------------------------------------------------------

CHANNELS = {
    "pyongyang": (moves("seoul:restore_channel_pyongyang"), "c21_channel_pyongyang"),
    "moscow": (moves("seoul:restore_channel_moscow"), "c21_channel_moscow"),
    "global_south": (moves("seoul:engage_global_south"), "c21_global_south"),
    "beijing": (ROK_PRC_SUMMIT, "rok_prc_summit"),
}


@pytest.mark.parametrize("counterpart", sorted(CHANNELS))
def test_c21_reopening_a_channel_raises_seouls_influence(start_state, world, counterpart):
    """Seoul reopens a channel to Pyongyang, Moscow, the Global South or (by a summit)
    Beijing. C21: where the channel opens, Seoul's influence ends higher than in the same
    month without the attempt; where it does not, Seoul has lost nothing by trying."""
    turn, rule_id = CHANNELS[counterpart]
    opened = 0
    for seed in SEEDS:
        quiet = world(start_state, [], seed)
        tried = world(start_state, turn, seed)
        gain = delta(quiet, tried, INFLUENCE)
        if succeeded(tried, rule_id):
            opened += 1
            assert gain > 0
            assert_cites(tried, rule_id, "C21")
        else:
            assert gain == 0
    assert opened > 0


def test_c21_hosting_apec_raises_seouls_standing(start_state, eve_of_apec, world):
    """The same situation in an ordinary month and in October, the APEC month, with tension
    below crisis level. C21: hosting APEC raises Seoul's influence more than an ordinary
    month does."""
    ordinary_month = situation(start_state, {"turn": APEC_TURN - 2})
    for seed in SEEDS:
        hosted = world(eve_of_apec, [], seed)
        assert value(hosted, "apec") == "held"
        ordinary_gain = change(ordinary_month, world(ordinary_month, [], seed), INFLUENCE)
        assert change(eve_of_apec, hosted, INFLUENCE) > ordinary_gain
    assert_cites(hosted, "apec_held", "C21")


def test_c21_xi_at_seouls_apec_raises_its_standing_further(eve_of_apec, world):
    """APEC in Gyeongju, with or without Xi and a ROK-PRC summit. C21: a well-attended APEC
    with Xi's visit raises Seoul's influence and Seoul-Beijing relations more."""
    for seed in SEEDS:
        without_xi = world(eve_of_apec, [], seed)
        with_xi = world(eve_of_apec, XI_GOES, seed)
        assert delta(without_xi, with_xi, INFLUENCE) > 0
        assert delta(without_xi, with_xi, "relations.beijing-seoul") > 0
    assert_cites(with_xi, "xi_in_gyeongju", "C21")


def test_c21_apec_overshadowed_by_crisis_costs_seoul(eve_of_apec, world):
    """October 2025 with tension at crisis level (92) or merely elevated (70). C21 in
    reverse: when leaders stay away from Gyeongju, Seoul loses standing instead of gaining."""
    calm = situation(eve_of_apec, {"tension": 70})
    crisis = situation(eve_of_apec, {"tension": 92})
    for seed in SEEDS:
        hosted = world(calm, [], seed)
        overshadowed = world(crisis, [], seed)
        assert value(overshadowed, "apec") == "boycotted"
        assert change(crisis, overshadowed, INFLUENCE) < 0 < change(calm, hosted, INFLUENCE)
    assert fired(overshadowed, "apec_boycotted") is not None
    assert_cites(overshadowed, "apec_boycotted", "C21")
