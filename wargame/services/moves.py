"""Submit, withdraw and lock moves for the open turn; bots move through the same path."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from players.models import Participant, Seat
from wargame import policy, realtime
from wargame.engine import Move as EngineMove
from wargame.engine.validation import normalise_target, validate_addition
from wargame.errors import BadInput, NotFound, WrongPhase, state_word
from wargame.models import Game, Move, RoleLock, Turn
from wargame.policy.text import fault_in
from wargame.realtime.payloads import move_dict

from . import phases
from .events import event_append, events_append
from .locks import game_and_open_turn_for_update, game_for_update
from .scenarios import engine_scenario
from .sql import column, table


def move_submit(
    *, game_id: int, role: str, action: str, target: str | None, rationale: str, by: str = ""
) -> Move:
    """A secret move for the open turn. Everyone hears that `role` moved; only that role
    and the facilitator hear what it was."""
    rationale = rationale or ""
    fault = fault_in(action=action, target=target, rationale=rationale)
    if fault:
        raise BadInput(fault, code="bad_text")
    if len(rationale) > settings.LT_MAX_RATIONALE_CHARS:
        raise BadInput(
            "The rationale is %(count)s characters; the limit is %(limit)s.",
            count=len(rationale),
            limit=settings.LT_MAX_RATIONALE_CHARS,
            code="too_long",
        )
    with transaction.atomic():
        game, turn = _open_turn_for_update(game_id, role)
        scenario = engine_scenario(game.scenario)
        move = normalise_target(scenario, EngineMove(role, action, target or None, rationale))
        existing = [
            EngineMove(m.role, m.action, m.target or None, m.rationale)
            for m in Move.objects.filter(turn=turn, role=role)
        ]
        violations = validate_addition(scenario, move, existing, budget=game.action_budget)
        if violations:
            raise BadInput(violations[0].message, code=violations[0].code)
        return record_move(game=game, turn=turn, move=move, by=by)


def move_withdraw(*, game_id: int, role: str, move_id: str) -> None:
    """Withdraw one of `role`'s moves of the open turn, named by its public id (or, for a
    client that kept one from before public ids, its old number: looked up among this
    role's own moves only, so the answer says nothing about anyone else's)."""
    with transaction.atomic():
        game, turn = _open_turn_for_update(game_id, role)
        move = _own_move(game=game, role=role, move_id=move_id)
        if move is None:
            raise NotFound("No such move of yours.")
        if move.turn_id != turn.pk:
            raise WrongPhase("That move belongs to a past turn.")
        move.delete()
        event_append(
            game=game,
            type=realtime.MOVE_WITHDRAWN,
            turn=turn.number,
            data={"role": role, "move": str(move.public_id)},
            audience=[role, policy.FACILITATOR],
        )


def _own_move(*, game: Game, role: str, move_id: str) -> Move | None:
    own = Move.objects.filter(game=game, role=role)
    text = str(move_id).strip()
    if text.isascii() and text.isdigit():
        return own.filter(pk=int(text)).first()
    try:
        public = uuid.UUID(text)
    except ValueError:
        return None
    return own.filter(public_id=public).first()


def role_lock(*, game_id: int, role: str) -> RoleLock:
    """Lock a role's moves; when every played role has locked, resolution is enqueued
    (its claim and `turn.resolving` in the same batch as this `role.locked`).

    Every turn's result waits on this request, so it is a few plain statements: the game
    and its open turn in one (`locks.game_and_open_turn_for_update`), the lock taken by
    an insert that a second lock of the same role finds already there, and who is still
    to lock in one more (bench/README.md, 23:00)."""
    with transaction.atomic():
        game, turn = game_and_open_turn_for_update(game_id)
        _refuse_unless_open(game, turn)
        lock = _lock_taken(turn, role)
        if lock is None:
            raise_already_locked(turn, role)
        event = locked_event(turn, role)
        if not resolve_if_all_locked(game=game, turn=turn, preceding=[event]):
            events_append(game=game, events=[event])
        return lock


def _lock_taken(turn: Turn, role: str) -> RoleLock | None:
    """Insert `role`'s lock of `turn`, or None if it had one already (the unique pair)."""
    now = timezone.now()
    pair = f"{column(RoleLock, 'turn')}, {column(RoleLock, 'role')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(RoleLock)} ({pair}, {column(RoleLock, 'locked_at')})"
            f" VALUES (%s, %s, %s) ON CONFLICT ({pair}) DO NOTHING"
            f" RETURNING {column(RoleLock, 'id')}",
            [turn.pk, role, connection.ops.adapt_datetimefield_value(now)],
        )
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    lock = RoleLock(id=inserted[0], turn=turn, role=role, locked_at=now)
    lock._state.adding = False
    return lock


def _played_and_locked(game: Game, turn: Turn) -> tuple[set[str], set[str]]:
    """The roles someone plays (a person has joined, or a bot sits there) and those that
    have locked `turn`, in one query."""
    role = column(Seat, "role")
    locked = (
        f"EXISTS (SELECT 1 FROM {table(RoleLock)} l"
        f" WHERE l.{column(RoleLock, 'turn')} = %s AND l.{column(RoleLock, 'role')} = s.{role})"
    )
    joined = (
        f"EXISTS (SELECT 1 FROM {table(Participant)} p"
        f" WHERE p.{column(Participant, 'seat')} = s.{column(Seat, 'id')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.{role}, {locked} FROM {table(Seat)} s"
            f" WHERE s.{column(Seat, 'game')} = %s AND s.{role} NOT IN (%s, %s)"
            f" AND (s.{column(Seat, 'kind')} = %s OR {joined})",
            [turn.pk, game.pk, policy.FACILITATOR, policy.OBSERVER, Seat.Kind.BOT],
        )
        rows = cursor.fetchall()
    return {role for role, _ in rows}, {role for role, locked in rows if locked}


def _refuse_unless_open(game: Game, turn: Turn | None) -> None:
    """Moves and locks are only taken while the game runs and its turn is open."""
    if game.status != Game.Status.RUNNING:
        raise WrongPhase(
            "The game is %(status)s; moves are only taken while it runs.",
            status=state_word(game.status),
        )
    if turn is None or turn.status != Turn.Status.OPEN:
        raise WrongPhase("No turn is open for moves right now.")
    if turn.deadline and turn.deadline <= timezone.now():
        raise WrongPhase("The deadline of turn %(number)s has passed.", number=turn.number)


def _open_turn_for_update(game_id: int, role: str | None = None) -> tuple[Game, Turn]:
    """Lock the game row (every writer locks the game first: one lock order, no deadlock)
    and return the open turn, refusing anything but a running game with an open turn
    (or one whose `role` has locked its moves already)."""
    game = game_for_update(game_id)
    turn = phases.open_turn_of(game)
    _refuse_unless_open(game, turn)
    if role is not None and RoleLock.objects.filter(turn=turn, role=role).exists():
        raise_already_locked(turn, role)
    return game, turn


def raise_already_locked(turn: Turn, role: str) -> None:
    raise WrongPhase(
        "%(role)s has already locked its moves for turn %(number)s.",
        role=role,
        number=turn.number,
    )


def record_move(*, game: Game, turn: Turn, move: EngineMove, by: str) -> Move:
    row = Move.objects.create(
        turn=turn,
        game=game,
        role=move.role,
        action=move.action,
        target=move.target or "",
        rationale=move.rationale,
        submitted_by=by[:80],
    )
    if not Move.objects.filter(turn=turn, role=move.role).exclude(pk=row.pk).exists():
        # Others learn only that a role has moved, not how many moves it made.
        event_append(
            game=game,
            type=realtime.MOVE_SUBMITTED,
            turn=turn.number,
            data={"role": move.role},
            audience=[policy.EVERYONE],
        )
    event_append(
        game=game,
        type=realtime.MOVE_RECORDED,
        turn=turn.number,
        data={"role": move.role, "move": move_dict(row)},
        audience=[move.role, policy.FACILITATOR],
    )
    return row


def locked_event(turn: Turn, role: str) -> dict:
    """`role.locked`, for `events_append`: everyone learns that a role has locked."""
    return {
        "type": realtime.ROLE_LOCKED,
        "turn": turn.number,
        "data": {"role": role},
        "audience": [policy.EVERYONE],
    }


def record_lock(*, game: Game, turn: Turn, role: str) -> RoleLock:
    lock = RoleLock.objects.create(turn=turn, role=role)
    events_append(game=game, events=[locked_event(turn, role)])
    return lock


def resolve_if_all_locked(*, game: Game, turn: Turn, preceding: Sequence[dict] = ()) -> bool:
    """Ask for the turn's resolution if every played role has locked (`preceding`: events
    for the same batch as `turn.resolving`). True if it was asked for."""
    played, locked = _played_and_locked(game, turn)
    if not played or not played <= locked:
        return False
    phases.turn_request_resolution(game=game, turn=turn, reason="all locked", preceding=preceding)
    return True
