"""How the busy sockets take their messages: one queue in arrival order, no hop per frame.

Channels' AsyncConsumer hands messages to `dispatch` through `await_many_dispatch`, which,
for every message of every socket, waits with `asyncio.wait` on two tasks (the client's
frames and the channel layer's messages) and then makes a new task for the next one: 11%
of a web process's CPU at 100 games x 40 sockets (py-spy, bench/load.py). Here each of
the two sources is read by one task that lives as long as the socket, into one queue, and
the consumer takes its messages from it in the order they came. The contract is
Channels': each source's messages in their order, handled one at a time; StopConsumer
ends the consumer; an error in a source is raised to the server.

A socket whose process cannot reach Redis when it opens (an outage) opens without the
channel layer: `live_link` is then False, and its consumer serves it from the database on
every ping until `redis_is_back`, then closes it for the page to reconnect live.

Its `dispatch` also skips Channels' close_old_connections hop to the one shared sync
thread on every message: these consumers reach the database only through
database_sync_to_async, which closes old connections itself around each call.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer

from wargame.cache_backend import REDIS_OUT_OF_REACH

Source = Callable[[], Awaitable[dict[str, Any]]]


class QueuedDispatch:
    """A mixin for an AsyncConsumer (before it in the bases)."""

    async def __call__(self, scope, receive, send) -> None:
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources: list[Source] = [receive]
        self.live_link = self.channel_layer is not None
        if self.channel_layer is not None:
            try:
                self.channel_name = await self.channel_layer.new_channel()
            except REDIS_OUT_OF_REACH:
                self.live_link = False
                self.channel_name = f"offline!{uuid.uuid4().hex}"  # still names the socket
            else:
                self.channel_receive = functools.partial(
                    self.channel_layer.receive, self.channel_name
                )
                sources.append(self._live_or_none)
        self.base_send = send
        with contextlib.suppress(StopConsumer):
            await dispatch_in_arrival_order(sources, self.dispatch)

    async def _live_or_none(self) -> dict[str, Any]:
        """The channel layer's next message. If Redis is out of reach (the list-based
        layer asks it for each message), none ever comes: the socket lives on its pings."""
        try:
            return await self.channel_receive()
        except REDIS_OUT_OF_REACH:
            self.live_link = False
            return await asyncio.Future()  # never done: the pump is cancelled at the close

    async def join_groups(self, groups: list[str]) -> None:
        """Join `groups` (`groups_joined`); with Redis out of reach, as many as it could,
        and `live_link` False: the socket opens all the same and lives on its pings."""
        self.groups_joined: list[str] = []
        if not self.live_link:
            return
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except REDIS_OUT_OF_REACH:
            self.live_link = False

    async def leave_groups(self) -> None:
        for group in getattr(self, "groups_joined", []):
            with contextlib.suppress(REDIS_OUT_OF_REACH):  # (Redis drops a gone subscriber)
                await self.channel_layer.group_discard(group, self.channel_name)

    async def redis_is_back(self) -> bool:
        """For a socket opened without Redis: a publish to a group nobody joins goes
        through once Redis is back."""
        try:
            await self.channel_layer.group_send("lt-probe", {"type": "link.probe"})
        except REDIS_OUT_OF_REACH:
            return False
        return True

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


async def dispatch_in_arrival_order(
    sources: list[Source], dispatch: Callable[[dict[str, Any]], Awaitable[None]]
) -> None:
    """Hand every message of every source to `dispatch`, one at a time, as they come."""
    inbox: asyncio.Queue = asyncio.Queue()

    async def pump(source: Source) -> None:
        try:
            while True:
                inbox.put_nowait((None, await source()))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - raised below, in the consumer
            inbox.put_nowait((error, None))

    pumps = [asyncio.ensure_future(pump(source)) for source in sources]
    try:
        while True:
            error, message = await inbox.get()
            if error is not None:
                raise error
            await dispatch(message)
    finally:
        for task in pumps:
            task.cancel()
        for task in pumps:
            with contextlib.suppress(asyncio.CancelledError):
                await task
