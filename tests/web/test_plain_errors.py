"""Form errors in plain words (issue 10, item 6): what the API answers for a missing or
empty field is a sentence for the person at the form, not pydantic's wording."""

import pytest

from tests.services.test_umpire_review import lock_all, seated
from wargame.models import GameEvent, Turn

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_override_without_a_reason_asks_for_one(client):
    """The console sends an empty reason: 400 "Give a reason for the change.", nothing
    published (it said "reason: String should have at least 1 character")."""
    game, call, tokens = seated(client, umpire_review=True)
    lock_all(call, game, tokens)
    body = {"reason": "", "results": [{"index": 0, "result": "failed"}]}
    status, answer = call(
        "POST", f"/api/games/{game.pk}/review/override", body, tokens["facilitator"]
    )
    assert (status, answer["error"]) == (400, "Give a reason for the change.")
    assert Turn.objects.get(game=game, number=1).status == "review"
    assert not GameEvent.objects.filter(game=game, type="turn.resolved").exists()


@pytest.mark.parametrize(
    "body, error",
    [
        ({"to": "all", "text": ""}, "A message needs some text."),  # the service's words
        ({"to": "all"}, "Text is required."),
        ({"to": "all", "text": ["a list"]}, "text: Input should be a valid string"),
    ],
)
def test_a_message_refused_says_why_in_plain_words(client, body, error):
    game, call, tokens = seated(client)
    status, answer = call("POST", f"/api/games/{game.pk}/messages", body, tokens["seoul"])
    assert (status, answer["error"]) == (400, error)
