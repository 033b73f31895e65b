"""Resolve a turn exactly once, and find turns whose deadline or claim has run out.

Concurrency (why this is safe with many web and worker processes):
- Claim: under the game row lock, a conditional UPDATE moves the turn from open/locked
  to resolving with a fresh claim token. Only one claimer wins; a second request or a
  duplicated task finds nothing to claim and returns.
- Adjudicate outside any transaction (pure, no locks held).
- Commit: under the game and turn row locks, write the TurnResult (one-to-one with the
  turn: a second result is a constraint violation) only if our token still holds the
  claim. A worker that died mid-way leaves a stale claim; the sweep re-queues it after
  LT_RESOLVE_LEASE_SECONDS, and if the original worker was merely slow, its late commit
  sees another token and does nothing.
- Failure: the claim is released (back to locked) so a retry can claim it again.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wargame import policy, realtime
from wargame.engine import Adjudication
from wargame.gamelog import adjudicate_turn
from wargame.models import Game, Turn, TurnResult
from wargame.realtime.payloads import resolved_payload, restricted_injects

from . import phases
from .events import event_append
from .ports import enqueue_resolution
from .scenarios import engine_scenario
from .turns import turn_open

log = logging.getLogger(__name__)
CLAIMABLE = (Turn.Status.OPEN, Turn.Status.LOCKED)


def turn_resolve(*, turn_id: int) -> TurnResult | None:
    """Claim, adjudicate and commit one turn. Returns None if someone else has it."""
    token = uuid.uuid4().hex
    turn = _claim(turn_id, token)
    if turn is None:
        return None
    try:
        if settings.LT_RESOLVE_DELAY_SECONDS:
            time.sleep(settings.LT_RESOLVE_DELAY_SECONDS)
        adjudication = _adjudicate(turn)
    except Exception:
        _release(turn_id, token)
        raise
    return _commit(turn_id, token, adjudication)


def _claim(turn_id: int, token: str) -> Turn | None:
    with transaction.atomic():
        game_id = Turn.objects.filter(pk=turn_id).values_list("game_id", flat=True).first()
        if game_id is None:
            return None
        game = Game.objects.select_for_update().get(pk=game_id)
        if game.status == Game.Status.FINISHED:
            return None
        now = timezone.now()
        stale = now - timedelta(seconds=settings.LT_RESOLVE_LEASE_SECONDS)
        fresh_claim = {"claim_token": token, "claimed_at": now, "attempts": F("attempts") + 1}
        won = Turn.objects.filter(pk=turn_id, status__in=CLAIMABLE).update(
            status=Turn.Status.RESOLVING, **fresh_claim
        ) or Turn.objects.filter(
            pk=turn_id, status=Turn.Status.RESOLVING, claimed_at__lt=stale
        ).update(**fresh_claim)
        if not won:
            return None
        turn = Turn.objects.get(pk=turn_id)
        event_append(
            game=game,
            type=realtime.TURN_RESOLVING,
            turn=turn.number,
            data={"number": turn.number, "attempt": turn.attempts},
            audience=[policy.EVERYONE],
        )
        turn.game = game
        return turn


def _adjudicate(turn: Turn) -> Adjudication:
    game = turn.game
    logged_turn = {
        "moves": [m.as_engine_dict() for m in turn.moves.all()],
        "injects": [i.as_log_dict() for i in turn.injects.all()],
    }
    return adjudicate_turn(
        engine_scenario(game.scenario),
        game.state,
        logged_turn,
        seed=game.seed,
        budget=game.action_budget,
        ruleset=game.ruleset,
    )


def _commit(turn_id: int, token: str, adjudication: Adjudication) -> TurnResult | None:
    with transaction.atomic():
        game_id = Turn.objects.values_list("game_id", flat=True).get(pk=turn_id)
        game = (
            Game.objects.select_for_update(of=("self",)).select_related("scenario").get(pk=game_id)
        )
        turn = Turn.objects.select_for_update().get(pk=turn_id)
        if turn.status != Turn.Status.RESOLVING or turn.claim_token != token:
            log.warning("turn %s: claim %s lost before commit; not committing", turn_id, token)
            return None
        result = TurnResult.objects.create(
            turn=turn,
            state=adjudication.state,
            state_hash=adjudication.state_hash,
            outcomes=[o.to_dict() for o in adjudication.outcomes],
            fired_rules=[r.to_dict() for r in adjudication.fired_rules],
            narrative=adjudication.narrative,
            scores=adjudication.scores,
            events=list(adjudication.events),
        )
        if game.umpire_review:
            turn.status = Turn.Status.REVIEW
            turn.save(update_fields=["status"])
            event_append(
                game=game,
                type=realtime.TURN_PROPOSED,
                turn=turn.number,
                data=resolved_payload(turn.number, result),
                audience=[policy.FACILITATOR],
            )
            return result
        publish_result(game=game, turn=turn, result=result)
        return result


def publish_result(*, game: Game, turn: Turn, result: TurnResult) -> None:
    """Make a turn's result the game's state, tell everyone, and move on to the next turn
    (or finish). Caller holds the game and turn rows locked."""
    turn.status = Turn.Status.RESOLVED
    turn.resolved_at = timezone.now()
    turn.save(update_fields=["status", "resolved_at"])
    game.state = result.state
    game.state_hash = result.state_hash
    game.current_turn = turn.number
    game.save(update_fields=["state", "state_hash", "current_turn"])
    event_append(
        game=game,
        type=realtime.TURN_RESOLVED,
        turn=turn.number,
        data=resolved_payload(turn.number, result, restricted_injects(turn)),
        audience=[policy.EVERYONE],
    )
    if turn.number >= game.max_turns:
        phases.finish_locked(game=game, reason="the last turn was resolved")
    elif game.status != Game.Status.FINISHED:
        turn_open(game=game, number=turn.number + 1)


def _release(turn_id: int, token: str) -> None:
    Turn.objects.filter(pk=turn_id, claim_token=token, status=Turn.Status.RESOLVING).update(
        status=Turn.Status.LOCKED, claim_token="", claimed_at=None
    )


def turns_due() -> list[int]:
    """Turns to (re-)enqueue: open past their deadline in a running game, or claimed by a
    worker that has not finished within the lease (it probably died)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.LT_RESOLVE_LEASE_SECONDS)
    running = Game.Status.RUNNING
    overdue = Turn.objects.filter(
        status=Turn.Status.OPEN, deadline__lte=now, game__status=running
    ).values_list("pk", flat=True)
    abandoned = Turn.objects.filter(status=Turn.Status.RESOLVING, claimed_at__lt=stale).values_list(
        "pk", flat=True
    )
    # Locked turns whose task was lost (e.g. the broker restarted before delivery).
    stuck = Turn.objects.filter(
        status=Turn.Status.LOCKED, opened_at__lt=stale, game__status=running
    ).values_list("pk", flat=True)
    return sorted(set(overdue) | set(abandoned) | set(stuck))


def deadline_sweep() -> list[int]:
    """Request resolution of every due turn; returns their ids. Idempotent."""
    due = turns_due()
    for turn_id in due:
        with transaction.atomic():
            turn = Turn.objects.select_related("game").get(pk=turn_id)
            game = Game.objects.select_for_update().get(pk=turn.game_id)
            turn = Turn.objects.get(pk=turn_id)
            if turn.status in CLAIMABLE:
                phases.turn_request_resolution(game=game, turn=turn, reason="deadline")
            elif turn.status == Turn.Status.RESOLVING:
                enqueue_resolution(turn_id)
    return due
