"""`random`: up to the budget of distinct legal actions, each with a legal target, drawn
from the seat's dice. The bots of every game played before policies existed; its draws
(names and order) are kept exactly, so their logs still verify."""

from __future__ import annotations

from wargame.engine import Move

from .base import BotDice, SeatView

RATIONALE = "Chosen by a scripted seat."


class RandomPolicy:
    name = "random"

    def choose(self, view: SeatView, dice: BotDice) -> list[Move]:
        choices = view.legal_actions()
        count = dice.between("count", 0, view.budget)
        moves: list[Move] = []
        for i in range(count):
            if not choices:
                break
            pick = choices.pop(dice.between(str(i), 0, len(choices) - 1))
            target = None
            if pick.targets:
                target = pick.targets[dice.between(f"{i}:t", 0, len(pick.targets) - 1)]
            moves.append(Move(view.role, pick.code, target, RATIONALE))
        return moves
