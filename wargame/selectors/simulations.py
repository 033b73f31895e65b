"""Reads of Monte Carlo jobs: the job, its records in run order, its results page.

The results, comparisons and downloads read the records and then compute for seconds (a
100,000-run job's page: 11 s): `reads_done` is called in between, so the caller can give
its database connection back first (`web.made_once.release_database`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext

from wargame.bots.runner import columns, final_fields, unpack_records
from wargame.engine.loader import pinned_scenario as engine_scenario_of
from wargame.engine.scoring import scores
from wargame.models import Game, Simulation, SimulationChunk
from wargame.review import lab


def simulation_by_id(simulation_id: int) -> Simulation | None:
    return (
        Simulation.objects.select_related("scenario", "source_game")
        .filter(pk=simulation_id)
        .first()
    )


def simulation_records(simulation: Simulation) -> list[dict[str, Any]]:
    """Every stored run's record, in run order (chunks are stored once each)."""
    chunks = SimulationChunk.objects.filter(simulation=simulation).order_by("index")
    return [
        record
        for packed in chunks.values_list("packed", flat=True)
        for record in unpack_records(bytes(packed))
    ]


def game_finals(game: Game, scenario) -> dict[str, float]:
    """A real game's final values by record column (its last resolved state)."""
    state = game.state
    out: dict[str, float] = {}
    role_scores = scores(scenario, state)
    for column in columns(scenario):
        if column.startswith("score."):
            out[column] = role_scores[column.removeprefix("score.")]
        elif column.startswith("relations."):
            out[column] = state["relations"][column.removeprefix("relations.")]
        else:
            out[column] = state[column]
    return out


def simulation_page(
    simulation: Simulation,
    *,
    real_game: Game | None = None,
    reads_done: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """The job page's results: charts, event probabilities, endings, and the real game
    (the source game's by default) placed in each final distribution."""
    scenario = engine_scenario_of(simulation.scenario)
    real = real_game or simulation.source_game
    records = simulation_records(simulation)
    finals = game_finals(real, scenario) if real is not None else None
    ends = {name: real.state[name] for name in final_fields(scenario)} if real else None
    reads_done()
    return lab.job_results(
        scenario,
        records,
        first_turn=simulation.source_turn + 1,
        real_finals=finals,
        real_ends=ends,
        _=gettext,
    )


def simulation_comparison(
    a: Simulation, b: Simulation, *, reads_done: Callable[[], None] = lambda: None
) -> dict[str, Any]:
    scenario = engine_scenario_of(a.scenario)
    records_a, records_b = simulation_records(a), simulation_records(b)
    reads_done()
    return lab.compare_jobs(scenario, records_a, records_b, _=gettext)


def simulation_csv(simulation: Simulation, *, reads_done: Callable[[], None] = lambda: None) -> str:
    scenario = engine_scenario_of(simulation.scenario)
    records = simulation_records(simulation)
    reads_done()
    return lab.records_csv(scenario, records)


def simulation_parquet(
    simulation: Simulation, *, reads_done: Callable[[], None] = lambda: None
) -> bytes:
    scenario = engine_scenario_of(simulation.scenario)
    records = simulation_records(simulation)
    reads_done()
    return lab.records_parquet(scenario, records)
