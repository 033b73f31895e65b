"""Who is on a socket, and the origin check.

Browsers send an Origin and authenticate with the session cookie; the Origin must be the
page's own (scheme, host and port) or a trusted one (`policy.origin_allowed`: no cross-site
socket hijacking, not even from another port of the same host). Scripts send no Origin and must
authenticate with ?token=<seat token>; a cookie alone without an Origin is refused.
Whether the socket opens, and whose events it forwards, is `wargame.policy`: the seat's
role, or the facilitator's for a staff account (session) without a seat, or for the
teacher who owns the game.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from channels.sessions import CookieMiddleware
from django.conf import settings
from django.contrib.auth import get_user
from django.utils.functional import SimpleLazyObject

from players.selectors import participant_by_token, participant_from_session
from wargame import policy, selectors, throttle
from wargame.selectors.classes import class_by_id, owns_game
from wargame.services.presence import presence_join, presence_leave
from wargame.ws.language import game_scenario_row


def seat_for_scope(scope, game_id: int) -> dict | None:
    """{"role", "name", "observers_read_channels"} for whoever is on this socket, or None
    (closed as not found) when policy does not let them open this game."""
    token = (parse_qs(scope.get("query_string", b"").decode("latin1")).get("token") or [None])[0]
    participant = None
    if token:
        limiter = throttle.scope_request(scope)
        try:
            throttle.refuse_if_throttled(limiter, throttle.TOKEN)
        except throttle.Throttled:
            return None
        participant = participant_by_token(token)
        if participant is None:
            throttle.count_failure(limiter, throttle.TOKEN)
    user = None
    if participant is None and scope.get("lt_origin_checked"):
        participant = participant_from_session(scope.get("session"), game_id)
        user = scope.get("user")
    if participant is not None and participant.seat.game_id != game_id:
        participant = None
    account = user is not None and user.is_authenticated
    staff = bool(account and user.is_staff)
    seatless_account = participant is None and account and not staff
    owner = bool(seatless_account and owns_game(game_id=game_id, user_id=user.pk))
    actor = policy.Actor(
        seat=participant.seat.role if participant else None, staff=staff, owner=owner
    )
    if not policy.may_open(actor):
        return None
    observers_read_channels = selectors.observers_read_channels(game_id)
    if observers_read_channels is None:  # no such game (or gone since)
        return None
    return {
        "role": actor.role,
        "name": participant.name if participant else user.get_full_name() or user.get_username(),
        "observers_read_channels": observers_read_channels,
    }


def seat_connected(game_id: int, seat: dict, channel_name: str) -> None:
    presence_join(game_id=game_id, role=seat["role"], name=seat["name"], channel_name=channel_name)


def seat_joined(game_id: int, seat: dict, channel_name: str) -> tuple[int, int]:
    """The seat is present on this socket; (the log's last seq, the seat's last number)."""
    seat_connected(game_id, seat, channel_name)
    return seat_position(game_id, seat["role"])


def seat_opened(scope, game_id: int, channel_name: str, *, translated: bool):
    """A socket's whole opening in one database trip: (seat, the log's last seq, the seat's
    last number, the scenario row to translate with or None), or None (closed as not
    found)."""
    seat = seat_for_scope(scope, game_id)
    if seat is None:
        return None
    newest, mine = seat_joined(game_id, seat, channel_name)
    return seat, newest, mine, (game_scenario_row(game_id) if translated else None)


def seat_disconnected(channel_name: str) -> None:
    presence_leave(channel_name=channel_name)


def seat_position(game_id: int, role: str) -> tuple[int, int]:
    """(the log's last seq, the seat's last own number)."""
    return selectors.seat_position(game_id, role)


def seat_events_after(game_id: int, role: str, after: int, newest: int):
    return selectors.seat_events_after(game_id, role, after, newest)


def seat_game_events(game_id: int, after: int, upto: int | None):
    return selectors.events_between(game_id, after, upto)


def socket_scheme(scope) -> str:
    """The scheme the page was served on: https for wss, or behind a proxy that says so
    with SECURE_PROXY_SSL_HEADER (the same rule Django applies to HTTP requests)."""
    if scope.get("scheme") == "wss":
        return "https"
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name = proxy[0].removeprefix("HTTP_").replace("_", "-").lower().encode("latin1")
        for key, value in scope.get("headers", []):
            if key == name and value.decode("latin1").split(",")[0].strip() == proxy[1]:
                return "https"
    return "http"


def scope_origin_allowed(scope, origin: str) -> bool:
    headers = dict(scope.get("headers", []))
    host = headers.get(b"host", b"").decode("latin1") or None
    return policy.origin_allowed(
        origin,
        scheme=socket_scheme(scope),
        host_header=host,
        allowed_hosts=list(settings.ALLOWED_HOSTS),
        trusted_origins=list(settings.CSRF_TRUSTED_ORIGINS),
    )


class TokenOrOriginValidator:
    """Allow a socket whose Origin is allowed by scheme, host and port (cookie auth
    possible: scope["lt_origin_checked"]), or one with no Origin at all (token auth only);
    close any other before it is accepted."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        if b"origin" not in headers:
            return await self.application(dict(scope, lt_origin_checked=False), receive, send)
        if not scope_origin_allowed(scope, headers[b"origin"].decode("latin1")):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(dict(scope, lt_origin_checked=True), receive, send)


def origin_checked(application):
    return TokenOrOriginValidator(application)


class LazyUserMiddleware(BaseMiddleware):
    """scope["user"] from the session, read when first used rather than before every
    socket opens. Channels' AuthMiddleware resolves it up front through the one thread
    asgiref keeps for thread-sensitive work, shared by every socket of the process: a
    burst of 200 sockets (token sockets, which never read it) queued behind each other
    there while turns resolved (bench/load.py). Every reader here is sync code on a
    database thread (`seat_for_scope`, `class_games_for_scope`, the lab's sync consumer),
    where the session's query may run."""

    async def __call__(self, scope, receive, send):
        if "session" not in scope:
            raise ValueError("LazyUserMiddleware needs SessionMiddleware above it.")
        session = scope["session"]
        scope = dict(scope, user=SimpleLazyObject(lambda: _session_user(session)))
        return await super().__call__(scope, receive, send)


def _session_user(session):
    """The session's user (or AnonymousUser), checked as Django checks a request's."""
    return get_user(SimpleNamespace(session=session))


class SocketSessionMiddleware:
    """scope["session"] from the session cookie (read lazily, as a request's), without
    Channels' SessionMiddleware wrapper around send: that wrapper saves a changed session on
    an HTTP response, which a socket never sends, and asked the session on every frame
    whether it was changed or empty (6.5% of a web process's CPU at 100 games x 40 sockets,
    py-spy on bench/load.py). Sockets read the session; nothing on them writes it."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if "cookies" not in scope:
            raise ValueError("SocketSessionMiddleware needs CookieMiddleware above it.")
        store = import_module(settings.SESSION_ENGINE).SessionStore
        session = store(scope["cookies"].get(settings.SESSION_COOKIE_NAME))
        return await self.application(dict(scope, session=session), receive, send)


def session_auth(application):
    """Cookies, the session, and the lazy user: Channels' AuthMiddlewareStack, but lazy,
    and with nothing wrapped around the socket's sends."""
    return CookieMiddleware(SocketSessionMiddleware(LazyUserMiddleware(application)))


def class_games_for_scope(scope, class_id: int) -> list[int] | None:
    """The game ids of a class's tables, for its teacher or staff (browser session with an
    allowed Origin); None (closed as not found) for anyone else."""
    if not scope.get("lt_origin_checked"):
        return None
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    classroom = class_by_id(class_id)
    if classroom is None or not policy.may_run_class(
        staff=user.is_staff, account=user.pk, teacher=classroom.teacher_id
    ):
        return None
    return list(classroom.tables.values_list("game_id", flat=True))
