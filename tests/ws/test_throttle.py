"""Unknown seat tokens on the socket count against the client's address like the API's:
past the limit even a valid token's socket from that address is closed."""

import secrets

import pytest
from django.test import override_settings

from tests.ws.test_socket import open_socket, running_game

pytestmark = pytest.mark.django_db(transaction=True)


def behind_proxy(address: str) -> list[tuple[bytes, bytes]]:
    return [(b"x-forwarded-for", f"{address}, 10.0.0.1".encode())]


@override_settings(LT_TRUSTED_PROXIES=2)
async def test_guessing_tokens_on_the_socket_is_throttled():
    """25 guessed tokens, then Seoul's real one from the same address: refused; from
    another address it connects (the address is the one the outer proxy saw; counts are
    never flushed, so the addresses are this test's own)."""
    game, tokens = await running_game()
    guesser, other = (f"192.0.2.{secrets.randbelow(250)}-{secrets.token_hex(3)}" for _ in "ab")
    for n in range(25):
        _, connected, _ = await open_socket(game, f"guess{n}", headers=behind_proxy(guesser))
        assert not connected
    _, connected, code = await open_socket(game, tokens["seoul"], headers=behind_proxy(guesser))
    assert not connected and code == 4404
    seoul, connected, _ = await open_socket(game, tokens["seoul"], headers=behind_proxy(other))
    assert connected
    await seoul.disconnect()
