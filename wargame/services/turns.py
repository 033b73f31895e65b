"""Open a turn, ask for it to be resolved, finish a game when turns run out."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wargame import realtime
from wargame.errors import WrongPhase
from wargame.models import Game, Turn
from wargame.rules import scores

from . import moves as move_services
from .events import event_append
from .scenarios import engine_scenario


def turn_open(*, game: Game, number: int) -> Turn:
    """Create the turn, start its clock, announce it, and let bots move. Caller holds the
    game row locked inside a transaction."""
    deadline = None
    if game.deadline_seconds:
        deadline = timezone.now() + timedelta(seconds=game.deadline_seconds)
    turn = Turn.objects.create(game=game, number=number, deadline=deadline)
    scenario = engine_scenario(game.scenario)
    event_append(
        game=game,
        type=realtime.TURN_OPENED,
        turn=number,
        data={
            "number": number,
            "label": scenario.turn_label(number),
            "deadline": deadline.isoformat() if deadline else None,
            "max_turns": game.max_turns,
        },
        audience=[realtime.EVERYONE],
    )
    move_services.bots_play(game=game, turn=turn, scenario=scenario)
    return turn


def turn_request_resolution(*, game: Game, turn: Turn, reason: str) -> None:
    """Lock the turn against new moves and enqueue its resolution once this commits.

    Caller holds the game row locked. Safe to call twice: the task claims the turn, so
    a second request finds nothing to do.
    """
    if turn.status not in (Turn.Status.OPEN, Turn.Status.LOCKED):
        raise WrongPhase(f"Turn {turn.number} is already {turn.status}.")
    if turn.status == Turn.Status.OPEN:
        turn.status = Turn.Status.LOCKED
        turn.save(update_fields=["status"])
    turn_id = turn.pk

    def enqueue() -> None:
        from wargame.tasks import resolve_turn

        resolve_turn.delay(turn_id)

    transaction.on_commit(enqueue)


def finish_locked(*, game: Game, reason: str) -> None:
    """Finish a game whose row the caller holds locked."""
    game.status = Game.Status.FINISHED
    game.save(update_fields=["status"])
    event_append(
        game=game,
        type=realtime.GAME_FINISHED,
        turn=game.current_turn,
        data={"reason": reason, "scores": scores(engine_scenario(game.scenario), game.state)},
        audience=[realtime.EVERYONE],
    )


def open_turn_of(game: Game) -> Turn | None:
    return Turn.objects.filter(game=game, number=game.current_turn + 1).first()
