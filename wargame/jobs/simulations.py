"""Celery tasks of Monte Carlo jobs: one per chunk, thin (the service does the work).

Acks late and rejected on a lost worker (the settings' defaults, repeated here because a
chunk must never be lost): a worker SIGKILLed mid-chunk leaves the message unacknowledged,
the broker hands it to another worker after the visibility timeout, and the chunk is
played again from its seeds; its row is unique per (job, chunk), so it counts once.
"""

from __future__ import annotations

from celery import shared_task

from wargame.services.simulations import simulation_chunk_run


@shared_task(
    name="wargame.tasks.simulation_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def simulation_chunk(simulation_id: int, index: int) -> str:
    return simulation_chunk_run(simulation_id=simulation_id, index=index)


def queue_chunk(simulation_id: int, index: int) -> None:
    """The port services.ports.enqueue_simulation_chunk calls on commit."""
    simulation_chunk.delay(simulation_id, index)
