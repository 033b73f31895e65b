"""A turn's phases below its opening: lock it for resolution, finish the game.

Kept apart from `turns.turn_open` (which lets bots move, through `moves`) so that `moves`
can ask for resolution without a cycle.
"""

from __future__ import annotations

from wargame import policy, realtime
from wargame.engine import scores
from wargame.errors import WrongPhase, state_word
from wargame.models import Game, Turn

from .events import event_append
from .ports import enqueue_resolution
from .scenarios import engine_scenario


def turn_request_resolution(*, game: Game, turn: Turn, reason: str) -> None:
    """Lock the turn against new moves and enqueue its resolution once this commits.

    Caller holds the game row locked. Safe to call twice: the task claims the turn, so
    a second request finds nothing to do.
    """
    if turn.status not in (Turn.Status.OPEN, Turn.Status.LOCKED):
        raise WrongPhase(
            "Turn %(number)s is already %(status)s.",
            number=turn.number,
            status=state_word(turn.status),
        )
    if turn.status == Turn.Status.OPEN:
        turn.status = Turn.Status.LOCKED
        turn.save(update_fields=["status"])
    enqueue_resolution(turn.pk)


def finish_locked(*, game: Game, reason: str) -> None:
    """Finish a game whose row the caller holds locked."""
    game.status = Game.Status.FINISHED
    game.save(update_fields=["status"])
    scenario = engine_scenario(game.scenario)
    event_append(
        game=game,
        type=realtime.GAME_FINISHED,
        turn=game.current_turn,
        data={
            "reason": reason,
            "scores": scores(scenario, game.state),
            # The last turn played (a turn left open when the game was ended never was).
            "number": game.current_turn,
            "label": scenario.turn_label(game.current_turn),
        },
        audience=[policy.EVERYONE],
    )


def open_turn_of(game: Game) -> Turn | None:
    return Turn.objects.filter(game=game, number=game.current_turn + 1).first()
