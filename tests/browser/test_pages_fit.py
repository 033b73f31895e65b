"""Every page on a phone, a tablet and a laptop (issue 10, items 10-12 and "How it should look").

One stack and three games shared by every page (sized for two cores): a game mid-turn (one
turn resolved, moves and messages in the open one), a finished game and a fork of it. Each
visitor (anonymous, a player, an observer, the facilitator, a staff account, a player of the
finished game) has one browser context; each page is loaded at 390x844, 768x1024 and
1366x768 and must have no horizontal overflow (`scrollWidth <= innerWidth`) and no serious
or critical axe-core violation. Every failure is collected before asserting, so one run
names them all. Screenshots go to artifacts/screenshots/pages-<page>-<width>.png.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROLES, Seats, create_game, screenshot, start_game
from tests.browser.test_review import finished_game, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [
    {"width": 390, "height": 844},
    {"width": 768, "height": 1024},
    {"width": 1366, "height": 768},
]
SERIOUS = {"serious", "critical"}
EXPECTED_STATUS = {"not-found": 404, "replay-closed": 403}
AXE = Axe()


def mid_turn_game():
    """Turn 1 resolved (with a message in each channel), turn 2 open with Seoul's move in."""
    from players.services import seat_join
    from wargame.models import Game
    from wargame.services.games import game_force_resolve
    from wargame.services.messages import message_post
    from wargame.services.moves import move_submit

    game, codes = create_game(bots=["pyongyang", "washington", "moscow"], title="Mid-turn")
    seat_join(code=codes["beijing"], name="Beijing student")
    start_game(game.pk)
    wait_for(lambda: Game.objects.get(pk=game.pk).current_turn == 0)
    move_submit(
        game_id=game.pk, role="seoul", action="stabilise_leadership", target=None, rationale="Calm"
    )
    message_post(game_id=game.pk, sender="beijing", to="seoul", text="Shall we talk?")
    message_post(game_id=game.pk, sender="facilitator", to="all", text="Turn 1 closes soon")
    game_force_resolve(game_id=game.pk, turn_number=1)
    wait_for(lambda: Game.objects.get(pk=game.pk).current_turn == 1)
    move_submit(
        game_id=game.pk, role="seoul", action="hold_summit_beijing", target=None, rationale="Talk"
    )
    return game, codes


def fork_of(game_id: int):
    from wargame.models import Game
    from wargame.services.logs import game_fork

    # Bots in every seat lock at once, and the last lock asks for the resolution.
    child, _codes = game_fork(game_id=game_id, turn=2, title="Fork", bots=ROLES)
    start_game(child.pk)
    wait_for(lambda: Game.objects.get(pk=child.pk).status == Game.Status.FINISHED)
    return child


def problems_on(page: Page, name: str, width: int) -> list[str]:
    """Overflow and serious axe violations of the page as it is now; a screenshot."""
    found = []
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > w + 1)
                .slice(0, 4).map((e) => e.tagName + (e.id ? '#' + e.id : '') +
                  (e.className && e.className.baseVal === undefined ? '.' + e.className : ''))""",
            width,
        )
        found.append(f"{name} @{width}: {overflow}px too wide ({', '.join(wide)})")
    results = AXE.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [str(n["target"]) for n in violation["nodes"][:3]]
            found.append(f"{name} @{width}: axe {violation['id']} on {targets}")
    screenshot(page, f"pages-{name}-{width}")
    return found


def staff_login(seats: Seats) -> Page:
    from django.contrib.auth.models import User

    User.objects.create_user("umpire", password="white-cell-2025", is_staff=True)
    page = seats.open("staff", "").new_page()
    page.goto("/accounts/login/?next=/facilitate/")
    page.get_by_label("User name").fill("umpire")
    page.get_by_label("Password").fill("white-cell-2025")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/facilitate/")
    return page


def test_every_page_fits_every_screen_and_passes_axe(seats: Seats):
    """Anonymous, player, observer, facilitator and staff pages, a game mid-turn and a
    finished one: no sideways scrolling and no serious or critical axe violation."""
    live, codes = mid_turn_game()
    done, done_codes = finished_game()
    fork = fork_of(done.pk)

    anonymous = seats.open("anonymous", "").new_page()
    player = seats.join("seoul", codes["seoul"]).page
    observer = seats.join("observer", codes["observer"]).page
    umpire = seats.join("facilitator", codes["facilitator"]).page
    staff = staff_login(seats)
    veteran = seats.join("beijing", done_codes["beijing"]).page
    pages = [
        ("home", anonymous, "/"),
        ("join", anonymous, "/join/"),
        ("login", anonymous, "/accounts/login/"),
        ("anonymous-game", anonymous, f"/games/{live.pk}/"),
        ("not-found", anonymous, "/no-such-page/"),
        ("player", player, f"/games/{live.pk}/"),
        ("replay-closed", player, f"/games/{live.pk}/replay/"),
        ("observer", observer, f"/games/{live.pk}/"),
        ("console", umpire, f"/games/{live.pk}/"),
        ("facilitate", staff, "/facilitate/"),
        ("import", staff, "/import/"),
        ("scenarios", staff, "/scenarios/"),
        ("scenario", staff, "/scenarios/lips-and-teeth-2025/v2/"),
        ("scenario-changes", staff, "/scenarios/lips-and-teeth-2025/compare/?old=1&new=2"),
        ("replay", staff, f"/games/{done.pk}/replay/"),
        ("debrief", staff, f"/games/{done.pk}/debrief/"),
        ("export", staff, f"/games/{done.pk}/export/"),
        ("compare", staff, f"/games/{done.pk}/compare/{fork.pk}/"),
        ("finished-player", veteran, f"/games/{done.pk}/"),
        ("finished-debrief", veteran, f"/games/{done.pk}/debrief/"),
    ]
    problems: list[str] = []
    for viewport in VIEWPORTS:
        for name, page, path in pages:
            page.set_viewport_size(viewport)
            status = page.goto(path).status
            if status != EXPECTED_STATUS.get(name, 200):
                problems.append(f"{name} @{viewport['width']}: HTTP {status}")
            if name == "anonymous-game":  # sent to the join page, with a word why
                expect(page.get_by_role("status")).to_contain_text("Enter your join code")
            if page.locator("#connection").count():
                expect(page.locator("#connection")).to_have_attribute("data-status", "online")
            problems += problems_on(page, name, viewport["width"])
    assert not problems, "\n".join(problems)
    for seat in seats.all:  # the refusals above are expected; nothing else may fail
        seat.errors = [e for e in seat.errors if not re.search(r"status of (403|404)\b", e)]
    seats.assert_no_errors()
