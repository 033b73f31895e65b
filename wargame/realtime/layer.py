"""The channel layer of the full stack: channels-redis's pub/sub layer, decoding each
message once per process.

A message to a game's group comes from Redis once per web process and is handed, as the
same bytes object, to every socket of that game in the process; each socket's receive()
then decoded it again. With a commit's events in one message, msgpack decoding was 7% of a
web process's CPU at 100 games x 40 sockets (py-spy, bench/load.py). Here the first
receiver decodes it and the next receivers of the same bytes reuse that. Each gets a top-
level dict of its own; what is inside is shared, and the consumers only read it.
"""

from __future__ import annotations

from typing import Any

from channels_redis.pubsub import RedisPubSubChannelLayer

KEEP_DECODED = 256  # messages remembered: far more than a process interleaves at once


class DecodeOnceChannelLayer(RedisPubSubChannelLayer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # id(raw bytes) -> (the bytes, kept so that the id is not reused; the message)
        self._decoded: dict[int, tuple[bytes, dict[str, Any]]] = {}

    def deserialize(self, message: bytes) -> dict[str, Any]:
        known = self._decoded.get(id(message))
        if known is not None and known[0] is message:
            return dict(known[1])
        decoded = super().deserialize(message)
        self._decoded[id(message)] = (message, decoded)
        if len(self._decoded) > KEEP_DECODED:
            del self._decoded[next(iter(self._decoded))]
        return dict(decoded)
