"""Faults on the real stack: double resolves, a worker killed mid-turn, many tasks in one
worker, a seat reconnecting. Each turn is resolved exactly once and no move is lost."""

from __future__ import annotations

import threading
import time

import pytest

from tests.fullstack.conftest import http_call
from tests.support.scripted_game import join_all, poll_until_resolved
from tests.support.wsclient import SocketClient
from wargame.models import GameEvent, Move, Turn, TurnResult
from wargame.services.claims import is_queued
from wargame.services.games import game_create

pytestmark = [pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def started_game(http, **kwargs):
    game, codes = game_create(**kwargs)
    call = http_call(http)
    tokens = join_all(call, codes)
    status, body = call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    assert status == 200, body
    return game, call, tokens


def worker_claimed(turn: Turn) -> bool:
    """A worker holds the turn's claim: the request's claim for the queue (`claims`) has
    been taken over by the worker's own token, which names its process."""
    return turn.status == "resolving" and not is_queued(turn.claim_token)


def resolved_events(game_id: int, number: int) -> int:
    return GameEvent.objects.filter(game_id=game_id, type="turn.resolved", turn=number).count()


def test_two_concurrent_resolve_requests_resolve_once(stack, http):
    """Two facilitator clicks on "resolve" at the same moment give one resolution."""
    game, call, tokens = started_game(http, seed=21)
    call("POST", f"/api/games/{game.pk}/moves", {"action": "missile_test"}, tokens["pyongyang"])
    statuses = []

    def click():
        statuses.append(
            call("POST", f"/api/games/{game.pk}/resolve", None, tokens["facilitator"])[0]
        )

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) in ([200, 200], [200, 409])
    poll_until_resolved(call, game.pk, tokens["facilitator"], 1)
    time.sleep(1.0)  # let a duplicate task, if any, run to completion
    assert TurnResult.objects.filter(turn__game=game, turn__number=1).count() == 1
    assert resolved_events(game.pk, 1) == 1
    assert Turn.objects.get(game=game, number=2).status == "open"


def test_worker_killed_mid_resolution_resolves_once_after_restart(stack, http):
    """SIGKILL the worker while it adjudicates (slowed on purpose); a new worker picks the
    turn up and resolves it exactly once, with every submitted move kept."""
    for worker in list(stack.workers):
        stack.kill(worker)
    stack.workers.clear()
    slow = stack.start_worker(LT_RESOLVE_DELAY_SECONDS="6")
    game, call, tokens = started_game(http, seed=22)
    for role, action in [
        ("pyongyang", "envoy_to_beijing"),
        ("beijing", "court_seoul"),
        ("washington", "raise_tariffs_china"),
        ("seoul", "invite_xi_apec"),
    ]:
        status, body = call("POST", f"/api/games/{game.pk}/moves", {"action": action}, tokens[role])
        assert status == 201, body
    call("POST", f"/api/games/{game.pk}/resolve", None, tokens["facilitator"])
    turn = Turn.objects.get(game=game, number=1)
    deadline = time.monotonic() + 30
    while not worker_claimed(Turn.objects.get(pk=turn.pk)):
        assert time.monotonic() < deadline, "the slow worker never claimed the turn"
        time.sleep(0.05)
    stack.kill(slow)
    stack.workers.remove(slow)
    assert TurnResult.objects.filter(turn=turn).count() == 0

    stack.start_worker()
    poll_until_resolved(call, game.pk, tokens["facilitator"], 1, timeout=90)
    turn.refresh_from_db()
    assert turn.status == "resolved"
    assert turn.attempts >= 2
    assert TurnResult.objects.filter(turn=turn).count() == 1
    assert resolved_events(game.pk, 1) == 1
    assert Move.objects.filter(turn=turn).count() == 4
    outcomes = TurnResult.objects.get(turn=turn).outcomes
    assert {o["action"] for o in outcomes} == {
        "envoy_to_beijing",
        "court_seoul",
        "raise_tariffs_china",
        "invite_xi_apec",
    }


def test_many_consecutive_tasks_in_one_worker_all_reach_the_sockets(stack, http):
    """Twenty turns resolved one after another by the same worker process: the socket
    hears every turn.resolved (the channels-redis event-loop hazard, channels_redis#332)."""
    game, codes = game_create(seed=23, turns=20, bots=["seoul", "beijing", "washington", "moscow"])
    call = http_call(http)
    status, joined = call("POST", "/api/join", {"code": codes["pyongyang"], "name": "Kim"}, None)
    token = joined["token"]
    status, fac = call("POST", "/api/join", {"code": codes["facilitator"], "name": "Umpire"}, None)
    client = SocketClient(f"{stack.ws_url}/ws/games/{game.pk}/?token={token}")
    try:
        call("POST", f"/api/games/{game.pk}/start", None, fac["token"])
        for number in range(1, 21):
            status, body = call("POST", f"/api/games/{game.pk}/lock", None, token)
            assert status == 200, (number, body)
            client.wait_for(
                lambda frames, n=number: any(
                    f["type"] == "turn.resolved" and f["turn"] == n for f in frames
                ),
                timeout=60,
            )
        assert [f["turn"] for f in client.of_type("turn.resolved")] == list(range(1, 21))
        seqs = client.seqs()
        assert seqs == sorted(set(seqs))
    finally:
        client.close()


def test_reconnecting_seat_gets_exactly_what_it_missed(stack, http):
    """A seat drops, the game moves on, it reconnects with resume: it receives every event
    it may see after its last seq, once, in order, and then live events again."""
    game, call, tokens = started_game(http, seed=24)
    url = f"{stack.ws_url}/ws/games/{game.pk}/?token={tokens['seoul']}"
    first = SocketClient(url)
    call(
        "POST", f"/api/games/{game.pk}/messages", {"to": "all", "text": "hello"}, tokens["beijing"]
    )
    first.wait_for(lambda frames: any(f["type"] == "message.posted" for f in frames))
    last_seq = max(first.seqs())
    first.close()

    call(
        "POST", f"/api/games/{game.pk}/messages", {"to": "seoul", "text": "psst"}, tokens["beijing"]
    )
    call(
        "POST", f"/api/games/{game.pk}/messages", {"to": "moscow", "text": "no"}, tokens["beijing"]
    )
    call("POST", f"/api/games/{game.pk}/resolve", None, tokens["facilitator"])
    poll_until_resolved(call, game.pk, tokens["seoul"], 1)
    status, missed = call(
        "GET", f"/api/games/{game.pk}/events?after={last_seq}", None, tokens["seoul"]
    )
    expected = [e["seq"] for e in missed["events"]]
    assert expected, "the seat should have missed something"

    second = SocketClient(url)
    try:
        second.send({"type": "resume", "last_seq": last_seq})
        second.wait_for(lambda frames: set(expected) <= {f.get("seq") for f in frames})
        got = [s for s in second.seqs() if s <= expected[-1]]
        assert got == expected
        texts = [f["data"]["text"] for f in second.of_type("message.posted")]
        assert "psst" in texts and "no" not in texts
        call(
            "POST",
            f"/api/games/{game.pk}/messages",
            {"to": "all", "text": "live"},
            tokens["moscow"],
        )
        second.wait_for(lambda frames: any(f.get("data", {}).get("text") == "live" for f in frames))
        assert second.seqs() == sorted(set(second.seqs()))
    finally:
        second.close()
