"""`scripted`: plays the moves a log or script gives its role for each turn it names; on
a turn the script says nothing of (or past its end) it holds, or asks another policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wargame.engine import Move

from .base import BotDice, Policy, SeatView

RATIONALE = "Played from the script."


class ScriptedPolicy:
    """The script's moves on the turns it names; on the others, `otherwise`'s (a fixed
    script for some turns, a policy for the rest), or a hold without one."""

    name = "scripted"

    def __init__(
        self, turns: Mapping[int, Sequence[Move]], otherwise: Policy | None = None
    ) -> None:
        self.turns = {int(n): tuple(moves) for n, moves in turns.items()}
        self.otherwise = otherwise

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], role: str, otherwise: Policy | None = None
    ) -> ScriptedPolicy:
        """The moves of `role` in each turn of a log or script document (already checked
        by the log reader) that gives it any, rationales kept."""
        turns: dict[int, list[Move]] = {}
        for turn in document.get("turns", ()):
            mine = [Move.from_dict(m) for m in turn.get("moves", ()) if m.get("role") == role]
            if not mine:
                continue  # the script leaves this turn to `otherwise` (or a hold)
            turns[int(turn["number"])] = [
                Move(m.role, m.action, m.target, m.rationale or RATIONALE) for m in mine
            ]
        return cls(turns, otherwise)

    def choose(self, view: SeatView, dice: BotDice) -> list[Move]:
        if view.turn not in self.turns:
            return self.otherwise.choose(view, dice) if self.otherwise else []
        return [m for m in self.turns[view.turn] if m.role == view.role][: view.budget]
