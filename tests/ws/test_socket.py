"""The game socket at /ws/games/<id>/ (docs/websocket.md): who may connect, what each
seat hears live, and how a reconnecting client catches up with exactly what it missed."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from players.models import Seat
from tests.support.api_seats import http, seated_game
from wargame import policy
from wargame.asgi import application
from wargame.models import Game
from wargame.services.messages import message_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


@sync_to_async
def running_game() -> tuple[int, dict[str, str]]:
    """A running game with every seat joined; returns (game id, {seat: token})."""
    return seated_game(seed=11, title="Socket")


@sync_to_async
def act(method, path, body, token):
    status, payload = http(method, path, body, token)
    assert status in (200, 201, 204), (path, status, payload)
    return payload


async def move(game, token, action, target=None):
    body = {"action": action, "target": target, "rationale": f"why {action}"}
    return await act("POST", f"/api/games/{game}/moves", body, token)


async def say(game, token, to, text):
    return await act("POST", f"/api/games/{game}/messages", {"to": to, "text": text}, token)


async def events_after(game, token, after) -> list[dict]:
    return (await act("GET", f"/api/games/{game}/events?after={after}", None, token))["events"]


async def open_socket(game, token=None, *, query="", headers=None):
    path = f"/ws/games/{game}/" + (f"?token={token}{query}" if token else "")
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, code = await communicator.connect()
    return communicator, connected, code


async def drain(communicator, timeout: float = 0.3) -> list[dict]:
    """The logged events waiting on the socket, in arrival order (presence notices dropped)."""
    out = []
    while not await communicator.receive_nothing(timeout=timeout):
        message = await communicator.receive_json_from()
        if message["seq"] is not None:
            out.append(message)
    return out


# --- who may connect ----------------------------------------------------------------


async def test_token_socket_hears_that_another_role_moved_and_nothing_more():
    """Seoul's socket hears move.submitted from Beijing as {"role": "beijing"} only."""
    game, tokens = await running_game()
    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    await move(game, tokens["beijing"], "court_seoul", "seoul")
    heard = await drain(seoul)
    await seoul.disconnect()
    assert [(m["type"], m["data"]) for m in heard] == [("move.submitted", {"role": "beijing"})]


async def test_move_recorded_reaches_only_the_mover():
    """Beijing's own socket hears move.submitted then move.recorded with the move itself."""
    game, tokens = await running_game()
    beijing, connected, _ = await open_socket(game, tokens["beijing"])
    assert connected
    made = await move(game, tokens["beijing"], "court_seoul", "seoul")
    heard = await drain(beijing)
    await beijing.disconnect()
    assert [m["type"] for m in heard] == ["move.submitted", "move.recorded"]
    assert heard[1]["data"]["move"] == made
    assert heard[1]["seq"] == heard[0]["seq"] + 1


async def test_live_frames_are_the_events_as_logged_and_a_grant_takes_effect_at_once():
    """A live frame is the event exactly as the log has it (the publisher sends its JSON
    text once, with a header). An observer hears a private message only after the
    facilitator's grant, which reaches the open socket as game.settings."""
    from wargame.services.games import game_observers_grant

    game, tokens = await running_game()
    observer, connected, _ = await open_socket(game, tokens["observer"])
    assert connected
    await say(game, tokens["beijing"], "pyongyang", "before the grant")
    await sync_to_async(game_observers_grant)(game_id=game, on=True)
    await say(game, tokens["beijing"], "pyongyang", "after the grant")
    heard = await drain(observer)
    await observer.disconnect()
    assert [(m["type"], m["data"].get("text")) for m in heard] == [
        ("game.settings", None),
        ("message.posted", "after the grant"),
    ]
    # Numbered the observer's own way: its catch-up over HTTP gives the same frames.
    assert heard == (await events_after(game, tokens["observer"], 0))[-2:]
    logged = [
        {k: e[k] for k in ("type", "turn", "data")}
        for e in await events_after(game, tokens["facilitator"], 0)
    ]
    assert all({k: m[k] for k in ("type", "turn", "data")} in logged for m in heard)


async def test_presence_is_announced_on_connect():
    """A seat that connects is announced (ephemeral, no seq) to sockets already there."""
    game, tokens = await running_game()
    seoul, _, _ = await open_socket(game, tokens["seoul"])
    await seoul.receive_json_from()  # its own presence
    beijing, _, _ = await open_socket(game, tokens["beijing"])
    notice = await seoul.receive_json_from()
    await beijing.disconnect()
    await seoul.disconnect()
    assert notice["seq"] is None
    assert notice["type"] == "presence"
    assert notice["data"]["role"] == "beijing"
    assert notice["data"]["online"] is True


async def test_no_token_and_no_session_is_closed_4404():
    """Neither a token nor a session: the socket is closed with 4404."""
    game, _ = await running_game()
    _, connected, code = await open_socket(game)
    assert not connected
    assert code == 4404


async def test_unknown_token_is_closed_4404():
    """A made-up token opens nothing."""
    game, _ = await running_game()
    _, connected, code = await open_socket(game, "not-a-real-token")
    assert not connected
    assert code == 4404


async def test_token_of_another_game_is_closed():
    """A socket for game A with a seat token of game B is closed as not found."""
    game_a, _ = await running_game()
    _, tokens_b = await running_game()
    _, connected, code = await open_socket(game_a, tokens_b["seoul"])
    assert not connected
    assert code == 4404


async def test_foreign_origin_is_rejected_even_with_a_token():
    """A browser-like connection from a foreign Origin is refused, token or not."""
    game, tokens = await running_game()
    headers = [(b"origin", b"http://evil.example")]
    communicator, connected, _ = await open_socket(game, tokens["seoul"], headers=headers)
    assert not connected
    assert await communicator.receive_nothing(timeout=0.1)


@sync_to_async
def browser_session(game: int) -> str:
    """Join Seoul in a 'browser' (no token kept) and return its session cookie."""
    client = Client()
    code = Seat.objects.get(game_id=game, role="seoul").code
    response = client.post(
        "/api/join", data={"code": code, "name": "Ada"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return client.cookies["sessionid"].value


async def test_session_cookie_with_allowed_origin_connects():
    """A browser with its session cookie and an allowed Origin gets its seat's socket."""
    game, _ = await running_game()
    session = await browser_session(game)
    headers = [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"cookie", f"sessionid={session}".encode()),
    ]
    communicator, connected, _ = await open_socket(game, headers=headers)
    assert connected
    presence = await communicator.receive_json_from()
    await communicator.disconnect()
    assert presence["data"]["role"] == "seoul"


@sync_to_async
def account_session(name: str, *, staff: bool) -> str:
    """The session cookie of a signed-in account with no seat in any game."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(name, password="pw", is_staff=staff)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def test_a_staff_session_opens_the_facilitators_socket_and_another_account_does_not():
    """The account behind a session cookie is read when the socket decides who it is (not
    before): staff without a seat hear the facilitator's frames, a move's rationale too; a
    signed-in account that is neither staff nor seated is closed as not found."""
    game, tokens = await running_game()
    browser = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    staff = await account_session("umpire", staff=True)
    cookie = (b"cookie", f"sessionid={staff}".encode())
    facilitator, connected, _ = await open_socket(game, headers=[*browser, cookie])
    assert connected
    made = await move(game, tokens["beijing"], "court_seoul", "seoul")
    heard = await drain(facilitator)
    await facilitator.disconnect()
    assert [m["type"] for m in heard] == ["move.submitted", "move.recorded"]
    assert heard[1]["data"]["move"]["rationale"] == made["rationale"]

    other = await account_session("passer-by", staff=False)
    cookie = (b"cookie", f"sessionid={other}".encode())
    _, connected, code = await open_socket(game, headers=[*browser, cookie])
    assert not connected
    assert code == 4404


async def test_session_cookie_without_origin_is_refused():
    """A cookie alone, with no Origin (no check possible), does not open a socket."""
    game, _ = await running_game()
    session = await browser_session(game)
    headers = [(b"cookie", f"sessionid={session}".encode())]
    _, connected, code = await open_socket(game, headers=headers)
    assert not connected
    assert code == 4404


# --- catching up --------------------------------------------------------------------


async def miss_some_events(game: int, tokens: dict[str, str]) -> None:
    """While Seoul is away: moves, a public message, and a private one Seoul must not see."""
    await move(game, tokens["washington"], "raise_tariffs_china", "beijing")
    await say(game, tokens["beijing"], "pyongyang", "private: not for Seoul")
    await say(game, tokens["pyongyang"], "all", "public: for everyone")
    await move(game, tokens["seoul"], "strengthen_deterrence")  # via HTTP while away
    await act("POST", f"/api/games/{game}/lock", None, tokens["moscow"])


def assert_in_order_without_duplicates(messages: list[dict]) -> None:
    seqs = [m["seq"] for m in messages]
    assert seqs == sorted(set(seqs)), seqs


async def seen_so_far(game, tokens) -> int:
    """Seoul connects, hears one live event, disconnects; returns the last seq it saw."""
    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    await move(game, tokens["beijing"], "court_seoul", "seoul")
    heard = await drain(seoul)
    await seoul.disconnect()
    assert [m["type"] for m in heard] == ["move.submitted"]
    return heard[-1]["seq"]


async def test_resume_gets_exactly_what_was_missed_then_live_events():
    """resume with last_seq: the seat's missed events (as GET events?after=N), in order,
    once each; then a new event arrives live, once."""
    game, tokens = await running_game()
    last_seq = await seen_so_far(game, tokens)
    await miss_some_events(game, tokens)
    expected = await events_after(game, tokens["seoul"], last_seq)

    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    assert await drain(seoul, timeout=0.1) == []  # nothing replayed before resume
    await seoul.send_json_to({"type": "resume", "last_seq": last_seq})
    caught_up = await drain(seoul)
    assert caught_up == expected
    assert_in_order_without_duplicates(caught_up)
    texts = [m["data"]["text"] for m in caught_up if m["type"] == "message.posted"]
    assert texts == ["public: for everyone"]
    assert "move.recorded" in [m["type"] for m in caught_up]  # Seoul's own move

    await move(game, tokens["pyongyang"], "missile_test")
    live = await drain(seoul)
    await seoul.disconnect()
    assert [(m["type"], m["data"]) for m in live] == [("move.submitted", {"role": "pyongyang"})]
    assert live[0]["seq"] > caught_up[-1]["seq"]
    assert_in_order_without_duplicates(caught_up + live)


async def test_last_seq_on_connect_gets_exactly_what_was_missed_then_live_events():
    """?last_seq=N on connect does the same as a resume frame."""
    game, tokens = await running_game()
    last_seq = await seen_so_far(game, tokens)
    await miss_some_events(game, tokens)
    expected = await events_after(game, tokens["seoul"], last_seq)

    seoul, connected, _ = await open_socket(game, tokens["seoul"], query=f"&last_seq={last_seq}")
    assert connected
    caught_up = await drain(seoul)
    assert caught_up == expected
    assert_in_order_without_duplicates(caught_up)

    await say(game, tokens["facilitator"], "all", "live after catch-up")
    live = await drain(seoul)
    await seoul.disconnect()
    assert [m["type"] for m in live] == ["message.posted"]
    assert_in_order_without_duplicates(caught_up + live)


async def test_resume_from_zero_equals_the_seats_whole_event_log():
    """resume from 0 replays everything the seat may see, the same as GET events?after=0."""
    game, tokens = await running_game()
    await miss_some_events(game, tokens)
    expected = await events_after(game, tokens["observer"], 0)
    observer, connected, _ = await open_socket(game, tokens["observer"])
    assert connected
    await observer.send_json_to({"type": "resume", "last_seq": 0})
    caught_up = await drain(observer)
    await observer.disconnect()
    assert caught_up == expected
    assert caught_up[0]["seq"] == 1


async def test_second_resume_replays_again_without_gaps():
    """Resuming twice from the same seq sends the same events again (the client asked)."""
    game, tokens = await running_game()
    last_seq = await seen_so_far(game, tokens)
    await miss_some_events(game, tokens)
    seoul, _, _ = await open_socket(game, tokens["seoul"])
    await seoul.send_json_to({"type": "resume", "last_seq": last_seq})
    first = await drain(seoul)
    await seoul.send_json_to({"type": "resume", "last_seq": last_seq})
    second = await drain(seoul)
    await seoul.disconnect()
    assert first == second
    assert first


def test_events_paging_reaches_past_many_events_the_seat_may_not_see():
    """2,001 private Beijing-Pyongyang messages, then a public one: an observer following
    GET events' next_after cursor reaches the public message, and only it."""
    from django.db import transaction

    from wargame.services.events import events_append

    game, tokens = async_to_sync(running_game)()
    after = http("GET", f"/api/games/{game}", token=tokens["observer"])[1]["last_seq"]
    # Stands in for 2,001 message_post calls (the same rows; posting them takes ~15 s).
    with transaction.atomic():
        events_append(
            game=Game.objects.get(pk=game),
            events=[
                {
                    "type": "message.posted",
                    "turn": 1,
                    "audience": ["beijing", "facilitator", "pyongyang"],
                    "data": {"from": "beijing", "to": ["pyongyang"], "text": f"private {i}"},
                }
                for i in range(1, 2002)
            ],
        )
    message_post(game_id=game, sender="seoul", to="all", text="public after the private ones")
    seen, pages = [], 0
    while True:
        _, page = http("GET", f"/api/games/{game}/events?after={after}", token=tokens["observer"])
        seen += page["events"]
        pages += 1
        assert page["next_after"] > after or page["next_after"] == page["last_seq"]
        if page["next_after"] >= page["last_seq"]:
            break
        after = page["next_after"]
        assert pages < 10
    assert [e["data"].get("text") for e in seen] == ["public after the private ones"]


async def test_resume_beyond_the_last_seq_is_an_error_and_live_events_continue():
    """resume with a last_seq the game has not reached: an error frame, and the socket still
    hears the next event."""
    game, tokens = await running_game()
    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    await drain(seoul, timeout=0.1)
    await seoul.send_json_to({"type": "resume", "last_seq": 10_000})
    replies = []
    while not await seoul.receive_nothing(timeout=0.3):
        replies.append(await seoul.receive_json_from())
    assert [r["type"] for r in replies] == ["error"]
    assert "last_seq" in replies[0]["data"]["error"]
    await move(game, tokens["beijing"], "court_seoul", "seoul")
    heard = await drain(seoul)
    await seoul.disconnect()
    assert [m["type"] for m in heard] == ["move.submitted"]


@sync_to_async
def log_without_publishing(game_id: int, text: str) -> int:
    """An event in the log that never reached the channel layer (as when pub/sub drops it
    while a web process reconnects to Redis): written as event_append writes it, unpublished."""
    from unittest import mock

    from django.db import transaction

    from wargame import realtime
    from wargame.services.events import event_append

    with mock.patch.object(realtime, "publish_events"), transaction.atomic():
        event = event_append(
            game=Game.objects.get(pk=game_id),
            type=realtime.MESSAGE_POSTED,
            turn=1,
            audience=[policy.EVERYONE],
            data={"id": 0, "turn": 1, "from": "facilitator", "to": "all", "text": text, "at": ""},
        )
    return policy.seat_seq(event.seqs, "pyongyang", event.seq)  # as Pyongyang numbers it


async def test_a_ping_delivers_an_event_the_channel_layer_dropped():
    """The pages ping every 20 s; the answer brings anything logged but not yet forwarded,
    so the last event of a game is not stranded when its publish was lost."""
    game, tokens = await running_game()
    communicator, connected, _ = await open_socket(game, tokens["pyongyang"])
    assert connected
    await drain(communicator)
    seq = await log_without_publishing(game, "The game is over, lost in transit")
    assert await drain(communicator) == []  # nothing came by the layer
    await communicator.send_json_to({"type": "ping"})
    event = await communicator.receive_json_from()
    assert (event["seq"], event["data"]["text"]) == (seq, "The game is over, lost in transit")
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.send_json_to({"type": "ping"})  # nothing new: only a pong
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


async def test_a_commits_events_reach_each_socket_in_one_hand_over_and_as_separate_frames():
    """The last lock commits role.locked and turn.resolving together, and the resolution
    turn.resolved and turn.opened: each commit is one message on the channel layer (one
    dispatch per socket, not one per event), and the socket still sends each event as its
    own frame, in the seat's order."""
    game, tokens = await running_game()
    layer = get_channel_layer()
    tap = await layer.new_channel()
    await layer.group_add(f"game.{game}", tap)
    seoul, connected, _ = await open_socket(game, tokens["seoul"])
    assert connected
    for role in ("beijing", "pyongyang", "washington", "moscow"):
        await act("POST", f"/api/games/{game}/lock", None, tokens[role])
    await layer_messages(layer, tap)
    await drain(seoul)
    await act("POST", f"/api/games/{game}/lock", None, tokens["seoul"])
    messages = await layer_messages(layer, tap)
    heard = await drain(seoul)
    await seoul.disconnect()
    commits = sorted(
        [m["event"]["type"] for m in message["events"]]
        for message in messages
        if message["type"] == "game.events"
    )
    assert commits == [["role.locked", "turn.resolving"], ["turn.resolved", "turn.opened"]]
    assert [m["type"] for m in heard] == [
        "role.locked",
        "turn.resolving",
        "turn.resolved",
        "turn.opened",
    ]
    assert [m["seq"] for m in heard] == list(range(heard[0]["seq"], heard[0]["seq"] + 4))


async def layer_messages(layer, channel, timeout: float = 0.3) -> list[dict]:
    """Every message waiting on a channel of the layer, until none comes for `timeout`."""
    import asyncio

    out = []
    while True:
        try:
            out.append(await asyncio.wait_for(layer.receive(channel), timeout))
        except TimeoutError:
            return out
