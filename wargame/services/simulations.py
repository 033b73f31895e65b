"""Monte Carlo jobs: create (every parameter checked before anything is queued), run a
chunk (once, whatever the deliveries), cancel.

The runs themselves are pure (`wargame.bots.runner`); this module pins what they need
in a Simulation row, hands chunks to the job layer through a port, and stores each
chunk's records in a SimulationChunk row unique per (job, chunk).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wargame.bots import POLICY_NAMES, UnknownPolicy, make_policy
from wargame.bots.runner import RunSpec, pack_records, run_chunk
from wargame.engine.dice import MAX_INTEGER_SEED
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, NotFound
from wargame.gamelog import LogError, check_log
from wargame.models import (
    Game,
    Scenario,
    Simulation,
    SimulationChunk,
    TurnResult,
    with_scenario_row,
)
from wargame.realtime.simulations import publish_progress

from . import ports
from .locks import simulation_for_update
from .scenarios import engine_scenario

MAX_RUNS = 100_000
MAX_CHUNKS = 1_000
RANDOM_CHUNK, DOCTRINE_CHUNK = 500, 100  # runs per chunk by default (`_chunk_size`)
CANCEL_CHECK_SECONDS = 0.5  # between two looks at the job's status inside a chunk


class Cancelled(Exception):
    """The job was cancelled while this chunk ran: its records are dropped."""


def simulation_create(
    *,
    policies: dict[str, str],
    runs: int,
    seed: int | None = None,
    game_id: int | None = None,
    turn: int | None = None,
    scenario_row: Scenario | None = None,
    last_turn: int | None = None,
    script: dict[str, Any] | None = None,
    chunk_size: int | None = None,
    title: str = "",
    created_by=None,
) -> Simulation:
    """A job of `runs` games from the state after `turn` of game `game_id` (or from the
    scenario's start), each role played by its policy (a role not named plays `random`),
    the `script`'s moves on the turns it gives a role. Queued on commit, chunk by chunk.
    Raises BadInput, naming the parameter, before anything is written or queued."""
    if not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise BadInput(
            "runs must be a whole number from 1 to %(most)s.",
            most=f"{MAX_RUNS:,}",
            code="bad_runs",
        )
    if seed is None:
        seed = secrets.randbelow(MAX_INTEGER_SEED + 1)
    if not isinstance(seed, int) or not 0 <= seed <= MAX_INTEGER_SEED:
        raise BadInput(
            "seed must be a whole number from 0 to %(most)s.",
            most=MAX_INTEGER_SEED,
        )
    row, start, source, budget, end = _start(game_id, turn, scenario_row, last_turn)
    scenario = engine_scenario(row)
    full = {role: "random" for role in scenario.role_slugs}
    for role, name in (policies or {}).items():
        if role not in full:
            raise BadInput(
                "Unknown role %(role)s; roles are %(names)s.",
                role=repr(role),
                names=", ".join(scenario.role_slugs),
                code="unknown_role",
            )
        if name not in POLICY_NAMES:
            raise BadInput(
                "Unknown bot policy %(name)s for %(role)s; policies are %(names)s.",
                name=repr(name),
                role=role,
                names=", ".join(POLICY_NAMES),
                code="unknown_policy",
            )
        full[role] = name
    if script is not None:
        try:
            check_log(script)
        except LogError as exc:
            raise BadInput(
                "The script is not a valid script: %(why)s", why=reason_of(exc), code="bad_log"
            ) from exc
    elif "scripted" in full.values():
        raise BadInput("A scripted role needs a script (a log or script document).")
    if chunk_size is not None and not 1 <= chunk_size <= runs:
        raise BadInput("chunk size must be from 1 to %(runs)s.", runs=runs)
    size = chunk_size or _chunk_size(runs, full)
    if -(-runs // size) > MAX_CHUNKS:
        raise BadInput(
            "at most %(most)s chunks: use chunks of %(value)s+.",
            most=MAX_CHUNKS,
            value=-(-runs // MAX_CHUNKS),
        )
    with transaction.atomic():
        simulation = Simulation.objects.create(
            title=title[:200],
            scenario=row,
            source_game=source,
            source_turn=start["turn"],
            start_state=start,
            last_turn=end,
            action_budget=budget,
            policies=full,
            script=script,
            seed=seed,
            runs=runs,
            chunk_size=size,
            created_by=created_by,
        )
        for index in range(simulation.chunks):
            ports.enqueue_simulation_chunk(simulation.pk, index)
    return simulation


def _start(game_id, turn, scenario_row, last_turn):
    """(scenario row, start state, source game, budget, last turn) of a new job."""
    if game_id is None:
        if scenario_row is None:
            raise BadInput("Name a game (and a turn) or a scenario to start from.")
        scenario = engine_scenario(scenario_row)
        start, source, budget = scenario.initial_state(), None, scenario.action_budget
        end = scenario.default_turns if last_turn is None else last_turn
        row = scenario_row
    else:
        source = Game.objects.with_scenario().filter(pk=game_id).first()
        if source is None:
            raise NotFound("No game %(game_id)s.", game_id=game_id)
        row, budget = source.scenario, source.action_budget
        first = source.start_state.get("turn", 0)
        turn = first if turn is None else turn
        if turn == first:
            start = source.start_state
        else:
            result = TurnResult.objects.filter(turn__game=source, turn__number=turn).first()
            if result is None:
                raise BadInput(
                    "Turn %(turn)s of game %(game_id)s has not been resolved; start from a "
                    "turn from %(first)s to %(current_turn)s.",
                    turn=turn,
                    game_id=game_id,
                    first=first,
                    current_turn=source.current_turn,
                    code="bad_turn",
                )
            start = result.state
        end = source.max_turns if last_turn is None else last_turn
    if not start["turn"] < end <= 50:
        raise BadInput(
            "The runs must end after turn %(start)s and by turn 50 (not %(end)s).",
            start=start["turn"],
            end=end,
            code="bad_turn",
        )
    return row, start, source, budget, end


def _chunk_size(runs: int, policies: dict[str, str]) -> int:
    """Chunks of about a second each: a doctrine seat's look-ahead costs some 0.5 ms a
    turn, so its runs cost ~10x a random one's (~1.5 ms), and a chunk's own cost (~40
    ms for its rows and messages) stays small beside it. Random chunks of 250 (0.35 s)
    kept a 2-worker job of 10,000 runs at 1.40x half the engine's time; 500, 1.22x
    (bench/lab.py)."""
    per_chunk = DOCTRINE_CHUNK if "doctrine" in policies.values() else RANDOM_CHUNK
    return max(per_chunk, -(-runs // MAX_CHUNKS))


def simulation_spec(simulation: Simulation) -> RunSpec:
    """What the pure runner needs, from the job's row."""
    scenario = engine_scenario(simulation.scenario)
    try:
        policies = {
            role: make_policy(name, role=role, script=simulation.script)
            for role, name in simulation.policies.items()
        }
    except UnknownPolicy as exc:  # a row written by hand: the job fails, saying why
        raise BadInput(reason_of(exc)) from exc
    return RunSpec(
        scenario=scenario,
        start=simulation.start_state,
        last_turn=simulation.last_turn,
        policies=policies,
        budget=simulation.action_budget,
    )


def simulation_chunk_run(*, simulation_id: int, index: int) -> str:
    """Play chunk `index` and store its records once. A redelivered chunk whose row
    exists is skipped; one that raced another delivery loses on the unique constraint.
    The job's row is locked (services.locks) only for the final count."""
    # The scenario's two copies of its document (~60 kB each) are read only when this
    # process has not built that scenario yet (engine_scenario caches it by hash).
    simulation = with_scenario_row(Simulation.objects).filter(pk=simulation_id).first()
    if simulation is None or simulation.status in (
        Simulation.Status.CANCELLED,
        Simulation.Status.FAILED,
    ):
        return "skipped"
    if SimulationChunk.objects.filter(simulation=simulation, index=index).exists():
        return "duplicate"
    Simulation.objects.filter(
        pk=simulation.pk, status=Simulation.Status.QUEUED, started_at__isnull=True
    ).update(started_at=timezone.now(), status=Simulation.Status.RUNNING)
    first, count = simulation.chunk_range(index)
    began = time.perf_counter()
    try:
        records = run_chunk(
            simulation_spec(simulation),
            job_seed=simulation.seed,
            first=first,
            count=count,
            progress=_cancel_checker(simulation.pk),
        )
    except Cancelled:
        return "cancelled"
    seconds = time.perf_counter() - began
    with transaction.atomic():
        job = simulation_for_update(simulation.pk)
        if job is None or job.status == Simulation.Status.CANCELLED:
            return "cancelled"
        try:
            with transaction.atomic():
                SimulationChunk.objects.create(
                    simulation=job,
                    index=index,
                    first_run=first,
                    runs=count,
                    packed=pack_records(records),
                    seconds=seconds,
                )
        except IntegrityError:
            return "duplicate"
        job.runs_done += count
        fields = ["runs_done"]
        if job.runs_done >= job.runs:
            job.status, job.finished_at = Simulation.Status.DONE, timezone.now()
            fields += ["status", "finished_at"]
        job.save(update_fields=fields)
        data = progress_data(job, chunks_done=job.results.count())
        transaction.on_commit(lambda: publish_progress(job.pk, data))
    return "stored"


def _cancel_checker(simulation_id: int) -> Callable[[int], None]:
    """A chunk's `progress`: every CANCEL_CHECK_SECONDS it reads the job's status and
    stops the chunk if the job was cancelled. By the clock, not by runs: a random run
    takes ~1.5 ms and a doctrine one ~15, and a look every 25 runs was ten queries in a
    random chunk of 250, on the workers' path."""
    next_look = time.monotonic() + CANCEL_CHECK_SECONDS

    def check(done: int) -> None:
        nonlocal next_look
        if time.monotonic() < next_look:
            return
        next_look = time.monotonic() + CANCEL_CHECK_SECONDS
        status = Simulation.objects.filter(pk=simulation_id).values_list("status", flat=True)
        if status.first() == Simulation.Status.CANCELLED:
            raise Cancelled

    return check


def simulation_cancel(*, simulation_id: int) -> Simulation:
    """Stop a job: queued chunks are skipped, a running chunk stops within a few runs and
    its records are dropped; chunks already stored stay (the page says how many)."""
    with transaction.atomic():
        job = simulation_for_update(simulation_id)
        if job is None:
            raise NotFound("No simulation %(simulation_id)s.", simulation_id=simulation_id)
        if job.status in (Simulation.Status.QUEUED, Simulation.Status.RUNNING):
            job.status, job.finished_at = Simulation.Status.CANCELLED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
            data = progress_data(job, chunks_done=job.results.count())
            transaction.on_commit(lambda: publish_progress(job.pk, data))
    return job


def progress_data(job: Simulation, *, chunks_done: int) -> dict[str, Any]:
    """What a progress bar shows: runs done of all, chunks stored, runs per second since
    the first chunk began, and the seconds left at that rate."""
    running = job.status in (Simulation.Status.QUEUED, Simulation.Status.RUNNING)
    # A job that has ended is timed to its end (not to now: its rate would fall forever).
    end = job.finished_at if not running and job.finished_at is not None else timezone.now()
    elapsed = (end - job.started_at).total_seconds() if job.started_at is not None else 0.0
    rate = job.runs_done / elapsed if elapsed > 0 else 0.0
    left = (job.runs - job.runs_done) / rate if rate > 0 and running else None
    return {
        "simulation": job.pk,
        "status": job.status,
        "runs": job.runs,
        "done": job.runs_done,
        "chunks_done": chunks_done,  # only grows: a page drops an older message
        "chunks": job.chunks,
        "runs_per_second": round(rate, 1),
        "seconds_left": None if left is None else round(left, 1),
    }
