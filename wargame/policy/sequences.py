"""Each seat's own numbering of the events it may see (issue 9: counting hidden events).

A game's log is numbered 1, 2, 3, ... (`seq`), but a seat never sees that number: it
would rise with every move, withdrawal and private message of other roles. Each event
instead carries the running count of events every viewer may see up to and including it
(`seqs`), and a seat's `seq` for an event is its own count: dense, 1, 2, 3, ..., and the
same whatever happened out of its sight. Visibility is fixed when the event is written
(the observer's grant as it was then), so a seat's numbering never changes afterwards.

`seqs` holds "all" (the count of events everyone sees) and a key for each viewer once an
event not for everyone has been shown to it; a viewer without a key has seen only "all"
events. The facilitator sees every event: its numbering is the log's own `seq`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .audience import EVERYONE, FACILITATOR, OBSERVER, may_see


def next_seqs(
    previous: Mapping[str, int],
    audience: list[str],
    event_type: str,
    observer_reads_channels: bool,
) -> dict[str, int]:
    """The counters after one more event, from the previous event's (`{}` for the first)."""
    seqs = {EVERYONE: 0, **previous}
    if EVERYONE in audience:
        return {viewer: count + 1 for viewer, count in seqs.items()}
    seers = {viewer for viewer in audience if viewer != FACILITATOR}
    if may_see(OBSERVER, audience, event_type, observer_reads_channels):
        seers.add(OBSERVER)
    for viewer in seers:
        seqs[viewer] = seqs.get(viewer, seqs[EVERYONE]) + 1
    return seqs


def seat_seq(seqs: Mapping[str, int], role: str, seq: int) -> int:
    """This seat's number for the event whose counters are `seqs` (the log's `seq` for
    the facilitator). A seat may see the event if it is above the previous event's."""
    if role == FACILITATOR:
        return seq
    return seqs.get(role, seqs.get(EVERYONE, 0))
