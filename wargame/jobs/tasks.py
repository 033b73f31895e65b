"""Celery tasks: thin. Fetch by id, call a service.

Task names keep their first module path ("wargame.tasks.*") so that a queue filled by an
older release is still understood by a newer worker.
"""

from __future__ import annotations

from celery import shared_task

from wargame.services.resolution import deadline_sweep, turn_resolve


@shared_task(
    name="wargame.tasks.resolve_turn",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=5,
    # Nobody reads the return value. Keeping it would also make every .delay() (in the
    # web process, inside the lock request) subscribe to the result's Redis channel, for
    # good: nothing ever collects it.
    ignore_result=True,
)
def resolve_turn(turn_id: int) -> str:
    """Idempotent: a duplicate or late delivery finds the turn claimed or resolved."""
    result = turn_resolve(turn_id=turn_id)
    return "resolved" if result is not None else "nothing to do"


@shared_task(name="wargame.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> list[int]:
    """Run by beat every few seconds: overdue turns and abandoned claims get resolved."""
    return deadline_sweep()
