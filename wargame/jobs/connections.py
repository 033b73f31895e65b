"""A worker keeps its database connection from task to task, as Django does from request
to request.

Celery's Django fix-up closes every connection before and after every task unless
`CELERY_DB_REUSE_MAX` is set; that made each turn's resolution open a new PostgreSQL
connection (4 to 15 ms here, on the path from the last lock to the result, and 8% of a
worker's samples in a py-spy profile). The settings set `CELERY_DB_REUSE_MAX` so high
that the fix-up never closes them, and these handlers do what Django's request signals
do instead: close a connection only if it is broken or older than `CONN_MAX_AGE`
(`close_old_connections`), so a database restart costs one failed try, not a worker.
"""

from __future__ import annotations

from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections


@task_prerun.connect
def _before_task(**_) -> None:
    close_old_connections()


@task_postrun.connect
def _after_task(**_) -> None:
    close_old_connections()
