"""Umpire review, clock extension and presence (embedded mode)."""

import json
from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from tests.web.test_api_game import django_call
from wargame.asgi import application
from wargame.gamelog import replay
from wargame.models import GameEvent, Presence, Turn, TurnResult
from wargame.selectors import game_log
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


def seated(client, **kwargs):
    game, codes = game_create(seed=8, **kwargs)
    call = django_call(client)
    tokens = {}
    for seat in [*ROLES, "facilitator"]:
        status, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        tokens[seat] = body["token"]
    call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    return game, call, tokens


def lock_all(call, game, tokens):
    for role in ROLES:
        status, body = call("POST", f"/api/games/{game.pk}/lock", None, tokens[role])
        assert status == 200, body


def test_review_holds_the_outcome_back_from_players_until_accepted(client):
    """With umpire review on, the adjudicated turn waits: players see no result and the
    old state; the facilitator alone gets turn.proposed; accepting publishes it."""
    game, call, tokens = seated(client, umpire_review=True)
    call("POST", f"/api/games/{game.pk}/moves", {"action": "missile_test"}, tokens["pyongyang"])
    lock_all(call, game, tokens)
    assert Turn.objects.get(game=game, number=1).status == "review"
    proposed = GameEvent.objects.get(game=game, type="turn.proposed")
    assert proposed.audience == ["facilitator"]
    assert not GameEvent.objects.filter(game=game, type="turn.resolved").exists()
    _, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert view["resolved_turns"] == 0 and view["state"]["turn"] == 0
    _, events = call("GET", f"/api/games/{game.pk}/events?after=0", None, tokens["seoul"])
    assert "turn.proposed" not in [e["type"] for e in events["events"]]

    status, _ = call(
        "POST", f"/api/games/{game.pk}/review/accept?turn=1", None, tokens["facilitator"]
    )
    assert status == 200
    _, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert view["resolved_turns"] == 1 and view["turn"]["number"] == 2


def test_an_override_changes_the_result_is_logged_and_still_replays(client):
    """The umpire fails Pyongyang's test and lowers tension, with a reason: players see the
    changed result, the log keeps the override, and the log still verifies."""
    game, call, tokens = seated(client, umpire_review=True)
    call("POST", f"/api/games/{game.pk}/moves", {"action": "missile_test"}, tokens["pyongyang"])
    lock_all(call, game, tokens)
    proposed = TurnResult.objects.get(turn__game=game, turn__number=1)
    body = {
        "reason": "The launch failed on the pad",
        "results": [{"index": 0, "result": "failed"}],
        "effects": [{"var": "tension", "add": -5}],
    }
    status, answer = call(
        "POST", f"/api/games/{game.pk}/review/override", body, tokens["facilitator"]
    )
    assert status == 200, answer
    result = TurnResult.objects.get(turn__game=game, turn__number=1)
    assert result.outcomes[0]["result"] == "failed"
    assert result.state["tension"] == proposed.state["tension"] - 5
    resolved = GameEvent.objects.get(game=game, type="turn.resolved", turn=1)
    assert resolved.data["outcomes"][0]["result"] == "failed"
    log = game_log(game)
    assert log["turns"][0]["overrides"][0]["reason"] == "The launch failed on the pad"
    assert replay(log)["verified"] is True


@pytest.mark.parametrize(
    "body, words",
    [
        ({"reason": " ", "results": [{"index": 0, "result": "failed"}]}, "reason"),
        ({"reason": "why not"}, "effects or results"),
        ({"reason": "x", "effects": [{"var": "tension", "set": "high"}]}, "whole number"),
        ({"reason": "x", "results": [{"index": 9, "result": "failed"}]}, "bad index"),
    ],
)
def test_a_bad_override_is_refused_and_nothing_is_published(client, body, words):
    game, call, tokens = seated(client, umpire_review=True)
    call("POST", f"/api/games/{game.pk}/moves", {"action": "missile_test"}, tokens["pyongyang"])
    lock_all(call, game, tokens)
    status, answer = call(
        "POST", f"/api/games/{game.pk}/review/override", body, tokens["facilitator"]
    )
    assert status == 400 and words in answer["error"]
    assert Turn.objects.get(game=game, number=1).status == "review"
    assert not GameEvent.objects.filter(game=game, type="turn.resolved").exists()


def test_only_the_facilitator_reviews(client):
    game, call, tokens = seated(client, umpire_review=True)
    lock_all(call, game, tokens)
    status, _ = call("POST", f"/api/games/{game.pk}/review/accept", None, tokens["seoul"])
    assert status == 403
    status, answer = call(
        "POST", f"/api/games/{game.pk}/review/accept?turn=2", None, tokens["facilitator"]
    )
    assert status == 409 and "not the turn in review" in answer["error"]


def test_extend_moves_the_deadline_and_tells_everyone(client):
    game, call, tokens = seated(client, deadline_seconds=60)
    turn = Turn.objects.get(game=game, number=1)
    before = turn.deadline
    status, _ = call(
        "POST", f"/api/games/{game.pk}/extend", {"seconds": 120}, tokens["facilitator"]
    )
    assert status == 200
    turn.refresh_from_db()
    assert turn.deadline - before == timedelta(seconds=120)
    event = GameEvent.objects.filter(game=game, type="turn.deadline").get()
    assert event.audience == ["all"] and event.data["extended_by"] == 120
    status, _ = call("POST", f"/api/games/{game.pk}/extend", {"seconds": 120}, tokens["seoul"])
    assert status == 403


def test_extending_an_untimed_turn_is_refused_and_starts_no_countdown(client):
    """ "+1 min" on a turn without a clock used to start a one-minute countdown nobody had
    set, which resolved the turn while capitals were still deciding: now 409, no clock."""
    game, call, tokens = seated(client)
    status, body = call(
        "POST", f"/api/games/{game.pk}/extend", {"seconds": 60}, tokens["facilitator"]
    )
    assert status == 409 and "no clock" in body["error"]
    assert Turn.objects.get(game=game, number=1).deadline is None
    assert not GameEvent.objects.filter(game=game, type="turn.deadline").exists()


def test_the_clock_is_set_extended_and_cleared_each_with_its_event(client):
    """Set five minutes, extend by one, clear: the deadline follows, and every seat hears
    each change (turn.deadline with set_to / extended_by)."""
    game, call, tokens = seated(client)
    url = f"/api/games/{game.pk}"
    status, _ = call("POST", f"{url}/clock", {"seconds": 300}, tokens["facilitator"])
    assert status == 200
    deadline = Turn.objects.get(game=game, number=1).deadline
    assert timedelta(seconds=290) < deadline - timezone.now() <= timedelta(seconds=300)
    call("POST", f"{url}/extend", {"seconds": 60}, tokens["facilitator"])
    later = Turn.objects.get(game=game, number=1).deadline
    assert later - deadline == timedelta(seconds=60)
    status, body = call("POST", f"{url}/clock", {"seconds": None}, tokens["facilitator"])
    assert (status, body["status"]) == (200, "cleared")
    assert Turn.objects.get(game=game, number=1).deadline is None
    changes = [
        {k: e.data.get(k) for k in ("set_to", "extended_by")}
        for e in GameEvent.objects.filter(game=game, type="turn.deadline").order_by("seq")
    ]
    assert changes == [
        {"set_to": 300, "extended_by": None},
        {"set_to": None, "extended_by": 60},
        {"set_to": None, "extended_by": None},
    ]
    status, body = call("POST", f"{url}/clock", {"seconds": 3}, tokens["facilitator"])
    assert status == 400 and "10 seconds" in body["error"]
    status, _ = call("POST", f"{url}/clock", {"seconds": 60}, tokens["seoul"])
    assert status == 403


async def test_presence_rows_follow_the_sockets():
    """Connecting adds a presence row (seen by every web process), disconnecting removes it."""
    from asgiref.sync import sync_to_async

    from players.services import seat_join

    def setup():
        game, codes = game_create(seed=9)
        return game.pk, seat_join(code=codes["seoul"], name="Ada").token

    game_id, token = await sync_to_async(setup)()
    socket = WebsocketCommunicator(application, f"/ws/games/{game_id}/?token={token}")
    connected, _ = await socket.connect()
    assert connected
    count = sync_to_async(lambda: list(Presence.objects.values_list("role", "name")))
    assert await count() == [("seoul", "Ada")]
    hello = json.loads(await socket.receive_from())
    assert hello["type"] == "presence" and hello["data"]["online"] is True
    await socket.disconnect()
    assert await count() == []


def test_observers_read_private_channels_only_when_granted(client):
    """An observer sees public messages only, until the facilitator grants the channels
    (then all of them, and the new ones live and in its events); the grant never shows
    them a secret move."""
    game, call, tokens = seated(client)
    _, body = call("POST", "/api/join", {"code": observer_code(game), "name": "Obs"}, None)
    observer = body["token"]
    call(
        "POST", f"/api/games/{game.pk}/messages", {"to": "beijing", "text": "psst"}, tokens["seoul"]
    )
    call(
        "POST",
        f"/api/games/{game.pk}/moves",
        {"action": "court_seoul", "rationale": "SECRET"},
        tokens["beijing"],
    )

    def observed():
        _, messages = call("GET", f"/api/games/{game.pk}/messages", None, observer)
        _, events = call("GET", f"/api/games/{game.pk}/events?after=0", None, observer)
        return [m["text"] for m in messages["messages"]], json.dumps(events)

    texts, events = observed()
    assert texts == [] and "psst" not in events
    status, _ = call(
        "POST", f"/api/games/{game.pk}/observers", {"read_channels": True}, tokens["seoul"]
    )
    assert status == 403
    call("POST", f"/api/games/{game.pk}/observers", {"read_channels": True}, tokens["facilitator"])
    texts, events = observed()
    # The past channels are read in the messages; the event log keeps each seat's view as
    # it was when an event was written (its numbering never changes, policy.sequences).
    assert texts == ["psst"] and "psst" not in events and "observers_read_channels" in events
    call("POST", f"/api/games/{game.pk}/messages", {"to": "beijing", "text": "hm"}, tokens["seoul"])
    texts, events = observed()
    assert texts == ["psst", "hm"] and '"text": "hm"' in events
    assert "SECRET" not in events and "court_seoul" not in events


def observer_code(game):
    from players.models import Seat

    return Seat.objects.get(game=game, role="observer").code
