"""The turn report, the odds, the news feed and the game-over view through the API and
the pages (embedded mode): what a first-time player is told, by labels, never codes."""

import re

import pytest

from tests.web.test_api_game import django_call
from wargame import selectors
from wargame.engine.explain import explain_move
from wargame.engine.loader import pinned_scenario
from wargame.models import Game
from wargame.services.games import game_create
from wargame.services.injects import inject_apply

pytestmark = pytest.mark.django_db(transaction=True)
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


def _seated(client, **kwargs):
    game, codes = game_create(turns=3, **kwargs)
    call = django_call(client)
    tokens = {}
    for seat in [*ROLES, "facilitator", "observer"]:
        _, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        tokens[seat] = body["token"]
    call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    return game, call, tokens


def _play_turn(call, game, tokens, moves):
    for role, move in moves.items():
        status, body = call("POST", f"/api/games/{game.pk}/moves", move, tokens[role])
        assert status == 201, body
    for role in ROLES:
        call("POST", f"/api/games/{game.pk}/lock", None, tokens[role])


def scenario_codes(scenario) -> set[str]:
    """Snake-case codes of the scenario a player must never read: actions, variables,
    results with an underscore."""
    codes = {a.code for a in scenario.actions.values() if "_" in a.code}
    codes |= {p for p in scenario.known_vars() if "_" in p and not p.startswith("relations.")}
    codes |= {p.removeprefix("memory.") for p in scenario.known_vars() if p.startswith("memory.")}
    return codes | {"no_effect"}


def shown_text(value):
    """Every text of a report a page shows (not its data keys: role, code, var...)."""
    if isinstance(value, dict):
        return [shown_text(v) for k, v in value.items() if k not in ("role", "code", "result")]
    if isinstance(value, list):
        return [shown_text(v) for v in value]
    return value


def test_the_summit_report_for_each_seat_puts_its_own_results_first(client):
    """Seoul seeks a summit with Beijing, Beijing courts Seoul, Pyongyang tests, an
    incident at the DMZ is injected: Seoul's report has the headline (the inject), its
    own move with the dice against the chance,
    then the others'; each change is good or bad for Seoul; no code reaches the text."""
    game, call, tokens = _seated(client)
    scenario = pinned_scenario(game.scenario)
    inject_apply(game_id=game.pk, inject_id="border_incident")
    _play_turn(
        call,
        game,
        tokens,
        {
            "seoul": {"action": "hold_summit_beijing", "target": "beijing"},
            "beijing": {"action": "court_seoul", "target": "seoul"},
            "pyongyang": {"action": "nuclear_test"},
        },
    )
    status, report = call("GET", f"/api/games/{game.pk}/turns/1/report", None, tokens["seoul"])
    assert status == 200, report
    assert report["headline"][0] == {
        "kind": "inject",
        "title": "Incident at the DMZ",
        "text": "Shots exchanged across the DMZ.",
    }
    [mine] = report["mine"]
    assert mine["action"] == "Seek a summit with Beijing"
    assert mine["reason"]
    assert all(re.fullmatch(r"rolled \d+ against a \d+% chance", d) for d in mine["dice"])
    assert {m["role"] for m in report["others"]} == {"beijing", "pyongyang"}
    assert {c["valence"] for c in report["changes"]} <= {"good", "bad", "neutral"}
    tension = [c for c in report["changes"] if c["var"] == "Military tension on the peninsula"]
    assert tension and tension[0]["valence"] in ("bad", "neutral")
    text = str(shown_text(report))
    leaked = [c for c in scenario_codes(scenario) if re.search(rf"\b{re.escape(c)}\b", text)]
    assert not leaked, leaked

    _, other = call("GET", f"/api/games/{game.pk}/turns/1/report", None, tokens["beijing"])
    assert [m["role"] for m in other["mine"]] == ["beijing"]
    status, _ = call("GET", f"/api/games/{game.pk}/turns/2/report", None, tokens["seoul"])
    assert status == 404


def test_the_odds_shown_equal_the_engines_in_the_games_state(client):
    """GET /odds gives, for Pyongyang's summit request, what it needs (Beijing hosting)
    and the chance the engine computes in this game's state."""
    game, call, tokens = _seated(client)
    scenario = pinned_scenario(game.scenario)
    status, body = call("GET", f"/api/games/{game.pk}/odds", None, tokens["pyongyang"])
    assert status == 200
    shown = body["odds"]["seek_summit_beijing>beijing"]
    summit = next(r for r in shown["rules"] if r["title"] == "China-DPRK summit")
    assert summit["needs"] == ["Beijing: Host a summit with Kim"]
    engine = explain_move(
        scenario, Game.objects.get(pk=game.pk).state, "pyongyang", "seek_summit_beijing", "beijing"
    )
    [rule] = [r for r in engine.rules if r.rule == "c18_prc_dprk_summit"]
    assert summit["chance"] == rule.chance
    assert summit["chance_text"] == f"Chance now: {rule.chance}%"
    assert "%%" not in str(body)
    status, _ = call("GET", f"/api/games/{game.pk}/odds", None, tokens["observer"])
    assert status == 403


def test_after_the_snap_election_stabilising_says_why_it_can_do_nothing(client):
    """Injects first (ruleset 4): the election in turn 1 ends the vacuum, so in turn 2
    "Stabilise the leadership" says why it can do nothing, in labels."""
    game, call, tokens = _seated(client)
    inject_apply(game_id=game.pk, inject_id="rok_election")
    _play_turn(call, game, tokens, {})
    _, body = call("GET", f"/api/games/{game.pk}/odds", None, tokens["seoul"])
    stabilise = body["odds"]["stabilise_leadership"]
    assert stabilise["possible"] is False
    assert stabilise["why_not"] == [
        "Seoul's leadership is stable; this move needs Seoul's leadership = vacuum"
    ]


def test_news_survives_a_reload_and_names_the_inject(client):
    """The news feed is rebuilt from the log: an inject fired in turn 1 is still there for
    a page loaded in turn 2, with the turn's results and openings."""
    game, call, tokens = _seated(client)
    inject_apply(game_id=game.pk, inject_id="rok_election")
    _play_turn(call, game, tokens, {})
    _, body = call("GET", f"/api/games/{game.pk}/news", None, tokens["moscow"])
    texts = [n["text"] for n in body["news"]]
    assert "Event: Snap election in Seoul ends the leadership vacuum" in texts
    assert texts[0].startswith("Turn 2 opened")
    assert any(t.startswith("Results of ") for t in texts)


def test_the_game_over_view_ranks_the_scores_and_shows_turning_points(client):
    """After "End game": the standings ranked, each objective's points, turning points."""
    game, call, tokens = _seated(client)
    _play_turn(call, game, tokens, {"pyongyang": {"action": "nuclear_test"}})
    call("POST", f"/api/games/{game.pk}/finish", None, tokens["facilitator"])
    game.refresh_from_db()
    over = selectors.game_over(game, selectors.history(game))
    scores = [r["score"] for r in over["standings"]]
    assert scores == sorted(scores, reverse=True)
    for row in over["standings"]:
        assert round(sum(o["points"] for o in row["objectives"]), 0) == round(row["score"], 0)
    assert over["turning_points"][0]["number"] == 1


def test_the_home_page_and_the_header_agree_on_the_turn(client):
    """The game list says the turn the game's header says: "not started (0 / 3)" in the
    lobby, the open turn (1 / 3) once started, the last played when finished."""
    from django.contrib.auth import get_user_model

    waiting, _codes = game_create(turns=3)
    game, call, tokens = _seated(client)
    _play_turn(call, game, tokens, {})
    staff = get_user_model().objects.create_user("umpire", password="pw", is_staff=True)
    client.force_login(staff)
    home = client.get("/").content.decode()
    assert "not started (0 / 3)" in home
    assert "2 / 3" in home  # turn 2 is open; the header says "April 2025 (2 / 3)"
    view = client.get(f"/api/games/{game.pk}").json()
    assert (view["turn"]["number"], view["max_turns"]) == (2, 3)
    assert waiting.status == "lobby"
