"""Append to a game's event log and publish on commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from wargame import policy, realtime
from wargame.models import Game, GameEvent

from .sql import column, table


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


def events_append(
    *, game: Game, events: list[dict[str, Any]], also: Sequence[str] = ()
) -> list[GameEvent]:
    """Several events at once, in order (each a dict of type, turn, data, audience): their
    seqs reserved by one UPDATE, their rows written by one INSERT, published together on
    commit. For writers that make many at a time, such as an import (one per turn).

    `also`: fields of `game` the caller has changed, written by that same UPDATE (a
    resolution's new state and turn: one statement fewer on every turn's path)."""
    if not events:
        if also:
            game.save(update_fields=list(also))
        return []
    changes = [(Game._meta.get_field(name), getattr(game, name)) for name in also]
    last, grant, counters = _reserve_seqs(game.pk, len(events), changes)
    first = last - len(events) + 1
    game.last_seq = last
    rows = []
    for i, event in enumerate(events):
        counters = policy.next_seqs(counters, event["audience"], event["type"], grant)
        rows.append(GameEvent(game=game, seq=first + i, seqs=counters, **event))
    rows = GameEvent.objects.bulk_create(rows)
    _publish_on_commit(game.pk, rows)
    return rows


def _reserve_seqs(
    game_id: int, count: int, changes: Sequence[tuple[Any, Any]] = ()
) -> tuple[int, bool, dict[str, int]]:
    """Add `count` to the game's last_seq (and set the `changes`, each (field, value)) and
    read back, in one statement (UPDATE ... RETURNING: PostgreSQL, and SQLite since 3.35),
    the new last_seq, the observer grant as it now is, and every seat's count as of the
    event before ours (policy.sequences).

    That event is committed or ours, since the UPDATE holds the game row until commit.
    But a statement that had to wait for the row lock reads other tables as they were
    when it started: the event of the writer it waited for may be missing from the
    RETURNING's subquery. Rows are never changed once written, so a row it finds is the
    right one, and a missing one is looked up again (the only case with a second query).
    """
    games, events = table(Game), table(GameEvent)
    last_seq, grant, key = (
        column(Game, "last_seq"),
        column(Game, "observers_read_channels"),
        column(Game, "id"),
    )
    event_game, event_seq = column(GameEvent, "game"), column(GameEvent, "seq")
    event_seqs = column(GameEvent, "seqs")
    sets = "".join(f", {column(Game, field.name)} = %s" for field, _ in changes)
    values = [field.get_db_prep_save(value, connection) for field, value in changes]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {games} SET {last_seq} = {last_seq} + %s{sets} WHERE {key} = %s "
            f"RETURNING {last_seq}, {grant}, (SELECT e.{event_seqs} FROM {events} e "
            f"WHERE e.{event_game} = %s AND e.{event_seq} = {games}.{last_seq} - %s)",
            [count, *values, game_id, game_id, count],
        )
        last, reads, previous = cursor.fetchone()
    first = last - count + 1
    if previous is None and first > 1:
        previous = (
            GameEvent.objects.filter(game_id=game_id, seq=first - 1)
            .values_list("seqs", flat=True)
            .first()
        )
    if isinstance(previous, str):
        previous = json.loads(previous)
    return last, bool(reads), previous or {}


def _publish_on_commit(game_id: int, rows: list[GameEvent]) -> None:
    """on_commit callbacks run in registration order, so sockets hear events in seq order;
    a rolled-back transaction's callbacks never run, so nothing unreal is ever sent."""
    messages = [(row.as_message(), list(row.audience), dict(row.seqs)) for row in rows]
    transaction.on_commit(lambda: realtime.publish_events(game_id, messages))
