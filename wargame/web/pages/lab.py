"""The analyst's lab (staff): start a Monte Carlo job, follow it, read its results,
compare two jobs, download the runs.

Results, comparisons and downloads take seconds to compute from a big job's records (a
100,000-run job: 11 s for its page, 5 s for each download), and they only change with
the job's runs (or, for the page, the real game it is placed against): each is made once
and kept (`web.made_once`), with the database connection given back while computing.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wargame.errors import GameError
from wargame.models import Simulation
from wargame.selectors import simulations as selectors
from wargame.selectors.reasons import localised
from wargame.selectors.scenarios import default_roles
from wargame.services.games import _released_row
from wargame.services.simulations import (
    MAX_RUNS,
    progress_data,
    simulation_cancel,
    simulation_create,
)
from wargame.web.made_once import StillMaking, made_once, release_database, still_making

POLICY_CHOICES = [
    ("random", _("Random legal moves")),
    ("doctrine", _("Pursues the role's objectives")),
]


class SimulationForm(forms.Form):
    game = forms.IntegerField(
        label=_("Start from game (empty: the scenario's start)"), required=False, min_value=1
    )
    turn = forms.IntegerField(label=_("after its turn"), required=False, min_value=0)
    runs = forms.IntegerField(label=_("Runs"), min_value=1, max_value=MAX_RUNS, initial=1000)
    seed = forms.IntegerField(label=_("Seed (empty: a fresh one)"), required=False, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = default_roles()
        for slug, name in self.roles:
            self.fields[f"policy_{slug}"] = forms.ChoiceField(
                label=_("%(role)s plays") % {"role": name}, choices=POLICY_CHOICES
            )

    def policies(self) -> dict[str, str]:
        return {slug: self.cleaned_data[f"policy_{slug}"] for slug, _name in self.roles}


@staff_member_required
def lab_index(request):
    form = SimulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = simulation_create(
                policies=form.policies(),
                runs=data["runs"],
                seed=data["seed"],
                game_id=data["game"],
                turn=data["turn"],
                scenario_row=None if data["game"] else _released_row("lips-and-teeth-2025", None),
                title=data["title"],
                created_by=request.user,
            )
        except GameError as exc:
            form.add_error(None, localised(exc.message))
        else:
            return redirect("lab-job", simulation_id=job.pk)
    jobs = [
        {"job": job, "name": selectors.simulation_title(job)}
        for job in Simulation.objects.select_related("scenario").order_by("-pk")[:50]
    ]
    return render(
        request, "lab_index.html", {"form": form, "jobs": jobs}, status=400 if form.errors else 200
    )


RESULTS_SECONDS = 24 * 3600  # a done job's page: changes only with its real game
DOWNLOAD_SECONDS = 600  # tens of MB for a big job's CSV: kept for repeated clicks only
WAIT_SECONDS = 120  # for another request's computation of the same thing, then 503


@staff_member_required
def lab_job(request, simulation_id: int):
    job = _job(simulation_id)
    done = job.status == Simulation.Status.DONE
    try:
        results = _results(job) if done else None
    except StillMaking:
        return _still_making()
    context = {
        "job": job,
        "name": selectors.simulation_title(job),
        "progress": progress_data(job, chunks_done=job.results.count()),
        "results": results,
        "others": Simulation.objects.filter(status=Simulation.Status.DONE, scenario=job.scenario)
        .exclude(pk=job.pk)
        .order_by("-pk")[:20],
    }
    return render(request, "lab_job.html", context)


@staff_member_required
@require_POST
def lab_cancel(request, simulation_id: int):
    try:
        simulation_cancel(simulation_id=simulation_id)
    except GameError as exc:
        raise Http404 from exc
    return redirect("lab-job", simulation_id=simulation_id)


def _results(job: Simulation) -> dict:
    real = job.source_game
    key = f"lab-results:{job.pk}:{get_language()}:{real.last_seq if real else '-'}"
    return made_once(
        key,
        lambda: selectors.simulation_page(job, reads_done=release_database),
        keep=RESULTS_SECONDS,
        wait=WAIT_SECONDS,
    )


def _download(job: Simulation, kind: str, make) -> bytes | str:
    """A download of the job's runs. Kept once the job is done: a running job's grow chunk
    by chunk, and keeping each state of a big one (15 MB of CSV) would fill the cache."""
    compute = partial(make, job, reads_done=release_database)
    if job.status != Simulation.Status.DONE:
        return compute()
    key = f"lab-{kind}:{job.pk}:{job.runs_done}"
    return made_once(key, compute, keep=DOWNLOAD_SECONDS, wait=WAIT_SECONDS)


def _still_making() -> HttpResponse:
    return still_making(
        gettext("This is still being worked out for someone else. Try again in a moment.")
    )


@staff_member_required
def lab_csv(request, simulation_id: int):
    job = _job(simulation_id)
    try:
        runs = _download(job, "csv", selectors.simulation_csv)
    except StillMaking:
        return _still_making()
    response = HttpResponse(runs, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="simulation-{job.pk}-runs.csv"'
    return response


@staff_member_required
def lab_parquet(request, simulation_id: int):
    """The same table as the CSV, typed, for pandas, R or DuckDB."""
    job = _job(simulation_id)
    try:
        runs = _download(job, "parquet", selectors.simulation_parquet)
    except StillMaking:
        return _still_making()
    response = HttpResponse(runs, content_type="application/vnd.apache.parquet")
    response["Content-Disposition"] = f'attachment; filename="simulation-{job.pk}-runs.parquet"'
    return response


@staff_member_required
def lab_compare(request, simulation_id: int, other_id: int):
    a, b = _job(simulation_id), _job(other_id)
    if a.scenario_id != b.scenario_id:
        raise Http404
    key = f"lab-compare:{a.pk}:{a.runs_done}:{b.pk}:{b.runs_done}:{get_language()}"
    try:
        comparison = made_once(
            key,
            lambda: selectors.simulation_comparison(a, b, reads_done=release_database),
            keep=RESULTS_SECONDS,
            wait=WAIT_SECONDS,
        )
    except StillMaking:
        return _still_making()
    context = {"a": a, "b": b, "comparison": comparison}
    return render(request, "lab_compare.html", context)


def _job(simulation_id: int) -> Simulation:
    job = selectors.simulation_by_id(simulation_id)
    if job is None:
        raise Http404
    return job
