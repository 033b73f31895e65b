"""Monte Carlo jobs through the services (embedded mode: chunks run in-process)."""

import pytest

from wargame.bots import make_policy
from wargame.bots.runner import RunSpec, run_chunk
from wargame.engine.loader import load_scenario
from wargame.errors import BadInput
from wargame.models import Simulation, SimulationChunk
from wargame.services import ports, simulations
from wargame.services.games import _released_row, game_create, game_start
from wargame.services.simulations import (
    simulation_cancel,
    simulation_chunk_run,
    simulation_create,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = {
    "format": "lips-and-teeth/log",
    "version": 1,
    "scenario": "lips-and-teeth-2025",
    "seed": 1,
    "turns": [
        {"number": 1, "moves": []},
        {
            "number": 2,
            "moves": [
                {
                    "role": "beijing",
                    "action": "host_summit_pyongyang",
                    "target": "pyongyang",
                    "rationale": "Xi-Kim summit",
                }
            ],
        },
    ],
}


def records_of(job: Simulation) -> list[dict]:
    return [r for chunk in job.results.order_by("index") for r in chunk.records]


def queued_job(**params) -> tuple[Simulation, list[tuple[int, int]]]:
    """A job whose chunks are collected, not run: the test runs them."""
    with ports.simulation_chunks_collected() as chunks:
        job = simulation_create(scenario_row=_released_row("lips-and-teeth-2025", None), **params)
    return job, chunks


def test_a_small_job_equals_the_same_runs_played_in_process():
    """30 runs in chunks of 7 (a script for Beijing on turn 2, random otherwise): the
    stored records, in run order, are exactly run_chunk's with the same seed."""
    job = simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None),
        policies={"beijing": "random"},
        runs=30,
        seed=99,
        chunk_size=7,
        last_turn=4,
        script=SCRIPT,
    )
    job.refresh_from_db()
    assert (job.status, job.runs_done, job.results.count()) == ("done", 30, 5)
    scenario = load_scenario()
    spec = RunSpec(
        scenario=scenario,
        start=scenario.initial_state(),
        last_turn=4,
        policies={r: make_policy("random", role=r, script=SCRIPT) for r in scenario.role_slugs},
        budget=scenario.action_budget,
    )
    expected = run_chunk(spec, job_seed=99, first=0, count=30)
    assert records_of(job) == expected
    assert [r["run"] for r in expected] == list(range(30))
    assert all(len(r["values"]) == 4 for r in expected)


def test_a_redelivered_chunk_is_counted_once():
    """Chunk 0 delivered twice (a worker lost after storing it): one row, one count."""
    job, chunks = queued_job(policies={}, runs=10, seed=3, chunk_size=5, last_turn=2)
    assert chunks == [(job.pk, 0), (job.pk, 1)]
    assert simulation_chunk_run(simulation_id=job.pk, index=0) == "stored"
    assert simulation_chunk_run(simulation_id=job.pk, index=0) == "duplicate"
    job.refresh_from_db()
    assert (job.runs_done, job.status, SimulationChunk.objects.count()) == (5, "running", 1)


def test_cancel_stops_the_job_and_says_so(monkeypatch):
    """Cancelled after one chunk: the next is skipped, the status and the last progress
    message say cancelled, the stored chunk stays."""
    sent = []
    monkeypatch.setattr(simulations, "publish_progress", lambda pk, data: sent.append(data))
    job, chunks = queued_job(policies={}, runs=10, seed=3, chunk_size=5, last_turn=2)
    simulation_chunk_run(simulation_id=job.pk, index=0)
    simulation_cancel(simulation_id=job.pk)
    assert simulation_chunk_run(simulation_id=job.pk, index=1) == "skipped"
    job.refresh_from_db()
    assert (job.status, job.runs_done) == ("cancelled", 5)
    assert sent[-1]["status"] == "cancelled" and sent[-1]["done"] == 5


def test_a_chunk_running_when_cancelled_stops_and_drops_its_runs(monkeypatch):
    """The runner looks at the job's status every CANCEL_CHECK_SECONDS: a cancel
    mid-chunk stops it and nothing of it is stored."""
    job, _chunks = queued_job(policies={}, runs=10, seed=3, chunk_size=10, last_turn=2)
    monkeypatch.setattr(simulations, "CANCEL_CHECK_SECONDS", 0)
    make_checker = simulations._cancel_checker

    def cancel_after_three(simulation_id):
        check = make_checker(simulation_id)

        def then_check(done):
            if done == 3:
                Simulation.objects.filter(pk=simulation_id).update(status="cancelled")
            check(done)

        return then_check

    monkeypatch.setattr(simulations, "_cancel_checker", cancel_after_three)
    assert simulation_chunk_run(simulation_id=job.pk, index=0) == "cancelled"
    assert not SimulationChunk.objects.exists()


def test_progress_messages_arrive_in_order(monkeypatch):
    sent = []
    monkeypatch.setattr(simulations, "publish_progress", lambda pk, data: sent.append(data))
    simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None),
        policies={},
        runs=12,
        seed=5,
        chunk_size=3,
        last_turn=2,
    )
    assert [m["chunks_done"] for m in sent] == [1, 2, 3, 4]
    assert [m["done"] for m in sent] == [3, 6, 9, 12]
    assert [m["status"] for m in sent] == ["running"] * 3 + ["done"]
    assert sent[-1]["seconds_left"] is None  # nothing left: the page shows a dash


@pytest.mark.parametrize(
    "params, said",
    [
        ({"runs": 0}, "runs must be"),
        ({"runs": 100_001}, "runs must be"),
        ({"runs": 5, "policies": {"tokyo": "random"}}, "Unknown role 'tokyo'"),
        ({"runs": 5, "policies": {"seoul": "clever"}}, "Unknown bot policy 'clever'"),
        ({"runs": 5, "policies": {"seoul": "scripted"}}, "needs a script"),
        ({"runs": 5, "script": {"format": "nonsense"}}, "not a valid script"),
        ({"runs": 5, "last_turn": 60}, "by turn 50"),
        ({"runs": 5, "chunk_size": 6}, "chunk size"),
        ({"runs": 5, "seed": -1}, "seed must be"),
    ],
)
def test_bad_parameters_are_refused_before_anything_is_queued(params, said):
    params.setdefault("policies", {})
    with ports.simulation_chunks_collected() as chunks, pytest.raises(BadInput, match=said):
        simulation_create(scenario_row=_released_row("lips-and-teeth-2025", None), **params)
    assert chunks == []
    assert not Simulation.objects.exists()


def test_a_job_from_a_games_turn_plays_the_turns_after_it():
    """From the state after turn 2 of a 4-turn game of bots: each run plays turns 3 and 4,
    starting from that game's recorded state; a turn not yet resolved is refused."""
    game, _codes = game_create(
        turns=4, seed=12, bots=["seoul", "beijing", "pyongyang", "washington", "moscow"]
    )
    game_start(game_id=game.pk)
    job = simulation_create(game_id=game.pk, turn=2, policies={}, runs=4, seed=1)
    job.refresh_from_db()
    state = game.turns.get(number=2).result.state
    assert job.start_state == state and job.last_turn == 4
    assert all(len(r["values"]) == 2 for r in records_of(job))
    fresh, _ = game_create(turns=4, seed=13)
    with pytest.raises(BadInput, match="has not been resolved"):
        simulation_create(game_id=fresh.pk, turn=2, policies={}, runs=4)


def test_a_finished_jobs_rate_is_timed_to_its_end_not_to_now():
    """A done job's page says how fast it ran; a day later it must say the same (it was
    timed to now, so its runs per second fell for ever)."""
    from datetime import timedelta

    from django.utils import timezone

    from wargame.services.simulations import progress_data

    job = simulation_create(
        scenario_row=_released_row("lips-and-teeth-2025", None), policies={}, runs=20, seed=3
    )
    job.refresh_from_db()
    start = timezone.now() - timedelta(days=1)
    Simulation.objects.filter(pk=job.pk).update(
        started_at=start, finished_at=start + timedelta(seconds=4)
    )
    job.refresh_from_db()
    shown = progress_data(job, chunks_done=job.results.count())
    assert shown["status"] == "done"
    assert shown["runs_per_second"] == 5.0 and shown["seconds_left"] is None
