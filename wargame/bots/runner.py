"""Monte Carlo runs, pure: play many games from one start with a policy per role.

`run_chunk` plays the runs numbered `first .. first+count-1` of a job and returns one
compact record per run. A run's seed is derived from the job's seed and the run's number
alone (`run_seed`), so a chunk played twice, on any worker, in any order, gives the same
records, and a whole job is reproducible from its seed.

A record (JSON-able, small enough for 100,000 of them):
    {"run": 17, "seed": 123..., "values": [[...], ...], "final": {...},
     "events": {"us_dprk_summit": 6, ...}, "moves": {"pyongyang:nuclear_test": 3, ...}}
`values` holds, for each turn played, the numbers named by `columns(scenario)` (every
relation and scalar, then every role's score); `final` the enumerations and lists at the
end; `events` and `moves` the first turn each scenario event fired and each role's action
succeeded.

A chunk's records are stored packed (`pack_records`: MessagePack, then zlib at its
fastest level): about a fifth of their JSON, made in a few milliseconds, where a jsonb
column cost PostgreSQL a parse of half a megabyte for every 250 runs.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import msgpack

from wargame.engine import Scenario, adjudicate
from wargame.engine.dice import MAX_INTEGER_SEED
from wargame.engine.types import SUCCEEDED

from .base import Policy, seat_moves

Record = dict[str, Any]


@dataclass(frozen=True)
class RunSpec:
    """What every run of a job shares: the scenario, the start, the policies, the length."""

    scenario: Scenario
    start: dict[str, Any]  # the state the runs start from (after turn start["turn"])
    last_turn: int  # the runs play turns start["turn"] + 1 .. last_turn
    policies: Mapping[str, Policy]  # per role; a role without one holds
    budget: int


def run_seed(job_seed: int, run: int) -> int:
    """The integer dice seed of run number `run` of a job (sha256 of both, 53 bits)."""
    digest = hashlib.sha256(f"lab|{job_seed}|{run}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (MAX_INTEGER_SEED + 1)


def columns(scenario: Scenario) -> list[str]:
    """The names of a record's per-turn numbers: relations, scalars, then scores."""
    start = scenario.start
    names = [f"relations.{k}" for k in start["relations"]]
    names += [k for k, v in start.items() if k not in ("turn", "relations", "memory") and _num(v)]
    names += [f"score.{slug}" for slug in scenario.role_slugs]
    return names


def final_fields(scenario: Scenario) -> list[str]:
    """The enumerations and lists a record keeps the end value of."""
    start = scenario.start
    return [k for k, v in start.items() if k not in ("turn", "relations", "memory") and not _num(v)]


def run_one(spec: RunSpec, run: int, seed: int) -> Record:
    """One game from the spec's start to its last turn; its compact record."""
    scenario = spec.scenario
    numeric = [c for c in columns(scenario) if not c.startswith("score.")]
    getters = [_getter(path) for path in numeric]
    roles = [r for r in scenario.role_slugs if r in spec.policies]
    state = spec.start
    values: list[list[float]] = []
    events: dict[str, int] = {}
    succeeded: dict[str, int] = {}
    for _turn in range(state["turn"] + 1, spec.last_turn + 1):
        moves = []
        for role in roles:
            moves += seat_moves(
                spec.policies[role], scenario, state, role, seed=seed, budget=spec.budget
            )
        result = adjudicate(state, moves, seed=seed, scenario=scenario, budget=spec.budget)
        state = result.state
        row: list[float] = [get(state) for get in getters]
        row += [result.scores[slug] for slug in scenario.role_slugs]
        values.append(row)
        for event in result.events:
            events.setdefault(event, result.turn)
        for outcome in result.outcomes:
            if outcome.result == SUCCEEDED:
                succeeded.setdefault(f"{outcome.role}:{outcome.action}", result.turn)
    final = {}
    for name in final_fields(scenario):
        value = state[name]
        final[name] = list(value) if isinstance(value, list) else value
    return {
        "run": run,
        "seed": seed,
        "values": values,
        "final": final,
        "events": events,
        "moves": succeeded,
    }


def run_chunk(
    spec: RunSpec,
    *,
    job_seed: int,
    first: int,
    count: int,
    progress: Callable[[int], None] | None = None,
) -> list[Record]:
    """Runs `first` .. `first + count - 1` of the job seeded `job_seed`, in order.
    `progress(done)` is called after each run (a CLI's bar; a task's heartbeat)."""
    records = []
    for offset in range(count):
        run = first + offset
        records.append(run_one(spec, run, run_seed(job_seed, run)))
        if progress is not None:
            progress(offset + 1)
    return records


def pack_records(records: list[Record]) -> bytes:
    """Records as bytes to store: what `unpack_records` gives back, equal."""
    return zlib.compress(msgpack.packb(records), 1)


def unpack_records(packed: bytes) -> list[Record]:
    return msgpack.unpackb(zlib.decompress(packed))


def _num(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _getter(path: str) -> Callable[[dict[str, Any]], Any]:
    head, _, tail = path.partition(".")
    if tail:
        return lambda state: state[head][tail]
    return lambda state: state[head]
