"""Nothing is specific to the default scenario: the three-capital gyeongju-rehearsal is
played through the public API (with and without a bot seat), its log verifies with
`replay --verify`, and its player page, console and debrief name only its own roles."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from players.services import seat_join
from tests.web.test_api_game import django_call
from wargame import selectors
from wargame.engine.loader import load_document
from wargame.gamelog import LogError, check_log
from wargame.models import Game
from wargame.services.games import game_create, game_start
from wargame.services.logs import log_import
from wargame.services.moves import move_submit, role_lock
from wargame.services.scenarios import scenario_upload

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "gyeongju-rehearsal"
ROLES = ["seoul", "beijing", "pyongyang"]
# July to October 2025: Seoul invites Xi and Beijing accepts, then Xi and Kim meet.
SCRIPT = {
    1: {
        "seoul": ("invite_xi", "beijing"),
        "beijing": ("accept_invitation", "seoul"),
        "pyongyang": ("missile_test", None),
    },
    2: {
        "seoul": ("open_channel_pyongyang", "pyongyang"),
        "beijing": ("envoy_pyongyang", "pyongyang"),
        "pyongyang": ("visit_beijing", "beijing"),
    },
    3: {"beijing": ("host_kim", "pyongyang"), "pyongyang": ("visit_beijing", "beijing")},
    4: {"seoul": ("hold", None)},
}
OTHER_CAPITALS = ("Washington", "Moscow", "washington", "moscow")


def staff_client() -> Client:
    client = Client()
    user = get_user_model().objects.create_user("facilitator", password="pw", is_staff=True)
    client.force_login(user)
    return client


def play_through_api(bots: list[str]) -> tuple[int, dict, dict]:
    """Create with POST /api/games, join every person's seat and the facilitator, then
    each turn: moves, lock, resolved. Returns (game id, tokens, the log)."""
    staff = staff_client()
    response = staff.post(
        "/api/games",
        {"scenario": SLUG, "scenario_version": 1, "seed": 44, "bots": bots, "title": "Rehearsal"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    game_id, codes = response.json()["game"], response.json()["codes"]
    assert set(codes) == {*ROLES, "facilitator", "observer"}
    call = django_call(Client())
    tokens = {}
    for seat in [*ROLES, "facilitator"]:
        status, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        if seat in bots:
            assert status == 404 and "played by a bot" in body["error"]
            continue
        assert status == 200, body
        tokens[seat] = body["token"]
    status, body = call("POST", f"/api/games/{game_id}/start", None, tokens["facilitator"])
    assert status == 200, body
    for number in range(1, 5):
        for role in ROLES:
            if role in bots or role not in SCRIPT[number]:
                continue
            action, target = SCRIPT[number][role]
            move = {"action": action, "target": target, "rationale": f"{role} in turn {number}"}
            status, body = call("POST", f"/api/games/{game_id}/moves", move, tokens[role])
            assert status == 201, (number, role, body)
        for role in ROLES:
            if role not in bots:
                status, body = call("POST", f"/api/games/{game_id}/lock", None, tokens[role])
                assert status == 200, (number, role, body)
        status, view = call("GET", f"/api/games/{game_id}", None, tokens["facilitator"])
        assert view["resolved_turns"] == number, view
    assert view["status"] == "finished"
    status, log = call("GET", f"/api/games/{game_id}/log", None, tokens["seoul"])
    assert status == 200
    return game_id, tokens, log


@pytest.mark.parametrize("bots", [[], ["pyongyang"]], ids=["three-people", "pyongyang-bot"])
def test_a_rehearsal_plays_through_the_api_and_its_log_verifies(bots, tmp_path, capsys):
    """Four turns through the API; the log names the scenario, its version and hash, and
    `manage.py replay --verify` re-adjudicates every turn to the same result."""
    game_id, _tokens, log = play_through_api(bots)
    assert (log["scenario"], log["scenario_version"]) == (SLUG, 1)
    assert [t["number"] for t in log["turns"]] == [1, 2, 3, 4]
    assert sorted(seat["role"] for seat in log["roles"]) == sorted(ROLES)
    fired = {r["rule"] for t in log["turns"] for r in t["outcome"]["fired_rules"]}
    assert "c15_xi_accepts" in fired  # Seoul invited and Beijing accepted in July
    path = tmp_path / "rehearsal.json"
    path.write_text(json.dumps(log))
    call_command("replay", str(path), "--verify", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["verified"] is True
    assert report["scenario"] == SLUG


def test_its_pages_show_its_own_roles_and_no_other_capital():
    """The player page, the console and the debrief of a finished rehearsal: 200, its
    roles' names and labels shown, no Washington or Moscow anywhere."""
    game_id, _tokens, _log = play_through_api(["pyongyang"])
    codes = {s.role: s.code for s in Game.objects.get(pk=game_id).seats.all()}
    player = Client()
    joined = player.post("/join/", {"code": codes["seoul"], "name": "Ada"})
    assert joined.status_code == 302
    page = player.get(f"/games/{game_id}/").content.decode()
    assert "Briefing: Seoul" in page and "Invite Xi to Gyeongju" in page
    facilitator = Client()
    facilitator.post("/join/", {"code": codes["facilitator"], "name": "Umpire"})
    console = facilitator.get(f"/games/{game_id}/")
    assert console.status_code == 200
    console_html = console.content.decode()
    assert "Beijing" in console_html and "Pyongyang" in console_html
    debrief = facilitator.get(f"/games/{game_id}/debrief/")
    assert debrief.status_code == 200
    debrief_html = debrief.content.decode()
    assert "Xi will come to Gyeongju" in debrief_html  # a fired rule, by title
    assert "Military tension on the peninsula" in debrief_html  # a variable, by label
    for html in (page, console_html, debrief_html):
        for name in OTHER_CAPITALS:
            assert name not in html, name


def test_a_game_of_an_uploaded_version_exports_a_log_that_imports_here():
    """A version that exists only as an uploaded row: its game's log names it; the file
    loader cannot replay it, but the import on this server finds the row and verifies."""
    document = copy.deepcopy(load_document(SLUG, 1)[0])
    document["version"] = 2
    document["rules"][0]["effects"][0]["add"] = 5
    row, created = scenario_upload(raw=json.dumps(document))
    assert created
    game, codes = game_create(
        scenario_slug=SLUG, scenario_version=2, seed=3, turns=2, bots=["seoul", "pyongyang"]
    )
    assert game.scenario_id == row.pk
    seat_join(code=codes["beijing"], name="Zhao")
    game_start(game_id=game.pk)
    for _turn in (1, 2):
        move_submit(
            game_id=game.pk,
            role="beijing",
            action="envoy_pyongyang",
            target="pyongyang",
            rationale="warm",
        )
        role_lock(game_id=game.pk, role="beijing")
    log = selectors.game_log(Game.objects.get(pk=game.pk))
    assert log["scenario_version"] == 2 and len(log["turns"]) == 2
    with pytest.raises(LogError, match=r"\$\.scenario_version"):
        check_log(log)  # the released files have no v2
    imported, _ = log_import(raw=json.dumps(log).encode())
    assert imported.read_only and imported.scenario_id == row.pk
    assert imported.state == Game.objects.get(pk=game.pk).state
    fired = {r["rule"]: r for r in log["turns"][0]["outcome"]["fired_rules"]}
    envoy = fired["c6_strategic_communication"]["changes"]
    assert {"var": "relations.beijing-pyongyang", "change": 5} in envoy  # uploaded, not +3
