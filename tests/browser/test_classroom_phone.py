"""A class on phones: the teacher creates three tables, seven students join from the class
link (one pre-assigned by the roster), bots fill the rest, the teacher starts, pauses and
resumes all and sends a class-wide inject; a student closes the tab, a bot plays the seat,
the student comes back to the same seat; the teacher ends every table and opens the class
debrief beside the reference log. Real Chromium against uvicorn + a celery worker."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from players.models import Participant
from players.selectors import TEACHERS
from tests.browser.conftest import GAME_URL, Seats, screenshot, wait_online
from wargame.models import Classroom, Game, Turn

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
STUDENTS = ["Ada", "Bo", "Chul", "Dami", "Eun", "Farid"]  # arrivals: table 1, then table 2


def overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def control(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".flash")).to_be_visible()


def test_a_class_of_three_tables_on_phones(seats: Seats, tmp_path):
    user = get_user_model().objects.create_user("ms-kim", password="teach-well-2025")
    Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    teacher = seats.open("teacher", "", viewport=PHONE)
    page = teacher.new_page()
    page.goto("/accounts/login/?next=/classes/")
    page.get_by_label("User name").fill("ms-kim")
    page.get_by_label("Password").fill("teach-well-2025")
    page.get_by_role("button", name="Log in").click()

    # the class: three tables of two turns, bots for empty seats
    page.locator("details.class-policies summary").click()  # how bots play, per capital
    expect(page.get_by_label("Moscow")).to_be_visible()
    assert overflow(page) <= 0
    screenshot(page, "class-new-390")
    page.get_by_label("Class name").fill("Period 3")
    page.get_by_label("Tables").fill("3")
    page.get_by_label("Turns").fill("2")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Period 3")).to_be_visible()
    screenshot(page, "class-dashboard-lobby-390")
    assert overflow(page) <= 0
    classroom = Classroom.objects.get()
    link = page.locator("#class-link").get_attribute("href")
    assert link.endswith(f"/class/{classroom.code}/")

    # the roster keeps Moscow at table 3 for Min-jun
    roster = tmp_path / "roster.csv"
    roster.write_text("name,table,role\nMin-jun,3,moscow\n")
    page.get_by_label("Roster (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Upload roster").click()
    expect(page.locator(".flash")).to_contain_text("Roster saved: 1 students.")

    # seven students join from the class link on phones
    students = {}
    for name in [*STUDENTS, "Min-jun"]:
        student = seats.open(name, classroom.code, viewport=PHONE)
        spage = student.new_page()
        spage.goto(f"/class/{classroom.code}/")
        if name == STUDENTS[0]:
            assert overflow(spage) <= 0
            screenshot(spage, "class-join-390")
        spage.get_by_label("Your name").fill(name)
        spage.get_by_role("button", name="Take my seat").click()
        spage.wait_for_url(GAME_URL)
        students[name] = student
    for student in students.values():
        wait_online(student.page)
    seat = {p.name: (p.seat.game.class_table.number, p.seat.role)
            for p in Participant.objects.select_related("seat__game__class_table")}  # fmt: skip
    assert seat["Min-jun"] == (3, "moscow")
    assert [seat[n][0] for n in STUDENTS] == [1, 1, 1, 1, 1, 2]
    assert overflow(students["Farid"].page) <= 0
    screenshot(students["Farid"].page, "class-student-390", full_page=False)

    # start, pause, resume, inject: every table, from the dashboard
    page.reload()
    card_reads = []  # the cards come with the socket's frames: no HTTP read while live
    page.on("request", lambda r: "/tables/" in r.url and card_reads.append(r.url))
    control(page, "Start all")
    expect(page.locator(".flash")).to_contain_text("Done at tables 1, 2, 3.")
    table_two = classroom.tables.get(number=2).game
    bots = set(table_two.seats.filter(kind="bot").values_list("role", flat=True))
    assert bots == {"beijing", "pyongyang", "washington", "moscow"}
    control(page, "Pause all")
    assert set(Game.objects.values_list("status", flat=True)) == {"paused"}
    control(page, "Resume all")
    page.get_by_label("Message or inject title").fill("Typhoon over the Yellow Sea")
    control(page, "Inject")
    expect(page.locator(".flash")).to_contain_text("Done at tables 1, 2, 3.")
    for student in (students["Ada"], students["Farid"], students["Min-jun"]):
        expect(student.page.locator("body")).to_contain_text("Typhoon over the Yellow Sea")
    screenshot(page, "class-dashboard-390")

    # Farid (table 2's only student) closes the tab: a bot plays Seoul, the turn resolves
    farid_game = students["Farid"].page.url
    students["Farid"].page.close()
    card = page.locator(f'article[data-game="{table_two.pk}"]')
    expect(card.locator('tr[data-role="seoul"] td').nth(1)).to_have_text("○")  # live: offline
    control(page, "Bots play for absent students now")
    expect(page.locator(".flash")).to_contain_text("Done at tables 2.")
    turn_one = Turn.objects.get(game=table_two, number=1)
    assert turn_one.bot_turns.filter(role="seoul").exists()
    expect(card.locator(".table-status")).to_contain_text("turn 1 of 2 resolved")

    # Farid comes back by the class link: the same seat, turn 2 his to play
    back = students["Farid"].new_page()
    back.goto(f"/class/{classroom.code}/")
    back.wait_for_url(farid_game)
    wait_online(back)
    expect(back.get_by_role("heading", name="Briefing: Seoul")).to_be_visible()
    expect(card.locator('tr[data-role="seoul"] td').nth(1)).to_have_text("●")
    assert card_reads == []

    # the end of the class, and its debrief
    page.once("dialog", lambda d: d.accept())
    control(page, "End all")
    assert set(Game.objects.values_list("status", flat=True)) == {"finished"}
    page.get_by_role("link", name="Class debrief").click()
    expect(page.get_by_role("heading", name=re.compile("Class debrief"))).to_be_visible()
    expect(page.locator("#class-ranking tbody tr")).to_have_count(3)
    expect(page.locator("main")).to_contain_text("2025 as it happened")
    assert overflow(page) <= 0
    screenshot(page, "class-debrief-390")
    page.set_viewport_size(LAPTOP)
    screenshot(page, "class-debrief-1366")
    page.goto(f"/classes/{classroom.pk}/")
    screenshot(page, "class-dashboard-1366")
    page.goto(f"/class/{classroom.code}/")
    screenshot(page, "class-join-1366")
    seats.assert_no_errors()
