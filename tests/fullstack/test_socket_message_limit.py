"""The web server as deployed refuses socket messages over 64 KiB (compose's uvicorn
`--ws-max-size 65536`) before the app buffers them; a message over the app's own 4 KB
but under that gets the app's error frame, and the socket stays open. It sends frames
uncompressed (`--ws-per-message-deflate false`), even to a client that offers deflate."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.fullstack.conftest import http_call
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


@contextmanager
def seat_socket(stack, http):
    game, codes = game_create(seed=11, turns=3)
    call = http_call(http)
    status, seat = call("POST", "/api/join", {"code": codes["seoul"], "name": "Min"}, None)
    assert status == 200, seat
    url = f"{stack.ws_url}/ws/games/{game.pk}/?token={seat['token']}"
    with connect(url, open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "presence"
        yield socket


def next_of_type(socket, kind: str) -> dict:
    while True:
        frame = json.loads(socket.recv(timeout=10))
        if frame["type"] == kind:
            return frame


def test_a_message_over_the_apps_limit_gets_an_error_frame_and_the_socket_stays_open(stack, http):
    with seat_socket(stack, http) as socket:
        socket.send(json.dumps({"type": "ping", "padding": "x" * 20_000}))
        assert "4 KB" in next_of_type(socket, "error")["data"]["error"]
        socket.send(json.dumps({"type": "ping"}))
        assert next_of_type(socket, "pong")["type"] == "pong"


def test_a_message_over_64_kib_is_refused_by_the_server(stack, http):
    with seat_socket(stack, http) as socket:
        socket.send("x" * 70_000)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                socket.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_frames_go_out_uncompressed_even_when_the_client_offers_deflate(stack, http):
    """Deflating each socket's copy of a turn's result cost 0.4 ms of the web process's
    CPU per socket (docs/operations.md): the server declines the extension."""
    with seat_socket(stack, http) as socket:  # websockets offers permessage-deflate
        assert "permessage-deflate" in socket.request.headers["Sec-WebSocket-Extensions"]
        assert socket.response.headers.get("Sec-WebSocket-Extensions") is None
        assert socket.protocol.extensions == []
