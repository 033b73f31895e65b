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
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property
from redis.driver_info import DriverInfo

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class SharedPoolRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            if key not in _clients:
                options = {"driver_info": DriverInfo(), **self._options}
                _clients[key] = self._class(self._servers, **options)
            return _clients[key]
