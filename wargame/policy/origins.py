"""Which browser origins may use a seat's cookie (the socket's Origin check).

An origin is a scheme, a host and a port; all three must match. Allowed are the page's own
origin (the scheme the request came in on and its Host, when that host is one of
ALLOWED_HOSTS) and each configured trusted origin (`https://*.example.org` allows that
scheme on any subdomain). Matching only the host would let any page served on another
port of the same machine (`http://127.0.0.1:9999`) read a seat's socket with its cookie.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def _parts(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin such as `http://localhost:8000`, or None."""
    try:
        split = urlsplit(origin.strip())
        port = split.port
    except ValueError:
        return None
    scheme = split.scheme.lower()
    if scheme not in DEFAULT_PORTS or not split.hostname or split.path not in ("", "/"):
        return None
    return scheme, split.hostname.lower(), port or DEFAULT_PORTS[scheme]


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def host_allowed(host: str, allowed_hosts: list[str]) -> bool:
    """Django's ALLOWED_HOSTS rule: exact, `.example.org` for it and its subdomains, `*`."""
    host = host.lower()
    for pattern in allowed_hosts:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern)):
            return True
    return False


def origin_allowed(
    origin: str,
    *,
    scheme: str,
    host_header: str | None,
    allowed_hosts: list[str],
    trusted_origins: list[str],
) -> bool:
    """Whether a browser page at `origin` may use this request's cookies: it is the
    request's own origin (`scheme`://`host_header`, the host being allowed), or one of the
    trusted origins, scheme, host and port alike."""
    asked = _parts(origin)
    if asked is None:
        return False
    if host_header:
        own = _parts(f"{scheme}://{host_header}")
        bare = f"[{own[1]}]" if own and ":" in own[1] else own and own[1]
        if own is not None and own == asked and host_allowed(bare, allowed_hosts):
            return True
    for trusted in trusted_origins:
        parts = _parts(trusted.replace("://*.", "://wildcard."))
        if parts is None:
            continue
        pattern_host = "*." + parts[1][len("wildcard.") :] if "://*." in trusted else parts[1]
        if parts[0] == asked[0] and parts[2] == asked[2] and _host_matches(pattern_host, asked[1]):
            return True
    return False
