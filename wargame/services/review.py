"""The umpire review step: accept a proposed outcome, or override parts of it with a reason.

A game with `umpire_review` stops each adjudicated turn in `review`; nothing reaches the
players until the facilitator accepts or overrides. An override re-adjudicates the turn
with the umpire's corrections (`gamelog.adjudicate_turn`, as a replay of the log does), so
every surface shows one result and `replay --verify` still holds. From ruleset 3 a move
marked failed takes its rules' failure branch and the narrative is told anew.
"""

from __future__ import annotations

from django.db import transaction

from wargame import policy, realtime
from wargame.engine import InvalidMoves, ScenarioError
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, WrongPhase
from wargame.models import Game, Override, Turn, TurnResult
from wargame.policy import limits
from wargame.policy.text import fault_in

from .events import event_append
from .injects import game_effects_used
from .locks import game_for_update, turn_for_update
from .resolution import adjudicate_stored, publish_result


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
    if len(reason) > limits.OVERRIDE_REASON_CHARS:
        raise BadInput(
            "The reason is %(count)s characters; the limit is %(limit)s.",
            count=len(reason),
            limit=limits.OVERRIDE_REASON_CHARS,
            code="too_long",
        )
    with transaction.atomic():
        game, turn, result = _turn_in_review(game_id, turn_number)
        problem = limits.effects_problem(
            effects or [], most=limits.EFFECTS_PER_OVERRIDE
        ) or limits.game_effects_problem(game_effects_used(game), len(effects or []))
        if problem:
            raise BadInput("Override refused: %(problem)s.", problem=problem, code="over_limit")
        new = {"reason": reason, "effects": effects or [], "results": results or []}
        earlier = [o.as_log_dict() for o in turn.overrides.all()]
        turn.game = game
        try:  # the whole turn again, overrides included, exactly as a replay will do it
            changed = adjudicate_stored(turn, [*earlier, new])
        except (ScenarioError, InvalidMoves) as exc:
            raise BadInput(reason_of(exc), code="bad_override") from exc
        Override.objects.create(turn=turn, **new)
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
        raise WrongPhase(
            "Turn %(turn_number)s is not the turn in review (turn %(number)s is).",
            turn_number=turn_number,
            number=turn.number,
        )
    return game, turn, turn.result
