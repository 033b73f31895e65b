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
    """Every role's score: what role_score gives, computed from the objectives' paths
    split once per scenario (adjudication scores every turn; bots and Monte Carlo runs
    score thousands of states)."""
    return {slug: _score(plan, state) for slug, plan in _plans(scenario).items()}


# (head, tail, want, weight, is_relation) of each objective, per role slug.
_Plan = tuple[float | int, tuple[tuple[str, str, Any, Any, bool], ...]]


def _plans(scenario: Scenario) -> dict[str, _Plan]:
    cached = scenario.__dict__.get("_score_plans")
    if cached is None:
        cached = {}
        for role in scenario.roles:
            objectives = role["objectives"]
            split = []
            for o in objectives:
                head, _, tail = o["var"].partition(".")
                relation = o["var"].startswith("relations.")
                split.append((head, tail, o["want"], o["weight"], relation))
            cached[role["slug"]] = (sum(o["weight"] for o in objectives), tuple(split))
        scenario.__dict__["_score_plans"] = cached  # a cache beside cached_property's
    return cached


def _score(plan: _Plan, state: dict[str, Any]) -> float:
    """role_score over a plan, with the same arithmetic in the same order."""
    total, objectives = plan
    earned = 0
    for head, tail, want, weight, is_relation in objectives:
        value = state[head][tail] if tail else state[head]
        if isinstance(want, dict):
            met = float(want.get(value, 0))
        else:
            norm = (value + 100) / 2 if is_relation else float(value)
            met = norm if want == "high" else 100 - norm
        earned += weight * met
    return round(earned / total, 1)
