"""Check moves against the scenario before they are stored or adjudicated.

The budget and duplicate rules live here alone, one code each (`over_budget`,
`duplicate`): `validate_moves` checks a whole turn, `validate_addition` one more move
beside a role's existing ones (the move service asks it instead of re-checking).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .reasons import Reason
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
        said = [v.message for v in violations]
        super().__init__(said[0] if len(said) == 1 else "; ".join(said))


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
            Violation(
                UNKNOWN_ROLE,
                Reason("There is no role %(role)s in this scenario.", role=repr(move.role)),
                move.role,
            )
        ]
    action = scenario.action(move.role, move.action)
    owners = scenario.roles_with_action(move.action) if action is None else []
    if action is None and owners:
        return [
            Violation(
                NOT_ROLE_ACTION,
                Reason(
                    "%(action)s is an action of %(owners)s, not of %(role)s.",
                    action=repr(move.action),
                    owners=", ".join(owners),
                    role=move.role,
                ),
                move.role,
                move.action,
            )
        ]
    if action is None:
        return [
            Violation(
                UNKNOWN_ACTION,
                Reason(
                    "Unknown action %(action)s. %(role)s may play: %(actions)s",
                    action=repr(move.action),
                    role=move.role,
                    actions=", ".join(a.code for a in scenario.actions_for(move.role)),
                ),
                move.role,
                move.action,
            )
        ]
    if not action.targets and move.target:
        said = Reason("%(action)s takes no target.", action=repr(move.action))
        return [Violation(BAD_TARGET, said, move.role, move.action)]
    if action.targets and move.target not in action.targets:
        wanted = ", ".join(action.targets)
        got = Reason("no target") if move.target is None else repr(move.target)
        return [
            Violation(
                BAD_TARGET,
                Reason(
                    "%(action)s needs a target among: %(targets)s (got %(got)s).",
                    action=repr(move.action),
                    targets=wanted,
                    got=got,
                ),
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
            Violation(
                WRONG_TURN,
                Reason(
                    "Turn %(turn)s is not open; the open turn is %(open)s.",
                    turn=turn,
                    open=state["turn"] + 1,
                ),
            )
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
            said = Reason(
                "%(role)s has %(count)s moves this turn; the budget is %(limit)s.",
                role=role,
                count=count,
                limit=limit,
            )
            violations.append(Violation(OVER_BUDGET, said, role))
    for (role, action, _target), count in per_move.items():
        if count > 1:
            said = Reason(
                "%(role)s plays %(action)s twice on the same target this turn.",
                role=role,
                action=repr(action),
            )
            violations.append(Violation(DUPLICATE_MOVE, said, role, action))
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
        said = Reason(
            "%(role)s already has %(count)s moves this turn; the budget is %(limit)s. "
            "Withdraw one first.",
            role=move.role,
            count=len(mine),
            limit=limit,
        )
        return [Violation(OVER_BUDGET, said, move.role)]
    if any((m.action, m.target) == (move.action, move.target) for m in mine):
        said = Reason(
            "%(role)s already plays %(action)s on that target this turn.",
            role=move.role,
            action=repr(move.action),
        )
        return [Violation(DUPLICATE_MOVE, said, move.role, move.action)]
    return []
