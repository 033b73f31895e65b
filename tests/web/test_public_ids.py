"""Opaque ids for moves and messages (issue 9, the ids still counted): every id a seat is
shown for a move or a message is a random UUID, so Beijing cannot count Seoul's moves and
private messages, or another game's, from the ids it sees; withdrawing by id still works
(and by a move's old number, among the seat's own moves only)."""

from __future__ import annotations

import importlib
import json
import uuid

import pytest
from django.apps import apps

from tests.support.api_seats import http, seated_game
from wargame.models import GameEvent, Message, Move

pytestmark = pytest.mark.django_db


def ok(method, path, body, token):
    status, answer = http(method, path, body, token)
    assert status in (200, 201, 204), (path, status, answer)
    return answer


def seoul_in_secret(game: int, tokens: dict[str, str]) -> None:
    """Seoul moves, withdraws and moves again, and whispers to Washington three times."""
    move = ok(
        "POST", f"/api/games/{game}/moves", {"action": "engage_global_south"}, tokens["seoul"]
    )
    ok("DELETE", f"/api/games/{game}/moves/{move['id']}", None, tokens["seoul"])
    ok("POST", f"/api/games/{game}/moves", {"action": "engage_global_south"}, tokens["seoul"])
    for text in ("one", "two", "three"):
        ok(
            "POST",
            f"/api/games/{game}/messages",
            {"to": ["washington"], "text": text},
            tokens["seoul"],
        )


def beijing_ids(busy: bool) -> list[object]:
    """Every move or message id Beijing sees in a turn (answers, game view, messages, event
    log), in order; when `busy`, Seoul acts in secret between Beijing's writes, and so do
    the seats of another game."""
    game, tokens = seated_game(seed=5, title="Ids")
    other, other_tokens = seated_game(seed=6, title="Elsewhere")
    bj = tokens["beijing"]
    seen = [ok("POST", f"/api/games/{game}/moves", {"action": "court_seoul"}, bj)["id"]]
    seen.append(ok("POST", f"/api/games/{game}/messages", {"to": "all", "text": "hi"}, bj)["id"])
    if busy:
        seoul_in_secret(game, tokens)
        seoul_in_secret(other, other_tokens)
    body = {"action": "attend_apec_gyeongju"}
    seen.append(ok("POST", f"/api/games/{game}/moves", body, bj)["id"])
    seen.append(
        ok("POST", f"/api/games/{game}/messages", {"to": ["seoul"], "text": "hm"}, bj)["id"]
    )
    seen += [m["id"] for m in ok("GET", f"/api/games/{game}", None, bj)["my_moves"]]
    seen += [m["id"] for m in ok("GET", f"/api/games/{game}/messages", None, bj)["messages"]]
    for event in ok("GET", f"/api/games/{game}/events?after=0", None, bj)["events"]:
        if event["type"] == "move.recorded":
            seen.append(event["data"]["move"]["id"])
        elif event["type"] == "message.posted":
            seen.append(event["data"]["id"])
    return seen


def shape(ids: list[object]) -> list[int]:
    """Each id replaced by the order it first appeared in: what the ids say beyond their
    values (which of Beijing's rows they name)."""
    order: dict[object, int] = {}
    return [order.setdefault(i, len(order)) for i in ids]


def gaps(ids: list[object]) -> list[int] | None:
    """What counting ids gives an attacker: the gaps between numeric ids (None if opaque)."""
    distinct = list(dict.fromkeys(ids))
    if not all(isinstance(i, int) for i in distinct):
        return None
    return [b - a for a, b in zip(distinct, distinct[1:], strict=False)]


def test_beijing_sees_the_same_ids_whether_or_not_seoul_or_another_game_acted():
    """The same turn for Beijing, with and without Seoul's moves, withdrawal and private
    messages in between (and another game's): the ids Beijing reads on every surface name
    the same rows in the same places, each a random UUID with nothing to count."""
    quiet = beijing_ids(busy=False)
    busy = beijing_ids(busy=True)
    assert shape(busy) == shape(quiet)
    assert gaps(busy) == gaps(quiet)
    for value in busy + quiet:
        assert isinstance(value, str), f"a numeric id {value!r} counts rows"
        assert uuid.UUID(value).version == 4  # random: nothing of the rows before it
    assert not set(busy) & set(quiet)


def test_withdrawing_by_public_id_and_by_old_number_only_reaches_own_moves():
    """DELETE takes the public id; a move's old number still works for its own role; the
    same ids from another role answer 404 and withdraw nothing."""
    game, tokens = seated_game(seed=7, title="Withdraw")
    seoul = ok(
        "POST", f"/api/games/{game}/moves", {"action": "engage_global_south"}, tokens["seoul"]
    )
    body = {"action": "court_seoul"}
    mine = ok("POST", f"/api/games/{game}/moves", body, tokens["beijing"])
    number = Move.objects.get(public_id=seoul["id"]).pk
    for stranger in (seoul["id"], str(number), "not-an-id", "00000000-0000-4000-8000-000000000000"):
        status, answer = http(
            "DELETE", f"/api/games/{game}/moves/{stranger}", None, tokens["beijing"]
        )
        assert (status, answer["error"]) == (404, "No such move of yours."), stranger
    assert Move.objects.filter(game_id=game).count() == 2
    status, _ = http("DELETE", f"/api/games/{game}/moves/{mine['id']}", None, tokens["beijing"])
    assert status == 204
    status, _ = http("DELETE", f"/api/games/{game}/moves/{number}", None, tokens["seoul"])
    assert status == 204
    assert not Move.objects.filter(game_id=game).exists()
    withdrawn = GameEvent.objects.filter(game_id=game, type="move.withdrawn")
    assert sorted(e.data["move"] for e in withdrawn) == sorted([mine["id"], seoul["id"]])


def test_the_migration_gives_logged_events_the_rows_public_ids():
    """Migration 0010 rewrites the ids in events logged before it (numbers then) to the
    rows' public ids; a withdrawn move's two events share one new id."""
    rewrite = importlib.import_module("wargame.migrations.0011_public_ids").rewrite_events
    game, tokens = seated_game(seed=8, title="Migrated")
    gone = ok("POST", f"/api/games/{game}/moves", {"action": "hold"}, tokens["seoul"])
    ok("DELETE", f"/api/games/{game}/moves/{gone['id']}", None, tokens["seoul"])
    ok("POST", f"/api/games/{game}/moves", {"action": "engage_global_south"}, tokens["seoul"])
    ok("POST", f"/api/games/{game}/messages", {"to": ["beijing"], "text": "x"}, tokens["seoul"])
    events = GameEvent.objects.filter(game_id=game, type__startswith="m").order_by("seq")
    written = json.loads(json.dumps([(e.type, e.data) for e in events]))
    moves = {m.pk: str(m.public_id) for m in Move.objects.filter(game_id=game)}
    messages = {m.pk: str(m.public_id) for m in Message.objects.filter(game_id=game)}
    numbers = {v: k for k, v in {**moves, **messages}.items()} | {gone["id"]: 999_999}
    for event in events:  # as they were logged before 0010
        if event.type == "message.posted":
            event.data["id"] = numbers[event.data["id"]]
        elif event.type == "move.recorded":
            event.data["move"]["id"] = numbers[event.data["move"]["id"]]
        elif event.type == "move.withdrawn":
            event.data["move"] = numbers[event.data["move"]]
        event.save()
    rewrite(apps.get_model("wargame", "GameEvent"), moves, messages)
    after = [(e.type, e.data) for e in events.all()]
    recorded = [d["move"]["id"] for t, d in after if t == "move.recorded"]
    withdrawn = [d["move"] for t, d in after if t == "move.withdrawn"]
    fresh = withdrawn[0]
    assert recorded[0] == fresh and uuid.UUID(fresh).version == 4
    assert fresh != gone["id"]  # the deleted row's id was kept nowhere: a new one
    # Everything else is as the services wrote it.
    assert json.loads(json.dumps(after).replace(fresh, gone["id"])) == written
