"""Unknown seat tokens on the socket count against the client's address like the API's:
past the limit even a valid token's socket is closed, until the window ends."""

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from tests.ws.test_socket import open_socket, running_game

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_counters():
    cache.clear()
    yield
    cache.clear()


async def test_guessing_tokens_on_the_socket_is_throttled():
    """25 guessed tokens, then Seoul's real one: refused; once the counts expire (cleared
    here) it connects."""
    game, tokens = await running_game()
    for n in range(25):
        _, connected, _ = await open_socket(game, f"guess{n}")
        assert not connected
    _, connected, code = await open_socket(game, tokens["seoul"])
    assert not connected and code == 4404
    await sync_to_async(cache.clear)()
    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    await seoul.disconnect()
