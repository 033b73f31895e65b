"""The turn report in Chromium, on the full stack: "results are in" at the top of every
seat's page within a second of the turn's result reaching it, headline and own results
first; the odds while choosing; labels, never codes; the news after a reload; the end.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROLES, Seats, create_game, screenshot, start_game, wait_online
from tests.browser.test_live_play import show_tab, submit_move
from wargame.engine.loader import load_scenario
from wargame.services.injects import inject_apply

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# In-page timing: when the turn's results are first drawn (the turn.resolved frame has
# been applied) and when the report becomes visible; both on the page's own clock.
WATCH = """() => {
  window.__lt = {};
  const results = document.getElementById("results");
  new MutationObserver(() => {
    const drawn = /Turn 1:/.test(results.textContent);
    if (!window.__lt.resolved && drawn) window.__lt.resolved = performance.now();
  }).observe(results, { childList: true, subtree: true, characterData: true });
  const report = document.getElementById("turn-report");
  new MutationObserver(() => {
    const shown = !report.hidden && /turn 1/.test(report.textContent);
    if (!window.__lt.report && shown) window.__lt.report = performance.now();
  }).observe(report, { attributes: true, childList: true, subtree: true });
}"""


def codes_of_the_scenario() -> set[str]:
    scenario = load_scenario()
    codes = {a.code for a in scenario.actions.values() if "_" in a.code}
    codes |= {p for p in scenario.known_vars() if "_" in p and not p.startswith("relations.")}
    codes |= {p.removeprefix("memory.") for p in scenario.known_vars() if p.startswith("memory.")}
    return codes | {"no_effect", "%%"}


def assert_no_codes(page: Page) -> None:
    text = page.locator("main").inner_text()
    leaked = sorted(c for c in codes_of_the_scenario() if re.search(rf"\b{re.escape(c)}\b", text))
    assert not leaked, leaked


def test_every_seat_gets_its_turn_report_at_the_top_within_a_second(seats: Seats):
    """Seoul seeks a summit with Beijing, Beijing courts Seoul, Pyongyang tests a nuclear
    device, Washington and Moscow hold, an incident at the DMZ is injected; the
    facilitator resolves. Every page (five
    capitals at laptop and phone sizes, the observer, the console) shows the report
    under the header within a second of drawing the result: the headline first, then
    the seat's own move with its reason and the dice, then the others'; changes good or
    bad for the role; no code anywhere on the page; dismissed, it stays in the history."""
    game, codes = create_game(title="Results are in")
    start_game(game.pk)
    viewports = {"seoul": PHONE, "beijing": LAPTOP, "pyongyang": PHONE}
    joined = {}
    for role in ROLES:
        joined[role] = seats.join(role, codes[role], viewport=viewports.get(role, LAPTOP))
    joined |= seats.join_all({r: codes[r] for r in ("observer", "facilitator")})
    pages = {role: seat.page for role, seat in joined.items()}
    for page in pages.values():
        wait_online(page)
        assert_no_codes(page)
        expect(page.locator("#report-history")).to_be_hidden()  # no report yet

    # While choosing: what the summit needs, its chance now and what changes it.
    seoul = pages["seoul"]
    show_tab(seoul, "Moves")  # a phone: the move form is on its own tab
    seoul.get_by_label("Action", exact=True).select_option("hold_summit_beijing")
    odds = seoul.locator("#odds")
    expect(odds).to_contain_text("Needs, in the same month: Beijing: Court Seoul")
    expect(odds).to_contain_text(re.compile(r"Chance now: \d+%"))
    expect(odds).not_to_contain_text("%%")
    screenshot(seoul, "report-odds-390x844", full_page=False)

    submit_move(seoul, "hold_summit_beijing", "beijing", "Meet Xi before APEC")
    submit_move(pages["beijing"], "court_seoul", "seoul", "Warm words")
    submit_move(pages["pyongyang"], "nuclear_test", None, "A reminder")
    inject_apply(game_id=game.pk, inject_id="border_incident")  # a headline for everyone
    expect(seoul.locator("#news")).to_contain_text("Event: Incident at the DMZ")
    for page in pages.values():
        page.evaluate(WATCH)
    pages["facilitator"].get_by_role("button", name="Resolve now").click()

    for role, page in pages.items():
        report = page.locator("#turn-report")
        expect(report).to_be_visible()
        expect(report).to_contain_text("Results are in: March 2025 (turn 1)")
        timing = page.evaluate("() => window.__lt")
        assert timing.get("resolved") and timing.get("report"), (role, timing)
        assert timing["report"] - timing["resolved"] < 1000, (role, timing)
        # At the top: directly under the game's header, above everything else.
        header = page.locator(".game-bar").bounding_box()
        box = report.bounding_box()
        assert box["y"] >= header["y"] + header["height"] - 1, role
        assert box["y"] < header["y"] + header["height"] + 200, (role, box, header)
        headings = report.locator("h3").all_inner_texts()
        assert headings[0] == "Headlines", (role, headings)
        if role in ROLES:
            assert headings[1] == "Your moves", (role, headings)
            assert headings[2] == "The other capitals", (role, headings)
            assert headings[3] == "What changed, for you", (role, headings)
        assert_no_codes(page)

    seoul_report = seoul.locator("#turn-report")
    mine = seoul_report.locator(".report-moves").first
    expect(mine).to_contain_text("Seek a summit with Beijing")
    expect(mine.locator(".dice")).to_have_text(re.compile(r"^rolled \d+ against a \d+% chance$"))
    expect(mine.locator(".reason")).not_to_be_empty()
    expect(seoul_report.locator(".report-changes")).to_contain_text(
        re.compile("good for you|bad for you")
    )
    expect(pages["washington"].locator("#turn-report")).to_contain_text("You made no move")
    for page in (seoul, pages["beijing"]):
        page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(seoul, "report-seoul-390x844", full_page=False)
    screenshot(pages["beijing"], "report-beijing-1366x768", full_page=False)

    expect(pages["seoul"].locator("#report-history")).to_be_visible()
    # Dismissed, it stays reachable from the list of turn reports, also after a reload.
    beijing = pages["beijing"]
    beijing.get_by_role("button", name="Dismiss").click()
    expect(beijing.locator("#turn-report")).to_be_hidden()
    beijing.reload()
    wait_online(beijing)
    expect(beijing.locator("#turn-report")).to_be_hidden()
    beijing.get_by_label("Turn reports").select_option("1")
    expect(beijing.locator("#turn-report")).to_be_visible()
    expect(beijing.locator("#news")).to_contain_text("Results of March 2025 are in")

    # The end: final standings, ranked, with the links; the move form is disabled.
    console = pages["facilitator"]
    console.get_by_role("button", name="End game").click()
    for role in ("seoul", "observer", "facilitator"):
        over = pages[role].locator("#game-over")
        expect(over).to_be_visible()
        expect(over).to_contain_text("Game over: the final standings")
        expect(over.locator(".standings tbody tr")).to_have_count(5)
        expect(over.get_by_role("link", name="Step through the replay")).to_be_visible()
    expect(seoul.get_by_role("button", name="Submit move")).to_be_disabled()
    for part in ("#game-over", "#turn-report", "#news"):  # nothing of these is cut off
        width = seoul.evaluate(
            "(sel) => { const n = document.querySelector(sel);"
            " return n.hidden ? 0 : n.scrollWidth - n.clientWidth; }",
            part,
        )
        assert width <= 0, (part, width)
    screenshot(seoul, "report-game-over-390x844")
    seats.assert_no_errors()
