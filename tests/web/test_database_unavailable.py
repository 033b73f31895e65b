"""When no database connection can be had (a pool's wait runs out under load; the load
benchmark met it with 100 games locking at once), the API answers a JSON 503 that says to
try again, not Django's HTML 500, and nothing is written."""

import pytest
from django.db import OperationalError

from tests.services.test_umpire_review import seated
from wargame.models import GameEvent
from wargame.services import moves

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lock_without_a_database_connection_answers_503_json(client, monkeypatch):
    game, call, tokens = seated(client)
    events = GameEvent.objects.filter(game=game).count()

    def no_connection(**_):
        raise OperationalError("couldn't get a connection after 30.00 sec")

    monkeypatch.setattr(moves, "role_lock", no_connection)
    status, answer = call("POST", f"/api/games/{game.pk}/lock", None, tokens["seoul"])
    assert status == 503
    assert answer == {
        "error": "The server is busy and wrote nothing; try again in a few seconds.",
        "code": "unavailable",
    }
    assert GameEvent.objects.filter(game=game).count() == events
