"""The turn report ("results are in"): what one seat is told the moment a turn resolves.

Pure Python (no Django), like the debrief: `turn_report(scenario, turn, before, role)`
reads a turn *as the seat may see it* (the published payload, already through
`policy.public_outcome`, so an inject shown to some capitals stays unnamed) and the state
the turn started from, and orders it for a first-time player:

1. the headline: the events of the turn (a summit held, a test conducted, an inject);
2. the seat's own moves, each with its result, the reason and the dice against the chance;
3. the other capitals' moves (public once resolved);
4. what changed in the state, in words, each change good or bad *for this role*, judged
   by the role's objectives (the same `objective_value` the scores use).

Only scenario labels reach the text (actions, variables, roles); memory variables never do.
Text meant for people goes through `_`, passed in by the caller (identity by default).
`turning_points` and `final_standings` (the game-over view) read the same payloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wargame.engine import Scenario
from wargame.engine import scores as score_state
from wargame.engine.scoring import objective_value
from wargame.engine.state import get_var
from wargame.review.debrief import result_words

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"
INJECT_PREFIX = "inject:"


def _identity(text: str) -> str:
    return text


def variable_labels(scenario: Scenario) -> dict[str, str]:
    """{path: label} of every variable a player may be shown (memory is not among them)."""
    variables = scenario.variables
    out = {f"relations.{k}": v.get("label", k) for k, v in variables["relations"].items()}
    for group in ("scalars", "enums", "lists"):
        out.update({k: v.get("label", k) for k, v in variables.get(group, {}).items()})
    return out


def action_labels(scenario: Scenario) -> dict[str, str]:
    """{"role:code": label} of every action of the scenario."""
    return {key: action.label for key, action in scenario.actions.items()}


def turn_report(
    scenario: Scenario,
    turn: dict[str, Any],
    before: dict[str, Any],
    role: str | None,
    *,
    _: Callable[[str], str] = _identity,
) -> dict[str, Any]:
    """The report of one published turn for `role` (None, or a seat that plays no role,
    for the facilitator and observers: everyone's moves, no good or bad)."""
    names = scenario.role_names()
    playing = role in names
    words = result_words(_)
    rules = {r["rule"]: r for r in turn["fired_rules"]}
    moves = [_move(scenario, o, rules, names, words, _) for o in turn["outcomes"]]
    mine = [m for m in moves if m["role"] == role] if playing else []
    others = [m for m in moves if m["role"] != role] if playing else moves
    changes = state_changes(scenario, before, turn["state"], role if playing else None, _=_)
    score = None
    if playing:
        old = score_state(scenario, before).get(role)
        now = turn["scores"].get(role)
        score = {"now": now, "before": old, "delta": round(now - old, 1)}
    return {
        "number": turn["number"],
        "label": scenario.turn_label(turn["number"]),
        "role": role if playing else None,
        "headline": headline(turn, _=_),
        "mine": mine,
        "held": playing and not mine,
        "others": others,
        "changes": changes,
        "score": score,
    }


def headline(turn: dict[str, Any], *, _: Callable[[str], str] = _identity) -> list[dict]:
    """The turn's events, injects first (they happened first), then what the rules made
    happen (a rule with an event that succeeded)."""
    out = []
    for rule in turn["fired_rules"]:
        if rule["rule"].startswith(INJECT_PREFIX):
            out.append({"kind": "inject", "title": rule["title"], "text": rule["explanation"]})
    for rule in turn["fired_rules"]:
        if rule.get("event") and not rule["rule"].startswith(INJECT_PREFIX):
            out.append({"kind": "event", "title": rule["title"], "text": rule["explanation"]})
    return out


def _move(scenario, outcome, rules, names, words, _) -> dict[str, Any]:
    action = scenario.action(outcome["role"], outcome["action"])
    cited = [rules[r] for r in outcome.get("rules", ()) if r in rules]
    dice = [
        _("rolled %(roll)s against a %(chance)s%% chance")
        % {"roll": r["roll"], "chance": r["chance"]}
        for r in cited
        if r.get("roll") is not None
    ]
    return {
        "role": outcome["role"],
        "code": outcome["action"],  # data, for the page's labels; never shown
        "role_name": names.get(outcome["role"], outcome["role"]),
        "action": action.label if action else outcome["action"].replace("_", " "),
        "target": names.get(outcome["target"]) if outcome.get("target") else None,
        "result": outcome["result"],
        "result_label": words.get(outcome["result"], outcome["result"]),
        "reason": outcome["reason"],
        "dice": dice,
        "rules": [r["title"] for r in cited],
    }


def state_changes(
    scenario: Scenario,
    before: dict[str, Any],
    after: dict[str, Any],
    role: str | None,
    *,
    _: Callable[[str], str] = _identity,
) -> list[dict[str, Any]]:
    """Every public variable that changed, as words, with its meaning for `role`: what
    matters to the role first (good, then bad), then the rest."""
    labels = variable_labels(scenario)
    objectives = scenario.role(role)["objectives"] if role else []
    out = []
    for path, label in labels.items():
        old, new = get_var(before, path), get_var(after, path)
        if old == new:
            continue
        gain = sum(
            o["weight"] * (objective_value(o, after) - objective_value(o, before))
            for o in objectives
            if o["var"] == path
        )
        valence = GOOD if gain > 0 else BAD if gain < 0 else NEUTRAL
        if isinstance(old, int) and isinstance(new, int):
            text = _("%(label)s %(delta)s (now %(now)s)") % {
                "label": label,
                "delta": f"{new - old:+d}",
                "now": new,
            }
        elif isinstance(new, list):
            text = _("%(label)s: %(now)s") % {
                "label": label,
                "now": ", ".join(scenario.role_names().get(x, x) for x in new),
            }
        else:
            text = _("%(label)s: now %(now)s (was %(was)s)") % {
                "label": label,
                "now": _value_words(new),
                "was": _value_words(old),
            }
        out.append({"var": label, "text": text, "valence": valence})
    order = {GOOD: 0, BAD: 1, NEUTRAL: 2}
    return sorted(out, key=lambda c: order[c["valence"]])


def _value_words(value: Any) -> str:
    return str(value).replace("_", " ")


def turning_points(
    scenario: Scenario,
    start: dict[str, Any],
    turns: Sequence[dict[str, Any]],
    *,
    count: int = 3,
) -> list[dict[str, Any]]:
    """The turns that moved the scores most (sum over roles of the absolute change), with
    their events: the game's turning points, biggest first, at most `count`."""
    previous = score_state(scenario, start)
    swings = []
    for turn in turns:
        now = turn["scores"]
        deltas = {r: round(now[r] - previous.get(r, 0), 1) for r in now}
        swings.append(
            {
                "number": turn["number"],
                "label": scenario.turn_label(turn["number"]),
                "swing": round(sum(abs(d) for d in deltas.values()), 1),
                "deltas": [
                    {"role": scenario.role_names().get(r, r), "delta": d}
                    for r, d in sorted(deltas.items(), key=lambda kv: -abs(kv[1]))
                    if d
                ],
                "events": [h["title"] for h in headline(turn)],
            }
        )
        previous = now
    ranked = sorted(swings, key=lambda s: -s["swing"])
    return [s for s in ranked[:count] if s["swing"] > 0]


def final_standings(
    scenario: Scenario, state: dict[str, Any], scores: dict[str, float]
) -> list[dict[str, Any]]:
    """Roles ranked by final score, each objective's contribution (weight share × value)."""
    out = []
    for role in scenario.roles:
        objectives = role["objectives"]
        total = sum(o["weight"] for o in objectives) or 1
        out.append(
            {
                "role": role["slug"],
                "name": role["name"],
                "score": scores.get(role["slug"]),
                "objectives": [
                    {
                        "label": o["label"],
                        "value": round(objective_value(o, state), 1),
                        "points": round(o["weight"] * objective_value(o, state) / total, 1),
                    }
                    for o in objectives
                ],
            }
        )
    return sorted(out, key=lambda r: -(r["score"] or 0))
