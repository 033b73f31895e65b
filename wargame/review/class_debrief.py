"""The class debrief: a class's tables side by side, and beside them a reference log.

Pure (no Django): game logs in, a view-model out. Each table is its log document (as
`export_game` writes it); the reference is another log of the same scenario ("2025 as
it happened"). What it shows:

- the final value of every numeric variable per table, as a strip plot (one row per
  variable, a dot per table, a diamond for the reference) and as a table;
- the end of each enumeration (the war, US-DPRK dialogue, APEC ...) per table;
- the rules that fired across the class: at how many tables, how often;
- where the tables diverged: the turn after which the tables' states spread most, and
  the variable that spread;
- the tables ranked by their capitals' summed final scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from wargame.engine import Scenario

from .charts import _marker, _num, _Svg, _text, fmt, style_for
from .exports import Table

RELATION_RANGE = (-100, 100)
SCALAR_RANGE = (0, 100)
DIVERGED_AT = 10  # points of spread across tables that count as "diverged"


@dataclass(frozen=True)
class Run:
    """One table (or the reference): its number (None for the reference), a label, the
    game id, and its log document."""

    number: int | None
    label: str
    game: int | None
    log: dict[str, Any]


def _final_state(run: Run, scenario: Scenario) -> dict[str, Any]:
    turns = [t for t in run.log.get("turns", []) if t.get("outcome")]
    if turns:
        return turns[-1]["outcome"]["state"]
    start = run.log.get("start", {}).get("state")
    return start or scenario.initial_state()


def _value(state: dict[str, Any], key: str) -> Any:
    if key.startswith("relations."):
        return (state.get("relations") or {}).get(key.removeprefix("relations."))
    return state.get(key)


def numeric_variables(scenario: Scenario) -> list[dict[str, Any]]:
    """Every relation and scalar: key, label and range."""
    out = []
    for pair, spec in scenario.variables.get("relations", {}).items():
        out.append(
            {"key": f"relations.{pair}", "label": spec.get("label", pair).split(":")[0],
             "range": RELATION_RANGE}
        )  # fmt: skip
    for key, spec in scenario.variables.get("scalars", {}).items():
        out.append({"key": key, "label": spec.get("label", key), "range": SCALAR_RANGE})
    return out


def enum_variables(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": spec.get("label", key)}
        for key, spec in scenario.variables.get("enums", {}).items()
    ]


def class_debrief(
    scenario: Scenario,
    tables: Sequence[Run],
    reference: Run | None = None,
    *,
    _: Callable[[str], str] = str,
) -> dict[str, Any]:
    """`_`: the shell's gettext, for the chart's own words (this module imports no
    Django)."""
    runs = list(tables)
    finals = {
        id(r): _final_state(r, scenario) for r in [*runs, *([reference] if reference else [])]
    }
    variables = []
    for var in numeric_variables(scenario):
        values = [_value(finals[id(r)], var["key"]) for r in runs]
        numbers = [v for v in values if isinstance(v, (int, float))]
        variables.append(
            {
                **var,
                "values": values,
                "reference": _value(finals[id(reference)], var["key"]) if reference else None,
                "spread": (max(numbers) - min(numbers)) if numbers else 0,
            }
        )
    enums = [
        {
            **var,
            "values": [_value(finals[id(r)], var["key"]) for r in runs],
            "reference": _value(finals[id(reference)], var["key"]) if reference else None,
        }
        for var in enum_variables(scenario)
    ]
    return {
        "tables": [{"number": r.number, "label": r.label, "game": r.game} for r in runs],
        "reference": {"label": reference.label} if reference else None,
        "variables": variables,
        "enums": enums,
        "rules": rules_across(scenario, runs, reference),
        "divergence": divergence(scenario, runs),
        "ranking": ranking(scenario, runs),
        "strip_plot": strip_plot(variables, runs, reference, _=_),
    }


def rules_across(
    scenario: Scenario, runs: Sequence[Run], reference: Run | None
) -> list[dict[str, Any]]:
    """Each rule that fired anywhere: its title, the tables where it fired, how often in
    all, and whether it fired in the reference; most widespread first."""
    titles = {rule.id: rule.title for rule in scenario.rules}
    seen: dict[str, dict[str, Any]] = {}

    def fired(run: Run):
        for turn in run.log.get("turns", []):
            for rule in (turn.get("outcome") or {}).get("fired_rules") or []:
                yield rule.get("rule")

    for run in runs:
        for rule_id in fired(run):
            entry = seen.setdefault(
                rule_id,
                {"rule": rule_id, "title": titles.get(rule_id, rule_id), "tables": [],
                 "count": 0, "in_reference": False},
            )  # fmt: skip
            entry["count"] += 1
            if run.number not in entry["tables"]:
                entry["tables"].append(run.number)
    if reference:
        in_reference = set(fired(reference))
        for entry in seen.values():
            entry["in_reference"] = entry["rule"] in in_reference
    return sorted(seen.values(), key=lambda e: (-len(e["tables"]), -e["count"], e["rule"]))


def divergence(scenario: Scenario, runs: Sequence[Run]) -> dict[str, Any]:
    """Per resolved turn, the variable whose values spread most across the tables; the
    first turn at which some variable's spread reaches DIVERGED_AT points."""
    variables = numeric_variables(scenario)
    by_turn: dict[int, list[dict[str, Any]]] = {}
    for run in runs:
        for turn in run.log.get("turns", []):
            if turn.get("outcome"):
                by_turn.setdefault(turn["number"], []).append(turn["outcome"]["state"])
    turns = []
    first = None
    for number in sorted(by_turn):
        states = by_turn[number]
        if len(states) < 2:
            continue
        widest: tuple[float, dict | None] = (0, None)
        for var in variables:
            values = [_value(state, var["key"]) for state in states]
            numbers = [v for v in values if isinstance(v, (int, float))]
            if len(numbers) > 1 and max(numbers) - min(numbers) > widest[0]:
                widest = (max(numbers) - min(numbers), var)
        spread, var = widest
        turns.append({"turn": number, "spread": spread, "label": var["label"] if var else ""})
        if first is None and spread >= DIVERGED_AT:
            first = {"turn": number, "spread": spread, "label": var["label"]}
    return {"turns": turns, "first": first, "threshold": DIVERGED_AT}


def ranking(scenario: Scenario, runs: Sequence[Run]) -> list[dict[str, Any]]:
    """Tables by the sum of their capitals' last scores, best first."""
    rows = []
    for run in runs:
        resolved = [t for t in run.log.get("turns", []) if t.get("outcome")]
        last = resolved[-1]["outcome"].get("scores") if resolved else {}
        last = last or {}
        rows.append(
            {
                "number": run.number,
                "label": run.label,
                "game": run.game,
                "scores": [last.get(role) for role in scenario.role_slugs],
                "total": round(sum(v for v in last.values() if isinstance(v, (int, float))), 1),
                "turns": len(resolved),
            }
        )
    rows.sort(key=lambda r: (-r["total"], r["number"] or 0))
    for place, row in enumerate(rows, 1):
        row["place"] = place
    return rows


def strip_plot(
    variables: list[dict[str, Any]],
    runs: Sequence[Run],
    reference: Run | None,
    *,
    _: Callable[[str], str] = str,
) -> str:
    """One row per variable on its own range; a dot per table (its number beside it when
    the row has room), a black diamond for the reference."""
    label_w, plot_w, row_h, top = 260, 420, 26, 34
    width, height = label_w + plot_w + 30, top + row_h * len(variables) + 10
    desc = "; ".join(
        f"{v['label']}: "
        + ", ".join(_("table %(n)s %(value)s") % {"n": r.number, "value": fmt(x)}
                    for r, x in zip(runs, v["values"], strict=True) if x is not None)
        + ("; " + _("reference %(value)s") % {"value": fmt(v["reference"])}
           if v["reference"] is not None else "")
        for v in variables
    )  # fmt: skip
    legend_rows = (len(runs) + (1 if reference else 0) + 5) // 6
    top += 16 * legend_rows
    height += 16 * legend_rows
    svg = _Svg(width, height, _("Final values per table"), desc, "chart class-strip")
    colours = [style_for(i).colour for i in range(len(runs))]
    entries = [(run.label, "circle", colours[i]) for i, run in enumerate(runs)]
    if reference:
        entries.append((reference.label, "diamond", "#111"))
    for i, (label, kind, colour) in enumerate(entries):  # the legend, six to a line
        x, y = label_w + (i % 6) * 70, 14 + 16 * (i // 6)
        svg.add(_marker(kind, x, y - 4, colour, 4))
        svg.add(_text(x + 8, y, label[:22], font_size="11"))
    svg.add(_text(label_w, top - 8, _("low"), font_size="11", fill="#555"))
    svg.add(_text(label_w + plot_w, top - 8, _("high"), font_size="11", fill="#555",
                  text_anchor="end"))  # fmt: skip
    for i, var in enumerate(variables):
        y = top + row_h * i + row_h / 2
        low, high = var["range"]

        def x_of(value: float, low=low, high=high) -> float:
            return label_w + (float(value) - low) / (high - low) * plot_w

        svg.add(_text(label_w - 8, y + 4, var["label"][:40], font_size="12", text_anchor="end"))
        svg.add(
            f'<line x1="{_num(label_w)}" y1="{_num(y)}" x2="{_num(label_w + plot_w)}" '
            f'y2="{_num(y)}" stroke="#ccc"/>'
        )
        for index, (run, value) in enumerate(zip(runs, var["values"], strict=True)):
            if value is None:
                continue
            svg.add(
                f'<circle cx="{_num(x_of(value))}" cy="{_num(y)}" r="5" fill="{colours[index]}" '
                f'fill-opacity="0.55"><title>{escape(run.label)}: {fmt(value)}</title></circle>'
            )
        if var["reference"] is not None:
            svg.add(_marker("diamond", x_of(var["reference"]), y, "#111", 4))
    return svg.render()


LONG_COLUMNS = ("table", "game", "turn", "variable", "value")


def class_long_table(scenario: Scenario, runs: Sequence[Run]) -> Table:
    """One long table for the class: a row per table, turn (0: the start) and variable
    (every relation, scalar and enumeration, then `score.<role>`), for pandas or R."""
    numeric = [v["key"] for v in numeric_variables(scenario)]
    enums = [v["key"] for v in enum_variables(scenario)]
    rows: list[dict[str, Any]] = []
    for run in runs:
        start = run.log.get("start", {}).get("state") or scenario.initial_state()
        steps = [(start.get("turn", 0), start, None)] + [
            (t["number"], t["outcome"]["state"], t["outcome"].get("scores"))
            for t in run.log.get("turns", [])
            if t.get("outcome")
        ]
        for number, state, by_role in steps:
            base = {"table": run.number, "game": run.game, "turn": number}
            for key in [*numeric, *enums]:
                rows.append({**base, "variable": key, "value": _value(state, key)})
            for role in scenario.role_slugs:
                if by_role and role in by_role:
                    rows.append({**base, "variable": f"score.{role}", "value": by_role[role]})
    return Table("class", LONG_COLUMNS, rows)
