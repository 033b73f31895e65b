"""The CLI contract (docs/cli.md): create_game, export_game, import_game, replay and
fork_game, called through call_command in the embedded mode (eager tasks, so a game of bots
started with --start is played to the end before the command returns)."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.support.scripted_game import ROLES
from tests.web.test_api_game import django_call
from wargame.errors import WrongPhase
from wargame.models import Game, Turn, TurnResult
from wargame.services.games import game_start

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = {*ROLES, "facilitator", "observer"}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args) -> dict:
    return json.loads(run(*args))


def finished_game(turns: int = 3, seed: int = 5) -> int:
    """A game played to the end by five bots; returns its id."""
    created = run_json(
        "create_game",
        "--scenario",
        "lips-and-teeth-2025",
        "--turns",
        str(turns),
        "--seed",
        str(seed),
        "--bots",
        ",".join(ROLES),
        "--start",
        "--json",
    )
    return created["game"]


def test_create_game_prints_the_game_and_a_code_per_seat():
    """create_game --json: {"game": ID, "codes": {five roles, facilitator, observer}}."""
    created = run_json(
        "create_game",
        "--scenario",
        "lips-and-teeth-2025",
        "--turns",
        "3",
        "--seed",
        "5",
        "--bots",
        "seoul,moscow",
        "--json",
    )
    assert set(created) == {"game", "codes"}
    assert set(created["codes"]) == SEATS
    assert len(set(created["codes"].values())) == len(SEATS)
    game = Game.objects.get(pk=created["game"])
    assert (game.max_turns, game.seed, game.status) == (3, 5, "lobby")
    bots = set(game.seats.filter(kind="bot").values_list("role", flat=True))
    assert bots == {"seoul", "moscow"}


def test_created_codes_join_their_seats():
    """Each printed code joins the seat it is printed under."""
    created = run_json("create_game", "--turns", "2", "--json")
    call = django_call(Client())
    for seat, code in created["codes"].items():
        status, body = call("POST", "/api/join", {"code": code, "name": "Ada"}, None)
        assert status == 200, body
        assert (body["game"], body["role"]) == (created["game"], seat)


def test_unknown_scenario_is_a_command_error_naming_it():
    """create_game --scenario no-such-thing: CommandError naming the slug; no game."""
    with pytest.raises(CommandError) as refusal:
        run("create_game", "--scenario", "no-such-thing", "--json")
    assert "no-such-thing" in str(refusal.value)
    assert Game.objects.count() == 0


def test_unknown_bot_role_is_a_command_error_naming_it():
    """create_game --bots tokyo: CommandError naming the role and the real roles."""
    with pytest.raises(CommandError) as refusal:
        run("create_game", "--bots", "seoul,tokyo", "--json")
    assert "tokyo" in str(refusal.value)
    assert "pyongyang" in str(refusal.value)
    assert Game.objects.count() == 0


def test_all_bot_game_with_start_plays_to_the_end():
    """--bots for all five roles with --start resolves every turn before returning."""
    game = Game.objects.get(pk=finished_game(turns=3))
    assert (game.status, game.current_turn) == ("finished", 3)
    assert TurnResult.objects.filter(turn__game=game).count() == 3


def test_export_import_replay_verify_round_trip(tmp_path):
    """export_game -> import_game gives a read-only game whose own export verifies."""
    source = finished_game(turns=3)
    exported = tmp_path / "played.json"
    call_command("export_game", str(source), "-o", str(exported), stderr=StringIO())
    log = json.loads(exported.read_text())
    assert log["format"] == "lips-and-teeth/log"
    assert [t["number"] for t in log["turns"]] == [1, 2, 3]

    imported = run_json("import_game", str(exported), "--json")
    game = Game.objects.get(pk=imported["game"])
    assert game.read_only
    assert game.pk != source
    assert game.state_hash == Game.objects.get(pk=source).state_hash

    again = tmp_path / "imported.json"
    call_command("export_game", str(game.pk), "-o", str(again), stderr=StringIO())
    stderr = StringIO()
    call_command("replay", str(again), "--verify", stdout=StringIO(), stderr=stderr)
    assert "all 3 turns match" in stderr.getvalue()
    report = run_json("replay", str(again), "--verify", "--json")
    assert report["verified"] is True
    assert [t["state_hash"] for t in report["turns"]] == [
        t["outcome"]["state_hash"] for t in log["turns"]
    ]


def test_imported_game_cannot_be_started(tmp_path):
    """An imported log is read-only: playing on it needs a fork."""
    exported = tmp_path / "played.json"
    call_command("export_game", str(finished_game()), "-o", str(exported), stderr=StringIO())
    imported = run_json("import_game", str(exported), "--json")
    with pytest.raises(WrongPhase):
        game_start(game_id=imported["game"])


def test_export_game_of_an_unknown_id_is_a_command_error():
    """export_game 424242: CommandError naming the id."""
    with pytest.raises(CommandError) as refusal:
        run("export_game", "424242")
    assert "424242" in str(refusal.value)


def test_fork_after_turn_1_starts_from_the_state_after_turn_1():
    """fork_game ID --turn 1 --json: a new lobby game whose start state is turn 1's result."""
    parent = finished_game(turns=3)
    forked = run_json("fork_game", str(parent), "--turn", "1", "--json")
    assert set(forked["codes"]) == SEATS
    game = Game.objects.get(pk=forked["game"])
    after_turn_1 = TurnResult.objects.get(turn__game_id=parent, turn__number=1)
    assert game.start_state == after_turn_1.state
    assert game.state == after_turn_1.state
    assert (game.status, game.current_turn, game.read_only) == ("lobby", 1, False)
    assert (game.parent_id, game.parent_turn) == (parent, 1)
    assert game.seed != Game.objects.get(pk=parent).seed  # a fresh secret seed


def test_fork_with_seed_keeps_the_given_dice():
    """fork_game --seed N: the analyst's seed is used (luck held constant across branches)."""
    parent = finished_game(turns=3, seed=5)
    forked = run_json("fork_game", str(parent), "--turn", "1", "--seed", "5", "--json")
    assert Game.objects.get(pk=forked["game"]).seed == 5


def test_fork_can_be_started_and_played_one_turn():
    """The fork plays on through the API: its next turn is 2, and it resolves."""
    forked = run_json("fork_game", str(finished_game(turns=3)), "--turn", "1", "--json")
    game, codes = forked["game"], forked["codes"]
    call = django_call(Client())
    tokens = {}
    for seat in ("seoul", "facilitator"):
        status, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        assert status == 200, body
        tokens[seat] = body["token"]
    assert call("POST", f"/api/games/{game}/start", None, tokens["facilitator"])[0] == 200
    _, view = call("GET", f"/api/games/{game}", None, tokens["seoul"])
    assert view["turn"]["number"] == 2
    move = {"action": "strengthen_deterrence", "target": None, "rationale": "after the fork"}
    status, body = call("POST", f"/api/games/{game}/moves", move, tokens["seoul"])
    assert status == 201, body
    assert call("POST", f"/api/games/{game}/lock", None, tokens["seoul"])[0] == 200
    _, view = call("GET", f"/api/games/{game}", None, tokens["seoul"])
    assert view["resolved_turns"] == 2
    result = TurnResult.objects.get(turn__game_id=game, turn__number=2)
    assert [o["action"] for o in result.outcomes] == ["strengthen_deterrence"]


def test_fork_of_an_imported_log(tmp_path):
    """An imported (read-only) log can be forked into a live game."""
    exported = tmp_path / "played.json"
    call_command("export_game", str(finished_game()), "-o", str(exported), stderr=StringIO())
    imported = run_json("import_game", str(exported), "--json")["game"]
    forked = run_json("fork_game", str(imported), "--turn", "2", "--json")
    game = Game.objects.get(pk=forked["game"])
    assert not game.read_only
    assert game.start_state == TurnResult.objects.get(turn__game_id=imported, turn__number=2).state


def test_fork_at_an_unresolved_turn_is_a_command_error():
    """fork_game at a turn not yet resolved: CommandError naming the turn; no new game."""
    created = run_json("create_game", "--turns", "5", "--json")
    games = Game.objects.count()
    with pytest.raises(CommandError) as refusal:
        run("fork_game", str(created["game"]), "--turn", "2", "--json")
    assert "Turn 2" in str(refusal.value)
    assert "not been resolved" in str(refusal.value)
    assert Game.objects.count() == games
    assert not Turn.objects.filter(game__parent_id=created["game"]).exists()


def test_fork_at_the_last_turn_is_a_command_error():
    """fork_game at the parent's last turn: nothing left to play, CommandError; no game."""
    parent = finished_game(turns=3)
    games = Game.objects.count()
    with pytest.raises(CommandError) as refusal:
        run("fork_game", str(parent), "--turn", "3", "--json")
    assert "last turn" in str(refusal.value)
    assert Game.objects.count() == games


def test_fork_of_an_unknown_game_is_a_command_error():
    """fork_game 424242: CommandError; no new game."""
    with pytest.raises(CommandError) as refusal:
        run("fork_game", "424242", "--turn", "1")
    assert "No such game" in str(refusal.value)
    assert Game.objects.count() == 0


@pytest.mark.django_db
def test_bootstrap_demo_on_the_full_stack_makes_a_random_password_printed_once(settings):
    """On the full stack the demo login's password is random (never the README's), printed
    once, and it is the password that logs in; run again, it is not printed."""
    from django.contrib.auth import authenticate

    settings.LT_MODE = "fullstack"
    out = StringIO()
    call_command("bootstrap_demo", stdout=out)
    match = re.search(r"user 'facilitator', password '([^']+)'", out.getvalue())
    assert match, out.getvalue()
    password = match.group(1)
    assert password != "lips-and-teeth" and len(password) >= 12
    assert authenticate(username="facilitator", password=password) is not None
    assert authenticate(username="facilitator", password="lips-and-teeth") is None
    again = StringIO()
    call_command("bootstrap_demo", stdout=again)
    assert password not in again.getvalue()
    assert "password unchanged" in again.getvalue()
