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


def test_the_engine_knows_rulesets_1_to_4_and_new_games_use_4():
    """Ruleset 4 (secret dice, consistent overrides, injects before rules) is current;
    rulesets 1 to 3 are kept for the games played on them."""
    assert list(RULESETS) == [1, 2, 3, 4]
    assert CURRENT_RULESET == 4
    assert all(RULESETS.values())


def test_adjudicating_under_ruleset_1_is_the_default_for_an_integer_seed(scenario, start_state):
    """An integer seed is ruleset 1's: naming ruleset 1 gives exactly the default."""
    default = adjudicate(start_state, [], seed=4, scenario=scenario)
    named = adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=1)
    assert named == default


def test_a_secret_seed_adjudicates_under_the_current_ruleset(scenario, start_state):
    """A 32-hex-digit seed is rolled as ruleset 2 rolls it; without a ruleset named, the
    current one adjudicates it. Rulesets 2 and 3 differ only under an override."""
    seed = new_secret_seed()
    default = adjudicate(start_state, [], seed=seed, scenario=scenario)
    assert adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=4) == default
    two = adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=2)
    assert adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=3) == two


@pytest.mark.parametrize(
    ("seed", "ruleset"),
    [(4, 2), ("0" * 32, 1), ("abc", 2), ("0" * 31 + "G", 2), (-1, 1), (True, 1), (2**53, 1)],
)
def test_a_seed_of_the_wrong_form_for_its_ruleset_is_refused(scenario, start_state, seed, ruleset):
    """Dice are never rolled with a seed its ruleset was not made for (an integer seed
    under ruleset 2 would bring back the guessable dice)."""
    with pytest.raises(BadSeed, match=f"ruleset {ruleset} needs"):
        adjudicate(start_state, [], seed=seed, scenario=scenario, ruleset=ruleset)


@pytest.mark.parametrize("ruleset", [0, 5, 99, "1", True])
def test_an_unknown_ruleset_is_refused_naming_the_known_ones(scenario, start_state, ruleset):
    """A game or log from an engine with rules this one lacks must not be adjudicated by
    approximation: refused, naming the rulesets there are."""
    with pytest.raises(UnknownRuleset, match="this engine knows ruleset 1, 2, 3, 4"):
        adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=ruleset)
