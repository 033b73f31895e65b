"""The scenario as the engine sees it: roles, variables, actions and compiled rules.

Built from plain data (the scenario file). Structural validation against the JSON Schema
happens in `wargame.engine.loader`; this module checks what only the engine can: that
rules name real variables, moves and rules, so a typo fails at load time, not mid-game.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .conditions import (
    LIST,
    NUMBER,
    Condition,
    ScenarioError,
    VarKind,
    compile_condition,
    compile_effect,
)
from .reasons import Reason, at
from .state import pair_key


@dataclass(frozen=True, slots=True)
class Action:
    code: str
    role: str
    label: str
    description: str
    targets: tuple[str, ...]

    @property
    def target_required(self) -> bool:
        return len(self.targets) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "role": self.role,
            "label": self.label,
            "description": self.description,
            "targets": list(self.targets),
            "target_required": self.target_required,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    claims: tuple[str, ...]
    section: str
    explanation: str
    fail_explanation: str
    when: Condition
    chance_base: int | None
    chance_mods: tuple[tuple[Condition, int], ...]
    chance_bounds: tuple[int, int]
    effects: tuple[dict[str, Any], ...]
    fail_effects: tuple[dict[str, Any], ...]
    outcomes: dict[str, str]
    fail_outcomes: dict[str, str]
    event: str | None
    # {"pyongyang:denounce": "seoul"}: the rule judges only the move aimed at that target.
    move_targets: dict[str, str] = field(default_factory=dict)
    # A "role:action" without which `when` cannot hold (None: no such move): the engine
    # skips the rule at once when the move was not played, without evaluating `when`.
    gate: str | None = None


@dataclass(frozen=True, slots=True)
class Inject:
    id: str
    label: str
    description: str
    claims: tuple[str, ...]
    section: str
    effects: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Scenario:
    slug: str
    version: int
    title: str
    default_turns: int
    turn_labels: tuple[str, ...]
    action_budget: int
    relation_cap: int
    relation_cap_rule: dict[str, Any]
    roles: tuple[dict[str, Any], ...]
    actions: dict[str, Action]
    rules: tuple[Rule, ...]
    events: tuple[dict[str, Any], ...]
    injects: dict[str, Inject]
    start: dict[str, Any]
    variables: dict[str, Any]
    var_kinds: dict[str, VarKind]
    raw: dict[str, Any] = field(repr=False, compare=False)
    # sha256 of the canonical document (set by the loader): the version's identity in logs.
    content_hash: str = field(default="", compare=False)

    @cached_property
    def role_slugs(self) -> tuple[str, ...]:
        return tuple(r["slug"] for r in self.roles)

    def role_names(self) -> dict[str, str]:
        """{slug: display name}, e.g. {"seoul": "Seoul", ...}."""
        return {r["slug"]: r["name"] for r in self.roles}

    def turn_label(self, number: int) -> str:
        """The month a turn stands for ("March 2025"), or "Turn N" past the calendar."""
        labels = self.turn_labels
        return (
            labels[number - 1]
            if 1 <= number <= len(labels)
            else Reason("Turn %(number)s", number=number)
        )

    def role(self, slug: str) -> dict[str, Any]:
        for role in self.roles:
            if role["slug"] == slug:
                return role
        raise KeyError(slug)

    def actions_for(self, role: str) -> list[Action]:
        return list(self._actions_by_role.get(role, ()))

    @cached_property
    def legal_moves(self) -> frozenset[tuple[str, str, str | None]]:
        """Every (role, action, target) a move may be: an action without targets with
        None, one with targets with each of them. Checking a move is then one lookup."""
        actions = self.actions.values()
        return frozenset((a.role, a.code, t) for a in actions for t in a.targets or (None,))

    def actions_but_hold(self, role: str) -> tuple[Action, ...]:
        """The role's actions other than holding (holding is playing nothing), in file
        order: what a bot chooses among every turn, so kept once per scenario."""
        return self._actions_but_hold.get(role, ())

    @cached_property
    def _actions_but_hold(self) -> dict[str, tuple[Action, ...]]:
        return {
            role: tuple(a for a in actions if a.code != "hold")
            for role, actions in self._actions_by_role.items()
        }

    @cached_property
    def _actions_by_role(self) -> dict[str, tuple[Action, ...]]:
        """Each role's actions in file order, grouped once (bots ask every turn)."""
        grouped: dict[str, list[Action]] = {}
        for action in self.actions.values():
            grouped.setdefault(action.role, []).append(action)
        return {role: tuple(actions) for role, actions in grouped.items()}

    def action(self, role: str, code: str) -> Action | None:
        """Actions are keyed by role: 'hold' and 'negotiate_ukraine_peace' have several."""
        return self.actions.get(f"{role}:{code}")

    def roles_with_action(self, code: str) -> list[str]:
        return [a.role for a in self.actions.values() if a.code == code]

    def initial_state(self) -> dict[str, Any]:
        return self.canonical_state(self.start)

    def canonical_state(self, state: dict[str, Any]) -> dict[str, Any]:
        """A copy with keys in the scenario's order, whatever order they arrived in.

        PostgreSQL's jsonb stores keys shortest-first, so a state read back from the
        database is ordered differently from one built here; anything that walks the state
        (the narrative) must not depend on that, or a replay would not match the record.
        """
        relation_keys, plain_keys, memory_keys = self._state_keys
        out: dict[str, Any] = {"turn": state["turn"]}
        relations, memory = state["relations"], state["memory"]
        out["relations"] = {key: relations[key] for key in relation_keys}
        for key in plain_keys:
            value = state[key]
            out[key] = list(value) if isinstance(value, list) else value
        out["memory"] = {key: memory[key] for key in memory_keys}
        return out

    @cached_property
    def _state_keys(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(relations, the other variables but the turn and memory, memory), each in the
        starting state's order: the order canonical_state writes, found once."""
        plain = tuple(k for k in self.start if k not in ("turn", "relations", "memory"))
        return tuple(self.start["relations"]), plain, tuple(self.start["memory"])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        roles = tuple(data["roles"])
        slugs = [r["slug"] for r in roles]
        start, known_vars = _initial_state(data["variables"], slugs)
        actions = _actions(data["actions"], slugs)
        rules = _rules(data["rules"], known_vars, actions)
        injects = {
            spec["id"]: Inject(
                id=spec["id"],
                label=spec["label"],
                description=spec.get("description", ""),
                claims=tuple(spec.get("claims", ())),
                section=spec.get("section", ""),
                effects=tuple(
                    compile_effect(e, f"injects.{spec['id']}.effects[{i}]", known_vars)
                    for i, e in enumerate(spec["effects"])
                ),
            )
            for spec in data.get("injects", [])
        }
        for role in roles:
            for objective in role["objectives"]:
                if objective["var"] not in known_vars:
                    where = f"roles.{role['slug']}.objectives.{objective['id']}.var"
                    said = Reason("unknown variable %(key)s", key=repr(objective["var"]))
                    raise ScenarioError(at(where, said))
        _check_sections(data)
        cap = data["relation_cap"]
        return cls(
            slug=data["slug"],
            version=int(data["version"]),
            title=data["title"],
            default_turns=int(data["turns"]["default"]),
            turn_labels=tuple(data["turns"].get("labels", ())),
            action_budget=int(data["action_budget"]),
            relation_cap=int(cap["value"]),
            relation_cap_rule=cap,
            roles=roles,
            actions=actions,
            rules=rules,
            events=tuple(data.get("events", ())),
            injects=injects,
            start=start,
            variables=data["variables"],
            var_kinds=known_vars,
            raw=data,
        )

    def known_vars(self) -> dict[str, VarKind]:
        """Every variable path a rule, inject or override may name, with its kind."""
        return self.var_kinds


def _check_sections(data: dict[str, Any]) -> None:
    """Every section a rule, inject, event or the cap cites must be one the scenario's
    `source.sections` declares (when it declares any): a typo'd section would otherwise
    send players to a part of the source that does not exist."""
    declared = (data.get("source") or {}).get("sections")
    if not declared:
        return
    cited = [("relation_cap", data["relation_cap"])]
    cited += [(f"rules.{r['id']}", r) for r in data["rules"]]
    cited += [(f"injects.{i['id']}", i) for i in data.get("injects", [])]
    cited += [(f"events.{e['id']}", e) for e in data.get("events", [])]
    for where, item in cited:
        section = item.get("section")
        if section is not None and section not in declared:
            said = Reason(
                "%(section)s is not a section of source.sections (%(declared)s)",
                section=repr(section),
                declared=", ".join(declared),
            )
            raise ScenarioError(at(f"{where}.section", said))


def _initial_state(variables: dict[str, Any], slugs: list[str]) -> tuple[dict, dict[str, VarKind]]:
    """The starting state, and every variable path a rule may name."""
    relations = {}
    for key, spec in variables["relations"].items():
        a, _, b = key.partition("-")
        if a not in slugs or b not in slugs or pair_key(a, b) != key:
            said = Reason("not 'a-b' of two roles in order")
            raise ScenarioError(at(f"variables.relations.{key}", said))
        relations[key] = int(spec["start"])
    expected = {pair_key(a, b) for a in slugs for b in slugs if a < b}
    missing = expected - set(relations)
    if missing:
        said = Reason("missing %(keys)s", keys=sorted(missing))
        raise ScenarioError(at("variables.relations", said))
    state: dict[str, Any] = {"turn": 0, "relations": relations}
    known: dict[str, VarKind] = {f"relations.{k}": NUMBER for k in relations}
    for name, spec in variables.get("scalars", {}).items():
        state[name] = int(spec["start"])
        known[name] = NUMBER
    for name, spec in variables.get("enums", {}).items():
        if spec["start"] not in spec["values"]:
            said = Reason("not one of its values")
            raise ScenarioError(at(f"variables.enums.{name}.start", said))
        state[name] = spec["start"]
        known[name] = ("enum", tuple(spec["values"]))
    for name, spec in variables.get("lists", {}).items():
        state[name] = list(spec["start"])
        known[name] = LIST
    state["memory"] = {name: int(spec["start"]) for name, spec in variables["memory"].items()}
    known.update({f"memory.{k}": NUMBER for k in state["memory"]})
    return state, known


def _actions(specs: list[dict[str, Any]], slugs: list[str]) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for spec in specs:
        code = spec["code"]
        if spec["role"] not in slugs:
            said = Reason("unknown role %(role)s", role=repr(spec["role"]))
            raise ScenarioError(at(f"actions.{code}.role", said))
        bad = [t for t in spec.get("targets", []) if t not in slugs]
        if bad:
            said = Reason("unknown roles %(roles)s", roles=bad)
            raise ScenarioError(at(f"actions.{code}.targets", said))
        key = f"{spec['role']}:{code}"
        if key in actions:
            raise ScenarioError(at(f"actions.{key}", Reason("defined twice")))
        actions[key] = Action(
            code=code,
            role=spec["role"],
            label=spec["label"],
            description=spec.get("description", ""),
            targets=tuple(spec.get("targets", ())),
        )
    return actions


def _rules(specs: list[dict[str, Any]], known: dict[str, VarKind], actions: dict[str, Action]):
    rules: list[Rule] = []
    seen: set[str] = set()
    for spec in specs:
        rid = spec["id"]
        where = f"rules.{rid}"
        if rid in seen:
            raise ScenarioError(at(where, Reason("id used twice")))
        _check_move_refs(spec, where, actions)
        _check_rule_refs(spec.get("when"), where, seen)
        seen.add(rid)
        chance = spec.get("chance")
        rules.append(
            Rule(
                id=rid,
                title=spec["title"],
                claims=tuple(spec["claims"]),
                section=spec["section"],
                explanation=spec["explain"],
                fail_explanation=spec.get("fail_explain", spec["explain"]),
                when=compile_condition(spec["when"], f"{where}.when", known),
                chance_base=None if chance is None else int(chance["base"]),
                chance_mods=tuple(
                    (
                        compile_condition(m["when"], f"{where}.chance.mods[{i}]", known),
                        int(m["add"]),
                    )
                    for i, m in enumerate((chance or {}).get("mods", []))
                ),
                chance_bounds=(
                    int((chance or {}).get("min", 5)),
                    int((chance or {}).get("max", 95)),
                ),
                effects=tuple(
                    compile_effect(e, f"{where}.effects[{i}]", known)
                    for i, e in enumerate(spec.get("effects", []))
                ),
                fail_effects=tuple(
                    compile_effect(e, f"{where}.fail_effects[{i}]", known)
                    for i, e in enumerate(spec.get("fail_effects", []))
                ),
                outcomes=dict(spec.get("outcomes", {})),
                fail_outcomes=dict(spec.get("fail_outcomes", {})),
                event=spec.get("event"),
                move_targets=targeted_moves(spec.get("when")),
                gate=_required_move(spec["when"]),
            )
        )
    return tuple(rules)


def _required_move(cond: Any) -> str | None:
    """A move the condition cannot hold without: the condition itself if it is a move, or
    the first such move among the parts of an "all". Only a necessary condition, so
    skipping a rule whose gate was not played changes nothing."""
    if not isinstance(cond, dict):
        return None
    if "all" in cond:  # the keys in the order compile_condition reads them
        for part in cond["all"] if isinstance(cond["all"], list) else ():
            found = _required_move(part)
            if found is not None:
                return found
        return None
    if "any" in cond or "not" in cond or "always" in cond:
        return None
    move = cond.get("move")
    return move if isinstance(move, str) else None


def targeted_moves(cond: Any) -> dict[str, str]:
    """{action: target} of every move a condition names with a target, at any depth."""
    found: dict[str, str] = {}
    if isinstance(cond, dict):
        if "move" in cond and "target" in cond:
            found[cond["move"]] = cond["target"]
        for value in cond.values():
            found.update(targeted_moves(value))
    elif isinstance(cond, list):
        for item in cond:
            found.update(targeted_moves(item))
    return found


def _check_move_refs(spec: dict[str, Any], where: str, actions: dict[str, Action]) -> None:
    """Every 'role:action' a rule names must be an action of that role."""
    refs: list[str] = list(spec.get("outcomes", {})) + list(spec.get("fail_outcomes", {}))
    _collect_moves(spec.get("when"), refs)
    for mod in (spec.get("chance") or {}).get("mods", []):
        _collect_moves(mod.get("when"), refs)
    for ref in refs:
        if ref not in actions:
            said = Reason("%(ref)s is not an action of that role", ref=repr(ref))
            raise ScenarioError(at(where, said))


def _collect_moves(cond: Any, out: list[str]) -> None:
    if isinstance(cond, dict):
        if "move" in cond:
            out.append(cond["move"])
        for value in cond.values():
            _collect_moves(value, out)
    elif isinstance(cond, list):
        for item in cond:
            _collect_moves(item, out)


def _check_rule_refs(cond: Any, where: str, earlier: set[str]) -> None:
    """'fired'/'failed' may only name rules that come earlier (rules run in file order)."""
    if isinstance(cond, dict):
        for key in ("fired", "failed"):
            if key in cond and cond[key] not in earlier:
                said = Reason(
                    "%(key)s %(rule)s is not an earlier rule", key=key, rule=repr(cond[key])
                )
                raise ScenarioError(at(f"{where}.when", said))
        for value in cond.values():
            _check_rule_refs(value, where, earlier)
    elif isinstance(cond, list):
        for item in cond:
            _check_rule_refs(item, where, earlier)
