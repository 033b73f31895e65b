"""The analyst's lab, read back: what a Monte Carlo job's runs say, in numbers and charts.

Pure view-models over the runner's records (wargame.bots.runner): per-turn percentiles
of every variable and score (fan charts), histograms of the final values, the probability
of key events with Wilson intervals, two jobs compared (differences with intervals), the
percentile of a real game's final values, and the runs as a table: CSV, and Parquet for
the analyst's own tools (pandas, R's arrow, DuckDB read it with its column types).

Parquet by pyarrow, the Apache Arrow project's reference implementation: a wheel with no
other dependency, from the format's own maintainers (fastparquet needs pandas, NumPy and
more; a hand-written writer would be a second format to keep right). Imported when a
download asks for it, not with this module.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from wargame.bots.runner import columns, final_fields
from wargame.engine import Scenario

from .charts import Series, bar_chart, line_chart, series_summary

Words = Callable[[str], str]  # gettext, passed in by the page (this module is pure)


def _identity(text: str) -> str:
    return text


def gettext_noop(text: str) -> str:
    """Marks an English text for the catalog (`makemessages` reads the name); the page's
    `_` translates it when shown."""
    return text


Z95 = 1.959963984540054
FAN = (
    (10, gettext_noop("10th percentile")),
    (25, gettext_noop("25th")),
    (50, gettext_noop("Median")),
    (75, gettext_noop("75th")),
    (90, gettext_noop("90th")),
)

# The key events of the issue, as (label, how a run shows it): an event of the scenario
# (`event:<id>`) or a role's action that succeeded (`move:<role>:<action>`).
KEY_EVENTS = (
    (gettext_noop("A US-DPRK summit"), "event:us_dprk_summit"),
    (gettext_noop("A ceasefire in Ukraine"), "event:ukraine_ceasefire"),
    (gettext_noop("A DPRK nuclear test"), "move:pyongyang:nuclear_test"),
    (gettext_noop("Xi at APEC in Gyeongju"), "event:xi_in_gyeongju"),
)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile of sorted values, interpolated between the two nearest ranks."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """(proportion, low, high): the Wilson score interval, honest near 0 and 1."""
    if n == 0:
        return (math.nan, math.nan, math.nan)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (p, max(0.0, centre - half), min(1.0, centre + half))


def difference_of_proportions(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """(p1 - p2, low, high): Newcombe's hybrid interval from the two Wilson intervals."""
    p1, l1, u1 = wilson(k1, n1)
    p2, l2, u2 = wilson(k2, n2)
    d = p1 - p2
    return (
        d,
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def difference_of_means(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float]:
    """(mean a - mean b, low, high): a normal interval, right for the thousands of runs a
    job has (Welch's standard error)."""
    if len(a) < 2 or len(b) < 2:
        return (math.nan, math.nan, math.nan)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((x - ma) ** 2 for x in a) / (len(a) - 1)
    vb = sum((x - mb) ** 2 for x in b) / (len(b) - 1)
    se = math.sqrt(va / len(a) + vb / len(b))
    d = ma - mb
    return (d, d - Z95 * se, d + Z95 * se)


def percentile_of(value: float, values: Sequence[float]) -> float:
    """Where `value` falls among `values`, 0-100: runs below it, plus half of the runs
    equal to it (the mid-rank, so a value every run shares sits at 50)."""
    if not values:
        return math.nan
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100 * (below + equal / 2) / len(values)


def column_labels(scenario: Scenario, _: Words = _identity) -> dict[str, str]:
    """Every column of a record in the scenario's words (the reader's language: a page
    passes the scenario in it, `selectors.translations.presented_scenario`)."""
    names = scenario.role_names()
    labels: dict[str, str] = {}
    for column in columns(scenario):
        if column.startswith("relations."):
            a, _dash, b = column.removeprefix("relations.").partition("-")
            labels[column] = _("%(pair)s relations") % {
                "pair": f"{names.get(a, a)}–{names.get(b, b)}"
            }
        elif column.startswith("score."):
            slug = column.removeprefix("score.")
            labels[column] = _("%(role)s's score") % {"role": names.get(slug, slug)}
        else:
            labels[column] = (
                scenario.variables.get("scalars", {}).get(column, {}).get("label", column)
            )
    return labels


def happened(record: dict[str, Any], key: str) -> int | None:
    """The turn a key event first happened in a run, or None."""
    kind, _, name = key.partition(":")
    return (record["events"] if kind == "event" else record["moves"]).get(name)


def finals(records: Sequence[dict[str, Any]], index: int) -> list[float]:
    return [r["values"][-1][index] for r in records if r["values"]]


def job_results(
    scenario: Scenario,
    records: Sequence[dict[str, Any]],
    *,
    first_turn: int,
    real_finals: dict[str, float] | None = None,
    real_ends: dict[str, Any] | None = None,
    value_labels: dict[str, str] | None = None,
    _: Words = _identity,
) -> dict[str, Any]:
    """Everything the job page shows: one fan chart and one histogram per column, the
    key events' probabilities, the end states of the enumerations (the real game's
    marked, from `real_ends`), and where a real game's final values fall.

    The page passes the scenario and `_` in its reader's language, and `value_labels`
    ({"variable.value": label}) for the enumerations' values; the values themselves are
    shown where it has none (the source language names them so)."""
    names = columns(scenario)
    labels = column_labels(scenario, _)
    n = len(records)
    turns = max((len(r["values"]) for r in records), default=0)
    x_values = list(range(first_turn, first_turn + turns))
    x_labels = [scenario.turn_label(t) for t in x_values]
    # Each turn's values by column, transposed once (10,000 runs x 22 columns x turns).
    by_turn = [
        list(zip(*[r["values"][t] for r in records if len(r["values"]) > t], strict=True))
        for t in range(turns)
    ]
    variables = []
    for index, column in enumerate(names):
        per_turn = [sorted(by_turn[t][index]) for t in range(turns)]
        fan = [[percentile(values, p) for values in per_turn] for p, _ in FAN]
        ends = finals(records, index)
        series = [Series(_(label), values) for (_p, label), values in zip(FAN, fan, strict=True)]
        chart = line_chart(
            title=_("%(label)s: spread over %(runs)s runs") % {"label": labels[column], "runs": n},
            series=series,
            x_values=x_values,
            x_labels=x_labels,
            y_title=labels[column],
            x_title=_("Turn"),
            desc=series_summary(series, _),
            chart_id=f"fan-{index}",
        )
        real = (real_finals or {}).get(column)
        variables.append(
            {
                "column": column,
                "label": labels[column],
                "fan": chart,
                "histogram": histogram_chart(labels[column], ends, f"hist-{index}", _),
                "median": percentile(sorted(ends), 50) if ends else None,
                "p10": percentile(sorted(ends), 10) if ends else None,
                "p90": percentile(sorted(ends), 90) if ends else None,
                "real": real,
                "real_percentile": None if real is None else percentile_of(real, ends),
            }
        )
    return {
        "runs": n,
        "turns": x_labels,
        "variables": variables,
        "events": event_rows(records, _),
        "endings": ending_rows(scenario, records, real_ends, value_labels),
    }


def histogram_chart(
    label: str, values: Sequence[float], chart_id: str, _: Words = _identity, bins: int = 10
) -> str:
    """The final values in `bins` equal bins, as bars of run counts."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if all(float(v).is_integer() for v in values):
        # Whole numbers (every variable): bins of whole widths, labelled by their ends.
        width = max(1, math.ceil((high - low + 1) / bins))
        bins = math.ceil((high - low + 1) / width)
        counts = [0] * bins
        for v in values:
            counts[int((v - low) // width)] += 1
        bars = [
            (_bin_label(int(low + i * width), int(low + (i + 1) * width - 1), _), counts[i])
            for i in range(bins)
        ]
    else:
        width = (high - low) / bins or 1
        counts = [0] * bins
        for v in values:
            counts[min(int((v - low) / width), bins - 1)] += 1
        bars = [
            (
                _("%(low)s to %(high)s")
                % {"low": _short(low + i * width), "high": _short(low + (i + 1) * width)},
                counts[i],
            )
            for i in range(bins)
        ]
    return bar_chart(
        title=_("%(label)s at the end: runs per range") % {"label": label},
        bars=bars,
        value_title=_("Runs"),
        chart_id=chart_id,
    )


def event_rows(records: Sequence[dict[str, Any]], _: Words = _identity) -> list[dict[str, Any]]:
    """Each key event's probability (share of runs where it happened) with its interval."""
    n = len(records)
    rows = []
    for label, key in KEY_EVENTS:
        k = sum(1 for r in records if happened(r, key) is not None)
        p, low, high = wilson(k, n)
        rows.append({"label": _(label), "key": key, "runs": k, **_percent(p, low, high)})
    return rows


def ending_rows(
    scenario: Scenario,
    records: Sequence[dict[str, Any]],
    real_ends: dict[str, Any] | None = None,
    value_labels: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """How often each enumeration ends on each of its values (with intervals); `real`:
    the real game ended on it. Each is named by the enumeration's label and the value's
    (`value_labels`, {"variable.value": label}), or the value where it has none."""
    n = len(records)
    out = []
    for name in final_fields(scenario):
        spec = scenario.variables.get("enums", {}).get(name)
        if spec is None:
            continue
        counts = Counter(r["final"].get(name) for r in records)
        for value in spec["values"]:
            k = counts[value]
            p, low, high = wilson(k, n)
            shown = (value_labels or {}).get(f"{name}.{value}", value)
            out.append(
                {
                    "label": f"{spec.get('label', name)}: {shown}",
                    "real": real_ends is not None and real_ends.get(name) == value,
                    **_percent(p, low, high),
                }
            )
    return out


def compare_jobs(
    scenario: Scenario,
    a: Sequence[dict[str, Any]],
    b: Sequence[dict[str, Any]],
    _: Words = _identity,
) -> dict[str, Any]:
    """Job A against job B: each key event's probability and each final value's mean,
    the difference A − B with its 95% interval."""
    events = []
    for label, key in KEY_EVENTS:
        ka = sum(1 for r in a if happened(r, key) is not None)
        kb = sum(1 for r in b if happened(r, key) is not None)
        d, low, high = difference_of_proportions(ka, len(a), kb, len(b))
        events.append(
            {
                "label": _(label),
                "a": 100 * _share(ka, a),  # percentages, as the page prints them
                "b": 100 * _share(kb, b),
                "difference": 100 * d,
                "low": 100 * low,
                "high": 100 * high,
            }
        )
    labels = column_labels(scenario, _)
    values = []
    for index, column in enumerate(columns(scenario)):
        fa, fb = finals(a, index), finals(b, index)
        d, low, high = difference_of_means(fa, fb)
        values.append(
            {
                "label": labels[column],
                "a": _mean(fa),
                "b": _mean(fb),
                "difference": d,
                "low": low,
                "high": high,
            }
        )
    return {"events": events, "values": values}


def records_table(
    scenario: Scenario, records: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """The runs' table, one row per run: its number and seed, every final value, the end
    of each enumeration (a list's items joined by spaces), and the turn each key event
    first happened (None: never)."""
    names = columns(scenario)
    ends = final_fields(scenario)
    header = ["run", "seed", *names, *ends, *(key for _, key in KEY_EVENTS)]
    rows = []
    for r in records:
        last = r["values"][-1] if r["values"] else [None] * len(names)
        final = [
            " ".join(r["final"][f]) if isinstance(r["final"][f], list) else r["final"][f]
            for f in ends
        ]
        events = [happened(r, key) for _, key in KEY_EVENTS]
        rows.append([r["run"], r["seed"], *last, *final, *events])
    return header, rows


def records_csv(scenario: Scenario, records: Sequence[dict[str, Any]]) -> str:
    """The runs' table as CSV (an empty cell: no value, an event that never happened)."""
    header, rows = records_table(scenario, records)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)  # csv writes None as an empty cell
    return out.getvalue()


def records_parquet(scenario: Scenario, records: Sequence[dict[str, Any]]) -> bytes:
    """The runs' table as Parquet, the same columns as the CSV, typed: whole numbers as
    int64, scores as float64, enumerations as strings, a missing value as null."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    header, rows = records_table(scenario, records)
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    arrays = [pa.array(list(values), type=_arrow_type(values)) for values in by_column]
    table = pa.table(arrays, names=header)
    out = pa.BufferOutputStream()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue().to_pybytes()


def _arrow_type(values: Sequence[Any]):
    """A column's type from its values (a column of nulls alone: whole numbers)."""
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {bool}:
        return pa.bool_()
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def _percent(p: float, low: float, high: float) -> dict[str, float]:
    """A proportion and its interval as percentages (what the page prints)."""
    return {
        "p": p,
        "low": low,
        "high": high,
        "pct": 100 * p,
        "pct_low": 100 * low,
        "pct_high": 100 * high,
    }


def _share(k: int, runs: Sequence[Any]) -> float:
    return k / len(runs) if runs else math.nan


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _bin_label(low: int, high: int, _: Words) -> str:
    if low == high:
        return str(low)
    return _("%(low)s to %(high)s") % {"low": low, "high": high}


def _short(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
