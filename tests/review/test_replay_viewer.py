"""The replay viewer: every turn, one seat's view next to the truth, verification, fork,
and branch comparison, as a reviewer's browser gets them (Django's test client)."""

import html as html_lib
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from players.models import Seat
from players.selectors import SESSION_KEY
from players.services import seat_join
from wargame import realtime, selectors
from wargame.models import Game, TurnResult
from wargame.services.games import game_create, game_force_resolve, game_start
from wargame.services.injects import inject_apply
from wargame.services.logs import game_fork
from wargame.services.messages import message_post
from wargame.services.moves import move_submit

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_SEOUL = "Seoul's own reasoning: keep Beijing guessing"
SECRET_BEIJING = "Beijing's private reasoning: court Seoul quietly"
PRIVATE_SB = "Seoul to Beijing only: meet in Gyeongju?"
PRIVATE_FP = "White cell to Pyongyang only: your envoy is delayed"
PUBLIC = "Beijing to everyone: we seek calm"
HIDDEN_INJECT = "Workers sent home"


def played_game(turns=2):
    """Seoul and Beijing played by people, the rest by bots; two turns with private and
    public messages and an inject shown to Pyongyang only; finished."""
    game, codes = game_create(seed=11, turns=turns, bots=["pyongyang", "washington", "moscow"])
    seats = {r: seat_join(code=codes[r], name=f"{r.title()} player") for r in ("seoul", "beijing")}
    seats["observer"] = seat_join(code=codes["observer"], name="Watcher")
    game_start(game_id=game.pk)
    for number in range(1, turns + 1):
        move_submit(
            game_id=game.pk,
            role="seoul",
            action="stabilise_leadership",
            target=None,
            rationale=f"{SECRET_SEOUL} {number}",
        )
        move_submit(
            game_id=game.pk,
            role="beijing",
            action="court_seoul",
            target="seoul",
            rationale=f"{SECRET_BEIJING} {number}",
        )
        message_post(game_id=game.pk, sender="seoul", to="beijing", text=f"{PRIVATE_SB} {number}")
        message_post(
            game_id=game.pk, sender="facilitator", to="pyongyang", text=f"{PRIVATE_FP} {number}"
        )
        message_post(game_id=game.pk, sender="beijing", to="all", text=f"{PUBLIC} {number}")
        if number == 1:
            inject_apply(
                game_id=game.pk,
                label=HIDDEN_INJECT,
                description="Quietly, in the north.",
                effects=[{"var": "dprk_economy", "add": -3}],
                audience=["pyongyang"],
            )
        game_force_resolve(game_id=game.pk, turn_number=number)
    game = Game.objects.get(pk=game.pk)
    assert game.status == Game.Status.FINISHED
    return game, codes, seats


def sit(client, participant):
    session = client.session
    session[SESSION_KEY] = {str(participant.seat.game_id): participant.pk}
    session.save()


def staff(client):
    user = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(user)
    return user


def step_html(html: str, number: int) -> str:
    match = re.search(rf'<section class="step card" id="turn-{number}".*?</section>', html, re.S)
    assert match, f"no step for turn {number}"
    return html_lib.unescape(match.group(0))


def column(step: str, which: str) -> str:
    match = re.search(
        rf'data-perspective="{which}">(.*?)</div>\s*(?:<div class="perspective|</div>)', step, re.S
    )
    assert match, f"no {which} column"
    return match.group(1)


def test_every_turn_is_shown_with_moves_reasons_messages_and_a_verified_badge(client):
    game, _codes, _seats = played_game()
    staff(client)
    html = client.get(f"/games/{game.pk}/replay/").content.decode()
    assert (
        "Verified: re-adjudicating the log gives exactly the recorded results of all 2 turns"
        in html
    )
    for number in (1, 2):
        step = step_html(html, number)
        assert "✓ matches" in step
        assert f"{SECRET_SEOUL} {number}" in step and f"{SECRET_BEIJING} {number}" in step
        assert f"{PRIVATE_SB} {number}" in step and f"{PRIVATE_FP} {number}" in step
        result = TurnResult.objects.get(turn__game=game, turn__number=number)
        for outcome in result.outcomes:
            assert outcome["reason"] in step
    assert HIDDEN_INJECT in step_html(html, 1)
    assert step_html(html, 0).count("<tr") > 17  # the start: every variable and relation


@pytest.mark.parametrize("role", ["seoul", "beijing", "pyongyang", "washington", "moscow"])
def test_a_roles_view_shows_exactly_what_its_seat_received(client, role):
    """The seat column holds the messages, injects and rationales the seat's own socket
    carried during the game (the event log filtered for it), and nothing more."""
    game, _codes, _seats = played_game()
    staff(client)
    html = client.get(f"/games/{game.pk}/replay/?as={role}").content.decode()
    seat = Seat.objects.get(game=game, role=role)
    events, _next = selectors.events_for_seat(game, seat, after=0)
    heard_messages = {e["data"]["text"] for e in events if e["type"] == realtime.MESSAGE_POSTED}
    heard_injects = {e["data"]["label"] for e in events if e["type"] == realtime.INJECT_APPLIED}
    heard_moves = {
        e["data"]["move"]["rationale"] for e in events if e["type"] == realtime.MOVE_RECORDED
    }
    everything = {m.text for m in game.messages.all()} | {HIDDEN_INJECT}
    everything |= {f"{SECRET_SEOUL} {n}" for n in (1, 2)} | {
        f"{SECRET_BEIJING} {n}" for n in (1, 2)
    }
    seen_text = ""
    for number in (1, 2):
        step = step_html(html, number)
        assert f"As {role.title()}" in step
        seen_text += column(step, "seat")
    shown = {text for text in everything if text in seen_text}
    assert shown == (heard_messages | heard_injects | heard_moves) & everything
    assert "not shown to this seat" in seen_text or role not in ("seoul", "beijing")


def test_the_truth_column_stands_next_to_the_seat_view(client):
    game, _codes, _seats = played_game()
    staff(client)
    step = step_html(client.get(f"/games/{game.pk}/replay/?as=pyongyang").content.decode(), 1)
    seat, truth = column(step, "seat"), column(step, "truth")
    assert f"{PRIVATE_FP} 1" in seat and f"{PRIVATE_SB} 1" not in seat
    assert f"{PRIVATE_SB} 1" in truth and f"{SECRET_SEOUL} 1" in truth
    assert "What was really true" in step


def test_an_observer_view_reads_only_public_channels(client):
    game, _codes, _seats = played_game()
    staff(client)
    step = step_html(client.get(f"/games/{game.pk}/replay/?as=observer").content.decode(), 2)
    seat = column(step, "seat")
    assert f"{PUBLIC} 2" in seat
    assert f"{PRIVATE_SB} 2" not in seat and f"{PRIVATE_FP} 2" not in seat
    assert SECRET_SEOUL not in seat and SECRET_BEIJING not in seat


def test_review_access_follows_the_log_rule(client):
    game, codes, seats = played_game()
    other, other_codes = game_create(seed=2, turns=2)
    game_start(game_id=other.pk)
    stranger = seat_join(code=other_codes["seoul"], name="Eve")
    sit(client, stranger)
    assert client.get(f"/games/{game.pk}/replay/").status_code == 404
    sit(client, seats["seoul"])  # a seat of the finished game
    assert client.get(f"/games/{game.pk}/replay/").status_code == 200
    player_in_running = seat_join(code=other_codes["beijing"], name="Bo")
    sit(client, player_in_running)  # a player of a game still running: not yet, and told so
    closed = client.get(f"/games/{other.pk}/replay/")
    assert closed.status_code == 403
    assert b"open when the game ends" in closed.content
    sit(client, seat_join(code=other_codes["facilitator"], name="Umpire"))
    assert client.get(f"/games/{other.pk}/replay/").status_code == 200


def test_a_tampered_stored_result_is_named(client):
    game, _codes, _seats = played_game()
    result = TurnResult.objects.get(turn__game=game, turn__number=2)
    result.state = {**result.state, "tension": result.state["tension"] + 9}
    result.save()
    staff(client)
    html = client.get(f"/games/{game.pk}/replay/").content.decode()
    assert "Not verified: turn 2 does not match its re-adjudication" in html
    assert "✗ differs from its re-adjudication" in step_html(html, 2)
    assert "✓ matches" in step_html(html, 1)


def test_fork_from_the_viewer_opens_the_new_games_console(client):
    game, _codes, _seats = played_game()
    staff(client)
    html = client.get(f"/games/{game.pk}/replay/").content.decode()
    assert "Fork from here" in step_html(html, 1)
    assert "Fork from here" not in step_html(html, 2)  # the last turn: nothing left to play
    response = client.post(
        f"/games/{game.pk}/fork/", {"turn": 1, "title": "Class B", "bots": ["moscow"]}
    )
    child = Game.objects.get(title="Class B")
    assert response.status_code == 302 and response["Location"] == f"/games/{child.pk}/"
    assert (child.parent_id, child.parent_turn) == (game.pk, 1)
    parent_after_1 = TurnResult.objects.get(turn__game=game, turn__number=1).state
    assert child.state == parent_after_1
    assert Seat.objects.get(game=child, role="moscow").kind == Seat.Kind.BOT
    console = client.get(f"/games/{child.pk}/").content.decode()
    assert "forked from game" in console
    for seat in Seat.objects.filter(game=child).exclude(kind=Seat.Kind.BOT):
        assert seat.code in console  # the new seats' codes, to hand out
    assert child.start_state["turn"] == 1 and child.status == Game.Status.LOBBY


def test_a_player_cannot_fork_and_a_bad_turn_is_refused(client):
    game, _codes, seats = played_game()
    sit(client, seats["seoul"])
    assert client.post(f"/games/{game.pk}/fork/", {"turn": 1}).status_code == 404
    staff(client)
    before = Game.objects.count()
    response = client.post(f"/games/{game.pk}/fork/", {"turn": 2}, follow=True)
    assert "last turn" in response.content.decode()
    assert Game.objects.count() == before


def test_compare_two_forks_names_where_they_diverge(client):
    game, _codes, _seats = played_game(turns=4)
    a, _ = game_fork(
        game_id=game.pk,
        turn=2,
        seed=1,
        bots=["seoul", "beijing", "pyongyang", "washington", "moscow"],
    )
    b, _ = game_fork(
        game_id=game.pk,
        turn=2,
        seed=2,
        bots=["seoul", "beijing", "pyongyang", "washington", "moscow"],
    )
    for fork in (a, b):
        game_start(game_id=fork.pk)  # all bots: plays turns 3 and 4 to the end
        assert Game.objects.get(pk=fork.pk).status == Game.Status.FINISHED
    staff(client)
    html = client.get(f"/games/{a.pk}/compare/{b.pk}/").content.decode()
    assert "They share their history up to turn 2." in html
    assert "They diverge at turn 3." in html
    assert html.count("<svg") == 17  # a chart per variable and relation, drawn on the server
    assert 'aria-label="Military tension on the peninsula"' in html
    # Each chart is titled above it, a relation by its capitals' names, never its key.
    assert '<figcaption class="chart-title">Beijing–Moscow</figcaption><svg' in html
    assert "beijing-moscow</" not in html
    state_a = TurnResult.objects.get(turn__game=a, turn__number=3).state
    state_b = TurnResult.objects.get(turn__game=b, turn__number=3).state
    diff = state_b["tension"] - state_a["tension"]
    row = re.search(r'id="compare-turn-3".*?</details>', html, re.S).group(0)
    tension = re.search(
        r"Military tension on the peninsula</th><td>(-?\d+)</td><td>(-?\d+)</td>", row
    )
    assert (int(tension.group(1)), int(tension.group(2))) == (
        state_a["tension"],
        state_b["tension"],
    )
    assert (f"{diff:+d}" in row) or diff == 0
    assert client.get(f"/games/{game.pk}/replay/").content.decode().count("Compare with game") == 2


def test_viewer_queries_do_not_grow_with_turns_or_messages(client):
    staff(client)
    counts = []
    for turns, messages in ((1, 0), (10, 1000)):
        game, _ = game_create(
            seed=3, turns=turns, bots=["seoul", "beijing", "pyongyang", "washington", "moscow"]
        )
        game_start(game_id=game.pk)
        from tests.properties.test_query_counts import add_messages

        add_messages(Game.objects.get(pk=game.pk), messages, turns)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/games/{game.pk}/replay/?as=seoul")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_replay_is_linked_from_the_facilitate_list_and_a_finished_games_pages(client):
    game, _codes, seats = played_game()
    fork, _ = game_fork(game_id=game.pk, turn=1, title="Branch B")
    staff(client)
    listing = client.get("/facilitate/").content.decode()
    assert f'href="/games/{game.pk}/replay/"' in listing
    assert f'href="/games/{game.pk}/debrief/"' in listing
    assert f'href="/games/{game.pk}/compare/{fork.pk}/"' in listing
    client.logout()
    sit(client, seats["seoul"])
    page = client.get(f"/games/{game.pk}/").content.decode()
    assert f'href="/games/{game.pk}/replay/"' in page and "Replay the game turn by turn" in page
