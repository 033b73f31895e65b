"""A game's event log as a viewer may see it (`policy.may_see`): catch-up pages and gap
filling. A viewer is a Seat or a policy.Actor (its `role`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wargame import policy
from wargame.models import Game, GameEvent

if TYPE_CHECKING:
    from .games import Viewer

EVENT_PAGE = 500


def events_for_seat(
    game: Game, seat: Viewer, *, after: int, limit: int = EVENT_PAGE
) -> tuple[list[dict], int]:
    """Events after seq `after` that this seat may see, oldest first, and the seq to ask
    `after` next time (one query; a page scans at most 4 x limit rows of the log)."""
    rows = GameEvent.objects.filter(game=game, seq__gt=after).order_by("seq")
    out, scanned = [], after
    for event in rows[: limit * 4]:
        scanned = event.seq
        if policy.may_see(seat.role, event.audience, event.type, game.observers_read_channels):
            out.append(event.as_message())
            if len(out) >= limit:
                break
    return out, scanned


def events_between(game_id: int, after: int, upto: int | None = None) -> list[tuple[dict, list]]:
    """Every event in (after, upto], with audiences: a consumer fills a gap from this."""
    rows = GameEvent.objects.filter(game_id=game_id, seq__gt=after)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return [(e.as_message(), list(e.audience)) for e in rows.order_by("seq")]


def game_last_seq(game_id: int) -> int:
    return Game.objects.filter(pk=game_id).values_list("last_seq", flat=True).first() or 0
