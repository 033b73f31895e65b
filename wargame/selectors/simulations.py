"""Reads of Monte Carlo jobs: the job, its records in run order, its results page.

The page and the comparison are for reading: they take the scenario in the reader's
language (`translations.presented_scenario`). The downloads are data: the pinned
scenario's codes and names, whatever the reader's language.

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

from .translations import presented_scenario, row_title, value_labels


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
    (the source game's by default) placed in each final distribution; in the active
    language (the scenario's texts by its translation, the lab's words by gettext)."""
    scenario = engine_scenario_of(simulation.scenario)
    real = real_game or simulation.source_game
    records = simulation_records(simulation)
    finals = game_finals(real, scenario) if real is not None else None
    ends = {name: real.state[name] for name in final_fields(scenario)} if real else None
    shown, labels = presented_scenario(simulation.scenario), value_labels(simulation.scenario)
    reads_done()
    return lab.job_results(
        shown,
        records,
        first_turn=simulation.source_turn + 1,
        real_finals=finals,
        real_ends=ends,
        value_labels=labels,
        _=gettext,
    )


def simulation_comparison(
    a: Simulation, b: Simulation, *, reads_done: Callable[[], None] = lambda: None
) -> dict[str, Any]:
    """Job A against job B, in the active language (as `simulation_page`)."""
    shown = presented_scenario(a.scenario)
    records_a, records_b = simulation_records(a), simulation_records(b)
    reads_done()
    return lab.compare_jobs(shown, records_a, records_b, _=gettext)


def simulation_title(simulation: Simulation) -> str:
    """A job's name: its title, else its scenario's title in the active language."""
    return simulation.title or row_title(simulation.scenario)


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
