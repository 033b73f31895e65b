"""The game socket at /ws/games/<id>/: a sync consumer that forwards the seat's events.

Ordering and catch-up: every persisted event reaches the game group with its audience;
the consumer tracks the last seq it has accounted for, forwards what its seat may see,
skips what it has already passed, and fills any gap from the event log (publishing after
commit can reorder two commits by a hair). A client reconnects with {"type": "resume",
"last_seq": N} (or ?last_seq=N) and gets exactly what it missed, in order.
"""

from __future__ import annotations

import json
from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import WebsocketConsumer

from wargame import realtime
from wargame.ws_auth import (
    seat_connected,
    seat_disconnected,
    seat_for_scope,
    seat_game_events,
    seat_last_seq,
)

CLOSE_UNAUTHORISED = 4401
CLOSE_NOT_FOUND = 4404
MAX_FRAME_CHARS = 4096


class GameConsumer(WebsocketConsumer):
    def connect(self) -> None:
        self.game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        self.seat = seat_for_scope(self.scope, self.game_id)
        if self.seat is None:
            self.close(code=CLOSE_NOT_FOUND)
            return
        self.role = self.seat["role"]
        self.observer_reads = self.seat["observers_read_channels"]
        self.groups_joined = [
            realtime.game_group(self.game_id),
            realtime.seat_group(self.game_id, self.role),
        ]
        for group in self.groups_joined:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.accept()
        wanted = _query_int(self.scope, "last_seq")
        newest = seat_last_seq(self.game_id)
        if wanted is not None:
            self.done_seq = min(wanted, newest)
            self._catch_up()
        else:
            self.done_seq = newest
        seat_connected(self.game_id, self.seat, self.channel_name)
        self._presence(online=True)

    def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)
        if getattr(self, "seat", None):
            seat_disconnected(self.channel_name)
            self._presence(online=False)

    def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return self._error("Send JSON text frames of at most 4 KB.")
        try:
            frame = json.loads(text_data)
        except json.JSONDecodeError:
            return self._error(
                'That frame is not JSON. Send e.g. {"type": "resume", "last_seq": 0}.'
            )
        if not isinstance(frame, dict):
            return self._error("A frame must be a JSON object with a 'type'.")
        kind = frame.get("type")
        if kind == "resume":
            last = frame.get("last_seq")
            if not isinstance(last, int) or isinstance(last, bool) or last < 0:
                return self._error("resume needs 'last_seq', a whole number >= 0.")
            newest = seat_last_seq(self.game_id)
            if last > newest:
                return self._error(
                    f"last_seq {last} is ahead of this game (its last event is {newest}); "
                    "resume from a seq you have received."
                )
            self.done_seq = last
            self._catch_up()
        elif kind == "ping":
            self.send(text_data=json.dumps({"seq": None, "type": "pong", "turn": 0, "data": {}}))
        else:
            self._error(f"Unknown frame type {kind!r}; this socket understands resume and ping.")

    def game_event(self, message: dict[str, Any]) -> None:
        """A published event (handler for type 'game.event')."""
        event, audience = message["event"], message["audience"]
        seq = event.get("seq")
        if seq is None:  # ephemeral (presence)
            if realtime.may_see(self.role, audience):
                self.send(text_data=json.dumps(event))
            return
        if seq <= self.done_seq:
            return
        if seq > self.done_seq + 1:
            self._catch_up(upto=seq - 1)
        self._forward(event, audience)

    def _catch_up(self, upto: int | None = None) -> None:
        for event, audience in seat_game_events(self.game_id, self.done_seq, upto):
            self._forward(event, audience)

    def _forward(self, event: dict, audience: list[str]) -> None:
        """Send an event if this seat may see it, and account for its seq either way."""
        if event["type"] == realtime.GAME_SETTINGS:
            self.observer_reads = event["data"].get("observers_read_channels", self.observer_reads)
        if realtime.may_see(self.role, audience, event["type"], self.observer_reads):
            self.send(text_data=json.dumps(event))
        self.done_seq = max(self.done_seq, event["seq"])

    def _presence(self, *, online: bool) -> None:
        realtime.publish_ephemeral(
            self.game_id,
            {
                "seq": None,
                "type": realtime.PRESENCE,
                "turn": 0,
                "data": {"role": self.role, "name": self.seat["name"], "online": online},
            },
            [realtime.EVERYONE],
        )

    def _error(self, text: str) -> None:
        self.send(
            text_data=json.dumps({"seq": None, "type": "error", "turn": 0, "data": {"error": text}})
        )


def _query_int(scope, name: str) -> int | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get(name)
    if not values:
        return None
    try:
        value = int(values[0])
    except ValueError:
        return None
    return value if value >= 0 else None
