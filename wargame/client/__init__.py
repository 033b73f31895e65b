"""A small Python client for the public API and socket: what a script or a bot uses to
play a seat exactly as a person's browser does (join with a code, read the seat's view,
submit moves, lock, hear the events). Standard library for HTTP, `websockets` for the
socket; nothing of Django, so it runs on any machine with this package.

    client = GameClient("https://wargame.example")
    seat = client.join("K6HKF726", "Analyst bot")
    view = client.game(seat["game"])
    client.submit(seat["game"], "consult_washington", "washington", "Keep the alliance close.")
    client.lock(seat["game"])

The calls, their methods and body fields are checked against the server's OpenAPI
document in tests/web/test_client.py (CALLS below is what that test reads).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

# (method, OpenAPI path, body fields sent) of every call this client makes.
CALLS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "join": ("post", "/api/join", ("code", "name")),
    "game": ("get", "/api/games/{game_id}", ()),
    "submit": ("post", "/api/games/{game_id}/moves", ("action", "target", "rationale")),
    "withdraw": ("delete", "/api/games/{game_id}/moves/{move_id}", ()),
    "lock": ("post", "/api/games/{game_id}/lock", ()),
    "events": ("get", "/api/games/{game_id}/events", ()),
    "message": ("post", "/api/games/{game_id}/messages", ("to", "text")),
}


class ApiError(Exception):
    """An answer other than 2xx: its status and the server's `error` message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


class GameClient:
    def __init__(self, base: str, *, token: str | None = None, timeout: float = 30) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout

    def join(self, code: str, name: str) -> dict[str, Any]:
        """{"game", "role", "token"}; the token is kept for the calls that follow."""
        seat = self._call("join", {}, {"code": code, "name": name})
        self.token = seat["token"]
        return seat

    def game(self, game_id: int) -> dict[str, Any]:
        return self._call("game", {"game_id": game_id})

    def submit(
        self, game_id: int, action: str, target: str | None = None, rationale: str = ""
    ) -> dict[str, Any]:
        body = {"action": action, "target": target, "rationale": rationale}
        return self._call("submit", {"game_id": game_id}, body)

    def withdraw(self, game_id: int, move_id: int) -> None:
        self._call("withdraw", {"game_id": game_id, "move_id": move_id})

    def lock(self, game_id: int) -> dict[str, Any]:
        return self._call("lock", {"game_id": game_id})

    def events(self, game_id: int, after: int = 0) -> Any:
        return self._call("events", {"game_id": game_id}, query=f"after={int(after)}")

    def message(self, game_id: int, to: str, text: str) -> dict[str, Any]:
        return self._call("message", {"game_id": game_id}, {"to": to, "text": text})

    def socket(self, game_id: int, *, last_seq: int = 0) -> Iterator[dict[str, Any]]:
        """The seat's events as they come (`{"seq", "type", "turn", "data"}`), after
        resuming from `last_seq`. Ends when the server closes the socket."""
        from websockets.sync.client import connect

        url = self.base.replace("http", "ws", 1) + f"/ws/games/{game_id}/?token={self.token}"
        with connect(url, open_timeout=self.timeout) as ws:
            ws.send(json.dumps({"type": "resume", "last_seq": last_seq}))
            for frame in ws:
                yield json.loads(frame)

    def _call(
        self,
        name: str,
        params: dict[str, Any],
        body: dict[str, Any] | None = None,
        query: str = "",
    ) -> Any:
        method, path, _fields = CALLS[name]
        url = self.base + path.format(**params) + (f"?{query}" if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method.upper())
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", exc.reason)
            except ValueError:
                message = exc.reason
            raise ApiError(exc.code, str(message)) from exc
        return json.loads(raw) if raw else None
