"""Check moves against the scenario before they are stored or adjudicated.

The budget and duplicate rules live here alone, one code each (`over_budget`,
`duplicate`): `validate_moves` checks a whole turn, `validate_addition` one more move
beside a role's existing ones (the move service asks it instead of re-checking).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .scenario import Scenario
from .types import Move, Violation

UNKNOWN_ROLE = "unknown_role"
UNKNOWN_ACTION = "unknown_action"
NOT_ROLE_ACTION = "not_role_action"
BAD_TARGET = "bad_target"
OVER_BUDGET = "over_budget"
DUPLICATE_MOVE = "duplicate"
WRONG_TURN = "wrong_turn"


class InvalidMoves(ValueError):
    """Raised by adjudicate when a move breaks the scenario's rules."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(v.message for v in violations))


def normalise_target(scenario: Scenario, move: Move) -> Move:
    """Fill in the target of an action that can only aim at one role."""
    if move.target is not None:
        return move  # a target given is kept as it is (validate_move judges it)
    action = scenario.action(move.role, move.action)
    if action and move.target is None and len(action.targets) == 1:
        return Move(move.role, move.action, action.targets[0], move.rationale)
    return move


def validate_move(scenario: Scenario, move: Move) -> list[Violation]:
    """Violations of one move taken alone (role, action, target)."""
    key = (move.role, move.action, move.target)
    if (key[2] is None or type(key[2]) is str) and key in scenario.legal_moves:
        return []  # a legal move, known at once; anything else is looked at below
    if move.role not in scenario.role_slugs:
        return [
            Violation(UNKNOWN_ROLE, f"There is no role {move.role!r} in this scenario.", move.role)
        ]
    action = scenario.action(move.role, move.action)
    owners = scenario.roles_with_action(move.action) if action is None else []
    if action is None and owners:
        return [
            Violation(
                NOT_ROLE_ACTION,
                f"{move.action!r} is an action of {', '.join(owners)}, not of {move.role}.",
                move.role,
                move.action,
            )
        ]
    if action is None:
        return [
            Violation(
                UNKNOWN_ACTION,
                f"Unknown action {move.action!r}. {move.role} may play: "
                + ", ".join(a.code for a in scenario.actions_for(move.role)),
                move.role,
                move.action,
            )
        ]
    if not action.targets and move.target:
        return [Violation(BAD_TARGET, f"{move.action!r} takes no target.", move.role, move.action)]
    if action.targets and move.target not in action.targets:
        wanted = ", ".join(action.targets)
        got = "no target" if move.target is None else repr(move.target)
        return [
            Violation(
                BAD_TARGET,
                f"{move.action!r} needs a target among: {wanted} (got {got}).",
                move.role,
                move.action,
            )
        ]
    return []


def validate_moves(
    scenario: Scenario,
    moves: Iterable[Move],
    *,
    budget: int | None = None,
    turn: int | None = None,
    state: dict[str, Any] | None = None,
) -> list[Violation]:
    """All violations of a turn's moves: each move, then the per-role budget and the turn."""
    moves = [normalise_target(scenario, m) for m in moves]
    violations: list[Violation] = []
    if turn is not None and state is not None and turn != state["turn"] + 1:
        violations.append(
            Violation(WRONG_TURN, f"Turn {turn} is not open; the open turn is {state['turn'] + 1}.")
        )
    for move in moves:
        violations.extend(validate_move(scenario, move))
    limit = scenario.action_budget if budget is None else budget
    per_role: dict[str, int] = {}
    per_move: dict[tuple[str, str, str | None], int] = {}
    for m in moves:  # counted in first-seen order, as Counter does
        per_role[m.role] = per_role.get(m.role, 0) + 1
        key = (m.role, m.action, m.target)
        per_move[key] = per_move.get(key, 0) + 1
    for role, count in per_role.items():
        if count > limit:
            violations.append(_over_budget(role, f"{role} has {count} moves this turn", limit))
    for (role, action, _target), count in per_move.items():
        if count > 1:
            violations.append(
                _duplicate(role, action, f"{role} plays {action!r} twice on the same target")
            )
    return violations


def validate_addition(
    scenario: Scenario, move: Move, existing: Iterable[Move], *, budget: int | None = None
) -> list[Violation]:
    """Violations of adding `move` to the moves its role already has this turn: the move
    alone first, then the budget, then a second play of the same action on the same
    target."""
    move = normalise_target(scenario, move)
    violations = validate_move(scenario, move)
    if violations:
        return violations
    mine = [normalise_target(scenario, m) for m in existing if m.role == move.role]
    limit = scenario.action_budget if budget is None else budget
    if len(mine) >= limit:
        return [
            _over_budget(
                move.role,
                f"{move.role} already has {len(mine)} moves this turn",
                limit,
                hint=" Withdraw one first.",
            )
        ]
    if any((m.action, m.target) == (move.action, move.target) for m in mine):
        return [
            _duplicate(
                move.role, move.action, f"{move.role} already plays {move.action!r} on that target"
            )
        ]
    return []


def _over_budget(role: str, said: str, limit: int, hint: str = "") -> Violation:
    return Violation(OVER_BUDGET, f"{said}; the budget is {limit}.{hint}", role)


def _duplicate(role: str, action: str, said: str) -> Violation:
    return Violation(DUPLICATE_MOVE, f"{said} this turn.", role, action)
