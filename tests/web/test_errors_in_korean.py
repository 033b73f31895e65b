"""The API answers its errors in the language asked for (issue 11): with `Accept-Language:
ko` (or the switcher's cookie) every kind of refusal says its `error` in Korean, while
`code` stays the same English slug a script checks. A log's refusal keeps its JSON path
as written and translates the sentence after it."""

import json
import re
import secrets

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.test import Client

from wargame.services import moves
from wargame.services.games import game_create

pytestmark = pytest.mark.django_db(transaction=True)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The words Korean keeps in Latin letters inside a refusal: codes, field names and JSON
# paths (`$.turns[0]`, `effects[0].set`), protocol words.
LATIN_KEPT = re.compile(
    r"\$[\w.\[\]]*|\w+\[\d+\][\w.\[\]]*|'[^']*'|\"[^\"]*\"|\{[^}]*\}|(?<![A-Za-z])(JSON|UTF-8|CSRF|X-CSRFToken|csrftoken|"
    r"API|POST|GET|api|join|games|import|Authorization|Bearer|token|NUL|U\+[0-9A-F-]+|sha256|"
    r"KB|kB|seoul|beijing|pyongyang|washington|moscow|facilitator|all|after|text|"
    r"last_seq|seq|resume|ping|type|tables|inject|hold|docs|OPTIONS|[a-z]+_[a-z_]+)(?![A-Za-z])"
)


class Asker:
    """One browser address per test (the join throttle counts per address) speaking one
    language: a header, or the language cookie the switcher sets."""

    def __init__(self, language: str, *, by_cookie: bool = False) -> None:
        self.client = Client(REMOTE_ADDR=f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}")
        self.headers = {"HTTP_ACCEPT_LANGUAGE": "en" if by_cookie else language}
        if by_cookie:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def fresh(self) -> "Asker":
        """Another browser in the same language (no session, no seat)."""
        return Asker(self.headers["HTTP_ACCEPT_LANGUAGE"])

    def __call__(self, method, path, body=None, token=None, raw=None, **extra):
        headers = {**self.headers, **extra}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.client.generic(
            method, path, data=data, content_type="application/json", **headers
        )
        return response.status_code, response.json()


def seated(ask, *, start=True):
    game, codes = game_create(seed=8)
    tokens = {}
    for seat in ("seoul", "beijing", "facilitator"):
        _, body = ask("POST", "/api/join", {"code": codes[seat], "name": seat})
        tokens[seat] = body["token"]
    if start:
        ask("POST", f"/api/games/{game.pk}/start", token=tokens["facilitator"])
    return game, tokens


def staff(ask):
    name = f"staff-{secrets.token_hex(4)}"
    user = get_user_model().objects.create_user(name, password="right-horse-9", is_staff=True)
    ask.client.force_login(user)


def unauthenticated(ask):
    game, _ = seated(ask, start=False)
    return ask.fresh()("GET", f"/api/games/{game.pk}")


def not_json(ask):
    return ask("POST", "/api/join", raw="{not json")


def missing_field(ask):
    return ask("POST", "/api/join", {"code": "ABCDEF"})


def wrong_join_code(ask):
    return ask("POST", "/api/join", {"code": "ZZZZZZZZ", "name": "Ada"})


def too_many_wrong_codes(ask):
    for _ in range(25):
        status, body = ask("POST", "/api/join", {"code": "ZZZZZZZZ", "name": "Ada"})
        if status == 429:
            return status, body
    return status, body


def not_your_game(ask):
    game, tokens = seated(ask, start=False)
    return ask("GET", f"/api/games/{game.pk + 1000}", token=tokens["seoul"])


def nul_in_message(ask):
    game, tokens = seated(ask)
    return ask(
        "POST", f"/api/games/{game.pk}/messages", {"to": "all", "text": "a\x00b"}, tokens["seoul"]
    )


def empty_message(ask):
    game, tokens = seated(ask)
    return ask(
        "POST", f"/api/games/{game.pk}/messages", {"to": "all", "text": "  "}, tokens["seoul"]
    )


def unknown_recipient(ask):
    game, tokens = seated(ask)
    body = {"to": ["nowhere"], "text": "hello"}
    return ask("POST", f"/api/games/{game.pk}/messages", body, tokens["seoul"])


def unknown_action(ask):
    """The engine's reason (a pure layer, no gettext) said again in Korean by the API."""
    game, tokens = seated(ask)
    return ask("POST", f"/api/games/{game.pk}/moves", {"action": "nope"}, tokens["seoul"])


def over_budget(ask):
    game, tokens = seated(ask)
    path = f"/api/games/{game.pk}/moves"
    for action in ("strategic_communication_pyongyang", "economic_aid_pyongyang"):
        ask("POST", path, {"action": action}, tokens["beijing"])
    return ask("POST", path, {"action": "court_seoul"}, tokens["beijing"])


def move_in_the_lobby(ask):
    """ "The game is lobby": the state is a word said in Korean too."""
    game, tokens = seated(ask, start=False)
    return ask("POST", f"/api/games/{game.pk}/lock", token=tokens["seoul"])


def player_runs_the_game(ask):
    game, tokens = seated(ask)
    return ask("POST", f"/api/games/{game.pk}/pause", token=tokens["seoul"])


def log_too_large(ask):
    staff(ask)
    limit = settings.LT_MAX_LOG_BYTES
    return ask("POST", "/api/games/import", raw="{}", CONTENT_LENGTH=str(limit + 1))


def bad_log(ask):
    staff(ask)
    return ask("POST", "/api/games/import", raw="[]")


def no_database(ask, monkeypatch):
    game, tokens = seated(ask)

    def no_connection(**_):
        raise OperationalError("couldn't get a connection after 30.00 sec")

    monkeypatch.setattr(moves, "role_lock", no_connection)
    return ask("POST", f"/api/games/{game.pk}/lock", token=tokens["seoul"])


def unforeseen_error(ask, monkeypatch):
    """An error nobody foresaw (here, a bug in a service): JSON, not the site's HTML page."""
    game, tokens = seated(ask)

    def bug(**_):
        raise RuntimeError("a bug")

    monkeypatch.setattr(moves, "role_lock", bug)
    return ask("POST", f"/api/games/{game.pk}/lock", token=tokens["seoul"])


def bad_inject_effect(ask):
    """The engine's check of a free-form effect: the JSON path kept, the sentence Korean."""
    game, tokens = seated(ask)
    body = {"label": "태풍", "effects": [{"var": "tension", "set": "high"}]}
    return ask("POST", f"/api/games/{game.pk}/injects", body, tokens["facilitator"])


def session_write_without_csrf(ask):
    """A browser that joined (session cookie) and writes without the page's CSRF token."""
    game, codes = game_create(seed=8)
    browser = Client(
        enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=ask.headers["HTTP_ACCEPT_LANGUAGE"]
    )
    browser.post(
        "/api/join", {"code": codes["seoul"], "name": "Ada"}, content_type="application/json"
    )
    response = browser.post(f"/api/games/{game.pk}/lock", content_type="application/json")
    return response.status_code, response.json()


def unknown_address(ask):
    return ask("GET", "/api/no-such-thing")


def method_not_taken(ask):
    return ask("GET", "/api/join")


CASES = [
    (bad_inject_effect, 400, "bad_effect"),
    (session_write_without_csrf, 403, "http"),
    (unknown_address, 404, "not_found"),
    (method_not_taken, 405, "method_not_allowed"),
    (unauthenticated, 401, "unauthenticated"),
    (not_json, 400, "bad_json"),
    (missing_field, 400, "bad_input"),
    (wrong_join_code, 404, "not_found"),
    (too_many_wrong_codes, 429, "throttled"),
    (not_your_game, 404, "not_found"),
    (nul_in_message, 400, "bad_text"),
    (empty_message, 400, "empty"),
    (unknown_recipient, 400, "bad_recipient"),
    (unknown_action, 400, "unknown_action"),
    (over_budget, 400, "over_budget"),
    (move_in_the_lobby, 409, "wrong_phase"),
    (player_runs_the_game, 403, "forbidden"),
    (log_too_large, 413, "too_large"),
    (bad_log, 400, "bad_log"),
    (no_database, 503, "unavailable"),
    (unforeseen_error, 500, "server_error"),
]


def _provoke(case, ask, monkeypatch):
    return case(ask, monkeypatch) if case in (no_database, unforeseen_error) else case(ask)


@pytest.mark.parametrize("case, status, code", CASES, ids=[c[0].__name__ for c in CASES])
def test_each_error_is_korean_with_the_same_code(case, status, code, monkeypatch):
    english = _provoke(case, Asker("en"), monkeypatch)
    korean = _provoke(case, Asker("ko"), monkeypatch)
    assert english[0] == korean[0] == status, (english, korean)
    assert english[1]["code"] == korean[1]["code"] == code
    assert not HANGUL.search(english[1]["error"]), english
    assert HANGUL.search(korean[1]["error"]), korean
    # Korean, not English with a Korean word in it: no English word is left once the
    # codes, quoted values and field paths are taken out.
    words = re.findall(r"[A-Za-z]{3,}", LATIN_KEPT.sub("", korean[1]["error"]))
    assert words == [], korean[1]["error"]


def test_the_cookie_chooses_as_the_header_does():
    status, body = unknown_action(Asker("ko", by_cookie=True))
    assert (status, body["code"]) == (400, "unknown_action")
    assert body["error"].startswith("알 수 없는 행동 'nope'입니다. seoul이(가) 할 수 있는 행동: ")


def test_a_bad_log_keeps_its_json_path_and_translates_the_sentence():
    status, english = bad_log(Asker("en"))
    status_ko, korean = bad_log(Asker("ko"))
    assert english["error"] == "$: [] is not of type 'object'"
    assert korean["error"] == "$: []은(는) 'object' 형식이 아닙니다"


def test_the_join_page_says_the_refusal_in_the_pages_language():
    """The same refusal under the join page's form: English for an English browser,
    Korean for a Korean one."""
    english = "That join code does not open any seat."
    korean = "이 참가 코드로 열리는 자리가 없습니다."
    for language, expected, absent in (("en", english, korean), ("ko", korean, english)):
        client = Client(REMOTE_ADDR=f"10.8.{secrets.randbelow(250)}.{secrets.randbelow(250)}")
        form = {"code": "ZZZZZZZZ", "name": "Ada"}
        page = client.post("/join/", form, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert expected in page
        assert absent not in page
