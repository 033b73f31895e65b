"""The doctrine bot's look-ahead: a role's expected score after one turn, over sampled dice.

`full_estimate` is the definition: adjudicate the coming turn with the pure engine for
each sampled seed (the role's moves, every other role holding) and average the role's
score and each objective. A doctrine seat asks it for some twenty move sets a turn, and
a full adjudication also writes the narrative, the fired rules, the outcomes and the
state's hash, none of which a score reads; a Monte Carlo job of doctrine bots spent
nearly all its time there.

`Lookahead` gives the same numbers, to the last bit, for a fraction of the cost, using
what the engine guarantees: conditions read the state the turn opened with (no injects
here), a rule's dice depend on the seed, the turn and the rule alone, and effects on
variables none of the role's objectives read cannot change its score. So, once per seat
and turn:
- the rules whose firing cannot depend on the role's moves (they name none of its moves,
  nor, through `fired`/`failed`, a rule that does) are judged once per sampled seed, and
  only their effects on the objectives' variables are kept;
- each move set then judges only the rules that name the role's moves (most are skipped
  at once by their gate), adds the kept effects (summed once where a variable is only
  ever added to; in file order where one is set), and applies the relation cap and the
  bounds to the objectives' variables alone.
tests/bots checks it against `full_estimate` over many states, roles and move sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from wargame.engine import Move, Scenario, adjudicate, dice
from wargame.engine.adjudication import rule_chance
from wargame.engine.conditions import TurnContext
from wargame.engine.scenario import Rule
from wargame.engine.scoring import objective_value
from wargame.engine.state import RELATION_MAX, RELATION_MIN, SCALAR_MAX, SCALAR_MIN


@dataclass(frozen=True)
class Estimate:
    """A move set's mean score over the samples, and its mean per objective."""

    score: float
    objectives: dict[str, float]


class Foresight(Protocol):
    """A seat's look-ahead for one turn (`Lookahead`, or `FullLookahead`, its definition)."""

    def __init__(
        self, scenario: Scenario, state: dict[str, Any], role: str, seeds: Sequence[int]
    ) -> None: ...

    def matters(self, move: Move) -> bool: ...

    def estimate(self, moves: Sequence[Move]) -> Estimate: ...


class FullLookahead:
    """The definition, by full adjudications: what `Lookahead` must equal."""

    def __init__(
        self, scenario: Scenario, state: dict[str, Any], role: str, seeds: Sequence[int]
    ) -> None:
        self.scenario, self.state, self.role, self.seeds = scenario, state, role, list(seeds)

    def matters(self, move: Move) -> bool:
        return True  # every option is played

    def estimate(self, moves: Sequence[Move]) -> Estimate:
        return full_estimate(self.scenario, self.state, self.role, moves, self.seeds)


def full_estimate(
    scenario: Scenario,
    state: dict[str, Any],
    role: str,
    moves: Sequence[Move],
    seeds: Sequence[int],
) -> Estimate:
    """The role's mean score (and each objective's) after the turn over the seeds."""
    objectives = scenario.role(role)["objectives"]
    total = 0.0
    per_objective = {o["id"]: 0.0 for o in objectives}
    for seed in seeds:
        after = adjudicate(state, moves, seed=seed, scenario=scenario)
        total += after.scores[role]
        for objective in objectives:
            per_objective[objective["id"]] += objective["weight"] * objective_value(
                objective, after.state
            )
    count = len(seeds)
    return Estimate(total / count, {k: v / count for k, v in per_objective.items()})


@dataclass(frozen=True)
class RolePlan:
    """What a role's look-ahead needs of a scenario, found once per (scenario, role)."""

    paths: tuple[str, ...]  # the variables the role's objectives read
    kinds: tuple[str, ...]  # per rule: FIXED, MOVED or SKIPPED (below)
    referenced: frozenset[str]  # rules a MOVED rule names by fired/failed
    moving: frozenset[str]  # the role's actions a MOVED rule names ("role:action")
    reading: frozenset[str]  # MOVED rules that name a rule by fired/failed
    additive: frozenset[str]  # paths every effect only adds to: their order is free


# FIXED: its firing cannot depend on the role's moves (it names none of them, nor, by
# fired/failed, a rule that does): judged once per sampled seed. MOVED: it may, and it
# changes an objective's variable or a MOVED rule names it: judged for each move set.
# SKIPPED: it may, but nothing the score reads can come of it.
FIXED, MOVED, SKIPPED = "fixed", "moved", "skipped"


def role_plan(scenario: Scenario, role: str) -> RolePlan:
    plans = scenario.__dict__.setdefault("_lookahead_plans", {})  # beside cached_property's
    plan = plans.get(role)
    if plan is None:
        plan = plans[role] = _make_plan(scenario, role)
    return plan


def _make_plan(scenario: Scenario, role: str) -> RolePlan:
    paths = tuple(dict.fromkeys(o["var"] for o in scenario.role(role)["objectives"]))
    specs = {spec["id"]: spec for spec in scenario.raw["rules"]}
    prefix = f"{role}:"
    sensitive: set[str] = set()
    moves_of: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for rule in scenario.rules:
        spec = specs[rule.id]
        mods = (spec.get("chance") or {}).get("mods", [])
        moves: set[str] = set()
        refs: set[str] = set()
        for part in [spec.get("when"), *[m.get("when") for m in mods]]:
            _walk(part, moves, refs)
        moves_of[rule.id] = {m for m in moves if m.startswith(prefix)}
        names[rule.id] = refs
        if moves_of[rule.id]:
            sensitive.add(rule.id)
    changed = True  # a chance modifier may name a later rule: until nothing changes
    while changed:
        changed = False
        for rule in scenario.rules:
            if rule.id not in sensitive and names[rule.id] & sensitive:
                sensitive.add(rule.id)
                changed = True
    wanted = set(paths)
    moved = {
        r.id
        for r in scenario.rules
        if r.id in sensitive and any(e["var"] in wanted for e in (*r.effects, *r.fail_effects))
    }
    todo = list(moved)
    while todo:
        for name in names[todo.pop()]:
            if name in sensitive and name not in moved:
                moved.add(name)
                todo.append(name)
    kinds = tuple(
        MOVED if r.id in moved else SKIPPED if r.id in sensitive else FIXED for r in scenario.rules
    )
    return RolePlan(
        paths=paths,
        kinds=kinds,
        referenced=frozenset().union(*(names[r] for r in moved)),
        moving=frozenset().union(*(moves_of[r] for r in moved)),
        reading=frozenset(r for r in moved if names[r]),
        additive=frozenset(
            path
            for path in paths
            if all(
                e["kind"] in ("add", "add_roll")
                for r in scenario.rules
                for e in (*r.effects, *r.fail_effects)
                if e["var"] == path
            )
        ),
    )


def _walk(cond: Any, moves: set[str], refs: set[str]) -> None:
    """Collect the moves and the rules (fired/failed) a condition names, at any depth."""
    if isinstance(cond, dict):
        if isinstance(cond.get("move"), str):
            moves.add(cond["move"])
        for key in ("fired", "failed"):
            if isinstance(cond.get(key), str):
                refs.add(cond[key])
        for value in cond.values():
            _walk(value, moves, refs)
    elif isinstance(cond, list):
        for item in cond:
            _walk(item, moves, refs)


# The FIXED rules before a MOVED one (its index in Lookahead.moved), judged once per
# sample: (that index, the ids that fired and that failed which a MOVED rule names, their
# effects on the objectives' variables that are not additive, with the dice rolled).
_Fold = tuple[int, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, Any], ...]]


class Lookahead:
    """A seat's look-ahead for one turn: `estimate(moves)` equals `full_estimate`."""

    def __init__(
        self, scenario: Scenario, state: dict[str, Any], role: str, seeds: Sequence[int]
    ) -> None:
        self.scenario, self.state, self.role, self.seeds = scenario, state, role, list(seeds)
        self.turn = state["turn"] + 1
        self.plan = plan = role_plan(scenario, role)
        self.start = {path: _read(state, path) for path in plan.paths}
        self.lists = [p for p, v in self.start.items() if isinstance(v, list)]
        self.bounds = [(p, _bounds(p, v)) for p, v in self.start.items()]
        objectives = scenario.role(role)["objectives"]
        # (id, path, want, weight, is_relation): objective_value's reading, split once.
        self.objectives = [
            (o["id"], o["var"], o["want"], o["weight"], o["var"].startswith("relations."))
            for o in objectives
        ]
        self.total_weight = sum(o["weight"] for o in objectives)
        mine = f"{role}:"
        # MOVED rules another role's move gates never fire: every other role holds.
        self.moved = [
            rule
            for rule, kind in zip(scenario.rules, plan.kinds, strict=True)
            if kind == MOVED and (rule.gate is None or rule.gate.startswith(mine))
        ]
        self.rolls: list[dict[str, int]] = [{} for _ in self.seeds]
        self.resolved: list[dict[tuple[str, bool], tuple]] = [{} for _ in self.seeds]
        self.base: list[dict[str, Any]] = []  # per sample: start + the FIXED rules' adds
        self.folds: list[list[_Fold]] = []
        for k in range(len(self.seeds)):
            base, folds = self._folds(k)
            self.base.append(base)
            self.folds.append(folds)

    def matters(self, move: Move) -> bool:
        """Can this move change the role's score? Not if no rule names it: a move set
        with it then scores exactly as the set without it."""
        return f"{move.role}:{move.action}" in self.plan.moving

    def estimate(self, moves: Sequence[Move]) -> Estimate:
        """objective_value and role_score's arithmetic, in their order, on the values
        `_after` gives."""
        ctx = TurnContext(self.state, self.turn, moves, ())
        verdicts = self._verdicts(ctx)
        active = [(i, v) for i, v in enumerate(verdicts) if v is not False]
        total = 0.0
        per_objective = {o[0]: 0.0 for o in self.objectives}
        for k in range(len(self.seeds)):
            values = self._after(k, ctx, active)
            earned = 0
            for key, path, want, weight, is_relation in self.objectives:
                value = values[path]
                if want.__class__ is dict:
                    met = float(want.get(value, 0))
                else:
                    norm = (value + 100) / 2 if is_relation else float(value)
                    met = norm if want == "high" else 100 - norm
                earned += weight * met
                per_objective[key] += weight * met
            total += round(earned / self.total_weight, 1)
        count = len(self.seeds)
        return Estimate(total / count, {k: v / count for k, v in per_objective.items()})

    def _verdicts(self, ctx: TurnContext) -> list[int | bool | None]:
        """Per MOVED rule, what the move set decides whatever the dice: False (it does not
        fire: its gate is not played, or its condition fails), its chance (None: certain),
        or True when it names other rules and must be judged with each sample."""
        played, reading = ctx.moves, self.plan.reading
        verdicts: list[int | bool | None] = []
        for rule in self.moved:
            if rule.gate is not None and rule.gate not in played:
                verdicts.append(False)
            elif rule.id in reading:
                verdicts.append(True)
            elif not rule.when(ctx):
                verdicts.append(False)
            else:
                verdicts.append(None if rule.chance_base is None else rule_chance(rule, ctx))
        return verdicts

    def _folds(self, k: int) -> tuple[dict[str, Any], list[_Fold]]:
        """The turn of sample `k` with the role holding: FIXED rules judged as adjudicate
        judges them. Their adds to additive paths are summed into the values the turn
        starts from (order does not change a sum; the cap and bounds come after); what
        must keep its place is folded before the next MOVED rule."""
        plan, moved = self.plan, {rule.id for rule in self.moved}
        additive = plan.additive
        ctx = TurnContext(self.state, self.turn, (), ())
        base = dict(self.start)
        folds: list[_Fold] = []
        fired: list[str] = []
        failed: list[str] = []
        effects: list[tuple[str, str, Any]] = []
        index = 0
        for rule, kind in zip(self.scenario.rules, plan.kinds, strict=True):
            if kind != FIXED:
                if rule.id in moved:
                    if fired or failed or effects:
                        folds.append((index, tuple(fired), tuple(failed), tuple(effects)))
                        fired.clear(), failed.clear(), effects.clear()
                    index += 1
                continue
            if rule.gate is not None or not rule.when(ctx):
                continue  # a gated FIXED rule names another role's move: none is played
            succeeded = True
            if rule.chance_base is not None:
                succeeded = self._roll(k, rule.id) < rule_chance(rule, ctx)
            (ctx.fired if succeeded else ctx.failed).add(rule.id)
            for effect in self._effects(k, rule, succeeded):
                if effect[0] in additive:
                    base[effect[0]] += effect[2]
                else:
                    effects.append(effect)
            if rule.id in plan.referenced:
                (fired if succeeded else failed).append(rule.id)
        if fired or failed or effects:
            folds.append((index, tuple(fired), tuple(failed), tuple(effects)))
        return base, folds

    def _roll(self, k: int, rule_id: str) -> int:
        rolls = self.rolls[k]
        roll = rolls.get(rule_id)
        if roll is None:
            roll = rolls[rule_id] = dice.roll_percent(self.seeds[k], self.turn, rule_id)
        return roll

    def _effects(self, k: int, rule: Rule, succeeded: bool) -> tuple[tuple[str, str, Any], ...]:
        """The branch's effects on the objectives' variables, an `add_roll` rolled (salt:
        its index among all the branch's effects, as adjudicate rolls it)."""
        cache = self.resolved[k]
        kept = cache.get((rule.id, succeeded))
        if kept is not None:
            return kept
        found = []
        for index, effect in enumerate(rule.effects if succeeded else rule.fail_effects):
            path, kind, value = effect["var"], effect["kind"], effect["value"]
            if path not in self.start:
                continue
            if kind == "add_roll":
                value = dice.roll_between(
                    self.seeds[k], self.turn, rule.id, value[0], value[1], salt=str(index)
                )
                kind = "add"
            found.append((path, kind, value))
        kept = cache[(rule.id, succeeded)] = tuple(found)
        return kept

    def _after(self, k: int, ctx: TurnContext, active: list[tuple[int, int | bool | None]]):
        """The objectives' variables after the turn of sample `k`, capped and bounded:
        the FIXED rules' folds and the MOVED rules the move set leaves `active`, merged
        in rule order."""
        values = dict(self.base[k])
        for path in self.lists:
            values[path] = list(values[path])
        fired, failed = ctx.fired, ctx.failed = set(), set()
        folds = self.folds[k]
        pending, count = 0, len(folds)
        for index, verdict in active:
            while pending < count and folds[pending][0] <= index:
                _, were_fired, were_failed, effects = folds[pending]
                fired.update(were_fired)
                failed.update(were_failed)
                _apply(values, effects)
                pending += 1
            rule = self.moved[index]
            if verdict is True:  # it names other rules: judged with this sample's
                if not rule.when(ctx):
                    continue
                verdict = None if rule.chance_base is None else rule_chance(rule, ctx)
            succeeded = verdict is None or self._roll(k, rule.id) < verdict
            (fired if succeeded else failed).add(rule.id)
            _apply(values, self._effects(k, rule, succeeded))
        for _, _, _, effects in folds[pending:]:
            _apply(values, effects)
        cap, start = self.scenario.relation_cap, self.start
        for path, limits in self.bounds:
            if limits is None:
                continue
            value = values[path]
            if limits[0] == RELATION_MIN:  # C9 first, from the state the turn opened with
                delta = value - start[path]
                if abs(delta) > cap:
                    value = start[path] + (cap if delta > 0 else -cap)
            values[path] = max(limits[0], min(limits[1], value))
        return values


def _apply(values: dict[str, Any], effects: tuple[tuple[str, str, Any], ...]) -> None:
    for path, kind, value in effects:
        if kind == "add":
            values[path] += value
        elif kind == "set":
            values[path] = value
        elif value not in values[path]:  # append
            values[path].append(value)


def _read(state: dict[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    return state[head][tail] if tail else state[head]


def _bounds(path: str, value: Any) -> tuple[int, int] | None:
    """The bounds bound_numbers keeps a variable in: relations, top-level numbers; None
    for memory, enumerations and lists."""
    head, _, tail = path.partition(".")
    if head == "relations":
        return RELATION_MIN, RELATION_MAX
    if not tail and isinstance(value, int):
        return SCALAR_MIN, SCALAR_MAX
    return None
