"""The socket's Origin check compares scheme, host and port: a page on another port or
scheme of the same host cannot open a seat's socket with the seat's cookie."""

import pytest
from django.test import override_settings

from tests.ws.test_socket import browser_session, open_socket, running_game

pytestmark = pytest.mark.django_db(transaction=True)


def browser(origin: bytes, host: bytes, session: str) -> list[tuple[bytes, bytes]]:
    return [(b"origin", origin), (b"host", host), (b"cookie", f"sessionid={session}".encode())]


@pytest.mark.parametrize(
    "origin",
    [
        b"http://127.0.0.1:9999",  # another port, same host
        b"https://127.0.0.1:8000",  # another scheme
        b"http://127.0.0.1",  # the default port is another port
        b"http://127.0.0.1:8000.evil.example",
        b"null",
    ],
)
async def test_cookie_from_another_port_or_scheme_is_refused(origin):
    """A seat's cookie sent from a page that is not the site's own origin opens nothing,
    although its host is the site's host."""
    game, _ = await running_game()
    session = await browser_session(game)
    communicator, connected, _ = await open_socket(
        game, headers=browser(origin, b"127.0.0.1:8000", session)
    )
    assert not connected
    assert await communicator.receive_nothing(timeout=0.1)


async def test_cookie_from_the_sites_own_origin_connects():
    """The page's own origin (scheme, Host and port alike) gets the seat's socket."""
    game, _ = await running_game()
    session = await browser_session(game)
    communicator, connected, _ = await open_socket(
        game, headers=browser(b"http://127.0.0.1:8000", b"127.0.0.1:8000", session)
    )
    assert connected
    presence = await communicator.receive_json_from()
    await communicator.disconnect()
    assert presence["data"]["role"] == "seoul"


@override_settings(CSRF_TRUSTED_ORIGINS=["https://play.example.org"])
async def test_a_trusted_origin_connects_from_another_host():
    """A configured trusted origin (a front end on another host) may use the cookie, on
    its own scheme and port only."""
    game, _ = await running_game()
    session = await browser_session(game)
    ok, connected, _ = await open_socket(
        game, headers=browser(b"https://play.example.org", b"api.internal:8000", session)
    )
    assert connected
    await ok.disconnect()
    _, connected, _ = await open_socket(
        game, headers=browser(b"http://play.example.org", b"api.internal:8000", session)
    )
    assert not connected


async def test_host_not_in_allowed_hosts_is_not_its_own_origin():
    """A Host outside ALLOWED_HOSTS (DNS rebinding) does not make its Origin the site's."""
    game, _ = await running_game()
    session = await browser_session(game)
    _, connected, _ = await open_socket(
        game, headers=browser(b"http://rebind.example:8000", b"rebind.example:8000", session)
    )
    assert not connected
