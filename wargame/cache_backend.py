"""Django's Redis cache with one connection pool per process, not one per request.

Django keeps its cache objects per async context (`django.core.cache.caches` is
context-local), and each `RedisCache` object builds its own client and connection pool
when first used. Under ASGI every request runs in a context of its own, so every request
that touched the cache (the guessing limits check it on every seat token, axes on every
login) opened a new TCP connection to Redis, and left it to the garbage collector: 399
connections in a 12-turn `bench.fullstack` run. redis-py's pool is thread-safe and
fork-aware, so every context of a process can share one client.

Each connection the pool opens is given one `DriverInfo`, made once: without it redis-py
looks its own version up in the installed packages' metadata for every new connection,
about 5 ms of the web process's CPU each, paid again whenever a burst of requests grows
the pool (py-spy on bench/load.py: 5% of a web process's CPU in a 100-game round).

And each pool gets one `redis.Redis` client, made once: Django's client makes a new one
for every cache operation, and a new one fills its table of 169 reply handlers, about
0.4 ms each time; the guessing limit's check on every seat token took 0.8 ms, 1.4 ms on
the last lock's path under load (bench/README.md, 2026-12-05 morning). A `redis.Redis`
is safe to share between threads: each command takes a connection from the pool.

When Redis is out of reach, the cache answers from this process's memory for a few
seconds (`OUTAGE_SECONDS`) before trying Redis again. Every seat token's guessing limit,
every login's lockout count and every made-once PDF goes through this cache: without the
fallback, a Redis outage made every API call with a token answer 500, writes included
(issue 9, item 8). During an outage those limits count per process, not per deployment,
and a PDF is made once per process; both are whole again when Redis is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.driver_info import DriverInfo
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
OUTAGE_SECONDS = 5.0  # after a failure, Redis is tried again this much later
# What redis-py raises when the server is out of reach (the sockets use it too: ws/).
REDIS_OUT_OF_REACH = (RedisConnectionError, RedisTimeoutError, OSError)
# Every operation of Django's cache API that reaches the server (the rest call these).
_OPERATIONS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
    "set_many", "delete_many", "clear",
)  # fmt: skip

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class OneClientPerPool(RedisCacheClient):
    """Django's Redis cache client, handing out one `redis.Redis` per pool, not one per
    operation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._redis_clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._redis_clients.setdefault(index, self._client(connection_pool=pool))
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool
        self._params = params

    @cached_property
    def _memory(self) -> LocMemCache:
        """This process's stand-in while Redis is out of reach (same prefix and timeout; one
        store per server, shared by the cache objects of every request)."""
        return LocMemCache(f"redis-outage:{self._servers[0]}", self._params)

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            if key not in _clients:
                options = {"driver_info": DriverInfo(), **self._options}
                _clients[key] = self._class(self._servers, **options)
            return _clients[key]


def _or_memory(name: str):
    """Cache operation `name` on Redis, or in this process's memory during an outage."""

    def operation(self, *args, **kwargs):
        outage = _outages[self._servers[0]]
        if not outage.ongoing():
            try:
                return getattr(super(SharedPoolRedisCache, self), name)(*args, **kwargs)
            except REDIS_OUT_OF_REACH as exc:
                outage.begins(exc)
        return getattr(self._memory, name)(*args, **kwargs)

    operation.__name__ = operation.__qualname__ = name
    return operation


for _name in _OPERATIONS:
    setattr(SharedPoolRedisCache, _name, _or_memory(_name))


class _Outage:
    """Whether a Redis server was found out of reach in the last OUTAGE_SECONDS."""

    def __init__(self) -> None:
        self.until = 0.0

    def ongoing(self) -> bool:
        return time.monotonic() < self.until

    def begins(self, exc: BaseException) -> None:
        if self.until == 0.0 or not self.ongoing():
            log.warning("Redis is out of reach (%s): the cache answers from memory", exc)
        self.until = time.monotonic() + OUTAGE_SECONDS


_outages: defaultdict[str, _Outage] = defaultdict(_Outage)  # by server, in this process
