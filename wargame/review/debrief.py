"""The after-action review ("debrief") of a game, from its log document.

Pure Python (no Django): `debrief_content(log, scenario)` turns the log that
`selectors.game_log` builds (or an imported one) into what the debrief page shows: the
timeline of decisions with their results and the rules behind them, every variable and
relation over the turns (from the start state, or the parent's turn for a fork), scores
per role per turn, the rules that fired most with their place in the commentary, who
talked to whom, the umpire's overrides and the facilitator's notes. `debrief_charts`
draws the charts as SVG (wargame.review.charts). Text meant for people goes through `_`, a
translation function the page passes in (identity by default), so the strings are in
the catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from wargame.engine import Scenario, scores
from wargame.engine.scenario_diff import effect_text
from wargame.engine.types import (
    BLOCKED,
    FAILED,
    HELD,
    NO_EFFECT,
    PARTIAL,
    SUCCEEDED,
    UNANSWERED,
)
from wargame.gamelog import moves_with_outcomes
from wargame.review import charts as svg

ALL = "all"
FACILITATOR = "facilitator"
TOP_RULES = 12
# Charts are drawn 480 units wide: on a 390 px phone they shrink to about 0.75 (11 px text
# stays near 8 px), on a laptop and in the PDF they grow to at most 640 px.
CHART_WIDTH = 480


def _identity(text: str) -> str:
    return text


def debrief_content(
    log: dict[str, Any],
    scenario: Scenario,
    *,
    _: Callable[[str], str] = _identity,
    values: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the debrief shows, as plain data (lists and dicts of str and numbers).
    `values` labels enum values in the reader's language ({"ukraine_war.ongoing": ...})."""
    role_names = scenario.role_names()
    names = {**role_names, FACILITATOR: _("Facilitator"), "observer": _("Observer"), ALL: _("All")}
    words = result_words(_)
    game = log.get("game") or {}
    start = (log.get("start") or {}).get("state") or scenario.initial_state()
    turns = log.get("turns", [])
    points = _points(start, turns, scenario, game, _)
    states = [start] + [t.get("outcome", {}).get("state") for t in turns]
    seats = {r["role"]: r for r in log.get("roles", [])}
    return {
        "title": game.get("title") or scenario.title,
        "scenario": {"slug": scenario.slug, "title": scenario.title, "version": scenario.version},
        "game": {
            "id": game.get("id"),
            "status": game.get("status"),
            "turns_planned": game.get("turns"),
            "turns_played": len(turns),
            "parent": game.get("parent"),
        },
        "notes": game.get("notes") or "",
        "roles": [
            {
                "slug": slug,
                "name": name,
                "seat": seats.get(slug, {}).get("seat", ""),
                "player": seats.get(slug, {}).get("name") or "",
            }
            for slug, name in role_names.items()
        ],
        "points": points,
        "timeline": [
            _timeline_turn(t, scenario, names, words, points[i + 1]) for i, t in enumerate(turns)
        ],
        "scalars": _numeric_series(scenario, states, "scalars"),
        "relations": _relation_series(scenario, states),
        "enums": _enum_rows(scenario, states, values or {}),
        "scores": _score_series(scenario, start, turns, values or {}),
        "rules": fired_rule_counts(turns, scenario),
        "talk": talk_matrix(turns, scenario, names),
        "overrides": [
            {"turn": t["number"], "label": points[i + 1]["label"], **_override(o, t, names)}
            for i, t in enumerate(turns)
            for o in t.get("overrides", [])
        ],
    }


def result_words(_: Callable[[str], str] = _identity) -> dict[str, str]:
    """The engine's result codes as words for people."""
    return {
        HELD: _("Held"),
        SUCCEEDED: _("Succeeded"),
        FAILED: _("Failed"),
        UNANSWERED: _("Unanswered"),
        NO_EFFECT: _("No effect"),
        BLOCKED: _("Blocked"),
        PARTIAL: _("Partly succeeded"),
    }


def _points(start, turns, scenario, game, _) -> list[dict[str, Any]]:
    """The x axis: the start (turn 0, or the parent's turn for a fork), then each turn."""
    parent = game.get("parent")
    first = start.get("turn", 0)
    if parent and parent.get("game") is not None:
        start_label = _("Start (fork of game %(game)s after turn %(turn)s)") % {
            "game": parent["game"],
            "turn": parent.get("turn", first),
        }
    else:
        start_label = _("Start")
    out = [{"number": first, "label": start_label, "short": str(first)}]
    for turn in turns:
        number = turn["number"]
        out.append({"number": number, "label": scenario.turn_label(number), "short": str(number)})
    return out


def _rule_index(scenario: Scenario) -> dict[str, dict[str, Any]]:
    return {
        r.id: {"rule": r.id, "title": r.title, "section": r.section, "claims": list(r.claims)}
        for r in scenario.rules
    }


def _rule_info(rule_id: str, known: dict[str, dict[str, Any]], fired: dict[str, dict]) -> dict:
    if rule_id in fired:
        entry = fired[rule_id]
        return {
            "rule": rule_id,
            "title": entry.get("title") or rule_id,
            "section": entry.get("section", ""),
            "claims": list(entry.get("claims", [])),
        }
    return known.get(rule_id, {"rule": rule_id, "title": rule_id, "section": "", "claims": []})


def _timeline_turn(turn, scenario, names, words, point) -> dict[str, Any]:
    outcome = turn.get("outcome") or {}
    known = _rule_index(scenario)
    fired = {f["rule"]: f for f in outcome.get("fired_rules", [])}
    moves = moves_with_outcomes(turn.get("moves", []), outcome.get("outcomes", []))
    return {
        "number": turn["number"],
        "label": point["label"],
        "moves": [
            {
                "role": m["role"],
                "role_name": names.get(m["role"], m["role"]),
                "action": m["action"],
                "action_label": _action_label(scenario, m["role"], m["action"]),
                "target": m.get("target") or "",
                "target_name": names.get(m.get("target") or "", m.get("target") or ""),
                "rationale": m.get("rationale", ""),
                "result": m.get("result", ""),
                "result_text": words.get(m.get("result", ""), m.get("result", "")),
                "reason": m.get("reason", ""),
                "rules": [_rule_info(r, known, fired) for r in m.get("rules", [])],
                "claims": list(m.get("claims", [])),
            }
            for m in moves
        ],
        "injects": [
            {
                "id": i.get("id", ""),
                "label": i.get("label") or i.get("id", ""),
                "description": i.get("description", ""),
            }
            for i in turn.get("injects", [])
        ],
        "overrides": [_override(o, turn, names) for o in turn.get("overrides", [])],
        "narrative": (outcome.get("narrative") or {}).get(ALL, ""),
        "fired": len(outcome.get("fired_rules", [])),
        "messages": len(turn.get("messages", [])),
    }


def _action_label(scenario: Scenario, role: str, code: str) -> str:
    action = scenario.action(role, code)
    return action.label if action else code


def _override(override, turn, names) -> dict[str, Any]:
    outcomes = (turn.get("outcome") or {}).get("outcomes", [])
    results = []
    for change in override.get("results") or []:
        index = change.get("index")
        judged = outcomes[index] if isinstance(index, int) and 0 <= index < len(outcomes) else {}
        results.append(
            {
                "role": names.get(judged.get("role", ""), judged.get("role", "")),
                "action": judged.get("action", ""),
                "result": change.get("result", ""),
            }
        )
    return {
        "reason": override.get("reason", ""),
        "effects": [_effect_text(e) for e in override.get("effects") or []],
        "results": results,
    }


def _effect_text(effect: dict[str, Any]) -> str:
    """An override's effect in one line, as the scenario pages write effects."""
    if effect.get("kind") in ("add", "set") and "value" in effect:  # compiled form
        effect = {"var": effect.get("var", "?"), effect["kind"]: effect["value"]}
    return effect_text(effect)


def _value(state: dict[str, Any] | None, key: str) -> Any:
    if not state:
        return None
    if key.startswith("relations."):
        return (state.get("relations") or {}).get(key.removeprefix("relations."))
    return state.get(key)


def _numeric_series(scenario: Scenario, states, group: str) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": spec.get("label", key),
            "values": [_value(s, key) for s in states],
        }
        for key, spec in scenario.variables.get(group, {}).items()
    ]


def _relation_series(scenario: Scenario, states) -> list[dict[str, Any]]:
    out = []
    for pair, spec in scenario.variables.get("relations", {}).items():
        a, _sep, b = pair.partition("-")
        out.append(
            {
                "key": pair,
                "label": _pair_name(scenario, a, b),
                "description": spec.get("label", pair),
                "ends": [a, b],
                "values": [_value(s, f"relations.{pair}") for s in states],
            }
        )
    return out


def _pair_name(scenario: Scenario, a: str, b: str) -> str:
    names = scenario.role_names()
    return f"{names.get(a, a)}–{names.get(b, b)}"


def _enum_rows(scenario: Scenario, states, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Enumerations and lists (ukraine_war, apec_attendance, ...): one row of words each."""
    rows = []
    for group in ("enums", "lists"):
        for key, spec in scenario.variables.get(group, {}).items():
            values = []
            for state in states:
                value = _value(state, key)
                if isinstance(value, list):
                    value = ", ".join(str(labels.get(f"{key}.{v}", v)) for v in value) or "–"
                elif value is not None:
                    value = labels.get(f"{key}.{value}", value)
                values.append("–" if value is None else str(value))
            rows.append({"key": key, "label": spec.get("label", key), "values": values})
    return rows


def _score_series(scenario: Scenario, start, turns, labels: dict[str, str]) -> dict[str, Any]:
    first = scores(scenario, start)
    per_turn = [first] + [(t.get("outcome") or {}).get("scores") or {} for t in turns]
    return {
        "series": [
            {
                "key": r["slug"],
                "label": r["name"],
                "values": [s.get(r["slug"]) for s in per_turn],
            }
            for r in scenario.roles
        ],
        "objectives": [
            {
                "role": r["name"],
                "slug": r["slug"],
                "objectives": [_objective(o, labels) for o in r.get("objectives", [])],
            }
            for r in scenario.roles
        ],
    }


def _objective(objective: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """An objective with `want` as 'high', 'low' or 'points' (then `points`: the score of
    each value of an enumeration, as text)."""
    want = objective.get("want")
    out = {k: objective.get(k) for k in ("id", "label", "var", "weight")}
    if isinstance(want, dict):
        out["want"] = "points"
        var = objective.get("var")
        out["points"] = ", ".join(
            f"{labels.get(f'{var}.{k}', k)} {svg.fmt(v)}" for k, v in want.items()
        )
    else:
        out["want"] = want
        out["points"] = ""
    return out


def fired_rule_counts(turns: list[dict], scenario: Scenario) -> list[dict[str, Any]]:
    """Every rule that fired, most often first (ties by the scenario's order): how often,
    how often its dice (if any) came up, in which turns, and where it comes from in the
    commentary (section and claim ids)."""
    known = _rule_index(scenario)
    order = {rule_id: i for i, rule_id in enumerate(known)}
    counts: Counter[str] = Counter()
    succeeded: Counter[str] = Counter()
    when: dict[str, list[int]] = {}
    seen: dict[str, dict] = {}
    for turn in turns:
        for fired in (turn.get("outcome") or {}).get("fired_rules", []):
            rule_id = fired["rule"]
            counts[rule_id] += 1
            if fired.get("succeeded", True):
                succeeded[rule_id] += 1
            when.setdefault(rule_id, [])
            if turn["number"] not in when[rule_id]:
                when[rule_id].append(turn["number"])
            seen.setdefault(rule_id, fired)
    ranked = sorted(counts, key=lambda r: (-counts[r], order.get(r, len(order)), r))
    return [
        {
            **_rule_info(rule_id, known, seen),
            "count": counts[rule_id],
            "succeeded": succeeded[rule_id],
            "turns": when[rule_id],
        }
        for rule_id in ranked
    ]


def talk_matrix(turns: list[dict], scenario: Scenario, names: dict[str, str]) -> dict[str, Any]:
    """Messages sent, sender x recipient: a message to several roles counts once for each;
    a message to everyone counts once, in the 'all' column."""
    roles = list(scenario.role_slugs)
    senders = [*roles, FACILITATOR]
    recipients = [*roles, FACILITATOR]
    counts: Counter[tuple[str, str]] = Counter()
    total = 0
    for turn in turns:
        for message in turn.get("messages", []):
            total += 1
            sender = message.get("from", "")
            if sender not in senders:
                senders.append(sender)
            to = message.get("to")
            targets = [ALL] if to == ALL or to == [ALL] else list(to or [])
            for target in targets:
                if target != ALL and target not in recipients:
                    recipients.append(target)
                counts[(sender, target)] += 1
    columns = [*recipients, ALL]
    rows = [[counts[(s, c)] for c in columns] for s in senders]
    return {
        "senders": [{"slug": s, "name": names.get(s, s)} for s in senders],
        "columns": [{"slug": c, "name": names.get(c, c)} for c in columns],
        "rows": [
            {"slug": s, "name": names.get(s, s), "counts": row, "total": sum(row)}
            for s, row in zip(senders, rows, strict=True)
        ],
        "total": total,
    }


def relation_groups(relations: list[dict[str, Any]]) -> list[tuple[str, list[dict]]]:
    """Relations in two charts when the scenario has the two Koreas: ties of either Korea,
    and ties among the other powers; otherwise one chart."""
    koreas = {"pyongyang", "seoul"}
    korean = [r for r in relations if koreas & set(r["ends"])]
    others = [r for r in relations if not koreas & set(r["ends"])]
    if korean and others:
        return [("korea", korean), ("powers", others)]
    return [("all", relations)]


def debrief_charts(
    content: dict[str, Any], *, _: Callable[[str], str] = _identity
) -> dict[str, Any]:
    """SVG markup for each chart of the debrief, with its title."""
    points = content["points"]
    x_values = [p["number"] for p in points]
    x_title = _("Turn (0: start)") if x_values and x_values[0] == 0 else _("Turn")

    def lines(key, title, rows, y_range, y_title):
        series = [svg.Series(r["label"], r["values"], r["key"]) for r in rows]
        return svg.line_chart(
            chart_id=f"debrief-{key}",
            width=CHART_WIDTH,
            title=title,
            series=series,
            desc=svg.series_summary(series, _),  # what a screen reader says, in words
            x_values=x_values,
            y_range=y_range,
            x_title=x_title,
            y_title=y_title,
        )

    relation_titles = {
        "korea": _("Relations of the two Koreas over the turns"),
        "powers": _("Relations among the other powers over the turns"),
        "all": _("Relations over the turns"),
    }
    charts: dict[str, Any] = {
        "scalars": {
            "title": _("The state of the peninsula over the turns"),
            "svg": lines(
                "scalars",
                _("The state of the peninsula over the turns"),
                content["scalars"],
                (0, 100),
                _("0 to 100"),
            ),
        },
        "relations": [
            {
                "key": key,
                "title": relation_titles[key],
                "rows": rows,
                "svg": lines(
                    f"relations-{key}",
                    relation_titles[key],
                    rows,
                    (-100, 100),
                    _("hostile −100 to +100 friendly"),
                ),
            }
            for key, rows in relation_groups(content["relations"])
        ],
        "scores": {
            "title": _("Scores per capital over the turns"),
            "svg": lines(
                "scores",
                _("Scores per capital over the turns"),
                content["scores"]["series"],
                (0, 100),
                _("score"),
            ),
        },
    }
    top = content["rules"][:TOP_RULES]
    charts["rules"] = {
        "title": _("The rules that fired most"),
        "svg": svg.bar_chart(
            chart_id="debrief-rules",
            width=CHART_WIDTH,
            title=_("The rules that fired most"),
            bars=[(r["title"], r["count"]) for r in top],
            value_title=_("times fired"),
        )
        if top
        else "",
    }
    talk = content["talk"]
    charts["talk"] = {
        "title": _("Who talked to whom"),
        "svg": svg.heat_matrix(
            chart_id="debrief-talk",
            title=_("Who talked to whom"),
            rows=[r["name"] for r in talk["rows"]],
            columns=[c["name"] for c in talk["columns"]],
            counts=[r["counts"] for r in talk["rows"]],
            row_title=_("From"),
            column_title=_("To"),
            _=_,
        ),
    }
    return charts
