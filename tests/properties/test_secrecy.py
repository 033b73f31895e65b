"""Secrecy (docs/architecture.md, quality bars): before a turn resolves, nothing a seat can receive
holds another role's unresolved move or the seed; once it resolves, the moves are public.

Beijing moves with a distinctive rationale and an action only Beijing has; Pyongyang, the
observer and an anonymous client read every API response and socket message they can get,
and none of them may contain the rationale, the action code or the seed.
"""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from tests.support.api_seats import http, seated_game
from wargame.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

SEED = 987654321
RATIONALE = "SECRET-BEIJING-RATIONALE"
AID_RATIONALE = "SECRET-BEIJING-AID-NOTE"
ACTION = "host_summit_pyongyang"  # only Beijing has this action
SECRETS = (RATIONALE, AID_RATIONALE, ACTION, str(SEED))
ROLES_AND_OBSERVER = ["seoul", "beijing", "pyongyang", "washington", "moscow", "observer"]


def leaked(payload) -> list[str]:
    """The secrets found anywhere in the JSON text of a response or message."""
    text = json.dumps(payload)
    return [s for s in SECRETS if s in text]


def running_game() -> tuple[int, dict[str, str]]:
    """A running game with every seat joined: {seat: token} for roles, facilitator, observer."""
    return seated_game(seed=SEED, title="Secrecy")


def beijing_moves(game: int, tokens: dict[str, str]) -> None:
    """Beijing submits two secret moves and locks; the others have not moved yet."""
    for action, rationale in ((ACTION, RATIONALE), ("economic_aid_pyongyang", AID_RATIONALE)):
        status, body = http(
            "POST",
            f"/api/games/{game}/moves",
            {"action": action, "target": "pyongyang", "rationale": rationale},
            tokens["beijing"],
        )
        assert status == 201, body
    status, body = http("POST", f"/api/games/{game}/lock", token=tokens["beijing"])
    assert status == 200, body


@pytest.fixture
def game():
    """(game id, tokens) after Beijing's secret moves, turn 1 still open."""
    game_id, tokens = running_game()
    beijing_moves(game_id, tokens)
    return game_id, tokens


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


def reads(game: int, token: str | None) -> dict[str, tuple[int, object]]:
    return {
        path: http("GET", path, token=token)
        for path in (
            f"/api/games/{game}",
            f"/api/games/{game}/events?after=0",
            f"/api/games/{game}/log",
        )
    }


# --- HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["pyongyang", "observer"])
def test_http_reads_of_another_seat_hold_no_secret(game, seat):
    """Pyongyang and the observer read the game, its events and its log: no secret."""
    game_id, tokens = game
    responses = reads(game_id, tokens[seat])
    for path, (status, body) in responses.items():
        assert leaked(body) == [], (seat, path, status)
    assert responses[f"/api/games/{game_id}"][0] == 200
    assert responses[f"/api/games/{game_id}/events?after=0"][0] == 200


@pytest.mark.parametrize("seat", ["pyongyang", "observer"])
def test_log_is_refused_to_non_facilitator_while_running(game, seat):
    """The log is the facilitator's until the game finishes: 403 with a reason."""
    game_id, tokens = game
    status, body = http("GET", f"/api/games/{game_id}/log", token=tokens[seat])
    assert status == 403
    assert "facilitator" in body["error"]


def test_other_seat_sees_that_beijing_moved_but_not_what(game):
    """Pyongyang's view and events say Beijing moved and locked, never what it played."""
    game_id, tokens = game
    _, view = http("GET", f"/api/games/{game_id}", token=tokens["pyongyang"])
    assert view["moved"] == ["beijing"]
    assert view["locked"] == ["beijing"]
    assert view["my_moves"] == []
    _, events = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens["pyongyang"])
    submitted = [e for e in events["events"] if e["type"] == "move.submitted"]
    # One announcement however many moves: others learn that Beijing moved, not how often.
    assert [e["data"] for e in submitted] == [{"role": "beijing"}]
    assert not [e for e in events["events"] if e["type"] == "move.recorded"]


def test_anonymous_client_gets_401_and_no_secret(game):
    """No credentials: every read answers 401 and holds no secret."""
    game_id, _ = game
    for path, (status, body) in reads(game_id, None).items():
        assert status == 401, path
        assert leaked(body) == [], path


def test_front_page_holds_no_secret(game):
    """The public front page lists games; it shows no move and no seed."""
    response = Client().get("/")
    assert response.status_code == 200
    assert [s for s in SECRETS if s in response.content.decode()] == []


def test_seat_of_another_game_gets_404_and_no_secret(game):
    """A token of another game reads nothing of this one (404, no secret)."""
    game_id, _ = game
    _, other_tokens = running_game()
    for path, (status, body) in reads(game_id, other_tokens["pyongyang"]).items():
        assert status == 404, path
        assert leaked(body) == [], path


def test_facilitator_sees_moves_before_resolution(game):
    """The white cell sees Beijing's moves and rationale while the turn is open."""
    game_id, tokens = game
    _, view = http("GET", f"/api/games/{game_id}", token=tokens["facilitator"])
    assert {(m["role"], m["action"], m["rationale"]) for m in view["moves"]} == {
        ("beijing", ACTION, RATIONALE),
        ("beijing", "economic_aid_pyongyang", AID_RATIONALE),
    }
    _, events = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens["facilitator"])
    recorded = [e["data"]["move"] for e in events["events"] if e["type"] == "move.recorded"]
    assert [m["rationale"] for m in recorded] == [RATIONALE, AID_RATIONALE]


def test_beijing_sees_its_own_moves(game):
    """The mover sees its own moves (and only its own) before resolution."""
    game_id, tokens = game
    _, view = http("GET", f"/api/games/{game_id}", token=tokens["beijing"])
    assert [m["rationale"] for m in view["my_moves"]] == [RATIONALE, AID_RATIONALE]


@pytest.mark.parametrize("seat", ["pyongyang", "observer"])
def test_moves_are_public_once_the_turn_resolves(game, seat):
    """After resolution turn.resolved carries Beijing's outcomes to everyone; never the seed."""
    game_id, tokens = game
    status, body = http("POST", f"/api/games/{game_id}/resolve", token=tokens["facilitator"])
    assert status == 200, body
    _, events = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens[seat])
    resolved = [e for e in events["events"] if e["type"] == "turn.resolved"]
    assert len(resolved) == 1
    played = {(o["role"], o["action"]) for o in resolved[0]["data"]["outcomes"]}
    assert ("beijing", ACTION) in played
    assert ("beijing", "economic_aid_pyongyang") in played
    _, view = http("GET", f"/api/games/{game_id}", token=tokens[seat])
    assert str(SEED) not in json.dumps([events, view])


BRIEF_LABEL = "SECRET-SEOUL-BRIEF"
BRIEF_TEXT = "SECRET-SEOUL-DETAIL"


def seoul_only_inject(game: int, tokens: dict[str, str]) -> None:
    body = {
        "label": BRIEF_LABEL,
        "description": BRIEF_TEXT,
        "effects": [{"var": "tension", "add": 2}],
        "audience": ["seoul"],
    }
    status, reply = http("POST", f"/api/games/{game}/injects", body, tokens["facilitator"])
    assert status == 201, reply


def test_inject_for_seoul_only_is_unseen_by_others_before_resolution(game):
    """An inject shown only to Seoul: Seoul sees it, Pyongyang and the observer do not."""
    game_id, tokens = game
    seoul_only_inject(game_id, tokens)
    _, seoul = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens["seoul"])
    assert BRIEF_LABEL in json.dumps(seoul)
    for seat in ("pyongyang", "observer"):
        for path, (_, body) in reads(game_id, tokens[seat]).items():
            assert BRIEF_LABEL not in json.dumps(body), (seat, path)
            assert BRIEF_TEXT not in json.dumps(body), (seat, path)


def test_inject_for_seoul_only_stays_unnamed_to_others_after_resolution(game):
    """After resolution, turn.resolved shows Pyongyang the effects but not the Seoul-only
    inject's label or description."""
    game_id, tokens = game
    seoul_only_inject(game_id, tokens)
    assert http("POST", f"/api/games/{game_id}/resolve", token=tokens["facilitator"])[0] == 200
    _, events = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens["pyongyang"])
    resolved = [e for e in events["events"] if e["type"] == "turn.resolved"]
    assert len(resolved) == 1
    assert BRIEF_LABEL not in json.dumps(resolved)
    assert BRIEF_TEXT not in json.dumps(resolved)


# --- WebSocket ----------------------------------------------------------------------


async def drain(communicator, timeout: float = 0.3) -> list[dict]:
    """Every message waiting on the socket (without cancelling it on timeout)."""
    out = []
    while not await communicator.receive_nothing(timeout=timeout):
        out.append(await communicator.receive_json_from())
    return out


async def connect(game: int, token: str | None, query: str = ""):
    path = f"/ws/games/{game}/?token={token or ''}{query}"
    communicator = WebsocketCommunicator(application, path)
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.mark.parametrize("seat", ["pyongyang", "observer"])
async def test_live_socket_messages_hold_no_secret(seat):
    """A socket open while Beijing moves hears that it moved, never what, and no seed."""
    game_id, tokens = await sync_to_async(running_game)()
    communicator, connected, _ = await connect(game_id, tokens[seat])
    assert connected
    await sync_to_async(beijing_moves)(game_id, tokens)
    messages = await drain(communicator)
    await communicator.disconnect()
    # One announcement however many moves: others learn that Beijing moved, not how often.
    assert [m["data"] for m in messages if m["type"] == "move.submitted"] == [{"role": "beijing"}]
    assert leaked(messages) == []


@pytest.mark.parametrize("seat", ["pyongyang", "observer"])
async def test_catch_up_socket_messages_hold_no_secret(game, seat):
    """A socket that catches up from seq 0 (?last_seq and resume) gets no secret."""
    game_id, tokens = game
    communicator, connected, _ = await connect(game_id, tokens[seat], "&last_seq=0")
    assert connected
    await communicator.send_json_to({"type": "resume", "last_seq": 0})
    messages = await drain(communicator)
    await communicator.disconnect()
    assert any(m["type"] == "move.submitted" for m in messages)
    assert leaked(messages) == []


async def test_anonymous_socket_is_closed_and_hears_nothing(game):
    """No token, no session: the socket is refused before any event is sent."""
    game_id, _ = game
    communicator, connected, code = await connect(game_id, None, "&last_seq=0")
    assert not connected
    assert code == 4404
    assert await communicator.receive_nothing(timeout=0.2)


async def test_facilitator_socket_hears_moves_before_resolution():
    """The facilitator's socket hears move.recorded with Beijing's rationale, live."""
    game_id, tokens = await sync_to_async(running_game)()
    communicator, connected, _ = await connect(game_id, tokens["facilitator"])
    assert connected
    await sync_to_async(beijing_moves)(game_id, tokens)
    messages = await drain(communicator)
    await communicator.disconnect()
    recorded = [m["data"]["move"] for m in messages if m["type"] == "move.recorded"]
    assert [m["rationale"] for m in recorded] == [RATIONALE, AID_RATIONALE]


async def test_socket_hears_moves_once_the_turn_resolves(game):
    """Pyongyang's socket gets turn.resolved with Beijing's action, and still no seed."""
    game_id, tokens = game
    communicator, connected, _ = await connect(game_id, tokens["pyongyang"])
    assert connected
    status, _ = await sync_to_async(http)(
        "POST", f"/api/games/{game_id}/resolve", token=tokens["facilitator"]
    )
    assert status == 200
    messages = await drain(communicator)
    await communicator.disconnect()
    resolved = [m for m in messages if m["type"] == "turn.resolved"]
    assert len(resolved) == 1
    assert ("beijing", ACTION) in {
        (o["role"], o["action"]) for o in resolved[0]["data"]["outcomes"]
    }
    assert str(SEED) not in json.dumps(messages)


# --- Umpire review ------------------------------------------------------------------


def test_a_proposal_in_umpire_review_reaches_no_seat():
    """While the umpire reviews turn 1, every seat but the facilitator sees the old scores
    and state, no history, no proposal and no turn.proposed: only that the phase is review."""
    from players.models import Seat
    from wargame.models import Game
    from wargame.selectors import page_data
    from wargame.services.games import game_create

    created, codes = game_create(seed=SEED, title="Review", umpire_review=True)
    tokens = {}
    for seat in [*ROLES_AND_OBSERVER, "facilitator"]:
        _, body = http("POST", "/api/join", {"code": codes[seat], "name": seat})
        tokens[seat] = body["token"]
    game_id = created.pk
    http("POST", f"/api/games/{game_id}/start", token=tokens["facilitator"])
    _, before = http("GET", f"/api/games/{game_id}", token=tokens["seoul"])
    status, body = http(
        "POST", f"/api/games/{game_id}/moves", {"action": "missile_test"}, tokens["pyongyang"]
    )
    assert status == 201, body
    for role in ROLES_AND_OBSERVER[:-1]:
        status, body = http("POST", f"/api/games/{game_id}/lock", token=tokens[role])
        assert status == 200, body
    _, facilitator = http("GET", f"/api/games/{game_id}", token=tokens["facilitator"])
    game = Game.objects.get(pk=game_id)
    proposed = page_data(game, Seat.objects.get(game=game, role="facilitator"), "f")["proposal"]
    assert proposed["scores"] != before["scores"]  # the proposal would show if it leaked
    assert facilitator["scores"] == before["scores"]  # published scores, for everyone
    for seat in ROLES_AND_OBSERVER:
        _, view = http("GET", f"/api/games/{game_id}", token=tokens[seat])
        assert view["turn"]["phase"] == "review", seat
        assert view["scores"] == before["scores"], seat
        assert view["state"] == before["state"] and view["state_hash"] == before["state_hash"]
        data = page_data(game, Seat.objects.get(game=game, role=seat), seat)
        assert "proposal" not in data and data["history"] == [], seat
        assert data["game"]["scores"] == before["scores"], seat
        _, events = http("GET", f"/api/games/{game_id}/events?after=0", token=tokens[seat])
        assert {"turn.proposed", "turn.resolved"}.isdisjoint(e["type"] for e in events["events"])
        assert json.dumps(proposed["outcomes"]) not in json.dumps([view, data, events])
