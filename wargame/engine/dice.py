"""Seeded dice that do not depend on the order in which they are thrown.

Each roll is a hash of (seed, turn, rule, salt), so adding a rule to a scenario never
shifts the dice of the others, and the same game replays identically on any machine.
"""

from __future__ import annotations

import hashlib


def roll_percent(seed: int, turn: int, rule: str, salt: str = "") -> int:
    """A number in [0, 100): a move succeeds when the roll is below its chance."""
    return _draw(seed, turn, rule, salt) % 100


def roll_between(seed: int, turn: int, rule: str, low: int, high: int, salt: str = "") -> int:
    """A whole number in [low, high], both ends included."""
    return low + _draw(seed, turn, rule, salt) % (high - low + 1)


def _draw(seed: int, turn: int, rule: str, salt: str) -> int:
    digest = hashlib.sha256(f"{seed}|{turn}|{rule}|{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
