"""The real-time vocabulary: group names, event types and how events reach sockets.

Every persisted GameEvent goes to the game's group with its audience; each consumer
filters for its seat (and keeps strict seq order). Role groups carry ephemeral,
role-only notices. Nothing here touches the ORM.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer

EVERYONE = "all"
FACILITATOR = "facilitator"
OBSERVER = "observer"

# Event types (the WebSocket protocol, DESIGN.md). Handlers are named after them.
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


def may_see(
    role: str, audience: list[str], event_type: str = "", observer_reads_channels: bool = False
) -> bool:
    """The one visibility rule: the facilitator sees all; others, 'all' or their own role;
    observers also read private messages when the facilitator has granted it."""
    if role == FACILITATOR or EVERYONE in audience or role in audience:
        return True
    return role == OBSERVER and observer_reads_channels and event_type == MESSAGE_POSTED


def publish_events(game_id: int, events: list[tuple[EventMessage, list[str]]]) -> None:
    """Send committed events to the game's group, in seq order."""
    if events:
        _send(game_group(game_id), events)


def _send(group: str, events: list[tuple[EventMessage, list[str]]]) -> None:
    shared = get_channel_layer()
    if shared is None:
        return
    if isinstance(shared, InMemoryChannelLayer):
        # The in-memory layer reaches consumers only through the shared instance.
        async_to_sync(_group_send)(shared, group, events)
        return
    _publisher().send(group, events)


def event_message(event: EventMessage, audience: list[str]) -> dict[str, Any]:
    """The channel-layer message for one persisted event: the header a consumer needs to
    filter and order it, and the frame's JSON text, made once here for every socket of
    every process rather than once per socket."""
    return {
        "type": "game.event",
        "event": {"seq": event["seq"], "type": event["type"], "turn": event["turn"]},
        "audience": audience,
        "text": json.dumps(event),
    }


async def _group_send(layer, group: str, events) -> None:
    for message, audience in events:
        await layer.group_send(group, event_message(message, audience))


class _Publisher:
    """A private event loop in a daemon thread, with its own channel-layer instance.

    channels-redis binds its connection pools to the event loop that made them, and
    async_to_sync in a Celery worker makes a new loop per call ("Event loop is closed",
    channels_redis#332, channels#1876). One long-lived loop per process keeps one pool
    alive instead of building a layer and a connection for every event (~8 ms each).
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.layer = None
        threading.Thread(target=self.loop.run_forever, name="lt-publisher", daemon=True).start()

    def send(self, group: str, events) -> None:
        future = asyncio.run_coroutine_threadsafe(self._send(group, events), self.loop)
        future.result(timeout=PUBLISH_TIMEOUT_SECONDS)

    async def _send(self, group: str, events) -> None:
        if self.layer is None:
            self.layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        await _group_send(self.layer, group, events)


PUBLISH_TIMEOUT_SECONDS = 10
_publishers: dict[int, _Publisher] = {}
_publishers_lock = threading.Lock()


def _publisher() -> _Publisher:
    """This process's publisher (a forked worker child gets its own, never its parent's)."""
    pid = os.getpid()
    with _publishers_lock:
        if pid not in _publishers:
            _publishers.clear()
            _publishers[pid] = _Publisher()
        return _publishers[pid]
