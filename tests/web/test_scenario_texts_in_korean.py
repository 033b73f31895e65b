"""The scenario's own texts in the reader's language on every page that shows them: a
Korean reader meets its title ("순망치한 2025"), its capitals, its variables' values and
the bots' fixed rationales as the scenario's Korean file and the catalog say them, and the
charts' screen-reader summaries in Korean; an English reader reads the same pages in
English. The texts are taken from the translation file (v2.ko.json), not guessed."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from wargame.bots.random_legal import RATIONALE
from wargame.engine.loader import SCENARIO_DIR
from wargame.models import Game
from wargame.services.games import game_create, game_force_resolve, game_start

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("seoul", "beijing", "pyongyang", "washington", "moscow")
TEXTS = json.loads((SCENARIO_DIR / "lips-and-teeth-2025" / "v2.ko.json").read_text("utf-8"))[
    "texts"
]


def ko(key: str) -> str:
    """The scenario's text under `key` in Korean (its translation file)."""
    return TEXTS[key]["text"]


def en(key: str) -> str:
    """The same text as the scenario's document says it."""
    return TEXTS[key]["source"]


def korean(msgid: str) -> str:
    """The catalog's Korean for an English text (and a check that it has some)."""
    with translation.override("ko"):
        said = translation.gettext(msgid)
    assert said != msgid, f"no Korean for {msgid!r} in the catalog"
    return said


def finished_game(title: str = "") -> Game:
    """An untitled (or titled) 3-turn game of the released scenario played by bots."""
    game, _codes = game_create(turns=3, seed=5, bots=list(ROLES), title=title)
    game_start(game_id=game.pk)
    game.refresh_from_db()
    assert game.status == "finished"
    return game


def get(client, path: str, language: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def unescaped(page: str) -> str:
    return html.unescape(page)


def descriptions(page: str) -> list[str]:
    """What a screen reader says of each chart (its <desc>)."""
    return [html.unescape(d) for d in re.findall(r"<desc[^>]*>(.*?)</desc>", page, flags=re.S)]


def shaped(template: str) -> str:
    """A catalog's sentence as a pattern: each %(name)s stands for any text."""
    return "(.+?)".join(re.escape(piece) for piece in re.split(r"%\(\w+\)s", template))


def latin_words(text: str) -> set[str]:
    """Words in Latin letters, save acronyms (APEC, DPRK: the Korean texts keep them)."""
    return set(re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", text))


def test_the_home_page_and_the_facilitate_page_name_an_untitled_game_by_its_scenario():
    """The game lists (staff only) name an untitled game by its scenario's title, in the
    reader's language; a titled game keeps its own title in either language."""
    user = get_user_model().objects.create_user("lists", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)
    untitled, titled = finished_game(), finished_game("Table 4")
    for path in ("/", "/facilitate/"):
        page = unescaped(get(client, path, "ko"))
        assert f"{untitled.pk}: {ko('title')}</a>" in page
        assert f"{titled.pk}: Table 4</a>" in page
        assert en("title") not in page
        page = unescaped(get(client, path, "en"))
        assert f"{untitled.pk}: {en('title')}</a>" in page
        assert f"{titled.pk}: Table 4</a>" in page
        assert ko("title") not in page


def test_the_new_game_form_names_each_capital_in_the_readers_language(staff):
    """ "Who plays Seoul" is "한국 담당" for a Korean facilitator: the capital named as the
    scenario's Korean file names its role, not the document's English."""
    labels = dict(
        re.findall(r'<label for="id_bot_(\w+)">([^<]*)</label>', get(staff, "/facilitate/", "ko"))
    )
    assert sorted(labels) == sorted(ROLES)
    for role, label in labels.items():
        assert ko(f"roles.{role}.name") in label
        assert en(f"roles.{role}.name") not in label
    labels = dict(
        re.findall(r'<label for="id_bot_(\w+)">([^<]*)</label>', get(staff, "/facilitate/", "en"))
    )
    assert labels["seoul"] == f"Who plays {en('roles.seoul.name')}"


def test_the_game_header_names_the_game_in_the_readers_language(staff):
    """The console's and the player's header (the game's name above the status line) say
    the scenario's title in Korean for a Korean reader, in English for an English one."""
    game, codes = game_create(turns=4, seed=4, bots=list(ROLES[1:]))
    player = Client()
    answer = player.post("/join/", {"code": codes["seoul"], "name": "Min"})
    assert answer.status_code == 302
    game_start(game_id=game.pk)
    game_force_resolve(game_id=game.pk)
    game_force_resolve(game_id=game.pk)

    def header(client, language):
        page = get(client, f"/games/{game.pk}/", language)
        return unescaped(re.search(r'<h1 class="game-title">(.*?)<span', page, flags=re.S)[1])

    for client in (staff, player):
        assert header(client, "ko").strip() == ko("title")
        assert header(client, "en").strip() == en("title")


def test_the_export_page_names_the_game_in_the_readers_language_and_the_files_keep_codes(staff):
    """The export page's heading says the scenario's title in Korean; the downloads are the
    same bytes in either language (data keeps the document's words and codes)."""
    game = finished_game()
    page = unescaped(get(staff, f"/games/{game.pk}/export/", "ko"))
    heading = re.search(r"<h1>(.*?)</h1>", page, flags=re.S)[1]
    assert ko("title") in heading and en("title") not in page
    heading = re.search(
        r"<h1>(.*?)</h1>", unescaped(get(staff, f"/games/{game.pk}/export/", "en")), flags=re.S
    )[1]
    assert en("title") in heading
    for name in ("moves.csv", "states.json", "log.json"):
        path = f"/games/{game.pk}/export/{name}"
        korean_bytes = staff.get(path, HTTP_ACCEPT_LANGUAGE="ko").content
        assert korean_bytes == staff.get(path, HTTP_ACCEPT_LANGUAGE="en").content


def test_the_replay_shows_values_bot_rationales_and_the_title_in_korean(staff):
    """The replay's state table says each enumeration's value as the scenario's Korean file
    does ("진행 중", not "ongoing"), a random bot's rationale in Korean, and the untitled
    game's name in its heading; in English, as the document says them."""
    game = finished_game()
    page = unescaped(get(staff, f"/games/{game.pk}/replay/", "ko"))
    war = ko("variables.ukraine_war.label")
    assert (
        f'<th scope="row">{war}</th><td>{ko("variables.ukraine_war.values.ongoing")}</td>' in page
    )
    leadership = ko("variables.rok_leadership.label")
    value = ko("variables.rok_leadership.values.vacuum")
    assert f'<th scope="row">{leadership}</th><td>{value}</td>' in page
    for code in ("ongoing", "vacuum", "scheduled"):
        assert f"<td>{code}</td>" not in page
    assert korean(RATIONALE) in page and RATIONALE not in page
    assert ko("title") in re.search(r"<h1>(.*?)</h1>", page, flags=re.S)[1]
    assert ko("title") in re.search(r"<title>(.*?)</title>", page, flags=re.S)[1]

    page = unescaped(get(staff, f"/games/{game.pk}/replay/", "en"))
    assert f'<th scope="row">{en("variables.ukraine_war.label")}</th><td>ongoing</td>' in page
    assert RATIONALE in page
    assert en("title") in re.search(r"<h1>(.*?)</h1>", page, flags=re.S)[1]


def test_the_debriefs_charts_are_described_in_korean(staff):
    """Every chart of the debrief is described to a screen reader in Korean ("처음 ..,
    마지막 .." for a line, the talk matrix's rows), and a random bot's rationale is Korean;
    an English reader hears "65 to 83 (lowest 62, highest 83)"."""
    game = finished_game()
    page = get(staff, f"/games/{game.pk}/debrief/", "ko")
    said = descriptions(page)
    assert len(said) >= 5
    for desc in said:
        assert not latin_words(desc), desc
    line = korean("%(name)s: %(first)s to %(last)s (lowest %(low)s, highest %(high)s).")
    assert any(re.search(shaped(line), d) for d in said)
    assert korean(RATIONALE) in unescaped(page) and RATIONALE not in unescaped(page)

    said = descriptions(get(staff, f"/games/{game.pk}/debrief/", "en"))
    assert any("lowest" in d and "highest" in d for d in said)
    assert any(": none." in d for d in said)  # the talk matrix: nobody talked


def test_the_comparison_says_results_and_charts_in_korean(staff):
    """The branch comparison names both games, says each move's result ("성공", not
    "succeeded") and describes its charts in Korean; in English, in English."""
    game = finished_game()
    fork = staff.post(f"/games/{game.pk}/fork/", {"turn": 1, "title": "", "bots": list(ROLES)},
                      HTTP_ACCEPT_LANGUAGE="ko")  # fmt: skip
    assert fork.status_code == 302
    child = Game.objects.get(parent=game)
    game_start(game_id=child.pk)
    page = get(staff, f"/games/{game.pk}/compare/{child.pk}/", "ko")
    heading = unescaped(re.search(r"<h1>(.*?)</h1>", page, flags=re.S)[1])
    assert ko("title") in heading
    assert child.title in heading and not latin_words(child.title)  # the fork's own, in Korean
    outcomes = re.findall(r"<li>[^<]*— ([^<]*)</li>", page)
    assert outcomes and not latin_words(" ".join(outcomes))
    assert korean("Succeeded") in outcomes
    for desc in descriptions(page):
        assert not latin_words(desc), desc

    page = get(staff, f"/games/{game.pk}/compare/{child.pk}/", "en")
    outcomes = re.findall(r"<li>[^<]*— ([^<]*)</li>", page)
    assert "Succeeded" in outcomes
    assert any("lowest" in d for d in descriptions(page))


def test_the_scenarios_pages_say_the_scenarios_texts_in_korean(staff):
    """The list of scenarios, a released version's page (its roles, briefings, actions and
    rules) and the comparison of two versions say the scenario's texts as its Korean file
    does; in English, as its document does."""
    page = unescaped(get(staff, "/scenarios/", "ko"))
    assert ko("title") in page and en("title") not in page
    page = unescaped(get(staff, "/scenarios/lips-and-teeth-2025/v2/", "ko"))
    assert ko("title") in page and en("title") not in page
    for key in ("roles.seoul.name", "roles.seoul.briefing", "variables.tension.label"):
        assert ko(key) in page
    assert en("roles.seoul.briefing") not in page
    leadership = ko("variables.rok_leadership.label")  # a rule's condition, in words
    assert f"{leadership} = {ko('variables.rok_leadership.values.vacuum')}" in page
    page = unescaped(get(staff, "/scenarios/lips-and-teeth-2025/compare/?old=1&new=2", "ko"))
    labels = re.findall(r"<strong>([^<]*)</strong>", page)
    assert labels and ko("title") in page
    assert en("title") not in page
    sources = {t["source"] for t in TEXTS.values()}
    assert not [label for label in labels if label in sources]

    page = unescaped(get(staff, "/scenarios/lips-and-teeth-2025/v2/", "en"))
    assert en("roles.seoul.briefing") in page and ko("roles.seoul.briefing") not in page
    assert f"{en('variables.rok_leadership.label')} = vacuum" in page
    page = unescaped(get(staff, "/scenarios/lips-and-teeth-2025/compare/?old=1&new=2", "en"))
    assert en("title") in page


def test_the_forms_that_set_something_per_role_name_the_roles_as_the_game_does(staff):
    """The class form's bot policy per capital and the lab's policy per role named the
    roles by the catalog's capitals ("서울", "베이징") while every game page says "한국",
    "중국" (the scenario's names): now as the game pages do, in either language."""
    for path, field in (("/classes/", "id_policy_{}"), ("/lab/", "id_policy_{}")):
        for language, name in (("ko", ko), ("en", en)):
            page = unescaped(get(staff, path, language))
            for role in ROLES:
                label = re.search(rf'<label for="{field.format(role)}">(.*?)</label>', page)
                assert label, (path, role)
                assert name(f"roles.{role}.name") in label.group(1), (path, language, label)
                if language == "ko":
                    assert ko(f"roles.{role}.capital") not in label.group(1), (path, label)
