"""Seeded dice that do not depend on the order in which they are thrown.

Each roll is drawn from (seed, turn, rule, salt), so adding a rule to a scenario never
shifts the dice of the others, and the same game replays identically on any machine.

The seed's form names the construction (engine.RULESETS):
- ruleset 1, an integer seed: sha256 of "seed|turn|rule|salt". Kept exactly, for the
  games already played; its seeds were 31 bits, few enough to find by trying them all
  against the rolls every seat sees.
- ruleset 2, a secret seed of 128 bits written as 32 hex digits: HMAC-SHA256 keyed by the
  seed over "turn|rule|salt". HMAC rather than sha256(seed|...): it is the construction
  made for a secret key (a pseudo-random function of the key), so rolls seen give nothing
  better than guessing one of 2**128 keys, and the encoding of the key cannot run into
  the message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

SECRET_SEED_BITS = 128
_SECRET_SEED = re.compile(r"[0-9a-f]{32}")
MAX_INTEGER_SEED = 2**53 - 1  # what a JSON number holds exactly

Seed = int | str


def new_secret_seed() -> str:
    """A fresh 128-bit seed from the operating system's CSPRNG, as 32 hex digits."""
    return secrets.token_hex(SECRET_SEED_BITS // 8)


def is_secret_seed(seed: object) -> bool:
    return isinstance(seed, str) and _SECRET_SEED.fullmatch(seed) is not None


def is_integer_seed(seed: object) -> bool:
    return isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_INTEGER_SEED


def seed_from_text(text: str) -> Seed:
    """A seed as typed or stored: 32 hex digits are a secret seed, digits an integer one.

    Unambiguous: an integer seed has at most 16 digits. Raises ValueError otherwise.
    """
    text = text.strip().lower()
    if is_secret_seed(text):
        return text
    if text.isdigit() and is_integer_seed(int(text)):
        return int(text)
    raise ValueError(
        f"a seed is 32 hex digits (ruleset 2) or a whole number from 0 to {MAX_INTEGER_SEED} "
        f"(ruleset 1), not {text[:40]!r}"
    )


def roll_percent(seed: Seed, turn: int, rule: str, salt: str = "") -> int:
    """A number in [0, 100): a move succeeds when the roll is below its chance."""
    return _draw(seed, turn, rule, salt) % 100


def roll_between(seed: Seed, turn: int, rule: str, low: int, high: int, salt: str = "") -> int:
    """A whole number in [low, high], both ends included."""
    return low + _draw(seed, turn, rule, salt) % (high - low + 1)


def draws(seed: Seed, turn: int, prefix: str) -> Callable[[str], int]:
    """`name -> _draw(seed, turn, prefix + name, "")`: the rolls of one thrower in one
    turn (a bot seat's "bot:<role>:" dice), with the fixed part of the message (and the
    key) made once instead of on every throw. The same numbers, by the same construction."""
    if isinstance(seed, str):
        key, head = bytes.fromhex(seed), f"{turn}|{prefix}"
        return lambda name: int.from_bytes(
            hmac.digest(key, f"{head}{name}|".encode(), "sha256")[:8], "big"
        )
    head = f"{seed}|{turn}|{prefix}"
    return lambda name: int.from_bytes(
        hashlib.sha256(f"{head}{name}|".encode()).digest()[:8], "big"
    )


def _draw(seed: Seed, turn: int, rule: str, salt: str) -> int:
    if isinstance(seed, str):
        key = bytes.fromhex(seed)
        digest = hmac.digest(key, f"{turn}|{rule}|{salt}".encode(), "sha256")  # one-shot
    else:
        digest = hashlib.sha256(f"{seed}|{turn}|{rule}|{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
