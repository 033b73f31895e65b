"""Who an event is for, and who may see it: the one visibility rule.

An event's audience is ["all"] or a list of role slugs and/or "facilitator". Every shell
(socket, events API, catch-up, replay as a seat) filters through `may_see`.
"""

from __future__ import annotations

EVERYONE = "all"
FACILITATOR = "facilitator"
OBSERVER = "observer"
MESSAGE_POSTED = "message.posted"  # the one event type an observer's grant opens


def may_see(
    role: str, audience: list[str], event_type: str = "", observer_reads_channels: bool = False
) -> bool:
    """The facilitator sees all; others, 'all' or their own role; observers also read
    private messages when the facilitator has granted it."""
    if role == FACILITATOR or EVERYONE in audience or role in audience:
        return True
    return role == OBSERVER and observer_reads_channels and event_type == MESSAGE_POSTED


def may_read_message(
    role: str, sender: str, recipients: list[str], observer_reads_channels: bool = False
) -> bool:
    """A message: its sender, its recipients, the facilitator, and observers with the grant."""
    return role == sender or may_see(role, recipients, MESSAGE_POSTED, observer_reads_channels)
