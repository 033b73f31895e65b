"""The real-time vocabulary: event types, group names and the shape of a message.

Every persisted GameEvent goes to the game's group with its audience; each consumer
filters for its seat (`policy.may_see`) and keeps strict seq order. Nothing here touches
the ORM or the channel layer.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

from wargame.policy import audience

# Event types (the WebSocket protocol, docs/websocket.md). Handlers are named after them.
GAME_CREATED = "game.created"
GAME_STARTED = "game.started"
GAME_PAUSED = "game.paused"
GAME_RESUMED = "game.resumed"
GAME_FINISHED = "game.finished"
GAME_SETTINGS = "game.settings"
TURN_OPENED = "turn.opened"
TURN_RESOLVING = "turn.resolving"
TURN_RESOLVED = "turn.resolved"
TURN_PROPOSED = "turn.proposed"  # facilitator only: an outcome awaiting umpire review
TURN_DEADLINE = "turn.deadline"
TURN_FAILED = "turn.failed"  # facilitator only: the turn could not be resolved, and why
TURN_UNRESOLVED = "turn.unresolved"  # everyone: the same news, without the internals
TURN_RETRIED = "turn.retried"  # everyone: the facilitator sent a failed turn back to resolve
GAME_IMPORTED = "game.imported"
MOVE_SUBMITTED = "move.submitted"  # everyone: only that a role has moved
MOVE_RECORDED = "move.recorded"  # that role and the facilitator: the move itself
MOVE_WITHDRAWN = "move.withdrawn"
ROLE_LOCKED = "role.locked"
MESSAGE_POSTED = audience.MESSAGE_POSTED  # "message.posted": the one an observer grant opens
INJECT_APPLIED = "inject.applied"
PRESENCE = "presence"
# The class dashboard's socket (/ws/classes/<id>/) says which table changed, by what
# events, with the table's card as the teacher's page shows it (ws/class_consumer.py).
CLASS_TABLE_CHANGED = "table.changed"


class EventMessage(TypedDict):
    seq: int | None
    type: str
    turn: int
    data: dict[str, Any]


def game_group(game_id: int) -> str:
    return f"game.{game_id}"


def game_of_group(group: str | None) -> int | None:
    """The game id of a game's group name (`game_group`), or None: every published message
    carries the group it was sent to, so a socket in many games' groups (the class
    dashboard's) knows which game spoke."""
    parts = (group or "").split(".")
    if len(parts) != 2 or parts[0] != "game" or not parts[1].isdigit():
        return None
    return int(parts[1])


def event_message(
    event: EventMessage, audience: list[str], seqs: dict[str, int] | None = None
) -> dict[str, Any]:
    """The channel-layer message for one persisted event: the header a consumer needs to
    filter and order it (the log's seq, the audience, every seat's own count `seqs`), and
    the frame's JSON text without its seq, made once here for every socket of every
    process rather than once per socket; each socket puts its seat's number in front
    (`frame_text`)."""
    return {
        "type": "game.event",
        "event": {"seq": event["seq"], "type": event["type"], "turn": event["turn"]},
        "audience": audience,
        "seqs": seqs or {},
        "body": json.dumps({"type": event["type"], "turn": event["turn"], "data": event["data"]}),
    }


def events_message(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """One channel-layer message for the events of one commit (each an `event_message`),
    in seq order: a socket is handed a commit once, not once per event. A resolution's
    commit holds `turn.resolved` and `turn.opened`, the last lock's `role.locked` and
    `turn.resolving`; handing each over on its own cost every socket of every game a
    dispatch per event (bench/load.py)."""
    return {"type": "game.events", "events": messages}


def frame_text(seq: int, body: str) -> str:
    """A frame's JSON text from its body (`event_message`) and a seat's number for it."""
    return f'{{"seq": {int(seq)}, {body[1:]}'
