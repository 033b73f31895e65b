"""Resolve a turn exactly once, fail it for good when it cannot be, and find turns whose
deadline or claim has run out.

Concurrency (why this is safe with many web and worker processes):
- Claim: under the game row lock, a conditional UPDATE moves the turn from open/locked
  to resolving with a fresh claim token. Only one claimer wins; a second request or a
  duplicated task finds nothing to claim and returns. Usually the request that asks for
  resolution (the last lock) takes this claim itself, in its own transaction, for the
  queue (`claims.queued_claim_token`), and the task carries it: the worker then only
  swaps in its own token (one statement, `_take_queued`), which keeps a whole
  transaction and a publish off the path from the last lock to the result.
- Adjudicate outside any transaction (pure, no locks held).
- Commit: under the game and turn row locks, write the TurnResult (one-to-one with the
  turn: a second result is a constraint violation) only if our token still holds the
  claim. A worker that died mid-way leaves a stale claim; the sweep re-queues it after
  LT_RESOLVE_LEASE_SECONDS, and if the original worker was merely slow, its late commit
  sees another token and does nothing.
- Takeover before the lease: the token names the claiming process (host, pid, start
  time). A task that finds a claim whose process is known dead (same host and boot, and
  that pid is gone or now another process) takes it over at once; the redelivery of a
  killed worker's task no longer waits out the lease. Any takeover is safe for
  exactly-once (the token check above); the lease only spares a live, slow worker a
  duplicate. So a holder we cannot see (another host, an older token) keeps its lease.

Failure policy:
- A transient error (database or broker connection, `TRANSIENT_ERRORS`) releases the
  claim (back to locked) and is raised, so the task retries it with backoff.
- Any other error (a bug, a bad scenario or state), or a transient one on the last try,
  makes the turn `failed`: the error is kept on the turn, `turn.failed` tells the
  facilitator and `turn.unresolved` tells everyone else that it could not be resolved.
  Nothing claims a failed turn and the sweep never re-queues it, so no more events are
  appended until the facilitator retries (`turn_retry`).
- A claim abandoned `MAX_CLAIMS` times (its worker dies every time) fails the same way.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from wargame import policy, realtime
from wargame.engine import Adjudication
from wargame.gamelog import adjudicate_turn
from wargame.models import Game, Inject, Move, Scenario, Turn, TurnResult
from wargame.realtime.payloads import resolved_payload, restricted_injects

from . import phases
from .claims import claim_token, holder_is_dead
from .events import event_append, events_append
from .locks import game_for_update, game_refresh_for_update, turn_for_update
from .ports import enqueue_resolution
from .scenarios import engine_scenario
from .sql import column, table
from .turns import turn_open

log = logging.getLogger(__name__)
CLAIMABLE = (Turn.Status.OPEN, Turn.Status.LOCKED)
# Errors worth another try: the database or the broker was out of reach for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)
# Claims of one turn (since its last retry) before an abandoned claim fails it.
MAX_CLAIMS = 8
MAX_ERROR_CHARS = 2000


def turn_resolve(*, turn_id: int, last_try: bool = False, queued: str = "") -> TurnResult | None:
    """Claim, adjudicate and commit one turn. Returns None if someone else has it, or if
    it failed (the turn says why). A transient error is raised for a retry, unless
    `last_try`: then it fails the turn like any other error. `queued`: the claim the
    request took for this task (`phases.turn_request_resolution`); taking it over is one
    statement, where claiming afresh is a transaction of its own."""
    token = claim_token()
    turn = _take_queued(turn_id, queued, token) if queued else None
    if turn is None:
        turn = _claim(turn_id, token)
    if turn is None:
        return None
    try:
        if settings.LT_RESOLVE_DELAY_SECONDS:
            time.sleep(settings.LT_RESOLVE_DELAY_SECONDS)
        adjudication = _adjudicate(turn)
        return _commit(turn_id, token, adjudication, claimed=turn)
    except Exception as exc:
        if isinstance(exc, TRANSIENT_ERRORS) and not last_try:
            _release(turn_id, token)
            raise
        log.exception("turn %s could not be resolved; the turn has failed", turn_id)
        _fail(turn_id, token, f"{type(exc).__name__}: {exc}")
        return None


def _take_queued(turn_id: int, queued: str, token: str) -> Turn | None:
    """The worker puts its own token on the claim the request took, if that claim still
    holds: from then on the turn is claimed by this process exactly as `_claim` would
    have claimed it (a kill is seen as a dead holder). No game lock is needed: the turn's
    status already keeps moves, injects and other claims out, and `_commit` checks the
    token under the game lock. None if the claim is gone (released after a transient
    error, taken over after the lease): the caller then claims the usual way.

    Two hand-written statements, the swap returning the turn and then its game (every
    turn's result waits on them: bench/README.md, 23:00)."""
    attempts = column(Turn, "attempts")
    claims = (
        f"UPDATE {table(Turn)} SET {column(Turn, 'claim_token')} = %s,"
        f" {column(Turn, 'claimed_at')} = %s, {attempts} = {attempts} + 1"
        f" WHERE {column(Turn, 'id')} = %s AND {column(Turn, 'status')} = %s"
        f" AND {column(Turn, 'claim_token')} = %s RETURNING *"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    taken = list(Turn.objects.raw(claims, [token, now, turn_id, Turn.Status.RESOLVING, queued]))
    if not taken:
        return None
    turn = taken[0]
    turn.game = _game_with_scenario(turn.game_id)
    return turn


# Read from the game's row for a resolution: all but its start and notes (loaded if ever
# touched); the scenario row without its document, as `models.with_scenario_row` does.
_SCENARIO_FIELDS = ("id", "slug", "version", "title", "content_hash")


def _game_with_scenario(game_id: int) -> Game:
    """The game (not locked: `_commit` locks it) and its scenario row, in one statement."""
    columns = [
        f"g.{column(Game, f.name)}"
        for f in Game._meta.concrete_fields
        if f.name not in ("start_state", "notes")
    ]
    scenario = [f"s.{column(Scenario, name)} AS lt_scenario_{name}" for name in _SCENARIO_FIELDS]
    sql = (
        f"SELECT {', '.join(columns + scenario)} FROM {table(Game)} g"
        f" JOIN {table(Scenario)} s ON s.{column(Scenario, 'id')} = g.{column(Game, 'scenario')}"
        f" WHERE g.{column(Game, 'id')} = %s"
    )
    game = list(Game.objects.raw(sql, [game_id]))[0]
    game.scenario = Scenario.from_db(
        connection.alias,
        list(_SCENARIO_FIELDS),
        [getattr(game, f"lt_scenario_{name}") for name in _SCENARIO_FIELDS],
    )
    return game


def _claim(turn_id: int, token: str) -> Turn | None:
    with transaction.atomic():
        game_id = Turn.objects.filter(pk=turn_id).values_list("game_id", flat=True).first()
        if game_id is None:
            return None
        game = game_for_update(game_id)
        if game.status == Game.Status.FINISHED:
            return None
        now = timezone.now()
        stale = now - timedelta(seconds=settings.LT_RESOLVE_LEASE_SECONDS)
        fresh_claim = {"claim_token": token, "claimed_at": now, "attempts": F("attempts") + 1}
        won = Turn.objects.filter(pk=turn_id, status__in=CLAIMABLE).update(
            status=Turn.Status.RESOLVING, **fresh_claim
        )
        if not won:
            abandoned = turn_for_update(game, pk=turn_id, status=Turn.Status.RESOLVING)
            if abandoned is None:
                return None
            expired = abandoned.claimed_at is None or abandoned.claimed_at < stale
            if not expired and not holder_is_dead(abandoned.claim_token):
                return None
            if abandoned.attempts >= MAX_CLAIMS:
                _mark_failed(
                    game,
                    abandoned,
                    f"Abandoned {abandoned.attempts} times: the worker resolving it stopped "
                    "before finishing each time (killed, or out of memory?).",
                )
                return None
            Turn.objects.filter(pk=turn_id).update(**fresh_claim)
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
    """The turn's adjudication. Its moves and injects are read once, in two plain queries,
    for the engine and then for what the commit publishes (the injects are kept on the
    turn as `adjudicated_injects`)."""
    moves, injects = (
        list(
            model.objects.raw(
                f"SELECT * FROM {table(model)} WHERE {column(model, 'turn')} = %s"
                f" ORDER BY {column(model, 'id')}",
                [turn.pk],
            )
        )
        for model in (Move, Inject)
    )
    turn.adjudicated_injects = injects
    return adjudicate_stored(turn, moves=moves, injects=injects)


def adjudicate_stored(
    turn: Turn,
    overrides: list[dict] | None = None,
    *,
    moves: list[Move] | None = None,
    injects: list[Inject] | None = None,
) -> Adjudication:
    """The turn from its rows (moves, injects, and `overrides` as the log will hold them),
    from the state the game had when it opened: the same call `replay --verify` makes on
    the game's log, so what is published is what a replay finds. `moves`, `injects`: the
    turn's rows in the order they were stored, if the caller has read them."""
    game = turn.game
    logged_turn = {
        "moves": [m.as_engine_dict() for m in (turn.moves.all() if moves is None else moves)],
        "injects": [i.as_log_dict() for i in (turn.injects.all() if injects is None else injects)],
        "overrides": overrides or [],
    }
    return adjudicate_turn(
        engine_scenario(game.scenario),
        game.state,
        logged_turn,
        seed=game.seed,
        budget=game.action_budget,
        ruleset=game.ruleset,
    )


def _commit(
    turn_id: int, token: str, adjudication: Adjudication, claimed: Turn | None = None
) -> TurnResult | None:
    """`claimed`: the turn as this claim read it (its game known, no query, and the
    injects it was adjudicated with, if `_adjudicate` read them)."""
    with transaction.atomic():
        if claimed is None:
            game, turn = _claimed_for_update(turn_id, token)
            bots = None
        else:
            game, turn, bots = _close_claim(claimed, token)
        if turn is None:
            log.warning("turn %s: claim %s lost before commit; not committing", turn_id, token)
            return None
        result = TurnResult.from_adjudication(turn, adjudication)
        result.save()
        if game.umpire_review:
            _set_status(turn, Turn.Status.REVIEW)
            event_append(
                game=game,
                type=realtime.TURN_PROPOSED,
                turn=turn.number,
                data=resolved_payload(turn.number, result),
                audience=[policy.FACILITATOR],
            )
            return result
        # The injects as adjudicated: the turn's claim kept anyone from adding one since.
        restricted = None
        if claimed is not None:
            restricted = restricted_injects(claimed, getattr(claimed, "adjudicated_injects", None))
        publish_result(game=game, turn=turn, result=result, restricted=restricted, bots=bots)
        return result


def _close_claim(claimed: Turn, token: str) -> tuple[Game, Turn | None, bool]:
    """Lock the game (reading again what may have changed since the claim), then end the
    claim in one conditional UPDATE, only while `token` still holds it: the game, the
    turn as claimed with its new status (under review, or resolved) or None if the claim
    was lost, and whether any seat is a bot's."""
    game = claimed.game
    bots = game_refresh_for_update(game)
    status = Turn.Status.REVIEW if game.umpire_review else Turn.Status.RESOLVED
    resolved_at = None if game.umpire_review else timezone.now()
    closed = Turn.objects.filter(
        pk=claimed.pk, status=Turn.Status.RESOLVING, claim_token=token
    ).update(status=status, resolved_at=resolved_at)
    if not closed:
        return game, None, bots
    claimed.status, claimed.resolved_at = status, resolved_at
    return game, claimed, bots


def _set_status(turn: Turn, status: str) -> None:
    if turn.status != status:
        turn.status = status
        turn.save(update_fields=["status"])


def _claimed_for_update(turn_id: int, token: str) -> tuple[Game, Turn | None]:
    """The game and the turn locked, the turn only while `token` still holds its claim."""
    game_id = Turn.objects.values_list("game_id", flat=True).get(pk=turn_id)
    game = game_for_update(game_id)
    turn = turn_for_update(game, pk=turn_id, status=Turn.Status.RESOLVING, claim_token=token)
    return game, turn


def publish_result(
    *,
    game: Game,
    turn: Turn,
    result: TurnResult,
    restricted: dict[str, str] | None = None,
    bots: bool | None = None,
) -> None:
    """Make a turn's result the game's state, tell everyone, and move on to the next turn
    (or finish). Caller holds the game and turn rows locked. `restricted`: the turn's
    restricted injects if the caller has them (else read here); `bots`: whether any seat
    is a bot's, if the caller knows (else the next turn asks)."""
    if turn.status != Turn.Status.RESOLVED:  # else `_close_claim` has written it
        turn.status = Turn.Status.RESOLVED
        turn.resolved_at = timezone.now()
        turn.save(update_fields=["status", "resolved_at"])
    game.state = result.state
    game.state_hash = result.state_hash
    game.current_turn = turn.number
    # Written by the same UPDATE that numbers the events below (`events_append`'s `also`).
    also = ("state", "state_hash", "current_turn")
    resolved = {
        "type": realtime.TURN_RESOLVED,
        "turn": turn.number,
        "data": resolved_payload(
            turn.number, result, restricted_injects(turn) if restricted is None else restricted
        ),
        "audience": [policy.EVERYONE],
    }
    # One batch with what follows (the next turn's opening, or the game's end): one
    # numbering, one insert and one publish for both.
    if turn.number >= game.max_turns:
        phases.finish_locked(
            game=game, reason="the last turn was resolved", preceding=[resolved], also=also
        )
    elif game.status != Game.Status.FINISHED:
        turn_open(game=game, number=turn.number + 1, preceding=[resolved], also=also, bots=bots)
    else:
        events_append(game=game, events=[resolved], also=also)


def _release(turn_id: int, token: str) -> None:
    Turn.objects.filter(pk=turn_id, claim_token=token, status=Turn.Status.RESOLVING).update(
        status=Turn.Status.LOCKED, claim_token="", claimed_at=None
    )


def _fail(turn_id: int, token: str, error: str) -> None:
    with transaction.atomic():
        game, turn = _claimed_for_update(turn_id, token)
        if turn is not None:
            _mark_failed(game, turn, error)


def _mark_failed(game: Game, turn: Turn, error: str) -> None:
    """The turn fails for good (caller holds game and turn locked): the facilitator hears
    why, everyone else only that it could not be resolved."""
    turn.status = Turn.Status.FAILED
    turn.error = error[:MAX_ERROR_CHARS]
    turn.failed_at = timezone.now()
    turn.claim_token = ""
    turn.claimed_at = None
    turn.save(update_fields=["status", "error", "failed_at", "claim_token", "claimed_at"])
    event_append(
        game=game,
        type=realtime.TURN_FAILED,
        turn=turn.number,
        data={"number": turn.number, "error": turn.error, "attempts": turn.attempts},
        audience=[policy.FACILITATOR],
    )
    event_append(
        game=game,
        type=realtime.TURN_UNRESOLVED,
        turn=turn.number,
        data={"number": turn.number},
        audience=[policy.EVERYONE],
    )


def turn_retry(*, game: Game, turn: Turn) -> None:
    """The facilitator sends a failed turn back: locked again, its claims counted afresh,
    its resolution enqueued once this commits. Caller holds the game row locked."""
    turn.status = Turn.Status.LOCKED
    turn.attempts = 0
    turn.save(update_fields=["status", "attempts"])
    event_append(
        game=game,
        type=realtime.TURN_RETRIED,
        turn=turn.number,
        data={"number": turn.number},
        audience=[policy.EVERYONE],
    )
    enqueue_resolution(turn.pk)


def turns_due() -> list[int]:
    """Turns to (re-)enqueue: open past their deadline in a running game, or claimed by a
    worker that has not finished within the lease (it probably died). Never a failed
    turn: only the facilitator's retry sends one back."""
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
    return sorted(set(overdue) | set(abandoned) | set(stuck) | set(turns_held_by_dead()))


def turns_held_by_dead() -> list[int]:
    """Turns still inside their lease whose claim names a process known to be dead (on
    this host: `holder_is_dead`). When a whole worker is killed (the OOM killer, a
    container restart), its unacknowledged task is redelivered only after the broker's
    visibility timeout; re-queueing these lets the next worker take the turn over within
    seconds instead of waiting out the lease."""
    held = Turn.objects.filter(status=Turn.Status.RESOLVING).exclude(claim_token="")
    return [pk for pk, token in held.values_list("pk", "claim_token") if holder_is_dead(token)]


def dead_claims_requeue() -> list[int]:
    """Re-queue the turns whose claim holder is known dead (a worker starting up calls
    this: the worker before it on this host may have been killed holding a claim)."""
    dead = turns_held_by_dead()
    for turn_id in dead:
        log.warning("turn %s: its claim's process is gone; resolving it again", turn_id)
        enqueue_resolution(turn_id)
    return dead


def deadline_sweep() -> list[int]:
    """Request resolution of every due turn; returns their ids. Idempotent."""
    due = turns_due()
    for turn_id in due:
        with transaction.atomic():
            game_id = Turn.objects.values_list("game_id", flat=True).get(pk=turn_id)
            game = game_for_update(game_id)
            turn = Turn.objects.get(pk=turn_id)
            if turn.status in CLAIMABLE:
                phases.turn_request_resolution(game=game, turn=turn, reason="deadline")
            elif turn.status == Turn.Status.RESOLVING:
                enqueue_resolution(turn_id)
    return due
