"""Deadlines without beat: in the embedded mode a daemon thread sweeps every 2 seconds.

Started by WargameConfig.ready() only when LT_EMBEDDED_SWEEPER is set (scripts/run sets
it for the dev server); the full stack relies on `celery beat` instead.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0
_started = threading.Event()


def start_embedded_sweeper() -> None:
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_loop, name="lt-deadline-sweeper", daemon=True).start()


def _loop() -> None:
    from django.db import close_old_connections

    from wargame.services.classes import bots_stand_in_due
    from wargame.services.resolution import deadline_sweep

    while True:
        time.sleep(INTERVAL_SECONDS)
        try:
            close_old_connections()
            due = deadline_sweep()
            if due:
                log.info("deadline sweep resolved turns %s", due)
            stood_in = bots_stand_in_due()
            if stood_in:
                log.info("bots stood in for absent students: %s", stood_in)
        except Exception:  # keep sweeping; a bad turn must not stop every other deadline
            log.exception("deadline sweep failed")
