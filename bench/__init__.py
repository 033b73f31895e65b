"""Benchmarks: `python -m bench` runs them all and prints the figures (see bench/README.md).

Figures are medians (and tails) of many timed runs, quoted with a baseline measured in
the same run, because the machines this runs on are noisy. They are not unit tests: a
missed target prints a FAIL line but does not fail the command.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

NS_PER_MS = 1_000_000
NS_PER_US = 1_000


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def ms(ns: float) -> str:
    """Nanoseconds as milliseconds, with enough digits for sub-millisecond figures."""
    value = ns / NS_PER_MS
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def us(ns: float) -> str:
    return f"{ns / NS_PER_US:.1f} µs"


def distribution(ns: Sequence[float]) -> str:
    """'median X, p90 Y, p99 Z, max W (n=N)' in milliseconds."""
    return (
        f"median {ms(median(ns))}, p90 {ms(percentile(ns, 90))}, "
        f"p99 {ms(percentile(ns, 99))}, max {ms(max(ns))} (n={len(ns)})"
    )


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


@dataclass
class Figure:
    """One line of the final summary table."""

    name: str
    value: str
    target: str = ""
    result: str = ""  # PASS, FAIL, SKIP or "" (reported without a target)


def print_header(title: str) -> None:
    print()
    print(f"== {title} " + "=" * max(0, 76 - len(title)))


def print_summary(figures: Sequence[Figure]) -> None:
    print_header("summary")
    rows = [("figure", "value", "target", "result")] + [
        (f.name, f.value, f.target, f.result) for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def quick_cli(doc: str, run, quick_help: str = "fewer samples") -> None:
    """`python -m bench.<module> [--quick]`: run one benchmark and print its summary."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    print_summary(run(quick=parser.parse_args().quick))
