"""create_class --json (docs/cli.md): the class, its code, and every table's seat codes."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from players.selectors import is_teacher
from wargame.models import Classroom, Game

pytestmark = pytest.mark.django_db


def run_json(*args) -> dict:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_create_class_prints_the_class_code_and_each_tables_codes():
    user = get_user_model().objects.create_user("ms-kim")
    created = run_json(
        "create_class", "--teacher", "ms-kim", "--make-teacher", "--tables", "3",
        "--turns", "4", "--deadline", "300", "--json",
    )  # fmt: skip
    assert set(created) == {"class", "code", "tables"}
    classroom = Classroom.objects.get(pk=created["class"])
    assert (created["code"], classroom.teacher_id) == (classroom.code, user.pk)
    assert [t["table"] for t in created["tables"]] == [1, 2, 3]
    first = created["tables"][0]
    assert {"seoul", "facilitator", "observer"} <= set(first["codes"])
    game = Game.objects.get(pk=first["game"])
    assert (game.max_turns, game.deadline_seconds, game.created_by_id) == (4, 300, user.pk)
    user.refresh_from_db()
    assert is_teacher(get_user_model().objects.get(pk=user.pk))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--teacher", "nobody", "--tables", "2"], "no account named 'nobody'"),
        (["--teacher", "ms-kim", "--tables", "41"], "between 1 and 40"),
    ],
)
def test_create_class_refuses_bad_input_with_a_line_and_creates_nothing(args, message):
    get_user_model().objects.create_user("ms-kim")
    with pytest.raises(CommandError, match=message):
        call_command("create_class", *args, stdout=StringIO(), stderr=StringIO())
    assert Classroom.objects.count() == 0 and Game.objects.count() == 0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("doctrine", {"doctrine"}),
        ("seoul=doctrine", {"doctrine", "random"}),
    ],
)
def test_create_class_chooses_how_bots_play(spec, expected):
    from players.models import Seat

    get_user_model().objects.create_user("ms-kim")
    created = run_json(
        "create_class", "--teacher", "ms-kim", "--make-teacher", "--tables", "2",
        "--bot-policy", spec, "--json",
    )  # fmt: skip
    seats = Seat.objects.filter(game__class_table__classroom_id=created["class"])
    capitals = seats.exclude(role__in=["facilitator", "observer"])
    assert set(capitals.values_list("policy", flat=True)) == expected
    assert capitals.get(role="seoul", game_id=created["tables"][0]["game"]).policy == "doctrine"


@pytest.mark.parametrize(
    ("spec", "words"),
    [("genius", "not 'genius'"), ("tokyo=doctrine", "No capital 'tokyo'"), ("seoul=", "not ''")],
)
def test_create_class_refuses_a_bad_bot_policy_and_creates_nothing(spec, words):
    get_user_model().objects.create_user("ms-kim")
    with pytest.raises(CommandError, match=words):
        call_command("create_class", "--teacher", "ms-kim", "--tables", "2",
                     "--bot-policy", spec, stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert Classroom.objects.count() == 0 and Game.objects.count() == 0
