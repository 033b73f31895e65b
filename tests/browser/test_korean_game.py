"""A Korean teacher meets no English: Chromium with a Korean locale plays a turn as Seoul,
as the facilitator and as an observer, and the visible text of the player page, the
console, the replay, the debrief and the exports holds no English word outside a short,
reviewed list (names and file formats a Korean reader sees in English too)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    DESKTOP,
    GAME_URL,
    Seat,
    Seats,
    create_game,
    screenshot,
    start_game,
    wait_online,
)

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Reviewed: names and formats a Korean text writes in Latin letters too, and the other
# language's name on the switcher.
ALLOWED = {
    "APEC",
    "UN",
    "UNSC",
    "DPRK",
    "DMZ",
    "JSON",
    "CSV",
    "PDF",
    "API",
    "SVG",
    "NATO",
    "ICBM",
    "SLBM",
    "English",
    "Excel",
    "csv",  # Python's csv module, named as in the English text
    "pandas",
    "UTF",
    "BOM",
    "Home",
    "End",
    "Noto",
    "Sans",
    "CJK",
    "KR",
    "GMT",
    "UTC",
    "sha",
    "QR",  # QR 코드, as Korean writes it
}
NAMES = {"seoul": "김서연", "observer": "박민준", "facilitator": "이지은 선생님"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


# The commentary's section numbers (원문 §II.3) are Roman numerals in Korean too.
ROMAN = re.compile(r"^[IVX]+$")


# Code written in running text (read_csv, encoding="utf-8-sig", UTF-8) is not a word.
CODE_LIKE = re.compile(r'\b\w+_\w+\b|\w+="[^"]*"|UTF-8')


def english_words(text: str) -> list[str]:
    text = CODE_LIKE.sub(" ", text)
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED and not ROMAN.match(w)})


def korean_seat(seats: Seats, role: str, code: str, viewport=None) -> Seat:
    """A seat in a Korean browser (ko-KR locale: Accept-Language ko), joined through the
    join page by its fields, not its (Korean) labels."""
    context = seats.browser.new_context(
        base_url=seats.base_url, viewport=viewport or DESKTOP, locale="ko-KR"
    )
    seat = Seat(role=role, code=code, context=context)
    seats.all.append(seat)
    page = seat.new_page()
    page.goto(f"/join/{code}/")
    page.locator("input[name=name]").fill(NAMES[role])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(GAME_URL)
    wait_online(page)
    return seat


def visible_english(page: Page, codes=()) -> list[str]:
    """The English words of the page's visible text, each with the line it stands in
    (the seats' join codes, letters and digits, are not words)."""
    # Codes shown as code (a rule's id beside its title, a file name to download) are
    # not words: the visible text without them.
    text = page.evaluate(
        """() => { const body = document.body.cloneNode(true);
        body.querySelectorAll("code, a[download]").forEach((n) => n.remove());
        document.documentElement.append(body); const t = body.innerText; body.remove();
        return t; }"""
    )
    for code in codes:
        text = text.replace(code, "")
    lines = text.splitlines()
    return [
        f"{word}: " + next(line.strip()[:100] for line in lines if word in line)
        for word in english_words(text)
    ]


def play_a_korean_turn(seats: Seats):
    """Seoul seeks a summit with Beijing and the facilitator resolves, all in Korean."""
    game, codes = create_game(title="한국어 수업", turns=3)
    start_game(game.pk)
    seoul = korean_seat(seats, "seoul", codes["seoul"], LAPTOP).page
    observer = korean_seat(seats, "observer", codes["observer"], LAPTOP).page
    console = korean_seat(seats, "facilitator", codes["facilitator"], LAPTOP).page
    assert seoul.locator("html").get_attribute("lang") == "ko"

    seoul.locator("#action").select_option("hold_summit_beijing")
    seoul.locator("#target").select_option("beijing")
    seoul.locator("#rationale").fill("APEC 전에 시 주석을 만난다")
    seoul.locator("#submit-move").click()
    expect(seoul.locator("#my-moves")).to_contain_text("APEC 전에")
    console.locator("button[data-control=resolve]").click()
    for page in (seoul, observer, console):
        expect(page.locator("#turn-report")).to_be_visible()
        expect(page.locator("#turn-report")).to_contain_text("2025년 3월")
    return game, codes, seoul, observer, console


def test_a_turn_played_in_korean_shows_no_english(seats: Seats, browser: Browser):
    game, codes, seoul, observer, console = play_a_korean_turn(seats)
    found = {}
    for name, page in (("player", seoul), ("observer", observer), ("console", console)):
        found[name] = visible_english(page, codes.values())
    screenshot(seoul, "korean-player-1366x768", full_page=False)
    screenshot(console, "korean-console-1366x768", full_page=False)
    found = {name: words for name, words in found.items() if words}
    assert not found, "\n".join(
        f"{name}: {word}" for name, words in found.items() for word in words
    )
    seats.assert_no_errors()


def test_the_review_pages_in_korean_show_no_english(seats: Seats, browser: Browser):
    """After the turn, the facilitator (and the observer, where it may) reads the replay,
    the debrief and the exports page in Korean."""
    game, codes, seoul, observer, console = play_a_korean_turn(seats)
    found = {}
    for name, path in (
        ("replay", f"/games/{game.pk}/replay/"),
        ("debrief", f"/games/{game.pk}/debrief/"),
        ("exports", f"/games/{game.pk}/export/"),
    ):
        console.goto(path)
        found[name] = visible_english(console, codes.values())
        screenshot(console, f"korean-{name}-1366x768", full_page=False)
    found = {name: words for name, words in found.items() if words}
    assert not found, "\n".join(
        f"{name}: {word}" for name, words in found.items() for word in words
    )
    seats.assert_no_errors()


def test_the_switcher_fits_a_phone_and_changes_the_language(seats: Seats, browser: Browser):
    """At 390 px the header's switcher fits (nothing scrolls sideways); pressing 한국어
    turns the page Korean without JavaScript's help, and the choice stays on the next page."""
    context = browser.new_context(
        base_url=seats.base_url,
        viewport={"width": 390, "height": 844},
        locale="en-US",
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/join/")
        expect(page.locator("h1")).to_have_text("Join a game")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, overflow
        page.get_by_role("button", name="한국어").click()
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        expect(page.locator("h1")).to_have_text("게임 참가")
        screenshot(page, "korean-switcher-390x844", full_page=False)
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        expect(page.get_by_role("button", name="English")).to_be_visible()
    finally:
        context.close()
