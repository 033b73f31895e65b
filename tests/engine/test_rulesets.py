"""Engine rulesets: the engine names the behaviours it knows and refuses any other."""

import pytest

from wargame.engine import (
    CURRENT_RULESET,
    RULESETS,
    BadSeed,
    UnknownRuleset,
    adjudicate,
    new_secret_seed,
)


def test_the_engine_knows_rulesets_1_to_3_and_new_games_use_3():
    """Ruleset 3 (secret dice, consistent overrides) is current; rulesets 1 and 2 are kept
    for the games played on them."""
    assert list(RULESETS) == [1, 2, 3]
    assert CURRENT_RULESET == 3
    assert all(RULESETS.values())


def test_adjudicating_under_ruleset_1_is_the_default_for_an_integer_seed(scenario, start_state):
    """An integer seed is ruleset 1's: naming ruleset 1 gives exactly the default."""
    default = adjudicate(start_state, [], seed=4, scenario=scenario)
    named = adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=1)
    assert named == default


def test_a_secret_seed_adjudicates_under_ruleset_2(scenario, start_state):
    """A 32-hex-digit seed is ruleset 2's; it is the default for it."""
    seed = new_secret_seed()
    default = adjudicate(start_state, [], seed=seed, scenario=scenario)
    assert adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=2) == default


@pytest.mark.parametrize(
    ("seed", "ruleset"),
    [(4, 2), ("0" * 32, 1), ("abc", 2), ("0" * 31 + "G", 2), (-1, 1), (True, 1), (2**53, 1)],
)
def test_a_seed_of_the_wrong_form_for_its_ruleset_is_refused(scenario, start_state, seed, ruleset):
    """Dice are never rolled with a seed its ruleset was not made for (an integer seed
    under ruleset 2 would bring back the guessable dice)."""
    with pytest.raises(BadSeed, match=f"ruleset {ruleset} needs"):
        adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=ruleset)


@pytest.mark.parametrize("ruleset", [0, 4, 99, "1", True])
def test_an_unknown_ruleset_is_refused_naming_the_known_ones(scenario, start_state, ruleset):
    """A game or log from an engine with rules this one lacks must not be adjudicated by
    approximation: refused, naming the rulesets there are."""
    with pytest.raises(UnknownRuleset, match="this engine knows ruleset 1, 2, 3"):
        adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=ruleset)
