"""Celery tasks: thin. Fetch by id, call a service.

Task names keep their first module path ("wargame.tasks.*") so that a queue filled by an
older release is still understood by a newer worker.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import Retry
from celery.signals import worker_ready
from celery.utils.time import get_exponential_backoff_interval

from wargame.jobs import connections  # noqa: F401 - its signal handlers
from wargame.services.classes import bots_stand_in_due
from wargame.services.resolution import (
    TRANSIENT_ERRORS,
    dead_claims_requeue,
    deadline_sweep,
    turn_resolve,
)

# A transient error (database or broker out of reach) is retried MAX_RETRIES times, with
# Celery's exponential backoff from 1 s up to 30 s (with jitter): about a minute and a
# half in all. On the last try the service fails the turn instead of raising.
MAX_RETRIES = 5
BACKOFF_SECONDS = 1
BACKOFF_MAX_SECONDS = 30


@shared_task(
    bind=True,
    name="wargame.tasks.resolve_turn",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    # Nobody reads the return value. Keeping it would also make every .delay() (in the
    # web process, inside the lock request) subscribe to the result's Redis channel, for
    # good: nothing ever collects it.
    ignore_result=True,
)
def resolve_turn(self, turn_id: int, queued: str = "") -> str | Retry:
    """Idempotent: a duplicate or late delivery finds the turn claimed, resolved or
    failed. Any error but a transient one has already failed the turn in the service.
    `queued`: the claim the request took for this task (absent from older messages)."""
    last_try = self.request.retries >= self.max_retries
    try:
        result = turn_resolve(turn_id=turn_id, last_try=last_try, queued=queued)
    except TRANSIENT_ERRORS as exc:
        countdown = get_exponential_backoff_interval(
            factor=BACKOFF_SECONDS,
            retries=self.request.retries,
            maximum=BACKOFF_MAX_SECONDS,
            full_jitter=True,
        )
        # Returned, not raised: a worker has queued the retry and is done with this
        # delivery; an eager run (the embedded mode) applies the returned retry at once,
        # where a raised one would escape into the request that asked for resolution.
        return self.retry(exc=exc, countdown=countdown, throw=False)
    return "resolved" if result is not None else "nothing to do, or failed"


@shared_task(name="wargame.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> list[int]:
    """Run by beat every few seconds: overdue turns and abandoned claims get resolved."""
    return deadline_sweep()


@shared_task(name="wargame.tasks.class_bots_stand_in", ignore_result=True)
def class_bots_stand_in() -> None:
    """Run by beat every few seconds: bots play the seats of students away past their
    class's timeout (services.classes.bots_stand_in_due)."""
    bots_stand_in_due()


@worker_ready.connect
def requeue_dead_claims(**_) -> None:
    """A worker that starts (or restarts after being killed) re-queues the turns whose
    claim names a process now dead on this host: a killed worker's task would otherwise
    wait for the broker's visibility timeout, or the lease and the sweep."""
    dead_claims_requeue()
