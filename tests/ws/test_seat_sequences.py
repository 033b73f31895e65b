"""Each seat's own event numbering (issue 9, item 6; policy.sequences): Beijing cannot
count Seoul's moves, withdrawals or private messages from its seqs, on any surface, and
resume and catch-up still deliver exactly what was missed, in order, once."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from players.models import Seat
from tests.support.api_seats import http, seated_game
from tests.ws.test_socket import drain, open_socket
from wargame.models import Game
from wargame.selectors import page_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


def ok(method, path, body, token):
    status, answer = http(method, path, body, token)
    assert status in (200, 201, 204), (path, status, answer)
    return answer


def seoul_in_secret(game: int, tokens: dict, busy: bool, action: str, replay: bool) -> None:
    """Seoul moves (everyone learns that it moved, once); when `busy`, it also withdraws
    and replays the move and whispers to Washington: nothing Beijing may see. (Seoul's
    first move stays put: that a role has moves at all is public, `moved`.)"""
    move = ok("POST", f"/api/games/{game}/moves", {"action": action}, tokens["seoul"])
    if busy and replay:  # (the budget is two moves: withdraw the second, play it again)
        ok("DELETE", f"/api/games/{game}/moves/{move['id']}", None, tokens["seoul"])
        ok("POST", f"/api/games/{game}/moves", {"action": action}, tokens["seoul"])
    if busy:
        for text in ("one", "two", "three"):
            body = {"to": ["washington"], "text": text}
            ok("POST", f"/api/games/{game}/messages", body, tokens["seoul"])


def beijing_reads(game: int, tokens: dict[str, str]) -> dict:
    """Every seq Beijing can read: the game view, the page data and the event log."""
    view = ok("GET", f"/api/games/{game}", None, tokens["beijing"])
    events = ok("GET", f"/api/games/{game}/events?after=0", None, tokens["beijing"])
    seat = Seat.objects.get(game_id=game, role="beijing")
    page = page_data(Game.objects.get(pk=game), seat, "Beijing")
    return {
        "view": view["last_seq"],
        "page": page["game"]["last_seq"],
        "events": [(e["seq"], e["type"]) for e in events["events"]],
        "events_last": events["last_seq"],
        "next_after": events["next_after"],
    }


async def play(busy: bool) -> tuple[dict, list, list]:
    """A turn with Beijing's socket open throughout, and a second Beijing socket that
    drops out mid-turn and comes back with ?last_seq=: (reads, live frames, caught up)."""
    game, tokens = await sync_to_async(seated_game)(seed=5, title="Counting")
    live, connected, _ = await open_socket(game, tokens["beijing"])
    assert connected
    await drain(live)
    start = (await sync_to_async(beijing_reads)(game, tokens))["view"]
    ok_ = sync_to_async(ok)
    await ok_("POST", f"/api/games/{game}/moves", {"action": "court_seoul"}, tokens["beijing"])
    await sync_to_async(seoul_in_secret)(game, tokens, busy, "invite_xi_apec", False)
    await ok_("POST", f"/api/games/{game}/messages", {"to": "all", "text": "hi"}, tokens["moscow"])
    await sync_to_async(seoul_in_secret)(game, tokens, busy, "engage_global_south", True)
    for role in ("seoul", "beijing", "pyongyang", "washington", "moscow"):
        await ok_("POST", f"/api/games/{game}/lock", None, tokens[role])
    frames = [(f["seq"], f["type"]) for f in await drain(live)]
    await live.send_json_to({"type": "ping"})
    assert (await live.receive_json_from())["type"] == "pong"  # nothing was left behind
    await live.disconnect()
    back, connected, _ = await open_socket(game, tokens["beijing"], query=f"&last_seq={start}")
    assert connected
    caught = [(f["seq"], f["type"]) for f in await drain(back)]
    await back.send_json_to({"type": "resume", "last_seq": start + 2})
    again = [(f["seq"], f["type"]) for f in await drain(back)]
    await back.disconnect()
    assert again == caught[2:]  # a resume sends again exactly what follows, once
    return await sync_to_async(beijing_reads)(game, tokens), frames, caught


async def test_beijing_sees_the_same_seqs_whether_or_not_seoul_acted_in_secret():
    """The same public turn, with and without Seoul's extra moves, withdrawal and private
    messages: Beijing's last_seq (game view, page data, events), its event seqs and types,
    its live frames and its catch-up are identical, numbered 1, 2, 3, ... without gaps."""
    quiet = await play(busy=False)
    busy = await play(busy=True)
    assert busy == quiet
    reads, frames, caught = busy
    seqs = [seq for seq, _ in reads["events"]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert reads["view"] == reads["page"] == reads["events_last"] == reads["next_after"] == seqs[-1]
    assert frames == reads["events"][-len(frames) :]
    assert caught == frames  # reconnected from before the turn: exactly what was missed
