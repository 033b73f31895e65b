"""A real full stack for tests and benchmarks: the ASGI server (uvicorn, as
docker-compose.yml runs it) and `celery worker` subprocesses against the test PostgreSQL
database and Redis.

The test process and its subprocesses share one channel-layer prefix and one Celery
queue, unique to this run, so parallel runs (or a stray worker) never cross-talk.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
WEB_DB_POOL_SIZE = "4"  # as docker-compose.yml runs the web processes
# The web server's command line, as docker-compose.yml has it (with this stack's port).
# LT_ASGI_SERVER=daphne runs daphne instead, as before 2026-12-04, for the benchmarks'
# ablation: a handshake may then take up to 30 s (daphne's default, 5 s, dropped sockets of
# a 200-socket burst on a loaded machine; bench/README.md).
UVICORN_ARGS = ["--lifespan", "off", "--no-proxy-headers", "--no-server-header",
                "--no-access-log", "--ws-max-size", "65536",
                "--ws-per-message-deflate", "false"]  # fmt: skip
WS_CONNECT_TIMEOUT = "30"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(db: dict) -> str:
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Stack:
    """Start/stop the processes; `url` and `ws_url` point at the ASGI server."""

    def __init__(self, *, database: dict, redis_url: str, prefix: str, queue: str, extra_env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(database),
            "REDIS_URL": redis_url,
            "CHANNEL_LAYER_PREFIX": prefix,
            "LT_CELERY_QUEUE": queue,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_CONN_MAX_AGE": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.web: subprocess.Popen | None = None
        self.more_web: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.logs: dict[int, Path] = {}  # pid -> the process's log, under artifacts/

    def _spawn(self, name: str, args: list[str], **env) -> tuple[subprocess.Popen, Path]:
        """Start `python -m <args>` in its own process group, logging to artifacts/."""
        path = ARTIFACTS / f"{name}-{self.port}-{uuid.uuid4().hex[:6]}.log"
        with open(path, "ab") as log:  # the child keeps its own handle
            process = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.logs[process.pid] = path
        return process, path

    def start_web(self) -> None:
        self.web = self._start_web(self.port)

    def start_more_web(self) -> tuple[str, str]:
        """One more web process on a port of its own, as another web replica behind a
        load balancer would be (same database, channel layer and queue); its (url, ws_url)."""
        port = free_port()
        self.more_web.append(self._start_web(port))
        return f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"

    def _start_web(self, port: int) -> subprocess.Popen:
        """The ASGI server: uvicorn, as docker-compose.yml runs it, or (LT_ASGI_SERVER=daphne,
        for the benchmarks' ablation) daphne."""
        server = self.env.get("LT_ASGI_SERVER", "uvicorn")
        if server == "uvicorn":
            args = ["uvicorn", "--host", "127.0.0.1", "--port", str(port), *UVICORN_ARGS,
                    "wargame.asgi:application"]  # fmt: skip
        else:
            args = ["daphne", "-b", "127.0.0.1", "-p", str(port), "--websocket_connect_timeout",
                    WS_CONNECT_TIMEOUT, "wargame.asgi:application"]  # fmt: skip
        args[-1:-1] = self.env.get("LT_ASGI_ARGS", "").split()  # a benchmark's ablation
        # As in docker-compose.yml: no persistent connections under ASGI, a pool instead.
        pool = self.env.get("LT_WEB_DB_POOL_SIZE", WEB_DB_POOL_SIZE)  # a benchmark's ablation
        web, path = self._spawn(server, args, DJANGO_DB_POOL_SIZE=pool)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if web.poll() is not None:
                raise RuntimeError(f"{server} exited with {web.returncode}; see {path}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return web
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{server} did not answer /healthz within 30 s")

    def start_worker(self, **env) -> subprocess.Popen:
        """A `celery worker` of one pool process. It consumes this stack's queues as the
        settings name them (LT_CELERY_QUEUE and its lab queue), both unless `env` sets
        LT_WORKER_QUEUES, as compose's `worker` ("live") and `lab-worker` ("lab") do."""
        args = ["celery", "-A", "wargame", "worker", "-l", "info", "--concurrency", "1",
                "-n", f"w-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        args += self.env.get("LT_WORKER_ARGS", "").split()  # a benchmark's ablation
        worker, path = self._spawn("worker", args, **env)
        self.workers.append(worker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"celery worker exited with {worker.returncode}; see {path}")
            if b" ready." in path.read_bytes():
                return worker
            time.sleep(0.1)
        raise RuntimeError(f"celery worker not ready within 60 s; see {path}")

    def start_beat(self) -> subprocess.Popen:
        """`celery beat` with the project's schedule (the deadline sweep every 5 s)."""
        schedule = ARTIFACTS / f"beat-schedule-{uuid.uuid4().hex[:6]}"
        beat, _ = self._spawn(
            "beat", ["celery", "-A", "wargame", "beat", "-l", "info", "-s", str(schedule)]
        )
        self.workers.append(beat)
        return beat

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the whole process group (a prefork worker and its children)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in [*self.workers, self.web, *self.more_web]:
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill(process)


def run_id() -> str:
    return f"lt-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def wait_for_quiet_database(*, timeout: float = 5.0) -> None:
    """Before a test's database is flushed: wait until no other connection (the stack's
    web server writing a closed socket's presence, its worker finishing a turn) has a
    transaction open. Flushing truncates every table while such a transaction may still
    commit (its foreign keys checked at commit) and PostgreSQL then kills one side as a
    deadlock, leaving the long-lived server with a broken connection for the next test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    quiet = 0
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and quiet < 3:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            )
            quiet = quiet + 1 if cursor.fetchone()[0] == 0 else 0
            time.sleep(0.05)
