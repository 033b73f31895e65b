"""Load a scenario file: JSON Schema first, then the engine's own checks.

No Django: the CLI's `replay` and the benchmarks load scenarios the same way as the
web app. Loaded scenarios are cached per file, so the hot path never re-reads JSON.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from wargame.engine import Scenario, ScenarioError
from wargame.engine.schemas import SchemaError, validate

# Scenario documents are data, not code: wargame/scenarios/ holds only JSON.
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
DEFAULT_SLUG = "lips-and-teeth-2025"


class UnknownScenario(LookupError):
    pass


def available_slugs() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


def scenario_from_document(document: dict) -> Scenario:
    """Validate a parsed scenario document; ScenarioError names the first bad field."""
    try:
        validate(document, "scenario")
    except SchemaError as exc:
        raise ScenarioError(str(exc)) from exc
    return Scenario.from_dict(document)


@cache
def load_scenario(slug: str = DEFAULT_SLUG) -> Scenario:
    path = SCENARIO_DIR / f"{slug}.json"
    if not path.is_file():
        raise UnknownScenario(
            f"No scenario {slug!r}. Available: {', '.join(available_slugs()) or 'none'}"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{path.name}: not valid JSON ({exc})") from exc
    return scenario_from_document(document)
