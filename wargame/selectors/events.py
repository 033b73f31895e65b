"""A game's event log as a viewer may see it, numbered the viewer's own way
(`policy.seat_seq`): catch-up pages, gap filling and a seat's position. A viewer is a
Seat or a policy.Actor (its `role`).

A seat's number for an event is its count of the events it may see up to that one, so a
seat's events are numbered 1, 2, 3, ... whatever other roles did out of its sight.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q
from django.db.models.fields.json import KeyTransform

from wargame import policy
from wargame.models import Game, GameEvent


class Viewer(Protocol):
    """Whose view to build: a Seat, or a policy.Actor."""

    @property
    def role(self) -> str | None: ...


EVENT_PAGE = 500


def events_for_seat(
    game: Game, seat: Viewer, *, after: int, limit: int = EVENT_PAGE
) -> tuple[list[dict], int]:
    """The seat's events numbered above `after` (its own numbers), oldest first, at most
    `limit`, and the number to ask `after` next time (one query)."""
    rows = _seat_rows(game.pk, seat.role, after, upto=after + limit)
    out = [message for message, _, _ in seat_messages(rows, seat.role, after)]
    return out, out[-1]["seq"] if out else after


def seat_events_after(game_id: int, role: str, after: int, newest: int) -> list[tuple]:
    """The log's events after the seat's number `after`, up to the log's seq `newest`,
    as (message, audience, seqs) with the log's seq: a socket resumes from these."""
    rows = _seat_rows(game_id, role, after).filter(seq__lte=newest)
    return [(e.as_message(), list(e.audience), dict(e.seqs)) for e in rows]


def seat_messages(rows, role: str, after: int):
    """The frames of `rows` (in log order) this seat may see, numbered its way, with their
    audiences and counters: an event is the seat's when its count rises past the last."""
    mine = after
    for event in rows:
        number = policy.seat_seq(event.seqs, role, event.seq)
        if number > mine:
            mine = number
            yield event.as_message(number), list(event.audience), dict(event.seqs)


def _seat_rows(game_id: int, role: str, after: int, upto: int | None = None):
    """Rows whose count for this seat lies in (after, upto]: its events there, and the
    events hidden from it in between (the counts only rise, so this is one range)."""
    rows = GameEvent.objects.filter(game_id=game_id).order_by("seq")
    if role == policy.FACILITATOR:
        rows = rows.filter(seq__gt=after)
        return rows.filter(seq__lte=upto) if upto is not None else rows
    rows = rows.alias(mine=KeyTransform(role, "seqs"), everyone=KeyTransform("all", "seqs"))
    own = Q(mine__gt=after)
    shared = Q(mine__isnull=True, everyone__gt=after)
    if upto is not None:
        own &= Q(mine__lte=upto)
        shared &= Q(everyone__lte=upto)
    return rows.filter(own | shared)


def events_between(game_id: int, after: int, upto: int | None = None) -> list[tuple]:
    """Every event with a log seq in (after, upto], as (message, audience, seqs) with the
    log's seq: a consumer fills a gap from this and numbers them for its seat."""
    rows = GameEvent.objects.filter(game_id=game_id, seq__gt=after)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return [(e.as_message(), list(e.audience), dict(e.seqs)) for e in rows.order_by("seq")]


def seat_position(game_id: int, role: str) -> tuple[int, int]:
    """(the log's last seq, this seat's last number) in one query."""
    row = (
        GameEvent.objects.filter(game_id=game_id)
        .order_by("-seq")
        .values_list("seq", "seqs")
        .first()
    )
    if row is None:
        return 0, 0
    return row[0], policy.seat_seq(row[1], role, row[0])


def seat_last_seq(game: Game, seat: Viewer) -> int:
    """The seat's last number: connect with ?last_seq= this to miss nothing."""
    return seat_position(game.pk, seat.role)[1]


def game_last_seq(game_id: int) -> int:
    """The log's own last seq (internal: never shown to a seat)."""
    return Game.objects.filter(pk=game_id).values_list("last_seq", flat=True).first() or 0
