"""Plumbing for the rules catalogue: the scenario, a fresh start state, and two-world helpers.

A case builds a situation from the start state, adjudicates it once with the move under
test and once without, under the same seed, and compares the two worlds. Dice are hashes
of (seed, turn, rule), so everything not touched by the move rolls identically in both.
Cases run against the latest scenario version, unless pinned to the version they were
written for with `@pytest.mark.scenario_version(N)` because a later one changed the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pytest

from wargame.engine import Adjudication, FiredRule, Move, MoveOutcome, Scenario, adjudicate
from wargame.engine.loader import load_scenario
from wargame.engine.state import copy_state, get_var, set_var

SEEDS = range(200)
"""Seeds for dice-dependent cases: enough to estimate a rate to within a few points."""

DETERMINISM_SEEDS = range(50)

SECTION_OF_CLAIM = {
    **{f"C{n}": "I" for n in (1, 2)},
    **{f"C{n}": "II.1" for n in range(3, 10)},
    **{f"C{n}": "II.2" for n in range(10, 15)},
    **{f"C{n}": "II.3" for n in range(15, 22)},
}
"""Where docs/scenario-2025.md files each causal claim in the commentary."""

APEC_TURN = 8


@pytest.fixture
def scenario(request) -> Scenario:
    """The latest released version, or the one a case is pinned to with
    `@pytest.mark.scenario_version(N)` (a case whose answer a later version changed)."""
    marker = request.node.get_closest_marker("scenario_version")
    return load_scenario(version=marker.args[0] if marker else None)


@pytest.fixture
def start_state(scenario: Scenario) -> dict[str, Any]:
    """The turn-0 state (March 2025 is the next turn); each test gets its own copy."""
    return scenario.initial_state()


@pytest.fixture
def world(scenario: Scenario):
    """world(state, moves, seed, injects=()) -> Adjudication of the next turn."""

    def _world(
        state: dict[str, Any],
        moves: Iterable[Move] = (),
        seed: int = 0,
        injects: Sequence[str | dict[str, Any]] = (),
    ) -> Adjudication:
        return adjudicate(state, list(moves), seed=seed, scenario=scenario, injects=injects)

    return _world


@pytest.fixture
def play(scenario: Scenario):
    """play(state, [moves of turn 1, moves of turn 2, ...], seed) -> one Adjudication a turn."""

    def _play(
        state: dict[str, Any], turns: Sequence[Iterable[Move]], seed: int = 0
    ) -> list[Adjudication]:
        out: list[Adjudication] = []
        for moves in turns:
            adj = adjudicate(state, list(moves), seed=seed, scenario=scenario)
            out.append(adj)
            state = adj.state
        return out

    return _play


def moves(*specs: str) -> list[Move]:
    """Moves from 'role:action' or 'role:action>target' strings."""
    out = []
    for spec in specs:
        head, _, target = spec.partition(">")
        role, _, action = head.partition(":")
        out.append(Move(role, action, target or None, rationale=f"catalogue case: {spec}"))
    return out


def situation(state: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of state with some variables changed, by their public names:
    situation(s, {"tension": 80, "relations.beijing-pyongyang": 45, "turn": 7})."""
    out = copy_state(state)
    for path, new in changes.items():
        set_var(out, path, new)
    return out


def value(adj_or_state: Adjudication | dict[str, Any], var: str) -> Any:
    state = adj_or_state.state if isinstance(adj_or_state, Adjudication) else adj_or_state
    return get_var(state, var)


def delta(without: Adjudication, with_: Adjudication, var: str) -> int:
    """How much the move moved `var`: its value in the world with it minus the world without."""
    return value(with_, var) - value(without, var)


def change(before: dict[str, Any], after: Adjudication, var: str) -> int:
    """How much `var` moved over one adjudicated turn."""
    return value(after, var) - get_var(before, var)


def fired(adj: Adjudication, rule_id: str) -> FiredRule | None:
    """The rule as reported to the players this turn, or None if it did not fire."""
    return next((r for r in adj.fired_rules if r.rule == rule_id), None)


def succeeded(adj: Adjudication, rule_id: str) -> bool:
    rule = fired(adj, rule_id)
    return rule is not None and rule.succeeded


def outcome(adj: Adjudication, role: str, action: str) -> MoveOutcome:
    return next(o for o in adj.outcomes if o.role == role and o.action == action)


def assert_cites(adj: Adjudication, rule_id: str, claim: str) -> FiredRule:
    """The rule fired, and shows the players the claim and its section of the commentary."""
    rule = fired(adj, rule_id)
    assert rule is not None, f"{rule_id} did not fire; fired: {[r.rule for r in adj.fired_rules]}"
    assert claim in rule.claims, f"{rule_id} cites {rule.claims}, not {claim}"
    assert rule.section == SECTION_OF_CLAIM[claim], (
        f"{rule_id} is filed under section {rule.section}; {claim} belongs to "
        f"{SECTION_OF_CLAIM[claim]}"
    )
    return rule


def rate(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags)
