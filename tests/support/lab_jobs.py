"""Monte Carlo jobs for the lab's page tests."""

from __future__ import annotations


def half_played_job():
    """A job of 20 runs in two chunks, the first played and the second still queued:
    (the job, the queued chunk's index)."""
    from wargame.services import ports
    from wargame.services.games import _released_row
    from wargame.services.simulations import simulation_chunk_run, simulation_create

    with ports.simulation_chunks_collected() as chunks:
        job = simulation_create(
            scenario_row=_released_row("lips-and-teeth-2025", None),
            policies={},
            runs=20,
            seed=4,
            chunk_size=10,
        )
    simulation_chunk_run(simulation_id=job.pk, index=chunks[0][1])
    return job, chunks[1][1]
