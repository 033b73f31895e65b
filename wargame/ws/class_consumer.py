"""The class dashboard's socket at /ws/classes/<id>/: which table just changed.

It joins the group of every table's game and, for each event there (a move, a lock, a
resolution, a pause, a seat connecting), tells the page `{"type": "table.changed",
"game": id, "event": type}`; the page reads that table's row again over HTTP. It forwards
no payload, so it needs no seat filtering; only the class's teacher and staff may open it.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from wargame import realtime
from wargame.ws.auth import class_games_for_scope
from wargame.ws.consumer import CLOSE_NOT_FOUND


class ClassConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        class_id = int(self.scope["url_route"]["kwargs"]["class_id"])
        games = await database_sync_to_async(class_games_for_scope)(self.scope, class_id)
        if games is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.groups_joined = [realtime.game_group(g) for g in games]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Pings keep proxies from closing an idle socket; nothing else is understood."""
        await self.send(text_data=json.dumps({"type": "pong"}))

    async def game_event(self, message: dict[str, Any]) -> None:
        game = realtime.game_of_group(message.get("group"))
        if game is None:
            return
        frame = {
            "type": realtime.CLASS_TABLE_CHANGED,
            "game": game,
            "event": message["event"]["type"],
        }
        await self.send(text_data=json.dumps(frame))
