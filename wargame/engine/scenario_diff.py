"""What changed between two versions of a scenario: roles, variables, actions, injects and
rules added, removed or changed, and for a changed rule, which of its parts and which
effects. Pure, on the documents as written, so an author sees the difference in the
terms of the file they edited (the authoring page shows it; docs/scenario-format.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

RULE_PARTS = (
    "title",
    "claims",
    "section",
    "when",
    "chance",
    "effects",
    "fail_effects",
    "outcomes",
    "fail_outcomes",
    "event",
    "explain",
    "fail_explain",
)
EFFECT_KINDS = ("add", "add_roll", "set", "append")


@dataclass(frozen=True, slots=True)
class Change:
    """One item that differs: its kind ("rule", "action", ...), its key, and for a change,
    the parts that differ and the effects gained and lost."""

    kind: str
    key: str
    label: str
    parts: tuple[str, ...] = ()
    effects_added: tuple[str, ...] = ()
    effects_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioDiff:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def effect_text(effect: dict[str, Any]) -> str:
    """An effect as one short line: "tension +8", "summit = held", "list += x"."""
    var = effect.get("var", "?")
    if "add" in effect:
        value = effect["add"]
        return f"{var} {'+' if value >= 0 else '−'}{abs(value)}"
    if "add_roll" in effect:
        low, high = effect["add_roll"]
        return f"{var} +[{low}..{high}]"
    if "set" in effect:
        return f"{var} = {effect['set']}"
    if "append" in effect:
        return f"{var} += {effect['append']}"
    return json.dumps(effect, sort_keys=True)


def scenario_diff(old: dict[str, Any], new: dict[str, Any]) -> ScenarioDiff:
    """The difference from `old` to `new` (two scenario documents)."""
    diff = ScenarioDiff()
    _compare(diff, "role", _by(old.get("roles", []), "slug"), _by(new.get("roles", []), "slug"))
    _compare(diff, "variable", _variables(old), _variables(new))
    _compare(diff, "action", _actions(old), _actions(new))
    _compare(diff, "inject", _by(old.get("injects", []), "id"), _by(new.get("injects", []), "id"))
    _compare(diff, "rule", _by(old.get("rules", []), "id"), _by(new.get("rules", []), "id"))
    for key in ("title", "turns", "action_budget", "relation_cap"):
        if old.get(key) != new.get(key):
            diff.changed.append(Change("setting", key, key, parts=(key,)))
    return diff


def _compare(diff: ScenarioDiff, kind: str, old: dict[str, dict], new: dict[str, dict]) -> None:
    for key, item in new.items():
        if key not in old:
            diff.added.append(Change(kind, key, _label(item, key)))
        elif old[key] != item:
            diff.changed.append(_changed(kind, key, old[key], item))
    for key, item in old.items():
        if key not in new:
            diff.removed.append(Change(kind, key, _label(item, key)))


def _changed(kind: str, key: str, old: dict, new: dict) -> Change:
    parts = tuple(p for p in sorted(set(old) | set(new)) if old.get(p) != new.get(p))
    if kind == "rule":
        parts = tuple(p for p in RULE_PARTS if old.get(p) != new.get(p)) + tuple(
            p for p in parts if p not in RULE_PARTS
        )
    gained: list[str] = []
    lost: list[str] = []
    for part in ("effects", "fail_effects"):
        before = [effect_text(e) for e in old.get(part, [])]
        after = [effect_text(e) for e in new.get(part, [])]
        prefix = "" if part == "effects" else "on failure: "
        gained += [prefix + e for e in after if e not in before]
        lost += [prefix + e for e in before if e not in after]
    return Change(kind, key, _label(new, key), parts, tuple(gained), tuple(lost))


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {str(item.get(key)): item for item in items}


def _actions(document: dict[str, Any]) -> dict[str, dict]:
    return {f"{a.get('role')}:{a.get('code')}": a for a in document.get("actions", [])}


def _variables(document: dict[str, Any]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for group, specs in document.get("variables", {}).items():
        for name, spec in specs.items():
            path = f"relations.{name}" if group == "relations" else name
            path = f"memory.{name}" if group == "memory" else path
            out[path] = spec
    return out


def _label(item: dict[str, Any], key: str) -> str:
    return str(item.get("title") or item.get("label") or item.get("name") or key)
