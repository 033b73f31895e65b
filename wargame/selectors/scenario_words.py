"""A scenario document in words, for an author checking it before it is installed: roles
with their briefings and objectives, actions by role, and each rule's title, claims,
section, condition, chance and effects, with variable labels and role names, not codes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

OPERATORS = {
    "==": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "in": "∈",
    "not_in": "∉",
    "contains": "∋",
}


class _Names:
    """Labels of the document's roles, variables, actions and rules."""

    def __init__(self, document: dict[str, Any], values: dict[str, str] | None = None) -> None:
        # {"variable.value": label} of enum values in the reader's language, if not English.
        self.values = values or {}
        self.roles = {r["slug"]: r["name"] for r in document.get("roles", [])}
        self.vars: dict[str, str] = {}
        variables = document.get("variables", {})
        for group, specs in variables.items():
            for name, spec in specs.items():
                path = f"{group}.{name}" if group in ("relations", "memory") else name
                # Memory has a description (a sentence), not a label: name it by its key.
                self.vars[path] = spec.get("label") or name.replace("_", " ")
        self.actions = {f"{a['role']}:{a['code']}": a["label"] for a in document.get("actions", [])}
        self.rules = {r["id"]: r["title"] for r in document.get("rules", [])}
        self.injects = {i["id"]: i["label"] for i in document.get("injects", [])}

    def var(self, path: str) -> str:
        if path == "turn":
            return _("the turn")
        return self.vars.get(path, path)

    def value(self, path: str, value: Any) -> Any:
        """An enum value as the reader reads it ("vacuum" -> "공백"), else the value."""
        return self.values.get(f"{path}.{value}", value)

    def move(self, key: str) -> str:
        role = key.partition(":")[0]
        return f"{self.roles.get(role, role)}: {self.actions.get(key, key)}"


def effect_words(effect: dict[str, Any], names: _Names) -> str:
    """ "Military tension on the peninsula +8", "China-DPRK summit = held"."""
    label = names.var(effect.get("var", "?"))
    if "add" in effect:
        value = effect["add"]
        return f"{label} {'+' if value >= 0 else '−'}{abs(value)}"
    if "add_roll" in effect:
        low, high = effect["add_roll"]
        return _("%(var)s + a roll from %(low)s to %(high)s") % {
            "var": label,
            "low": low,
            "high": high,
        }
    if "set" in effect:
        return f"{label} = {names.value(effect.get('var', '?'), effect['set'])}"
    if "append" in effect:
        return _("%(item)s added to %(var)s") % {"item": effect["append"], "var": label}
    return label


def condition_words(cond: Any, names: _Names) -> str:
    """A rule's `when` as one line: "Beijing: Host Kim and Pyongyang: Ask to visit"."""
    if not isinstance(cond, dict):
        return str(cond)
    if "all" in cond:
        return _(" and ").join(_grouped(c, names) for c in cond["all"])
    if "any" in cond:
        return _(" or ").join(_grouped(c, names) for c in cond["any"])
    if "not" in cond:
        return _("not %(condition)s") % {"condition": _grouped(cond["not"], names)}
    if "always" in cond:
        return _("always")
    if "move" in cond:
        text = names.move(cond["move"])
        if "target" in cond:
            text += " → " + names.roles.get(cond["target"], cond["target"])
        return text
    if "fired" in cond:
        return _("“%(rule)s” fired") % {"rule": names.rules.get(cond["fired"], cond["fired"])}
    if "failed" in cond:
        return _("“%(rule)s” failed") % {"rule": names.rules.get(cond["failed"], cond["failed"])}
    if "inject" in cond:
        label = names.injects.get(cond["inject"], cond["inject"])
        return _("inject “%(inject)s”") % {"inject": label}
    if "var" in cond:
        op = OPERATORS.get(cond.get("op", "=="), cond.get("op", ""))
        value = cond.get("value")
        if isinstance(value, list) and names.values:
            value = ", ".join(str(names.value(cond["var"], v)) for v in value)
        elif not isinstance(value, list):
            value = names.value(cond["var"], value)
        return f"{names.var(cond['var'])} {op} {value}"
    return str(cond)


def _grouped(cond: Any, names: _Names) -> str:
    text = condition_words(cond, names)
    return f"({text})" if isinstance(cond, dict) and ("all" in cond or "any" in cond) else text


def chance_words(chance: dict[str, Any] | None, names: _Names) -> dict[str, Any] | None:
    if not chance:
        return None
    mods = [
        {
            "add": f"{'+' if m['add'] >= 0 else '−'}{abs(m['add'])}",
            "when": condition_words(m["when"], names),
        }
        for m in chance.get("mods", [])
    ]
    return {
        "base": chance["base"],
        "min": chance.get("min", 5),
        "max": chance.get("max", 95),
        "mods": mods,
    }


def scenario_summary(
    document: dict[str, Any], values: dict[str, str] | None = None
) -> dict[str, Any]:
    """The document's contents for the page (the document is assumed valid); `values`
    ({"variable.value": label}) names an enumeration's values in the reader's language."""
    names = _Names(document, values=values)
    sections = (document.get("source") or {}).get("sections") or {}

    def section(code: str | None) -> str:
        if not code:
            return ""
        return f"{code}: {sections[code]}" if code in sections else code

    roles = []
    for role in document["roles"]:
        roles.append(
            {
                "slug": role["slug"],
                "name": role["name"],
                "stands_for": role.get("stands_for", ""),
                "briefing": role["briefing"],
                "objectives": [
                    {
                        "label": o["label"],
                        "var": names.var(o["var"]),
                        "want": _want_words(o["want"], names, o["var"]),
                        "weight": o["weight"],
                    }
                    for o in role["objectives"]
                ],
                "actions": [
                    {
                        "label": a["label"],
                        "description": a.get("description", ""),
                        "targets": [names.roles.get(t, t) for t in a.get("targets", [])],
                    }
                    for a in document["actions"]
                    if a["role"] == role["slug"]
                ],
            }
        )
    rules = [
        {
            "id": r["id"],
            "title": r["title"],
            "claims": r["claims"],
            "section": section(r.get("section")),
            "when": condition_words(r["when"], names),
            "chance": chance_words(r.get("chance"), names),
            "effects": [effect_words(e, names) for e in r.get("effects", [])],
            "fail_effects": [effect_words(e, names) for e in r.get("fail_effects", [])],
            "explain": r["explain"],
        }
        for r in document["rules"]
    ]
    injects = [
        {
            "label": i["label"],
            "description": i.get("description", ""),
            "effects": [effect_words(e, names) for e in i["effects"]],
        }
        for i in document.get("injects", [])
    ]
    turns = document["turns"]
    return {
        "slug": document["slug"],
        "version": document["version"],
        "title": document["title"],
        "turns": turns["default"],
        "turn_labels": turns.get("labels", []),
        "action_budget": document["action_budget"],
        "relation_cap": document["relation_cap"]["value"],
        "roles": roles,
        "rules": rules,
        "injects": injects,
    }


def _want_words(want: Any, names: _Names, var: str) -> str:
    if want == "high":
        return _("high")
    if want == "low":
        return _("low")
    return ", ".join(f"{names.value(var, value)}: {score}" for value, score in want.items())
