"""A short account of the turn for each role: its own moves, then what moved that it cares about."""

from __future__ import annotations

from typing import Any

from .scenario import Scenario
from .state import get_var
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
    story = {PUBLIC: headline + _changes_sentence(_changed(before, after, None), names)}
    for role in scenario.roles:
        slug = role["slug"]
        own = [o for o in outcomes if o.role == slug]
        moves = " ".join(
            f"{_label(scenario, o)}: {_result(o.result) if labels else o.result} ({o.reason})"
            for o in own
        )
        cares = {o["var"] for o in role["objectives"]}
        changed = _changed(before, after, lambda path, s=slug, c=cares: path in c or s in path)
        story[slug] = (
            headline + (moves or "You held this turn.") + " " + _changes_sentence(changed, names)
        ).strip()
    return story


def _label(scenario: Scenario, outcome: MoveOutcome) -> str:
    action = scenario.action(outcome.role, outcome.action)
    return action.label if action else outcome.action


def _changed(before, after, keep) -> list[tuple[str, Any, Any]]:
    paths = [f"relations.{k}" for k in after["relations"]]
    paths += [k for k in after if k not in ("relations", "memory", "turn")]
    out = []
    for path in paths:
        old, new = get_var(before, path), get_var(after, path)
        if old != new and (keep is None or keep(path)):
            out.append((path, old, new))
    return out


def _var_labels(scenario: Scenario) -> dict[str, str]:
    variables = scenario.variables
    out = {f"relations.{k}": v.get("label", k) for k, v in variables["relations"].items()}
    for group in ("scalars", "enums", "lists"):
        out.update({k: v.get("label", k) for k, v in variables.get(group, {}).items()})
    return out


def _result(code: str) -> str:
    return code.replace("_", " ")


def _changes_sentence(changed: list[tuple[str, Any, Any]], names: dict[str, str]) -> str:
    if not changed:
        return "Nothing measurable changed."
    parts = []
    for path, old, new in changed:
        name = names.get(path) or path.removeprefix("relations.")
        if isinstance(new, int) and isinstance(old, int):
            parts.append(f"{name} {new - old:+d} (now {new})")
        else:
            parts.append(f"{name} now {new}")
    return "Changes: " + ", ".join(parts) + "."
