"""Two writers append to one game's log at once, on PostgreSQL: the second waits for the
first's row lock, and still continues every seat's own count from the first's event.

The numbering reads the previous event's counts in the same statement that takes the
lock (`services.events._reserve_seqs`); a statement that waited for the lock reads the
other tables as they were when it started, so it cannot see the event it waited for,
and must look it up again. Without that second look the counts would start from zero
and a seat would see its sequence jump back (or a gap it could count)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from wargame import policy
from wargame.models import Game, GameEvent
from wargame.services.events import events_append
from wargame.services.games import game_create, game_start

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def message_event(sender: str, to: list[str]) -> dict:
    return {
        "type": "message.posted",
        "turn": 1,
        "data": {"from": sender, "to": to},
        "audience": [sender, *to, policy.FACILITATOR],
    }


def test_a_writer_that_waited_for_the_lock_continues_the_counts():
    if connection.vendor != "postgresql":
        pytest.skip("the lock wait and its snapshot are PostgreSQL's")
    game, _codes = game_create(turns=3, seed=8)
    game_start(game_id=game.pk)
    first_appended, first_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_writer():
        try:
            with transaction.atomic():
                events_append(
                    game=Game.objects.get(pk=game.pk),
                    events=[message_event("seoul", ["beijing"])] * 3,
                )
                first_appended.set()
                assert first_may_commit.wait(10)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def second_writer():
        try:
            assert first_appended.wait(10)
            with transaction.atomic():  # waits for the first writer's lock
                events_append(
                    game=Game.objects.get(pk=game.pk),
                    events=[message_event("beijing", ["seoul"])],
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    assert first_appended.wait(10)
    waiting = threading.Timer(0.5, first_may_commit.set)  # the second is blocked by then
    waiting.start()
    for thread in threads:
        thread.join(20)
    waiting.cancel()
    assert not errors, errors

    rows = list(GameEvent.objects.filter(game=game).order_by("seq"))
    grant = Game.objects.get(pk=game.pk).observers_read_channels
    counts: dict[str, int] = {}
    for row in rows:
        counts = policy.next_seqs(counts, row.audience, row.type, grant)
        assert row.seqs == counts, f"event {row.seq} ({row.type}) has the counts {row.seqs}"
    assert rows[-1].data["from"] == "beijing"
    assert counts["seoul"] >= 4 and counts["beijing"] >= 4
