"""Engine rulesets: the engine's own behaviour, versioned like the scenarios it reads.

A change to the engine that alters an outcome (how effects accumulate, the C9 cap, dice,
scoring) would change every game already played. Instead it becomes a new ruleset: add
its number here with a line saying what it changes, branch on `ruleset` where the
behaviour differs, and keep the old branch for ever. A game stores the ruleset it is
adjudicated under and its log names it, so a replay runs the engine it was played on.
"""

from __future__ import annotations

from .conditions import ScenarioError
from .dice import MAX_INTEGER_SEED, Seed, is_integer_seed, is_secret_seed
from .reasons import Reason

RULESETS: dict[int, str] = {
    1: "The first release: effects in file order, the relation cap once at the end of "
    "the turn, dice from sha256 of (seed, turn, rule) with an integer seed.",
    2: "As ruleset 1, but the dice are HMAC-SHA256 keyed by a secret 128-bit seed (32 hex "
    "digits), so the rolls a seat sees do not give the seed away.",
    3: "As ruleset 2, and an umpire's override is consistent: a move whose result the "
    "umpire changes takes its rules' other branch (a move marked failed loses its effects "
    "unless the umpire keeps them), and the narrative is told from the final result.",
    4: "As ruleset 3, and an inject comes first: the rules' conditions read the state after "
    "the turn's injects (a snap election ends the leadership vacuum before the rules ask "
    "about it), and the narrative names variables and results by their labels.",
}
CONSISTENT_OVERRIDES_RULESET = 3  # the first ruleset whose overrides re-adjudicate
INJECTS_FIRST_RULESET = 4  # the first ruleset whose rules read the state after injects
CURRENT_RULESET = max(RULESETS)
INTEGER_SEED_RULESET = 1  # the ruleset whose seeds are integers


class UnknownRuleset(ScenarioError):
    """A ruleset this engine does not know (a log from a newer server, or a typo)."""


class BadSeed(ScenarioError):
    """A seed of the wrong form for its ruleset."""


def check_ruleset(ruleset: int) -> int:
    if isinstance(ruleset, bool) or not isinstance(ruleset, int) or ruleset not in RULESETS:
        known = ", ".join(str(r) for r in RULESETS)
        raise UnknownRuleset(
            Reason(
                "unknown engine ruleset %(ruleset)s; this engine knows ruleset %(known)s",
                ruleset=repr(ruleset),
                known=known,
            )
        )
    return ruleset


def ruleset_of_seed(seed: Seed) -> int:
    """The ruleset a seed's form belongs to: integers to 1, secret seeds to the current."""
    return INTEGER_SEED_RULESET if is_integer_seed(seed) else CURRENT_RULESET


def check_seed(seed: Seed, ruleset: int) -> Seed:
    """The seed, if its form is the one `ruleset` rolls dice with; else BadSeed."""
    if ruleset == INTEGER_SEED_RULESET:
        if not is_integer_seed(seed):
            raise BadSeed(
                Reason(
                    "ruleset 1 needs a whole-number seed from 0 to %(high)s, not %(seed)s",
                    high=MAX_INTEGER_SEED,
                    seed=repr(str(seed)[:40]),
                )
            )
    elif not is_secret_seed(seed):
        raise BadSeed(
            Reason(
                "ruleset %(ruleset)s needs a secret seed of 32 hex digits (128 bits), not %(seed)s",
                ruleset=ruleset,
                seed=repr(str(seed)[:40]),
            )
        )
    return seed
