"""Who is on a socket, and the origin check.

Browsers send an Origin and authenticate with the session cookie; the Origin must be one
of ALLOWED_HOSTS (no cross-site socket hijacking). Scripts send no Origin and must
authenticate with ?token=<seat token>; a cookie alone without an Origin is refused.
Whether the socket opens, and whose events it forwards, is `wargame.policy`: the seat's
role, or the facilitator's for a staff account (session) without a seat.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.security.websocket import OriginValidator
from django.conf import settings

from players.selectors import participant_by_token, participant_from_session
from wargame import policy, selectors
from wargame.services.presence import presence_join, presence_leave


def seat_for_scope(scope, game_id: int) -> dict | None:
    """{"role", "name", "observers_read_channels"} for whoever is on this socket, or None
    (closed as not found) when policy does not let them open this game."""
    token = (parse_qs(scope.get("query_string", b"").decode("latin1")).get("token") or [None])[0]
    participant = participant_by_token(token)
    user = None
    if participant is None and scope.get("lt_origin_checked"):
        participant = participant_from_session(scope.get("session"), game_id)
        user = scope.get("user")
    if participant is not None and participant.seat.game_id != game_id:
        participant = None
    staff = bool(user is not None and user.is_authenticated and user.is_staff)
    actor = policy.Actor(seat=participant.seat.role if participant else None, staff=staff)
    if not policy.may_open(actor):
        return None
    game = participant.seat.game if participant else selectors.game_by_id(game_id)
    if game is None:
        return None
    return {
        "role": actor.role,
        "name": participant.name if participant else user.get_full_name() or user.get_username(),
        "observers_read_channels": game.observers_read_channels,
    }


def seat_connected(game_id: int, seat: dict, channel_name: str) -> None:
    presence_join(game_id=game_id, role=seat["role"], name=seat["name"], channel_name=channel_name)


def seat_disconnected(channel_name: str) -> None:
    presence_leave(channel_name=channel_name)


def seat_position(game_id: int, role: str) -> tuple[int, int]:
    """(the log's last seq, the seat's last own number)."""
    return selectors.seat_position(game_id, role)


def seat_events_after(game_id: int, role: str, after: int, newest: int):
    return selectors.seat_events_after(game_id, role, after, newest)


def seat_game_events(game_id: int, after: int, upto: int | None):
    return selectors.events_between(game_id, after, upto)


class TokenOrOriginValidator(OriginValidator):
    """Allow a socket with an allowed Origin (cookie auth possible), or one with no Origin
    at all (token auth only: scope["lt_origin_checked"] stays unset)."""

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        if b"origin" not in headers:
            return await self.application(dict(scope, lt_origin_checked=False), receive, send)
        return await super().__call__(dict(scope, lt_origin_checked=True), receive, send)


def origin_checked(application):
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = ["localhost", "127.0.0.1", "[::1]"]
    return TokenOrOriginValidator(application, hosts)
