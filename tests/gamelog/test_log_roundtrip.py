"""Export, import, `replay --verify` and fork of 100 games played by random legal moves
(issue "Replay, fork and after-action review"), and tampered logs refused naming the turn
through the service, the CLI, the import page and the API."""

from __future__ import annotations

import json
import random
import time
from functools import cache
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.support.random_games import play_random_game
from wargame.errors import BadInput
from wargame.gamelog import replay
from wargame.models import Game, Message, Move, TurnResult
from wargame.selectors import game_log
from wargame.services.logs import game_fork, game_import

pytestmark = pytest.mark.django_db(transaction=True)

GAMES = 100


def test_a_hundred_random_games_export_import_verify_and_fork():
    """Each game, played to the end by seats making random legal moves (with messages and
    an inject), exports a log that verifies, imports as a read-only game with the same
    turns, moves and messages, and forks at a random turn from exactly that turn's state."""
    rng = random.Random(2025)
    started = time.perf_counter()
    turn_counts = set()
    for seed in range(GAMES):
        game = play_random_game(seed)
        turn_counts.add(game.max_turns)
        log = game_log(game)
        assert [t["number"] for t in log["turns"]] == list(range(1, game.max_turns + 1))
        report = replay(log)
        assert report["verified"] is True, (seed, report["first_mismatch"])

        imported, _codes = game_import(document=log)
        assert (imported.read_only, imported.status) == (True, "finished")
        assert imported.state_hash == log["turns"][-1]["outcome"]["state_hash"]
        assert Move.objects.filter(game=imported).count() == sum(
            len(t["moves"]) for t in log["turns"]
        )
        assert Message.objects.filter(game=imported).count() == sum(
            len(t["messages"]) for t in log["turns"]
        )
        again = game_log(imported)
        assert replay(again)["verified"] is True, seed
        assert [t["outcome"] for t in again["turns"]] == [t["outcome"] for t in log["turns"]]

        at = rng.randint(0, game.max_turns - 1)
        parent = rng.choice([game, imported])
        fork, _codes = game_fork(game_id=parent.pk, turn=at)
        expected = (
            game.start_state
            if at == 0
            else TurnResult.objects.get(turn__game=game, turn__number=at).state
        )
        assert fork.start_state == expected, (seed, at)
        assert (fork.current_turn, fork.parent_id, fork.parent_turn) == (at, parent.pk, at)
    elapsed = time.perf_counter() - started
    print(f"\n{GAMES} games round-tripped in {elapsed:.1f} s")
    assert len(turn_counts) >= 8, f"turn counts should vary from 1 to 10: {sorted(turn_counts)}"


# --- tampered logs ------------------------------------------------------------------


@cache
def _log_with_dice() -> str:
    """A finished four-turn game whose turn 3 rolled dice (seed chosen so it does)."""
    game = play_random_game(5, turns=4)
    log = game_log(game)
    assert any(r["roll"] is not None for r in log["turns"][2]["outcome"]["fired_rules"])
    assert log["turns"][2]["moves"], "turn 3 should have a move to remove"
    return json.dumps(log)


def edit_outcome(log):
    outcome = log["turns"][2]["outcome"]["outcomes"][0]
    outcome["result"] = "succeeded" if outcome["result"] == "failed" else "failed"


def edit_state(log):
    log["turns"][2]["outcome"]["state"]["relations"]["beijing-pyongyang"] += 1


def remove_move(log):
    log["turns"][2]["moves"].pop(0)


def edit_roll(log):
    rolled = [r for r in log["turns"][2]["outcome"]["fired_rules"] if r["roll"] is not None]
    rolled[0]["roll"] = (rolled[0]["roll"] + 50) % 100


TAMPERING = {
    "an outcome edited": edit_outcome,
    "a state value changed": edit_state,
    "a move removed": remove_move,
    "a fired rule's roll changed": edit_roll,
}


@pytest.fixture(params=sorted(TAMPERING))
def tampered(request) -> bytes:
    log = json.loads(_log_with_dice())
    TAMPERING[request.param](log)
    Game.objects.all().delete()
    return json.dumps(log).encode()


def test_untampered_log_is_accepted_everywhere(tmp_path, admin_client):
    """The control: the same log, unedited, verifies and imports through every entry."""
    raw = _log_with_dice().encode()
    Game.objects.all().delete()
    assert replay(json.loads(raw))["verified"] is True
    path = tmp_path / "good.json"
    path.write_bytes(raw)
    call_command("replay", str(path), "--verify", stdout=StringIO(), stderr=StringIO())
    call_command("import_game", str(path), stdout=StringIO())
    response = admin_client.generic("POST", "/api/games/import", raw, "application/json")
    assert response.status_code == 201
    assert Game.objects.count() == 2


def test_tampered_log_is_refused_by_the_service_naming_turn_3(tampered):
    with pytest.raises(BadInput) as refusal:
        game_import(document=json.loads(tampered))
    assert refusal.value.code == "log_mismatch"
    assert refusal.value.message.startswith("$.turns[2].outcome.")
    assert "turn 3 does not match" in refusal.value.message
    assert Game.objects.count() == 0


def test_tampered_log_fails_replay_verify_and_import_game_naming_turn_3(tmp_path, tampered):
    path = tmp_path / "tampered.json"
    path.write_bytes(tampered)
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("replay", str(path), "--verify", stdout=StringIO(), stderr=stderr)
    assert exit_.value.code == 1
    assert "verify: turn 3 differs" in stderr.getvalue()
    with pytest.raises(CommandError) as refusal:
        call_command("import_game", str(path), stdout=StringIO(), stderr=StringIO())
    assert refusal.value.returncode == 2
    assert "$.turns[2].outcome." in str(refusal.value) and "turn 3" in str(refusal.value)
    assert Game.objects.count() == 0


def test_tampered_log_is_refused_by_the_page_and_the_api_naming_turn_3(admin_client, tampered):
    upload = SimpleUploadedFile("tampered.json", tampered, content_type="application/json")
    response = admin_client.post(reverse("import-log"), {"file": upload})
    assert response.status_code == 400
    assert "turn 3 does not match its re-adjudication" in response.content.decode()
    response = admin_client.generic("POST", "/api/games/import", tampered, "application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "log_mismatch"
    assert body["error"].startswith("$.turns[2].outcome.") and "turn 3" in body["error"]
    assert Game.objects.count() == 0
