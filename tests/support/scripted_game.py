"""Five scripted seats and a facilitator play a game through the public HTTP API.

Transport-agnostic: `call(method, path, body, token) -> (status, json)` is either Django's
test client (embedded mode) or httpx against a real ASGI server (full stack).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]

# A plausible 2025: each turn, each role's moves (action, target). Missing turns hold.
SCRIPT: dict[int, dict[str, list[tuple[str, str | None]]]] = {
    1: {
        "pyongyang": [("envoy_to_beijing", "beijing")],
        "washington": [("raise_tariffs_china", "beijing")],
        "beijing": [("strategic_communication_pyongyang", "pyongyang")],
        "moscow": [("military_coop_pyongyang", "pyongyang")],
        "seoul": [("stabilise_leadership", None)],
    },
    2: {
        "washington": [
            ("negotiate_ukraine_peace", "moscow"),
            ("propose_summit_pyongyang", "pyongyang"),
        ],
        "moscow": [("negotiate_ukraine_peace", "washington")],
        "pyongyang": [("accept_talks_washington", "washington")],
        "seoul": [("stabilise_leadership", None), ("restore_channel_moscow", "moscow")],
    },
    3: {
        "washington": [("negotiate_ukraine_peace", "moscow")],
        "moscow": [("negotiate_ukraine_peace", "washington")],
        "beijing": [("host_summit_pyongyang", "pyongyang")],
        "pyongyang": [("seek_summit_beijing", "beijing")],
        "seoul": [("invite_xi_apec", "beijing")],
    },
    4: {
        "beijing": [("attend_apec_gyeongju", "seoul"), ("court_seoul", "seoul")],
        "seoul": [("hold_summit_beijing", "beijing")],
        "pyongyang": [("missile_test", None)],
    },
    5: {
        "washington": [("trade_talks_beijing", "beijing")],
        "beijing": [("trade_talks_washington", "washington")],
        "seoul": [("engage_global_south", None)],
    },
    6: {
        "pyongyang": [("reopen_border_trade", "beijing")],
        "beijing": [("economic_aid_pyongyang", "pyongyang")],
    },
    7: {
        "seoul": [("restore_channel_pyongyang", "pyongyang")],
        "washington": [("consult_seoul", "seoul")],
    },
    8: {"pyongyang": [("denounce", "seoul")], "seoul": [("strengthen_deterrence", None)]},
    9: {
        "washington": [("push_unsc_sanctions", "pyongyang")],
        "moscow": [("veto_unsc", "washington")],
    },
    10: {
        "beijing": [("enforce_sanctions", "pyongyang")],
        "moscow": [("energy_deal_beijing", "beijing")],
    },
}

Call = Callable[[str, str, Any, str | None], tuple[int, Any]]


def join_all(call: Call, codes: dict[str, str]) -> dict[str, str]:
    """Join every role and the facilitator; returns {seat: token}."""
    tokens = {}
    for seat in [*ROLES, "facilitator"]:
        status, body = call(
            "POST", "/api/join", {"code": codes[seat], "name": f"{seat} player"}, None
        )
        assert status == 200, body
        assert body["role"] == seat
        tokens[seat] = body["token"]
    return tokens


def play(
    call: Call,
    game: int,
    tokens: dict[str, str],
    *,
    turns: int = 10,
    wait_resolved: Callable[[int], None] | None = None,
) -> None:
    """Start, then each turn: message, moves, lock; wait for the turn to resolve."""
    status, body = call("POST", f"/api/games/{game}/start", None, tokens["facilitator"])
    assert status == 200, body
    for number in range(1, turns + 1):
        status, body = call(
            "POST",
            f"/api/games/{game}/messages",
            {"to": "beijing", "text": f"Turn {number}: let us talk."},
            tokens["seoul"],
        )
        assert status == 201, body
        for role in ROLES:
            for action, target in SCRIPT.get(number, {}).get(role, []):
                status, body = call(
                    "POST",
                    f"/api/games/{game}/moves",
                    {"action": action, "target": target, "rationale": f"{role} plays {action}"},
                    tokens[role],
                )
                assert status == 201, (number, role, action, body)
        for role in ROLES:
            status, body = call("POST", f"/api/games/{game}/lock", None, tokens[role])
            assert status == 200, (number, role, body)
        if wait_resolved:
            wait_resolved(number)
        status, view = call("GET", f"/api/games/{game}", None, tokens["facilitator"])
        assert status == 200
        assert view["resolved_turns"] == number, view


def poll_until_resolved(
    call: Call, game: int, token: str, number: int, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, view = call("GET", f"/api/games/{game}", None, token)
        if status == 200 and view["resolved_turns"] >= number:
            return
        time.sleep(0.05)
    raise AssertionError(f"turn {number} of game {game} did not resolve within {timeout}s")
