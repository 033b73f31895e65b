"""The full stack's Redis cache shares one client (one connection pool) per process:
Django builds a cache object per async context, so under ASGI every request had its own
client and opened its own Redis connection (wargame/cache_backend.py)."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from wargame.cache_backend import SharedPoolRedisCache

URL = "redis://127.0.0.1:6379/15"


def test_cache_objects_of_different_requests_share_one_client():
    """Two requests' cache objects (as Django makes one per context) use one client, so
    one pool of connections. Nothing is connected here: clients connect on first use."""

    def cache_of_a_request():
        return SharedPoolRedisCache(URL, {"KEY_PREFIX": "t"})

    first = contextvars.copy_context().run(cache_of_a_request)
    second = contextvars.copy_context().run(cache_of_a_request)
    assert first is not second
    assert first._cache is second._cache
    assert first._cache._get_connection_pool(write=True) is second._cache._get_connection_pool(
        write=True
    )


async def test_concurrent_requests_share_one_client():
    caches = [SharedPoolRedisCache(URL, {}) for _ in range(20)]
    clients = await asyncio.gather(*(asyncio.to_thread(lambda c=c: c._cache) for c in caches))
    assert len({id(client) for client in clients}) == 1


def test_other_servers_or_options_get_clients_of_their_own():
    base = SharedPoolRedisCache(URL, {})
    assert SharedPoolRedisCache("redis://127.0.0.1:6379/14", {})._cache is not base._cache
    other = SharedPoolRedisCache(URL, {"OPTIONS": {"db": 3}})
    assert other._cache is not base._cache


def test_cache_operations_share_one_redis_client_per_pool():
    """Django's client made a new redis.Redis (169 reply handlers) for every operation:
    0.4 ms each on every seat token's guessing-limit check. One per pool, made once."""
    cache = SharedPoolRedisCache(URL, {})
    client = cache._cache.get_client("k", write=True)
    assert cache._cache.get_client("other", write=True) is client
    assert cache._cache.get_client("k") is client  # one server: reads use the same pool
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


@pytest.mark.services
def test_the_cache_still_reads_and_writes_from_many_threads():
    import threading

    from django.conf import settings

    cache = SharedPoolRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "lt-test-threads"})
    seen = []

    def one(n: int) -> None:
        cache.set(f"n{n}", n, 30)
        seen.append(cache.get(f"n{n}"))
        cache.delete(f"n{n}")

    threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(16))


# --- a Redis outage (issue 9, item 8) ---------------------------------------------------


@pytest.fixture
def private_redis():
    from tests.support.private_redis import PrivateRedis

    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.mark.services
def test_during_an_outage_the_cache_answers_from_memory_and_redis_after(private_redis, caplog):
    """Every seat token's guessing limit and every login's lockout count go through this
    cache: with Redis stopped they raised, and every API call with a token answered 500.
    Now the process's memory answers while Redis is away (limits still count, per
    process), and Redis answers again once it is back."""
    from wargame import cache_backend

    cache = SharedPoolRedisCache(private_redis.url, {"KEY_PREFIX": "t"})
    cache.set("before", "in redis")
    private_redis.stop()

    assert cache.get("before") is None  # out of reach: not an error
    assert cache.add("failures", 0, 60) is True
    assert [cache.incr("failures") for _ in range(3)] == [1, 2, 3]
    assert cache.get("failures") == 3
    assert cache.add("failures", 0, 60) is False  # made once, as in Redis
    assert caplog.text.count("Redis is out of reach") == 1
    other_request = SharedPoolRedisCache(private_redis.url, {"KEY_PREFIX": "t"})
    assert other_request.get("failures") == 3  # the process's memory, not the object's

    private_redis.start()
    cache_backend._outages[private_redis.url].until = 0.0  # (its OUTAGE_SECONDS are up)
    assert cache.get("failures") is None  # Redis again: the restarted server is empty
    cache.set("after", "in redis")
    assert cache.get("after") == "in redis"
    assert SharedPoolRedisCache(private_redis.url, {"KEY_PREFIX": "t"}).get("after") == "in redis"


@pytest.mark.services
def test_during_an_outage_redis_is_not_asked_again_for_a_few_seconds(private_redis, monkeypatch):
    """Each operation would otherwise wait for a refused (or, across a network, timed
    out) connection first."""
    cache = SharedPoolRedisCache(private_redis.url, {})
    cache.set("k", 1)
    private_redis.stop()
    assert cache.get("k") is None
    asked = []
    monkeypatch.setattr(
        type(cache._cache), "get", lambda *args, **kwargs: asked.append(args) or None
    )
    for _ in range(5):
        cache.get("k")
    assert asked == []
