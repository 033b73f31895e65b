"""The real-time vocabulary: group names, event types and how events reach sockets.

Every persisted GameEvent goes to the game's group with its audience; each consumer
filters for its seat (and keeps strict seq order). Role groups carry ephemeral,
role-only notices. Nothing here touches the ORM.
"""

from __future__ import annotations

from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

EVERYONE = "all"
FACILITATOR = "facilitator"
OBSERVER = "observer"

# Event types (the WebSocket protocol, DESIGN.md). Handlers are named after them.
GAME_CREATED = "game.created"
GAME_STARTED = "game.started"
GAME_PAUSED = "game.paused"
GAME_RESUMED = "game.resumed"
GAME_FINISHED = "game.finished"
TURN_OPENED = "turn.opened"
TURN_RESOLVING = "turn.resolving"
TURN_RESOLVED = "turn.resolved"
TURN_DEADLINE = "turn.deadline"
MOVE_SUBMITTED = "move.submitted"  # everyone: only that a role has moved
MOVE_RECORDED = "move.recorded"  # that role and the facilitator: the move itself
MOVE_WITHDRAWN = "move.withdrawn"
ROLE_LOCKED = "role.locked"
MESSAGE_POSTED = "message.posted"
INJECT_APPLIED = "inject.applied"
PRESENCE = "presence"


class EventMessage(TypedDict):
    seq: int | None
    type: str
    turn: int
    data: dict[str, Any]


def game_group(game_id: int) -> str:
    return f"game.{game_id}"


def seat_group(game_id: int, role: str) -> str:
    return f"game.{game_id}.{role}"


def may_see(role: str, audience: list[str]) -> bool:
    """The one visibility rule: the facilitator sees all; others, 'all' or their own role."""
    return role == FACILITATOR or EVERYONE in audience or role in audience


def publish_events(game_id: int, events: list[tuple[EventMessage, list[str]]]) -> None:
    """Send committed events to the game's group, in seq order, in one event-loop hop."""
    if events:
        async_to_sync(_send_all)(game_group(game_id), events)


def publish_ephemeral(game_id: int, message: EventMessage, audience: list[str]) -> None:
    """A notice not kept in the log (presence): no seq, filtered like any event."""
    async_to_sync(_send_all)(game_group(game_id), [(message, audience)])


async def _send_all(group: str, events: list[tuple[EventMessage, list[str]]]) -> None:
    shared = get_channel_layer()
    if shared is None:
        return
    # channels-redis pools are bound to the event loop that made them; async_to_sync in a
    # Celery worker makes a new loop per call (channels_redis#332, channels#1876), so use a
    # private layer instance and close its pools before this loop ends. The in-memory layer
    # only reaches consumers through the shared instance, and has no pools to close.
    layer = shared if not hasattr(shared, "close_pools") else channel_layers.make_backend("default")
    try:
        for message, audience in events:
            await layer.group_send(
                group, {"type": "game.event", "event": message, "audience": audience}
            )
    finally:
        if layer is not shared:
            await layer.close_pools()
