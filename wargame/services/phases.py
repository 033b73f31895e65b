"""A turn's phases below its opening: lock it for resolution, finish the game.

Kept apart from `turns.turn_open` (which lets bots move, through `moves`) so that `moves`
can ask for resolution without a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from wargame import policy, realtime
from wargame.engine import scores
from wargame.errors import WrongPhase, state_word
from wargame.models import Game, Turn

from .claims import queued_claim_token
from .events import events_append
from .ports import enqueue_resolution
from .scenarios import engine_scenario


def turn_request_resolution(
    *, game: Game, turn: Turn, reason: str, preceding: Sequence[dict[str, Any]] = ()
) -> None:
    """Close the turn to new moves, claim it for the queue and enqueue its resolution
    once this commits (the task takes the claim over: `resolution.turn_resolve`).

    Caller holds the game row locked. A second request finds the turn resolving and is
    refused; a lost task is re-queued by the sweep once the claim's lease runs out.
    `preceding`: the caller's own events (such as the last `role.locked`), appended in
    the same batch, before `turn.resolving`.
    """
    if turn.status not in (Turn.Status.OPEN, Turn.Status.LOCKED):
        raise WrongPhase(
            "Turn %(number)s is already %(status)s.",
            number=turn.number,
            status=state_word(turn.status),
        )
    turn.status = Turn.Status.RESOLVING
    turn.claim_token = queued_claim_token()
    turn.claimed_at = timezone.now()
    turn.save(update_fields=["status", "claim_token", "claimed_at"])
    resolving = {
        "type": realtime.TURN_RESOLVING,
        "turn": turn.number,
        "data": {"number": turn.number, "attempt": turn.attempts + 1},
        "audience": [policy.EVERYONE],
    }
    # Published before the resolution is queued (on-commit hooks run in the order they were
    # registered), so every socket hears these before the result. Queued first, a busy web
    # process's publish lost the race to the worker's result now and then: each of the
    # game's sockets saw a gap and read the missing events from the database (280 such
    # reads per web process in three rounds of bench/load.py), queued on its pool behind
    # the lock requests.
    events_append(game=game, events=[*preceding, resolving])
    enqueue_resolution(turn.pk, queued=turn.claim_token)


def finish_locked(
    *,
    game: Game,
    reason: str,
    preceding: Sequence[dict[str, Any]] = (),
    also: Sequence[str] = (),
) -> None:
    """Finish a game whose row the caller holds locked (`preceding`: events to append
    first, in the same batch; `also`: fields of the game the caller changed, written with
    its status by the UPDATE that numbers the events)."""
    game.status = Game.Status.FINISHED
    scenario = engine_scenario(game.scenario)
    finished = {
        "type": realtime.GAME_FINISHED,
        "turn": game.current_turn,
        "data": {
            "reason": reason,
            "scores": scores(scenario, game.state),
            # The last turn played (a turn left open when the game was ended never was).
            "number": game.current_turn,
            "label": scenario.turn_label(game.current_turn),
        },
        "audience": [policy.EVERYONE],
    }
    events_append(game=game, events=[*preceding, finished], also=("status", *also))


def open_turn_of(game: Game) -> Turn | None:
    return Turn.objects.filter(game=game, number=game.current_turn + 1).first()
