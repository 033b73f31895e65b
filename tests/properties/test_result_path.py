"""The path from the last lock to the result: few statements, and still every rule kept.

Every turn's result waits on two things: the request that takes the last lock, and the
worker's resolution. Both are written as a few plain statements (services/moves.py,
services/resolution.py, services/locks.py); these tests hold them to their statement
budget (10 and 14 statements before, bench/README.md "2026-12-04, 23:00") and check
that what the hand-written statements replaced still holds: a second lock is refused,
a game finished or switched to umpire review meanwhile is honoured, bots still move,
and the last turn finishes the game with its state stored.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from players.services import seat_join
from wargame.errors import WrongPhase
from wargame.models import Game, GameEvent, Move, RoleLock, Turn, TurnResult
from wargame.services import ports
from wargame.services.games import game_create, game_finish, game_start
from wargame.services.moves import move_submit, role_lock
from wargame.services.resolution import turn_resolve
from wargame.services.review import review_mode_set

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("seoul", "beijing")
# Statements, BEGIN and COMMIT included (Django logs both).
LAST_LOCK_BUDGET = 8
RESOLUTION_BUDGET = 12


@pytest.fixture
def queued(monkeypatch) -> list[tuple[int, str]]:
    """The resolutions the last lock queued, as (turn id, claim), instead of running them."""
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(
        ports._ports, "resolve", lambda turn_id, queued="": sent.append((turn_id, queued))
    )
    return sent


def seated_game(*, roles=ROLES, **options) -> Game:
    game, codes = game_create(seed=31, **options)
    for role in roles:
        seat_join(code=codes[role], name=f"{role} player")
    game_start(game_id=game.pk)
    return Game.objects.get(pk=game.pk)


def lock_all_but_last(game: Game, roles=ROLES) -> str:
    move_submit(
        game_id=game.pk, role=roles[0], action="strengthen_deterrence", target=None, rationale=""
    )
    for role in roles[:-1]:
        role_lock(game_id=game.pk, role=role)
    return roles[-1]


def test_the_last_lock_and_the_resolution_keep_to_their_statement_budget(queued):
    game = seated_game(turns=3)
    last = lock_all_but_last(game)
    with CaptureQueriesContext(connection) as lock_statements:
        role_lock(game_id=game.pk, role=last)
    (turn_id, claim) = queued.pop()
    with CaptureQueriesContext(connection) as resolution_statements:
        result = turn_resolve(turn_id=turn_id, queued=claim)

    assert result is not None
    assert Turn.objects.get(pk=turn_id).status == Turn.Status.RESOLVED
    assert Game.objects.get(pk=game.pk).current_turn == 1
    lock_sql = [q["sql"] for q in lock_statements.captured_queries]
    resolution_sql = [q["sql"] for q in resolution_statements.captured_queries]
    assert len(lock_sql) <= LAST_LOCK_BUDGET, "\n".join(lock_sql)
    assert len(resolution_sql) <= RESOLUTION_BUDGET, "\n".join(resolution_sql)


def test_a_second_lock_of_the_same_role_is_refused_and_changes_nothing(queued):
    game = seated_game(turns=3)
    role_lock(game_id=game.pk, role="seoul")
    events = GameEvent.objects.filter(game=game).count()

    with pytest.raises(WrongPhase, match="seoul has already locked its moves for turn 1"):
        role_lock(game_id=game.pk, role="seoul")

    assert RoleLock.objects.filter(turn__game=game).count() == 1
    assert GameEvent.objects.filter(game=game).count() == events
    assert queued == []


def test_a_lock_after_the_game_finished_is_refused():
    game = seated_game(turns=3)
    game_finish(game_id=game.pk)
    with pytest.raises(WrongPhase, match="The game is finished"):
        role_lock(game_id=game.pk, role="seoul")
    assert not RoleLock.objects.filter(turn__game=game).exists()


def test_a_game_finished_while_its_turn_resolved_opens_no_next_turn(queued):
    game = seated_game(turns=3)
    role_lock(game_id=game.pk, role=lock_all_but_last(game))
    turn_id, claim = queued.pop()
    game_finish(game_id=game.pk)  # the facilitator ends it while the worker is on its way

    assert turn_resolve(turn_id=turn_id, queued=claim) is not None

    after = Game.objects.get(pk=game.pk)
    result = TurnResult.objects.get(turn_id=turn_id)
    assert after.status == Game.Status.FINISHED
    assert (after.current_turn, after.state_hash) == (1, result.state_hash)
    assert not Turn.objects.filter(game=game, number=2).exists()


def test_umpire_review_switched_on_while_resolving_holds_the_result(queued):
    game = seated_game(turns=3)
    role_lock(game_id=game.pk, role=lock_all_but_last(game))
    turn_id, claim = queued.pop()
    review_mode_set(game_id=game.pk, on=True)

    assert turn_resolve(turn_id=turn_id, queued=claim) is not None

    assert Turn.objects.get(pk=turn_id).status == Turn.Status.REVIEW
    after = Game.objects.get(pk=game.pk)
    assert after.current_turn == 0  # nothing published before the umpire accepts it
    assert after.state_hash == game.state_hash
    assert GameEvent.objects.filter(game=game, type="turn.resolved").count() == 0


def test_bots_move_and_lock_as_soon_as_the_next_turn_opens(queued):
    game = seated_game(turns=3, bots=["moscow"])
    role_lock(game_id=game.pk, role=lock_all_but_last(game))
    turn_id, claim = queued.pop()

    assert turn_resolve(turn_id=turn_id, queued=claim) is not None

    second = Turn.objects.get(game=game, number=2)
    assert Move.objects.filter(turn=second, role="moscow").exists()
    assert RoleLock.objects.filter(turn=second, role="moscow").exists()


def test_the_last_turn_finishes_the_game_with_its_state_stored(queued):
    game = seated_game(turns=1)
    role_lock(game_id=game.pk, role=lock_all_but_last(game))
    turn_id, claim = queued.pop()

    result = turn_resolve(turn_id=turn_id, queued=claim)

    after = Game.objects.get(pk=game.pk)
    assert after.status == Game.Status.FINISHED
    assert (after.current_turn, after.state, after.state_hash) == (
        1,
        result.state,
        result.state_hash,
    )
    kinds = list(GameEvent.objects.filter(game=game).values_list("type", flat=True))
    assert kinds[-2:] == ["turn.resolved", "game.finished"]
