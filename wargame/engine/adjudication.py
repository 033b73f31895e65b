"""adjudicate(): one turn, from the state at its start and the roles' moves, to the next.

Conditions read the state as it was when the turn opened, so rule order never changes
what a rule sees; effects accumulate in file order ("set" after "add" wins), then the
per-turn relation cap (C9) and the variable bounds are applied once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from . import dice
from .conditions import ScenarioError, TurnContext, compile_effect
from .dice import Seed
from .narrative import narrate
from .reasons import Reason, at
from .rulesets import (
    CONSISTENT_OVERRIDES_RULESET,
    INJECTS_FIRST_RULESET,
    INTEGER_SEED_RULESET,
    check_ruleset,
    check_seed,
    ruleset_of_seed,
)
from .scenario import Inject, Rule, Scenario
from .scoring import scores as score_state
from .state import bound_numbers, copy_state, state_hash
from .types import (
    BLOCKED,
    FAILED,
    HELD,
    NO_EFFECT,
    RESULT_CODES,
    SUCCEEDED,
    UNANSWERED,
    Adjudication,
    FiredRule,
    Move,
    MoveOutcome,
)
from .validation import InvalidMoves, normalise_target, validate_moves

CAP_RULE_ID = "relation_cap"
FAILING_RESULTS = (FAILED, UNANSWERED, BLOCKED, NO_EFFECT)


def adjudicate(
    state: dict[str, Any],
    moves: Iterable[Move | dict[str, Any]],
    *,
    seed: Seed,
    scenario: Scenario,
    injects: Sequence[str | dict[str, Any]] = (),
    budget: int | None = None,
    ruleset: int | None = None,
    forced: Mapping[int, str] | None = None,
) -> Adjudication:
    """Resolve the turn after `state["turn"]`; pure: the inputs are never modified.

    `forced` (from ruleset 3, for an umpire's override) maps a move's index to the result
    the umpire gave it: every rule that judges that move takes the branch that result
    names (succeeded: its effects; failed, unanswered, blocked, no effect: its failure
    branch), whatever its dice said.

    `ruleset` is the engine behaviour the game is adjudicated under (engine.RULESETS);
    rulesets 1 and 2 differ only in the dice, whose construction the seed's form names
    (engine.dice), so a seed of the wrong form for the ruleset is refused (BadSeed).
    Without a ruleset, the one the seed's form belongs to.
    """
    ruleset = ruleset_of_seed(seed) if ruleset is None else check_ruleset(ruleset)
    check_seed(seed, ruleset)
    moves = [normalise_target(scenario, _as_move(m)) for m in moves]
    violations = validate_moves(scenario, moves, budget=budget)
    if violations:
        raise InvalidMoves(violations)
    turn = state["turn"] + 1
    resolved_injects = [_resolve_inject(scenario, i) for i in injects]
    after = scenario.canonical_state(state)
    fired: list[FiredRule] = []
    move_results: dict[str, list[tuple[str, Rule | Inject, str]]] = {}

    for inject in resolved_injects:
        changes = _apply(after, inject.effects, seed, turn, f"inject:{inject.id}")
        fired.append(
            FiredRule(
                rule=f"inject:{inject.id}",
                title=inject.label,
                claims=inject.claims,
                section=inject.section,
                explanation=inject.description or inject.label,
                changes=changes,
                event=inject.id,
            )
        )

    # The C9 cap limits the rules, not the umpire: it measures from the state the injects
    # made (a copy: `after` changes as rules fire); without injects, the turn's own state.
    after_injects = copy_state(after) if resolved_injects else state
    # Ruleset 4: the rules' conditions read the world the injects made; before it, the
    # state the turn opened with.
    read = after_injects if ruleset >= INJECTS_FIRST_RULESET else state
    ctx = TurnContext(read, turn, moves, [i.id for i in resolved_injects])
    played = ctx.moves
    for rule in scenario.rules:
        if rule.gate is not None and rule.gate not in played:
            continue  # its condition needs a move nobody played (Rule.gate)
        if not rule.when(ctx):
            continue
        roll = chance = None
        succeeded = True
        if rule.chance_base is not None:
            chance = rule_chance(rule, ctx)
            roll = dice.roll_percent(seed, turn, rule.id)
            succeeded = roll < chance
        branch = _forced_branch(rule, moves, forced) if forced else None
        if branch is not None:
            succeeded = branch
        effects = rule.effects if succeeded else rule.fail_effects
        results = rule.outcomes if succeeded else rule.fail_outcomes
        explanation = rule.explanation if succeeded else rule.fail_explanation
        changes = _apply(after, effects, seed, turn, rule.id) if effects else ()
        (ctx.fired if succeeded else ctx.failed).add(rule.id)
        for key, result in results.items():
            move_results.setdefault(key, []).append((result, rule, explanation))
        if changes or results or rule.event or roll is not None:
            fired.append(
                FiredRule(  # in field order (rule, title, ...): keywords cost, every rule
                    rule.id,
                    rule.title,
                    rule.claims,
                    rule.section,
                    explanation,
                    succeeded,
                    roll,
                    chance,
                    changes,
                    rule.event if succeeded else None,
                )
            )

    capped = _cap_relations(scenario, after_injects, after)
    if capped:
        cap = scenario.relation_cap_rule
        fired.append(
            FiredRule(
                rule=CAP_RULE_ID,
                title=cap["title"],
                claims=tuple(cap["claims"]),
                section=cap["section"],
                explanation=cap["explain"],
                changes=tuple(capped),
            )
        )
    bound_numbers(after)
    after["turn"] = turn

    outcomes = tuple([_outcome(m, move_results) for m in moves])
    role_scores = score_state(scenario, after)
    return Adjudication(  # turn, state, outcomes, fired rules, narrative, scores, hash, events
        turn,
        after,
        outcomes,
        tuple(fired),
        narrate(scenario, state, after, outcomes, fired, labels=ruleset >= INJECTS_FIRST_RULESET),
        role_scores,
        state_hash(after),
        tuple([r.event for r in fired if r.event]),
    )


def _forced_branch(rule: Rule, moves: list[Move], forced: Mapping[int, str]) -> bool | None:
    """The branch a rule must take because the umpire set the result of a move it judges:
    True (success), False (failure), or None (no such move; or "partial": as rolled)."""
    for index, result in forced.items():
        move = moves[index]
        key = f"{move.role}:{move.action}"
        if key not in rule.outcomes and key not in rule.fail_outcomes:
            continue
        if rule.move_targets.get(key, move.target) != move.target:
            continue
        if result == SUCCEEDED:
            return True
        if result in FAILING_RESULTS:
            return False
    return None


def _as_move(move: Move | dict[str, Any]) -> Move:
    return move if isinstance(move, Move) else Move.from_dict(move)


def _resolve_inject(scenario: Scenario, spec: str | dict[str, Any]) -> Inject:
    """A scenario inject by id, or a free-form one written by the facilitator."""
    if isinstance(spec, str):
        if spec not in scenario.injects:
            said = Reason("unknown inject %(inject)s", inject=repr(spec))
            raise ScenarioError(at("injects", said))
        return scenario.injects[spec]
    known = scenario.known_vars()
    inject_id = str(spec.get("id") or "custom")
    return Inject(
        id=inject_id,
        label=str(spec.get("label") or inject_id),
        description=str(spec.get("description") or ""),
        claims=tuple(spec.get("claims", ())),
        section=str(spec.get("section", "")),
        effects=tuple(
            compile_effect(e, f"injects.{inject_id}.effects[{i}]", known)
            for i, e in enumerate(spec.get("effects", []))
        ),
    )


def rule_chance(rule: Rule, ctx: TurnContext) -> int:
    """A chance rule's chance in percent this turn: its base, the modifiers whose
    conditions hold, within its bounds (the bots' look-ahead judges rules the same way)."""
    chance = rule.chance_base or 0
    for condition, add in rule.chance_mods:
        if condition(ctx):
            chance += add
    low, high = rule.chance_bounds
    return max(low, min(high, chance))


def _apply(state, effects, seed: Seed, turn: int, rule_id: str) -> tuple[tuple[str, Any], ...]:
    """Apply effects in order; return (variable, change) pairs for the explanation."""
    changes: list[tuple[str, Any]] = []
    for index, effect in enumerate(effects):
        path, kind, value = effect["var"], effect["kind"], effect["value"]
        if kind == "add_roll":
            value = dice.roll_between(seed, turn, rule_id, value[0], value[1], salt=str(index))
            kind = "add"
        head, _, tail = path.partition(".")  # get_var/set_var, split once for both
        holder, key = (state[head], tail) if tail else (state, head)
        if kind == "add":
            if value:
                holder[key] += value
                changes.append((path, value))
        elif kind == "set":
            if holder[key] != value:
                holder[key] = value
                changes.append((path, value))
        elif kind == "append":
            items = holder[key]
            if value not in items:
                items.append(value)
                changes.append((path, value))
    return tuple(changes)


def _cap_relations(scenario: Scenario, before, after) -> list[tuple[str, int]]:
    """C9: no relation moves by more than the cap in one turn. Returns what was cut."""
    cap = scenario.relation_cap
    cut: list[tuple[str, int]] = []
    for key, new in after["relations"].items():
        delta = new - before["relations"][key]
        if abs(delta) > cap:
            kept = cap if delta > 0 else -cap
            after["relations"][key] = before["relations"][key] + kept
            cut.append((f"relations.{key}", kept - delta))
    return cut


def _outcome(move: Move, results: dict[str, list[tuple[str, Any, str]]]) -> MoveOutcome:
    """The first rule that judged a move gives its result; every rule that did is cited."""
    if move.action == "hold":
        return MoveOutcome(move.role, move.action, move.target, HELD, "Held position this turn.")
    key = f"{move.role}:{move.action}"
    entries = results.get(key)
    judged = (
        [entry for entry in entries if entry[1].move_targets.get(key, move.target) == move.target]
        if entries
        else None
    )
    if not judged:
        return MoveOutcome(
            move.role,
            move.action,
            move.target,
            NO_EFFECT,
            "No rule of the scenario responds to this move in the present situation.",
        )
    result, _, reason = judged[0]
    rules = tuple(dict.fromkeys([rule.id for _, rule, _ in judged]))
    claims = tuple(dict.fromkeys([c for _, rule, _ in judged for c in rule.claims]))
    return MoveOutcome(move.role, move.action, move.target, result, reason, rules, claims)


def apply_override(
    adjudication: Adjudication,
    *,
    scenario: Scenario,
    reason: str,
    effects: Sequence[dict[str, Any]] = (),
    results: Sequence[dict[str, Any]] = (),
    seed: Seed = 0,
) -> Adjudication:
    """An umpire's correction on top of an adjudication: state effects and/or move results.

    Kept pure so a replay can re-apply the logged override and still verify the hash.
    `seed` rolls an `add_roll` effect: see override_seed (ruleset 1 always rolled 0's).
    """
    known = scenario.known_vars()
    compiled = [compile_effect(e, f"overrides.effects[{i}]", known) for i, e in enumerate(effects)]
    state = scenario.canonical_state(adjudication.state)
    changes = _apply(state, compiled, seed, adjudication.turn, "override")
    bound_numbers(state)
    outcomes = list(adjudication.outcomes)
    for item in results:
        index, result = item["index"], item["result"]
        if not (0 <= index < len(outcomes)) or result not in RESULT_CODES:
            raise ScenarioError(at("overrides.results", _bad_result(index, result)))
        old = outcomes[index]
        outcomes[index] = MoveOutcome(
            old.role, old.action, old.target, result, f"Umpire: {reason}", old.rules, old.claims
        )
    record = FiredRule(
        rule="override",
        title="Umpire override",
        claims=(),
        section="",
        explanation=reason,
        changes=changes,
    )
    return Adjudication(
        turn=adjudication.turn,
        state=state,
        outcomes=tuple(outcomes),
        fired_rules=adjudication.fired_rules + (record,),
        narrative=adjudication.narrative,
        scores=score_state(scenario, state),
        state_hash=state_hash(state),
        events=adjudication.events,
    )


def override_seed(seed: Seed, ruleset: int) -> Seed:
    """The seed an umpire override's dice are rolled with: under ruleset 1 always 0 (kept,
    so its logs verify; anyone could compute those rolls), from ruleset 2 the game's own."""
    return 0 if ruleset == INTEGER_SEED_RULESET else seed


def adjudicate_overridden(
    state: dict[str, Any],
    moves: Sequence[Move | dict[str, Any]],
    overrides: Sequence[dict[str, Any]],
    *,
    seed: Seed,
    scenario: Scenario,
    injects: Sequence[str | dict[str, Any]] = (),
    budget: int | None = None,
    ruleset: int | None = None,
) -> Adjudication:
    """A turn with the umpire's overrides, as the game's ruleset applies them.

    From ruleset 3 the overrides are part of the adjudication: the turn is adjudicated
    with each result the umpire changed forced onto the rules that judge that move, so a
    nuclear test marked failed takes the failure branch and loses its effects, unless the
    override's result says `"keep_effects": true` (then only its label changes); then the
    overrides' own effects are applied in order, and the narrative is told from the final
    state and results. Rulesets 1 and 2 lay each override over the finished turn and keep
    the proposal's narrative, as their games were played.
    """
    ruleset = ruleset_of_seed(seed) if ruleset is None else check_ruleset(ruleset)
    consistent = ruleset >= CONSISTENT_OVERRIDES_RULESET and bool(overrides)
    result = adjudicate(
        state,
        moves,
        seed=seed,
        scenario=scenario,
        injects=injects,
        budget=budget,
        ruleset=ruleset,
        forced=_forced_results(overrides, len(moves)) if consistent else None,
    )
    for override in overrides:
        result = apply_override(
            result,
            scenario=scenario,
            reason=override["reason"],
            effects=override.get("effects", ()),
            results=override.get("results", ()),
            seed=override_seed(seed, ruleset),
        )
    if not consistent:
        return result
    story = narrate(
        scenario,
        state,
        result.state,
        result.outcomes,
        list(result.fired_rules),
        labels=ruleset >= INJECTS_FIRST_RULESET,
    )
    return replace(result, narrative=story)


def _forced_results(overrides: Sequence[dict[str, Any]], moves: int) -> dict[int, str]:
    """{move index: result} the umpire set, the last override winning; a result kept with
    its effects (`keep_effects`) forces nothing."""
    forced: dict[int, str] = {}
    for override in overrides:
        for item in override.get("results", ()):
            index, result = item.get("index"), item.get("result")
            if not (isinstance(index, int) and 0 <= index < moves) or result not in RESULT_CODES:
                raise ScenarioError(at("overrides.results", _bad_result(index, result)))
            if item.get("keep_effects"):
                forced.pop(index, None)
            else:
                forced[index] = result
    return forced


def _bad_result(index: Any, result: Any) -> Reason:
    return Reason(
        "bad index %(index)s or result %(result)s", index=repr(index), result=repr(result)
    )
