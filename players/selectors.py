"""Who is asking: from a bearer token or a browser session, to a participant and seat."""

from __future__ import annotations

from django.db import connection

from players.models import Participant, Seat
from wargame.policy.text import text_fault

SESSION_KEY = "lt_participants"  # {game_id: participant_id}
# What a caller of participant_by_token reads of the seat; its other fields load if touched.
_SEAT_FIELDS = ("id", "game", "role", "kind")


def participant_by_token(token: str | None) -> Participant | None:
    """The participant holding this seat token, with its seat, or None.

    Every API call with a token and every socket's opening asks this, so it is one
    statement written out: the ORM spent about ten times as long building the
    `select_related` query as PostgreSQL took to answer it (bench/README.md, 2026-12-05
    morning). The seat carries the fields above; any other loads when first touched."""
    if not token or text_fault(token):  # a NUL is no token (PostgreSQL refuses the lookup)
        return None
    quote, people, seats = connection.ops.quote_name, Participant._meta, Seat._meta
    seat_columns = ", ".join(
        f"s.{quote(seats.get_field(name).column)} AS lt_seat_{name}" for name in _SEAT_FIELDS
    )
    sql = (
        f"SELECT p.*, {seat_columns} FROM {quote(people.db_table)} p"
        f" JOIN {quote(seats.db_table)} s"
        f" ON s.{quote(seats.pk.column)} = p.{quote(people.get_field('seat').column)}"
        f" WHERE p.{quote(people.get_field('token').column)} = %s"
    )
    found = list(Participant.objects.raw(sql, [token]))
    if not found:
        return None
    participant = found[0]
    participant.seat = Seat.from_db(
        connection.alias,
        [seats.get_field(name).attname for name in _SEAT_FIELDS],
        [getattr(participant, f"lt_seat_{name}") for name in _SEAT_FIELDS],
    )
    return participant


def participant_from_session(session, game_id: int) -> Participant | None:
    ids = session.get(SESSION_KEY, {}) if session is not None else {}
    participant_id = ids.get(str(game_id))
    if participant_id is None:
        return None
    # A participant moved to another table (a class, before its start) is no seat here.
    found = Participant.objects.select_related("seat").filter(pk=participant_id)
    return found.filter(seat__game_id=game_id).first()


def remember_in_session(session, participant: Participant) -> None:
    ids = dict(session.get(SESSION_KEY, {}))
    ids[str(participant.seat.game_id)] = participant.pk
    session[SESSION_KEY] = ids


def participant_names(game) -> list[tuple[str, str]]:
    """Everyone who took a seat in this game, as (name, seat role), for anonymised exports:
    the log lists the players' names but not the facilitator's or observers'."""
    return list(Participant.objects.filter(seat__game=game).values_list("name", "seat__role"))


TEACHERS = "teachers"  # the auth group of teacher accounts (made by migration 0010_classes)


def is_teacher(user) -> bool:
    """A logged-in account in the teachers' group: it creates and runs its own classes."""
    if user is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_lt_is_teacher", [])
    if not cache:
        cache.append(user.groups.filter(name=TEACHERS).exists())
    return cache[0]
