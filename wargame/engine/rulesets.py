"""Engine rulesets: the engine's own behaviour, versioned like the scenarios it reads.

A change to the engine that alters an outcome (how effects accumulate, the C9 cap, dice,
scoring) would change every game already played. Instead it becomes a new ruleset: add
its number here with a line saying what it changes, branch on `ruleset` where the
behaviour differs, and keep the old branch for ever. A game stores the ruleset it is
adjudicated under and its log names it, so a replay runs the engine it was played on.
"""

from __future__ import annotations

from .conditions import ScenarioError

RULESETS: dict[int, str] = {
    1: "The first release: effects in file order, the relation cap once at the end of "
    "the turn, dice from sha256 of (seed, turn, rule).",
}
CURRENT_RULESET = max(RULESETS)


class UnknownRuleset(ScenarioError):
    """A ruleset this engine does not know (a log from a newer server, or a typo)."""


def check_ruleset(ruleset: int) -> int:
    if isinstance(ruleset, bool) or not isinstance(ruleset, int) or ruleset not in RULESETS:
        known = ", ".join(str(r) for r in RULESETS)
        raise UnknownRuleset(
            f"unknown engine ruleset {ruleset!r}; this engine knows ruleset {known}"
        )
    return ruleset
