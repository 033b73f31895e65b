"""The game socket at /ws/games/<id>/: an async consumer that forwards the seat's events.

Async, against the house default of sync consumers, because this is the hot path of the
fan-out: a sync consumer runs every handler on one shared worker thread, so a burst of
resolutions queued 240 sends behind each other (bench/realtime_fanout.py). Database work
stays in small sync helpers (wargame/ws/auth.py) called through database_sync_to_async.

Ordering and catch-up: every persisted event reaches the game group with its audience
and every seat's own count (policy.sequences). The consumer tracks the log's last seq it
has accounted for (`done_seq`: internal, for order and gaps) and its seat's last number
(`mine`: the only number the client sees). It forwards an event when the seat's count
rises past `mine`, skips what it has already passed, and fills any gap from the event
log (publishing after commit can reorder two commits by a hair). Channels hands a
consumer one message at a time, so a catch-up finishes before the next live event is
looked at. A client reconnects with {"type": "resume", "last_seq": N} (or ?last_seq=N),
N in its own numbering, and gets exactly what it missed, in order.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation

from wargame import policy, realtime
from wargame.cache_backend import REDIS_OUT_OF_REACH
from wargame.engine.reasons import Reason
from wargame.selectors.reasons import localised
from wargame.selectors.translations import SOURCE_LANGUAGE, present_event, reader_language
from wargame.ws.auth import (
    seat_disconnected,
    seat_events_after,
    seat_game_events,
    seat_opened,
    seat_position,
)
from wargame.ws.dispatch import QueuedDispatch
from wargame.ws.language import scope_language

log = logging.getLogger(__name__)
CLOSE_NOT_FOUND = 4404
# Redis is back for a socket that opened without it: "service restart", reconnect (the
# pages do, resuming from their last seq) and get the live link.
CLOSE_LINK_BACK = 1012
MAX_FRAME_CHARS = 4096


def _db(func):
    """`func` (a small sync helper that reads or writes the database) on a thread of the
    pool rather than the one thread asgiref keeps for thread-sensitive work outside a
    request: 200 sockets connecting at once queued 600 such calls there behind each other,
    and daphne (the web server then) dropped handshakes that waited over 5 s (bench/load.py).
    database_sync_to_async closes the call's connection after it (back to the pool)."""
    return database_sync_to_async(func, thread_sensitive=False)


class GameConsumer(QueuedDispatch, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        self.seat = None
        # The game's group only: every event reaches it with its audience and counts, and
        # is filtered here (one PUBLISH per commit; a group per seat would be one per seat).
        # Joined first (it needs only the game's id), so that one database trip can decide
        # who this is, mark them present and read where the seat stands, with no event
        # falling between that read and the first one heard: a burst of 200 handshakes
        # made two trips each, queued on the process's pool behind the lock requests.
        # Nothing reaches a refused socket: events wait until connect returns (game_event).
        # With Redis out of reach it opens all the same, without live events: every ping
        # catches up from the log, and the page says the link is degraded.
        await self.join_groups([realtime.game_group(self.game_id)])
        # A reader of another language gets the frames' scenario texts translated; the
        # English reader's frames go out as published (no extra read, no re-encoding).
        self.language = reader_language(scope_language(self.scope))
        opened = await _db(seat_opened)(
            self.scope, self.game_id, self.channel_name, translated=self.language != SOURCE_LANGUAGE
        )
        if opened is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.seat, newest, mine, self.scenario_row = opened
        self.role = self.seat["role"]
        await self.accept()
        wanted = _query_int(self.scope, "last_seq")
        self.done_seq, self.mine = newest, mine
        if wanted is not None and wanted < mine:
            await self._resume(wanted, newest)
        if not self.live_link:
            log.warning("game %s: a socket opened without Redis; it catches up on pings",
                        self.game_id)  # fmt: skip
            await self._pong()  # the page says "degraded" at once, not at its first ping
        await self._presence(online=True)

    async def disconnect(self, code: int) -> None:
        await self.leave_groups()
        if getattr(self, "seat", None):
            await _db(seat_disconnected)(self.channel_name)
            await self._presence(online=False)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame, problem = parse_frame(text_data)
        if problem:
            return await self._error(problem)
        kind = frame.get("type")
        if kind == "resume":
            last = frame.get("last_seq")
            if not isinstance(last, int) or isinstance(last, bool) or last < 0:
                return await self._error(Reason("resume needs 'last_seq', a whole number >= 0."))
            newest, mine = await _db(seat_position)(self.game_id, self.role)
            if last > mine:
                return await self._error(
                    Reason(
                        "last_seq %(last)s is ahead of this game (your last event is %(mine)s); "
                        "resume from a seq you have received.",
                        last=last,
                        mine=mine,
                    )
                )
            await self._resume(last, newest)
        elif kind == "ping":
            # A ping also catches up: an event the channel layer dropped (pub/sub keeps
            # nothing while this process reconnects to Redis) is in the log.
            newest, _ = await _db(seat_position)(self.game_id, self.role)
            if newest > self.done_seq:
                await self._catch_up()
            if not self.live_link and await self.redis_is_back():
                return await self.close(code=CLOSE_LINK_BACK)
            await self._pong()
        else:
            await self._error(
                Reason(
                    "Unknown frame type %(kind)s; this socket understands resume and ping.",
                    kind=repr(kind),
                )
            )

    async def _pong(self) -> None:
        """`live`: false while this socket or this process cannot use Redis (an outage):
        the page says the live link is degraded; events still come, by the ping's catch-up."""
        live = self.live_link and not realtime.link_degraded()
        await self.send(
            text_data=json.dumps({"seq": None, "type": "pong", "turn": 0, "data": {"live": live}})
        )

    async def game_events(self, message: dict[str, Any]) -> None:
        """The events of one commit, in seq order (handler for type 'game.events',
        realtime.events_message)."""
        for event in message["events"]:
            await self.game_event(event)

    async def game_event(self, message: dict[str, Any]) -> None:
        """A published event (handler for type 'game.event'). Persisted events come as
        their header, audience, counters and body, made once by the publisher
        (realtime.event_message), a commit's together (`game_events`); presence notices
        on their own, as the whole event."""
        if self.seat is None:  # refused (connect closed it): heard while it was deciding
            return
        event, audience = message["event"], message["audience"]
        seq = event.get("seq")
        if seq is None:  # ephemeral (presence): its text made once, by its sender
            if policy.may_see(self.role, audience):
                await self.send(text_data=message.get("body") or json.dumps(event))
            return
        if seq <= self.done_seq:
            return
        if seq > self.done_seq + 1:
            await self._catch_up(upto=seq - 1)
        await self._forward(event, message.get("seqs", {}), message.get("body"))

    async def _catch_up(self, upto: int | None = None) -> None:
        """The log's events after `done_seq` (up to `upto`), numbered for this seat."""
        events = await _db(seat_game_events)(self.game_id, self.done_seq, upto)
        for event, _audience, seqs in events:
            await self._forward(event, seqs)

    async def _resume(self, last: int, newest: int) -> None:
        """Send again everything after the seat's number `last`, up to the log's `newest`
        (read just before): then carry on live from there."""
        self.mine = last
        events = await _db(seat_events_after)(self.game_id, self.role, last, newest)
        for event, _audience, seqs in events:
            await self._forward(event, seqs)
        self.done_seq = max(self.done_seq, newest)

    async def _forward(self, event: dict, seqs: dict, body: str | None = None) -> None:
        """Send an event if this seat's count rises with it, numbered its way, and account
        for the log's seq either way."""
        number = policy.seat_seq(seqs, self.role, event["seq"])
        if number > self.mine:
            self.mine = number
            if self.scenario_row is not None:
                body = self._translated(event, body)
            if body is None:
                frame = {"type": event["type"], "turn": event["turn"], "data": event["data"]}
                body = json.dumps(frame)
            await self.send(text_data=realtime.frame_text(number, body))
        self.done_seq = max(self.done_seq, event["seq"])

    def _translated(self, event: dict, body: str | None) -> str:
        """The frame with its data's scenario texts in this socket's language."""
        frame = (
            json.loads(body)
            if body is not None
            else {"type": event["type"], "turn": event["turn"], "data": event["data"]}
        )
        with translation.override(self.language):
            frame["data"] = present_event(frame.get("data"), self.scenario_row, self.language)
        return json.dumps(frame)

    async def _presence(self, *, online: bool) -> None:
        message = {
            "seq": None,
            "type": realtime.PRESENCE,
            "turn": 0,
            "data": {"role": self.role, "name": self.seat["name"], "online": online},
        }
        if not self.live_link:
            return  # (not stored: nobody hears it without Redis)
        with contextlib.suppress(REDIS_OUT_OF_REACH):  # (Redis went away since: it is lost)
            await self.channel_layer.group_send(
                realtime.game_group(self.game_id),
                {
                    "type": "game.event",
                    "event": message,
                    "audience": [policy.EVERYONE],
                    "body": json.dumps(message),
                    "group": realtime.game_group(self.game_id),
                },
            )

    async def _error(self, text: str) -> None:
        with translation.override(self.language):
            text = localised(text)
        await self.send(
            text_data=json.dumps({"seq": None, "type": "error", "turn": 0, "data": {"error": text}})
        )


def parse_frame(text_data: str | None) -> tuple[dict, None] | tuple[None, str]:
    """A client frame to (object, None), or (None, what is wrong) for the error frame.
    Whatever the client sends is answered, never raised: json.loads raises RecursionError
    on a 4 KB frame of nested brackets, which closed the socket with 1011."""
    if text_data is None or len(text_data) > MAX_FRAME_CHARS:
        return None, Reason("Send JSON text frames of at most 4 KB.")
    try:
        frame = json.loads(text_data)
    except RecursionError:
        return None, Reason('That frame is nested too deeply. Send e.g. {"type": "ping"}.')
    except ValueError:  # JSONDecodeError, and anything else the decoder refuses
        return None, Reason('That frame is not JSON. Send e.g. {"type": "resume", "last_seq": 0}.')
    if not isinstance(frame, dict):
        return None, Reason("A frame must be a JSON object with a 'type'.")
    return frame, None


def _query_int(scope, name: str) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get(name)
    if not values:
        return None
    try:
        value = int(values[0])
    except ValueError:
        return None
    return value if value >= 0 else None
