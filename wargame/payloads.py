"""JSON shapes of rows, shared by services (event payloads) and selectors (API views)."""

from __future__ import annotations

from wargame.models import Message, Move


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
