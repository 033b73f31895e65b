"""Who may read a game's log, review it, and run it: one answer for every shell.

The log holds every move, rationale and private message, so it belongs to the white
cell until the game ends: the game's facilitator seat and staff accounts at any time,
every seat of the game once it has finished, nobody else ever (a 404, as for a game
that is not yours). Replay, debrief, comparison and exports show the log, so they
follow the same rule. Running a game (the clock, injects, review, fork, notes) is for
its facilitator seat and staff only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .audience import FACILITATOR


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking about one game: their seat in it (a role slug, "facilitator",
    "observer", or None for no seat) and whether they are a staff account."""

    seat: str | None = None
    staff: bool = False

    @property
    def anonymous(self) -> bool:
        return self.seat is None and not self.staff


def may_read_log(actor: Actor, *, finished: bool) -> bool:
    if actor.staff or actor.seat == FACILITATOR:
        return True
    return actor.seat is not None and finished


def may_review(actor: Actor, *, finished: bool) -> bool:
    """Replay (any seat's view), debrief, comparison, exports: they show the log."""
    return may_read_log(actor, finished=finished)


def may_run(actor: Actor) -> bool:
    """Start, pause, resolve, inject, review outcomes, fork, write the debrief notes."""
    return actor.staff or actor.seat == FACILITATOR
