"""The one way a writer takes a game, and then a turn: rows locked in one order (a class
first when it needs one, then game, then turn), so two writers never deadlock. The only
`select_for_update` in the code base lives here (tests/properties/test_write_paths.py
fails on any other)."""

from __future__ import annotations

from typing import Any

from wargame.errors import NotFound
from wargame.models import Classroom, Game, Turn


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
