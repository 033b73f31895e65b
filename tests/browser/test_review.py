"""Replay, fork and debrief in Chromium: a facilitator steps through a finished game,
switches to one capital's view, forks from turn 2 and plays the fork a turn, then opens
the debrief and saves it as a PDF."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, ROLES, Seats, create_game, screenshot, start_game

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


def finished_game():
    """Three turns: Seoul and Beijing moved by hand (with rationales) and talked, the
    white cell wrote to Pyongyang alone, bots played the rest; resolved by the worker."""
    from players.services import seat_join
    from wargame.models import Game
    from wargame.services.games import game_force_resolve
    from wargame.services.messages import message_post
    from wargame.services.moves import move_submit

    game, codes = create_game(bots=["pyongyang", "washington", "moscow"], title="Replay me")
    for role in ("seoul", "beijing"):
        seat_join(code=codes[role], name=f"{role.title()} student")
    start_game(game.pk)
    for number in (1, 2, 3):
        wait_for(lambda n=number: Game.objects.get(pk=game.pk).current_turn == n - 1)
        move_submit(
            game_id=game.pk,
            role="seoul",
            action="stabilise_leadership",
            target=None,
            rationale=f"Seoul's reason {number}",
        )
        move_submit(
            game_id=game.pk,
            role="beijing",
            action="court_seoul",
            target="seoul",
            rationale=f"Beijing's reason {number}",
        )
        message_post(game_id=game.pk, sender="seoul", to="beijing", text=f"S to B, turn {number}")
        message_post(
            game_id=game.pk, sender="facilitator", to="pyongyang", text=f"To P only, turn {number}"
        )
        message_post(game_id=game.pk, sender="beijing", to="all", text=f"B to all, turn {number}")
        game_force_resolve(game_id=game.pk, turn_number=number)
    wait_for(lambda: Game.objects.get(pk=game.pk).status == Game.Status.FINISHED)
    return game, codes


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.1)


def visible_step(page: Page):
    return page.locator("section.step:visible")


def test_step_view_as_fork_and_debrief(seats: Seats):
    from players.models import Seat
    from wargame import realtime, selectors
    from wargame.models import Game

    game, codes = finished_game()
    umpire = seats.join("facilitator", codes["facilitator"])
    page = umpire.page
    page.goto(f"/games/{game.pk}/replay/")
    expect(page.locator("#verification")).to_contain_text(
        "Verified: re-adjudicating the log gives exactly the recorded results of all 3 turns"
    )

    # Stepping: one step at a time, by button, keyboard and slider.
    expect(visible_step(page)).to_have_count(1)
    expect(visible_step(page)).to_have_attribute("id", "turn-3")
    page.get_by_role("button", name="Previous").click()
    expect(visible_step(page)).to_have_attribute("id", "turn-2")
    page.keyboard.press("ArrowLeft")
    expect(visible_step(page)).to_have_attribute("id", "turn-1")
    expect(visible_step(page)).to_contain_text("Seoul's reason 1")
    page.keyboard.press("Home")
    expect(visible_step(page)).to_have_attribute("id", "turn-0")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    page.keyboard.press("End")
    expect(visible_step(page)).to_have_attribute("id", "turn-3")
    page.locator("#slider").fill("2")
    expect(visible_step(page)).to_have_attribute("id", "turn-2")
    expect(page.locator("#step-label")).to_contain_text("3 / 4")
    screenshot(page, "replay-truth")

    # As Pyongyang saw it: exactly the messages its seat's socket carried, no rationale
    # but its own (bots write one), next to the truth.
    page.get_by_label("View as").select_option("pyongyang")
    page.wait_for_url(f"**/games/{game.pk}/replay/?as=pyongyang&turn=2")
    step = visible_step(page)
    expect(step).to_have_attribute("id", "turn-2")
    seen = step.locator('[data-perspective="seat"]')
    expect(seen.get_by_role("heading", name="As Pyongyang saw it")).to_be_visible()
    seat = Seat.objects.get(game=game, role="pyongyang")
    events, _ = selectors.events_for_seat(game, seat, after=0)
    heard = [  # in the order the socket carried them
        e["data"]["text"] for e in events if e["type"] == realtime.MESSAGE_POSTED and e["turn"] == 2
    ]
    assert heard == ["To P only, turn 2", "B to all, turn 2"]
    expect(seen.locator(".replay-messages .text")).to_have_text(heard)
    expect(seen).not_to_contain_text("S to B, turn 2")
    expect(seen).not_to_contain_text("Seoul's reason 2")
    expect(seen).not_to_contain_text("Beijing's reason 2")
    truth = step.locator('[data-perspective="truth"]')
    expect(truth).to_contain_text("S to B, turn 2")
    expect(truth).to_contain_text("Seoul's reason 2")
    screenshot(page, "replay-as-pyongyang")

    # Fork from turn 2 with bots in every seat, and play the fork's turn.
    child = fork_with_bots(page, step, game.pk, "Class B fork")
    expect(page.locator("body")).to_contain_text(f"forked from game {game.pk} after turn 2")
    assert (child.parent_turn, child.title, child.state) == (2, "Class B fork", child.start_state)
    page.get_by_role("button", name="Start").click()
    wait_for(lambda: Game.objects.get(pk=child.pk).status == Game.Status.FINISHED)
    page.goto(f"/games/{child.pk}/replay/")
    expect(page.locator("#verification")).to_contain_text("Verified")
    expect(page.locator("section.step")).to_have_count(2)  # the fork point and turn 3

    # The debrief of the parent, printed to PDF by the browser and downloaded from the server.
    page.goto(f"/games/{game.pk}/debrief/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Replay me")
    pdf_path = ARTIFACTS / f"debrief-{game.pk}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf_path), format="A4")
    assert pdf_path.read_bytes()[:4] == b"%PDF"
    download = page.request.get(f"/games/{game.pk}/debrief.pdf")
    assert download.status == 200 and download.body()[:4] == b"%PDF"
    seats.assert_no_errors()


def fork_with_bots(page: Page, step, parent_id: int, title: str):
    """Fork from the shown step with a bot in every capital; lands on the new console."""
    form = step.locator("form.fork")
    form.get_by_label("Title").fill(title)
    for role in ROLES:
        form.get_by_label(role.title(), exact=True).check()
    form.get_by_role("button", name="Fork from here").click()
    child = wait_child(parent_id)
    page.wait_for_url(f"**/games/{child.pk}/")
    return child


def wait_child(parent_id: int):
    from wargame.models import Game

    wait_for(lambda: Game.objects.filter(parent_id=parent_id).exists())
    return Game.objects.get(parent_id=parent_id)


def test_teacher_imports_a_log_views_it_as_pyongyang_forks_it_and_prints_both(seats: Seats):
    """The issue's "done means": a teacher imports last week's log, steps through it as
    Pyongyang saw it, forks it for today's class, and prints the debrief of both branches."""
    import json

    from django.contrib.auth.models import User

    from wargame import selectors
    from wargame.models import Game

    last_week, _codes = finished_game()
    log = selectors.game_log(Game.objects.get(pk=last_week.pk))
    path = ARTIFACTS / f"last-week-{last_week.pk}.json"
    path.write_text(json.dumps(log))
    User.objects.create_user("teacher", password="class-of-2026", is_staff=True)

    teacher = seats.open("teacher", "")
    page = teacher.new_page()
    page.goto("/accounts/login/?next=/facilitate/")
    page.get_by_label("User name").fill("teacher")
    page.get_by_label("Password").fill("class-of-2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import a game log").click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/replay/")
    imported = Game.objects.exclude(pk=last_week.pk).get(read_only=True)
    expect(page.locator("#verification")).to_contain_text("Verified")

    page.get_by_label("View as").select_option("pyongyang")
    page.wait_for_url(f"**/games/{imported.pk}/replay/?as=pyongyang*")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    step = visible_step(page)
    expect(step).to_have_attribute("id", "turn-1")
    seen = step.locator('[data-perspective="seat"]')
    expect(seen).to_contain_text("To P only, turn 1")
    expect(seen).not_to_contain_text("S to B, turn 1")

    today = fork_with_bots(page, step, imported.pk, "Today's class")
    page.get_by_role("button", name="Start").click()
    wait_for(lambda: Game.objects.get(pk=today.pk).status == Game.Status.FINISHED)

    page.goto(f"/games/{imported.pk}/compare/{today.pk}/")
    expect(page.locator("#divergence")).to_contain_text("They share their history up to turn 1.")
    for game in (imported, today):
        page.goto(f"/games/{game.pk}/debrief/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(game.title)
        pdf = page.request.get(f"/games/{game.pk}/debrief.pdf")
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    screenshot(page, "debrief-of-a-fork")
    seats.assert_no_errors()
