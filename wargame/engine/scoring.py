"""Score each role's objectives over a state: 0 (every objective lost) to 100."""

from __future__ import annotations

from typing import Any

from .scenario import Scenario
from .state import get_var


def objective_value(objective: dict[str, Any], state: dict[str, Any]) -> float:
    """How well one objective is met, 0-100."""
    value = get_var(state, objective["var"])
    want = objective["want"]
    if isinstance(want, dict):
        return float(want.get(value, 0))
    is_relation = objective["var"].startswith("relations.")
    norm = (value + 100) / 2 if is_relation else float(value)
    return norm if want == "high" else 100 - norm


def role_score(role: dict[str, Any], state: dict[str, Any]) -> float:
    objectives = role["objectives"]
    total = sum(o["weight"] for o in objectives)
    earned = sum(o["weight"] * objective_value(o, state) for o in objectives)
    return round(earned / total, 1)


def scores(scenario: Scenario, state: dict[str, Any]) -> dict[str, float]:
    return {role["slug"]: role_score(role, state) for role in scenario.roles}
