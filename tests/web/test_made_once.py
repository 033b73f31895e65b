"""Made once: many callers of one key get one maker's value (web/made_once.py)."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection

from wargame.web.made_once import StillMaking, made_once, release_database


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_eight_callers_at_once_get_one_makers_value():
    made, results, start = [], [], threading.Barrier(8)

    def make() -> bytes:
        made.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every caller to arrive meanwhile
        return b"%PDF one"

    def caller():
        start.wait()
        results.append(made_once("lt-test:once", make, keep=60, wait=10))

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1
    assert results == [b"%PDF one"] * 8
    assert made_once("lt-test:once", lambda: b"again", keep=60) == b"%PDF one"


def test_a_maker_that_fails_leaves_the_key_to_the_next_caller():
    def broken() -> bytes:
        raise RuntimeError("the renderer fell over")

    with pytest.raises(RuntimeError):
        made_once("lt-test:fails", broken, keep=60)
    assert made_once("lt-test:fails", lambda: b"second try", keep=60, wait=1) == b"second try"


def test_a_caller_waits_for_another_maker_at_most_wait_seconds():
    cache.add("lt-test:slow:making", 1, 60)  # another process is making it
    started = time.monotonic()
    with pytest.raises(StillMaking):
        made_once("lt-test:slow", lambda: b"never", keep=60, wait=0.3)
    assert 0.3 <= time.monotonic() - started < 5
    cache.set("lt-test:slow", b"made elsewhere", 60)  # ... and it is done
    assert made_once("lt-test:slow", lambda: b"never", keep=60, wait=0.3) == b"made elsewhere"


@pytest.mark.django_db
def test_a_transaction_keeps_its_connection():
    """Inside a transaction (this test's), releasing would lose it: nothing happens."""
    assert connection.in_atomic_block
    before = connection.connection
    release_database()
    assert connection.connection is before


def test_with_redis_out_of_reach_it_is_still_made_once_in_this_process(settings):
    """The full stack's cache is Redis: when it is away, a PDF (or a lab page) is made
    from the process's memory, once here, instead of answering 500."""
    import socket

    from django.core.cache import caches

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.CACHES = {
        "default": {
            "BACKEND": "wargame.cache_backend.SharedPoolRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    made = []

    def make() -> bytes:
        made.append(1)
        return b"%PDF while Redis is away"

    first = made_once("lt-test:outage", make, keep=60, wait=5)
    again = made_once("lt-test:outage", make, keep=60, wait=5)
    assert first == again == b"%PDF while Redis is away" and made == [1]
    assert caches["default"].get("lt-test:outage") == first
