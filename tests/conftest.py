"""Shared test plumbing.

Service-backed tests (markers `services`, `fullstack`) skip when PostgreSQL or Redis is not
there, which is right on a laptop and wrong in CI: with LT_REQUIRE_SERVICES=1 such a skip is
reported as a failure, so CI can never pass by testing nothing.
"""

import functools
import os

import pytest

SERVICE_MARKERS = ("services", "fullstack")


def _needs_services(item):
    return any(item.get_closest_marker(name) for name in SERVICE_MARKERS)


@functools.cache
def fullstack_problem():
    """Why the full stack is unusable here, or None; checked once per session."""
    from django.conf import settings

    if settings.LT_MODE != "fullstack":
        return "needs the full stack: set DATABASE_URL and REDIS_URL (as scripts/test does)"
    db = settings.DATABASES["default"]
    try:
        import psycopg

        # The maintenance database: the test database is created later by pytest-django.
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:
        return f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} does not answer: {exc}"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except Exception as exc:
        return f"Redis at {settings.REDIS_URL} does not answer: {exc}"
    return None


@pytest.fixture
def require_fullstack():
    """Skip (a failure under LT_REQUIRE_SERVICES=1) unless PostgreSQL and Redis answer."""
    problem = fullstack_problem()
    if problem:
        pytest.skip(problem)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture, so a missing database skips instead of erroring in pytest-django.
    if _needs_services(item):
        problem = fullstack_problem()
        if problem:
            pytest.skip(problem)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("LT_REQUIRE_SERVICES") == "1"
        and report.skipped
        and not hasattr(report, "wasxfail")
        and _needs_services(item)
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} was skipped but LT_REQUIRE_SERVICES=1 forbids skipping "
            f"service-backed tests. Skip reason: {reason}"
        )


def pytest_sessionstart(session):
    """Compile the translation catalogs first, as the run command does: a page asked for in
    Korean is then served in Korean whether pytest runs alone or through scripts/test."""
    from django.core.management import call_command

    call_command("compile_catalogs", verbosity=0)
