"""Browser tests: Playwright (sync API) driving Debian's Chromium against the full stack.

The app runs as it is deployed: uvicorn and a celery worker (the same `Stack` as
tests/fullstack) against the test PostgreSQL and Redis. Each seat gets its own browser
context (its own cookies, so its own session and seat), joins through the real join page,
and every page records its console errors, uncaught exceptions and WebSocket frames; a
test asserts at its end that there were no errors (`seats.assert_no_errors()`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.fullstack.conftest import stack_for_this_process
from tests.support.stack import ARTIFACTS, Stack, wait_for_quiet_database

CHROMIUM = os.environ.get("LT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ARTIFACTS / "screenshots"
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}
WAIT_MS = 30_000  # the longest any expectation waits (resolution goes through the worker)

expect.set_options(timeout=WAIT_MS)


# --- the app and the browser -----------------------------------------------------------


@pytest.fixture(scope="package")
def stack(django_db_setup, django_db_blocker) -> Iterator[Stack]:
    """uvicorn + a celery worker for the browser tests (the pages' static files included).

    Package-scoped (not the session-wide one of tests/fullstack): it shares that one's
    Celery queue and channel-layer prefix, so it must be gone before tests/fullstack
    kills and replaces workers, or its worker would take their tasks.
    """
    from tests.conftest import fullstack_problem

    problem = fullstack_problem()
    if problem:
        pytest.skip(problem)
    running = stack_for_this_process()
    try:
        running.start_web()
        response = httpx.get(f"{running.url}{settings.STATIC_URL}js/common.js", timeout=5)
        assert response.status_code == 200, f"the stack does not serve static/js: {response}"
        running.start_worker()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="package")
def orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running on the main thread, so Django
    would refuse ORM calls from the test (game_create, the transactional flush) with
    SynchronousOnlyOperation. They are plain synchronous calls here: allow them, only
    while Playwright runs (package scope), so async tests elsewhere keep the check."""
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="package")
def playwright_instance(orm_beside_playwright) -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium, or set LT_CHROMIUM)")
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# --- seats: one context per seat, console errors recorded per page ---------------------


@dataclass
class Seat:
    """One person at the table: a browser context (its cookies are the seat) and a page."""

    role: str
    code: str
    context: BrowserContext
    page: Page | None = None
    errors: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # what each confirm() asked

    def watch(self, page: Page) -> Page:
        """Record console errors, uncaught exceptions and every WebSocket frame received;
        accept confirm() dialogs (the lock button asks), but count an alert() as an error
        (the page reports failures that way)."""
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

        def dialog(d):
            if d.type != "confirm":
                self.errors.append(f"{d.type}: {d.message}")
            self.dialogs.append(d.message)
            d.accept()

        page.on("dialog", dialog)
        return page

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text}")

    def _frame(self, payload: str | bytes) -> None:
        self.frames.append(payload.decode() if isinstance(payload, bytes) else payload)

    def received(self) -> str:
        """Every frame this seat's pages received so far, as one text to search."""
        return "\n".join(self.frames)

    def new_page(self) -> Page:
        self.page = self.watch(self.context.new_page())
        return self.page


class Seats:
    """Fresh browser contexts, one per seat, for one test; closed at its end."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.all: list[Seat] = []

    def open(self, role: str, code: str, *, viewport: dict | None = None) -> Seat:
        context = self.browser.new_context(
            base_url=self.base_url, viewport=viewport or DESKTOP, locale="en-US"
        )
        seat = Seat(role=role, code=code, context=context)
        self.all.append(seat)
        return seat

    def join(self, role: str, code: str, **kwargs) -> Seat:
        """A new context that takes its seat through the real join page."""
        return self.join_all({role: code}, **kwargs)[role]

    def join_all(self, codes: dict[str, str], **kwargs) -> dict[str, Seat]:
        """Several seats at once: every page submits the join form, then each waits."""
        joined = {}
        for role, code in codes.items():
            seat = self.open(role, code, **kwargs)
            fill_join_form(seat.new_page(), code, f"{role.title()} tester")
            joined[role] = seat
        for seat in joined.values():
            seat.page.wait_for_url(GAME_URL)
            wait_online(seat.page)
        return joined

    def assert_no_errors(self) -> None:
        found = [(s.role, s.errors) for s in self.all if s.errors]
        assert not found, f"console errors or page errors: {found}"

    def close(self) -> None:
        for seat in self.all:
            seat.context.close()


@pytest.fixture
def seats(browser: Browser, stack: Stack) -> Iterator[Seats]:
    group = Seats(browser, stack.url)
    try:
        yield group
    finally:
        group.close()
        wait_for_quiet_database()  # the pages' sockets are closing: let their writes end


GAME_URL = re.compile(r"/games/\d+/$")


def fill_join_form(page: Page, code: str, name: str) -> Page:
    """/join/<code>/: the code is filled in already; give a name and take the seat."""
    page.goto(f"/join/{code}/")
    expect(page.get_by_label("Join code")).to_have_value(code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Take my seat").click()
    return page


def wait_online(page: Page) -> None:
    expect(page.locator("#connection")).to_have_attribute("data-status", "online")


class Network:
    """A switch for one page's game socket (Chromium's offline mode leaves an open
    WebSocket alone): every socket goes through Playwright's WebSocket routing to the real
    server; `drop()` cuts the current one and refuses new ones, `restore()` lets the page's
    own reconnect loop through again. Install before the page opens its socket."""

    def __init__(self, page: Page) -> None:
        self.down = False
        self.server = None
        page.route_web_socket(re.compile(r"/ws/games/\d+/"), self._route)

    def _route(self, ws) -> None:
        if self.down:
            ws.close(code=4000, reason="network down (test)")
            return
        self.server = ws.connect_to_server()

    def drop(self) -> None:
        self.down = True
        if self.server is not None:
            self.server.close(code=4000, reason="network down (test)")

    def restore(self) -> None:
        self.down = False


# --- games ------------------------------------------------------------------------------


def create_game(**kwargs):
    """A game in the lobby (wargame.services.games.game_create): (game, codes by seat)."""
    from wargame.services.games import game_create

    kwargs.setdefault("seed", 2025)
    kwargs.setdefault("turns", 3)
    kwargs.setdefault("title", "Browser test")
    return game_create(**kwargs)


def start_game(game_id: int) -> None:
    from wargame.services.games import game_start

    game_start(game_id=game_id)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """artifacts/screenshots/<name>.png (git-ignored): the whole page, or the viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
