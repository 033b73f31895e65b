"""A short account of the turn for each role: its own moves, then what moved that it cares about."""

from __future__ import annotations

from typing import Any

from .scenario import Scenario
from .types import FiredRule, MoveOutcome

PUBLIC = "all"


def narrate(
    scenario: Scenario,
    before: dict[str, Any],
    after: dict[str, Any],
    outcomes: tuple[MoveOutcome, ...],
    fired: list[FiredRule],
    *,
    labels: bool = False,
) -> dict[str, str]:
    """`labels` (ruleset 4): variables and results by their labels ("Military tension
    +8 (now 63)", "failed"), not their codes ("tension", "no_effect"); earlier rulesets
    keep the codes their logs recorded."""
    names = _var_labels(scenario) if labels else {}
    events = [r.title for r in fired if r.event]
    headline = ("Events: " + "; ".join(events) + ". ") if events else ""
    every_change = _changed(before, after, names)  # once; each role reads its share of it
    story = {PUBLIC: headline + _changes_sentence(every_change)}
    by_role: dict[str, list[MoveOutcome]] = {}
    for outcome in outcomes:
        by_role.setdefault(outcome.role, []).append(outcome)
    action_labels = _action_labels(scenario)
    shares = _shares(scenario, every_change)
    for slug in scenario.role_slugs:
        own = by_role.get(slug, ())
        moves = " ".join(
            [
                f"{action_labels.get((o.role, o.action), o.action)}: "
                f"{_result(o.result) if labels else o.result} ({o.reason})"
                for o in own
            ]
        )
        story[slug] = (
            headline + (moves or "You held this turn.") + " " + _changes_sentence(shares[slug])
        ).strip()
    return story


def _cares(scenario: Scenario) -> list[tuple[str, frozenset[str]]]:
    """(slug, the variables its objectives name) per role, in order; built once per
    scenario (kept beside its cached properties), not on every turn."""
    cached = scenario.__dict__.get("_narrative_cares")
    if cached is None:
        cached = [(r["slug"], frozenset(o["var"] for o in r["objectives"])) for r in scenario.roles]
        scenario.__dict__["_narrative_cares"] = cached
    return cached


def _shares(scenario: Scenario, changes: list[tuple[str, str]]) -> dict[str, list]:
    """{slug: the changes its sentence tells}: a change is told to a role whose objectives
    name its variable or whose slug is in its path (a relation it is part of)."""
    audience = _audience(scenario)
    shares: dict[str, list] = {slug: [] for slug in scenario.role_slugs}
    for change in changes:
        path = change[0]
        told = audience.get(path)
        if told is None:
            told = audience[path] = tuple(
                slug for slug, cares in _cares(scenario) if path in cares or slug in path
            )
        for slug in told:
            shares[slug].append(change)
    return shares


def _audience(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """{path: the roles told of its changes}, filled as paths change (once per path)."""
    cached = scenario.__dict__.get("_narrative_audience")
    if cached is None:
        cached = scenario.__dict__["_narrative_audience"] = {}
    return cached


def _action_labels(scenario: Scenario) -> dict[tuple[str, str], str]:
    """{(role, action code): label} of every action, built once per scenario; a move of
    an action the scenario lacks is told by its code."""
    cached = scenario.__dict__.get("_narrative_action_labels")
    if cached is None:
        cached = {(a.role, a.code): a.label for a in scenario.actions.values()}
        scenario.__dict__["_narrative_action_labels"] = cached
    return cached


def _changed(before, after, names: dict[str, str]) -> list[tuple[str, str]]:
    """(path, phrase) of every relation, then every other variable, that changed: each
    phrase is written once (by label where `names` has one), and every role's sentence
    picks its share."""
    out = []
    old_relations = before["relations"]
    for key, new in after["relations"].items():
        old = old_relations[key]
        if old != new:
            path = f"relations.{key}"
            out.append((path, _phrase(names.get(path) or key, old, new)))
    for key, new in after.items():
        if key in ("relations", "memory", "turn"):
            continue
        old = before[key]
        if old != new:
            out.append((key, _phrase(names.get(key) or key, old, new)))
    return out


def _var_labels(scenario: Scenario) -> dict[str, str]:
    """{path: label} of every variable (ruleset 4's narrative), built once per scenario."""
    cached = scenario.__dict__.get("_narrative_var_labels")
    if cached is None:
        cached = _read_var_labels(scenario.variables)
        scenario.__dict__["_narrative_var_labels"] = cached
    return cached


def _read_var_labels(variables: dict[str, Any]) -> dict[str, str]:
    out = {f"relations.{k}": v.get("label", k) for k, v in variables["relations"].items()}
    for group in ("scalars", "enums", "lists"):
        out.update({k: v.get("label", k) for k, v in variables.get(group, {}).items()})
    return out


def _result(code: str) -> str:
    return code.replace("_", " ")


def _phrase(name: str, old: Any, new: Any) -> str:
    if isinstance(new, int) and isinstance(old, int):
        return f"{name} {new - old:+d} (now {new})"
    return f"{name} now {new}"


def _changes_sentence(changed: list[tuple[str, str]]) -> str:
    if not changed:
        return "Nothing measurable changed."
    return "Changes: " + ", ".join([phrase for _, phrase in changed]) + "."
