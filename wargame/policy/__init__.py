"""Who may see and do what, in one place (pure: no Django, no models).

- `audience`: the visibility of every event (`may_see`), and the audience names.
- `sequences`: each seat's own numbering of the events it sees (`next_seqs`, `seat_seq`).
- `redaction`: what a seat sees of a resolved turn (`public_outcome`).
- `access`: who may open a game, act for a role, run it, read its log and review it
  (`Actor`, `may_*`, `visible_replay_seats`).
- `origins`: which browser origins may use a seat's cookie (`origin_allowed`).

Every shell (API, pages, socket, catch-up, replay as a seat, debrief, exports) asks here
rather than deciding for itself.
"""

from .access import (
    Actor,
    may_act_for,
    may_open,
    may_post_message,
    may_read_log,
    may_review,
    may_run,
    may_run_class,
    may_see_move,
    may_see_proposal,
    may_see_table,
    plays,
    review_opens_later,
    visible_replay_seats,
)
from .audience import (
    EVERYONE,
    FACILITATOR,
    MESSAGE_POSTED,
    OBSERVER,
    may_read_message,
    may_see,
)
from .origins import origin_allowed
from .redaction import UNNAMED_INJECT, public_outcome
from .sequences import next_seqs, seat_seq

__all__ = [
    "origin_allowed",
    "EVERYONE",
    "FACILITATOR",
    "MESSAGE_POSTED",
    "OBSERVER",
    "UNNAMED_INJECT",
    "Actor",
    "may_act_for",
    "may_open",
    "may_post_message",
    "may_read_message",
    "may_read_log",
    "may_review",
    "may_run",
    "may_run_class",
    "may_see",
    "may_see_move",
    "may_see_proposal",
    "may_see_table",
    "next_seqs",
    "plays",
    "review_opens_later",
    "public_outcome",
    "seat_seq",
    "visible_replay_seats",
]
