"""Engine rulesets: the engine names the behaviours it knows and refuses any other."""

import pytest

from wargame.engine import CURRENT_RULESET, RULESETS, UnknownRuleset, adjudicate


def test_the_engine_knows_ruleset_1_and_it_is_current():
    """Today there is one ruleset, described in a line, and new games use it."""
    assert list(RULESETS) == [1]
    assert CURRENT_RULESET == 1
    assert RULESETS[1]


def test_adjudicating_under_ruleset_1_is_the_default(scenario, start_state):
    """Naming ruleset 1 gives exactly the default adjudication."""
    default = adjudicate(start_state, [], seed=4, scenario=scenario)
    named = adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=1)
    assert named == default


@pytest.mark.parametrize("ruleset", [0, 2, 99, "1", True])
def test_an_unknown_ruleset_is_refused_naming_the_known_ones(scenario, start_state, ruleset):
    """A game or log from an engine with rules this one lacks must not be adjudicated by
    approximation: refused, naming the rulesets there are."""
    with pytest.raises(UnknownRuleset, match="this engine knows ruleset 1"):
        adjudicate(start_state, [], seed=4, scenario=scenario, ruleset=ruleset)
