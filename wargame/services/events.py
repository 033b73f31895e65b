"""Append to a game's event log and publish on commit."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from wargame import realtime
from wargame.models import Game, GameEvent


def event_append(
    *, game: Game, type: str, turn: int, data: dict[str, Any], audience: list[str]
) -> GameEvent:
    """Number the event and store it; publish once the surrounding transaction commits.

    Must run inside `transaction.atomic()`. The UPDATE on the game row takes its lock until
    commit, so events of one game get gapless, strictly increasing seqs in commit order.
    """
    return events_append(
        game=game, events=[{"type": type, "turn": turn, "data": data, "audience": audience}]
    )[0]


def events_append(*, game: Game, events: list[dict[str, Any]]) -> list[GameEvent]:
    """Several events at once, in order (each a dict of type, turn, data, audience): their
    seqs reserved by one UPDATE, their rows written by one INSERT, published together on
    commit. For writers that make many at a time, such as an import (one per turn)."""
    if not events:
        return []
    last = _reserve_seqs(game.pk, len(events))
    first = last - len(events) + 1
    game.last_seq = last
    rows = GameEvent.objects.bulk_create(
        GameEvent(game=game, seq=first + i, **event) for i, event in enumerate(events)
    )
    _publish_on_commit(game.pk, rows)
    return rows


def _reserve_seqs(game_id: int, count: int) -> int:
    """Add `count` to the game's last_seq and read it back, in one statement (UPDATE ...
    RETURNING: PostgreSQL, and SQLite since 3.35)."""
    table = connection.ops.quote_name(Game._meta.db_table)
    column = connection.ops.quote_name(Game._meta.get_field("last_seq").column)
    key = connection.ops.quote_name(Game._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + %s WHERE {key} = %s RETURNING {column}",
            [count, game_id],
        )
        return cursor.fetchone()[0]


def _publish_on_commit(game_id: int, rows: list[GameEvent]) -> None:
    """on_commit callbacks run in registration order, so sockets hear events in seq order;
    a rolled-back transaction's callbacks never run, so nothing unreal is ever sent."""
    messages = [(row.as_message(), list(row.audience)) for row in rows]
    transaction.on_commit(lambda: realtime.publish_events(game_id, messages))
