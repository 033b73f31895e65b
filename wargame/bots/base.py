"""What a bot seat sees, the dice it may throw, and the one interface every policy has.

A policy is pure and deterministic: given a seat's view (its role, the public state at the
start of the turn, the turn, its legal actions, never another role's moves) and its dice,
it returns the moves it plays, each with a rationale in words. Same view, same dice, same
moves, so a game with bots replays exactly and a Monte Carlo run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from wargame.engine import Action, Move, Scenario
from wargame.engine import dice as engine_dice
from wargame.engine.dice import Seed
from wargame.engine.slot_init import slot_init


@slot_init
@dataclass(frozen=True, slots=True)
class SeatView:
    """What a seat may see when it chooses: nothing of other roles' moves for this turn."""

    scenario: Scenario
    role: str
    state: dict[str, Any]  # the state after the last resolved turn (public)
    budget: int

    @property
    def turn(self) -> int:
        """The turn being played (the one after the state's)."""
        return self.state["turn"] + 1

    def legal_actions(self) -> list[Action]:
        """The role's actions other than holding (holding is playing nothing)."""
        return list(self.scenario.actions_but_hold(self.role))


class BotDice:
    """A seat's own dice: rolls drawn from (seed, turn, "bot:<role>:<name>"), so they do
    not depend on the order of the throws and never coincide with the rules' dice.

    A plain class (it was a frozen dataclass): the message's fixed part is built once
    (`engine.dice.draws`), as a seat throws several times a turn and Monte Carlo jobs
    play millions of turns. Its repr leaves the seed out."""

    __slots__ = ("seed", "turn", "role", "_draw")

    def __init__(self, seed: Seed, turn: int, role: str) -> None:
        self.seed, self.turn, self.role = seed, turn, role
        self._draw = engine_dice.draws(seed, turn, f"bot:{role}:")

    def __repr__(self) -> str:
        return f"BotDice(seed=..., turn={self.turn!r}, role={self.role!r})"

    def between(self, name: str, low: int, high: int) -> int:
        """A whole number in [low, high], both ends included (as dice.roll_between)."""
        return low + self._draw(name) % (high - low + 1)


class Policy(Protocol):
    """A bot policy: `choose` returns at most `view.budget` legal moves of `view.role`."""

    name: str

    def choose(self, view: SeatView, dice: BotDice) -> list[Move]: ...


def seat_moves(
    policy: Policy,
    scenario: Scenario,
    state: dict[str, Any],
    role: str,
    *,
    seed: Seed,
    budget: int | None = None,
) -> list[Move]:
    """The moves `policy` plays for `role` in the turn after `state` (its dice from `seed`)."""
    limit = scenario.action_budget if budget is None else budget
    view = SeatView(scenario, role, state, limit)  # positional: seats choose every turn
    return policy.choose(view, BotDice(seed, view.turn, role))
