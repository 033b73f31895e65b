"""The analyst's lab speaks the analyst's language: a Korean analyst reads a job's status,
its key events, its endings (each enumeration's label and value), its variables, roles and
turns, and its charts in Korean on the job page, the job list and the comparison; an
English analyst reads the same pages in English; the downloads stay the same codes."""

import html
import json
import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from tests.support.lab_jobs import half_played_job
from wargame.engine.loader import SCENARIO_DIR
from wargame.models import Simulation
from wargame.services.games import game_create, game_start

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("seoul", "beijing", "pyongyang", "washington", "moscow")
KO = json.loads((SCENARIO_DIR / "lips-and-teeth-2025" / "v2.ko.json").read_text("utf-8"))["texts"]
# What the lab says in English (its own words and the scenario's), none of which a Korean
# analyst should meet.
ENGLISH = (
    "Done",
    "Lips and Teeth, 2025",
    "A US-DPRK summit",
    "A ceasefire in Ukraine",
    "A DPRK nuclear test",
    "Xi at APEC in Gyeongju",
    "The war in Ukraine",
    "US-DPRK dialogue",
    "Military tension on the peninsula",
    "Seoul's say in peninsula affairs",
    "Beijing–Moscow",
    "Seoul's score",
    "May 2025",
    "25th",
    "lowest",
)
# The key events in Korean, as the catalog says them (the scenario's own words for them).
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KEY_EVENTS_KO = ("북미 정상회담", "우크라이나 휴전", "북한의 핵실험", "시진핑의 경주 APEC 참석")


def ko(key: str) -> str:
    return KO[key]["text"]


@pytest.fixture
def jobs(staff):
    """A done job forked from turn 2 of a finished bot game, and a done job from the
    scenario's start (the one to compare it with)."""
    game, _ = game_create(turns=4, seed=3, bots=list(ROLES))
    game_start(game_id=game.pk)
    form = {"runs": 12, "seed": 8, "title": "", **{f"policy_{r}": "random" for r in ROLES}}
    assert staff.post("/lab/", {**form, "game": game.pk, "turn": 2}).status_code == 302
    assert staff.post("/lab/", {**form, "seed": 9}).status_code == 302
    a, b = Simulation.objects.order_by("pk")
    assert a.status == b.status == "done"
    game.refresh_from_db()
    return game, a, b


def get(client, path: str, language: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def seen(page: str) -> str:
    """What a reader meets in the page's <main>: its text, the charts' titles and
    descriptions (a screen reader says them), without markup."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def latin_words(text: str) -> set[str]:
    """Words in Latin letters, save acronyms (APEC, DPRK: the Korean texts keep them) and
    the download's format name."""
    return {w for w in re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", text) if w != "Parquet"}


def test_a_done_jobs_page_in_korean_and_in_english(staff, jobs):
    """Status, key events, endings, variables, roles, turns and charts: every word of the
    results page is Korean for a Korean analyst, the scenario's texts as its Korean
    translation gives them; the English analyst reads what was there before (an ending's
    value as the document names it). The downloads are data: the same bytes in either
    language, codes for the enumerations' values."""
    game, job, _other = jobs
    page = get(staff, f"/lab/{job.pk}/", "ko")
    text = seen(page)
    assert '<span id="lab-status">완료</span>' in page
    for label in KEY_EVENTS_KO:
        assert f"<td>{label}</td>" in page
    war = ko("variables.ukraine_war.label")
    ended = ko(f"variables.ukraine_war.values.{game.state['ukraine_war']}")
    row = page.split(f"<td>{war}: {ended}</td>")[1].split("</tr>")[0]
    assert "이렇게 끝남" in row  # the real game's own ending, marked ("ended here")
    for value in ("ongoing", "ceasefire", "ended"):
        assert f"<td>{war}: {ko(f'variables.ukraine_war.values.{value}')}</td>" in page
    dialogue = ko("variables.us_dprk_dialogue.label")
    assert f"<td>{dialogue}: {ko('variables.us_dprk_dialogue.values.summit')}</td>" in page
    assert f"<td>{ko('variables.tension.label')}</td>" in page
    assert f"<td>{ko('roles.beijing.name')}–{ko('roles.moscow.name')} 관계</td>" in page
    assert f"<td>{ko('roles.seoul.name')}의 점수</td>" in page
    assert ko("turns.labels.3") in text  # the charts' turns (June 2025)
    assert ko("title") in text  # the job's name: its scenario's title
    for english in ENGLISH:
        assert english not in text, english
    assert latin_words(text) == set()

    page = get(staff, f"/lab/{job.pk}/", "en")
    assert '<span id="lab-status">Done</span>' in page
    assert "<td>A US-DPRK summit</td>" in page and "<td>Xi at APEC in Gyeongju</td>" in page
    assert f"<td>The war in Ukraine: {game.state['ukraine_war']}</td>" in page
    assert "<td>US-DPRK dialogue: summit</td>" in page
    assert "<td>Military tension on the peninsula</td>" in page
    assert "<td>Beijing–Moscow relations</td>" in page and "<td>Seoul&#x27;s score</td>" in page
    assert "25th" in page and "June 2025" in page and "Lips and Teeth, 2025" in page
    assert not HANGUL.search(seen(page))

    csv = {lang: get(staff, f"/lab/{job.pk}/runs.csv", lang) for lang in ("ko", "en")}
    parquet = {
        lang: b"".join(staff.get(f"/lab/{job.pk}/runs.parquet", HTTP_ACCEPT_LANGUAGE=lang))
        for lang in ("ko", "en")
    }
    assert csv["ko"] == csv["en"] and parquet["ko"] == parquet["en"]
    assert not HANGUL.search(csv["ko"])
    header, first = csv["ko"].splitlines()[:2]
    assert "ukraine_war" in header and "event:us_dprk_summit" in header
    code = first.split(",")[header.split(",").index("ukraine_war")]
    assert code in ("ongoing", "ceasefire", "ended")  # the value's code, not its label


def test_the_job_list_in_korean_and_in_english(staff, jobs):
    """The list's status column says the status in the reader's language, and a job
    without a title is named by its scenario's title in that language."""
    _game, a, b = jobs
    page = get(staff, "/lab/", "ko")
    for job in (a, b):
        row = page.split(f'href="/lab/{job.pk}/"')[1].split("</tr>")[0]
        assert ko("title") in row and "<td>완료</td>" in row
    text = seen(page)
    assert "Done" not in text and "Lips and Teeth" not in text
    assert latin_words(text) == set()
    page = get(staff, "/lab/", "en")
    for job in (a, b):
        row = page.split(f'href="/lab/{job.pk}/"')[1].split("</tr>")[0]
        assert "Lips and Teeth, 2025" in row and "<td>Done</td>" in row


def test_the_comparison_in_korean_and_in_english(staff, jobs):
    """Key events and final values compared, each named in the reader's language."""
    _game, a, b = jobs
    page = get(staff, f"/lab/{a.pk}/compare/{b.pk}/", "ko")
    for label in KEY_EVENTS_KO:
        assert f"<td>{label}</td>" in page
    assert f"<td>{ko('variables.sanctions_enforcement.label')}</td>" in page
    assert f"<td>{ko('roles.pyongyang.name')}–{ko('roles.seoul.name')} 관계</td>" in page
    assert f"<td>{ko('roles.washington.name')}의 점수</td>" in page
    text = seen(page)
    for english in ENGLISH:
        assert english not in text, english
    assert latin_words(text) == set()
    page = get(staff, f"/lab/{a.pk}/compare/{b.pk}/", "en")
    assert "<td>A DPRK nuclear test</td>" in page and "<td>DPRK economic health</td>" in page
    assert "<td>Pyongyang–Seoul relations</td>" in page
    assert not HANGUL.search(seen(page))


def test_a_running_jobs_progress_in_korean_and_in_english(staff):
    """Half played: the status, the time left and the cancel button in the reader's
    language (the seconds too: "초", not "s")."""
    job, _queued = half_played_job()
    page = get(staff, f"/lab/{job.pk}/", "ko")
    assert '<span id="lab-status">진행 중</span>' in page
    assert re.search(r'<span id="lab-left">[\d.]+초</span>', page)
    text = seen(page)
    assert "취소" in text and ko("title") in text
    assert latin_words(text) == set()
    index = get(staff, "/lab/", "ko")
    assert "<td>진행 중</td>" in index and "Running" not in seen(index)
    page = get(staff, f"/lab/{job.pk}/", "en")
    assert '<span id="lab-status">Running</span>' in page
    assert re.search(r'<span id="lab-left">[\d.]+ s</span>', page)


def test_each_status_has_a_korean_label():
    """The five statuses a job can have, as the lab's list and page say them; and a
    game's, as the home and facilitator pages' game lists say them (the class
    dashboard's words for them)."""
    from django.utils import translation

    from wargame.models import Game

    with translation.override("ko"):
        jobs = {s.value: str(s.label) for s in Simulation.Status}
        games = {s.value: str(s.label) for s in Game.Status}
    assert jobs == {
        "queued": "대기 중",
        "running": "진행 중",
        "done": "완료",
        "cancelled": "취소됨",
        "failed": "실패",
    }
    assert games == {
        "lobby": "대기 중",
        "running": "진행 중",
        "paused": "일시 정지",
        "finished": "종료",
    }
    with translation.override("en"):
        assert [str(s.label) for s in Game.Status] == ["Lobby", "Running", "Paused", "Finished"]


@pytest.fixture
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


@pytest.mark.parametrize(("language", "label"), [("ko", "완료"), ("en", "Done")])
def test_the_progress_socket_says_the_status_in_the_pages_language(
    staff, jobs, fresh_channel_layer, language, label
):
    """The bar's live status (static/js/lab.js writes `status_label`): the job's row on
    connecting and each published progress message carry the status in the socket's
    language, beside the `status` code."""
    from wargame.asgi import application
    from wargame.realtime.simulations import progress_message, simulation_group

    _game, job, _other = jobs
    headers = [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"cookie", f"sessionid={staff.cookies['sessionid'].value}".encode()),
        (b"accept-language", language.encode()),
    ]

    async def scenario():
        socket = WebsocketCommunicator(application, f"/ws/lab/{job.pk}/", headers=headers)
        connected, _ = await socket.connect()
        assert connected
        first = json.loads(await socket.receive_from())
        published = {"simulation": job.pk, "status": "running", "done": 3, "chunks_done": 1}
        await get_channel_layer().group_send(simulation_group(job.pk), progress_message(published))
        second = json.loads(await socket.receive_from())
        await socket.disconnect()
        return first, second

    first, second = async_to_sync(scenario)()
    assert first["data"]["status"] == "done" and first["data"]["status_label"] == label
    running = {"ko": "진행 중", "en": "Running"}[language]
    assert second["data"]["status"] == "running" and second["data"]["status_label"] == running


def test_a_long_turn_label_at_the_charts_end_stays_inside_it():
    """The fan charts' last turn, "2025년 12월" (or "December 2025"), was centred on the
    plot's right edge and cut off by the chart's border; it now ends there. A short label
    (a turn number, as the debrief's charts have) stays centred."""
    from wargame.review.charts import Series, line_chart

    def ticks(labels):
        svg = line_chart(
            title="t", series=[Series("a", [1, 2, 3])], x_values=[1, 2, 3], x_labels=labels
        )
        return re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="(\w+)"[^>]*>([^<]*)<', svg)

    assert ("end", ko("turns.labels.9")) in ticks([ko(f"turns.labels.{i}") for i in (7, 8, 9)])
    assert ("end", "December 2025") in ticks(["October 2025", "November 2025", "December 2025"])
    assert ("middle", "3") in ticks(["1", "2", "3"])
