"""The real stack (PostgreSQL, Redis, uvicorn, celery worker) for `fullstack` tests."""

from __future__ import annotations

import httpx
import pytest
from django.conf import settings

from tests.support.stack import Stack, wait_for_quiet_database

STACK_ENV = {
    "LT_VISIBILITY_TIMEOUT": "8",
    "LT_RESOLVE_LEASE_SECONDS": "5",
    "LT_UNACKED_RESTORE_INTERVAL": "1",
    "LT_UNACKED_RESTORE_THROTTLE": "1",
    # A worker killed inside its restore scan must not stop the next one restoring for
    # kombu's default 300 s (a killed chunk then waited past the test's 240 s).
    "LT_UNACKED_MUTEX_EXPIRE": "3",
}


def stack_for_this_process() -> Stack:
    """A stack sharing this test process's database, channel-layer prefix and queue."""
    return Stack(
        database=settings.DATABASES["default"],
        redis_url=settings.REDIS_URL,
        prefix=settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        extra_env=STACK_ENV,
    )


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker):
    """One web server and one worker for the session; tests may add or kill workers."""
    from tests.conftest import fullstack_problem

    problem = fullstack_problem()
    if problem:
        pytest.skip(problem)
    running = stack_for_this_process()
    try:
        running.start_web()
        running.start_worker()
        yield running
    finally:
        running.stop()


@pytest.fixture(autouse=True)
def quiet_database_before_flush(request):
    """After a full-stack test, before its database is flushed: the stack's processes
    finish what they were writing (see wait_for_quiet_database)."""
    yield
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        wait_for_quiet_database()


@pytest.fixture
def http(stack):
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        yield client


def http_call(client: httpx.Client):
    """The transport for tests.support.scripted_game over real HTTP."""

    def call(method, path, body, token):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.request(method, path, json=body, headers=headers)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return response.status_code, payload

    return call
