"""Charts on a phone and a laptop: the player's live dashboard, the debrief and the branch
comparison fit a 390 px screen (no chart wider than the page), and the dashboard is drawn
from the page's data (every capital, every indicator, the worded situations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROLES, Seats, create_game, screenshot, start_game
from tests.browser.test_review import finished_game, fork_with_bots, visible_step, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def assert_fits(page: Page, what: str) -> None:
    """Neither the page nor any chart on it is wider than the screen."""
    width = page.viewport_size["width"]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the {what} is {overflow}px wider than a {width}px screen"
    rights = page.evaluate(
        "[...document.querySelectorAll('svg.lt-chart, svg.lt-net, .lt-gauges')]"
        ".map((e) => Math.ceil(e.getBoundingClientRect().right))"
    )
    assert rights, f"no chart found on the {what}"
    assert max(rights) <= width, f"a chart on the {what} reaches {max(rights)}px of {width}px"


def test_the_players_dashboard_is_drawn_from_page_data_and_fits_a_phone(seats: Seats):
    """Seoul on a phone: the network names all five capitals, one gauge per scalar of the
    scenario with its label, the worded situations with theirs; nothing overflows."""
    from wargame.engine.loader import load_scenario

    scenario = load_scenario()
    from players.services import seat_join

    game, codes = create_game(bots=[r for r in ROLES if r != "seoul"])
    # Seated before the start: with only bots seated the game would play itself to the end
    # while the page loads, and the page's state would race the database's.
    seat_join(code=codes["seoul"], name="Seoul student")
    start_game(game.pk)
    page = seats.join("seoul", codes["seoul"], viewport=PHONE).page
    for role in scenario.roles:
        expect(page.locator("#network .lt-node-label", has_text=role["name"])).to_have_count(1)
    labels = page.locator("#gauges .lt-gauge-label")
    expect(labels).to_have_count(len(scenario.variables["scalars"]))
    assert labels.all_inner_texts() == [v["label"] for v in scenario.variables["scalars"].values()]
    enums = page.locator("#enums dt")
    expected = [*scenario.variables["enums"].values(), *scenario.variables["lists"].values()]
    assert enums.all_inner_texts() == [v["label"] for v in expected]
    desc = page.locator("#network desc").text_content()
    assert desc.startswith("Relations among the capitals, friendliest first:")
    alliance = type(game).objects.get(pk=game.pk).state["relations"]["seoul-washington"]
    assert f"Seoul–Washington: {alliance:+d}".replace("-", "−") in desc
    page.locator("#network").scroll_into_view_if_needed()
    screenshot(page, "charts-player-390", full_page=True)
    assert_fits(page, "player page")
    seats.assert_no_errors()


def test_debrief_and_compare_charts_fit_a_phone_and_a_laptop(seats: Seats):
    """The debrief of a finished game and its comparison with a fork, at 390 and 1366 px:
    every chart scales to the screen, and the PDF still carries the charts."""

    game, codes = finished_game()
    umpire = seats.join("facilitator", codes["facilitator"], viewport=LAPTOP)
    page = umpire.page
    page.goto(f"/games/{game.pk}/replay/")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(visible_step(page)).to_have_attribute("id", "turn-2")
    child = fork_with_bots(page, visible_step(page), game.pk, "Fork for the charts")
    start_game(child.pk)  # its bots lock at once: the last lock asks for the resolution
    wait_for(lambda: type(child).objects.get(pk=child.pk).current_turn == 3)

    for size, name in ((LAPTOP, "1366"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.goto(f"/games/{game.pk}/debrief/")
        expect(page.locator("svg.lt-chart")).to_have_count(6)
        screenshot(page, f"charts-debrief-{name}")
        assert_fits(page, "debrief")
        page.goto(f"/games/{game.pk}/compare/{child.pk}/")
        expect(page.locator(".lt-chart-grid svg.lt-chart").first).to_be_visible()
        screenshot(page, f"charts-compare-{name}")
        assert_fits(page, "comparison")

    pdf = page.request.get(f"/games/{game.pk}/debrief.pdf")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    from tests.browser.conftest import ARTIFACTS

    (ARTIFACTS / f"charts-debrief-{game.pk}.pdf").write_bytes(pdf.body())
    seats.assert_no_errors()
