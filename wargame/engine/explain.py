"""What a move can do in a state, before anyone else has chosen: the player's odds.

A player choosing a move knows the state and its own move, never the others' (they are
secret until the turn resolves). So each rule condition is read three ways: true now,
false now, or "depends" (on another role's move, on another rule firing this turn, on an
inject). `explain_move` reads the scenario's *raw* rule data the same way the engine's
compiled conditions do (engine.conditions) and gives, for each rule that would judge the
move: which other roles' moves it needs, its chance now (base plus every modifier that
holds now, bounded as the engine bounds it: `adjudication._chance`), and each modifier with
whether it applies. A rule false now whatever the others do is a reason the move can do
nothing (e.g. "Stabilise the leadership" once the vacuum has ended).

Pure and structured (codes, not words): `selectors.odds` puts it into the scenario's
labels. The chance shown equals the engine's whenever no modifier depends on the turn's
other moves (tests/engine/test_explain.py rolls both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .conditions import OPERATORS
from .scenario import Scenario, targeted_moves
from .state import get_var

DEPENDS = None  # a three-valued condition: True, False, or DEPENDS on what is not known


@dataclass(frozen=True, slots=True)
class Modifier:
    add: int
    when: dict[str, Any]
    applies: bool | None  # True now, False now, None: depends on this turn's other moves


@dataclass(frozen=True, slots=True)
class RuleOdds:
    """One rule that would judge the move: what it needs and its chance now."""

    rule: str
    title: str
    result: str  # the result the move gets if the rule succeeds ("succeeded", "partial", ...)
    needs: tuple[tuple[str, str | None], ...]  # other roles' moves: ("beijing:court_seoul", None)
    possible: bool | None  # the rule's condition now: True, False, or None (depends)
    chance: int | None  # None: no dice, the rule's result is certain once it applies
    base: int | None = None
    bounds: tuple[int, int] = (5, 95)
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class MoveOdds:
    role: str
    action: str
    target: str | None
    rules: tuple[RuleOdds, ...]
    # Comparisons of the state that rule out every rule judging the move, if it can do
    # nothing now: ({"var": ..., "op": ..., "value": ...}, value now).
    blocked_by: tuple[tuple[dict[str, Any], Any], ...] = field(default=())

    @property
    def can_do_something(self) -> bool:
        return any(r.possible is not False for r in self.rules)


def evaluate(
    cond: Any,
    state: dict[str, Any],
    *,
    turn: int,
    own: Iterable[tuple[str, str | None]],
    moves: Iterable[tuple[str, str | None]] | None = None,
) -> bool | None:
    """A raw condition over `state`, knowing only the moves `own` ((role:action, target)
    pairs); with `moves` (every move of the turn) move conditions are decided exactly.
    fired, failed and inject conditions always depend on the turn."""
    own = tuple(own)
    known = tuple(moves) if moves is not None else None

    def walk(c: Any) -> bool | None:
        if "all" in c:
            values = [walk(p) for p in c["all"]]
            if False in values:
                return False
            return True if all(v is True for v in values) else DEPENDS
        if "any" in c:
            values = [walk(p) for p in c["any"]]
            if True in values:
                return True
            return False if all(v is False for v in values) else DEPENDS
        if "not" in c:
            inner = walk(c["not"])
            return DEPENDS if inner is DEPENDS else not inner
        if "always" in c:
            return True
        if "move" in c:
            pool = known if known is not None else own
            hit = any(
                key == c["move"] and ("target" not in c or target == c["target"])
                for key, target in pool
            )
            if hit or known is not None:
                return hit
            # Another role's move, or another of this role's own: not chosen yet.
            return DEPENDS
        if "var" in c:
            op = OPERATORS[c.get("op", "==")]
            value = turn if c["var"] == "turn" else get_var(state, c["var"])
            return bool(op(value, c["value"]))
        return DEPENDS  # fired, failed, inject: decided during the turn

    return walk(cond)


def explain_move(
    scenario: Scenario,
    state: dict[str, Any],
    role: str,
    action: str,
    target: str | None = None,
    *,
    moves: Iterable[tuple[str, str | None]] | None = None,
) -> MoveOdds:
    """The rules that would judge `role:action` (aimed at `target`) in `state`, the turn
    after `state["turn"]`, with their odds; `moves` (all of the turn's, as (role:action,
    target) pairs) decides the move conditions exactly, for a check against the engine."""
    key = f"{role}:{action}"
    turn = state["turn"] + 1
    own = ((key, target),)
    rules: list[RuleOdds] = []
    blocked: list[tuple[dict[str, Any], Any]] = []
    for spec in scenario.raw["rules"]:
        results = {**spec.get("fail_outcomes", {}), **spec.get("outcomes", {})}
        if key not in results:
            continue
        aimed = targeted_moves(spec.get("when"))
        if key in aimed and target is not None and aimed[key] != target:
            continue
        possible = evaluate(spec["when"], state, turn=turn, own=own, moves=moves)
        chance = spec.get("chance")
        modifiers = tuple(
            Modifier(
                add=int(m["add"]),
                when=m["when"],
                applies=evaluate(m["when"], state, turn=turn, own=own, moves=moves),
            )
            for m in (chance or {}).get("mods", [])
        )
        bounds = (int((chance or {}).get("min", 5)), int((chance or {}).get("max", 95)))
        now = None
        if chance is not None:
            now = int(chance["base"]) + sum(m.add for m in modifiers if m.applies is True)
            now = max(bounds[0], min(bounds[1], now))
        rules.append(
            RuleOdds(
                rule=spec["id"],
                title=spec["title"],
                result=spec.get("outcomes", {}).get(key) or results[key],
                needs=tuple(_needed_moves(spec["when"], role)),
                possible=possible,
                chance=now,
                base=None if chance is None else int(chance["base"]),
                bounds=bounds,
                modifiers=modifiers,
            )
        )
        if possible is False:
            blocked.extend(_false_comparisons(spec["when"], state, turn))
    odds = MoveOdds(role, action, target, tuple(rules))
    if odds.can_do_something:
        return odds
    unique = list({(repr(c), repr(v)): (c, v) for c, v in blocked}.values())
    return MoveOdds(role, action, target, tuple(rules), tuple(unique))


def _needed_moves(cond: Any, role: str, negated: bool = False) -> list[tuple[str, str | None]]:
    """Other roles' moves the condition asks for (not under a `not`), in order."""
    found: list[tuple[str, str | None]] = []
    if isinstance(cond, dict):
        if "move" in cond and not negated and not cond["move"].startswith(f"{role}:"):
            found.append((cond["move"], cond.get("target")))
        for name, value in cond.items():
            found += _needed_moves(value, role, negated or name == "not")
    elif isinstance(cond, list):
        for item in cond:
            found += _needed_moves(item, role, negated)
    return list(dict.fromkeys(found))


def _false_comparisons(cond: Any, state: dict[str, Any], turn: int) -> list:
    """The state comparisons (not under `not`/`any`) that are false now: why a rule is out."""
    out: list = []
    if isinstance(cond, dict):
        if "all" in cond:
            for part in cond["all"]:
                out += _false_comparisons(part, state, turn)
        elif "var" in cond:
            value = turn if cond["var"] == "turn" else get_var(state, cond["var"])
            if not OPERATORS[cond.get("op", "==")](value, cond["value"]):
                out.append((cond, value))
    return out
