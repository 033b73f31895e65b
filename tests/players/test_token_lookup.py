"""A seat token names its participant and seat in one statement (every API call with a
token and every socket's opening asks), and nothing but an exact token matches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from players.models import Participant
from players.selectors import participant_by_token
from players.services import seat_join
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined():
    game, codes = game_create(seed=5, turns=3)
    participant = seat_join(code=codes["pyongyang"], name="Ri")
    return game, participant


def test_the_participant_and_its_seat_come_in_one_statement(joined):
    game, joined_participant = joined
    with CaptureQueriesContext(connection) as queries:
        found = participant_by_token(joined_participant.token)
        seen = (found.pk, found.name, found.seat.role, found.seat.game_id, found.seat.kind)
    assert len(queries) == 1
    assert seen == (joined_participant.pk, "Ri", "pyongyang", game.pk, "person")
    assert found.seat.pk == found.seat_id == joined_participant.seat_id


def test_the_seats_other_fields_load_when_touched_and_match_the_stored_row(joined):
    _game, joined_participant = joined
    found = participant_by_token(joined_participant.token)
    stored = Participant.objects.select_related("seat").get(pk=joined_participant.pk)
    assert (found.seat.code, found.seat.policy, found.seat.script) == (
        stored.seat.code,
        stored.seat.policy,
        stored.seat.script,
    )
    assert found.seat.game.pk == stored.seat.game_id
    assert found.joined_at == stored.joined_at


@pytest.mark.parametrize("wrong", ["", None, "nope", "\x00", "%", "_" * 43])
def test_anything_but_the_exact_token_finds_nobody(joined, wrong):
    _game, joined_participant = joined
    assert participant_by_token(wrong) is None
    assert participant_by_token(joined_participant.token.upper() + "x") is None
    assert participant_by_token(joined_participant.token[:-1]) is None
