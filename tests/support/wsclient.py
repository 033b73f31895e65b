"""A threaded WebSocket client for tests: collects every frame, waits for conditions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


class SocketClient:
    def __init__(self, url: str, *, origin: str | None = None) -> None:
        headers = {"Origin": origin} if origin else None
        self._connect = connect(url, additional_headers=headers, open_timeout=10, max_size=2**22)
        self.conn = self._connect.__enter__()
        self.frames: list[dict] = []
        self.closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _parse(self, raw: str | bytes) -> dict:
        """One received frame; subclasses may annotate it (the benchmark stamps arrival)."""
        return json.loads(raw)

    def _read(self) -> None:
        try:
            while True:
                frame = self._parse(self.conn.recv())
                with self._cond:
                    self.frames.append(frame)
                    self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def send(self, frame: dict) -> None:
        self.conn.send(json.dumps(frame))

    def wait_for(self, predicate: Callable[[list[dict]], bool], timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.frames):
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    kinds = [f.get("type") for f in self.frames[-15:]]
                    raise AssertionError(f"timed out; closed={self.closed}; last frames: {kinds}")
                self._cond.wait(left)
            return list(self.frames)

    def of_type(self, kind: str) -> list[dict]:
        with self._cond:
            return [f for f in self.frames if f.get("type") == kind]

    def seqs(self) -> list[int]:
        with self._cond:
            return [f["seq"] for f in self.frames if f.get("seq") is not None]

    def close(self) -> None:
        self._connect.__exit__(None, None, None)
        self._thread.join(timeout=5)
