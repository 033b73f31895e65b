"""Bad input (docs/architecture.md, quality bars): each case gets its status, a JSON error a person
can act on, and changes nothing in the database.

HTTP cases go through the public API with bearer tokens; log cases through the CLI
(`import_game`, `replay`); the socket case through WebsocketCommunicator.
"""

import copy
import json
from contextlib import contextmanager
from io import StringIO

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import Client

from players.models import Participant
from tests.support.api_seats import http
from tests.support.api_seats import seated_game as api_seated_game
from tests.support.scripted_game import ROLES
from wargame.asgi import application
from wargame.engine.loader import DEFAULT_SLUG, load_document
from wargame.errors import BadInput
from wargame.models import (
    Game,
    GameEvent,
    Inject,
    Message,
    Move,
    RoleLock,
    Scenario,
    Turn,
    TurnResult,
)
from wargame.selectors import game_log
from wargame.services.games import game_create, game_start
from wargame.services.notes import game_notes_set
from wargame.services.scenarios import scenario_upload

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = (Game, Turn, Move, RoleLock, Message, Inject, TurnResult, GameEvent, Participant)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ROWS}


@contextmanager
def nothing_changes():
    """Assert the block adds, removes or renumbers no row."""
    before = counts(), list(Game.objects.values_list("pk", "status", "last_seq", "current_turn"))
    yield
    after = counts(), list(Game.objects.values_list("pk", "status", "last_seq", "current_turn"))
    assert after == before


def refused(response, status: int, *words: str, code: str | None = None) -> dict:
    """The response is `status` with {"error": ...} naming every one of `words`."""
    got, body = response
    assert got == status, body
    assert isinstance(body, dict)
    assert isinstance(body.get("error"), str)
    assert body["error"]
    for word in words:
        assert word.lower() in body["error"].lower(), (word, body["error"])
    if code:
        assert body["code"] == code
    return body


def seated_game(*, start: bool = True) -> tuple[int, dict[str, str]]:
    """A game with every seat joined; returns (game id, {seat: token})."""
    return api_seated_game(seed=3, title="Bad input", start=start)


@pytest.fixture
def game():
    return seated_game()


def move(game_id, token, action, target=None, rationale="because"):
    body = {"action": action, "target": target, "rationale": rationale}
    return http("POST", f"/api/games/{game_id}/moves", body, token)


def message(game_id, token, to, text):
    return http("POST", f"/api/games/{game_id}/messages", {"to": to, "text": text}, token)


# --- moves --------------------------------------------------------------------------


def test_unknown_action_is_400_listing_the_actions_the_role_may_play(game):
    """An action no role has: 400 naming it and the role's own actions."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            move(game_id, tokens["seoul"], "fly_to_mars"),
            400,
            "unknown action",
            "fly_to_mars",
            "strengthen_deterrence",
            code="unknown_action",
        )


def test_another_roles_action_is_400_not_role_action(game):
    """Seoul plays Beijing's action: 400, code not_role_action, naming whose action it is."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            move(game_id, tokens["seoul"], "host_summit_pyongyang", "pyongyang"),
            400,
            "host_summit_pyongyang",
            "beijing",
            code="not_role_action",
        )


def test_wrong_target_is_400_naming_the_allowed_targets(game):
    """A target the action cannot take: 400 listing the targets it can."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            move(game_id, tokens["beijing"], "host_summit_pyongyang", "seoul"),
            400,
            "target",
            "pyongyang",
            "'seoul'",
            code="bad_target",
        )


def test_target_on_an_untargeted_action_is_400(game):
    """An action that takes no target, given one: 400."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            move(game_id, tokens["pyongyang"], "missile_test", "seoul"),
            400,
            "takes no target",
            code="bad_target",
        )


def test_move_without_an_action_is_400(game):
    """A body missing the action field: 400 naming the field."""
    game_id, tokens = game
    with nothing_changes():
        response = http(
            "POST", f"/api/games/{game_id}/moves", {"target": "seoul"}, tokens["beijing"]
        )
        refused(response, 400, "action", "required")


def test_100_kb_rationale_is_400_naming_the_limit(game):
    """A 100 KB rationale is refused, not truncated: 400 with the limit."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            move(game_id, tokens["seoul"], "strengthen_deterrence", rationale="x" * 100_000),
            400,
            "rationale",
            "limit",
            "2000",
            code="too_long",
        )


def test_move_after_the_role_locked_is_409(game):
    """Beijing locks, then tries to move: 409, saying it has locked."""
    game_id, tokens = game
    status, _ = http("POST", f"/api/games/{game_id}/lock", token=tokens["beijing"])
    assert status == 200
    with nothing_changes():
        refused(
            move(game_id, tokens["beijing"], "court_seoul", "seoul"),
            409,
            "locked",
            code="wrong_phase",
        )


def test_lock_twice_is_409(game):
    """A second lock of the same role for the same turn: 409."""
    game_id, tokens = game
    assert http("POST", f"/api/games/{game_id}/lock", token=tokens["beijing"])[0] == 200
    with nothing_changes():
        refused(http("POST", f"/api/games/{game_id}/lock", token=tokens["beijing"]), 409, "locked")


def test_move_before_the_game_starts_is_409():
    """No turn open (the game is in the lobby): 409 saying moves wait for a running game."""
    game_id, tokens = seated_game(start=False)
    with nothing_changes():
        refused(move(game_id, tokens["seoul"], "strengthen_deterrence"), 409, "lobby", "runs")


def test_move_while_the_turn_is_resolving_is_409(game):
    """The open turn has been claimed for resolution: 409, no turn open for moves."""
    game_id, tokens = game
    Turn.objects.filter(game_id=game_id, number=1).update(status=Turn.Status.RESOLVING)
    with nothing_changes():
        refused(move(game_id, tokens["seoul"], "strengthen_deterrence"), 409, "no turn is open")


def test_move_after_the_deadline_is_409():
    """The turn's deadline has passed (not yet swept): 409 naming the deadline."""
    game, codes = game_create(seed=3, deadline_seconds=60)
    status, body = http("POST", "/api/join", {"code": codes["seoul"], "name": "Ada"})
    token = body["token"]
    game_start(game_id=game.pk)
    Turn.objects.filter(game=game).update(deadline="2000-01-01T00:00:00Z")
    with nothing_changes():
        refused(move(game.pk, token, "strengthen_deterrence"), 409, "deadline", "turn 1")


def test_withdrawing_a_move_of_a_past_turn_is_409(game):
    """Turn 1 resolved; withdrawing Seoul's turn-1 move in turn 2: 409, a past turn."""
    game_id, tokens = game
    status, made = move(game_id, tokens["seoul"], "strengthen_deterrence")
    assert status == 201
    assert http("POST", f"/api/games/{game_id}/resolve", token=tokens["facilitator"])[0] == 200
    assert Game.objects.get(pk=game_id).current_turn == 1
    with nothing_changes():
        response = http("DELETE", f"/api/games/{game_id}/moves/{made['id']}", token=tokens["seoul"])
        refused(response, 409, "past turn")


def test_move_in_a_finished_game_is_409(game):
    """The facilitator ended the game: a move is 409, naming the game's state."""
    game_id, tokens = game
    assert http("POST", f"/api/games/{game_id}/finish", token=tokens["facilitator"])[0] == 200
    with nothing_changes():
        refused(move(game_id, tokens["seoul"], "strengthen_deterrence"), 409, "finished")


def test_withdrawing_another_roles_move_is_404(game):
    """Seoul cannot withdraw Beijing's move: 404, as if it did not exist."""
    game_id, tokens = game
    status, made = move(game_id, tokens["beijing"], "court_seoul", "seoul")
    assert status == 201
    with nothing_changes():
        response = http("DELETE", f"/api/games/{game_id}/moves/{made['id']}", token=tokens["seoul"])
        refused(response, 404, "no such move")


@pytest.mark.parametrize(
    ("body", "words"),
    [("[" * 3000, ["nested too deeply"]), ('{"action": "strengthen', ["not JSON", "char"])],
)
def test_body_that_is_not_json_is_400_saying_why(game, body, words):
    """A body nested 3,000 deep or cut short: 400 saying which (was "Cannot parse")."""
    game_id, tokens = game
    with nothing_changes():
        response = Client().post(
            f"/api/games/{game_id}/moves",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens['seoul']}",
        )
        refused((response.status_code, response.json()), 400, *words, code="bad_json")


# --- who may do what ----------------------------------------------------------------


def test_another_games_id_with_this_games_token_is_404(game):
    """A seat of game A asks for game B: 404 for reads and writes alike."""
    game_id, tokens = game
    other_id, _ = seated_game()
    with nothing_changes():
        refused(http("GET", f"/api/games/{other_id}", token=tokens["seoul"]), 404, "no such game")
        refused(move(other_id, tokens["seoul"], "strengthen_deterrence"), 404, "no such game")
        refused(message(other_id, tokens["seoul"], "all", "hello"), 404, "no such game")
        refused(
            http("POST", f"/api/games/{other_id}/resolve", token=tokens["facilitator"]),
            404,
            "no such game",
        )


def test_no_credentials_is_401_saying_how_to_authenticate(game):
    """No token and no session: 401 explaining the bearer token."""
    game_id, _ = game
    with nothing_changes():
        refused(
            move(game_id, None, "strengthen_deterrence"),
            401,
            "Authorization: Bearer",
            "/api/join",
            code="unauthenticated",
        )


def test_unknown_token_is_401(game):
    """A made-up bearer token is no credential at all."""
    game_id, _ = game
    with nothing_changes():
        refused(move(game_id, "made-up-token", "strengthen_deterrence"), 401, "credentials")


def test_observer_may_not_move(game):
    """An observer only reads: a move is 403."""
    game_id, tokens = game
    with nothing_changes():
        refused(move(game_id, tokens["observer"], "strengthen_deterrence"), 403, "observers")


def test_observer_may_not_message(game):
    """An observer only reads: a message is 403."""
    game_id, tokens = game
    with nothing_changes():
        refused(message(game_id, tokens["observer"], "all", "hello"), 403, "observers")


def test_facilitator_does_not_move(game):
    """The facilitator runs the game but plays no role: a move is 403."""
    game_id, tokens = game
    with nothing_changes():
        refused(move(game_id, tokens["facilitator"], "strengthen_deterrence"), 403, "role")


@pytest.mark.parametrize("action", ["start", "pause", "resolve", "finish"])
@pytest.mark.parametrize("seat", ["seoul", "observer"])
def test_only_the_facilitator_runs_the_game(game, action, seat):
    """A role or an observer calling a facilitator's control: 403."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            http("POST", f"/api/games/{game_id}/{action}", token=tokens[seat]),
            403,
            "only the facilitator",
            code="forbidden",
        )


def test_start_twice_is_409(game):
    """A running game cannot start again: 409 naming its state."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            http("POST", f"/api/games/{game_id}/start", token=tokens["facilitator"]),
            409,
            "running",
            "lobby",
            code="wrong_phase",
        )


def test_resume_of_a_running_game_is_409(game):
    """Only a paused game resumes."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            http("POST", f"/api/games/{game_id}/resume", token=tokens["facilitator"]),
            409,
            "paused",
        )


def test_wrong_join_code_is_404_and_seats_no_one(game):
    """A code that opens no seat: 404 asking to check it; no participant is made."""
    with nothing_changes():
        refused(http("POST", "/api/join", {"code": "NOPE2345", "name": "Eve"}), 404, "check it")


def test_blank_name_is_400_and_seats_no_one():
    """A name of spaces only: 400 asking for a name; no participant is made."""
    game, codes = game_create(seed=3)
    with nothing_changes():
        refused(http("POST", "/api/join", {"code": codes["seoul"], "name": "   "}), 400, "name")


def test_join_without_a_name_is_400(game):
    """A join body without a name: 400 naming the field."""
    with nothing_changes():
        refused(http("POST", "/api/join", {"code": "ABCDEFGH"}), 400, "name", "required")


def test_browser_write_without_csrf_token_is_403():
    """A session-authenticated write without the CSRF token is refused and changes nothing."""
    game, codes = game_create(seed=3)
    game_start(game_id=game.pk)
    browser = Client(enforce_csrf_checks=True)
    joined = browser.post(
        "/api/join", data={"code": codes["seoul"], "name": "Ada"}, content_type="application/json"
    )
    assert joined.status_code == 200
    with nothing_changes():
        response = browser.post(
            f"/api/games/{game.pk}/moves",
            data=json.dumps({"action": "strengthen_deterrence"}),
            content_type="application/json",
        )
        refused((response.status_code, response.json()), 403, "CSRF")


# --- messages -----------------------------------------------------------------------


def test_oversized_message_is_400_naming_the_limit(game):
    """A 5,000-character message (limit 4,000): 400, refused whole."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            message(game_id, tokens["seoul"], "beijing", "y" * 5000),
            400,
            "limit",
            "4000",
            code="too_long",
        )


def test_message_to_an_unknown_role_is_400_listing_recipients(game):
    """A recipient that is no role: 400 naming it and who may be addressed."""
    game_id, tokens = game
    with nothing_changes():
        refused(
            message(game_id, tokens["seoul"], "tokyo", "hello"),
            400,
            "'tokyo'",
            "beijing",
            "all",
            code="bad_recipient",
        )


def test_empty_message_is_400(game):
    """Whitespace only: 400 asking for some text."""
    game_id, tokens = game
    with nothing_changes():
        refused(message(game_id, tokens["seoul"], "all", "   "), 400, "text", code="empty")


def test_message_after_the_game_finished_is_409(game):
    """The game is over: its channels are closed (409) and nothing is stored."""
    game_id, tokens = game
    assert http("POST", f"/api/games/{game_id}/finish", token=tokens["facilitator"])[0] == 200
    with nothing_changes():
        refused(message(game_id, tokens["seoul"], "all", "too late"), 409, "finished")


# --- bodies over Django's in-memory limit -------------------------------------------


def _oversized_body() -> str:
    from django.conf import settings

    return json.dumps({"to": "all", "text": "z" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})


@pytest.mark.parametrize("who", ["bearer", "session", "staff", "anonymous"])
def test_body_over_the_upload_limit_is_413_json(game, who):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) on a JSON endpoint: 413 with the
    JSON error naming the limit (it was Django's HTML 400, or a traceback in debug)."""
    from django.contrib.auth import get_user_model

    game_id, tokens = game
    client, headers, path = Client(), {}, f"/api/games/{game_id}/messages"
    if who == "bearer":
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['seoul']}"}
    elif who == "session":
        code = Participant.objects.get(token=tokens["seoul"]).seat.code
        client.post("/api/join", {"code": code, "name": "Ada"}, content_type="application/json")
    elif who == "staff":
        user = get_user_model().objects.create_user("white-cell", password="pw", is_staff=True)
        client.force_login(user)
        path = "/api/games"
    else:
        path = "/api/join"
    with nothing_changes():
        response = client.post(path, _oversized_body(), content_type="application/json", **headers)
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        refused((response.status_code, response.json()), 413, "2621440", code="too_large")


@pytest.mark.services
def test_body_over_the_upload_limit_is_413_json_on_the_full_stack(game, resolve_in_process):
    """The same with the full stack's settings (PostgreSQL, debug off)."""
    game_id, tokens = game
    with nothing_changes():
        response = Client().post(
            f"/api/games/{game_id}/messages",
            _oversized_body(),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens['seoul']}",
        )
        refused((response.status_code, response.json()), 413, "2621440", code="too_large")


# --- logs (CLI) ---------------------------------------------------------------------

SCRIPT = {
    "format": "lips-and-teeth/log",
    "version": 1,
    "scenario": "lips-and-teeth-2025",
    "seed": 7,
    "turns": [
        {
            "number": 1,
            "moves": [
                {
                    "role": "washington",
                    "action": "raise_tariffs_china",
                    "target": "beijing",
                    "rationale": "pressure before trade talks",
                }
            ],
        },
        {"number": 2, "moves": []},
    ],
}


def write(tmp_path, document, name="log.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def bad_script(change) -> dict:
    document = copy.deepcopy(SCRIPT)
    change(document)
    return document


BAD_LOGS = {
    "action not a string": (
        lambda d: d["turns"][0]["moves"][0].update(action=42),
        "$.turns[0].moves[0].action",
    ),
    "unknown action": (
        lambda d: d["turns"][0]["moves"][0].update(action="fly_to_mars"),
        "$.turns[0].moves[0].action",
    ),
    "another role's action": (
        lambda d: d["turns"][0]["moves"][0].update(action="host_summit_pyongyang"),
        "$.turns[0].moves[0].action",
    ),
    "bad target": (
        lambda d: d["turns"][0]["moves"][0].update(target="moscow"),
        "$.turns[0].moves[0].target",
    ),
    "move without a role": (lambda d: d["turns"][0]["moves"][0].pop("role"), "$.turns[0].moves[0]"),
    "unknown field in a move": (
        lambda d: d["turns"][0]["moves"][0].update(secret="x"),
        "$.turns[0].moves[0]",
    ),
    "turns out of order": (lambda d: d["turns"][1].update(number=3), "$.turns[1].number"),
    "negative seed": (lambda d: d.update(seed=-1), "$.seed"),
    "wrong format": (lambda d: d.update(format="chess/pgn"), "$.format"),
    "unknown scenario": (lambda d: d.update(scenario="no-such-scenario"), "$.scenario"),
}


@pytest.mark.parametrize("case", sorted(BAD_LOGS))
@pytest.mark.parametrize("command", ["import_game", "replay"])
def test_bad_log_is_refused_naming_the_json_path(tmp_path, command, case):
    """A schema-violating or meaningless log: CommandError naming the first bad field's
    JSON path; nothing is imported."""
    change, where = BAD_LOGS[case]
    path = write(tmp_path, bad_script(change))
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command(command, path, stdout=StringIO(), stderr=StringIO())
    assert str(refusal.value).split(": ", 1)[1].startswith(f"{where}: ")


@pytest.mark.parametrize("command", ["import_game", "replay"])
def test_non_json_log_is_refused(tmp_path, command):
    """A file that is not JSON: CommandError saying so at $; nothing imported."""
    path = write(tmp_path, '{"format": "lips-and-teeth/log", "turns": [')
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command(command, path, stdout=StringIO(), stderr=StringIO())
    assert "$: not valid JSON" in str(refusal.value)


@pytest.mark.parametrize("command", ["import_game", "replay"])
def test_missing_log_file_is_refused(tmp_path, command):
    """A path that does not exist: CommandError naming it."""
    missing = str(tmp_path / "nowhere.json")
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command(command, missing, stdout=StringIO(), stderr=StringIO())
    assert "nowhere.json" in str(refusal.value)


@pytest.fixture
def played_log() -> dict:
    """The log of a finished three-turn game played by five bots."""
    game, _ = game_create(seed=5, turns=3, bots=ROLES)
    game_start(game_id=game.pk)
    game.refresh_from_db()
    assert game.status == "finished"
    return game_log(game)


def tamper_turn_3(log: dict) -> dict:
    document = copy.deepcopy(log)
    document["turns"][2]["outcome"]["state"]["tension"] += 7
    return document


def test_tampered_log_fails_replay_verify_naming_turn_3(tmp_path, played_log):
    """State edited in turn 3: `replay --verify` exits 1 and names turn 3."""
    call_command("replay", write(tmp_path, played_log, "good.json"), "--verify", stderr=StringIO())
    path = write(tmp_path, tamper_turn_3(played_log))
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("replay", path, "--verify", stdout=StringIO(), stderr=stderr)
    assert exit_.value.code == 1
    assert "turn 3" in stderr.getvalue()
    assert "turn 1 " not in stderr.getvalue()


def test_tampered_log_json_report_names_turn_3(tmp_path, played_log):
    """`replay --verify --json` prints verified false and the first mismatch at turn 3."""
    path = write(tmp_path, tamper_turn_3(played_log))
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("replay", path, "--verify", "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    assert report["verified"] is False
    assert report["first_mismatch"]["turn"] == 3
    assert [t.get("matches") for t in report["turns"]] == [True, True, False]


def test_log_with_tampered_dice_fails_replay_verify(tmp_path, played_log):
    """Turn 3's recorded roll edited (a chance rule 'failed'): --verify exits 1 naming turn 3."""
    document = copy.deepcopy(played_log)
    rolled = [r for r in document["turns"][2]["outcome"]["fired_rules"] if r["roll"] is not None]
    assert rolled, "the fixture game should roll dice in turn 3"
    rolled[0].update(roll=99, succeeded=False)
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("replay", write(tmp_path, document), "--verify", stderr=stderr)
    assert exit_.value.code == 1
    assert "turn 3" in stderr.getvalue()


def test_log_with_tampered_scores_fails_replay_verify(tmp_path, played_log):
    """Turn 3's recorded scores edited (Seoul +10): --verify exits 1 naming turn 3."""
    document = copy.deepcopy(played_log)
    document["turns"][2]["outcome"]["scores"]["seoul"] += 10
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("replay", write(tmp_path, document), "--verify", stderr=stderr)
    assert exit_.value.code == 1
    assert "turn 3" in stderr.getvalue()


def test_tampered_log_is_not_imported(tmp_path, played_log):
    """import_game refuses a log whose turn 3 does not re-adjudicate; nothing imported."""
    path = write(tmp_path, tamper_turn_3(played_log))
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command("import_game", path, stdout=StringIO(), stderr=StringIO())
    assert "turn 3" in str(refusal.value)


def test_oversized_log_is_refused_before_parsing(tmp_path, settings):
    """A log over LT_MAX_LOG_BYTES: CommandError naming the limit; nothing imported."""
    settings.LT_MAX_LOG_BYTES = 1000
    document = bad_script(lambda d: d["turns"][0]["moves"][0].update(rationale="z" * 2000))
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command("import_game", write(tmp_path, document), stdout=StringIO())
    assert "limit is 1000" in str(refusal.value)


# --- the socket ---------------------------------------------------------------------


@pytest.fixture
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


async def open_seoul_socket():
    game_id, tokens = await sync_to_async(seated_game)()
    communicator = WebsocketCommunicator(
        application, f"/ws/games/{game_id}/?token={tokens['seoul']}"
    )
    connected, _ = await communicator.connect()
    assert connected
    presence = await communicator.receive_json_from()
    assert presence["type"] == "presence"
    return communicator


@pytest.mark.parametrize(
    ("frame", "words"),
    [
        ("this is not json", ["not JSON", "resume"]),
        ("[1, 2, 3]", ["JSON object", "type"]),
        ('{"type": "teleport"}', ["teleport", "resume", "ping"]),
        ('{"type": "resume", "last_seq": -4}', ["last_seq", ">= 0"]),
        ('{"type": "resume"}', ["last_seq"]),
        ("x" * 5000, ["4 KB"]),
        ("[" * 2000, ["nested too deeply", "ping"]),
        ('{"type": "ping", "x": ' + "[" * 1500 + "]" * 1500 + "}", ["nested too deeply"]),
        ('{"type": "\\ud800\\u0000"}', ["Unknown frame type", "resume"]),
    ],
)
async def test_bad_socket_frame_gets_an_error_and_the_socket_stays_open(
    fresh_channel_layer, frame, words
):
    """A bad frame gets {"type": "error"} with a hint; a ping afterwards still gets pong."""
    communicator = await open_seoul_socket()
    before = await _counts()
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    for word in words:
        assert word in error["data"]["error"]
    await communicator.send_json_to({"type": "ping"})
    pong = await communicator.receive_json_from()
    assert pong["type"] == "pong"
    assert await _counts() == before
    await communicator.disconnect()


async def _counts():
    return await sync_to_async(counts)()


async def test_binary_socket_frame_gets_an_error_and_the_socket_stays_open(fresh_channel_layer):
    """A binary frame gets {"type": "error"} asking for JSON text; ping still gets pong."""
    communicator = await open_seoul_socket()
    await communicator.send_to(bytes_data=b"\x00\x01")
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    assert "JSON text frames" in error["data"]["error"]
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


# --- text the database cannot store -------------------------------------------------
# A NUL (PostgreSQL refuses it in text and jsonb) or a lone surrogate (no UTF-8 for it;
# JSON's "\ud800" decodes to one) in any text field that reaches the database: 400 naming
# the field and what is wrong, nothing written. Each case runs on SQLite here and on
# PostgreSQL in the `services` variant below.

UNSTORABLE = {"NUL": ("\x00", "NUL"), "lone surrogate": ("\ud800", "surrogate")}


def staff_http(method, path, body=None, *, raw=None, content_type="application/json"):
    """One call as a logged-in staff account: (status, JSON body or None)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="white-cell", is_staff=True)
    client = Client()
    client.force_login(user)
    data = raw if raw is not None else json.dumps(body) if body is not None else None
    response = client.generic(method, path, data=data, content_type=content_type)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, None


def _in_review(game_id, tokens):
    """Turn 1 adjudicated and held for the umpire."""
    on = http("POST", f"/api/games/{game_id}/review-mode", {"on": True}, tokens["facilitator"])
    assert on[0] == 200, on
    for role in ROLES:
        assert http("POST", f"/api/games/{game_id}/lock", token=tokens[role])[0] == 200
    assert Turn.objects.get(game_id=game_id, number=1).status == Turn.Status.REVIEW


def _log_with(bad: str) -> bytes:
    game_row, _ = game_create(seed=5, turns=2, bots=ROLES)
    game_start(game_id=game_row.pk)
    document = game_log(Game.objects.get(pk=game_row.pk))
    Game.objects.filter(pk=game_row.pk).delete()
    document["turns"][0]["moves"][0]["rationale"] = f"looks fine{bad}"
    return json.dumps(document).encode()


def _inject(game_id, tokens, **body):
    return http("POST", f"/api/games/{game_id}/injects", body, tokens["facilitator"])


def _override(game_id, tokens, reason):
    body = {"reason": reason, "effects": EFFECT}
    return http("POST", f"/api/games/{game_id}/review/override", body, tokens["facilitator"])


EFFECT = [{"var": "tension", "add": 1}]

# field -> (call(game id, tokens, bad text, prepared), where the error points,
#           prepare(game id, tokens, bad text) run before the call, outside the count)
TEXT_FIELDS = {
    "move rationale": (
        lambda g, t, bad, _: move(g, t["seoul"], "strengthen_deterrence", rationale=f"ok{bad}"),
        "rationale",
        None,
    ),
    "move action": (lambda g, t, bad, _: move(g, t["seoul"], f"strengthen{bad}"), "action", None),
    "move target": (
        lambda g, t, bad, _: move(g, t["beijing"], "court_seoul", f"seoul{bad}"),
        "target",
        None,
    ),
    "message text": (
        lambda g, t, bad, _: message(g, t["seoul"], "all", f"hello{bad}"),
        "text",
        None,
    ),
    "message recipient": (
        lambda g, t, bad, _: message(g, t["seoul"], f"beijing{bad}", "hi"),
        "to",
        None,
    ),
    "join name": (
        lambda g, t, bad, code: http("POST", "/api/join", {"code": code, "name": f"Ada{bad}"}),
        "name",
        lambda g, t, bad: game_create(seed=1)[1]["seoul"],
    ),
    "join code": (
        lambda g, t, bad, _: http("POST", "/api/join", {"code": f"AB{bad}", "name": "Eve"}),
        "code",
        None,
    ),
    "inject label": (
        lambda g, t, bad, _: _inject(g, t, label=f"Flood{bad}", effects=EFFECT),
        "label",
        None,
    ),
    "inject description": (
        lambda g, t, bad, _: _inject(g, t, label="Flood", description=f"rain{bad}", effects=EFFECT),
        "description",
        None,
    ),
    "inject id": (lambda g, t, bad, _: _inject(g, t, inject=f"flood{bad}"), "inject", None),
    "inject effect": (
        lambda g, t, bad, _: _inject(
            g, t, label="Flood", effects=[{"var": f"tension{bad}", "add": 1}]
        ),
        "effects[0]",
        None,
    ),
    "override reason": (
        lambda g, t, bad, _: _override(g, t, f"umpire{bad}"),
        "reason",
        lambda g, t, bad: _in_review(g, t),
    ),
    "game title": (
        lambda g, t, bad, _: staff_http("POST", "/api/games", {"title": f"Drill{bad}"}),
        "title",
        None,
    ),
    "game scenario": (
        lambda g, t, bad, _: staff_http("POST", "/api/games", {"scenario": f"lips{bad}"}),
        "scenario",
        None,
    ),
    "game bots": (
        lambda g, t, bad, _: staff_http("POST", "/api/games", {"bots": [f"seoul{bad}"]}),
        "bots",
        None,
    ),
    "imported field": (
        lambda g, t, bad, log: staff_http("POST", "/api/games/import", raw=log),
        "$.turns[0].moves[0].rationale",
        lambda g, t, bad: _log_with(bad),
    ),
    "import title": (
        lambda g, t, bad, log: staff_http("POST", f"/api/games/import?title=Log{bad}", raw=log),
        "title",
        lambda g, t, bad: _log_with(""),
    ),
}


# A query string cannot carry a lone surrogate (Django decodes it as U+FFFD).
TEXT_CASES = [
    (field, kind)
    for field in sorted(TEXT_FIELDS)
    for kind in sorted(UNSTORABLE)
    if not (field == "import title" and kind == "lone surrogate")
]


def _refuses_unstorable_text(field: str, kind: str) -> None:
    bad, word = UNSTORABLE[kind]
    call, where, prepare = TEXT_FIELDS[field]
    game_id, tokens = seated_game()
    prepared = prepare(game_id, tokens, bad) if prepare else None
    with nothing_changes():
        response = call(game_id, tokens, bad, prepared)
    refused(response, 400, where, word, code="bad_text")


@pytest.mark.parametrize(("field", "kind"), TEXT_CASES)
def test_unstorable_text_is_400_naming_the_field(field, kind):
    """A NUL or a lone surrogate in any text field that reaches the database: 400 naming
    the field and the character, and nothing written."""
    _refuses_unstorable_text(field, kind)


@pytest.fixture
def resolve_in_process(monkeypatch):
    """The full stack's settings without a worker: a turn queued for resolution is
    resolved at once in this process (the bots' game of the imported log, the review)."""
    from wargame.jobs.tasks import resolve_turn
    from wargame.services import ports

    monkeypatch.setattr(
        ports._ports, "resolve", lambda turn_id, **kw: resolve_turn.apply([turn_id], kw)
    )


@pytest.mark.services
@pytest.mark.parametrize(("field", "kind"), TEXT_CASES)
def test_unstorable_text_is_400_naming_the_field_on_postgresql(resolve_in_process, field, kind):
    """The same on PostgreSQL, which refuses a NUL itself (it answered 500 there)."""
    _refuses_unstorable_text(field, kind)


def _notes(bad):
    game_row, _ = game_create(seed=2)
    with pytest.raises(BadInput) as refusal:
        game_notes_set(game_id=game_row.pk, notes=f"debrief{bad}")
    assert Game.objects.get(pk=game_row.pk).notes == ""
    return refusal.value


def _scenario_upload(bad):
    document, _digest = load_document(DEFAULT_SLUG, 1)
    document = {**document, "version": 99, "title": f"Edited{bad}"}
    before = Scenario.objects.count()
    with pytest.raises(BadInput) as refusal:
        scenario_upload(raw=json.dumps(document))
    assert Scenario.objects.count() == before
    return refusal.value


def _cli_import(bad, tmp_path):
    path = tmp_path / "log.json"
    path.write_bytes(_log_with(bad))
    with nothing_changes(), pytest.raises(CommandError) as refusal:
        call_command("import_game", str(path), stdout=StringIO(), stderr=StringIO())
    return refusal.value


OTHER_WRITERS = {
    "debrief notes": (lambda bad, tmp: _notes(bad).message, "notes"),
    "scenario upload": (lambda bad, tmp: _scenario_upload(bad).message, "$.title"),
    "import_game CLI": (lambda bad, tmp: str(_cli_import(bad, tmp)), "$.turns[0].moves[0]"),
}


def _other_writer_refuses(writer, kind, tmp_path):
    bad, word = UNSTORABLE[kind]
    run, where = OTHER_WRITERS[writer]
    text = run(bad, tmp_path)
    assert where in text and word in text, text


@pytest.mark.parametrize("kind", sorted(UNSTORABLE))
@pytest.mark.parametrize("writer", sorted(OTHER_WRITERS))
def test_unstorable_text_is_refused_by_the_other_writers(tmp_path, writer, kind):
    """Notes, scenario uploads and the CLI importer refuse a NUL or a lone surrogate
    (escaped in the JSON as \\u0000 or \\ud800) naming where it is; nothing is written."""
    _other_writer_refuses(writer, kind, tmp_path)


@pytest.mark.services
@pytest.mark.parametrize("kind", sorted(UNSTORABLE))
@pytest.mark.parametrize("writer", sorted(OTHER_WRITERS))
def test_unstorable_text_is_refused_by_the_other_writers_on_postgresql(
    resolve_in_process, tmp_path, writer, kind
):
    """The same on PostgreSQL."""
    _other_writer_refuses(writer, kind, tmp_path)


# --- credentials that are not text ----------------------------------------------------


def _nul_token_refused() -> None:
    game_id, _ = seated_game()
    with nothing_changes():
        refused(move(game_id, "made-up\x00token", "strengthen_deterrence"), 401, "credentials")


def test_a_token_holding_a_nul_is_no_credential():
    """A bearer token with a NUL in it: 401 like any unknown token (PostgreSQL refused the
    lookup itself: 500)."""
    _nul_token_refused()


@pytest.mark.services
def test_a_token_holding_a_nul_is_no_credential_on_postgresql(resolve_in_process):
    """The same on PostgreSQL."""
    _nul_token_refused()


async def _socket_with_nul_token_is_refused() -> None:
    game_id, _tokens = await sync_to_async(seated_game)()
    communicator = WebsocketCommunicator(application, f"/ws/games/{game_id}/?token=ab%00cd")
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4404
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()  # the socket's thread held a connection


async def test_a_socket_token_holding_a_nul_is_refused_as_unknown(fresh_channel_layer):
    """?token= with a NUL: the socket is refused as for an unknown token (4404), not 1011."""
    await _socket_with_nul_token_is_refused()


@pytest.mark.services
async def test_a_socket_token_holding_a_nul_is_refused_on_postgresql(fresh_channel_layer):
    """The same on PostgreSQL."""
    await _socket_with_nul_token_is_refused()
