"""The class dashboard's socket at /ws/classes/<id>/: which table just changed, and its card.

It joins the group of every table's game and, for each event there (a move, a lock, a
resolution, a pause, a seat connecting), sends the page `{"type": "table.changed",
"game": id, "event": type, "events": [types], "card": html}`: the table's card as the
page shows it (`class_table.html`, in the page's language), read once after the events
of a commit (they arrive back to back), so the frame shows the table as it is after
them, and the last frame the table as it is now. Before this, the page read the card over HTTP
on each frame (session, class and template: about 50 ms of the 250 ms budget); that read
stays as the page's fallback after a reconnect or a frame without a card.

The card is the teacher's view of the table, the facilitator's kind: who sits where,
who is online, who has moved and locked (never what), the last scores. It goes to this
socket alone, which only the class's teacher and staff may open; no seat's socket is in
a class group, and no move's content is in a card.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from wargame import realtime
from wargame.models import Classroom
from wargame.selectors.classes import class_by_id, class_dashboard
from wargame.ws.auth import class_games_for_scope
from wargame.ws.consumer import CLOSE_LINK_BACK, CLOSE_NOT_FOUND
from wargame.ws.dispatch import QueuedDispatch

log = logging.getLogger(__name__)
RETRY_SECONDS = 0.05
GATHER_SECONDS = 0.005  # a commit's events reach the socket back to back: one read for them


def table_card(classroom: Classroom, game_id: int, language: str) -> str | None:
    """The table's card (`class_table.html`) as the dashboard page renders it, or None if
    the table is gone. Eight small queries (`class_dashboard` for one table)."""
    with translation.override(language):  # the rows' labels and alerts too
        rows = class_dashboard(classroom, game_id=game_id)
        if not rows:
            return None
        return render_to_string("class_table.html", {"row": rows[0]})


def table_cards(classroom: Classroom, language: str) -> list[tuple[int, str]]:
    """Every table's card, (game id, html), from one dashboard read (its constant number
    of queries): what the socket sends first, so that nothing committed between the
    page's render and the socket's opening is missed."""
    with translation.override(language):
        rows = class_dashboard(classroom)
        return [
            (row["game"].pk, render_to_string("class_table.html", {"row": row})) for row in rows
        ]


def page_language(scope) -> str:
    """The page's language (`?lang=`, its `<html lang>`) if the site speaks it, else the
    default: the card's labels and alerts read as the rest of the page does."""
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get("lang") or [""]
    wanted = values[0].lower()
    for code, _name in settings.LANGUAGES:
        if wanted == code or wanted.startswith(code + "-"):
            return code
    return settings.LANGUAGE_CODE


def _db(func):
    """On a thread of the pool, off asgiref's one thread-sensitive thread that every
    socket's thread-sensitive calls queue on (as `ws.consumer._db`)."""
    return database_sync_to_async(func, thread_sensitive=False)


@dataclass
class _Table:
    """One table's card reads on this socket: events heard since the last read began, a
    read about to begin, reads begun and sent (numbered), the events of those unsent."""

    heard: list[str] = field(default_factory=list)
    gathering: bool = False
    started: int = 0
    sent: int = 0
    unsent: dict[int, list[str]] = field(default_factory=dict)


class ClassConsumer(QueuedDispatch, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.class_id = int(self.scope["url_route"]["kwargs"]["class_id"])
        games = await database_sync_to_async(class_games_for_scope)(self.scope, self.class_id)
        if games is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.classroom = await _db(class_by_id)(self.class_id)
        self.language = page_language(self.scope)
        self.tables = {g: _Table() for g in games}
        self.tasks: set[asyncio.Task] = set()
        # Without Redis it opens all the same: every ping brings every card (`receive`).
        await self.join_groups([realtime.game_group(g) for g in games])
        await self.accept()
        # The page was rendered before this socket subscribed: a lock or a resolution
        # committed in between would never come. Every card now, read after subscribing;
        # an event heard meanwhile is handled after connect returns, so its card is newer.
        await self._every_card()

    async def _every_card(self) -> None:
        for game, card in await _db(table_cards)(self.classroom, self.language):
            frame = {"type": realtime.CLASS_TABLE_CHANGED, "game": game, "event": "snapshot"}
            await self.send(text_data=json.dumps({**frame, "events": [], "card": card}))

    async def disconnect(self, code: int) -> None:
        await self.leave_groups()
        for task in list(getattr(self, "tasks", ())):
            task.cancel()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Pings keep proxies from closing an idle socket; nothing else is understood.
        Without Redis (it was away when this socket opened) a ping brings every card as
        it is now, until Redis is back: then the socket closes for the page to reconnect."""
        if not self.live_link:
            if await self.redis_is_back():
                return await self.close(code=CLOSE_LINK_BACK)
            await self._every_card()
        await self.send(text_data=json.dumps({"type": "pong"}))

    async def game_events(self, message: dict[str, Any]) -> None:
        """A commit's events (realtime.events_message): one card for them all."""
        self._heard(message.get("group"), [m["event"]["type"] for m in message["events"]])

    async def game_event(self, message: dict[str, Any]) -> None:
        """An event on its own (a presence notice)."""
        self._heard(message.get("group"), [message["event"]["type"]])

    def _heard(self, group: str | None, types: list[str]) -> None:
        game = realtime.game_of_group(group)
        table = self.tables.get(game)
        if table is None:
            return
        table.heard += types
        if not table.gathering:
            table.gathering = True
            task = asyncio.ensure_future(self._read_and_send(game, table))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _read_and_send(self, game: int, table: _Table) -> None:
        """Wait a moment for the rest of a commit's events (sent back to back), then read
        the card and send it with the events it covers. Reads of one table may overlap (a
        resolution's commits come quickly one after another, and none waits for the
        other's read); a read that ends after a later one was sent is dropped, its events
        having gone with that later, newer card."""
        await asyncio.sleep(GATHER_SECONDS)
        table.gathering = False
        table.started += 1
        number = table.started
        table.unsent[number] = table.heard
        table.heard = []
        card = await self._card(game)
        if number <= table.sent:
            return
        events = [e for n in sorted(table.unsent) if n <= number for e in table.unsent.pop(n)]
        table.sent = number
        frame = {
            "type": realtime.CLASS_TABLE_CHANGED,
            "game": game,
            "event": events[-1],
            "events": events,
        }
        if card is not None:
            frame["card"] = card
        await self.send(text_data=json.dumps(frame))

    async def _card(self, game: int) -> str | None:
        """The card, tried twice (SQLite, in embedded mode, refuses a read while a write
        holds a table); None if both fail: the page then reads it over HTTP."""
        for attempt in (1, 2):
            try:
                return await _db(table_card)(self.classroom, game, self.language)
            except Exception:  # noqa: BLE001 - logged; the page has its fallback
                if attempt == 2:
                    log.warning("class %s: card of game %s", self.class_id, game, exc_info=True)
                    return None
                await asyncio.sleep(RETRY_SECONDS)
        return None
