"""Who is connected: one row per open socket, shared by every web process; and since when
a seat nobody is connected to has been away (SeatAway: the class dashboard's alerts and
the bots that stand in for absent students)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wargame.models import Presence, SeatAway


def presence_join(*, game_id: int, role: str, name: str, channel_name: str) -> None:
    """The socket's row (written again if its channel name is somehow taken), and its seat
    no longer away: one transaction, two statements, as every socket's opening waits on
    it (an `update_or_create` and a delete were two transactions, up to nine statements)."""
    row = Presence(game_id=game_id, role=role, name=name, channel_name=channel_name)
    with transaction.atomic():
        Presence.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["channel_name"],
            update_fields=["game", "role", "name"],
        )
        SeatAway.objects.filter(game_id=game_id, role=role).delete()


def presence_leave(*, channel_name: str) -> None:
    row = Presence.objects.filter(channel_name=channel_name).first()
    if row is None:
        return
    row.delete()
    if not Presence.objects.filter(game_id=row.game_id, role=row.role).exists():
        SeatAway.objects.update_or_create(
            game_id=row.game_id, role=row.role, defaults={"since": timezone.now()}
        )
