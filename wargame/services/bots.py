"""Bot seats move through the same write path as people, as soon as a turn opens."""

from __future__ import annotations

from players.models import Seat
from wargame.bots import make_policy, seat_moves
from wargame.engine import Scenario as EngineScenario
from wargame.models import BotTurn, Game, Turn

from .moves import record_lock, record_move, resolve_if_all_locked


def bots_play(*, game: Game, turn: Turn, scenario: EngineScenario) -> None:
    """Each bot seat's policy chooses (seeded, replayable) moves, then it locks, as soon
    as a turn opens. A seat stored before policies existed plays `random`."""
    seats = list(
        Seat.objects.filter(game=game, kind=Seat.Kind.BOT).values_list("role", "policy", "script")
    )
    if not seats:
        return
    for role, name, script in sorted(seats):
        policy = make_policy(name or "random", role=role, script=script)
        for move in seat_moves(
            policy, scenario, game.state, role, seed=game.seed, budget=game.action_budget
        ):
            record_move(game=game, turn=turn, move=move, by=f"{role} bot")
        record_lock(game=game, turn=turn, role=role)
        BotTurn.objects.create(turn=turn, role=role)
    resolve_if_all_locked(game=game, turn=turn)


STAND_IN_POLICIES = ("random", "doctrine")  # a student's seat has no script


def bot_stands_in(*, game: Game, turn: Turn, role: str, scenario: EngineScenario) -> None:
    """A bot plays an absent student's seat for this turn: its (seeded) moves and lock,
    marked in the log as a bot's turn. The caller holds the game's row lock, has checked
    the turn is open and the role has not locked. Moves the student made before leaving
    stand: the bot then only locks them. It plays the seat's policy (a class chooses it
    at its creation; `random`, the default, draws exactly as `bot_moves` always has)."""
    if not turn.moves.filter(role=role).exists():
        name = Seat.objects.filter(game=game, role=role).values_list("policy", flat=True).first()
        policy = make_policy(name if name in STAND_IN_POLICIES else "random", role=role)
        for move in seat_moves(
            policy, scenario, game.state, role, seed=game.seed, budget=game.action_budget
        ):
            record_move(game=game, turn=turn, move=move, by=f"{role} bot (standing in)")
    record_lock(game=game, turn=turn, role=role)
    BotTurn.objects.create(turn=turn, role=role)
    resolve_if_all_locked(game=game, turn=turn)
