"""The analyst's lab in a browser: fork last week's game at a turn, run continuations on
the real worker, watch the bar move over the WebSocket, read the results on one page."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROLES, Seats, create_game, screenshot, start_game

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def test_an_analyst_runs_continuations_of_a_game_and_reads_the_results(seats: Seats):
    from django.contrib.auth.models import User

    from wargame.models import Game, Simulation

    game, _codes = create_game(turns=4, seed=31, bots=ROLES)
    start_game(game.pk)
    deadline = time.monotonic() + 120  # the bots' turns resolve on the worker
    while Game.objects.get(pk=game.pk).status != "finished":
        assert time.monotonic() < deadline, "the bot game never finished"
        time.sleep(0.2)
    User.objects.create_user("analyst", password="monte-carlo-2026", is_staff=True)

    analyst = seats.open("analyst", "", viewport=LAPTOP)
    page = analyst.new_page()
    page.goto("/accounts/login/?next=/lab/")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("monte-carlo-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/lab/")
    page.get_by_label("Start from game").fill(str(game.pk))
    page.get_by_label("after its turn").fill("2")
    page.get_by_label("Runs").fill("300")
    page.get_by_label("Seoul plays").select_option("doctrine")
    page.get_by_role("button", name="Run the simulation").click()
    page.wait_for_url("**/lab/*/")
    job = Simulation.objects.get()
    expect(page.locator("#lab-progress")).to_be_visible()
    expect(page.get_by_role("heading", name="How likely each event is")).to_be_visible(
        timeout=240_000
    )
    expect(page.get_by_role("cell", name="Xi at APEC in Gyeongju")).to_be_visible()
    # The real game in the endings (the one it had) and beside each final value.
    expect(page.get_by_role("columnheader", name="The real game")).to_have_count(2)
    expect(page.get_by_role("cell", name="ended here")).to_have_count(4)  # per enumeration
    expect(page.get_by_role("link", name="Parquet")).to_be_visible()
    expect(page.locator("#lab-done")).to_have_text("300")

    progress = [json.loads(f)["data"] for f in analyst.frames if '"simulation.progress"' in f]
    assert progress, "no progress message reached the page"
    chunks = [p["chunks_done"] for p in progress]
    assert chunks == sorted(chunks) and progress[-1]["status"] == "done"
    assert Simulation.objects.get(pk=job.pk).runs_done == 300

    screenshot(page, "lab-job-1366")
    page.set_viewport_size(PHONE)
    screenshot(page, "lab-job-390")
    page.goto("/lab/")
    screenshot(page, "lab-index-390")
    seats.assert_no_errors()
