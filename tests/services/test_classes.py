"""A teacher's class: its tables, seating its students, and the bulk controls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from players.models import Participant, Seat
from players.services import JoinRefused
from wargame.engine.loader import load_scenario
from wargame.errors import BadInput, WrongPhase
from wargame.models import BotTurn, Classroom, Game, Inject, Message, Turn
from wargame.selectors.logs import game_log
from wargame.services.classes import (
    class_bots_stand_in,
    class_create,
    class_inject_all,
    class_join,
    class_message_all,
    class_pause_all,
    class_resolve_locked,
    class_resume_all,
    class_roster_upload,
    class_start_all,
    class_student_move,
)
from wargame.services.moves import role_lock
from wargame.services.presence import presence_join, presence_leave

pytestmark = pytest.mark.django_db

ROLES = list(load_scenario().role_slugs)  # the scenario's order: seats are filled in it


@pytest.fixture
def teacher():
    return get_user_model().objects.create_user("ms-kim", password="pw")


def seat_of(participant: Participant) -> tuple[int, str]:
    seat = Seat.objects.select_related("game__class_table").get(pk=participant.seat_id)
    return seat.game.class_table.number, seat.role


def test_a_class_of_three_tables_is_three_games_owned_by_the_teacher(teacher):
    classroom = class_create(teacher=teacher, tables=3, turns=4, deadline=300, review=True)
    games = [t.game for t in classroom.tables.select_related("game")]
    assert [t.number for t in classroom.tables.all()] == [1, 2, 3]
    assert {g.created_by_id for g in games} == {teacher.pk}
    assert {(g.max_turns, g.deadline_seconds, g.umpire_review) for g in games} == {(4, 300, True)}
    assert {g.status for g in games} == {Game.Status.LOBBY}
    assert len(classroom.code) == 8


@pytest.mark.parametrize("tables", [0, 41])
def test_a_class_has_one_to_forty_tables_and_a_bad_count_creates_nothing(teacher, tables):
    with pytest.raises(BadInput, match="between 1 and 40"):
        class_create(teacher=teacher, tables=tables)
    assert (Classroom.objects.count(), Game.objects.count()) == (0, 0)


def test_a_table_that_cannot_be_made_leaves_no_class_behind(teacher):
    """turns=0 fails inside game_create: nothing of the class is kept."""
    with pytest.raises(BadInput):
        class_create(teacher=teacher, tables=2, turns=0)
    assert (Classroom.objects.count(), Game.objects.count()) == (0, 0)


def test_students_are_seated_by_arrival_table_by_table(teacher):
    classroom = class_create(teacher=teacher, tables=2)
    seated = [seat_of(class_join(code=classroom.code, name=f"Student {i}")) for i in range(7)]
    assert seated == [(1, r) for r in ROLES] + [(2, ROLES[0]), (2, ROLES[1])]


def test_the_code_is_typed_loosely_and_a_wrong_one_is_refused(teacher):
    classroom = class_create(teacher=teacher, tables=1)
    loose = f" {classroom.code[:4].lower()}-{classroom.code[4:]} "
    assert seat_of(class_join(code=loose, name="Ada")) == (1, "seoul")
    with pytest.raises(JoinRefused):
        class_join(code="NOSUCHCL", name="Ada")


def test_a_full_class_refuses_the_next_student(teacher):
    classroom = class_create(teacher=teacher, tables=1)
    for i in range(5):
        class_join(code=classroom.code, name=f"S{i}")
    with pytest.raises(JoinRefused, match="taken"):
        class_join(code=classroom.code, name="Late")


def test_the_roster_seats_its_students_and_arrivals_skip_their_seats(teacher):
    classroom = class_create(teacher=teacher, tables=2)
    class_roster_upload(classroom=classroom, text="name,table,role\nMin-jun,1,seoul\n")
    first = class_join(code=classroom.code, name="Ada")
    assert seat_of(first) == (1, ROLES[1])  # Seoul at table 1 is kept for Min-jun
    assert seat_of(class_join(code=classroom.code, name="min-jun")) == (1, "seoul")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Ada,1,seoul\nBo,3,seoul\n", "line 2: table '3'"),
        ("Ada,1,seoul\nBo,1,tokyo\n", "line 2: unknown role 'tokyo'"),
        ("name,table,role\nAda,1\n", "line 2: expected 3 columns"),
        ("Ada,1,seoul\n\nada,2,seoul\n", "line 3: 'ada' is in the roster twice"),
        ("Ada,1,seoul\n\u202eBo,1,moscow\n", "line 2: Names may not contain"),
    ],
)
def test_a_bad_roster_row_is_refused_with_its_line_and_nothing_is_written(teacher, text, error):
    classroom = class_create(teacher=teacher, tables=2)
    class_roster_upload(classroom=classroom, text="Kept,2,moscow\n")
    with pytest.raises(BadInput, match=error):
        class_roster_upload(classroom=classroom, text=text)
    assert list(classroom.roster.values_list("name", flat=True)) == ["Kept"]


def test_the_teacher_swaps_two_students_before_the_start(teacher):
    classroom = class_create(teacher=teacher, tables=2)
    ada = class_join(code=classroom.code, name="Ada")
    bo = class_join(code=classroom.code, name="Bo")
    assert (seat_of(ada), seat_of(bo)) == ((1, "seoul"), (1, ROLES[1]))
    class_student_move(classroom=classroom, participant_id=ada.pk, table=1, role=ROLES[1])
    ada.refresh_from_db()
    bo.refresh_from_db()
    assert (seat_of(ada), seat_of(bo)) == ((1, ROLES[1]), (1, "seoul"))
    class_student_move(classroom=classroom, participant_id=ada.pk, table=2, role="moscow")
    ada.refresh_from_db()
    assert seat_of(ada) == (2, "moscow")


def test_students_stay_put_once_their_table_has_started(teacher):
    classroom = class_create(teacher=teacher, tables=1)
    ada = class_join(code=classroom.code, name="Ada")
    class_start_all(classroom=classroom)
    with pytest.raises(WrongPhase):
        class_student_move(classroom=classroom, participant_id=ada.pk, table=1, role="moscow")


def test_start_all_gives_the_empty_seats_to_bots_and_they_lock_at_once(
    teacher, django_capture_on_commit_callbacks
):
    classroom = class_create(teacher=teacher, tables=2)
    class_join(code=classroom.code, name="Ada")
    with django_capture_on_commit_callbacks(execute=True):
        result = class_start_all(classroom=classroom)
    assert result.done == [1, 2]
    one, two = (t.game for t in classroom.tables.select_related("game"))
    bots_one = Seat.objects.filter(game=one, kind=Seat.Kind.BOT).values_list("role", flat=True)
    assert sorted(bots_one) == sorted(set(ROLES) - {"seoul"})
    turn = Turn.objects.get(game=one, number=1)
    assert sorted(turn.locks.values_list("role", flat=True)) == sorted(bots_one)
    # table 2 is all bots: its first turn resolved by itself
    assert Turn.objects.get(game=two, number=1).status == Turn.Status.RESOLVED


def test_bulk_controls_say_which_tables_they_changed_and_which_they_skipped(teacher):
    classroom = class_create(teacher=teacher, tables=3, deadline=600)
    class_start_all(classroom=classroom, tables=[1, 2])
    assert class_pause_all(classroom=classroom).as_dict() == {
        "done": [1, 2],
        "skipped": {"3": "The game is lobby; only a running game can pause."},
    }
    assert set(Game.objects.values_list("status", flat=True)) == {"paused", "lobby"}
    assert class_resume_all(classroom=classroom).done == [1, 2]


def test_inject_and_message_reach_every_chosen_table(teacher):
    classroom = class_create(teacher=teacher, tables=3, bots=False)
    class_start_all(classroom=classroom)
    class_inject_all(
        classroom=classroom, label="Typhoon", effects=[{"var": "tension", "add": 2}], tables=[1, 3]
    )
    class_message_all(classroom=classroom, text="Ten minutes left")
    numbers = dict(classroom.tables.values_list("game_id", "number"))
    assert sorted(numbers[g] for g in Inject.objects.values_list("game_id", flat=True)) == [1, 3]
    assert Message.objects.filter(text="Ten minutes left").count() == 3


def test_resolve_locked_leaves_a_table_waiting_on_a_student(teacher):
    """Two students at table 1, one has locked: the table waits for the other (a table
    whose students have all locked resolves by itself)."""
    classroom = class_create(teacher=teacher, tables=2, bots=False)
    ada = class_join(code=classroom.code, name="Ada")
    class_join(code=classroom.code, name="Bo")
    class_start_all(classroom=classroom)
    role_lock(game_id=ada.seat.game_id, role="seoul")
    result = class_resolve_locked(classroom=classroom)
    assert result.done == []
    assert result.skipped == {
        1: "Not every student at this table has locked.",
        2: "Not every student at this table has locked.",
    }


# --- bots stand in for absent students (item 5) ---------------------------------------


def test_a_bot_plays_the_seat_of_a_student_away_past_the_timeout_and_the_log_says_so(
    teacher, django_capture_on_commit_callbacks
):
    """Ada (table 1's only student) never connects: 61 s into the turn a bot moves and
    locks for Seoul, the turn resolves, and the log lists Seoul among turn 1's bots."""
    classroom = class_create(teacher=teacher, tables=1, turns=3, bots=False, bot_timeout=60)
    ada = class_join(code=classroom.code, name="Ada")
    class_start_all(classroom=classroom)
    turn = Turn.objects.get(game_id=ada.seat.game_id, number=1)
    assert (
        class_bots_stand_in(classroom=classroom, now=turn.opened_at + timedelta(seconds=59)) == {}
    )
    with django_capture_on_commit_callbacks(execute=True):
        stood = class_bots_stand_in(classroom=classroom, now=turn.opened_at + timedelta(seconds=61))
    assert stood == {1: ["seoul"]}
    turn.refresh_from_db()
    assert turn.status == Turn.Status.RESOLVED
    log = game_log(Game.objects.get(pk=ada.seat.game_id))
    assert log["turns"][0]["bots"] == ["seoul"]
    assert {m.submitted_by for m in turn.moves.all()} <= {"seoul bot (standing in)"}


def test_bots_stand_in_only_at_the_tables_the_teacher_ticked(teacher):
    """Six students never connect: five at table 1, one at table 2. "Bots play now" with
    table 2 ticked plays table 2's student alone; table 1's seats stay the students'."""
    classroom = class_create(teacher=teacher, tables=2, bots=False, bot_timeout=60)
    joined = [class_join(code=classroom.code, name=f"S{i}") for i in range(6)]
    class_start_all(classroom=classroom)
    later = timezone.now() + timedelta(seconds=1)
    assert class_bots_stand_in(classroom=classroom, timeout=0, now=later, tables=[2]) == {
        2: [joined[5].seat.role]
    }
    table_one = Turn.objects.get(game_id=joined[0].seat.game_id, number=1)
    assert not BotTurn.objects.filter(turn=table_one).exists()


def test_a_connected_student_or_one_who_left_a_moment_ago_keeps_the_seat(teacher):
    classroom = class_create(teacher=teacher, tables=1, bots=False, bot_timeout=60)
    ada = class_join(code=classroom.code, name="Ada")
    bo = class_join(code=classroom.code, name="Bo")
    class_start_all(classroom=classroom)
    game_id = ada.seat.game_id
    presence_join(game_id=game_id, role=ada.seat.role, name="Ada", channel_name="a")
    presence_join(game_id=game_id, role=bo.seat.role, name="Bo", channel_name="b")
    presence_leave(channel_name="b")  # Bo closed the tab just now
    turn = Turn.objects.get(game_id=game_id, number=1)
    later = timezone.now() + timedelta(seconds=30)
    assert class_bots_stand_in(classroom=classroom, now=later) == {}
    much_later = timezone.now() + timedelta(seconds=61)
    assert class_bots_stand_in(classroom=classroom, now=much_later) == {1: [bo.seat.role]}
    assert BotTurn.objects.filter(turn=turn).count() == 1
    assert not turn.locks.filter(role=ada.seat.role).exists()


def test_the_student_who_returns_plays_the_next_turn_himself(
    teacher, django_capture_on_commit_callbacks
):
    classroom = class_create(teacher=teacher, tables=1, turns=3, bots=False, bot_timeout=0)
    ada = class_join(code=classroom.code, name="Ada")
    class_start_all(classroom=classroom)
    with django_capture_on_commit_callbacks(execute=True):
        assert class_bots_stand_in(classroom=classroom) == {1: ["seoul"]}
    presence_join(game_id=ada.seat.game_id, role="seoul", name="Ada", channel_name="a")
    assert class_bots_stand_in(classroom=classroom) == {}
    turn_two = Turn.objects.get(game_id=ada.seat.game_id, number=2)
    assert turn_two.status == Turn.Status.OPEN and not turn_two.locks.exists()


def test_a_rostered_student_who_comes_late_takes_the_seat_back_from_its_bot(teacher):
    classroom = class_create(teacher=teacher, tables=1)
    class_roster_upload(classroom=classroom, text="Min-jun,1,moscow\n")
    class_start_all(classroom=classroom)
    game = classroom.tables.get().game
    assert Seat.objects.get(game=game, role="moscow").kind == Seat.Kind.BOT
    late = class_join(code=classroom.code, name="Min-jun")
    assert seat_of(late) == (1, "moscow")
    assert Seat.objects.get(game=game, role="moscow").kind == Seat.Kind.PERSON


def test_a_bot_timeout_out_of_range_creates_nothing(teacher):
    with pytest.raises(BadInput, match="timeout"):
        class_create(teacher=teacher, tables=1, bot_timeout=-1)
    assert Classroom.objects.count() == 0


# --- how the class's bots play (bot policies chosen at creation) ----------------------


def _moves_of(turn: Turn, role: str) -> list[tuple[str, str | None]]:
    rows = turn.moves.filter(role=role).order_by("pk")
    return [(m.action, m.target or None) for m in rows]


def _policy_moves(name: str, game: Game, role: str) -> list[tuple[str, str | None]]:
    from wargame.bots import make_policy, seat_moves
    from wargame.services.scenarios import engine_scenario

    scenario = engine_scenario(game.scenario)
    moves = seat_moves(
        make_policy(name, role=role), scenario, game.start_state, role,
        seed=game.seed, budget=game.action_budget,
    )  # fmt: skip
    return [(m.action, m.target or None) for m in moves]


def test_one_policy_for_every_capital_is_kept_on_every_tables_seats(teacher):
    classroom = class_create(teacher=teacher, tables=2, bot_policies="doctrine")
    seats = Seat.objects.filter(game__class_table__classroom=classroom, role__in=ROLES)
    assert seats.count() == 2 * len(ROLES)
    assert set(seats.values_list("policy", flat=True)) == {"doctrine"}


def test_a_policy_per_capital_and_random_for_the_rest(teacher):
    classroom = class_create(teacher=teacher, tables=1, bot_policies={"seoul": "doctrine"})
    policies = dict(
        Seat.objects.filter(game__class_table__classroom=classroom, role__in=ROLES).values_list(
            "role", "policy"
        )
    )
    assert policies == {role: "doctrine" if role == "seoul" else "random" for role in ROLES}


@pytest.mark.parametrize(
    ("policies", "error"),
    [
        ("genius", "not 'genius'"),
        ("scripted", "not 'scripted'"),
        ({"seoul": "smart"}, "not 'smart'"),
        ({"tokyo": "doctrine"}, "No capital 'tokyo'"),
        (["doctrine"], "a policy name or"),
    ],
)
def test_a_bad_bot_policy_creates_nothing(teacher, policies, error):
    with pytest.raises(BadInput, match=error):
        class_create(teacher=teacher, tables=2, bot_policies=policies)
    assert Classroom.objects.count() == 0
    assert Game.objects.count() == 0


def test_the_bots_that_take_empty_seats_at_the_start_play_the_classes_policy(
    teacher, django_capture_on_commit_callbacks
):
    classroom = class_create(teacher=teacher, tables=1, turns=3, bot_policies="doctrine")
    class_join(code=classroom.code, name="Ada")  # Seoul: the others are bots
    with django_capture_on_commit_callbacks(execute=True):
        class_start_all(classroom=classroom)
    game = classroom.tables.get().game
    turn = Turn.objects.get(game=game, number=1)
    bots = Seat.objects.filter(game=game, kind=Seat.Kind.BOT)
    assert set(bots.values_list("policy", flat=True)) == {"doctrine"}
    differ = 0
    for role in set(ROLES) - {"seoul"}:
        assert _moves_of(turn, role) == _policy_moves("doctrine", game, role)
        differ += _policy_moves("doctrine", game, role) != _policy_moves("random", game, role)
    assert differ  # the policies do choose differently here: the test can tell them apart


def test_a_bot_standing_in_for_an_absent_student_plays_the_classes_policy(
    teacher, django_capture_on_commit_callbacks
):
    classroom = class_create(
        teacher=teacher, tables=1, turns=3, bots=False, bot_timeout=60,
        bot_policies={"seoul": "doctrine"},
    )  # fmt: skip
    ada = class_join(code=classroom.code, name="Ada")  # Seoul, never connects
    class_join(code=classroom.code, name="Bo")  # Beijing, keeps the turn open
    class_start_all(classroom=classroom)
    game = Game.objects.get(pk=ada.seat.game_id)
    turn = Turn.objects.get(game=game, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        stood = class_bots_stand_in(classroom=classroom, now=turn.opened_at + timedelta(seconds=61))
    assert "seoul" in stood[1]
    doctrine = _policy_moves("doctrine", game, "seoul")
    assert _moves_of(turn, "seoul") == doctrine
    assert doctrine != _policy_moves("random", game, "seoul")
