"""policy.origin_allowed: scheme, host and port must all match the site's own origin or a
trusted one."""

from wargame.policy import origin_allowed

HOSTS = ["localhost", "127.0.0.1", "[::1]", ".example.org"]


def allowed(origin, host="127.0.0.1:8000", scheme="http", trusted=()):
    return origin_allowed(
        origin, scheme=scheme, host_header=host, allowed_hosts=HOSTS, trusted_origins=list(trusted)
    )


def test_own_origin_needs_the_same_scheme_host_and_port():
    """Only http://127.0.0.1:8000 is the page's own origin for Host 127.0.0.1:8000."""
    assert allowed("http://127.0.0.1:8000")
    assert not allowed("http://127.0.0.1:9999")
    assert not allowed("https://127.0.0.1:8000")
    assert not allowed("http://127.0.0.1")
    assert not allowed("http://localhost:8000")


def test_default_ports_are_implied():
    """https://example.org and Host example.org:443 over https are one origin."""
    assert allowed("https://app.example.org", host="app.example.org:443", scheme="https")
    assert allowed("https://app.example.org:443", host="app.example.org", scheme="https")


def test_ipv6_host():
    """[::1]:8000 is matched against ALLOWED_HOSTS' [::1]."""
    assert allowed("http://[::1]:8000", host="[::1]:8000")


def test_trusted_origins_match_exactly_or_by_subdomain_wildcard():
    """A trusted origin allows its own scheme and port; *.domain its subdomains."""
    trusted = ["https://play.example.net", "https://*.school.example"]
    assert allowed("https://play.example.net", host=None, trusted=trusted)
    assert not allowed("http://play.example.net", host=None, trusted=trusted)
    assert not allowed("https://play.example.net:8443", host=None, trusted=trusted)
    assert allowed("https://room1.school.example", host=None, trusted=trusted)
    assert not allowed("https://evilschool.example", host=None, trusted=trusted)


def test_garbage_is_refused():
    """null, a path, another scheme or a bad port allow nothing."""
    for origin in ["null", "", "http://127.0.0.1:8000/x", "ws://127.0.0.1:8000", "http://a:99999"]:
        assert not allowed(origin)
