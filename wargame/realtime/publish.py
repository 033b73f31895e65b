"""How committed events reach sockets: the channel layer, from any process.

Every persisted GameEvent is sent to its game's group with its audience; each consumer
filters for its seat. Nothing here touches the ORM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time

from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer

from .vocabulary import EventMessage, event_message, events_message, game_group

log = logging.getLogger(__name__)


def publish_events(game_id: int, events: list[tuple]) -> None:
    """Send committed events, each (message, audience, seqs), to the game's group, in
    seq order.

    Never raises: this runs after the write committed (on_commit), so a failure here must
    not turn a stored move into a 500 that a retry answers with 409. What was not sent is
    in the event log, and every socket catches up from it (a ping, a resume, the next
    event); the failure is logged and `link_degraded()` reports it to the sockets.
    """
    if not events:
        return
    try:
        _send(game_group(game_id), events)
    except Exception:  # noqa: BLE001 - any channel-layer failure; the log is the fallback
        _health.failed()
        log.warning(
            "game %s: publishing events %s..%s failed; sockets catch up from the log",
            game_id,
            events[0][0]["seq"],
            events[-1][0]["seq"],
            exc_info=True,
        )
    else:
        _health.sent()


class _Health:
    """When this process last failed and last managed to publish (monotonic seconds)."""

    def __init__(self) -> None:
        self.last_failure = 0.0
        self.last_success = 0.0

    def failed(self) -> None:
        self.last_failure = time.monotonic()

    def sent(self) -> None:
        self.last_success = time.monotonic()


_health = _Health()
DEGRADED_FOR_SECONDS = 60


def link_degraded() -> bool:
    """True while this process's latest publish failed (within the last minute): live
    events may come late, through catch-up only. The socket tells its page (pong)."""
    failure = _health.last_failure
    return failure > _health.last_success and time.monotonic() - failure < DEGRADED_FOR_SECONDS


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
    """One message for the commit's events, each (message, audience[, seats' counts])."""
    messages = [event_message(message, audience, *seqs) for message, audience, *seqs in events]
    await layer.group_send(group, dict(events_message(messages), group=group))


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
        try:
            future.result(timeout=PUBLISH_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()  # a hung Redis: give up here, the log has the events
            raise

    async def _send(self, group: str, events) -> None:
        if self.layer is None:
            self.layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        await _group_send(self.layer, group, events)


PUBLISH_TIMEOUT_SECONDS = 5  # a write waits at most this long for a hung Redis
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
