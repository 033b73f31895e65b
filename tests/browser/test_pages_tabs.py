"""The player's page on a phone (issue 10, items 10 and 11): tabs for Situation, Moves,
Messages and Results, driven by the keyboard; the header and the pause banner stay on top
on every tab; a message arriving on another tab lights its badge; on a laptop the same page
is plain sections. The dashboard says which way is good for this capital."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROLES, Seats, create_game, screenshot, start_game

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
TABS = ["Situation", "Moves", "Messages", "Results"]


def test_phone_tabs_by_keyboard_badges_and_the_pause_banner(seats: Seats):
    """Seoul on a phone: arrows, Home and End move between the four tabs (one tab stop,
    aria-selected and aria-controls kept right); each tab shows only its sections while the
    game header stays; Beijing's message while Seoul reads Moves puts 1 on Messages;
    a pause shows the banner on every tab; on a laptop there is no tab bar at all."""
    from players.services import seat_join
    from wargame.services.games import game_pause
    from wargame.services.messages import message_post

    game, codes = create_game(bots=["pyongyang", "washington", "moscow"])
    seat_join(code=codes["beijing"], name="Beijing student")  # a seated capital: turns wait
    start_game(game.pk)
    seoul = seats.join("seoul", codes["seoul"], viewport=PHONE)
    page = seoul.page
    tablist = page.get_by_role("tablist", name="Sections of the game")
    expect(tablist).to_be_visible()
    tabs = tablist.get_by_role("tab")
    assert tabs.all_inner_texts() == TABS
    situation = tablist.get_by_role("tab", name="Situation")
    expect(situation).to_have_attribute("aria-selected", "true")
    expect(page.locator("#gauges")).to_be_visible()
    expect(page.locator("#move-form")).to_be_hidden()

    situation.focus()
    page.keyboard.press("ArrowRight")
    moves = tablist.get_by_role("tab", name="Moves")
    expect(moves).to_be_focused()
    expect(moves).to_have_attribute("aria-selected", "true")
    expect(situation).to_have_attribute("aria-selected", "false")
    expect(situation).to_have_attribute("tabindex", "-1")
    panel_ids = moves.get_attribute("aria-controls").split()
    for panel_id in panel_ids:
        expect(page.locator(f"#{panel_id}")).to_be_visible()
    expect(page.locator("#move-form")).to_be_visible()
    expect(page.locator("#gauges")).to_be_hidden()
    expect(page.locator(".game-bar")).to_be_visible()  # the header stays on every tab

    # Beijing writes while Seoul is on Moves: the Messages tab counts it (once the page has
    # drawn itself and caught up, tabs.js watches).
    expect(tablist).to_have_attribute("data-watching", "true")
    message_post(game_id=game.pk, sender="beijing", to="seoul", text="Shall we talk?")
    badge = tablist.get_by_role("tab", name="Messages").locator(".badge-count")
    expect(badge).to_have_text("1")
    screenshot(page, "tabs-moves-with-badge-390", full_page=False)
    page.keyboard.press("ArrowRight")
    expect(tablist.get_by_role("tab", name="Messages")).to_be_focused()
    expect(badge).to_be_hidden()
    expect(page.locator("#message-list")).to_be_visible()
    # No channel to a capital played by a bot.
    channels = page.locator("#channels").get_by_role("tab")
    assert [t.split("\n")[0] for t in channels.all_inner_texts()] == [
        "Everyone",
        "Beijing",
        "Facilitator",
    ]

    page.keyboard.press("End")
    results = tablist.get_by_role("tab", name="Results")
    expect(results).to_be_focused()
    expect(page.locator("#results")).to_be_visible()
    page.keyboard.press("ArrowRight")  # wraps round
    expect(situation).to_be_focused()
    page.keyboard.press("Home")
    expect(situation).to_have_attribute("aria-selected", "true")

    game_pause(game_id=game.pk)
    banner = page.locator("#pause-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("The game is paused")
    for name in TABS:
        tablist.get_by_role("tab", name=name).click()
        expect(banner).to_be_visible()
    screenshot(page, "tabs-paused-390", full_page=False)

    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("tablist", name="Sections of the game")).to_have_count(0)
    for selector in ("#gauges", "#move-form", "#message-list", "#results", "#pause-banner"):
        expect(page.locator(selector)).to_be_visible()
    seats.assert_no_errors()


def test_gauges_say_which_way_is_good_for_the_viewing_role(seats: Seats):
    """After a turn, Seoul's tension gauge says lower is better and colours a rise as bad;
    a gauge that is none of Seoul's objectives is neutral; "No earlier turns yet" was said
    once before the first turn, not under every gauge."""
    from players.services import seat_join
    from tests.browser.test_review import wait_for
    from wargame.models import Game
    from wargame.services.games import game_force_resolve

    game, codes = create_game(bots=[r for r in ROLES if r != "seoul"])
    seat_join(code=codes["seoul"], name="Seoul student")  # a seated capital: turns wait
    start_game(game.pk)
    page = seats.join("seoul", codes["seoul"], viewport=LAPTOP).page
    expect(page.locator("#gauges .lt-gauge-note")).to_have_count(1)
    expect(page.locator("#gauges")).to_contain_text("No earlier turns yet")
    game_force_resolve(game_id=game.pk, turn_number=1)
    wait_for(lambda: Game.objects.get(pk=game.pk).current_turn == 1)
    page.reload()
    expect(page.locator("#gauges .lt-gauge-note")).to_have_count(0)
    state = Game.objects.get(pk=game.pk)
    tension = page.locator(".lt-gauge", has_text="Military tension on the peninsula")
    expect(tension).to_contain_text("Lower is better for you")
    before = game.start_state["tension"]
    now = state.state["tension"]
    if now != before:  # the dice decide the direction; its colour must follow the meaning
        sense = "lt-bad" if now > before else "lt-good"
        expect(tension.locator(".lt-delta")).to_have_class(f"lt-delta {sense}")
    other = page.locator(".lt-gauge", has_text="DPRK economic health")
    expect(other).not_to_contain_text("better for you")
    expect(other).to_have_class("lt-gauge lt-neutral")
    screenshot(page, "gauges-meaning-1366")
    seats.assert_no_errors()
