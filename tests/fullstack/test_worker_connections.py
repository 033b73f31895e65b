"""The worker keeps its database connection from turn to turn (`wargame/jobs/connections`):
Celery's Django fix-up used to close it around every task, so every resolution opened a
new PostgreSQL connection on the path from the last lock to the result."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import poll_until_resolved
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

TURNS = 8


def sessions_opened() -> int:
    """Connections ever opened to this database (PostgreSQL 14+; its statistics reach
    the view within a second)."""
    time.sleep(1.5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_the_worker_resolves_many_turns_on_one_connection(stack, http):
    for worker in list(stack.workers):  # a worker as docker-compose.yml runs it
        stack.kill(worker)
    stack.workers.clear()
    keeper = stack.start_worker(DJANGO_CONN_MAX_AGE="60")
    try:
        opened = resolved_turns_opened(http)
    finally:
        stack.kill(keeper)
        stack.workers.remove(keeper)
        stack.start_worker()
    # The web processes take theirs from a pool, this process keeps its own: a new
    # connection per resolution would open at least TURNS - 1 here.
    assert opened < (TURNS - 1) // 2, f"{opened} connections opened for {TURNS - 1} turns"


def resolved_turns_opened(http) -> int:
    """Play TURNS turns (one person, four bots); the connections opened to the database
    while turns 2 to TURNS were resolved."""
    game, codes = game_create(
        seed=41, turns=TURNS, bots=["seoul", "beijing", "washington", "moscow"]
    )
    call = http_call(http)
    _, player = call("POST", "/api/join", {"code": codes["pyongyang"], "name": "Kim"}, None)
    _, umpire = call("POST", "/api/join", {"code": codes["facilitator"], "name": "Umpire"}, None)
    call("POST", f"/api/games/{game.pk}/start", None, umpire["token"])
    call("POST", f"/api/games/{game.pk}/lock", None, player["token"])
    poll_until_resolved(call, game.pk, umpire["token"], 1, timeout=60)  # the worker is warm

    before = sessions_opened()
    for number in range(2, TURNS + 1):
        status, body = call("POST", f"/api/games/{game.pk}/lock", None, player["token"])
        assert status == 200, (number, body)
        poll_until_resolved(call, game.pk, umpire["token"], number, timeout=60)
    return sessions_opened() - before
