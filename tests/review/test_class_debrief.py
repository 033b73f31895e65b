"""The class debrief's view-model (pure): ranking, divergence, rules across tables, the
strip plot, the long class table; over hand-made logs of two tables and a reference."""

from __future__ import annotations

import copy

from wargame.engine.loader import load_scenario
from wargame.review.class_debrief import Run, class_debrief, class_long_table

SCENARIO = load_scenario()


def log(tension_after: list[int], scores: dict[str, float], rule: str) -> dict:
    state = SCENARIO.initial_state()
    turns = []
    for number, tension in enumerate(tension_after, 1):
        state = copy.deepcopy(state)
        state["turn"], state["tension"] = number, tension
        outcome = {"state": state, "scores": scores, "fired_rules": [{"rule": rule}]}
        turns.append({"number": number, "moves": [], "outcome": outcome})
    return {"turns": turns}


def runs() -> tuple[list[Run], Run]:
    one = Run(1, "Table 1", 11, log([60, 62], {"seoul": 40, "beijing": 50}, "r-common"))
    two = Run(2, "Table 2", 12, log([61, 80], {"seoul": 60, "beijing": 45.5}, "r-common"))
    ref = Run(None, "2025 as it happened", None, log([70, 75], {"seoul": 50}, "r-common"))
    return [one, two], ref


def test_tables_are_ranked_by_their_capitals_summed_last_scores():
    tables, reference = runs()
    ranking = class_debrief(SCENARIO, tables, reference)["ranking"]
    assert [(r["place"], r["number"], r["total"]) for r in ranking] == [(1, 2, 105.5), (2, 1, 90)]


def test_the_tables_diverge_at_the_first_turn_some_variable_spreads_ten_points():
    tables, reference = runs()
    divergence = class_debrief(SCENARIO, tables, reference)["divergence"]
    assert divergence["turns"][0]["spread"] == 1
    assert divergence["first"] == {
        "turn": 2, "spread": 18, "label": "Military tension on the peninsula"
    }  # fmt: skip


def test_final_values_rules_and_the_strip_plot_show_every_table_and_the_reference():
    tables, reference = runs()
    data = class_debrief(SCENARIO, tables, reference)
    tension = next(v for v in data["variables"] if v["key"] == "tension")
    assert (tension["values"], tension["reference"], tension["spread"]) == ([62, 80], 75, 18)
    assert data["rules"] == [  # fired at both turns of both tables
        {"rule": "r-common", "title": "r-common", "tables": [1, 2], "count": 4,
         "in_reference": True}
    ]  # fmt: skip
    svg = data["strip_plot"]
    assert "Table 1" in svg and "2025 as it happened" in svg and "table 2 80" in svg


def test_the_long_class_table_has_a_row_per_table_turn_and_variable():
    tables, _reference = runs()
    table = class_long_table(SCENARIO, tables)
    assert table.columns == ("table", "game", "turn", "variable", "value")
    tension = [
        (r["table"], r["turn"], r["value"]) for r in table.rows if r["variable"] == "tension"
    ]
    start = SCENARIO.initial_state()["tension"]
    assert tension == [(1, 0, start), (1, 1, 60), (1, 2, 62), (2, 0, start), (2, 1, 61), (2, 2, 80)]
    assert {"table": 2, "game": 12, "turn": 2, "variable": "score.beijing", "value": 45.5} in (
        table.rows
    )
