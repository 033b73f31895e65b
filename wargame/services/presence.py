"""Who is connected: one row per open socket, shared by every web process; and since when
a seat nobody is connected to has been away (SeatAway: the class dashboard's alerts and
the bots that stand in for absent students)."""

from __future__ import annotations

from django.utils import timezone

from wargame.models import Presence, SeatAway


def presence_join(*, game_id: int, role: str, name: str, channel_name: str) -> None:
    Presence.objects.update_or_create(
        channel_name=channel_name, defaults={"game_id": game_id, "role": role, "name": name}
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
