"""A Redis server of a test's own, on a free port, that the test stops and starts again:
a real outage, where stopping the shared server would take every other test's services
down with it. Nothing is kept on disk: a restarted server is empty, as the shared one is
after a restart here."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from tests.support.stack import Stack, free_port, run_id


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it (again) on its port; the test skips where redis-server is missing."""
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not answer within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def stack_on_private_redis(
    database: dict, *, extra_env: dict
) -> Iterator[tuple[Stack, PrivateRedis]]:
    """A web server and a worker (not started: the caller starts what it needs) against
    `database` and a private Redis server, started; both stopped at the end."""
    server = PrivateRedis()
    server.start()
    name = run_id()
    stack = Stack(database=database, redis_url=server.url, prefix=name, queue=name,
                  extra_env=extra_env)  # fmt: skip
    try:
        yield stack, server
    finally:
        stack.stop()
        server.stop()
