"""Rate limits on guessing: wrong join codes and unknown seat tokens, per client IP.

Only failures count, so a class of thirty joining from one school address is never slowed
down by its own correct joins; a client past its limit is refused before the code or token
is even looked up, until the window (one minute by default) ends. Counts live in the cache
(django-ratelimit): Redis on the full stack, shared by every web process; the process's own
memory in the embedded mode, which is one process. Logins are django-axes' (settings).
The shells turn `Throttled` into a 429: JSON for the API, a page for forms, a close code on
the socket.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from wargame.errors import GameError

JOIN = "lt-join-failures"
TOKEN = "lt-token-failures"


class Throttled(GameError):
    status = 429
    code = "throttled"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind LT_TRUSTED_PROXIES proxies the address
    the outermost trusted one saw (that many entries from the right of X-Forwarded-For;
    entries further left are the client's to forge)."""
    proxies = settings.LT_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(group, request) -> str:
    return client_ip(request)


def _rate(group: str) -> str:
    return {JOIN: settings.LT_RATE_JOIN_FAILURES, TOKEN: settings.LT_RATE_TOKEN_FAILURES}[group]


def _limited(request, group: str, *, increment: bool) -> bool:
    return is_ratelimited(request, group=group, key=_key, rate=_rate(group), increment=increment)


def refuse_if_throttled(request, group: str) -> None:
    """Raise Throttled when this client has used up its failures for now."""
    if _limited(request, group, increment=False):
        if group == JOIN:
            raise Throttled(
                _("Too many wrong join codes from your address; wait a minute and try again.")
            )
        raise Throttled(_("Too many unknown tokens from your address; wait a minute and retry."))


def count_failure(request, group: str) -> None:
    _limited(request, group, increment=True)


def scope_request(scope) -> SimpleNamespace:
    """A socket's scope, seen as the request the limiter keys on (its client address and
    headers)."""
    headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope.get("headers", [])}
    client = scope.get("client") or ("unknown", 0)
    meta = {"REMOTE_ADDR": client[0], "HTTP_X_FORWARDED_FOR": headers.get("x-forwarded-for", "")}
    return SimpleNamespace(META=meta, method="GET")
