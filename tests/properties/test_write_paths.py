"""One write path per state change, enforced.

- Every writer locks through `services/locks.py`: no `select_for_update` anywhere else
  in `wargame/` or `players/` (an AST scan).
- A TurnResult is built from the engine's Adjudication in one place (the model's
  converter), never by hand in a service.
- Budget and duplicate checks are the engine's: the move service answers with the
  engine's code and message.
- The admin only shows what games produced: a superuser can list and view turns, moves,
  locks, messages, injects, results, overrides and events, and cannot add, change or
  delete one (through the admin's own HTTP pages).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client

from players.models import Participant, Seat
from players.services import seat_join
from wargame.engine import Move as EngineMove
from wargame.engine import validate_addition, validate_moves
from wargame.errors import BadInput
from wargame.models import (
    ActionDef,
    Game,
    GameEvent,
    Inject,
    Message,
    Move,
    Override,
    Role,
    RoleLock,
    RuleDef,
    Scenario,
    Turn,
    TurnResult,
)
from wargame.services.games import game_create, game_start
from wargame.services.injects import inject_apply
from wargame.services.messages import message_post
from wargame.services.moves import move_submit, role_lock
from wargame.services.resolution import turn_resolve
from wargame.services.scenarios import engine_scenario

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "wargame" / "services" / "locks.py"
MODELS = ROOT / "wargame" / "models.py"


def python_files():
    for package in ("wargame", "players"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def names_used(path: Path) -> set[tuple[str, int]]:
    """Every attribute and name in the file, with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found.add((node.attr, node.lineno))
        elif isinstance(node, ast.Name):
            found.add((node.id, node.lineno))
    return found


def test_select_for_update_appears_only_in_the_lock_helpers():
    """A raw row lock beside the helpers would let a writer take rows in another order."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files()
        if path != LOCKS
        for name, line in names_used(path)
        if name == "select_for_update"
    ]
    assert offenders == [], "lock through wargame/services/locks.py instead"
    # The scan sees the helpers' own use, so it would see any other.
    assert any(name == "select_for_update" for name, _ in names_used(LOCKS))


def sql_texts(path: Path) -> set[tuple[str, int]]:
    """Every string constant in the file (f-strings' literal parts included), with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        (node.value, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_a_row_lock_written_out_in_sql_appears_only_in_the_lock_helpers():
    """The hot path's hand-written statements lock rows too (`FOR UPDATE`): they live
    beside the ORM helpers, in the same order, and nowhere else."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files()
        if path != LOCKS
        for text, line in sql_texts(path)
        if "FOR UPDATE" in text.upper()
    ]
    assert offenders == [], "lock through wargame/services/locks.py instead"
    assert any("FOR UPDATE" in text for text, _ in sql_texts(LOCKS))


def test_turn_results_are_built_only_by_the_model_converter():
    """No service calls TurnResult(...) or TurnResult.objects.create(...) itself."""
    offenders = []
    for path in python_files():
        if path == MODELS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            direct = isinstance(func, ast.Name) and func.id == "TurnResult"
            create = (
                isinstance(func, ast.Attribute)
                and func.attr == "create"
                and isinstance(func.value, ast.Attribute)
                and isinstance(func.value.value, ast.Name)
                and func.value.value.id == "TurnResult"
            )
            if direct or create:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_turn_result_converts_to_and_from_the_adjudication():
    """The stored row gives back exactly the adjudication it was made from."""
    game, _ = game_create(seed=5, turns=3)
    game_start(game_id=game.pk)
    move_submit(
        game_id=game.pk, role="seoul", action="strengthen_deterrence", target=None, rationale=""
    )
    turn = Turn.objects.get(game=game, number=1)
    with_result = turn_resolve(turn_id=turn.pk)
    stored = TurnResult.objects.get(pk=with_result.pk)
    adjudication = stored.to_adjudication()
    again = TurnResult.from_adjudication(turn, adjudication)
    fields = ("state", "state_hash", "outcomes", "fired_rules", "narrative", "scores", "events")
    assert {f: getattr(again, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert adjudication.turn == 1 and adjudication.outcomes[0].action == "strengthen_deterrence"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moves", "code"),
    [
        ([("trilateral_us_japan", None), ("engage_global_south", None)], "over_budget"),
        ([("strengthen_deterrence", None)], "duplicate"),
    ],
)
def test_move_service_refuses_with_the_engines_code_and_message(moves, code):
    """Over budget or a second play of the same move: move_submit raises the engine's
    violation (one code each), and the engine's turn check uses the same code."""
    game, _ = game_create(seed=9, turns=3, action_budget=2)
    game_start(game_id=game.pk)
    for action, target in moves:
        move_submit(game_id=game.pk, role="seoul", action=action, target=target, rationale="")
    scenario = engine_scenario(game.scenario)
    existing = [EngineMove("seoul", a, t, "") for a, t in moves]
    extra = EngineMove("seoul", "strengthen_deterrence", None, "")
    [violation] = validate_addition(scenario, extra, existing, budget=2)
    with pytest.raises(BadInput) as refused:
        move_submit(game_id=game.pk, role="seoul", action=extra.action, target=None, rationale="")
    assert (refused.value.code, str(refused.value)) == (code, violation.message)
    assert code in {v.code for v in validate_moves(scenario, [*existing, extra], budget=2)}
    assert Move.objects.filter(game=game).count() == len(moves)


# --- the admin is read-only for what games produced -----------------------------------

READ_ONLY = [
    GameEvent,
    TurnResult,
    Move,
    Message,
    Inject,
    Override,
    Turn,
    RoleLock,
    # The game, its pinned scenario (and the rows made from it), its seats and people.
    Game,
    Scenario,
    Role,
    ActionDef,
    RuleDef,
    Seat,
    Participant,
]


@pytest.fixture
def played(db):
    """A game with one of each row: its scenario, seats and a participant, a resolved turn,
    moves, a lock, a message, an inject, an override and its events."""
    game, codes = game_create(seed=12, turns=3)
    seat_join(code=codes["observer"], name="A watcher")
    game_start(game_id=game.pk)
    move_submit(
        game_id=game.pk, role="seoul", action="strengthen_deterrence", target=None, rationale=""
    )
    message_post(game_id=game.pk, sender="seoul", to="all", text="Hello")
    scenario = engine_scenario(game.scenario)
    inject_apply(game_id=game.pk, inject_id=next(iter(scenario.injects)))
    role_lock(game_id=game.pk, role="seoul")
    turn = Turn.objects.get(game=game, number=1)
    assert turn_resolve(turn_id=turn.pk) is not None
    Override.objects.create(turn=turn, reason="test row", effects=[], results=[])
    return game


@pytest.fixture
def superuser_client(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def admin_url(model, suffix: str = "") -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_admin_shows_but_never_writes(model, played, superuser_client):
    """List and view pages answer 200 with no add link or save button; add, change and
    delete (pages and POSTs) answer 403 and the row is untouched; no bulk delete."""
    row = model.objects.order_by("pk").first()
    assert row is not None, f"the fixture made no {model.__name__}"
    before = model.objects.filter(pk=row.pk).values().get()
    count = model.objects.count()

    listing = superuser_client.get(admin_url(model))
    assert listing.status_code == 200
    assert admin_url(model, "add/").encode() not in listing.content
    assert b'value="delete_selected"' not in listing.content
    view = superuser_client.get(admin_url(model, f"{row.pk}/change/"))
    assert view.status_code == 200
    assert b'name="_save"' not in view.content
    assert b"deletelink" not in view.content

    assert superuser_client.get(admin_url(model, "add/")).status_code == 403
    assert superuser_client.post(admin_url(model, "add/"), {}).status_code == 403
    assert superuser_client.post(admin_url(model, f"{row.pk}/change/"), {}).status_code == 403
    assert superuser_client.get(admin_url(model, f"{row.pk}/delete/")).status_code == 403
    assert (
        superuser_client.post(admin_url(model, f"{row.pk}/delete/"), {"post": "yes"}).status_code
        == 403
    )
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    superuser_client.post(admin_url(model), bulk)
    assert model.objects.count() == count
    assert model.objects.filter(pk=row.pk).values().get() == before
