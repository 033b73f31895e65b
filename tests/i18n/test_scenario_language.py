"""The scenario in the reader's language: the API and pages show the Korean texts beside
the pinned document when the reader asks for Korean, and the game itself (codes, states,
the log) is the same whatever language it was played in."""

import json
import re

import pytest

from tests.web.test_api_game import django_call
from wargame import selectors
from wargame.engine import ScenarioError
from wargame.engine.loader import SCENARIO_DIR, pinned_scenario
from wargame.selectors import translations
from wargame.services.games import game_create
from wargame.services.injects import inject_apply

pytestmark = pytest.mark.django_db(transaction=True)
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MOVES = {
    "seoul": {"action": "hold_summit_beijing", "target": "beijing"},
    "beijing": {"action": "court_seoul", "target": "seoul"},
    "pyongyang": {"action": "nuclear_test"},
}


def _korean(game, key):
    scenario = pinned_scenario(game.scenario)
    path = SCENARIO_DIR / scenario.slug / f"v{scenario.version}.ko.json"
    return json.loads(path.read_text("utf-8"))["texts"][key]["text"]


def _play(client, language, seed=11):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    game, codes = game_create(turns=2, seed=seed)
    call = django_call(client)
    tokens = {}
    for seat in [*ROLES, "facilitator", "observer"]:
        _, body = call("POST", "/api/join", {"code": codes[seat], "name": seat}, None)
        tokens[seat] = body["token"]
    call("POST", f"/api/games/{game.pk}/start", None, tokens["facilitator"])
    inject_apply(game_id=game.pk, inject_id="border_incident")
    for role, move in MOVES.items():
        status, body = call("POST", f"/api/games/{game.pk}/moves", move, tokens[role])
        assert status == 201, body
    for role in ROLES:
        call("POST", f"/api/games/{game.pk}/lock", None, tokens[role])
    return game, call, tokens


def test_the_api_answers_the_scenario_in_korean_when_asked(client):
    game, call, tokens = _play(client, "ko-KR,ko;q=0.9")
    status, view = call("GET", f"/api/games/{game.pk}", None, tokens["seoul"])
    assert status == 200
    assert view["scenario"]["title"] == _korean(game, "title")
    assert HANGUL.search(view["turn"]["label"]), view["turn"]["label"]
    status, report = call("GET", f"/api/games/{game.pk}/turns/1/report", None, tokens["seoul"])
    assert status == 200, report
    assert report["headline"][0]["title"] == _korean(game, "injects.border_incident.label")
    [mine] = report["mine"]
    assert mine["action"] == _korean(game, "actions.seoul:hold_summit_beijing.label")
    assert HANGUL.search(report["label"])


def test_english_readers_keep_the_english_texts(client):
    game, call, tokens = _play(client, "en")
    _, report = call("GET", f"/api/games/{game.pk}/turns/1/report", None, tokens["seoul"])
    assert report["mine"][0]["action"] == "Seek a summit with Beijing"
    assert not HANGUL.search(json.dumps(report, ensure_ascii=False))


def test_a_game_played_in_korean_logs_the_same_codes_as_in_english(client):
    korean, _, _ = _play(client, "ko", seed=5)
    english, _, _ = _play(client, "en", seed=5)
    logs = [selectors.game_log(g) for g in (korean, english)]
    for log in logs:
        for key in ("game_id", "title", "created_at", "exported_at", "participants"):
            log.pop(key, None)
    text = [json.dumps(log["turns"], sort_keys=True, ensure_ascii=False) for log in logs]
    assert not HANGUL.search(text[0])
    assert text[0] == text[1]
    assert logs[0]["scenario_hash"] == logs[1]["scenario_hash"]


def test_the_presented_scenario_adjudicates_as_the_pinned_one(client):
    game, _, _ = _play(client, "en")
    pinned = pinned_scenario(game.scenario)
    korean = translations.presented_scenario(game.scenario, "ko")
    assert korean.content_hash == pinned.content_hash
    assert set(korean.actions) == set(pinned.actions)
    assert korean.initial_state() == pinned.initial_state()
    assert korean.role_names()["seoul"] == _korean(game, "roles.seoul.name")
    assert translations.presented_scenario(game.scenario, "en") is pinned


def test_a_translation_missing_a_text_names_it_when_loaded(monkeypatch, tmp_path):
    scenario_dir = tmp_path / "lips-and-teeth-2025"
    scenario_dir.mkdir()
    real = SCENARIO_DIR / "lips-and-teeth-2025"
    (scenario_dir / "v2.json").write_bytes((real / "v2.json").read_bytes())
    broken = json.loads((real / "v2.ko.json").read_text("utf-8"))
    del broken["texts"]["roles.seoul.briefing"]
    (scenario_dir / "v2.ko.json").write_text(json.dumps(broken), "utf-8")
    monkeypatch.setattr(translations, "SCENARIO_DIR", tmp_path)
    translations._translation.cache_clear()
    try:
        digest = translations.released_hash("lips-and-teeth-2025", 2)
        with pytest.raises(ScenarioError, match=r"roles\.seoul\.briefing: no translation"):
            translations._translation("lips-and-teeth-2025", 2, digest, "ko")
    finally:
        translations._translation.cache_clear()


def test_the_exports_and_debrief_pages_read_korean(client):
    from tests.web.test_debrief_page import finished_game, join

    game, codes = finished_game()
    join(client, codes["facilitator"])
    exports = client.get(f"/games/{game.pk}/export/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<h2>작동한 규칙</h2>" in exports and "모든 행동: 턴, 나라" in exports
    assert "Every move" not in exports
    debrief = client.get(f"/games/{game.pk}/debrief/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert _korean(game, "variables.tension.label") in debrief
    assert _korean(game, "variables.ukraine_war.values.ongoing") in debrief  # an enum value
