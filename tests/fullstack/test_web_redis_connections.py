"""A web process keeps one Redis connection pool for its cache (wargame/cache_backend.py):
every API request with a seat token checks the guessing limits in the cache, and with
Django's Redis cache under ASGI each of those requests opened a new Redis connection."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings

from tests.fullstack.conftest import http_call
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

REQUESTS = 40


def connections_received() -> int:
    """Connections the Redis server has ever accepted (this call's own included)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return int(client.info("stats")["total_connections_received"])
    finally:
        client.close()


def test_requests_with_a_seat_token_reuse_the_web_process_redis_connections(stack, http):
    game, codes = game_create(seed=7, turns=3)
    call = http_call(http)
    status, seat = call("POST", "/api/join", {"code": codes["seoul"], "name": "Min"}, None)
    assert status == 200, seat
    for _ in range(3):  # the process's pool has its connections
        assert call("GET", f"/api/games/{game.pk}", None, seat["token"])[0] == 200

    before = connections_received()
    for _ in range(REQUESTS):
        status, view = call("GET", f"/api/games/{game.pk}", None, seat["token"])
        assert status == 200, view
    opened = connections_received() - before - 1  # less our own second INFO

    # One per request before; now a few at most (another process of the stack may
    # connect meanwhile).
    assert opened < 5, f"{opened} Redis connections opened for {REQUESTS} requests"
