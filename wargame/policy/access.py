"""Who may open, act in, run and review a game: one answer for every shell.

The shells (API, pages, socket) build an `Actor` from the request and ask here; they
decide nothing themselves. The rules:

- **A seat** sees its game as its own role sees it (`Actor.role`), acts only for its own
  capital, and an observer only reads. A seat of another game is no seat here: 404.
- **Staff accounts are the white cell of every game**: without a seat they see and run any
  game as its facilitator does (the console, the socket, the log, the umpire's proposal),
  and no page writes a seat for them. They never move for a capital. A staff account that
  joined a game with a code sees that game as its seat.
- **A teacher account** (not staff) is the white cell of the games it owns (its classes'
  tables, `Actor.owner`) and of nothing else: another teacher's game is a game that does
  not exist to it (404), as it is to anyone without a seat. The shell says whether the
  account owns this game; the rules here treat an owner as staff for that game alone.
- **The log** holds every move, rationale and private message, so it is the white cell's
  until the game ends (facilitator seat and staff at any time), every seat's once the
  game has finished, nobody else's ever. Replay (any seat's view), debrief, comparison
  and exports show the log, so they follow the same rule.
- **Running** (clock, injects, umpire review, observers' grant, fork, debrief notes) is
  the facilitator seat's and staff's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .audience import FACILITATOR, OBSERVER


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking about one game: their seat in it (a role slug, "facilitator",
    "observer", or None for no seat) and whether they are a staff account."""

    seat: str | None = None
    staff: bool = False
    # A teacher's account that owns this game (created it, as a table of its class).
    owner: bool = False

    @property
    def white_cell(self) -> bool:
        """Runs this game without a seat: any staff account, or the teacher who owns it."""
        return self.staff or self.owner

    @property
    def anonymous(self) -> bool:
        return self.seat is None and not self.white_cell

    @property
    def role(self) -> str | None:
        """Whose view the live surfaces show: the seat's own; staff without a seat see as
        the facilitator; None for anyone else (they see nothing)."""
        if self.seat is not None:
            return self.seat
        return FACILITATOR if self.white_cell else None


def plays(role: str | None) -> bool:
    """A capital's seat (not the facilitator's, not the observers')."""
    return role is not None and role not in (FACILITATOR, OBSERVER)


def may_open(actor: Actor) -> bool:
    """The live game: its view, events, messages, history, its page and its socket."""
    return actor.role is not None


def may_act_for(actor: Actor, role: str) -> bool:
    """Submit, withdraw and lock moves for `role`: that capital's own seat only."""
    return plays(role) and actor.seat == role


def may_post_message(actor: Actor) -> bool:
    """Everyone at the table talks (as `actor.role`); observers only read."""
    return may_open(actor) and actor.role != OBSERVER


def may_run(actor: Actor) -> bool:
    """Start, pause, resolve, inject, review outcomes, fork, write the debrief notes."""
    return actor.white_cell or actor.seat == FACILITATOR


def may_read_log(actor: Actor, *, finished: bool) -> bool:
    if actor.white_cell or actor.seat == FACILITATOR:
        return True
    return actor.seat is not None and finished


def may_review(actor: Actor, *, finished: bool) -> bool:
    """Replay (any seat's view), debrief, comparison, exports: they show the log."""
    return may_read_log(actor, finished=finished)


def review_opens_later(actor: Actor, *, finished: bool) -> bool:
    """A seat of this game asking for its review before the end: it knows the game exists,
    so it is told the review opens when the game ends (others get 404, as for any game
    that is not theirs)."""
    return actor.seat is not None and not may_review(actor, finished=finished)


def visible_replay_seats(actor: Actor, seats: Iterable[str], *, finished: bool) -> list[str]:
    """The views the replay may show this actor (`?as=`): every one for a reviewer (the
    log holds them all anyway), none for anyone else."""
    return list(seats) if may_review(actor, finished=finished) else []


def may_see_move(role: str, mover: str) -> bool:
    """An unresolved move: its own capital's and the facilitator's."""
    return role in (FACILITATOR, mover)


def may_see_proposal(role: str) -> bool:
    """The outcome waiting for the umpire is the facilitator's alone until accepted."""
    return role == FACILITATOR


def may_see_table(role: str) -> bool:
    """The console's extras: every seat's join code, who is online, the inject list."""
    return role == FACILITATOR


def may_run_class(*, staff: bool, account: int | None, teacher: int | None) -> bool:
    """A class (its dashboard, bulk controls, roster, join sheet, debrief): its teacher's
    and staff's; anyone else is told it does not exist (404)."""
    return staff or (account is not None and account == teacher)
