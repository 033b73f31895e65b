"""The debrief page, its notes and its PDF: who may open them, what they show, and a
bounded number of queries whatever the game's length."""

import io
import json
import re
import sys
import threading
import time
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from players.models import Seat
from tests.properties.test_query_counts import ALL_BOTS, game_after
from wargame.gamelog import check_log
from wargame.models import Game, Message, Turn
from wargame.selectors import game_log
from wargame.services.games import game_create, game_start
from wargame.services.logs import game_fork
from wargame.services.review import review_override

pytestmark = pytest.mark.django_db(transaction=True)


def join(client, code, name="Ada"):
    page = client.get("/join/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post("/join/", {"code": code, "name": name, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content
    return client


def finished_game(*, seated=None):
    """A 3-turn game played by bots to the end; `seated` (client, role) joins first, and
    the bot then plays that role for them."""
    bots = ALL_BOTS
    if seated:
        bots = [r for r in ALL_BOTS if r != seated[1]]
    game, codes = game_create(seed=5, turns=3, bots=bots, title="Table 4")
    if seated:
        join(seated[0], codes[seated[1]])
        Seat.objects.filter(game=game, role=seated[1]).update(kind=Seat.Kind.BOT)
    game_start(game_id=game.pk)
    game = Game.objects.get(pk=game.pk)
    assert game.status == "finished"
    return game, codes


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    html = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_facilitator_sees_the_debrief_with_timeline_charts_rules_and_talk(client):
    """The facilitator's debrief: the title, each turn by its month, the rules that fired by
    name with their section, an SVG chart per section, and the talk matrix's numbers."""
    game, codes = finished_game()
    for sender, to, turn in [
        ("seoul", ["beijing"], 1),
        ("seoul", ["beijing"], 2),
        ("moscow", ["all"], 3),
    ]:
        Message.objects.create(game=game, turn_number=turn, sender=sender, recipients=to, text="hi")
    join(client, codes["facilitator"], "Umpire")
    response = client.get(f"/games/{game.pk}/debrief/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "<h1>Table 4</h1>" in html
    for heading in ("Timeline of decisions", "Who talked to whom", "The rules that fired most"):
        assert heading in text
    assert "Turn 1: March 2025" in text and "Turn 3: May 2025" in text
    log = game_log(game)
    fired = log["turns"][0]["outcome"]["fired_rules"][0]
    assert fired["title"] in text and f"§{fired['section']}" in html
    assert html.count("<svg") >= 6 and 'role="img"' in html
    row = re.search(r"<tr><th scope=\"row\">Seoul</th>(.*?)</tr>", html.split('class="talk"')[1])
    cells = re.findall(r'<td class="num">(?:<strong>)?(\d+)', row.group(1))
    # Columns: Seoul, Beijing, Pyongyang, Washington, Moscow, Facilitator, All, Sent.
    assert cells == ["0", "2", "0", "0", "0", "0", "0", "2"]
    moscow = re.search(
        r"<tr><th scope=\"row\">Moscow</th>(.*?)</tr>", html.split('class="talk"')[1]
    )
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', moscow.group(1))[-2:] == ["1", "1"]
    assert f'action="/games/{game.pk}/debrief/notes/"' in html


def test_the_override_reason_is_in_the_debrief(client):
    """An umpire's override shows with its reason, in the turn and in the overrides list."""
    game, codes = game_create(seed=8, turns=2, bots=ALL_BOTS, umpire_review=True)
    game_start(game_id=game.pk)
    assert Turn.objects.get(game=game, number=1).status == "review"
    review_override(
        game_id=game.pk,
        reason="The launch failed on the pad",
        effects=[{"var": "tension", "add": -5}],
    )
    join(client, codes["facilitator"])
    text = text_of(client.get(f"/games/{game.pk}/debrief/"))
    assert text.count("The launch failed on the pad") == 2
    assert "tension −5" in text


def test_players_see_it_only_once_the_game_has_finished(client):
    """A player of a running game is told, on a branded page, that the debrief opens when
    the game ends (403; it knows the game exists); once it has finished, the debrief,
    without the notes form."""
    game, codes = game_create(seed=2, turns=3)
    join(client, codes["seoul"])
    for path in ("debrief/", "debrief.pdf", "replay/", "export/"):
        closed = client.get(f"/games/{game.pk}/{path}")
        assert closed.status_code == 403, path
        assert b"open when the game ends" in closed.content, path
        assert b"Traceback" not in closed.content
    Game.objects.filter(pk=game.pk).update(status="finished")
    response = client.get(f"/games/{game.pk}/debrief/")
    assert response.status_code == 200
    assert b"debrief/notes/" not in response.content


def test_strangers_get_404(client):
    """No seat, or a seat in another game: 404, as for a game that does not exist."""
    game, _ = finished_game()
    _, other_codes = game_create(seed=1)
    assert client.get(f"/games/{game.pk}/debrief/").status_code == 404
    join(client, other_codes["facilitator"])
    assert client.get(f"/games/{game.pk}/debrief/").status_code == 404
    assert client.post(f"/games/{game.pk}/debrief/notes/", {"notes": "x"}).status_code == 404
    assert client.get("/games/999999/debrief/").status_code == 404


def test_staff_see_any_debrief_and_may_write_notes(client):
    game, _ = finished_game()
    user = get_user_model().objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(user)
    response = client.get(f"/games/{game.pk}/debrief/")
    assert response.status_code == 200 and b"Save notes" in response.content


def test_facilitator_writes_notes_shown_in_the_debrief_and_the_log(client):
    """Saved notes appear in the debrief (escaped), and in the log, which still validates."""
    game, codes = finished_game()
    join(client, codes["facilitator"])
    note = "Seoul bet on APEC.\nDiscuss <b>C17</b> next week."
    response = client.post(f"/games/{game.pk}/debrief/notes/", {"notes": note})
    assert response.status_code == 302 and response.url == f"/games/{game.pk}/debrief/#notes"
    page = client.get(response.url).content.decode()
    assert "Seoul bet on APEC.<br>Discuss &lt;b&gt;C17&lt;/b&gt; next week." in page
    assert "Notes saved." in page
    log = game_log(Game.objects.get(pk=game.pk))
    assert log["game"]["notes"] == note
    check_log(log)


def test_notes_longer_than_the_limit_are_refused_with_a_clear_error(client):
    game, codes = finished_game()
    join(client, codes["facilitator"])
    response = client.post(f"/games/{game.pk}/debrief/notes/", {"notes": "x" * 20_001})
    assert response.status_code == 400
    assert "at most 20000 characters long (these are 20001)" in text_of(response)
    assert Game.objects.get(pk=game.pk).notes == ""


def test_players_cannot_write_notes(client):
    game, codes = finished_game(seated=(client, "seoul"))
    assert client.get(f"/games/{game.pk}/debrief/").status_code == 200
    response = client.post(f"/games/{game.pk}/debrief/notes/", {"notes": "mine now"})
    assert response.status_code == 403
    assert Game.objects.get(pk=game.pk).notes == ""


def test_notes_need_the_csrf_token():
    """A cross-site form cannot write the notes: the POST without a token is refused."""
    game, codes = finished_game()
    client = join(Client(enforce_csrf_checks=True), codes["facilitator"])
    response = client.post(f"/games/{game.pk}/debrief/notes/", {"notes": "forged"})
    assert response.status_code == 403
    assert Game.objects.get(pk=game.pk).notes == ""
    page = client.get(f"/games/{game.pk}/debrief/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(
        f"/games/{game.pk}/debrief/notes/", {"notes": "real", "csrfmiddlewaretoken": token[1]}
    )
    assert response.status_code == 302
    assert Game.objects.get(pk=game.pk).notes == "real"


def test_the_debrief_of_a_fork_starts_at_the_parent_turn(client):
    """A fork's debrief: the start is the parent's turn, turns follow from there, and each
    game links to the other's debrief."""
    parent, _ = finished_game()
    fork, codes = game_fork(game_id=parent.pk, turn=1, bots=ALL_BOTS)
    game_start(game_id=fork.pk)
    join(client, codes["facilitator"])
    response = client.get(f"/games/{fork.pk}/debrief/")
    assert response.status_code == 200
    text = text_of(response)
    assert f"Start (fork of game {parent.pk} after turn 1)" in response.content.decode()
    assert "Turn 2: April 2025" in text and "Turn 1: March 2025" not in text
    assert f'href="/games/{parent.pk}/debrief/"' in response.content.decode()
    staff = get_user_model().objects.create_user("t", password="pw", is_staff=True)
    client.force_login(staff)
    assert (
        f'href="/games/{fork.pk}/debrief/"'
        in client.get(f"/games/{parent.pk}/debrief/").content.decode()
    )
    pytest.importorskip("weasyprint")
    printed = client.get(f"/games/{fork.pk}/debrief.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    assert "Turn 2: April 2025" in pdf_text(printed.content)


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_debrief_queries_are_the_same_at_turn_1_and_turn_10_with_1000_messages():
    """The debrief of a 1-turn game and of a 10-turn game with 1,000 messages cost the same
    number of queries (read the log once; nothing per turn, per message or per rule)."""
    short, short_codes = game_after(1, 0)
    long, long_codes = game_after(10, 1000)
    assert long.current_turn == 10 and Message.objects.filter(game=long).count() == 1000
    small = queries(join(Client(), short_codes["facilitator"]), f"/games/{short.pk}/debrief/")
    large_client = join(Client(), long_codes["facilitator"])
    large = queries(large_client, f"/games/{long.pk}/debrief/")
    assert large == small
    assert large <= 15
    page = large_client.get(f"/games/{long.pk}/debrief/").content.decode()
    # add_messages: 1,000 from Seoul to everyone.
    seoul = re.search(r"<tr><th scope=\"row\">Seoul</th>(.*?)</tr>", page.split('class="talk"')[1])
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', seoul.group(1))[-2:] == [
        "1000",
        "1000",
    ]


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf", reason="reads the PDF's text (requirements/dev.txt)")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_pdf_has_the_title_the_notes_and_the_charts(client):
    """The PDF is a PDF, with the game's title, the facilitator's notes and the charts'
    text (axis and legend labels drawn as SVG)."""
    pytest.importorskip("weasyprint")
    game, codes = finished_game(seated=(client, "seoul"))
    Game.objects.filter(pk=game.pk).update(notes="Talk about the Hanoi memory.")
    response = client.get(f"/games/{game.pk}/debrief.pdf")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="debrief-game-{game.pk}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Table 4" in text
    assert "Talk about the Hanoi memory." in text
    assert "Military tension on the peninsula" in text  # a chart's legend
    assert "hostile −100 to +100 friendly" in text  # the relations charts' axis title
    assert "Save notes" not in text and "Facilitator login" not in text


def test_without_pango_the_pdf_answers_503_and_says_to_print(client, monkeypatch):
    """WeasyPrint's system libraries missing: 503 with what to do instead."""
    game, codes = finished_game()
    join(client, codes["facilitator"])
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import raises ImportError
    response = client.get(f"/games/{game.pk}/debrief.pdf")
    assert response.status_code == 503
    assert "Print, then Save as PDF" in response.content.decode()


def test_console_links_the_debrief_and_players_see_the_link_once_finished(client):
    """The facilitator's console always links the debrief; a player's page links it only
    once the game has finished."""
    game, codes = game_create(seed=2, turns=3)
    link = f'href="/games/{game.pk}/debrief/"'
    facilitator = join(Client(), codes["facilitator"])
    assert link in facilitator.get(f"/games/{game.pk}/").content.decode()
    join(client, codes["seoul"])
    page = client.get(f"/games/{game.pk}/").content.decode()
    # Present but hidden until the game is over (the socket's game.finished unhides it).
    assert re.search(rf'<p class="debrief-link" id="review-links" hidden><a {link}', page)
    Game.objects.filter(pk=game.pk).update(status="finished")
    page = client.get(f"/games/{game.pk}/").content.decode()
    assert re.search(rf'<p class="debrief-link" id="review-links"><a {link}', page)


def test_the_pdf_reads_only_our_static_files():
    """WeasyPrint's fetcher: our stylesheets by name, nothing from elsewhere or above."""
    from wargame.web.pages.debrief import PDF_BASE, static_name, static_path

    assert static_name(f"{PDF_BASE}static/css/print.css") == "css/print.css"
    assert static_path("css/print.css").read_text().startswith("/* Print")
    assert static_name(f"{PDF_BASE}static/../wargame/settings/__init__.py") is None
    assert static_name("http://example.com/static/css/print.css") is None
    assert static_name("file:///etc/passwd") is None
    assert static_path("css/no-such.css") is None


def test_a_pdf_is_made_once_and_again_when_the_notes_change(client, monkeypatch):
    """The second download is the cached PDF; new notes make a new one."""
    import weasyprint

    game, codes = finished_game()
    join(client, codes["facilitator"])
    first = client.get(f"/games/{game.pk}/debrief.pdf").content
    made = []

    class Stub:
        def __init__(self, string, **kwargs):
            made.append(string)

        def write_pdf(self):
            return b"%PDF-stub"

    monkeypatch.setattr(weasyprint, "HTML", Stub)
    assert client.get(f"/games/{game.pk}/debrief.pdf").content == first and made == []
    client.post(f"/games/{game.pk}/debrief/notes/", {"notes": "Second thoughts"})
    assert client.get(f"/games/{game.pk}/debrief.pdf").content == b"%PDF-stub"
    assert len(made) == 1 and "Second thoughts" in made[0]


def test_notes_service_normalises_line_endings_and_refuses_unknown_games():
    from wargame.errors import NotFound
    from wargame.services.notes import game_notes_set

    game, _ = game_create(seed=1)
    assert game_notes_set(game_id=game.pk, notes="\r\nFirst\r\nSecond\r\n\r\n") == "First\nSecond"
    assert Game.objects.get(pk=game.pk).notes == "First\nSecond"
    with pytest.raises(NotFound):
        game_notes_set(game_id=999_999, notes="x")


# PostgreSQL: SQLite's in-memory test database ignores being closed (it would be lost).
@pytest.mark.services
def test_a_class_downloading_at_once_gets_one_pdf_laid_out_with_no_connection_held(monkeypatch):
    """Six people ask for the same debrief's PDF at the same moment (a class at the end of
    its game): one PDF is made and all six get it, and it is laid out with this thread's
    database connection given back: live requests on the same web process need them
    (bench.downloads: eight such downloads once made eight PDFs side by side, and a live
    API call waited 13 s for a connection)."""
    import weasyprint

    from wargame.services.logs import game_import
    from wargame.web import made_once

    golden = Path(__file__).parents[1] / "gamelog" / "golden"
    log = json.loads(sorted(golden.glob("*.json"))[0].read_text(encoding="utf-8"))
    game, _ = game_import(document=log)  # finished, with no worker needed
    staff = get_user_model().objects.create_user("white-cell", password="x", is_staff=True)
    clients = [Client() for _ in range(6)]
    for each in clients:
        each.force_login(staff)
    renders = []

    class Spy(weasyprint.HTML):
        def write_pdf(self, *args, **kwargs):
            renders.append(connection.connection is None)
            time.sleep(0.5)  # a long render: the others arrive meanwhile
            return super().write_pdf(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Spy)
    monkeypatch.setattr(made_once, "POLL_SECONDS", 0.02)
    answers, start = [], threading.Barrier(len(clients))

    def download(each: Client) -> None:
        try:
            start.wait()
            answers.append(each.get(f"/games/{game.pk}/debrief.pdf"))
        finally:
            connection.close()

    threads = [threading.Thread(target=download, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1 and answers[0].content.startswith(b"%PDF")
    assert renders == [True]


def test_a_pdf_still_being_made_elsewhere_answers_503_with_retry_after(client, monkeypatch):
    from django.core.cache import cache

    from wargame.web.pages import debrief

    game, codes = finished_game()
    join(client, codes["facilitator"])
    key = debrief._pdf_cache_key(game, [])
    cache.add(f"{key}:making", 1, 60)  # another web process is making it
    monkeypatch.setattr(debrief, "PDF_WAIT_SECONDS", 0.2)
    try:
        response = client.get(f"/games/{game.pk}/debrief.pdf")
    finally:
        cache.delete(f"{key}:making")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "still being made" in response.content.decode()
