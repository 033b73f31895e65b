"""The socket's session: read from the cookie, never wrapped around the socket's sends
(ws/auth.py, SocketSessionMiddleware)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from wargame.ws.auth import SocketSessionMiddleware

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_session_comes_from_the_cookie_and_sends_go_straight_to_the_server():
    stored = SessionStore()
    stored["lt_probe"] = "from the cookie"
    await stored.asave()
    seen = {}

    async def inner(scope, receive, send):
        seen["send"] = send
        seen["probe"] = await scope["session"].aget("lt_probe")

    async def server_send(message):
        raise AssertionError("not called here")

    middleware = SocketSessionMiddleware(inner)
    scope = {"type": "websocket", "cookies": {"sessionid": stored.session_key}}
    await middleware(scope, None, server_send)
    assert seen == {"send": server_send, "probe": "from the cookie"}


async def test_no_cookie_gives_an_empty_session():
    seen = {}

    async def inner(scope, receive, send):
        seen["empty"] = scope["session"].is_empty()
        seen["key"] = scope["session"].session_key

    await SocketSessionMiddleware(inner)({"type": "websocket", "cookies": {}}, None, None)
    assert seen == {"empty": True, "key": None}
