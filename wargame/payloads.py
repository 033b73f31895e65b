"""JSON shapes of rows, shared by services (event payloads) and selectors (API views)."""

from __future__ import annotations

from wargame import realtime
from wargame.models import Message, Move, Turn, TurnResult


def move_dict(row: Move) -> dict:
    return {
        "id": row.pk,
        "turn": row.turn.number,
        "role": row.role,
        "action": row.action,
        "target": row.target or None,
        "rationale": row.rationale,
    }


def message_dict(message: Message) -> dict:
    return {
        "id": message.pk,
        "turn": message.turn_number,
        "from": message.sender,
        "to": "all" if message.recipients == ["all"] else message.recipients,
        "text": message.text,
        "at": message.created_at.isoformat(),
    }


def restricted_injects(turn: Turn) -> dict[str, str]:
    """Injects of this turn shown only to some roles: {id: label}."""
    return {i.inject_id: i.label for i in turn.injects.all() if realtime.EVERYONE not in i.audience}


UNNAMED_INJECT = "An event known to some capitals"


def resolved_payload(
    number: int, result: TurnResult, restricted: dict[str, str] | None = None
) -> dict:
    """What everyone sees once a turn resolves: now the moves are no longer secret."""
    outcome = {
        "state": result.state,
        "state_hash": result.state_hash,
        "outcomes": result.outcomes,
        "fired_rules": result.fired_rules,
        "scores": result.scores,
        "narrative": result.narrative,
        "events": result.events,
    }
    return {"number": number, **public_outcome(outcome, restricted or {})}


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
