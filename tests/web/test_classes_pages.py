"""The classroom pages: a teacher creates a class and runs it from its dashboard; students
join by the class link; another teacher gets 404 on every class page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from players.models import Participant
from players.selectors import TEACHERS
from wargame.models import Classroom, Game
from wargame.services.classes import class_create, class_join

pytestmark = pytest.mark.django_db


def teacher_client(name: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_user(name, password="pw")
    Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def kim():
    return teacher_client("ms-kim")


def test_a_teacher_creates_a_class_from_the_form_and_lands_on_its_dashboard(kim):
    client, user = kim
    response = client.post(
        "/classes/",
        {"title": "Period 3", "scenario": "lips-and-teeth-2025:1", "tables": 3, "turns": 4,
         "deadline": 5, "bots": "on"},
    )  # fmt: skip
    classroom = Classroom.objects.get()
    assert response.status_code == 302 and response.url == f"/classes/{classroom.pk}/"
    page = client.get(response.url).content.decode()
    assert "Period 3" in page and classroom.code in page and "<svg" in page
    assert page.count('class="card class-table"') == 3
    assert set(Game.objects.values_list("deadline_seconds", flat=True)) == {300}


def test_a_bad_table_count_is_refused_by_the_form_and_nothing_is_made(kim):
    client, _user = kim
    response = client.post("/classes/", {"title": "X", "scenario": "lips-and-teeth-2025:1",
                                         "tables": 41, "turns": 4})  # fmt: skip
    assert response.status_code == 400
    assert Classroom.objects.count() == 0


def test_another_teachers_class_answers_404_on_every_class_page(kim):
    client, user = kim
    rival, _ = teacher_client("mr-lee")
    classroom = class_create(teacher=user, tables=1)
    c = classroom.pk
    game = classroom.tables.get().game_id
    for path in (f"/classes/{c}/", f"/classes/{c}/sheet/", f"/classes/{c}/tables/{game}/"):
        assert rival.get(path).status_code == 404, path
        assert client.get(path).status_code == 200, path
    for path in ("control", "roster", "move"):
        assert rival.post(f"/classes/{c}/{path}/", {"action": "start"}).status_code == 404
    assert Game.objects.filter(status="running").count() == 0
    assert classroom.code not in rival.get("/classes/").content.decode()


def test_a_student_joins_by_the_class_link_and_reopening_it_returns_the_same_seat(kim):
    _client, user = kim
    classroom = class_create(teacher=user, tables=2)
    student = Client()
    link = f"/class/{classroom.code}/"
    assert student.get(link).status_code == 200
    response = student.post(link, {"name": "Ada"})
    ada = Participant.objects.get(name="Ada")
    assert response.status_code == 302 and response.url == f"/games/{ada.seat.game_id}/"
    again = student.get(link)
    assert again.status_code == 302 and again.url == response.url
    assert Participant.objects.count() == 1
    page = student.get(response.url).content.decode()
    assert "Ada" in page


def test_a_wrong_class_code_is_404_and_throttled_like_join_codes(settings):
    settings.LT_RATE_JOIN_FAILURES = "2/m"
    student = Client(REMOTE_ADDR="203.0.113.77")
    assert student.get("/class/WRONGCOD/").status_code == 404
    assert student.get("/class/WRONGCO2/").status_code == 404
    assert student.get("/class/WRONGCO3/").status_code == 404  # the third failure is counted
    refused = student.get("/class/WRONGCO4/")
    assert refused.status_code == 429
    assert "Too many wrong join codes" in refused.content.decode()


def test_the_dashboard_starts_pauses_and_injects_across_tables(kim):
    client, user = kim
    classroom = class_create(teacher=user, tables=2, bots=False)
    class_join(code=classroom.code, name="Ada")
    url = f"/classes/{classroom.pk}/control/"
    client.post(url, {"action": "start"})
    assert set(Game.objects.values_list("status", flat=True)) == {"running"}
    client.post(url, {"action": "inject", "text": "Typhoon", "tables": ["2"]})
    client.post(url, {"action": "pause"})
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert set(Game.objects.values_list("status", flat=True)) == {"paused"}
    assert "Done at tables 1, 2." in page
    table_two = classroom.tables.get(number=2).game
    assert list(table_two.injects.values_list("label", flat=True)) == ["Typhoon"]


def test_a_roster_with_a_bad_row_is_refused_by_its_line_on_the_dashboard(kim):
    client, user = kim
    classroom = class_create(teacher=user, tables=2)
    upload = SimpleUploadedFile("r.csv", b"name,table,role\nAda,1,seoul\nBo,9,moscow\n")
    response = client.post(f"/classes/{classroom.pk}/roster/", {"roster": upload}, follow=True)
    assert "line 3: table &#x27;9&#x27;" in response.content.decode()
    assert classroom.roster.count() == 0


def test_the_dashboard_makes_the_same_queries_for_two_tables_as_for_eight(kim):
    client, user = kim

    def queries(tables: int) -> int:
        classroom = class_create(teacher=user, tables=tables)
        for i in range(tables):
            class_join(code=classroom.code, name=f"S{tables}-{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/classes/{classroom.pk}/").status_code == 200
        return len(ctx.captured_queries)

    assert queries(2) == queries(8)


def test_the_dashboard_raises_alerts_for_empty_tables_one_seat_waits_and_absences(kim):
    from datetime import timedelta

    from django.utils import timezone

    from wargame.models import SeatAway
    from wargame.services.classes import class_start_all
    from wargame.services.moves import role_lock

    client, user = kim
    classroom = class_create(teacher=user, tables=2, bots=False)
    ada = class_join(code=classroom.code, name="Ada")
    bo = class_join(code=classroom.code, name="Bo")
    class_start_all(classroom=classroom)
    role_lock(game_id=ada.seat.game_id, role=ada.seat.role)
    SeatAway.objects.create(
        game_id=bo.seat.game_id, role=bo.seat.role, since=timezone.now() - timedelta(minutes=2)
    )
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    bo_label = "Beijing" if bo.seat.role == "beijing" else bo.seat.role
    assert f"Waiting on one seat: {bo_label}." in page
    assert f"{bo_label} disconnected for over a minute." in page
    assert page.count("No students at this table.") == 1  # table 2


def test_the_class_debrief_compares_finished_tables_with_the_reference_log(
    kim, django_capture_on_commit_callbacks
):
    """Two tables of bots play two turns to the end: the debrief ranks them, links each
    table's debrief, plots every variable with the reference log's diamond, and the class
    CSV has a row per table, turn and variable."""
    from wargame.services.classes import class_start_all

    client, user = kim
    classroom = class_create(teacher=user, tables=2, turns=2)
    with django_capture_on_commit_callbacks(execute=True):
        class_start_all(classroom=classroom)
    assert set(Game.objects.values_list("status", flat=True)) == {"finished"}
    page = client.get(f"/classes/{classroom.pk}/debrief/").content.decode()
    games = list(classroom.tables.values_list("game_id", flat=True))
    for game in games:
        assert f'href="/games/{game}/debrief/"' in page
    assert "2025 as it happened" in page and 'class="chart class-strip"' in page
    assert page.count("<circle") >= 2 * 15  # a dot per table for each numeric variable
    assert "Where the tables diverged" in page
    csv_text = client.get(f"/classes/{classroom.pk}/export/class.csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "table,game,turn,variable,value"
    assert any(line.startswith(f"2,{games[1]},2,tension,") for line in lines)
    table_csv = client.get(f"/classes/{classroom.pk}/export/table-1.csv")
    assert table_csv.status_code == 200 and len(table_csv.content.splitlines()) == 4  # head+3
    assert client.get(f"/classes/{classroom.pk}/export/table-9.csv").status_code == 404
    rival, _ = teacher_client("mr-lee")
    assert rival.get(f"/classes/{classroom.pk}/debrief/").status_code == 404
    assert rival.get(f"/classes/{classroom.pk}/export/class.csv").status_code == 404


def test_the_teacher_moves_a_student_from_the_dashboard_before_the_start(kim):
    client, user = kim
    classroom = class_create(teacher=user, tables=2)
    ada = class_join(code=classroom.code, name="Ada")  # table 1, Seoul
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "Move a student" in page and f'<option value="{ada.pk}">Ada (table 1, ' in page
    response = client.post(
        f"/classes/{classroom.pk}/move/", {"participant": ada.pk, "table": 2, "role": "moscow"}
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    table_two = classroom.tables.get(number=2).game_id
    assert (ada.seat.game_id, ada.seat.role) == (table_two, "moscow")
    bad = client.post(
        f"/classes/{classroom.pk}/move/", {"participant": ada.pk, "table": 9, "role": "moscow"},
        follow=True,
    )  # fmt: skip
    assert "No such student or table in this class." in bad.content.decode()


def test_the_form_chooses_how_bots_play_for_all_and_per_capital(kim):
    client, _user = kim
    page = client.get("/classes/").content.decode()
    assert "How bots play" in page and "Pursues the role" in page
    response = client.post(
        "/classes/",
        {"title": "Period 4", "scenario": "lips-and-teeth-2025:1", "tables": 2, "turns": 4,
         "bots": "on", "bot_policy": "doctrine", "policy_moscow": "random"},
    )  # fmt: skip
    assert response.status_code == 302
    from players.models import Seat

    seats = Seat.objects.filter(game__class_table__classroom=Classroom.objects.get())
    policies = {(s.role, s.policy) for s in seats if s.role not in ("facilitator", "observer")}
    assert policies == {("moscow", "random"), ("seoul", "doctrine"), ("beijing", "doctrine"),
                        ("pyongyang", "doctrine"), ("washington", "doctrine")}  # fmt: skip


def test_a_policy_the_form_does_not_offer_is_refused_and_nothing_is_made(kim):
    client, _user = kim
    response = client.post(
        "/classes/",
        {"title": "X", "scenario": "lips-and-teeth-2025:1", "tables": 2, "turns": 4,
         "bot_policy": "scripted"},
    )  # fmt: skip
    assert response.status_code == 400
    assert Classroom.objects.count() == 0
