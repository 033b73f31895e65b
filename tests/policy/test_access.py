"""The access policy on its own (pure): who may open, act in, run, read the log of and
review a game, for every kind of actor."""

import pytest

from wargame import policy
from wargame.policy import Actor

CAPITALS = ("seoul", "beijing", "pyongyang", "washington", "moscow")
SEOUL = Actor(seat="seoul")
FACILITATOR = Actor(seat="facilitator")
OBSERVER = Actor(seat="observer")
STAFF = Actor(staff=True)
NOBODY = Actor()  # anonymous, or a seat of another game: no seat here
STAFF_AS_SEOUL = Actor(seat="seoul", staff=True)


def test_a_seat_sees_as_itself_staff_as_the_facilitator_nobody_as_no_one():
    """The view the live surfaces build: own seat; staff without one, the facilitator's."""
    assert [a.role for a in (SEOUL, FACILITATOR, OBSERVER, STAFF, NOBODY, STAFF_AS_SEOUL)] == [
        "seoul",
        "facilitator",
        "observer",
        "facilitator",
        None,
        "seoul",
    ]
    assert NOBODY.anonymous and not STAFF.anonymous


def test_only_someone_with_a_view_opens_the_live_game():
    assert [policy.may_open(a) for a in (SEOUL, FACILITATOR, OBSERVER, STAFF, NOBODY)] == [
        True,
        True,
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("role", CAPITALS)
def test_a_capital_acts_for_itself_only(role):
    """Each capital moves and locks for its own role, never another's."""
    me = Actor(seat=role)
    assert policy.may_act_for(me, role)
    assert [r for r in CAPITALS if policy.may_act_for(me, r)] == [role]


def test_facilitator_observer_staff_and_nobody_act_for_no_capital():
    """Running a game is not playing it: staff and the facilitator never move for a role."""
    for actor in (FACILITATOR, OBSERVER, STAFF, NOBODY):
        assert not any(policy.may_act_for(actor, r) for r in CAPITALS), actor
    assert not policy.may_act_for(FACILITATOR, "facilitator")
    assert not policy.may_act_for(OBSERVER, "observer")


def test_observers_and_nobody_post_no_message():
    assert [policy.may_post_message(a) for a in (SEOUL, FACILITATOR, STAFF, OBSERVER, NOBODY)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_only_the_facilitator_seat_and_staff_run_a_game():
    assert [policy.may_run(a) for a in (SEOUL, FACILITATOR, OBSERVER, STAFF, NOBODY)] == [
        False,
        True,
        False,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("actor", "running", "finished"),
    [
        (SEOUL, False, True),
        (OBSERVER, False, True),
        (FACILITATOR, True, True),
        (STAFF, True, True),
        (NOBODY, False, False),
    ],
)
def test_the_log_and_the_review_are_the_white_cells_until_the_game_finishes(
    actor, running, finished
):
    """Facilitator seat and staff at any time; every seat once finished; nobody else."""
    assert policy.may_read_log(actor, finished=False) is running
    assert policy.may_read_log(actor, finished=True) is finished
    assert policy.may_review(actor, finished=False) is running
    assert policy.may_review(actor, finished=True) is finished


def test_the_replay_offers_every_view_to_a_reviewer_and_none_to_others():
    views = ["truth", *CAPITALS, "observer"]
    assert policy.visible_replay_seats(FACILITATOR, views, finished=False) == views
    assert policy.visible_replay_seats(SEOUL, views, finished=True) == views
    assert policy.visible_replay_seats(SEOUL, views, finished=False) == []
    assert policy.visible_replay_seats(NOBODY, views, finished=True) == []


def test_an_unresolved_move_is_its_capitals_and_the_facilitators():
    assert policy.may_see_move("beijing", "beijing")
    assert policy.may_see_move("facilitator", "beijing")
    assert not policy.may_see_move("seoul", "beijing")
    assert not policy.may_see_move("observer", "beijing")


def test_the_umpires_proposal_and_the_join_codes_are_the_facilitators_alone():
    for role in (*CAPITALS, "observer"):
        assert not policy.may_see_proposal(role) and not policy.may_see_table(role)
    assert policy.may_see_proposal("facilitator") and policy.may_see_table("facilitator")


def test_a_message_reaches_its_sender_recipients_facilitator_and_granted_observers():
    """Seoul to Beijing: Seoul, Beijing and the facilitator read it; the observer only with
    the grant; Pyongyang never."""
    readers = ["seoul", "beijing", "pyongyang", "facilitator", "observer"]

    def who(grant):
        return [r for r in readers if policy.may_read_message(r, "seoul", ["beijing"], grant)]

    assert who(False) == ["seoul", "beijing", "facilitator"]
    assert who(True) == ["seoul", "beijing", "facilitator", "observer"]
    assert policy.may_read_message("pyongyang", "seoul", ["all"])
