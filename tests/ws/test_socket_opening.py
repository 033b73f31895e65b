"""A socket's opening, which every student's phone waits on (and a whole class at once at
the start of a lesson): who it is, the game's one flag it needs, the seat present and no
longer away, and where the seat's numbering stands. Seven statements and one commit."""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from players.services import seat_join
from wargame.models import GameEvent, Presence, SeatAway
from wargame.services.games import game_create
from wargame.ws.auth import seat_opened

pytestmark = pytest.mark.django_db(transaction=True)


def scope_for(token: str) -> dict:
    return {"query_string": f"token={token}".encode(), "client": ("10.9.8.7", 4000), "headers": []}


def test_opening_a_socket_is_seven_statements_and_one_commit():
    game, codes = game_create(seed=5, turns=3)
    ri = seat_join(code=codes["pyongyang"], name="Ri")
    SeatAway.objects.create(game=game, role="pyongyang", since="2026-12-05T08:00:00Z")
    with CaptureQueriesContext(connection) as queries:
        opened = seat_opened(scope_for(ri.token), game.pk, "chan-ri", translated=False)
    seat, newest, mine, scenario_row = opened
    assert seat == {"role": "pyongyang", "name": "Ri", "observers_read_channels": False}
    assert newest == GameEvent.objects.filter(game=game).aggregate(last=Max("seq"))["last"]
    assert 0 < mine <= newest and scenario_row is None  # the seat sees some of the log
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("COMMIT") == 1, statements
    assert len(statements) <= 7, statements
    assert Presence.objects.filter(game=game, role="pyongyang", channel_name="chan-ri").exists()
    assert not SeatAway.objects.filter(game=game, role="pyongyang").exists()


def test_the_same_channel_opened_again_keeps_one_row_with_the_latest_seat():
    game, codes = game_create(seed=6, turns=3)
    min_ = seat_join(code=codes["seoul"], name="Min")
    ri = seat_join(code=codes["pyongyang"], name="Ri")
    seat_opened(scope_for(min_.token), game.pk, "chan-shared", translated=False)
    seat_opened(scope_for(ri.token), game.pk, "chan-shared", translated=False)
    rows = list(Presence.objects.filter(channel_name="chan-shared").values_list("role", "name"))
    assert rows == [("pyongyang", "Ri")]


def test_a_token_of_another_game_opens_nothing_and_writes_nothing():
    game, _codes = game_create(seed=7, turns=3)
    _other, other_codes = game_create(seed=8, turns=3)
    stranger = seat_join(code=other_codes["seoul"], name="Kim")
    assert seat_opened(scope_for(stranger.token), game.pk, "chan-kim", translated=False) is None
    assert not Presence.objects.filter(channel_name="chan-kim").exists()
