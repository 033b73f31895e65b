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
    seq = _next_seq(game.pk)
    game.last_seq = seq
    event = GameEvent.objects.create(
        game=game, seq=seq, type=type, turn=turn, audience=audience, data=data
    )
    _publish_on_commit(game.pk, event)
    return event


def _next_seq(game_id: int) -> int:
    """Add one to the game's last_seq and read it back, in one statement (UPDATE ...
    RETURNING: PostgreSQL, and SQLite since 3.35)."""
    table = connection.ops.quote_name(Game._meta.db_table)
    column = connection.ops.quote_name(Game._meta.get_field("last_seq").column)
    key = connection.ops.quote_name(Game._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}",
            [game_id],
        )
        return cursor.fetchone()[0]


def _publish_on_commit(game_id: int, event: GameEvent) -> None:
    """on_commit callbacks run in registration order, so sockets hear events in seq order;
    a rolled-back transaction's callbacks never run, so nothing unreal is ever sent."""
    message = (event.as_message(), list(event.audience))
    transaction.on_commit(lambda: realtime.publish_events(game_id, [message]))
