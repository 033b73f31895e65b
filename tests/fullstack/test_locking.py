"""Row locks stay per game: writing to one game never waits on another (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from wargame.services.games import game_create, game_start
from wargame.services.moves import move_submit

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def test_a_move_in_one_game_does_not_wait_for_a_move_in_another():
    """A move in game A is mid-transaction (its game row locked); a move in game B, same
    scenario, goes through at once. Locking a game must not lock the shared scenario row
    (select_for_update with select_related locks every joined row unless told `of`)."""
    game_a, _ = game_create(seed=1)
    game_b, _ = game_create(seed=2)
    game_start(game_id=game_a.pk)
    game_start(game_id=game_b.pk)
    holding, release, finished = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def slow_move_in_a():
        try:
            with transaction.atomic():
                move_submit(
                    game_id=game_a.pk,
                    role="seoul",
                    action="engage_global_south",
                    target=None,
                    rationale="",
                )
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def move_in_b():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                move_submit(
                    game_id=game_b.pk,
                    role="seoul",
                    action="engage_global_south",
                    target=None,
                    rationale="",
                )
            finished.set()
        except Exception as exc:  # the lock timeout, if the bug is back
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=slow_move_in_a)
    a.start()
    assert holding.wait(10)
    b = threading.Thread(target=move_in_b)
    b.start()
    b.join(timeout=10)
    release.set()
    a.join(timeout=10)
    assert finished.is_set(), f"a move in game B waited on game A: {errors}"
