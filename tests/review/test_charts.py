"""wargame.review.charts: well-formed, accessible, escaped, deterministic SVG (no Django)."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from wargame.review.charts import (
    DASHES,
    Series,
    bar_chart,
    fmt,
    heat_matrix,
    line_chart,
    nice_ticks,
    style_for,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def lines_chart(**overrides):
    kwargs = {
        "title": "State over turns",
        "series": [Series("Tension", [65, 80, 72]), Series("Economy", [25, None, 20])],
        "x_values": [0, 1, 2],
        "y_range": (0, 100),
    }
    kwargs.update(overrides)
    return line_chart(**kwargs)


def test_line_chart_is_an_image_with_title_desc_axes_and_legend():
    svg = lines_chart()
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "State over turns"
    assert root.find("svg:title", NS).text == "State over turns"
    desc = root.find("svg:desc", NS).text
    assert "Tension: 65 to 72 (lowest 65, highest 80)." in desc
    assert "Economy: 25 to 20 (lowest 20, highest 25)." in desc
    labels = texts(root)
    for tick in ("0", "20", "40", "60", "80", "100"):
        assert tick in labels
    assert {"Tension", "Economy", "Turn"} <= set(labels)


def test_each_series_has_its_own_dash_and_marker_for_black_and_white():
    styles = [style_for(i) for i in range(8)]
    assert len({(s.dash, s.marker) for s in styles}) == 8
    assert len({s.dash for s in styles}) == len(DASHES)
    svg = lines_chart()
    assert 'stroke-dasharray="7 4"' in svg  # the second series is dashed
    assert "<rect" in svg  # its marker is a square


def test_a_gap_in_the_data_is_a_gap_in_the_line():
    """Economy has no value at turn 1: no polyline joins turn 0 to turn 2."""
    root = parse(lines_chart())
    groups = root.findall("svg:g[@class='lt-series']", NS)
    economy = next(g for g in groups if g.get("data-key") == "Economy")
    assert economy.findall("svg:polyline", NS) == []
    tension = next(g for g in groups if g.get("data-key") == "Tension")
    assert len(tension.findall("svg:polyline", NS)) == 1


def test_points_land_where_the_values_say():
    """Tension 65 on a 0-100 axis of 220 px starting at y=12: y = 12 + 220 x 0.35 = 89."""
    root = parse(lines_chart())
    tension = next(
        g for g in root.findall("svg:g[@class='lt-series']", NS) if g.get("data-key") == "Tension"
    )
    points = tension.find("svg:polyline", NS).get("points").split()
    assert points[0] == "52,89"
    assert points[-1].endswith(f",{12 + 220 * 0.28:g}")


def test_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script> & "quotes"'
    svgs = [
        lines_chart(title=evil, series=[Series(evil, [1, 2])], x_values=[1, 2]),
        heat_matrix(title=evil, rows=[evil], columns=[evil, "all"], counts=[[1, 2]]),
        bar_chart(title=evil, bars=[(evil, 3)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        root = parse(svg)  # still well-formed XML
        assert root.find("svg:title", NS).text == evil
        assert root.get("aria-label") == evil


def test_output_is_deterministic():
    assert lines_chart() == lines_chart()
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


def test_heat_matrix_writes_every_count_and_shades_the_largest_darkest():
    svg = heat_matrix(
        title="Who talked to whom",
        rows=["Seoul", "Beijing"],
        columns=["Seoul", "Beijing", "All"],
        counts=[[0, 7, 2], [1, 0, 0]],
    )
    root = parse(svg)
    cells = root.findall("svg:g[@class='lt-cell']", NS)
    assert [c.find("svg:text", NS).text for c in cells] == ["0", "7", "2", "1", "0", "0"]
    fills = [c.find("svg:rect", NS).get("fill") for c in cells]
    assert fills[1] == "#2166ac" and fills[0] == "#ffffff"
    assert cells[1].find("svg:text", NS).get("fill") == "#ffffff"  # white on the darkest
    assert cells[1].find("svg:title", NS).text == "Seoul → Beijing: 7"
    assert root.find("svg:desc", NS).text == "Seoul: 7 to Beijing, 2 to All. Beijing: 1 to Seoul."


def test_bar_chart_lengths_are_proportional_with_the_value_written():
    root = parse(bar_chart(title="Rules", bars=[("Often", 10), ("Seldom", 5)]))
    bars = root.findall("svg:g[@class='lt-bar']", NS)
    widths = [float(b.find("svg:rect", NS).get("width")) for b in bars]
    assert widths[0] == 2 * widths[1]
    assert [b.findall("svg:text", NS)[1].text for b in bars] == ["10", "5"]
    assert root.find("svg:desc", NS).text == "Often: 10; Seldom: 5."


def test_long_labels_are_clipped_in_the_drawing_but_whole_in_the_tooltip():
    label = "A rule with a very long title that goes on and on about the peninsula"
    root = parse(bar_chart(title="Rules", bars=[(label, 2)]))
    bar = root.find("svg:g[@class='lt-bar']", NS)
    assert bar.find("svg:title", NS).text == f"{label}: 2"
    drawn = bar.find("svg:text", NS).text
    assert drawn.endswith("…") and len(drawn) == 40


def test_nice_ticks_and_numbers():
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(-100, 100) == [-100, -50, 0, 50, 100]
    assert fmt(41.95) == "42" and fmt(41.94) == "41.9" and fmt(3.0) == "3"


def test_no_django_is_imported():
    code = (
        "import sys, wargame.review.charts, wargame.review.debrief; print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_chart_with_a_single_turn_and_with_no_series_still_draws():
    one = parse(lines_chart(series=[Series("Tension", [65])], x_values=[0]))
    assert one.find("svg:g[@class='lt-series']/svg:circle", NS) is not None
    empty = lines_chart(series=[], x_values=[0, 1])
    assert re.search(r"<desc></desc>", empty)
