"""Charts drawn on the server as SVG markup: they print, and need no JavaScript.

Pure Python (no Django): each function takes plain numbers and names and returns one
`<svg>` element as a string. Every text from data is escaped; output is deterministic
(same input, same bytes), so pages cache and tests compare. Each chart is an image for
screen readers: `role="img"` named by its title, described by a `<desc>` that says every
series' first, last, lowest and highest value; pages put the same numbers in a table.

Hand-written on purpose. Measured on the debrief's six charts (2 ms here): pygal 3.1 took
48 ms for the five it can draw (it has no heat map), and its SVG carries a random id, the
day's date and a `<script>`, with no `<desc>`; matplotlib 3.11 is byte-stable with a fixed
`svg.hashsalt` but took 265 ms, imports in 0.6 s and adds 117 MB (numpy and five more).
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

PALETTE = (
    "#2166ac",  # blue (charts.js POS)
    "#b35806",  # orange-brown (charts.js NEG)
    "#1b1f24",  # ink
    "#009e73",  # bluish green (Okabe-Ito)
    "#cc79a7",  # reddish purple (Okabe-Ito)
    "#787e86",  # grey (charts.js MID)
    "#56b4e9",  # sky blue (Okabe-Ito)
    "#d55e00",  # vermilion (Okabe-Ito)
)
DASHES = ("", "7 4", "2 3", "10 3 2 3", "14 5", "1 2", "5 2 1 2 1 2", "10 2 2 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down", "plus", "bar")
HEAT_LOW = (255, 255, 255)
HEAT_HIGH = (33, 102, 172)  # charts.js POS
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend and a value per x position (None: no data)."""

    name: str
    values: Sequence[float | None]
    key: str = ""


@dataclass(frozen=True)
class Style:
    colour: str
    dash: str
    marker: str


@dataclass
class _Svg:
    width: int
    height: int
    title: str
    desc: str
    css_class: str
    chart_id: str = ""
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self) -> str:
        ident = self.chart_id or chart_id(self.title, self.desc)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class={quoteattr(self.css_class)} '
            f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label={quoteattr(self.title)} '
            f"aria-describedby={quoteattr(ident + '-desc')} {FONT}>"
            f"<title>{escape(self.title)}</title>"
            f"<desc id={quoteattr(ident + '-desc')}>{escape(self.desc)}</desc>"
        )
        return head + "".join(self.parts) + "</svg>"


def chart_id(title: str, desc: str) -> str:
    """An id derived from what the chart says, so the same chart keeps the same bytes; pass
    `chart_id=` where one page could show two charts that say the same."""
    return "lt-chart-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]


def style_for(index: int) -> Style:
    """The look of the index-th series: colour, dash and marker all differ."""
    return Style(
        PALETTE[index % len(PALETTE)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def fmt(value: float) -> str:
    """A number as a label: whole numbers without a decimal point, else one decimal."""
    if value is None:
        return "–"
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _num(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros (stable output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{escape(content)}</text>'


def _marker(kind: str, x: float, y: float, colour: str, size: float = 3.5) -> str:
    s = size
    fill = f'fill="{colour}" stroke="{colour}"'
    if kind == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" {fill}/>'
    if kind == "square":
        return (
            f'<rect x="{_num(x - s)}" y="{_num(y - s)}" width="{_num(2 * s)}" '
            f'height="{_num(2 * s)}" {fill}/>'
        )
    if kind in ("triangle", "triangle-down"):
        d = 1 if kind == "triangle" else -1
        points = [(x, y - d * s * 1.2), (x - s * 1.1, y + d * s), (x + s * 1.1, y + d * s)]
        return f'<polygon points="{_points(points)}" {fill}/>'
    if kind == "diamond":
        points = [(x, y - s * 1.3), (x + s * 1.3, y), (x, y + s * 1.3), (x - s * 1.3, y)]
        return f'<polygon points="{_points(points)}" {fill}/>'
    if kind == "bar":
        return (
            f'<rect x="{_num(x - s * 1.3)}" y="{_num(y - s * 0.5)}" width="{_num(2.6 * s)}" '
            f'height="{_num(s)}" {fill}/>'
        )
    # cross and plus: two strokes
    if kind == "cross":
        lines = [(x - s, y - s, x + s, y + s), (x - s, y + s, x + s, y - s)]
    else:
        lines = [(x - s * 1.2, y, x + s * 1.2, y), (x, y - s * 1.2, x, y + s * 1.2)]
    return "".join(
        f'<line x1="{_num(a)}" y1="{_num(b)}" x2="{_num(c)}" y2="{_num(d)}" '
        f'stroke="{colour}" stroke-width="2"/>'
        for a, b, c, d in lines
    )


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 x 10^n."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    x_values: Sequence[int],
    x_labels: Sequence[str] | None = None,
    y_range: tuple[float, float] | None = None,
    x_title: str = "Turn",
    y_title: str = "",
    desc: str = "",
    width: int = 640,
    plot_height: int = 220,
    css_class: str = "lt-chart lt-line",
    chart_id: str = "",
) -> str:
    """Several series over turns: axes with ticks, a line per series with its own colour,
    dash and marker, and a legend under the plot. `desc` defaults to a summary of each
    series (first and last value, lowest and highest)."""
    values = [v for s in series for v in s.values if v is not None]
    if y_range is None:
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        pad = max((high - low) * 0.1, 1.0)
        low, high = low - pad, high + pad
    else:
        low, high = y_range
    ticks = nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    left, right, top = 52, 16, 12
    bottom_axis = top + plot_height
    plot_width = width - left - right
    longest = max((len(s.name) for s in series), default=10)
    legend_cols = max(1, min(3, int(plot_width // (44 + 6.5 * longest))))
    legend_rows = math.ceil(len(series) / legend_cols) if series else 0
    legend_top = bottom_axis + 44
    height = legend_top + legend_rows * 20 + 8
    chart = _Svg(width, height, title, desc or series_summary(series), css_class, chart_id)

    def sx(i: int) -> float:
        if len(x_values) <= 1:
            return left + plot_width / 2
        return left + plot_width * i / (len(x_values) - 1)

    def sy(v: float) -> float:
        return top + plot_height * (high - v) / (high - low)

    # Grid and y ticks.
    chart.add('<g class="lt-axis" aria-hidden="true">')
    for tick in ticks:
        y = sy(tick)
        stroke = "#1b1f24" if tick == 0 and low < 0 < high else "#d8dde3"
        chart.add(
            f'<line x1="{left}" y1="{_num(y)}" x2="{left + plot_width}" y2="{_num(y)}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
        chart.add(_text(left - 6, y + 4, fmt(tick), text_anchor="end", font_size="11"))
    chart.add(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom_axis}" stroke="#1b1f24"/>'
        f'<line x1="{left}" y1="{bottom_axis}" x2="{left + plot_width}" y2="{bottom_axis}" '
        f'stroke="#1b1f24"/>'
    )
    # x ticks: every turn (labels thinned when crowded).
    every = max(1, math.ceil(len(x_values) / 12))
    for i, x_value in enumerate(x_values):
        x = sx(i)
        chart.add(
            f'<line x1="{_num(x)}" y1="{bottom_axis}" x2="{_num(x)}" y2="{bottom_axis + 4}" '
            f'stroke="#1b1f24"/>'
        )
        if i % every == 0 or i == len(x_values) - 1:
            label = x_labels[i] if x_labels else str(x_value)
            half = _text_width(label, 11) / 2
            # A long label at either end ("2025년 12월") is kept inside the chart.
            anchor = "end" if x + half > width else "start" if x - half < 0 else "middle"
            chart.add(_text(x, bottom_axis + 16, label, text_anchor=anchor, font_size="11"))
    chart.add(
        _text(
            left + plot_width / 2, bottom_axis + 32, x_title, text_anchor="middle", font_size="11"
        )
    )
    if y_title:
        chart.add(
            f'<text x="12" y="{_num(top + plot_height / 2)}" font-size="11" text-anchor="middle" '
            f'transform="rotate(-90 12 {_num(top + plot_height / 2)})">{escape(y_title)}</text>'
        )
    chart.add("</g>")

    # Lines and markers.
    for index, line in enumerate(series):
        style = style_for(index)
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        chart.add(f'<g class="lt-series" data-key={quoteattr(line.key or line.name)}>')
        chart.add(f"<title>{escape(line.name)}</title>")
        for run in _runs(line.values):
            points = [(sx(i), sy(v)) for i, v in run]
            if len(points) > 1:
                chart.add(
                    f'<polyline points="{_points(points)}" fill="none" stroke="{style.colour}" '
                    f'stroke-width="2"{dash} stroke-linejoin="round"/>'
                )
            for x, y in points:
                chart.add(_marker(style.marker, x, y, style.colour))
        chart.add("</g>")

    # Legend: a sample of each line with its marker, then the name.
    chart.add('<g class="lt-legend">')
    col_width = plot_width / legend_cols
    for index, line in enumerate(series):
        style = style_for(index)
        x = left + (index % legend_cols) * col_width
        y = legend_top + (index // legend_cols) * 20
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        chart.add(
            f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(x + 28)}" y2="{_num(y)}" '
            f'stroke="{style.colour}" stroke-width="2"{dash}/>'
        )
        chart.add(_marker(style.marker, x + 14, y, style.colour))
        chart.add(
            _text(x + 34, y + 4, _clip(line.name, int((col_width - 40) / 6.5)), font_size="12")
        )
    chart.add("</g>")
    return chart.render()


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Unbroken stretches of values (a gap in the data is a gap in the line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, float(value)))
    return [r for r in runs if r]


def _text_width(text: str, size: float) -> float:
    """About how wide a text is drawn, in px: Hangul and other wide letters take about a
    full em, Latin letters and digits about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


def _clip(text: str, limit: int) -> str:
    limit = max(limit, 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _same(text: str) -> str:
    return text


def series_summary(series: Sequence[Series], _: Callable[[str], str] = _same) -> str:
    """'Tension: 65 to 93 (lowest 50, highest 93).' for each series; in the reader's
    language with `_` (gettext, passed in: this module is pure)."""
    out = []
    for line in series:
        values = [v for v in line.values if v is not None]
        if not values:
            out.append(_("%(name)s: no data.") % {"name": line.name})
            continue
        numbers = {
            "name": line.name,
            "first": fmt(values[0]),
            "last": fmt(values[-1]),
            "low": fmt(min(values)),
            "high": fmt(max(values)),
        }
        out.append(
            _("%(name)s: %(first)s to %(last)s (lowest %(low)s, highest %(high)s).") % numbers
        )
    return " ".join(out)


def heat_matrix(
    *,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    row_title: str = "From",
    column_title: str = "To",
    desc: str = "",
    cell: int = 72,
    css_class: str = "lt-chart lt-heat",
    chart_id: str = "",
    _: Callable[[str], str] = _same,
) -> str:
    """A grid of counts: darker blue for more, the number written in every cell (so it
    reads in black and white), empty cells left white. `desc` defaults to each row's
    counts in words, in the reader's language with `_` (gettext, passed in)."""
    label_width = 8 + 7 * max((len(r) for r in rows), default=4)
    label_width = max(label_width, 60)
    top = 56
    width = label_width + cell * len(columns) + 12
    height = top + cell * len(rows) + 12
    peak = max((c for row in counts for c in row), default=0)
    if not desc:
        desc = " ".join(
            _("%(name)s: %(counts)s.")
            % {
                "name": name,
                "counts": ", ".join(
                    _("%(count)s to %(column)s") % {"count": fmt(n), "column": col}
                    for col, n in zip(columns, counts[r], strict=True)
                    if n
                ),
            }
            if any(counts[r])
            else _("%(name)s: none.") % {"name": name}
            for r, name in enumerate(rows)
        )
    chart = _Svg(width, height, title, desc, css_class, chart_id)
    chart.add(
        _text(
            label_width + cell * len(columns) / 2,
            14,
            column_title,
            text_anchor="middle",
            font_size="12",
            font_weight="bold",
        )
    )
    for c, name in enumerate(columns):
        x = label_width + c * cell + cell / 2
        chart.add(
            _text(x, top - 8, _clip(name, int(cell / 6.5)), text_anchor="middle", font_size="11")
        )
    chart.add(_text(4, top - 8, row_title, font_size="12", font_weight="bold"))
    for r, name in enumerate(rows):
        y = top + r * cell
        chart.add(_text(label_width - 6, y + cell / 2 + 4, name, text_anchor="end", font_size="11"))
        for c, count in enumerate(counts[r]):
            x = label_width + c * cell
            share = count / peak if peak else 0
            colour = _mix(HEAT_LOW, HEAT_HIGH, share)
            ink = "#ffffff" if share > 0.55 else "#1b1f24"
            chart.add(
                f'<g class="lt-cell"><title>{escape(f"{name} → {columns[c]}: {count}")}</title>'
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{cell}" height="{cell}" '
                f'fill="{colour}" stroke="#8a94a3" stroke-width="1"/>'
                + _text(
                    x + cell / 2,
                    y + cell / 2 + 5,
                    str(count),
                    text_anchor="middle",
                    font_size="13",
                    fill=ink,
                )
                + "</g>"
            )
    return chart.render()


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], t: float) -> str:
    t = min(max(t, 0.0), 1.0)
    r, g, b = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def bar_chart(
    *,
    title: str,
    bars: Sequence[tuple[str, float]],
    desc: str = "",
    width: int = 640,
    bar_height: int = 20,
    value_title: str = "",
    css_class: str = "lt-chart lt-bars",
    chart_id: str = "",
) -> str:
    """Horizontal bars, longest first as given: the label on the left (clipped to the
    room it has, whole in the bar's tooltip and the summary) and the value after each bar."""
    label_width = min(280, round(width * 0.45))
    top, gap = 8, 6
    right = 48
    plot_width = width - label_width - right
    peak = max((v for _, v in bars), default=0) or 1
    height = top + len(bars) * (bar_height + gap) + (24 if value_title else 8)
    if not desc:
        desc = "; ".join(f"{label}: {fmt(v)}" for label, v in bars) + "." if bars else "None."
    chart = _Svg(width, height, title, desc, css_class, chart_id)
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_height + gap)
        length = plot_width * value / peak
        chart.add(
            f'<g class="lt-bar"><title>{escape(f"{label}: {fmt(value)}")}</title>'
            + _text(
                label_width - 8,
                y + bar_height / 2 + 4,
                _clip(label, round(label_width / 7)),
                text_anchor="end",
                font_size="11",
            )
            + f'<rect x="{label_width}" y="{_num(y)}" width="{_num(length)}" '
            f'height="{bar_height}" fill="{PALETTE[0]}" stroke="#1b1f24" stroke-width="0.5"/>'
            + _text(
                label_width + length + 6,
                y + bar_height / 2 + 4,
                fmt(value),
                font_size="12",
                font_weight="bold",
            )
            + "</g>"
        )
    if value_title:
        chart.add(
            _text(
                label_width + plot_width / 2,
                height - 6,
                value_title,
                text_anchor="middle",
                font_size="11",
            )
        )
    return chart.render()


def sparkline(
    values: Sequence[float | None],
    *,
    width: int = 80,
    height: int = 20,
    low: float | None = None,
    high: float | None = None,
    min_span: float = 0,
) -> str:
    """A word-sized line of a series (the trend beside a row of numbers), the same shape as
    static/js/charts.js draws live: decorative (`aria-hidden`, the row's numbers say it), the
    last value marked. Gaps (None) are skipped; an empty or all-None series is an empty box.

    The scale is the series' own range, widened to `min_span` (so a change of 1 is not drawn
    as a cliff) and kept within `low`..`high`, the variable's bounds."""
    data = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lt-spark" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">'
    )
    if not data:
        return head + "</svg>"
    ys = [v for _i, v in data]
    lo, hi = min(ys), max(ys)
    extra = max(0.0, min_span - (hi - lo)) / 2
    lo, hi = lo - extra, hi + extra
    lo = lo if low is None else max(low, lo)
    hi = hi if high is None else min(high, hi)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad, last_index = 3.0, max(len(values) - 1, 1)
    points = [
        (
            pad + i * (width - 2 * pad) / last_index,
            height - pad - (v - lo) / (hi - lo) * (height - 2 * pad),
        )
        for i, v in data
    ]
    line = (
        f'<polyline points="{_points(points)}" fill="none" stroke="#1b1f24" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        if len(points) > 1
        else ""
    )
    x, y = points[-1]
    return f'{head}{line}<circle cx="{_num(x)}" cy="{_num(y)}" r="2.25" fill="#1b1f24"/></svg>'
