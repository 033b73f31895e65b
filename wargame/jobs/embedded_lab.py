"""The lab without a worker: in the embedded mode (scripts/run) a daemon thread plays a
job's chunks one after another, so the request that starts a job answers at once and the
job's page shows its progress, as a Celery worker does on the full stack.

Celery's eager mode played every chunk inside the request that queued them: a
100,000-run job kept its analyst's browser waiting for minutes, with a progress bar
nobody saw move. Started by WargameConfig.ready() only when LT_EMBEDDED_LAB_THREAD is set
(scripts/run sets it); elsewhere (tests, the CLI) chunks stay eager.
"""

from __future__ import annotations

import logging
import queue
import threading

log = logging.getLogger(__name__)
_chunks: queue.Queue[tuple[int, int]] = queue.Queue()


def _play() -> None:
    from django.db import close_old_connections

    from wargame.services.simulations import simulation_chunk_run

    while True:
        simulation_id, index = _chunks.get()
        try:
            close_old_connections()
            simulation_chunk_run(simulation_id=simulation_id, index=index)
        except Exception:  # keep playing: one bad chunk must not stop every later job
            log.exception("simulation %s, chunk %s: could not be played", simulation_id, index)
        finally:
            _chunks.task_done()


_player = threading.Thread(target=_play, name="lt-embedded-lab", daemon=True)
_starting = threading.Lock()


def queue_chunk_in_thread(simulation_id: int, index: int) -> None:
    """The port services.ports.enqueue_simulation_chunk calls on commit; the thread starts
    with the first job, not with the process."""
    with _starting:
        if _player.ident is None:
            _player.start()
    _chunks.put((simulation_id, index))


def idle() -> bool:
    """No chunk waiting or playing (for tests)."""
    return _chunks.unfinished_tasks == 0
