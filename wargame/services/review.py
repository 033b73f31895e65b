"""The umpire review step: accept a proposed outcome, or override parts of it with a reason.

A game with `umpire_review` stops each adjudicated turn in `review`; nothing reaches the
players until the facilitator accepts or overrides. An override is applied by the pure
engine (`apply_override`) and kept in the log, so `replay --verify` still holds.
"""

from __future__ import annotations

from django.db import transaction

from wargame import policy, realtime
from wargame.engine import ScenarioError, apply_override
from wargame.errors import BadInput, WrongPhase
from wargame.models import Game, Override, Turn, TurnResult
from wargame.policy.text import fault_in

from .events import event_append
from .locks import game_for_update, turn_for_update
from .resolution import publish_result
from .scenarios import engine_scenario


def review_accept(*, game_id: int, turn_number: int | None = None) -> TurnResult:
    with transaction.atomic():
        game, turn, result = _turn_in_review(game_id, turn_number)
        publish_result(game=game, turn=turn, result=result)
        return result


def review_override(
    *,
    game_id: int,
    reason: str,
    effects: list[dict] | None = None,
    results: list[dict] | None = None,
    turn_number: int | None = None,
) -> TurnResult:
    """Change the proposed state (effects) and/or move results, then publish."""
    fault = fault_in(reason=reason, effects=effects, results=results)
    if fault:
        raise BadInput(fault, code="bad_text")
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("An override needs a reason; it is kept in the log.", code="no_reason")
    if not effects and not results:
        raise BadInput("Give effects or results to override (or accept as proposed).")
    with transaction.atomic():
        game, turn, result = _turn_in_review(game_id, turn_number)
        proposed = result.to_adjudication()
        try:
            changed = apply_override(
                proposed,
                scenario=engine_scenario(game.scenario),
                reason=reason,
                effects=effects or (),
                results=results or (),
            )
        except ScenarioError as exc:
            raise BadInput(str(exc), code="bad_override") from exc
        Override.objects.create(
            turn=turn, reason=reason, effects=effects or [], results=results or []
        )
        result.take(changed)
        result.save()
        publish_result(game=game, turn=turn, result=result)
        return result


def review_mode_set(*, game_id: int, on: bool) -> Game:
    """Umpire review on or off; like the observer grant, a `game.settings` event tells
    every seat (players learn why an outcome may wait) and the log."""
    with transaction.atomic():
        game = game_for_update(game_id)
        game.umpire_review = on
        game.save(update_fields=["umpire_review"])
        event_append(
            game=game,
            type=realtime.GAME_SETTINGS,
            turn=game.current_turn,
            data={"umpire_review": on},
            audience=[policy.EVERYONE],
        )
        return game


def _turn_in_review(game_id: int, turn_number: int | None) -> tuple[Game, Turn, TurnResult]:
    game = game_for_update(game_id)
    turn = turn_for_update(game, status=Turn.Status.REVIEW)
    if turn is None:
        raise WrongPhase("No outcome is waiting for review.")
    if turn_number is not None and turn_number != turn.number:
        raise WrongPhase(f"Turn {turn_number} is not the turn in review (turn {turn.number} is).")
    return game, turn, turn.result
