"""Display names the table could not see (only zero-width characters) or that turn text
around (bidi overrides and isolates) are refused with a clear message, on the API, the
join page and the service; nobody is seated."""

import pytest
from django.test import Client

from players.models import Participant
from players.services import seat_join
from wargame.errors import BadInput
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)

INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", " \u200b ", "\u3164", "\u00ad"]
BIDI = ["Ada\u202e", "\u202aAda", "Ad\u202ba", "A\u202cda", "\u202dAda", "Ada\u2066", "\u2069x"]


@pytest.mark.parametrize("name", INVISIBLE + BIDI)
def test_api_join_refuses_the_name_with_400(name):
    """POST /api/join: 400 with a message naming the problem; no participant."""
    game, codes = game_create(seed=1)
    answer = Client().post(
        "/api/join", {"code": codes["seoul"], "name": name}, content_type="application/json"
    )
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert "invisible" in error or "text-direction" in error
    assert not Participant.objects.filter(seat__game=game).exists()


@pytest.mark.parametrize("name", ["\u200b\u200b", "Ada\u202eadA"])
def test_join_page_refuses_the_name(name):
    """The join form answers 400 with the message beside the name field."""
    game, codes = game_create(seed=1)
    answer = Client().post("/join/", {"code": codes["seoul"], "name": name})
    assert answer.status_code == 400
    assert b"invisible" in answer.content or b"text-direction" in answer.content
    assert not Participant.objects.filter(seat__game=game).exists()


def test_the_service_refuses_it_for_any_caller():
    """seat_join itself refuses, whatever shell calls it."""
    game, codes = game_create(seed=1)
    with pytest.raises(BadInput, match="text-direction"):
        seat_join(code=codes["seoul"], name="x\u2067y")
    assert not Participant.objects.filter(seat__game=game).exists()


@pytest.mark.parametrize("name", ["Ada", "김민지", "محمد", "Zoë", "李 明", "O'Brien-Smith"])
def test_ordinary_names_in_any_script_are_accepted(name):
    """Hangul, Arabic (right to left without controls), accents and spaces join."""
    game, codes = game_create(seed=1)
    answer = Client().post(
        "/api/join", {"code": codes["seoul"], "name": name}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert Participant.objects.get(seat__game=game).name == name
