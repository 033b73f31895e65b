"""JSON shapes of rows, shared by services (event payloads) and selectors (API views)."""

from __future__ import annotations

from collections.abc import Iterable

from wargame import policy
from wargame.models import Inject, Message, Move, Turn, TurnResult


def move_dict(row: Move) -> dict:
    """A move as its role and the facilitator see it; `id` is the opaque public id."""
    return {
        "id": str(row.public_id),
        "turn": row.turn.number,
        "role": row.role,
        "action": row.action,
        "target": row.target or None,
        "rationale": row.rationale,
    }


def message_dict(message: Message) -> dict:
    return {
        "id": str(message.public_id),
        "turn": message.turn_number,
        "from": message.sender,
        "to": "all" if message.recipients == ["all"] else message.recipients,
        "text": message.text,
        "at": message.created_at.isoformat(),
    }


def restricted_injects(turn: Turn, injects: Iterable[Inject] | None = None) -> dict[str, str]:
    """Injects of this turn shown only to some roles: {id: label} (`injects`: the turn's,
    if the caller has read them)."""
    rows = turn.injects.all() if injects is None else injects
    return {i.inject_id: i.label for i in rows if policy.EVERYONE not in i.audience}


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
    return {"number": number, **policy.public_outcome(outcome, restricted or {})}
