"""A whole 10-turn game through the HTTP API in the embedded mode (eager tasks, SQLite),
then exported, replayed with --verify, and found identical."""

import json

import pytest
from django.core.management import call_command

from tests.support.scripted_game import join_all, play
from wargame.gamelog import replay
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)


def django_call(client):
    def call(method, path, body, token):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        data = json.dumps(body) if body is not None else None
        response = client.generic(
            method, path, data=data, content_type="application/json", **headers
        )
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return response.status_code, payload

    return call


def test_ten_turn_game_through_the_api_replays_identically(client, tmp_path, capsys):
    """Five scripted seats and a facilitator play ten turns; the exported log verifies."""
    game, codes = game_create(seed=2025, title="API game")
    call = django_call(client)
    tokens = join_all(call, codes)
    play(call, game.pk, tokens)

    status, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert view["status"] == "finished"
    assert view["resolved_turns"] == 10

    status, log = call("GET", f"/api/games/{game.pk}/log", None, tokens["seoul"])
    assert status == 200
    assert [t["number"] for t in log["turns"]] == list(range(1, 11))
    assert log["turns"][0]["messages"][0]["text"] == "Turn 1: let us talk."

    report = replay(log)
    assert report["verified"] is True
    assert report["turns"][-1]["state_hash"] == log["turns"][-1]["outcome"]["state_hash"]

    path = tmp_path / "game.json"
    call_command("export_game", str(game.pk), "-o", str(path))
    call_command("replay", str(path), "--verify", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["verified"] is True
    assert out["turns"][7]["state"]["apec"] in ("held", "boycotted")
