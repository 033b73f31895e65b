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
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.driver_info import DriverInfo

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

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            if key not in _clients:
                options = {"driver_info": DriverInfo(), **self._options}
                _clients[key] = self._class(self._servers, **options)
            return _clients[key]
