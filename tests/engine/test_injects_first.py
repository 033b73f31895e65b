"""Ruleset 4: an inject takes effect before the rules of its turn read the state.

Catalogue cases compare two worlds under the same seed: the snap-election inject
(`rok_election`: Seoul's leadership becomes stable) with Seoul inviting Xi to Gyeongju,
whose chance is 85 % less 25 while the leadership is in doubt.
"""

from __future__ import annotations

from wargame.engine import Move, adjudicate

SEED = "0123456789abcdef0123456789abcdef"


def _invite(state, scenario, ruleset, injects=("rok_election",)):
    moves = [Move("seoul", "invite_xi_apec", "beijing")]
    return adjudicate(state, moves, seed=SEED, scenario=scenario, ruleset=ruleset, injects=injects)


def _rule(adjudication, rule_id):
    return next(r for r in adjudication.fired_rules if r.rule == rule_id)


def test_r4_the_election_inject_counts_before_the_invitation_is_judged(scenario, start_state):
    """Ruleset 4: the election ends the vacuum first, so the invitation's chance is 85."""
    assert _rule(_invite(start_state, scenario, 4), "invite_xi").chance == 85


def test_r3_kept_the_state_the_turn_opened_with(scenario, start_state):
    """Ruleset 3 (old games): the same turn still read the vacuum (chance 60)."""
    assert _rule(_invite(start_state, scenario, 3), "invite_xi").chance == 60


def test_r4_without_the_inject_the_vacuum_still_counts(scenario, start_state):
    """The other world: no inject, the vacuum lowers the chance under ruleset 4 too."""
    assert _rule(_invite(start_state, scenario, 4, injects=()), "invite_xi").chance == 60


def test_r4_stabilising_after_the_election_has_no_rule_to_answer(scenario, start_state):
    """Stabilise the leadership in the election's own turn: no rule answers it under
    ruleset 4 (the vacuum is over); under ruleset 3 the vacuum rule still fired."""
    moves = [Move("seoul", "stabilise_leadership")]
    new = adjudicate(
        start_state, moves, seed=SEED, scenario=scenario, ruleset=4, injects=["rok_election"]
    )
    old = adjudicate(
        start_state, moves, seed=SEED, scenario=scenario, ruleset=3, injects=["rok_election"]
    )
    assert new.outcomes[0].result == "no_effect"
    assert old.outcomes[0].result == "partial"


def test_r4_narrative_uses_labels_not_codes(scenario, start_state):
    """Ruleset 4 tells the changes by the variables' labels."""
    result = _invite(start_state, scenario, 4)
    assert "Seoul's leadership" in result.narrative["all"]
    assert "rok_leadership" not in " ".join(result.narrative.values())
