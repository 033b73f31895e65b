"""What a seat sees of a turn's result: the moves, once resolved, but not the injects
shown only to some capitals (they stay unnamed; their effects are in the public state)."""

from __future__ import annotations

UNNAMED_INJECT = "An event known to some capitals"


def public_outcome(outcome: dict, restricted: dict[str, str]) -> dict:
    """A turn's outcome as every seat sees it (also in the replay's seat views). An inject
    shown only to some roles stays unnamed (its effects are in the state)."""
    fired = [
        {**rule, "title": UNNAMED_INJECT, "explanation": "", "event": None}
        if rule["rule"].startswith("inject:") and rule["rule"][7:] in restricted
        else rule
        for rule in outcome["fired_rules"]
    ]
    narrative = dict(outcome["narrative"])
    for label in restricted.values():
        narrative = {who: text.replace(label, UNNAMED_INJECT) for who, text in narrative.items()}
    return {
        "state": outcome["state"],
        "state_hash": outcome["state_hash"],
        "outcomes": outcome["outcomes"],
        "fired_rules": fired,
        "scores": outcome["scores"],
        "narrative": narrative,
        "events": [e for e in outcome.get("events", []) if e not in restricted],
    }
