"""The lab's numbers: percentiles, Wilson intervals, differences, percentiles of a value,
and the job page's results over real runner records."""

import csv
import io
import math

import pytest

from wargame.bots import make_policy
from wargame.bots.runner import RunSpec, columns, run_chunk
from wargame.engine.loader import load_scenario
from wargame.review import lab


def test_percentile_interpolates_between_ranks():
    values = [0, 10, 20, 30, 40]
    assert lab.percentile(values, 50) == 20
    assert lab.percentile(values, 10) == 4
    assert lab.percentile(values, 90) == 36


def test_wilson_interval_matches_the_textbook_case():
    """81 of 263 (Newcombe 1998, example): 0.308, interval 0.255 to 0.366."""
    p, low, high = lab.wilson(81, 263)
    assert (round(p, 3), round(low, 3), round(high, 3)) == (0.308, 0.255, 0.366)
    assert lab.wilson(0, 10)[1] == 0 and lab.wilson(10, 10)[2] == pytest.approx(1)


def test_difference_of_proportions_newcombe_example():
    """Newcombe 1998 (method 10): 56/70 vs 48/80, difference 0.2, interval 0.0524-0.3339."""
    d, low, high = lab.difference_of_proportions(56, 70, 48, 80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)


def test_percentile_of_a_value_uses_the_mid_rank():
    assert lab.percentile_of(5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 45
    assert lab.percentile_of(3, [3, 3, 3]) == 50
    assert math.isnan(lab.percentile_of(1, []))


@pytest.fixture(scope="module")
def runs():
    scenario = load_scenario()
    spec = RunSpec(
        scenario=scenario,
        start=scenario.initial_state(),
        last_turn=10,
        policies={r: make_policy("random") for r in scenario.role_slugs},
        budget=scenario.action_budget,
    )
    return scenario, run_chunk(spec, job_seed=2025, first=0, count=120)


def test_job_results_in_the_scenarios_words(runs):
    """A fan chart and a histogram per column, labelled with the scenario's labels; each
    key event's probability is the share of runs where it happened."""
    scenario, records = runs
    results = lab.job_results(scenario, records, first_turn=1, real_finals={"tension": 50})
    assert results["runs"] == 120 and results["turns"][0] == scenario.turn_label(1)
    assert len(results["variables"]) == len(columns(scenario))
    tension = next(v for v in results["variables"] if v["column"] == "tension")
    assert tension["label"] == "Military tension on the peninsula"
    assert "Military tension on the peninsula: spread over 120 runs" in tension["fan"]
    assert "Median" in tension["fan"] and "90th" in tension["fan"]
    assert "runs per range" in tension["histogram"]
    ends = sorted(r["values"][-1][columns(scenario).index("tension")] for r in records)
    assert tension["median"] == lab.percentile(ends, 50)
    assert tension["real_percentile"] == lab.percentile_of(50, ends)
    apec = next(e for e in results["events"] if e["label"] == "Xi at APEC in Gyeongju")
    assert apec["runs"] == sum(1 for r in records if "xi_in_gyeongju" in r["events"])
    assert apec["pct_low"] <= apec["pct"] <= apec["pct_high"]


def test_comparing_a_job_with_itself_shows_no_difference(runs):
    scenario, records = runs
    comparison = lab.compare_jobs(scenario, records, records)
    assert all(row["difference"] == 0 for row in comparison["events"] + comparison["values"])
    assert all(row["low"] <= 0 <= row["high"] for row in comparison["values"])


def test_csv_has_a_row_per_run_with_its_final_values(runs):
    scenario, records = runs
    rows = list(csv.DictReader(io.StringIO(lab.records_csv(scenario, records))))
    assert len(rows) == 120
    assert rows[7]["run"] == "7" and rows[7]["seed"] == str(records[7]["seed"])
    assert float(rows[7]["tension"]) == records[7]["values"][-1][columns(scenario).index("tension")]


def test_parquet_holds_the_csv_table_typed(runs):
    """Read back with pyarrow, the Parquet file has the CSV's columns in its order and,
    cell for cell, its values: numbers as numbers, a never-happened event as null."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    scenario, records = runs
    table = pq.read_table(pa.BufferReader(lab.records_parquet(scenario, records)))
    rows = list(csv.reader(io.StringIO(lab.records_csv(scenario, records))))
    assert table.column_names == rows[0]
    assert table.num_rows == len(rows) - 1 == 120
    as_text = [["" if v is None else str(v) for v in row.values()] for row in table.to_pylist()]
    assert as_text == rows[1:]
    assert table.schema.field("run").type == pa.int64()
    assert table.schema.field("tension").type == pa.int64()
    assert table.schema.field("score.seoul").type == pa.float64()
    assert table.schema.field("ukraine_war").type == pa.string()
    summits = table.column("event:us_dprk_summit").to_pylist()
    assert None in summits  # some runs never saw one: null, not 0
