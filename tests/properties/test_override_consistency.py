"""After an umpire override every surface shows the same result (issue "Live play a
first-time player understands", item 1): the stored result, the game's state, Seoul's
API view and its history, the socket's turn.resolved, the log and its replay, the
exports' state table and the debrief. The case is the one reported: Pyongyang's nuclear
test overridden to "failed" with tension -5."""

from __future__ import annotations

import pytest

from tests.web.test_api_game import django_call
from wargame.gamelog import replay
from wargame.models import Game, GameEvent, TurnResult
from wargame.review.exports import states_table
from wargame.selectors import game_log
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


def test_every_surface_shows_the_overridden_numbers(client):
    game, codes = game_create(turns=3, umpire_review=True)
    assert game.ruleset == 4  # consistent overrides since 3
    call = django_call(client)
    tokens = {}
    for seat in [*ROLES, "facilitator"]:
        _, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        tokens[seat] = body["token"]
    call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    status, _ = call(
        "POST", f"/api/games/{game.pk}/moves", {"action": "nuclear_test"}, tokens["pyongyang"]
    )
    assert status == 201
    for role in ROLES:
        call("POST", f"/api/games/{game.pk}/lock", None, tokens[role])
    start = Game.objects.get(pk=game.pk).state
    proposed = TurnResult.objects.get(turn__game=game, turn__number=1)
    [index] = [i for i, o in enumerate(proposed.outcomes) if o["action"] == "nuclear_test"]
    assert proposed.state["memory"]["nuclear_tests"] == 1  # as proposed, the test bit

    status, body = call(
        "POST",
        f"/api/games/{game.pk}/review/override",
        {
            "reason": "The device fizzled.",
            "effects": [{"var": "tension", "add": -5}],
            "results": [{"index": index, "result": "failed"}],
        },
        tokens["facilitator"],
    )
    assert status == 200, body

    result = TurnResult.objects.get(turn__game=game, turn__number=1)
    state = result.state
    assert state["memory"]["nuclear_tests"] == 0
    assert state["sanctions_enforcement"] == start["sanctions_enforcement"]
    assert result.outcomes[index]["result"] == "failed"
    told = result.narrative["pyongyang"]
    assert "failed (Umpire: The device fizzled.)" in told and "succeeded" not in told
    assert f"(now {state['tension']})" in result.narrative["all"]

    game.refresh_from_db()
    assert game.state == state
    _, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert view["state"] == state and view["scores"] == result.scores
    _, history = call("GET", f"/api/games/{game.pk}/history", None, tokens["seoul"])
    [published] = history["turns"]
    event = GameEvent.objects.get(game=game, type="turn.resolved").data
    for shown in (published, event):
        assert shown["state"] == state
        assert shown["narrative"] == result.narrative
        assert shown["outcomes"][index]["result"] == "failed"

    log = game_log(game)
    assert log["turns"][0]["outcome"]["state"] == state
    report = replay(log)
    assert report["verified"] is True, report["first_mismatch"]
    assert report["turns"][0]["state"] == state
    table = states_table(log)
    assert table.rows[-1]["tension"] == state["tension"]
