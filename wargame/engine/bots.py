"""Scripted seats: pick legal moves for a role from the seeded dice.

Pure and deterministic (same seed, turn and state give the same moves), so a game with
bots still replays exactly, and a classroom table can run with empty seats filled.
"""

from __future__ import annotations

from typing import Any

from . import dice
from .dice import Seed
from .scenario import Scenario
from .types import Move


def bot_moves(
    scenario: Scenario, state: dict[str, Any], role: str, *, seed: Seed, budget: int | None = None
) -> list[Move]:
    """Up to `budget` distinct non-hold actions, each with a legal target."""
    turn = state["turn"] + 1
    limit = scenario.action_budget if budget is None else budget
    choices = [a for a in scenario.actions_for(role) if a.code != "hold"]
    count = dice.roll_between(seed, turn, f"bot:{role}:count", 0, limit)
    moves: list[Move] = []
    for i in range(count):
        if not choices:
            break
        pick = choices.pop(dice.roll_between(seed, turn, f"bot:{role}:{i}", 0, len(choices) - 1))
        target = None
        if pick.targets:
            index = dice.roll_between(seed, turn, f"bot:{role}:{i}:t", 0, len(pick.targets) - 1)
            target = pick.targets[index]
        moves.append(Move(role, pick.code, target, "Chosen by a scripted seat."))
    return moves
