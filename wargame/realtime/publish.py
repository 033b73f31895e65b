"""How committed events reach sockets: the channel layer, from any process.

Every persisted GameEvent is sent to its game's group with its audience; each consumer
filters for its seat. Nothing here touches the ORM.
"""

from __future__ import annotations

import asyncio
import os
import threading

from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer

from .vocabulary import EventMessage, event_message, game_group


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
