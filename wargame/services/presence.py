"""Who is connected: one row per open socket, shared by every web process."""

from __future__ import annotations

from wargame.models import Presence


def presence_join(*, game_id: int, role: str, name: str, channel_name: str) -> None:
    Presence.objects.update_or_create(
        channel_name=channel_name, defaults={"game_id": game_id, "role": role, "name": name}
    )


def presence_leave(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
