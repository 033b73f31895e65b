"""wargame.review.charts: what a reader of the SVG sees and hears (title, summary, axes,
legend, values where they belong), escaped, deterministic, and with no Django."""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from wargame.engine.loader import load_scenario
from wargame.review.charts import Series, bar_chart, fmt, heat_matrix, line_chart, sparkline
from wargame.review.debrief import debrief_charts, debrief_content

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": SVG[1:-1]}
GOLDEN = Path(__file__).resolve().parents[1] / "gamelog" / "golden" / "lips-and-teeth-2025-v1.json"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def spoken(root: ET.Element) -> tuple[str, str]:
    """What a screen reader announces: the image's name and its description (the element
    its aria-describedby points at)."""
    desc_id = root.get("aria-describedby")
    desc = next(e for e in root.iter() if e.get("id") == desc_id)
    return root.get("aria-label"), desc.text or ""


def series_group(root: ET.Element, name: str) -> ET.Element:
    groups = root.findall("svg:g[@class='lt-series']", NS)
    return next(g for g in groups if g.find("svg:title", NS).text == name)


def lines_chart(**overrides):
    kwargs = {
        "title": "State over turns",
        "series": [Series("Tension", [65, 80, 72]), Series("Economy", [25, None, 20])],
        "x_values": [0, 1, 2],
        "y_range": (0, 100),
    }
    kwargs.update(overrides)
    return line_chart(**kwargs)


def test_a_line_chart_is_an_image_named_by_its_title_and_described_by_its_numbers():
    """A screen reader hears the title, then each series' first, last, lowest and highest
    value; the title is also the SVG's own <title>."""
    root = parse(lines_chart())
    assert root.get("role") == "img"
    name, desc = spoken(root)
    assert name == "State over turns" == root.find("svg:title", NS).text
    assert desc == (
        "Tension: 65 to 72 (lowest 65, highest 80). Economy: 25 to 20 (lowest 20, highest 25)."
    )


def test_a_line_chart_shows_its_axes_and_a_legend_in_series_order():
    """Every tick of the 0-100 axis is written, the x axis is titled, and the legend names
    the series in the order given."""
    root = parse(lines_chart(x_title="Turn (0: start)", y_title="0 to 100"))
    labels = texts(root)
    for tick in ("0", "20", "40", "60", "80", "100"):
        assert tick in labels
    assert {"Turn (0: start)", "0 to 100"} <= set(labels)
    legend = root.find("svg:g[@class='lt-legend']", NS)
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Tension", "Economy"]


def test_relations_axis_runs_from_hostile_to_friendly_with_zero_marked():
    """A -100..100 chart writes -100, -50, 0, 50 and 100 on its axis."""
    root = parse(lines_chart(y_range=(-100, 100)))
    assert [t for t in texts(root) if re.fullmatch(r"-?\d+", t)][:5] == [
        "-100",
        "-50",
        "0",
        "50",
        "100",
    ]


def test_points_sit_on_the_gridline_of_their_value():
    """A series through 0, 100 and 60 has its markers at the heights of the 0, 100 and 60
    gridlines, so a reader can read each value off the axis."""
    root = parse(lines_chart(series=[Series("A", [0, 100, 60])]))
    axis = root.find("svg:g[@class='lt-axis']", NS)
    grid = {}
    children = list(axis)
    for line, label in zip(children, children[1:], strict=False):
        if line.tag == f"{SVG}line" and label.tag == f"{SVG}text":
            grid[label.text] = float(line.get("y1"))
    markers = series_group(root, "A").findall("svg:circle", NS)
    assert [float(m.get("cy")) for m in markers] == [grid["0"], grid["100"], grid["60"]]
    xs = [float(m.get("cx")) for m in markers]
    assert xs == sorted(xs) and xs[1] - xs[0] == xs[2] - xs[1]  # turns evenly spaced


def test_a_gap_in_the_data_is_a_gap_in_the_line():
    """Economy has no value at turn 1: no line joins turn 0 to turn 2, both points drawn."""
    root = parse(lines_chart())
    economy = series_group(root, "Economy")
    assert economy.findall("svg:polyline", NS) == []
    assert len(list(economy)) == 3  # its title and two markers
    assert len(series_group(root, "Tension").findall("svg:polyline", NS)) == 1


def test_eight_series_stay_apart_in_black_and_white_and_match_their_legend():
    """Eight series: each line has its own dash pattern, and the legend's sample of each
    uses the same colour and dash as the line it names."""
    series = [Series(f"S{i}", [i, i + 10, i + 5]) for i in range(8)]
    root = parse(lines_chart(series=series))
    drawn = []
    for s in series:
        line = series_group(root, s.name).find("svg:polyline", NS)
        drawn.append((line.get("stroke"), line.get("stroke-dasharray") or "solid"))
    assert len({dash for _, dash in drawn}) == 8
    legend = root.find("svg:g[@class='lt-legend']", NS)
    samples = [
        (line.get("stroke"), line.get("stroke-dasharray") or "solid")
        for line in legend.findall("svg:line", NS)
        if float(line.get("x2")) - float(line.get("x1")) > 20  # the samples, not the markers
    ]
    assert samples == drawn


def test_text_is_escaped_everywhere():
    """Markup in a title or name is shown as text, and the SVG stays well-formed."""
    evil = '<script>alert("x")</script> & "quotes"'
    svgs = [
        lines_chart(title=evil, series=[Series(evil, [1, 2])], x_values=[1, 2]),
        heat_matrix(title=evil, rows=[evil], columns=[evil, "all"], counts=[[1, 2]]),
        bar_chart(title=evil, bars=[(evil, 3)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        root = parse(svg)
        assert root.find("svg:title", NS).text == evil
        assert spoken(root)[0] == evil
        assert evil in spoken(root)[1]


def test_the_same_chart_is_the_same_bytes_in_every_process():
    """The debrief's PDF is cached per game state: two fresh interpreters draw byte-identical
    SVG, and a different title gives a different description id."""
    code = (
        "from wargame.review.charts import *;"
        "print(line_chart(title='t', series=[Series('a', [1.5, 2, 3])], x_values=[0, 1, 2]))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    assert lines_chart() == lines_chart()
    a, b = parse(lines_chart()), parse(lines_chart(title="Other"))
    assert a.get("aria-describedby") != b.get("aria-describedby")


def test_every_chart_of_a_debrief_has_its_own_description():
    """The six charts of the golden game's debrief: each has a title, a summary that names
    its series, and a description id no other chart on the page uses."""
    doc = json.loads(GOLDEN.read_text())
    content = debrief_content(doc, load_scenario(doc["scenario"]))
    charts = debrief_charts(content)
    svgs = [charts["scalars"]["svg"], *(c["svg"] for c in charts["relations"])]
    svgs += [charts["scores"]["svg"], charts["rules"]["svg"], charts["talk"]["svg"]]
    roots = [parse(s) for s in svgs]
    ids = [r.get("aria-describedby") for r in roots]
    assert len(set(ids)) == len(ids) == 6
    name, desc = spoken(roots[0])
    assert name == "The state of the peninsula over the turns"
    for row in content["scalars"]:
        values = [v for v in row["values"] if v is not None]
        assert f"{row['label']}: {fmt(values[0])} to {fmt(values[-1])}" in desc
    assert debrief_charts(content) == charts


def test_heat_matrix_writes_every_count_and_shades_the_largest_darkest():
    """Every cell shows its count; the largest is the darkest, with white ink on it; the
    summary says who wrote to whom, skipping zeros."""
    root = parse(
        heat_matrix(
            title="Who talked to whom",
            rows=["Seoul", "Beijing"],
            columns=["Seoul", "Beijing", "All"],
            counts=[[0, 7, 2], [1, 0, 0]],
        )
    )
    cells = root.findall("svg:g[@class='lt-cell']", NS)
    assert [c.find("svg:text", NS).text for c in cells] == ["0", "7", "2", "1", "0", "0"]
    fills = [c.find("svg:rect", NS).get("fill") for c in cells]
    assert fills[1] == "#2166ac" and fills[0] == "#ffffff"
    assert cells[1].find("svg:text", NS).get("fill") == "#ffffff"
    assert cells[1].find("svg:title", NS).text == "Seoul → Beijing: 7"
    assert {"Seoul", "Beijing", "All", "From", "To"} <= set(texts(root))
    assert spoken(root) == (
        "Who talked to whom",
        "Seoul: 7 to Beijing, 2 to All. Beijing: 1 to Seoul.",
    )


def test_bar_chart_lengths_are_proportional_with_the_value_written():
    """Twice the count, twice the bar; the value is written after each bar and spoken."""
    root = parse(bar_chart(title="Rules", bars=[("Often", 10), ("Seldom", 5)]))
    bars = root.findall("svg:g[@class='lt-bar']", NS)
    widths = [float(b.find("svg:rect", NS).get("width")) for b in bars]
    assert widths[0] == 2 * widths[1]
    assert [[t.text for t in b.findall("svg:text", NS)] for b in bars] == [
        ["Often", "10"],
        ["Seldom", "5"],
    ]
    assert spoken(root) == ("Rules", "Often: 10; Seldom: 5.")


def test_long_labels_are_clipped_in_the_drawing_but_whole_in_the_tooltip():
    """A 70-character rule title is drawn in 40 characters ending in an ellipsis; its
    tooltip and the summary keep it whole."""
    label = "A rule with a very long title that goes on and on about the peninsula"
    root = parse(bar_chart(title="Rules", bars=[(label, 2)]))
    bar = root.find("svg:g[@class='lt-bar']", NS)
    assert bar.find("svg:title", NS).text == f"{label}: 2"
    drawn = bar.find("svg:text", NS).text
    assert drawn.endswith("…") and len(drawn) == 40
    assert label in spoken(root)[1]


def test_numbers_are_written_as_people_read_them():
    """Whole numbers without a decimal point, others with one decimal."""
    assert fmt(41.95) == "42" and fmt(41.94) == "41.9" and fmt(3.0) == "3"
    root = parse(lines_chart(series=[Series("A", [41.94, 3.0])], x_values=[0, 1]))
    assert spoken(root)[1] == "A: 41.9 to 3 (lowest 3, highest 41.9)."


def test_no_django_is_imported():
    """The charts and the debrief view-model are pure: a fresh interpreter that imports
    them has no django module loaded."""
    code = (
        "import sys, wargame.review.charts, wargame.review.debrief; print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_chart_with_a_single_turn_and_with_no_series_still_draws():
    """One turn: one marker and no line; no series: an empty description, no legend entry."""
    one = parse(lines_chart(series=[Series("Tension", [65])], x_values=[0]))
    tension = series_group(one, "Tension")
    assert tension.find("svg:circle", NS) is not None
    assert tension.find("svg:polyline", NS) is None
    empty = parse(lines_chart(series=[], x_values=[0, 1]))
    assert spoken(empty) == ("State over turns", "")
    assert list(empty.iter(f"{SVG}polyline")) == []


def test_sparkline_draws_the_trend_on_its_own_scale_and_skips_gaps():
    """A word-sized line beside a row of numbers: decorative (aria-hidden), the last value
    marked, a flat series drawn mid-height, a gap skipped, a small change not a cliff."""
    empty = sparkline([None, None])
    assert empty.endswith("></svg>") and "<polyline" not in empty and 'aria-hidden="true"' in empty
    flat = sparkline([50, 50, 50], width=80, height=20)
    assert 'points="3,10 40,10 77,10"' in flat and '<circle cx="77" cy="10"' in flat
    gap = sparkline([10, None, 30], width=80, height=20)
    assert 'points="3,17 77,3"' in gap  # x keeps each value's turn
    small = sparkline([50, 51], width=80, height=20, low=0, high=100, min_span=10)
    ys = [float(p.split(",")[1]) for p in small.split('points="')[1].split('"')[0].split()]
    assert abs(ys[0] - ys[1]) < 2  # one point of 100 in a span of 10: 1.4 px, not 14
