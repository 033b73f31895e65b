"""simulate --runs N [--game ID --turn T | --scenario SLUG] [--bots seoul=doctrine,...]
[--script FILE] [--seed N] [--last-turn N] [--chunk N] [--json]

A Monte Carlo job with a progress bar. With workers (the full stack) the chunks are
queued and the bar follows the job's row; in the embedded mode (no workers) this process
plays the chunks itself. Ctrl-C cancels the job.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from wargame.bots import UnknownPolicy, parse_bot_specs
from wargame.models import Simulation

from ._common import fail, print_json, run_service

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Run N bot games from a start (a game's turn, or the scenario's start)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, required=True, help="games to play (<= 100,000)")
        parser.add_argument("--game", type=int, help="start from this game's state ...")
        parser.add_argument("--turn", type=int, help="... after this turn (default: its start)")
        parser.add_argument("--scenario", default="lips-and-teeth-2025")
        parser.add_argument("--scenario-version", type=int)
        parser.add_argument(
            "--bots",
            default="",
            help="policy per role, ROLE=POLICY (random, doctrine, scripted); others: random",
        )
        parser.add_argument("--script", help="a log or script whose moves the roles play")
        parser.add_argument("--seed", type=int, help="the job's seed (default: a fresh one)")
        parser.add_argument("--last-turn", type=int, help="the last turn played")
        parser.add_argument("--chunk", type=int, help="runs per chunk (one task each)")
        parser.add_argument("--title", default="")
        parser.add_argument("--json", action="store_true", help="print the job as JSON")

    def handle(self, *args, **opts):
        from wargame.services import ports
        from wargame.services.games import _released_row
        from wargame.services.simulations import simulation_cancel, simulation_create

        try:
            policies = parse_bot_specs(opts["bots"])
        except UnknownPolicy as exc:
            fail(str(exc))
        script = _read_script(opts["script"])
        row = None
        if opts["game"] is None:
            row = run_service(lambda: _released_row(opts["scenario"], opts["scenario_version"]))

        def create():
            return simulation_create(
                policies=policies,
                runs=opts["runs"],
                seed=opts["seed"],
                game_id=opts["game"],
                turn=opts["turn"],
                scenario_row=row,
                last_turn=opts["last_turn"],
                script=script,
                chunk_size=opts["chunk"],
                title=opts["title"],
            )

        local = settings.CELERY_TASK_ALWAYS_EAGER
        if local:
            with ports.simulation_chunks_collected() as chunks:
                job = run_service(create)
        else:
            job = run_service(create)
        bar = tqdm(total=job.runs, unit="run", desc=f"simulation {job.pk}", file=self.stderr)
        try:
            if local:
                self._play_here(job, chunks, bar)
            else:
                self._follow(job, bar)
        except KeyboardInterrupt:
            simulation_cancel(simulation_id=job.pk)
            bar.close()
            fail(f"simulation {job.pk} cancelled", code=130)
        bar.close()
        job.refresh_from_db()
        summary = {
            "simulation": job.pk,
            "status": job.status,
            "runs": job.runs,
            "done": job.runs_done,
            "seed": job.seed,
        }
        if opts["json"]:
            print_json(self, summary)
        else:
            self.stdout.write(
                f"Simulation {job.pk}: {job.runs_done:,} of {job.runs:,} runs, {job.status} "
                f"(seed {job.seed})."
            )
        if job.status != Simulation.Status.DONE:
            fail(f"simulation {job.pk} ended {job.status}: {job.error or 'see the job page'}")

    def _play_here(self, job, chunks, bar) -> None:
        from wargame.services.simulations import simulation_chunk_run

        for simulation_id, index in chunks:
            simulation_chunk_run(simulation_id=simulation_id, index=index)
            bar.update(job.chunk_range(index)[1])

    def _follow(self, job, bar) -> None:
        done = 0
        while True:
            job.refresh_from_db()
            bar.update(job.runs_done - done)
            done = job.runs_done
            if job.status not in (Simulation.Status.QUEUED, Simulation.Status.RUNNING):
                return
            time.sleep(POLL_SECONDS)


def _read_script(path: str | None):
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        fail(f"cannot read the script {path}: {exc}")
