"""Reading, copying, bounding and hashing the game state (a plain JSON-able dict)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

RELATION_MIN, RELATION_MAX = -100, 100
SCALAR_MIN, SCALAR_MAX = 0, 100


def pair_key(a: str, b: str) -> str:
    """The public name of a relation: the two slugs in alphabetical order, joined by '-'."""
    first, second = sorted((a, b))
    return f"{first}-{second}"


def copy_state(state: dict[str, Any]) -> dict[str, Any]:
    """Copy two levels deep: enough for this state's shape and far cheaper than deepcopy."""
    out: dict[str, Any] = {}
    for key, value in state.items():
        if isinstance(value, dict):
            out[key] = dict(value)
        elif isinstance(value, list):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def get_var(state: dict[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    value = state[head]
    return value[tail] if tail else value


def set_var(state: dict[str, Any], path: str, value: Any) -> None:
    head, _, tail = path.partition(".")
    if tail:
        state[head][tail] = value
    else:
        state[head] = value


# json.dumps with these options builds a new encoder on every call; one made once encodes
# the same text (the C encoder either way) without that cost on every state hash.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical_json(data: Any) -> str:
    """Sorted keys, no spaces, ASCII: the same text on every machine."""
    return _CANONICAL.encode(data)


def state_hash(state: dict[str, Any]) -> str:
    """A digest of the state that is the same on every machine (sorted keys, ints, ASCII)."""
    return hashlib.sha256(canonical_json(state).encode("ascii")).hexdigest()


def bound(path: str, value: int) -> int:
    """Keep relations in [-100, 100] and other numbers in [0, 100]; memory is unbounded."""
    if path.startswith("relations."):
        return max(RELATION_MIN, min(RELATION_MAX, value))
    if path.startswith("memory."):
        return value
    return max(SCALAR_MIN, min(SCALAR_MAX, value))


def bound_numbers(state: dict[str, Any]) -> None:
    """Bound, in place, every relation and every top-level number but the turn (as
    `bound` does one path at a time; memory lives in its own dict and is left alone)."""
    relations = state["relations"]
    for key, value in relations.items():
        if value < RELATION_MIN or value > RELATION_MAX:
            relations[key] = max(RELATION_MIN, min(RELATION_MAX, value))
    for key, value in state.items():
        if isinstance(value, int) and key != "turn" and (value < SCALAR_MIN or value > SCALAR_MAX):
            state[key] = max(SCALAR_MIN, min(SCALAR_MAX, value))
