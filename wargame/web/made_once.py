"""Made once, by one thread at a time: the seconds-long renders and computations (a
debrief's PDF, a big Monte Carlo job's results and downloads) that several people ask for
at the same moment, without stalling the live games beside them.

Eight students downloading the same debrief at once made eight PDFs side by side in one
web process: 12 to 13 s each, where one takes 1.8 s, and a live game's API call on that
process waited up to 11.8 s meanwhile, its request queued behind theirs for the pool's
four database connections (bench/README.md, "A class downloads the debrief"). Now:

- one maker per key across every web process (`cache.add`, which is atomic in Redis);
  the others wait for its result in the shared cache, or make it themselves if the maker
  vanished (its claim expires);
- one render at a time per process (`RENDERS_AT_ONCE`): a render holds the interpreter
  for seconds, and live requests share it with only one;
- no database connection held while waiting or rendering: it goes back to the pool
  (`release_database`), so live requests never queue behind a render for one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from .busy import RETRY_AFTER_SECONDS

RENDERS_AT_ONCE = 1
CLAIM_SECONDS = 120  # a maker that died frees its key after this
POLL_SECONDS = 0.1
_slots = threading.BoundedSemaphore(RENDERS_AT_ONCE)
T = TypeVar("T")


class StillMaking(Exception):
    """Someone else is still making it after `wait` seconds (answer: try again soon)."""


def made_once(key: str, make: Callable[[], T], *, keep: int, wait: float = 60) -> T:
    """The cached value of `key`, or `make()`'s, made by one caller while the others wait
    for it (at most `wait` seconds, then `StillMaking`). Kept `keep` seconds."""
    value = cache.get(key)
    if value is not None:
        return value
    claim = f"{key}:making"
    deadline = time.monotonic() + wait
    release_database()
    while True:
        if cache.add(claim, 1, CLAIM_SECONDS):
            try:
                with _slots:
                    value = cache.get(key)  # made while we waited for the claim
                    if value is None:
                        value = make()
                        cache.set(key, value, keep)
                return value
            finally:
                cache.delete(claim)
        if time.monotonic() >= deadline:
            raise StillMaking(key)
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value


def release_database() -> None:
    """Give this thread's database connection back (to the pool on the full stack) before
    seconds without a query; the next query takes one again. Not inside a transaction
    (a test's, say), whose connection must stay."""
    if not connection.in_atomic_block:
        connection.close()


def still_making(message: str) -> HttpResponse:
    """The answer when `StillMaking`: 503, with when to try again."""
    response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
