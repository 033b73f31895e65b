"""The one way a writer takes a game, and then a turn: rows locked in one order (a class
first when it needs one, then game, then turn), so two writers never deadlock. The only
`select_for_update`, and the only FOR UPDATE written out, in the code base live here
(tests/properties/test_write_paths.py fails on any other)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from players.models import Seat
from wargame.errors import NotFound
from wargame.models import Classroom, Game, Turn

from .sql import column, table


def game_for_update(game_id: int) -> Game:
    """The game, its row locked until commit; only its own row (`of=self`), never the
    scenario row it joins, which every game shares. Call inside `transaction.atomic()`."""
    game = Game.objects.with_scenario().select_for_update(of=("self",)).filter(pk=game_id).first()
    if game is None:
        raise NotFound("No such game.")
    return game


def turn_for_update(game: Game, **lookup: Any) -> Turn | None:
    """The first turn of `game` (by number) matching `lookup`, its row locked until
    commit, or None. Takes the game the caller already holds from `game_for_update`, so
    the lock order (game, then turn) cannot be got wrong."""
    return Turn.objects.select_for_update().filter(game=game, **lookup).order_by("number").first()


def classroom_for_update(code: str) -> Classroom | None:
    """The class with this (normalised) code, its row locked until commit, or None:
    students arriving at once are seated one after another. Taken before any game of the
    class (the lock order: class, game, turn). Call inside `transaction.atomic()`."""
    return Classroom.objects.select_for_update(of=("self",)).filter(code=code).first()


def simulation_for_update(simulation_id: int):
    """A Monte Carlo job's row, locked until commit (its progress and status), or None.
    Jobs lock no game or turn, so no order with the helpers above is needed."""
    from wargame.models import Simulation

    return Simulation.objects.select_for_update().filter(pk=simulation_id).first()


# --- the path from the last lock to the result: one hand-written statement each --------
#
# The ORM spends 0.5-1 ms of Python compiling a select_related, deferred, row-locking
# query, several times what PostgreSQL spends answering it (bench/README.md, 23:00). The
# two calls below sit on every turn's path from the last lock to the sockets, so they are
# written out: the same lock order (game, then turn), Django's converters (`raw()`), and
# every column they do not read left deferred (loaded on first touch, never stale).


def _for_update_clause(alias: str = "g") -> str:
    """The row-lock clause for the game's row only, where the database has one (SQLite
    has none: its writers are serialised by the database lock)."""
    if not connection.features.has_select_for_update:
        return ""
    if not connection.features.has_select_for_update_of:
        return " FOR UPDATE"
    return f" FOR UPDATE OF {alias}"


def game_and_open_turn_for_update(game_id: int) -> tuple[Game, Turn | None]:
    """The game's row locked until commit, and the turn after its current one (the open
    turn, or None if there is none yet), in one statement. The game carries its status
    and current turn; any other field loads when first touched. The turn's row is not
    locked: the game's lock keeps every other writer out. Inside `transaction.atomic()`."""
    turn_game = column(Turn, "game")
    number = column(Turn, "number")
    status, current = column(Game, "status"), column(Game, "current_turn")
    sql = (
        f"SELECT t.*, g.{status} AS lt_game_status, g.{current} AS lt_game_current "
        f"FROM {table(Game)} g LEFT JOIN {table(Turn)} t "
        f"ON t.{turn_game} = g.{column(Game, 'id')} AND t.{number} = g.{current} + 1 "
        f"WHERE g.{column(Game, 'id')} = %s{_for_update_clause('g')}"
    )
    rows = list(Turn.objects.raw(sql, [game_id]))
    if not rows:
        raise NotFound("No such game.")
    row = rows[0]
    game = Game.from_db(
        connection.alias,
        ["id", "status", "current_turn"],
        [game_id, row.lt_game_status, int(row.lt_game_current)],
    )
    if row.pk is None:
        return game, None
    row.game = game
    return game, row


def game_refresh_for_update(game: Game) -> bool:
    """Lock `game`'s row until commit and read again what another writer may have changed
    since it was read (status, umpire review, turns, clock, observers' grant), in one
    statement; its state and dice cannot change while one of its turns is claimed.
    Returns whether any seat is played by a bot. Inside `transaction.atomic()`."""
    fields = ("status", "umpire_review", "max_turns", "deadline_seconds", "observers_read_channels")
    seat_game, kind = column(Seat, "game"), column(Seat, "kind")
    sql = (
        f"SELECT g.{column(Game, 'id')}, "
        + ", ".join(f"g.{column(Game, name)}" for name in fields)
        + f", EXISTS (SELECT 1 FROM {table(Seat)} s WHERE s.{seat_game} = g.{column(Game, 'id')}"
        f" AND s.{kind} = %s) AS lt_has_bots FROM {table(Game)} g "
        f"WHERE g.{column(Game, 'id')} = %s{_for_update_clause('g')}"
    )
    rows = list(Game.objects.raw(sql, [Seat.Kind.BOT, game.pk]))
    if not rows:
        raise NotFound("No such game.")
    for name in fields:
        setattr(game, name, getattr(rows[0], name))
    return bool(rows[0].lt_has_bots)
