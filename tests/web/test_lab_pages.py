"""The lab's pages (staff): start a job from a game's turn, read its results, compare,
download the runs; nobody else gets in."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.support.lab_jobs import half_played_job
from wargame.models import Simulation
from wargame.services.games import game_create, game_start

pytestmark = pytest.mark.django_db(transaction=True)


def form(**extra):
    data = {"runs": 40, "seed": 8, "title": "Continuations"}
    data.update(
        {f"policy_{r}": "random" for r in ("seoul", "beijing", "pyongyang", "washington", "moscow")}
    )
    data.update(extra)
    return data


def test_an_analyst_forks_a_game_at_a_turn_and_reads_the_results(staff):
    """From turn 2 of a finished 4-turn bot game: the job runs, the page shows the event
    probabilities, the final values with the real game's percentile, and the charts."""
    game, _ = game_create(
        turns=4, seed=3, bots=["seoul", "beijing", "pyongyang", "washington", "moscow"]
    )
    game_start(game_id=game.pk)
    response = staff.post("/lab/", form(game=game.pk, turn=2))
    assert response.status_code == 302
    job = Simulation.objects.get()
    page = staff.get(response["Location"]).content.decode()
    assert job.status == "done" and job.runs_done == 40
    assert f"From game {game.pk} after turn 2" in page
    assert "How likely each event is" in page and "Xi at APEC in Gyeongju" in page
    assert "The real game" in page and "its percentile" in page
    assert "Military tension on the peninsula: spread over 40 runs" in page
    csv_text = staff.get(f"/lab/{job.pk}/runs.csv").content.decode()
    assert len(csv_text.strip().splitlines()) == 41


def test_doctrine_continuations_of_a_finished_game_from_turn_5(staff):
    """The issue's analyst: a finished 10-turn game forked after turn 5, every role played
    by doctrine; one page says how likely each ending is, marks the ending the real game
    had, places its final values, and offers the runs as CSV and Parquet (the same rows)."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    roles = ("seoul", "beijing", "pyongyang", "washington", "moscow")
    game, _ = game_create(turns=10, seed=12, bots=list(roles))
    game_start(game_id=game.pk)
    game.refresh_from_db()
    assert game.status == "finished"
    policies = {f"policy_{r}": "doctrine" for r in roles}
    response = staff.post("/lab/", form(game=game.pk, turn=5, runs=30, **policies))
    assert response.status_code == 302
    job = Simulation.objects.get()
    assert job.policies == dict.fromkeys(roles, "doctrine")
    assert job.status == "done" and job.runs_done == 30 and job.last_turn == 10
    page = staff.get(response["Location"]).content.decode()
    assert f"From game {game.pk} after turn 5" in page
    assert "How the year ends" in page
    ukraine = game.state["ukraine_war"]
    assert f"The war in Ukraine: {ukraine}</td>" in page
    row = page.split(f"The war in Ukraine: {ukraine}</td>")[1].split("</tr>")[0]
    assert "%" in row and "ended here" in row
    assert page.count("ended here") == 4  # one ending per enumeration: the real game's
    assert "The real game" in page and "its percentile" in page
    assert "Military tension on the peninsula: spread over 30 runs" in page
    assert f"/lab/{job.pk}/runs.parquet" in page and f"/lab/{job.pk}/runs.csv" in page
    download = staff.get(f"/lab/{job.pk}/runs.parquet")
    assert download["Content-Disposition"].endswith(f'simulation-{job.pk}-runs.parquet"')
    table = pq.read_table(pa.BufferReader(b"".join(download)))
    rows = list(csv.reader(io.StringIO(staff.get(f"/lab/{job.pk}/runs.csv").content.decode())))
    assert table.column_names == rows[0] and table.num_rows == 30
    cells = [["" if v is None else str(v) for v in r.values()] for r in table.to_pylist()]
    assert cells == rows[1:]


def test_two_jobs_compared(staff):
    staff.post("/lab/", form())
    staff.post("/lab/", form(seed=9, policy_seoul="doctrine", runs=5))
    a, b = Simulation.objects.order_by("pk")
    page = staff.get(f"/lab/{a.pk}/compare/{b.pk}/").content.decode()
    assert f"Simulation {a.pk} against simulation {b.pk}" in page
    assert "A US-DPRK summit" in page and "95% interval" in page


def test_bad_parameters_are_refused_on_the_form(staff):
    response = staff.post("/lab/", form(game=999, turn=1))
    assert response.status_code == 400
    assert "No game 999" in response.content.decode()
    assert not Simulation.objects.exists()


def test_the_lab_is_for_staff_only(client):
    assert client.get("/lab/").status_code == 302  # to the login page
    user = get_user_model().objects.create_user("player", password="pw")
    client.force_login(user)
    assert client.get("/lab/").status_code == 302


def main_of(page: str) -> str:
    """The page's <main>, without what differs per response (form tokens, nonces)."""
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'(value|nonce)="[^"]*"', "", main)


@pytest.fixture
def counted(monkeypatch):
    """How many times each of the lab's computations ran (the pure `review.lab`'s)."""
    from django.core.cache import cache

    from wargame.review import lab

    cache.clear()
    calls: dict[str, int] = {}
    for name in ("job_results", "records_csv", "records_parquet", "compare_jobs"):
        real = getattr(lab, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(lab, name, counting)
    yield calls
    cache.clear()


def test_a_done_jobs_results_and_downloads_are_worked_out_once(staff, counted):
    """A big job's page takes seconds to work out (11 s for 100,000 runs), and a done
    job's runs never change: looking again, downloading again or comparing again reads
    what was worked out the first time, with the same content."""
    staff.post("/lab/", form())
    staff.post("/lab/", form(seed=9, runs=5))
    a, b = Simulation.objects.order_by("pk")
    pages = [main_of(staff.get(f"/lab/{a.pk}/").content.decode()) for _ in range(3)]
    assert "How likely each event is" in pages[0] and pages[0] == pages[1] == pages[2]
    csvs = [staff.get(f"/lab/{a.pk}/runs.csv").content for _ in range(2)]
    parquets = [b"".join(staff.get(f"/lab/{a.pk}/runs.parquet")) for _ in range(2)]
    compares = [
        main_of(staff.get(f"/lab/{a.pk}/compare/{b.pk}/").content.decode()) for _ in range(2)
    ]
    assert csvs[0] == csvs[1] and len(csvs[0].decode().strip().splitlines()) == 41
    assert parquets[0] == parquets[1] and compares[0] == compares[1]
    assert counted == {"job_results": 1, "records_csv": 1, "records_parquet": 1, "compare_jobs": 1}


def test_the_results_are_worked_out_again_in_korean_and_when_the_real_game_moves(staff, counted):
    """Kept per language (the page's words are in it) and per state of the real game the
    runs are placed against (it may still be played on after the fork)."""
    game, _ = game_create(turns=4, seed=3, bots=["seoul", "beijing", "pyongyang", "washington"])
    game_start(game_id=game.pk)
    staff.post("/lab/", form(game=game.pk, turn=1, runs=10))
    job = Simulation.objects.get()
    english = staff.get(f"/lab/{job.pk}/").content.decode()
    korean = staff.get(f"/lab/{job.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "How likely each event is" in english and "How likely each event is" not in korean
    assert counted["job_results"] == 2
    staff.get(f"/lab/{job.pk}/")
    assert counted["job_results"] == 2
    from wargame.models import Game

    Game.objects.filter(pk=game.pk).update(last_seq=game.last_seq + 100)  # played on
    staff.get(f"/lab/{job.pk}/")
    assert counted["job_results"] == 3


def test_a_running_jobs_download_has_the_runs_stored_so_far(staff, counted):
    """While a job runs, each download is made afresh from the runs stored by then."""
    from wargame.services.simulations import simulation_chunk_run

    job, queued = half_played_job()

    def rows() -> int:
        return len(staff.get(f"/lab/{job.pk}/runs.csv").content.decode().strip().splitlines())

    assert rows() == 11 and rows() == 11
    simulation_chunk_run(simulation_id=job.pk, index=queued)
    assert rows() == 21


def test_without_a_worker_a_job_is_played_behind_its_request(staff, monkeypatch):
    """The embedded mode (scripts/run): the request that starts a job answers before the
    job has played, and a thread plays it chunk by chunk (Celery's eager mode played all
    of it inside the request, and nobody saw the progress bar move)."""
    import time

    from wargame.jobs import embedded_lab
    from wargame.services import ports

    monkeypatch.setattr(ports._ports, "simulate", embedded_lab.queue_chunk_in_thread)
    response = staff.post("/lab/", form(runs=2000))
    job = Simulation.objects.get()
    assert response.status_code == 302
    assert job.runs_done < 2000 and job.status in ("queued", "running")
    deadline = time.monotonic() + 120
    while not embedded_lab.idle():
        assert time.monotonic() < deadline, "the job was never played"
        time.sleep(0.05)
    job.refresh_from_db()
    assert (job.status, job.runs_done) == ("done", 2000)
    assert "How likely each event is" in staff.get(response["Location"]).content.decode()
