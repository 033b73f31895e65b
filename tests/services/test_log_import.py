"""Import hardening (issue "Replay, fork and after-action review"): a log is checked (size,
JSON Schema, meaning, re-adjudication) before anything is written, through the CLI, the
staff page /import/ and POST /api/games/import; a bad one is refused with the JSON path of
the first problem, a huge or hostile one cannot make the server do unbounded work."""

from __future__ import annotations

import copy
import json
import random
from functools import cache
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from tests.support.random_games import play_random_game
from wargame.gamelog import LogError, parse_log, replay
from wargame.models import Game
from wargame.selectors import game_log

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/games/import"


@cache
def _played_log() -> str:
    """A finished four-turn game's log (played once per test run, then copied)."""
    return json.dumps(game_log(play_random_game(31, turns=4)))


@pytest.fixture
def log() -> dict:
    document = json.loads(_played_log())
    Game.objects.all().delete()
    return document


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("analyst", password="pw", is_staff=True)
    client.force_login(user)
    return client


def post_log(client, body: bytes | str, **extra):
    return client.generic("POST", API, body, content_type="application/json", **extra)


def refused(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error", "code"}
    for word in words:
        assert word in body["error"], body
    return body


# --- the API ------------------------------------------------------------------------


def test_api_imports_a_log_as_a_read_only_game(staff, log):
    """POST /api/games/import with the log as the body: 201 {"game": id}; the game is
    read-only, finished, and its own log is the one we sent."""
    response = post_log(staff, json.dumps(log))
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"game"}
    game = Game.objects.get(pk=response.json()["game"])
    assert (game.read_only, game.status, game.current_turn) == (True, "finished", 4)
    again = game_log(game)
    assert [t["outcome"] for t in again["turns"]] == [t["outcome"] for t in log["turns"]]


@pytest.mark.parametrize("who", ["anonymous", "player"])
def test_api_import_is_for_staff_only(log, who):
    client = Client()
    if who == "player":
        user = get_user_model().objects.create_user("p", password="pw", is_staff=False)
        client.force_login(user)
    refused(post_log(client, json.dumps(log)), 403, "staff")
    assert Game.objects.count() == 0


def test_api_refuses_a_log_over_the_limit_with_413_before_reading_it(staff, log, settings):
    settings.LT_MAX_LOG_BYTES = 2000
    body = refused(post_log(staff, json.dumps(log)), 413, "limit is 2000")
    assert body["code"] == "too_large"
    assert Game.objects.count() == 0


def test_api_takes_a_log_larger_than_djangos_upload_memory_limit(staff, log, settings):
    """Our limit applies, not Django's 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE: a 3 MB log (long
    rationales and messages are legitimate) imports."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_log(staff, json.dumps(log))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("body", "where", "words"),
    [
        ("{not json", "$", ["not valid JSON"]),
        ("[" * 100_000 + "]" * 100_000, "$", ["nested too deeply"]),
        ('{"seed": NaN}', "$", ["NaN"]),
        ('{"seed": 1e999}', "$", ["too large a number"]),
        ('{"seed": ' + "9" * 5000 + "}", "$", ["not valid JSON", "4300"]),
        (b"\xff\xff{}", "$", ["not valid JSON"]),
        ("[]", "$", ["is not of type 'object'"]),
    ],
)
def test_api_refuses_malformed_json_at_the_root(staff, body, where, words):
    result = refused(post_log(staff, body), 400, *words)
    assert result["error"].startswith(f"{where}: ")
    assert result["code"] == "bad_log"
    assert Game.objects.count() == 0


def bad(log: dict, change) -> dict:
    document = copy.deepcopy(log)
    change(document)
    return document


def set_at(document, path, value):
    *head, last = path
    target = document
    for key in head:
        target = target[key]
    target[last] = value


BAD = {
    "unknown role in a seat": (["roles", 0, "role"], "tokyo", "$.roles[0].role", "unknown role"),
    "turns not a list": (["turns"], "many", "$.turns", "is not of type 'array'"),
    "unknown action": (
        ["turns", 1, "moves", 0, "action"],
        "nuke",
        "$.turns[1].moves[0].action",
        "",
    ),
    "turn out of order": (["turns", 2, "number"], 9, "$.turns[2].number", "expected turn 3"),
    "oversized message": (
        ["turns", 0, "messages"],
        [{"from": "seoul", "to": "all", "text": "x" * 9000}],
        "$.turns[0].messages[0].text",
        "is too long",
    ),
    "unknown recipient": (
        ["turns", 0, "messages"],
        [{"from": "seoul", "to": ["paris"], "text": "bonjour"}],
        "$.turns[0].messages[0]",
        "paris",
    ),
    "huge override effect": (
        ["turns", 0, "overrides"],
        [{"reason": "r", "effects": [{"var": "memory.nuclear_tests", "add": 10**40}]}],
        "$.turns[0].overrides[0].effects[0].add",
        "maximum",
    ),
    "forked start with an unknown variable": (
        ["start"],
        {"state": {"turn": 1, "relations": {}, "gold": 1}},
        "$.start.state.gold",
        "unknown variable",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_api_refuses_a_bad_log_naming_the_path_of_the_first_problem(staff, log, case):
    path, value, where, words = BAD[case]
    document = bad(log, lambda d: set_at(d, path, value))
    result = refused(post_log(staff, json.dumps(document)), 400, words)
    assert result["error"].startswith(f"{where}: "), result
    assert Game.objects.count() == 0


def test_a_forked_log_with_an_out_of_range_start_state_is_refused(log):
    """A start state must hold the scenario's variables within their bounds; the engine
    trusts the state it is given."""
    document = bad(log, lambda d: d.update(start={"state": replay(d)["turns"][0]["state"]}))
    document["turns"] = document["turns"][1:]
    assert replay(document)["verified"] is True
    document["start"]["state"]["tension"] = 1000
    with pytest.raises(LogError) as refusal:
        replay(document)
    assert refusal.value.path == "$.start.state.tension"
    assert "from 0 to 100" in refusal.value.detail


# --- the page -----------------------------------------------------------------------


def upload(client, content: bytes, **extra):
    file = SimpleUploadedFile("log.json", content, content_type="application/json")
    return client.post("/import/", {"file": file, "title": "Seminar B"}, **extra)


def test_page_shows_the_form_to_staff_only(staff):
    response = staff.get("/import/")
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"5.0" in response.content or b"4.8" in response.content  # the limit, in MB
    anonymous = Client().get("/import/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_page_imports_and_opens_the_replay(staff, log):
    response = upload(staff, json.dumps(log).encode())
    game = Game.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/games/{game.pk}/replay/"
    assert game.title == "Seminar B" and game.read_only


def test_page_refuses_a_tampered_log_with_400_and_the_form_again(staff, log):
    document = bad(log, lambda d: d["turns"][2]["outcome"]["state"].update(tension=3))
    response = upload(staff, json.dumps(document).encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "$.turns[2].outcome.state: turn 3 does not match" in page
    assert 'name="file"' in page
    assert Game.objects.count() == 0


def test_page_refuses_an_oversized_upload_with_413_before_parsing_it(staff, log, settings):
    settings.LT_MAX_LOG_BYTES = 1000
    response = upload(staff, b" " * 200_000)
    assert response.status_code == 413
    assert "limited to 1000 bytes" in response.content.decode()
    response = upload(staff, json.dumps(log).encode())  # within the slack, over the limit
    assert response.status_code == 413
    assert "the limit is 1000" in response.content.decode()
    assert Game.objects.count() == 0


def test_page_checks_csrf_after_the_size_check(log):
    user = get_user_model().objects.create_user("a", password="pw", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert upload(client, json.dumps(log).encode()).status_code == 403
    assert Game.objects.count() == 0
    token = client.get("/import/").cookies["csrftoken"].value
    response = client.post(
        "/import/",
        {"file": SimpleUploadedFile("log.json", json.dumps(log).encode()), "title": ""},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 302
    assert Game.objects.count() == 1


# --- the CLI ------------------------------------------------------------------------


def test_cli_refuses_a_huge_file_reading_no_more_than_the_limit(tmp_path, settings):
    """import_game exits 2 with one line naming the limit; the file is not read whole."""
    settings.LT_MAX_LOG_BYTES = 1000
    path = tmp_path / "huge.json"
    path.write_bytes(b"[" * 50_000_000)
    with pytest.raises(CommandError) as refusal:
        call_command("import_game", str(path), stdout=StringIO(), stderr=StringIO())
    assert refusal.value.returncode == 2
    message = str(refusal.value)
    assert "\n" not in message
    assert "1001 bytes or more; the limit is 1000" in message
    assert Game.objects.count() == 0


def test_cli_error_is_one_short_line_even_for_a_long_bad_value(tmp_path, log):
    document = bad(log, lambda d: d["turns"][0]["moves"][0].update(rationale="y\n" * 3000))
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as refusal:
        call_command("import_game", str(path), stdout=StringIO(), stderr=StringIO())
    message = str(refusal.value)
    assert "$.turns[0].moves[0].rationale: " in message and "is too long" in message
    assert "\n" not in message and len(message) < 400
    assert Game.objects.count() == 0


# --- hostile documents --------------------------------------------------------------

JUNK = [None, -1, 10**30, "x" * 50, [], {}, True, 1.5, [[[]]], {"var": "tension"}]


def mutate(document: dict, rng: random.Random) -> None:
    """Replace or delete one value somewhere in the document."""
    parent, key = None, None
    node = document
    while isinstance(node, dict | list) and len(node) and (key is None or rng.random() > 0.25):
        parent = node
        key = rng.choice(list(node) if isinstance(node, dict) else range(len(node)))
        node = node[key]
    if parent is None:
        return
    if isinstance(parent, dict) and rng.random() < 0.3:
        del parent[key]
    else:
        parent[key] = copy.deepcopy(rng.choice(JUNK))


def test_a_thousand_mutated_logs_are_refused_or_read_never_crash(log):
    """Any one value replaced or deleted: the reader answers with a LogError (a path and a
    message) or a report, never another exception (which would be a 500)."""
    rng = random.Random(7)
    outcomes = {"refused": 0, "read": 0}
    text = json.dumps(log)
    for _ in range(1000):
        document = json.loads(text)
        for _ in range(rng.randint(1, 3)):
            mutate(document, rng)
        try:
            replay(parse_log(json.dumps(document)))
        except LogError as exc:
            assert exc.path.startswith("$"), exc
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
    assert outcomes["refused"] > 500, outcomes
