"""A Redis outage as the players see it (issue 9, item 8), in Chromium: the stack runs on a
Redis server of the test's own, which it stops and starts again.

Before, a page opened (or reloaded) during the outage could not open its socket: it said
"connection lost — reconnecting…" for the whole outage, and every API call with a seat's
token answered 500 (the guessing limits are counted in the Redis cache), so the page's own
buttons failed too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from tests.browser.conftest import SCREENSHOTS, Seats, create_game, start_game
from tests.browser.test_live_play import channel_tab, marker, send_message
from tests.fullstack.conftest import STACK_ENV
from tests.support.private_redis import PrivateRedis, stack_on_private_redis
from tests.support.stack import Stack, wait_for_quiet_database

pytestmark = [pytest.mark.browser, pytest.mark.fullstack, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outage(browser: Browser, stack: Stack) -> Iterator[tuple[Seats, PrivateRedis]]:
    """Seats on a stack of its own (web and worker) whose Redis the test stops."""
    with stack_on_private_redis(settings.DATABASES["default"], extra_env=STACK_ENV) as pair:
        own, redis = pair
        own.start_web()
        own.start_worker()
        group = Seats(browser, own.url)
        try:
            yield group, redis
        finally:
            group.close()
            wait_for_quiet_database()


def test_a_page_loaded_during_a_redis_outage_says_degraded_and_play_goes_on(outage):
    seats, redis = outage
    game, codes = create_game()
    start_game(game.pk)
    players = seats.join_all({role: codes[role] for role in ("seoul", "beijing")})
    seoul, beijing = players["seoul"].page, players["beijing"].page

    redis.stop()
    seoul.reload()
    status = seoul.locator("#connection")
    expect(status).to_have_attribute("data-status", "degraded")
    expect(status).to_have_text("live link degraded — updates may come late")
    sent = marker("Seoul-while-Redis-is-away")
    send_message(seoul, "Beijing", sent)  # the page's own API call answers
    channel_tab(seoul, "Beijing").click()
    expect(seoul.locator("#message-list")).to_contain_text(sent)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seoul.screenshot(path=SCREENSHOTS / "redis-outage-degraded.png")

    redis.start()
    # The next ping (every 20 s) finds Redis back: the socket closes, the page reconnects.
    expect(status).to_have_attribute("data-status", "online", timeout=45_000)
    reply = marker("Beijing-live-again")
    send_message(beijing, "Seoul", reply)
    expect(seoul.locator("#message-list")).to_contain_text(reply)
    seats.assert_no_errors()
