"""Compile the scenario's condition and effect data into small closures.

A scenario author writes conditions as JSON (see docs/scenario-format.md); compiling them
once at load time keeps adjudication fast and rejects a malformed rule early, naming it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .reasons import Reason, at

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "contains": lambda a, b: b in a,
}


# What a variable holds: a number (relations, scalars, memory), one of an enumeration's
# values, or a list of role slugs. Effects are checked against it when compiled.
VarKind = tuple[str, tuple[str, ...] | None]
NUMBER: VarKind = ("number", None)
LIST: VarKind = ("list", None)


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the bad place."""


class TurnContext:
    """What a condition may look at: the state at the start of the turn, and this turn's
    moves, injects and the rules that have fired so far."""

    __slots__ = ("before", "turn", "moves", "targets", "injects", "fired", "failed")

    def __init__(self, before: dict[str, Any], turn: int, moves, injects) -> None:
        self.before = before
        self.turn = turn
        self.moves: set[str] = set()
        self.targets: dict[str, set[str | None]] = {}
        for move in moves:
            key = f"{move.role}:{move.action}"
            self.moves.add(key)
            self.targets.setdefault(key, set()).add(move.target)
        self.injects: set[str] = set(injects)
        self.fired: set[str] = set()
        self.failed: set[str] = set()


Condition = Callable[[TurnContext], bool]


def compile_condition(spec: Any, where: str, known_vars: dict[str, VarKind]) -> Condition:
    """Turn one condition (a dict) into a predicate over a TurnContext."""
    if not isinstance(spec, dict) or len(spec) == 0:
        raise ScenarioError(at(where, Reason("a condition must be a non-empty object")))
    if "all" in spec:
        parts = [
            compile_condition(c, f"{where}.all[{i}]", known_vars) for i, c in enumerate(spec["all"])
        ]
        return _all_of(parts)
    if "any" in spec:
        parts = [
            compile_condition(c, f"{where}.any[{i}]", known_vars) for i, c in enumerate(spec["any"])
        ]
        return _any_of(parts)
    if "not" in spec:
        inner = compile_condition(spec["not"], f"{where}.not", known_vars)
        return lambda ctx: not inner(ctx)
    if "always" in spec:
        return lambda ctx: True
    if "move" in spec:
        return _compile_move(spec, where)
    if "fired" in spec:
        rule_id = spec["fired"]
        return lambda ctx: rule_id in ctx.fired
    if "failed" in spec:
        rule_id = spec["failed"]
        return lambda ctx: rule_id in ctx.failed
    if "inject" in spec:
        inject_id = spec["inject"]
        return lambda ctx: inject_id in ctx.injects
    if "var" in spec:
        return _compile_comparison(spec, where, known_vars)
    raise ScenarioError(at(where, Reason("unknown condition %(keys)s", keys=sorted(spec))))


def _all_of(parts: list[Condition]) -> Condition:
    """True when every part is, tested in order and stopping at the first false one (as
    all() does, without a generator per call: conditions run on every rule every turn)."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda ctx: first(ctx) and second(ctx)
    frozen = tuple(parts)

    def every(ctx: TurnContext) -> bool:
        for part in frozen:  # noqa: SIM110 (no generator per call)
            if not part(ctx):
                return False
        return True

    return every


def _any_of(parts: list[Condition]) -> Condition:
    """True when some part is, tested in order and stopping at the first true one."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda ctx: first(ctx) or second(ctx)
    frozen = tuple(parts)

    def some(ctx: TurnContext) -> bool:
        for part in frozen:  # noqa: SIM110 (no generator per call)
            if part(ctx):
                return True
        return False

    return some


def _compile_move(spec: dict[str, Any], where: str) -> Condition:
    key = spec["move"]
    if not isinstance(key, str) or ":" not in key:
        raise ScenarioError(
            at(f"{where}.move", Reason("expected 'role:action', got %(key)s", key=repr(key)))
        )
    if "target" in spec:
        target = spec["target"]
        return lambda ctx: target in ctx.targets.get(key, ())
    return lambda ctx: key in ctx.moves


def _compile_comparison(
    spec: dict[str, Any], where: str, known_vars: dict[str, VarKind]
) -> Condition:
    path, op_name = spec["var"], spec.get("op", "==")
    if op_name not in OPERATORS:
        raise ScenarioError(at(f"{where}.op", Reason("unknown operator %(op)s", op=repr(op_name))))
    if "value" not in spec:
        raise ScenarioError(at(f"{where}.value", Reason("missing")))
    op, value = OPERATORS[op_name], spec["value"]
    if path == "turn":
        return lambda ctx: op(ctx.turn, value)
    if path not in known_vars:
        said = Reason("unknown variable %(key)s", key=repr(path))
        raise ScenarioError(at(f"{where}.var", said))
    head, _, tail = path.partition(".")  # split once here, not on every evaluation
    if tail:
        return lambda ctx: op(ctx.before[head][tail], value)
    return lambda ctx: op(ctx.before[head], value)


def compile_effect(spec: Any, where: str, known_vars: dict[str, VarKind]) -> dict[str, Any]:
    """Check one effect and return it in a normalised form the engine applies."""
    if not isinstance(spec, dict) or "var" not in spec:
        raise ScenarioError(at(where, Reason("an effect needs 'var'")))
    path = spec["var"]
    if path not in known_vars:
        said = Reason("unknown variable %(key)s", key=repr(path))
        raise ScenarioError(at(f"{where}.var", said))
    kinds = [k for k in ("add", "add_roll", "set", "append") if k in spec]
    if len(kinds) != 1:
        raise ScenarioError(at(where, Reason("give exactly one of add, add_roll, set, append")))
    kind = kinds[0]
    value = spec[kind]
    var_kind, values = known_vars[path]
    if kind in ("add", "add_roll") and var_kind != "number":
        said = Reason("%(key)s is not a number; use 'set' or 'append'", key=repr(path))
        raise ScenarioError(at(f"{where}.{kind}", said))
    if kind == "add" and (not isinstance(value, int) or isinstance(value, bool)):
        raise ScenarioError(at(f"{where}.add", Reason("must be a whole number")))
    if kind == "add_roll" and not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
        and value[0] <= value[1]
    ):
        said = Reason("must be [low, high] whole numbers, low <= high")
        raise ScenarioError(at(f"{where}.add_roll", said))
    if kind == "set":
        if var_kind == "enum" and value not in values:
            said = Reason(
                "%(value)s is not one of %(allowed)s", value=repr(value), allowed=list(values)
            )
            raise ScenarioError(at(f"{where}.set", said))
        if var_kind == "number" and (not isinstance(value, int) or isinstance(value, bool)):
            said = Reason("%(key)s needs a whole number", key=repr(path))
            raise ScenarioError(at(f"{where}.set", said))
        if var_kind == "list":
            said = Reason("%(key)s is a list; use 'append'", key=repr(path))
            raise ScenarioError(at(f"{where}.set", said))
    if kind == "append" and (var_kind != "list" or not isinstance(value, str)):
        said = Reason("only a text item can be appended to a list")
        raise ScenarioError(at(f"{where}.append", said))
    return {"var": path, "kind": kind, "value": value}
