"""Ports: what the services need from the layers above them, bound when the app is ready.

Services decide *that* a turn must be resolved; the job layer (Celery) decides how. So
the services never import the tasks (no cycle): `WargameConfig.ready()` binds the port to
`jobs.tasks.resolve_turn.delay`, and the services call `enqueue_resolution(turn_id)`,
which hands the id over once the surrounding transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

log = logging.getLogger(__name__)


class _Ports:
    resolve: Callable[..., object] | None = None
    simulate: Callable[[int, int], object] | None = None


_ports = _Ports()


def bind_resolution(enqueue: Callable[..., object]) -> None:
    """Called once per process by the app config: how a turn's resolution is queued."""
    _ports.resolve = enqueue


def enqueue_resolution(turn_id: int, queued: str = "") -> None:
    """Queue the turn's resolution once this transaction commits (never a rolled-back one).
    `queued`: the claim the caller took for the task to take over (`services.claims`)."""
    transaction.on_commit(lambda: _send(turn_id, queued))


def _send(turn_id: int, queued: str) -> None:
    if _ports.resolve is None:
        raise RuntimeError("services.ports: no resolution queue bound (is the app ready?)")
    try:
        _ports.resolve(turn_id, queued=queued)
    except (BrokerUnreachable, OSError):
        # The write committed: a 500 here would make a client retry into a 409. The sweep
        # re-queues a locked turn whose task was lost (resolution.turns_due).
        log.warning("turn %s: the broker is unreachable; the sweep will queue it", turn_id)


def bind_simulation(enqueue: Callable[[int, int], object]) -> None:
    """Called once per process by the app config: how a Monte Carlo chunk is queued."""
    _ports.simulate = enqueue


def enqueue_simulation_chunk(simulation_id: int, index: int) -> None:
    """Queue chunk `index` of a job once this transaction commits. A broker out of reach
    is not swallowed here: the job's creation answers with an error and can be retried."""
    if _ports.simulate is None:
        raise RuntimeError("services.ports: no simulation queue bound (is the app ready?)")
    send = _ports.simulate
    transaction.on_commit(lambda: send(simulation_id, index))


@contextmanager
def simulation_chunks_collected() -> Iterator[list[tuple[int, int]]]:
    """Inside, chunks are collected instead of queued (the CLI plays them itself, with a
    progress bar, when there is no worker to send them to)."""
    collected: list[tuple[int, int]] = []
    previous = _ports.simulate
    _ports.simulate = lambda simulation_id, index: collected.append((simulation_id, index))
    try:
        yield collected
    finally:
        _ports.simulate = previous
