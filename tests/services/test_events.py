"""What each service broadcasts, in the Zulip style: on-commit callbacks are captured and run,
and `realtime.publish_events` is replaced by a recorder, so a test states the exact event
types and audiences that reach the channel layer, and that a rolled-back call sends nothing.

Also the turn clock in the embedded mode: `deadline_sweep` resolves overdue turns of running
games only, and pause/resume keeps the remaining time.
"""

from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from players.services import seat_join
from wargame import policy, realtime
from wargame.errors import BadInput
from wargame.models import Game, GameEvent, Move, RoleLock, Turn, TurnResult
from wargame.services import moves as move_services
from wargame.services import resolution
from wargame.services.games import game_create, game_finish, game_pause, game_resume, game_start
from wargame.services.injects import inject_apply
from wargame.services.logs import log_import
from wargame.services.messages import message_post
from wargame.services.moves import move_submit, move_withdraw, role_lock
from wargame.services.resolution import deadline_sweep
from wargame.services.review import review_mode_set

pytestmark = pytest.mark.django_db

ALL = [policy.EVERYONE]


@pytest.fixture
def published(monkeypatch) -> list[dict]:
    """Every event handed to realtime.publish_events, flattened, in order."""
    sent: list[dict] = []

    def record(game_id, events):
        for message, audience, *_seqs in events:
            sent.append({"game": game_id, **message, "audience": list(audience)})

    monkeypatch.setattr(realtime, "publish_events", record)
    return sent


@pytest.fixture
def broadcast(published, django_capture_on_commit_callbacks):
    """`with broadcast() as sent:` runs the block's on-commit callbacks (and those they
    register) on exit, and leaves in `sent` only what the block published."""

    @contextmanager
    def capture():
        sent: list[dict] = []
        start = len(published)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield sent
        finally:
            sent.extend(published[start:])

    return capture


def kinds(sent: list[dict]) -> list[tuple[str, list[str]]]:
    return [(event["type"], event["audience"]) for event in sent]


def running_game(*roles: str, **options) -> Game:
    """A started game in which `roles` have joined (so only they must lock)."""
    game, codes = game_create(seed=17, **options)
    for role in roles:
        seat_join(code=codes[role], name=f"{role} player")
    game_start(game_id=game.pk)
    game.refresh_from_db()
    return game


def open_turn(game: Game) -> Turn:
    return Turn.objects.get(game=game, number=Game.objects.get(pk=game.pk).current_turn + 1)


# --- moves and locks ----------------------------------------------------------------


def test_move_submit_tells_everyone_who_moved_and_only_the_mover_what(broadcast):
    """move_submit: move.submitted {"role"} to all, then move.recorded to role + facilitator."""
    game = running_game("seoul", "beijing")
    with broadcast() as sent:
        row = move_submit(
            game_id=game.pk,
            role="seoul",
            action="strengthen_deterrence",
            target=None,
            rationale="r",
        )
    assert kinds(sent) == [
        ("move.submitted", ALL),
        ("move.recorded", ["seoul", "facilitator"]),
    ]
    assert sent[0]["data"] == {"role": "seoul"}
    assert sent[1]["data"]["move"]["id"] == str(row.public_id)  # opaque, never the row number
    assert sent[1]["seq"] == sent[0]["seq"] + 1
    assert {event["game"] for event in sent} == {game.pk}


def test_move_withdraw_tells_only_the_mover_and_facilitator(broadcast):
    """move_withdraw: move.withdrawn to the role and the facilitator."""
    game = running_game("seoul", "beijing")
    row = move_submit(
        game_id=game.pk, role="seoul", action="strengthen_deterrence", target=None, rationale=""
    )
    with broadcast() as sent:
        move_withdraw(game_id=game.pk, role="seoul", move_id=str(row.public_id))
    assert kinds(sent) == [("move.withdrawn", ["seoul", "facilitator"])]
    assert sent[0]["data"] == {"role": "seoul", "move": str(row.public_id)}


def test_role_lock_before_the_last_announces_only_the_lock(broadcast):
    """A lock while others have not locked: role.locked to all, nothing else."""
    game = running_game("seoul", "beijing")
    with broadcast() as sent:
        role_lock(game_id=game.pk, role="seoul")
    assert kinds(sent) == [("role.locked", ALL)]
    assert sent[0]["data"] == {"role": "seoul"}


def test_last_lock_publishes_before_queueing_the_resolution(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    """role.locked and turn.resolving go to the sockets (one batch) before the task goes to
    the queue, so no socket hears the result before them: queued first, a busy web
    process's publish lost the race to the worker now and then, and every socket of the
    game read the missing events from the database (bench/README.md, 2026-12-05)."""
    from wargame.services import ports

    game = running_game("seoul", "beijing")
    role_lock(game_id=game.pk, role="seoul")
    steps: list[str] = []
    monkeypatch.setattr(ports._ports, "resolve", lambda turn_id, queued="": steps.append("queue"))
    start = len(published)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        role_lock(game_id=game.pk, role="beijing")
    for callback in callbacks:
        callback()
        steps.extend(event["type"] for event in published[start:])
        start = len(published)
    assert steps == ["role.locked", "turn.resolving", "queue"]


def test_last_lock_resolves_and_opens_the_next_turn(broadcast):
    """The last lock: role.locked, turn.resolving, turn.resolved, turn.opened, in seq order."""
    game = running_game("seoul", "beijing")
    move_submit(game_id=game.pk, role="beijing", action="court_seoul", target="seoul", rationale="")
    role_lock(game_id=game.pk, role="seoul")
    with broadcast() as sent:
        role_lock(game_id=game.pk, role="beijing")
    assert kinds(sent) == [
        ("role.locked", ALL),
        ("turn.resolving", ALL),
        ("turn.resolved", ALL),
        ("turn.opened", ALL),
    ]
    assert [event["turn"] for event in sent] == [1, 1, 1, 2]
    seqs = [event["seq"] for event in sent]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    assert sent[2]["data"]["outcomes"][0]["action"] == "court_seoul"
    assert Game.objects.get(pk=game.pk).current_turn == 1


# --- messages, injects, the clock ---------------------------------------------------


def test_private_message_goes_to_sender_recipient_and_facilitator(broadcast):
    """message_post to one role: audience [sender, recipient, facilitator]."""
    game = running_game("seoul", "beijing")
    with broadcast() as sent:
        message_post(game_id=game.pk, sender="seoul", to="beijing", text="Shall we talk?")
    assert kinds(sent) == [("message.posted", ["beijing", "facilitator", "seoul"])]
    assert sent[0]["data"]["text"] == "Shall we talk?"


def test_message_to_several_roles_reaches_each_and_the_facilitator(broadcast):
    """message_post to a list: audience is the sender, every recipient and the facilitator."""
    game = running_game("seoul", "beijing")
    with broadcast() as sent:
        message_post(game_id=game.pk, sender="seoul", to=["beijing", "moscow"], text="Hi")
    assert kinds(sent) == [("message.posted", ["beijing", "facilitator", "moscow", "seoul"])]


def test_public_message_goes_to_all(broadcast):
    """message_post to 'all': audience ['all']."""
    game = running_game("seoul")
    with broadcast() as sent:
        message_post(game_id=game.pk, sender="seoul", to="all", text="Hello, everyone")
    assert kinds(sent) == [("message.posted", ALL)]


def test_scenario_inject_is_announced_to_all(broadcast):
    """inject_apply of a scenario inject: inject.applied to all, with its label."""
    game = running_game("seoul")
    with broadcast() as sent:
        inject_apply(game_id=game.pk, inject_id="rok_election")
    assert kinds(sent) == [("inject.applied", ALL)]
    assert sent[0]["data"]["id"] == "rok_election"
    assert "Snap election" in sent[0]["data"]["label"]


def test_targeted_inject_reaches_only_its_audience(broadcast):
    """inject_apply with an audience: inject.applied to that audience only."""
    game = running_game("seoul")
    with broadcast() as sent:
        inject_apply(
            game_id=game.pk,
            label="Intelligence brief",
            effects=[{"var": "tension", "add": 3}],
            audience=["seoul"],
        )
    assert kinds(sent) == [("inject.applied", ["seoul"])]


def test_game_start_announces_start_and_the_first_turn(broadcast):
    """game_start: game.started then turn.opened for turn 1, both to all."""
    game, _ = game_create(seed=17)
    with broadcast() as sent:
        game_start(game_id=game.pk)
    assert kinds(sent) == [("game.started", ALL), ("turn.opened", ALL)]
    assert sent[1]["data"]["number"] == 1


def test_game_pause_and_resume_are_announced(broadcast):
    """game_pause: game.paused to all; game_resume: game.resumed to all."""
    game = running_game("seoul")
    with broadcast() as paused:
        game_pause(game_id=game.pk)
    assert kinds(paused) == [("game.paused", ALL)]
    with broadcast() as resumed:
        game_resume(game_id=game.pk)
    assert kinds(resumed) == [("game.resumed", ALL)]
    assert resumed[0]["seq"] == paused[0]["seq"] + 1


def test_game_finish_is_announced_with_scores(broadcast):
    """game_finish: game.finished to all, with the reason and scores."""
    game = running_game("seoul")
    with broadcast() as sent:
        game_finish(game_id=game.pk)
    assert kinds(sent) == [("game.finished", ALL)]
    assert set(sent[0]["data"]["scores"]) >= {"seoul", "beijing"}


# --- rolled back: nothing sent ------------------------------------------------------


def test_refused_move_broadcasts_nothing(broadcast):
    """move_submit raising BadInput: no event row, nothing published."""
    game = running_game("seoul")
    events_before = GameEvent.objects.count()
    with broadcast() as sent, pytest.raises(BadInput):
        move_submit(game_id=game.pk, role="seoul", action="fly", target=None, rationale="")
    assert sent == []
    assert GameEvent.objects.count() == events_before


def test_lock_rolled_back_after_its_event_broadcasts_nothing(broadcast, monkeypatch):
    """role_lock fails after appending role.locked: the event row and the lock are rolled
    back, and the socket never hears of them."""
    game = running_game("seoul", "beijing")
    append = move_services.events_append

    def append_then_explode(**kwargs):
        assert [e.type for e in append(**kwargs)] == ["role.locked"]
        raise RuntimeError("database went away")

    monkeypatch.setattr(move_services, "events_append", append_then_explode)
    events_before = GameEvent.objects.count()
    with broadcast() as sent, pytest.raises(RuntimeError):
        role_lock(game_id=game.pk, role="seoul")
    assert sent == []
    assert GameEvent.objects.count() == events_before
    assert not RoleLock.objects.filter(turn__game=game).exists()
    assert Game.objects.get(pk=game.pk).last_seq == events_before


# --- deadlines in the embedded mode -------------------------------------------------


def overdue(turn: Turn) -> None:
    Turn.objects.filter(pk=turn.pk).update(deadline=timezone.now() - timedelta(seconds=1))


def test_deadline_sweep_resolves_an_overdue_turn_and_silent_roles_hold(broadcast):
    """Deadline passed: the sweep resolves the turn; roles without moves hold (no outcome)."""
    game = running_game("seoul", "beijing", deadline_seconds=10)
    turn = open_turn(game)
    assert turn.deadline is not None
    move_submit(
        game_id=game.pk, role="seoul", action="strengthen_deterrence", target=None, rationale=""
    )
    overdue(turn)
    with broadcast() as sent:
        assert deadline_sweep() == [turn.pk]
    turn.refresh_from_db()
    assert turn.status == Turn.Status.RESOLVED
    outcomes = TurnResult.objects.get(turn=turn).outcomes
    assert [(o["role"], o["action"]) for o in outcomes] == [("seoul", "strengthen_deterrence")]
    assert [e["type"] for e in sent] == ["turn.resolving", "turn.resolved", "turn.opened"]
    assert open_turn(game).deadline > timezone.now() + timedelta(seconds=5)


def test_deadline_sweep_leaves_a_turn_before_its_deadline(broadcast):
    """A turn whose deadline is still ahead is not swept."""
    game = running_game("seoul", deadline_seconds=10)
    with broadcast() as sent:
        assert deadline_sweep() == []
    assert open_turn(game).status == Turn.Status.OPEN
    assert sent == []


def test_paused_games_overdue_turn_is_not_resolved(broadcast):
    """A paused game's turn past its deadline waits: the sweep does nothing."""
    game = running_game("seoul", deadline_seconds=10)
    game_pause(game_id=game.pk)
    turn = open_turn(game)
    overdue(turn)
    with broadcast() as sent:
        assert deadline_sweep() == []
    turn.refresh_from_db()
    assert turn.status == Turn.Status.OPEN
    assert not TurnResult.objects.filter(turn=turn).exists()
    assert sent == []


def test_pause_keeps_the_remaining_time_and_resume_restores_it():
    """Paused with 4 s left: the clock stops; on resume the deadline is about 4 s away."""
    game = running_game("seoul", deadline_seconds=10)
    turn = open_turn(game)
    Turn.objects.filter(pk=turn.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    game_pause(game_id=game.pk)
    game.refresh_from_db()
    turn.refresh_from_db()
    assert turn.deadline is None
    assert 3 <= game.paused_remaining <= 4
    game_resume(game_id=game.pk)
    turn.refresh_from_db()
    left = (turn.deadline - timezone.now()).total_seconds()
    assert 2.5 <= left <= 4
    assert Game.objects.get(pk=game.pk).paused_remaining is None


def test_resumed_game_is_swept_again_once_overdue(broadcast):
    """After resume, an overdue turn resolves as usual."""
    game = running_game("seoul", deadline_seconds=10)
    game_pause(game_id=game.pk)
    game_resume(game_id=game.pk)
    turn = open_turn(game)
    overdue(turn)
    with broadcast():
        assert deadline_sweep() == [turn.pk]
    turn.refresh_from_db()
    assert turn.status == Turn.Status.RESOLVED
    assert Move.objects.filter(turn=turn).count() == 0


# --- one write path: every state change appends its event -----------------------------


def test_log_import_announces_the_game_and_its_number_of_turns(broadcast):
    """log_import: a turn.resolved per logged turn, then game.imported {"turns": N}."""
    golden = sorted((Path(__file__).parents[1] / "gamelog" / "golden").glob("*.json"))[0]
    with broadcast() as sent:
        game, _ = log_import(raw=golden.read_bytes())
    imported = [e for e in sent if e["type"] != "game.created"]
    turns = Turn.objects.filter(game=game).count()
    assert turns >= 1
    assert kinds(imported) == [("turn.resolved", ALL)] * turns + [("game.imported", ALL)]
    assert imported[-1]["data"] == {"turns": turns}
    assert imported[-1]["seq"] == Game.objects.get(pk=game.pk).last_seq


def test_review_mode_switch_is_a_game_settings_event(broadcast):
    """review_mode_set: game.settings {"umpire_review": on} to all, like the observer grant;
    the switch back is announced too."""
    game = running_game("seoul")
    with broadcast() as sent:
        review_mode_set(game_id=game.pk, on=True)
        review_mode_set(game_id=game.pk, on=False)
    assert kinds(sent) == [("game.settings", ALL), ("game.settings", ALL)]
    assert [e["data"] for e in sent] == [{"umpire_review": True}, {"umpire_review": False}]
    assert Game.objects.get(pk=game.pk).umpire_review is False


def test_a_failing_turn_tells_the_facilitator_why_and_everyone_else_only_that(
    broadcast, monkeypatch
):
    """The last lock, with an adjudication that raises: role.locked, turn.resolving, then
    turn.failed with the error to the facilitator alone and turn.unresolved to all."""

    def broken(turn):
        raise ValueError("scenario rule r7 divides by zero")

    monkeypatch.setattr(resolution, "_adjudicate", broken)
    game = running_game("seoul")
    with broadcast() as sent:
        role_lock(game_id=game.pk, role="seoul")
    assert kinds(sent) == [
        ("role.locked", ALL),
        ("turn.resolving", ALL),
        ("turn.failed", ["facilitator"]),
        ("turn.unresolved", ALL),
    ]
    error = "ValueError: scenario rule r7 divides by zero"
    assert sent[2]["data"] == {"number": 1, "error": error, "attempts": 1}
    assert sent[3]["data"] == {"number": 1}
    assert open_turn(game).status == Turn.Status.FAILED


def test_the_seat_numbering_migration_fills_logged_events_as_the_services_number_them():
    """Migration 0009 gives events logged before it the counters event_append writes now,
    the observer's grant replayed from game.settings (the seqs blanked, then refilled)."""
    import importlib

    from django.apps import apps

    from wargame.services.games import game_observers_grant

    fill = importlib.import_module("wargame.migrations.0009_seat_sequences").fill_seqs
    game = running_game("seoul", "beijing")
    message_post(game_id=game.pk, sender="seoul", to=["beijing"], text="before")
    game_observers_grant(game_id=game.pk, on=True)
    message_post(game_id=game.pk, sender="seoul", to=["beijing"], text="after")
    written = list(GameEvent.objects.filter(game=game).values_list("seq", "seqs"))
    assert written[-1][1]["observer"] == written[-1][1]["all"] + 1  # the grant counted
    GameEvent.objects.filter(game=game).update(seqs={})
    fill(apps, None)
    assert list(GameEvent.objects.filter(game=game).values_list("seq", "seqs")) == written
