"""Celery tasks: thin. Fetch by id, call a service.

Task names keep their first module path ("wargame.tasks.*") so that a queue filled by an
older release is still understood by a newer worker.
"""

from __future__ import annotations

from celery import shared_task

from wargame.services.resolution import TRANSIENT_ERRORS, deadline_sweep, turn_resolve

# Retries of a transient error (database or broker out of reach), with exponential
# backoff from 1 s to at most 30 s: about a minute and a half in all, then the turn fails.
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="wargame.tasks.resolve_turn",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    # Nobody reads the return value. Keeping it would also make every .delay() (in the
    # web process, inside the lock request) subscribe to the result's Redis channel, for
    # good: nothing ever collects it.
    ignore_result=True,
)
def resolve_turn(self, turn_id: int) -> str:
    """Idempotent: a duplicate or late delivery finds the turn claimed, resolved or
    failed. Only transient errors come back out (and are retried); on the last retry the
    service fails the turn instead, as it does at once for any other error."""
    last_try = self.request.retries >= self.max_retries
    result = turn_resolve(turn_id=turn_id, last_try=last_try)
    return "resolved" if result is not None else "nothing to do, or failed"


@shared_task(name="wargame.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> list[int]:
    """Run by beat every few seconds: overdue turns and abandoned claims get resolved."""
    return deadline_sweep()
