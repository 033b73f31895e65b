"""The busy sockets' receive loop (ws/dispatch.py): every message of both sources, in the
order each source gives them, one at a time; an error in a source reaches the server; the
sources are stopped when the consumer ends."""

import asyncio

import pytest
from channels.exceptions import StopConsumer

from wargame.ws.dispatch import dispatch_in_arrival_order


def source_of(queue: asyncio.Queue, cancelled: list[str], name: str):
    async def receive():
        try:
            return await queue.get()
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    return receive


async def test_messages_of_both_sources_are_handled_one_at_a_time_in_their_order():
    client, layer = asyncio.Queue(), asyncio.Queue()
    cancelled: list[str] = []
    handled: list[int] = []
    busy = []

    async def dispatch(message):
        busy.append(1)
        assert len(busy) == 1, "two messages handled at once"
        await asyncio.sleep(0.001)  # a handler that awaits (a catch-up, a send)
        handled.append(message["n"])
        busy.pop()
        if message["n"] == 99:
            raise StopConsumer  # as websocket_disconnect ends a consumer

    for n in (1, 2, 3):
        client.put_nowait({"n": n})
    for n in (10, 11, 12):
        layer.put_nowait({"n": n})
    loop = asyncio.ensure_future(
        dispatch_in_arrival_order(
            [source_of(client, cancelled, "client"), source_of(layer, cancelled, "layer")],
            dispatch,
        )
    )
    await asyncio.sleep(0.05)
    client.put_nowait({"n": 4})
    layer.put_nowait({"n": 99})
    with pytest.raises(StopConsumer):
        await loop
    assert [n for n in handled if n < 10] == [1, 2, 3, 4]
    assert [n for n in handled if n >= 10] == [10, 11, 12, 99]
    assert sorted(cancelled) == ["client", "layer"]


async def test_an_error_in_a_source_is_raised_and_the_other_source_is_stopped():
    cancelled: list[str] = []

    async def broken():
        raise ConnectionError("Redis went away")

    async def dispatch(message):
        raise AssertionError("nothing to dispatch")

    with pytest.raises(ConnectionError, match="Redis went away"):
        await dispatch_in_arrival_order(
            [source_of(asyncio.Queue(), cancelled, "client"), broken], dispatch
        )
    assert cancelled == ["client"]
