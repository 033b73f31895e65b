"""Seats, join codes and participants: the only writes to players' tables."""

from __future__ import annotations

import secrets

from django.db import transaction

from players.models import FACILITATOR, OBSERVER, Participant, Seat
from players.names import display_name_problem
from wargame.engine.reasons import as_reason
from wargame.errors import BadInput
from wargame.policy.text import fault_in

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
CODE_LENGTH = 8


class JoinRefused(Exception):
    """A code that opens no seat (mistyped, or its game is gone). Its sentence is a
    Reason, said in the reader's language by the page or the API that answers."""

    def __init__(self, message: str) -> None:
        super().__init__(as_reason(message))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def seats_create(
    *,
    game,
    roles: list[str],
    bots: list[str] | dict[str, str],
    scripts: dict[str, dict] | None = None,
) -> dict[str, str]:
    """One seat per role plus the facilitator and an observer; returns {role: code}.
    `bots` names the bot roles, or maps each to its policy (a list: `random`);
    `scripts` holds a scripted seat's moves."""
    policies = dict(bots) if isinstance(bots, dict) else dict.fromkeys(bots, "random")
    codes = {}
    for role in [*roles, FACILITATOR, OBSERVER]:
        kind = Seat.Kind.BOT if role in policies else Seat.Kind.PERSON
        seat = Seat.objects.create(
            game=game,
            role=role,
            kind=kind,
            code=new_code(),
            policy=policies.get(role, ""),
            script=(scripts or {}).get(role),
        )
        codes[role] = seat.code
    return codes


def seat_join(*, code: str, name: str, user=None) -> Participant:
    """Claim a seat by its code; several people may share one seat (a team). Text the
    database cannot store, a name the table could not see, or one that turns text
    around, is refused (BadInput) before the code is looked up."""
    fault = fault_in(code=code, name=name)
    if fault:
        raise BadInput(fault, code="bad_text")
    if problem := display_name_problem(name):
        raise BadInput(problem, code="bad_name")
    normalised = (code or "").strip().upper().replace("-", "").replace(" ", "")
    seat = Seat.objects.filter(code=normalised).select_related("game").first()
    if seat is None:
        raise JoinRefused("That join code does not open any seat. Check it and try again.")
    if seat.kind == Seat.Kind.BOT:
        raise JoinRefused("That seat is played by a bot; ask the facilitator for another code.")
    with transaction.atomic():
        return Participant.objects.create(
            seat=seat, name=name, token=secrets.token_urlsafe(32), user=user
        )


def bot_participant(*, seat: Seat) -> Participant:
    """The participant record a bot acts through (created once)."""
    existing = seat.participants.first()
    if existing:
        return existing
    return Participant.objects.create(
        seat=seat, name=f"{seat.role} bot", token=secrets.token_urlsafe(32)
    )


def seats_fill_with_bots(*, game) -> list[str]:
    """Every capital's seat nobody has taken becomes a bot's (a class table at its start);
    returns the roles now played by bots. The caller holds the game's row lock."""
    empty = Seat.objects.filter(game=game, kind=Seat.Kind.PERSON, participants__isnull=True)
    empty = empty.exclude(role__in=[FACILITATOR, OBSERVER])
    roles = sorted(empty.values_list("role", flat=True))
    Seat.objects.filter(game=game, role__in=roles).update(kind=Seat.Kind.BOT)
    return roles


def participant_move(*, participant: Participant, seat: Seat) -> Participant:
    """Seat a participant elsewhere (the teacher moves a student before the start); their
    token and browser session follow them (the session is keyed by game, so the caller
    updates it when the game changes)."""
    if seat.kind == Seat.Kind.BOT or not seat.plays:
        raise BadInput("A student can only be moved to a capital's seat played by people.")
    participant.seat = seat
    participant.save(update_fields=["seat"])
    return participant


def seat_back_to_people(*, seat: Seat) -> Seat:
    """A seat a bot took at a class's start (nobody had come) goes back to people: the
    rostered student arrived. The bot's moves of the open turn stand; from the next turn
    the student plays. The caller holds the game's row lock."""
    Seat.objects.filter(pk=seat.pk).update(kind=Seat.Kind.PERSON)
    seat.kind = Seat.Kind.PERSON
    return seat
