"""A Korean classroom meets no English (issue 11): a teacher (group `teachers`, not staff)
with a Korean browser creates a class, opens its dashboard and join sheet, a student joins
from the class link on a phone, the teacher starts every table, the student plays and
sees the game end, and the teacher reads the class debrief. Every page's visible text
holds no English word outside the reviewed list of test_korean_game.py, and dates read
as Korean dates ("2025년 3월"). Real Chromium against uvicorn + a celery worker."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import BrowserContext, Page, expect

from players.models import Seat as SeatRow
from players.selectors import TEACHERS
from tests.browser.conftest import GAME_URL, Seat, Seats, screenshot, wait_online
from tests.browser.test_korean_game import LAPTOP, PHONE, visible_english
from wargame.models import Classroom, Game

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

KOREAN_MONTH = re.compile(r"20\d\d년 \d{1,2}월")


def korean_context(seats: Seats, who: str, viewport: dict) -> Seat:
    context: BrowserContext = seats.browser.new_context(
        base_url=seats.base_url, viewport=viewport, locale="ko-KR"
    )
    seat = Seat(role=who, code="", context=context)
    seats.all.append(seat)
    return seat


def teacher_logs_in(seats: Seats) -> Page:
    user = get_user_model().objects.create_user("kim-seonsaeng", password="teach-well-2025")
    Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    page = korean_context(seats, "teacher", LAPTOP).new_page()
    return logged_in(page, "kim-seonsaeng", "/classes/")


def logged_in(page: Page, username: str, then: str) -> Page:
    """The staff login form, filled in Korean, landing on `then`."""
    page.goto(f"/accounts/login/?next={then}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("teach-well-2025")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(f"{re.escape(then)}$"))
    return page


def english_on(page: Page, codes) -> list[str]:
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    return visible_english(page, sorted(codes, key=len, reverse=True))


def test_a_korean_class_from_creation_to_debrief(seats: Seats):
    found: dict[str, list[str]] = {}
    teacher = teacher_logs_in(seats)
    found["new class"] = english_on(teacher, [])

    teacher.locator("#id_title").fill("3학년 2반")
    teacher.locator("#id_tables").fill("2")
    teacher.locator("#id_turns").fill("2")
    teacher.locator("main form button[type=submit]").click()
    expect(teacher.get_by_role("heading", name="3학년 2반")).to_be_visible()
    classroom = Classroom.objects.get()
    link = teacher.locator("#class-link").get_attribute("href")
    seat_codes = list(
        SeatRow.objects.filter(game__class_table__classroom=classroom).values_list(
            "code", flat=True
        )
    )
    codes = [link, classroom.code, *seat_codes]
    found["dashboard"] = english_on(teacher, codes)
    screenshot(teacher, "korean-class-dashboard-1366", full_page=False)

    sheet = teacher.context.new_page()
    sheet.goto(f"/classes/{classroom.pk}/sheet/")
    found["join sheet"] = english_on(
        sheet, [*codes, *(f"{link.split('/class/')[0]}/join/{c}/" for c in seat_codes)]
    )
    sheet.close()

    # a student joins from the class link on a phone
    student = korean_context(seats, "student", PHONE).new_page()
    student.goto(f"/class/{classroom.code}/")
    found["class link"] = english_on(student, codes)
    screenshot(student, "korean-class-join-390", full_page=False)
    student.locator("input[name=name]").fill("김민지")
    student.locator("main form button[type=submit]").click()
    student.wait_for_url(GAME_URL)
    wait_online(student)
    found["student in the lobby"] = english_on(student, codes)

    # the teacher starts every table from the live dashboard
    teacher.locator("button[name=action][value=start]").click()
    expect(teacher.locator(".flash")).to_be_visible()
    expect(teacher.locator("#class-tables")).to_contain_text("진행 중")
    found["dashboard, live"] = english_on(teacher, codes)
    expect(student.locator("#action")).to_be_attached()
    found["student playing"] = english_on(student, codes)
    assert KOREAN_MONTH.search(student.locator("body").inner_text())
    screenshot(student, "korean-class-student-390", full_page=False)

    # the end of the class: the student's game-over view, the class debrief
    teacher.locator("button[name=action][value=finish]").click()
    expect(teacher.locator(".flash")).to_be_visible()
    assert set(Game.objects.values_list("status", flat=True)) == {"finished"}
    student.reload()
    wait_online(student)
    found["student, game over"] = english_on(student, codes)
    found["dashboard, ended"] = english_on(teacher, codes)
    teacher.goto(f"/classes/{classroom.pk}/debrief/")
    expect(teacher.locator("#class-ranking tbody tr")).to_have_count(2)
    found["class debrief"] = english_on(teacher, codes)
    screenshot(teacher, "korean-class-debrief-1366", full_page=False)

    found = {name: words for name, words in found.items() if words}
    assert not found, "\n".join(
        f"{name}: {word}" for name, words in found.items() for word in words
    )
    seats.assert_no_errors()


def test_the_lab_in_korean_shows_no_english(seats: Seats):
    """The simulation lab's page, for a facilitator with a Korean browser."""
    get_user_model().objects.create_user("lab-staff", password="teach-well-2025", is_staff=True)
    page = logged_in(korean_context(seats, "staff", LAPTOP).new_page(), "lab-staff", "/lab/")
    assert english_on(page, []) == []
    screenshot(page, "korean-lab-1366", full_page=False)
    seats.assert_no_errors()
