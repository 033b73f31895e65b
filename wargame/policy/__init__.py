"""Who may see and do what, in one place (pure: no Django, no models).

- `audience`: the visibility of every event (`may_see`), and the audience names.
- `redaction`: what a seat sees of a resolved turn (`public_outcome`).
- `access`: who may read a game's log, review it, and run it (`Actor`, `may_*`).

Every shell (API, pages, socket, catch-up, replay as a seat, debrief, exports) asks here
rather than deciding for itself.
"""

from .access import Actor, may_read_log, may_review, may_run
from .audience import EVERYONE, FACILITATOR, MESSAGE_POSTED, OBSERVER, may_see
from .redaction import UNNAMED_INJECT, public_outcome

__all__ = [
    "EVERYONE",
    "FACILITATOR",
    "MESSAGE_POSTED",
    "OBSERVER",
    "UNNAMED_INJECT",
    "Actor",
    "may_read_log",
    "may_review",
    "may_run",
    "may_see",
    "public_outcome",
]
