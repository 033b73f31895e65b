"""The environment picks the mode: embedded (no URLs) or the full stack (both URLs).

The live-settings tests run in the session they belong to; the others load the settings
module afresh under a controlled environment, so both modes are checked in either session.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

import wargame.settings

SETTINGS_FILE = wargame.settings.__file__
REPO = Path(__file__).resolve().parents[2]
PG = "postgres://postgres:pw@db.example:5432/lt"
REDIS = "redis://cache.example:6379/2"


def load_settings(monkeypatch, **env):
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_DEBUG",
        "CHANNEL_LAYER_PREFIX",
        "LT_CELERY_QUEUE",
        "LT_WORKER_QUEUES",
        "LT_DEPLOYMENT_ID",
        "LT_CHANNEL_LAYER",
        "DJANGO_CONN_MAX_AGE",
        "DJANGO_DB_POOL_SIZE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


@pytest.fixture
def embedded_session():
    if settings.LT_MODE != "embedded":
        pytest.skip("checks the live embedded session; this one is full stack")


def test_live_session_is_embedded(embedded_session):
    assert settings.LT_MODE == "embedded"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.CELERY_TASK_EAGER_PROPAGATES is True


def test_live_celery_app_runs_tasks_in_process(embedded_session):
    from wargame.celery import app

    assert app.conf.task_always_eager is True
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1

    @app.task(name="tests.add")
    def add(x, y):
        return x + y

    assert add.delay(2, 3).get(timeout=1) == 5


async def test_live_channel_layer_is_in_memory(embedded_session):
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    layer = get_channel_layer()
    assert isinstance(layer, InMemoryChannelLayer)
    channel = await layer.new_channel()
    await layer.group_add("g", channel)
    await layer.group_send("g", {"type": "ping", "n": 1})
    assert await layer.receive(channel) == {"type": "ping", "n": 1}


def test_embedded_without_urls(monkeypatch):
    s = load_settings(monkeypatch)
    assert s["LT_MODE"] == "embedded"
    assert s["DEBUG"] is True
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == REPO / "var" / "db.sqlite3"
    assert (REPO / "var").is_dir()
    assert s["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["CELERY_TASK_EAGER_PROPAGATES"] is True


def test_fullstack_with_both_urls(monkeypatch):
    s = load_settings(monkeypatch, DATABASE_URL=PG, REDIS_URL=REDIS, CHANNEL_LAYER_PREFIX="t1")
    assert s["LT_MODE"] == "fullstack"
    assert s["DEBUG"] is False
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example", 5432, "lt")
    assert db["CONN_MAX_AGE"] == 60
    assert "pool" not in db.get("OPTIONS", {})
    layer = s["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "wargame.realtime.layer.DecodeOnceChannelLayer"
    # Reads wait longer than the core layer's 5 s blocking pop (redis-py 8 defaults to 5 s).
    assert layer["CONFIG"] == {"hosts": [{"address": REDIS, "socket_timeout": 30}], "prefix": "t1"}
    assert s["CELERY_BROKER_URL"] == REDIS
    assert s["CELERY_RESULT_BACKEND"] is None  # no task's result is ever read
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    cache = s["CACHES"]["default"]  # shared by every web process (the debrief's PDF)
    assert (cache["BACKEND"], cache["LOCATION"], cache["KEY_PREFIX"]) == (
        "wargame.cache_backend.SharedPoolRedisCache",  # one pool a process
        REDIS,
        "t1",
    )


def test_fullstack_list_based_channel_layer_on_request(monkeypatch):
    s = load_settings(monkeypatch, DATABASE_URL=PG, REDIS_URL=REDIS, LT_CHANNEL_LAYER="core")
    assert s["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"


def test_unknown_channel_layer_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="LT_CHANNEL_LAYER"):
        load_settings(monkeypatch, DATABASE_URL=PG, REDIS_URL=REDIS, LT_CHANNEL_LAYER="rabbit")


def test_web_process_database_pool(monkeypatch):
    """Web processes (ASGI) use a connection pool and no persistent connections."""
    s = load_settings(
        monkeypatch,
        DATABASE_URL=PG,
        REDIS_URL=REDIS,
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_DB_POOL_SIZE="4",
    )
    db = s["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 30}


@pytest.mark.parametrize("only", ["DATABASE_URL", "REDIS_URL"])
def test_half_a_stack_is_refused(monkeypatch, only):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="both DATABASE_URL and REDIS_URL"):
        load_settings(monkeypatch, **{only: PG if only == "DATABASE_URL" else REDIS})


def test_always_on_celery_settings(monkeypatch):
    for env in ({}, {"DATABASE_URL": PG, "REDIS_URL": REDIS}):
        s = load_settings(monkeypatch, **env)
        assert s["CELERY_TASK_ACKS_LATE"] is True
        assert s["CELERY_TASK_REJECT_ON_WORKER_LOST"] is True
        assert s["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
        assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] >= 3600
        assert s["CELERY_TASK_SERIALIZER"] == "json"
        sweep = s["CELERY_BEAT_SCHEDULE"]["sweep-deadlines"]
        assert (sweep["task"], sweep["schedule"]) == ("wargame.tasks.sweep_deadlines", 5.0)
        assert s["INSTALLED_APPS"][0] == "daphne"


def _production(env):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")} | env
    code = "import wargame.settings.production as p; print(p.DEBUG, p.SECURE_SSL_REDIRECT)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )


def test_production_refuses_a_missing_or_dev_secret_key():
    from wargame.settings import DEV_SECRET_KEY

    for key in ("", DEV_SECRET_KEY):
        result = _production({"DJANGO_SECRET_KEY": key})
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_is_hardened():
    result = _production({"DJANGO_SECRET_KEY": "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.fullstack
def test_live_session_is_fullstack(require_fullstack):
    assert settings.LT_MODE == "fullstack"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == (
        "wargame.realtime.layer.DecodeOnceChannelLayer"
    )
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.fullstack
def test_live_queueing_from_a_new_thread_builds_no_result_backend(require_fullstack):
    """Under ASGI each request runs on a thread of its own, and Celery keeps its result
    backend per thread: with a Redis one, every lock request that queued a resolution
    built a Redis client (3.5 ms). Results are never read, so there is no backend."""
    import threading

    from celery.backends.base import DisabledBackend

    from wargame.jobs.tasks import resolve_turn

    backends = []
    thread = threading.Thread(target=lambda: backends.append(resolve_turn.AsyncResult("x").backend))
    thread.start()
    thread.join()
    assert isinstance(backends[0], DisabledBackend)
    assert all(task.ignore_result for name, task in resolve_turn.app.tasks.items()
               if name.startswith("wargame."))  # fmt: skip


@pytest.mark.fullstack
async def test_live_redis_channel_layer_round_trip(require_fullstack):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("lt-settings-test", channel)
    await layer.group_send("lt-settings-test", {"type": "ping", "n": 2})
    assert await layer.receive(channel) == {"type": "ping", "n": 2}
    await layer.group_discard("lt-settings-test", channel)


@pytest.mark.fullstack
async def test_live_layer_decodes_a_group_message_once_for_all_its_sockets(require_fullstack):
    """Every socket of a game in a process is handed the same message from Redis: it is
    decoded once, and each receiver still gets a dict of its own."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    decoded = []
    real = layer._serializer.deserialize
    layer._serializer.deserialize = lambda raw: decoded.append(raw) or real(raw)
    try:
        channels = [await layer.new_channel() for _ in range(3)]
        for channel in channels:
            await layer.group_add("lt-decode-test", channel)
        await layer.group_send("lt-decode-test", {"type": "game.events", "events": [{"n": 1}]})
        received = [await layer.receive(channel) for channel in channels]
        for channel in channels:
            await layer.group_discard("lt-decode-test", channel)
    finally:
        layer._serializer.deserialize = real
    assert received == [{"type": "game.events", "events": [{"n": 1}]}] * 3
    assert len({id(message) for message in received}) == 3
    assert len(decoded) == 1


def test_two_deployments_on_one_redis_get_their_own_channels_cache_and_queue(monkeypatch):
    """Redis pub/sub ignores the database number: two deployments (two databases) on one
    Redis server get different channel-layer prefixes, cache prefixes and Celery queues
    without any configuration, and LT_DEPLOYMENT_ID names a deployment outright."""

    def names(**env):
        s = load_settings(monkeypatch, REDIS_URL=REDIS, **env)
        return (
            s["CHANNEL_LAYERS"]["default"]["CONFIG"]["prefix"],
            s["CACHES"]["default"]["KEY_PREFIX"],
            s["CELERY_TASK_DEFAULT_QUEUE"],
        )

    first = names(DATABASE_URL="postgres://u@db.example:5432/one")
    second = names(DATABASE_URL="postgres://u@db.example:5432/two")
    assert len(set(first)) == 1 and first[0].startswith("lt-")
    assert len(set(second)) == 1 and second[0] != first[0]
    assert names(DATABASE_URL="postgres://u@db.example:5432/one") == first
    named = names(DATABASE_URL="postgres://u@db.example:5432/one", LT_DEPLOYMENT_ID="exercise-7")
    assert named == ("lt-exercise-7",) * 3


def test_turns_and_lab_chunks_have_queues_of_their_own(monkeypatch):
    """Resolutions (and every other task) go to the deployment's live queue, Monte Carlo
    chunks to its lab queue; a worker consumes both, live first, unless LT_WORKER_QUEUES
    names one; a name that is not a queue stops the process with a line saying so."""
    from django.core.exceptions import ImproperlyConfigured

    def consumed(**env):
        s = load_settings(monkeypatch, DATABASE_URL=PG, REDIS_URL=REDIS, **env)
        return [queue.name for queue in s["CELERY_TASK_QUEUES"]], s

    both, s = consumed(LT_CELERY_QUEUE="lt-x")
    assert both == ["lt-x", "lt-x-lab"]
    assert s["CELERY_TASK_ROUTES"] == {"wargame.tasks.simulation_chunk": {"queue": "lt-x-lab"}}
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["queue_order_strategy"] == "priority"
    assert consumed(LT_CELERY_QUEUE="lt-x", LT_WORKER_QUEUES="lab, live")[0] == both
    assert consumed(LT_CELERY_QUEUE="lt-x", LT_WORKER_QUEUES="live")[0] == ["lt-x"]
    assert consumed(LT_CELERY_QUEUE="lt-x", LT_WORKER_QUEUES="lab")[0] == ["lt-x-lab"]
    for wrong in ("labs", "live,turns", ","):
        with pytest.raises(ImproperlyConfigured, match="LT_WORKER_QUEUES"):
            consumed(LT_WORKER_QUEUES=wrong)


def test_live_celery_app_routes_chunks_to_the_lab_queue():
    from wargame.celery import app

    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("wargame.tasks.simulation_chunk") == settings.LAB_QUEUE
    for task in ("resolve_turn", "sweep_deadlines", "class_bots_stand_in"):
        assert queue_of(f"wargame.tasks.{task}") == settings.CELERY_TASK_DEFAULT_QUEUE
