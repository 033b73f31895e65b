"""The three-capital rehearsal in a phone-sized browser, and the scenario pages at phone
and laptop widths: real Chromium against uvicorn + a celery worker."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.conftest import Seats, create_game, screenshot, start_game
from wargame.engine.loader import load_document

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SLUG = "gyeongju-rehearsal"
RATIONALE = "Rationale (read by the umpire, kept in the log)"


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 or less: no sideways scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def move(page: Page, action: str, target: str | None, rationale: str) -> None:
    moves_tab = page.get_by_role("tab", name="Moves")  # a phone shows one tab at a time
    if moves_tab.count():
        moves_tab.click()
    page.get_by_label("Action", exact=True).select_option(action)
    if target:
        page.get_by_label("Target", exact=True).select_option(target)
    page.get_by_label(RATIONALE).fill(rationale)
    page.get_by_role("button", name="Submit move").click()
    expect(page.locator("#my-moves")).to_contain_text(rationale)


def test_one_turn_of_the_rehearsal_on_a_phone(seats: Seats):
    """Seoul and Beijing at 390x844, Pyongyang a bot: both move and lock, the turn
    resolves, each sees July's results with its own three capitals and no sideways scroll."""
    game, codes = create_game(scenario_slug=SLUG, scenario_version=1, turns=4, bots=["pyongyang"])
    joined = seats.join_all({r: codes[r] for r in ("seoul", "beijing")}, viewport=PHONE)
    seoul, beijing = joined["seoul"].page, joined["beijing"].page
    start_game(game.pk)  # after the people took their seats: the bot alone would play on
    expect(seoul.locator("#turn-label")).to_have_text("July 2025 (1 / 4)")
    expect(seoul.get_by_role("heading", name="Briefing: Seoul")).to_be_visible()
    options = seoul.get_by_label("Action", exact=True).locator("option").all_inner_texts()
    assert "Invite Xi to Gyeongju" in options
    move(seoul, "invite_xi", "beijing", "Xi should see Gyeongju")
    move(beijing, "accept_invitation", "seoul", "A good visit to Seoul")
    for page in (seoul, beijing):
        page.get_by_role("button", name="Lock my moves for this turn").click()
    for page in (seoul, beijing):
        expect(page.locator("#results")).to_contain_text("Turn 1: July 2025", timeout=30_000)
        expect(page.locator("#results")).to_contain_text("Xi will come to Gyeongju")
        expect(page.locator("#turn-label")).to_have_text("August 2025 (2 / 4)")
        text = ""
        for tab in ("Situation", "Moves", "Messages", "Results"):  # every tab's text
            page.get_by_role("tab", name=tab).click()
            text += page.locator("body").inner_text()
        assert "Washington" not in text and "Moscow" not in text
        assert overflow(page) <= 0, f"{overflow(page)}px wider than a 390px phone"
    screenshot(seoul, "gyeongju-player-390x844", full_page=False)
    screenshot(seoul, "gyeongju-player-390x844-full")
    seats.assert_no_errors()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_the_scenario_pages_fit_phone_and_laptop(seats: Seats, viewport, tmp_path):
    """Log in, open the list, check an upload (v2 of the rehearsal), install it, compare
    it with v1: every page fits the width and shows labels."""
    get_user_model().objects.create_user("author", password="write-rules", is_staff=True)
    document = dict(load_document(SLUG, 1)[0], version=2, title="Gyeongju, second draft")
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(document))
    author = seats.open("author", "", viewport=viewport)
    page = author.new_page()
    page.goto("/accounts/login/?next=/facilitate/")
    page.get_by_label("User name").fill("author")
    page.get_by_label("Password").fill("write-rules")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Scenarios: upload, read and compare versions").click()
    expect(page.get_by_role("heading", name="Scenarios on this server")).to_be_visible()
    width = viewport["width"]
    shots = [("list", page)]
    assert overflow(page) <= 0
    screenshot(page, f"scenarios-list-{width}")
    page.get_by_label("Scenario file (JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Check the scenario").click()
    expect(page.get_by_role("heading", name="Gyeongju, second draft")).to_be_visible()
    expect(page.get_by_text("The document is valid")).to_be_visible()
    assert overflow(page) <= 0
    screenshot(page, f"scenarios-preview-{width}")
    page.get_by_role("button", name="Install this scenario").click()
    expect(page.get_by_text("Installed Gyeongju, second draft, version 2")).to_be_visible()
    page.get_by_role("link", name="Changes since version 1").click()
    expect(page.locator("main")).to_contain_text("Setting: title")
    shots.append(("compare", page))
    assert overflow(page) <= 0
    screenshot(page, f"scenarios-compare-{width}")
    seats.assert_no_errors()
