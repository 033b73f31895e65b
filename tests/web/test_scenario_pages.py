"""The staff scenario pages (/scenarios/): upload (file or pasted JSON), check in words,
install as a pinned version, list versions, compare two versions; every refusal says
why and writes nothing."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.contrib.auth import get_user_model

from wargame.engine.loader import MAX_UPLOAD_BYTES, load_document
from wargame.models import Game, Scenario

pytestmark = pytest.mark.django_db

SLUG = "gyeongju-rehearsal"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("author", password="pw", is_staff=True)
    client.force_login(user)
    return client


def gyeongju(version: int = 2) -> dict:
    """The shipped rehearsal as a new version with one rule's effects changed."""
    document = copy.deepcopy(load_document(SLUG, 1)[0])
    document["version"] = version
    rule = next(r for r in document["rules"] if r["id"] == "c16_missile_test")
    rule["effects"] = [{"var": "tension", "add": 12}, {"var": "rok_influence", "add": -1}]
    return document


def upload(client, document, *, step="preview", pasted=False):
    raw = json.dumps(document) if not isinstance(document, str) else document
    if pasted:
        return client.post("/scenarios/", {"step": step, "text": raw})
    data = {"step": step, "file": io.BytesIO(raw.encode())}
    data["file"].name = "scenario.json"
    return client.post("/scenarios/", data)


def text(response) -> str:
    return response.content.decode()


def test_the_page_is_for_staff_only(client):
    """Anonymous visitors are sent to log in; nothing is shown or accepted."""
    assert client.get("/scenarios/").status_code == 302
    assert upload(client, gyeongju()).status_code == 302
    assert not Scenario.objects.filter(slug=SLUG, version=2).exists()


def test_the_list_shows_every_slug_with_its_released_versions(staff):
    """Both shipped scenarios, each version linked, released ones marked as such."""
    page = text(staff.get("/scenarios/"))
    assert "Lips and Teeth" in page and "Channels before Gyeongju" in page
    assert f'href="/scenarios/{SLUG}/v1/"' in page
    assert 'href="/scenarios/lips-and-teeth-2025/v2/"' in page
    assert "released in the repository" in page
    assert "/scenarios/lips-and-teeth-2025/compare/?old=1&amp;new=2" in page


def test_checking_an_upload_shows_it_in_words_and_writes_nothing(staff):
    """The check shows roles (briefing, objectives), actions, rules with claims, section,
    chance and effects in words, and the changes since the previous version; no row yet."""
    before = Scenario.objects.count()
    response = upload(staff, gyeongju())
    page = text(response)
    assert response.status_code == 200
    assert "The document is valid" in page
    assert "You host APEC in Gyeongju in October" in page  # Seoul's briefing
    assert "Keep a say in peninsula affairs" in page  # an objective
    assert "Seoul&#x27;s say in peninsula affairs" in page  # its variable, by label
    assert "Invite Xi to Gyeongju" in page  # an action label
    assert "A missile test" in page and "C16" in page
    assert "II.3: The 2025 APEC Leaders" in page  # section with its title
    assert "Military tension on the peninsula +12" in page  # an effect in words
    assert "60% (kept between 5% and 95%)" in page  # the summit's chance
    assert "−20 when Military tension on the peninsula ≥ 75" in page
    assert "Changes since version 1" in page
    assert "Effects added: tension +12; rok_influence −1" in page
    assert "Effects removed: tension +8" in page
    assert Scenario.objects.count() == before


def test_installing_pins_the_version_and_lists_it_as_uploaded(staff):
    """Install: a row with the document and its hash; the list marks it uploaded; games
    can be created with it; installing it again changes nothing."""
    document = gyeongju()
    response = upload(staff, document, step="install", pasted=True)
    assert response.status_code == 302 and response.url == f"/scenarios/{SLUG}/v2/"
    row = Scenario.objects.get(slug=SLUG, version=2)
    assert row.document == document
    assert row.roles.count() == 3 and row.rules.count() == len(document["rules"])
    detail = staff.get(response.url, follow=True)
    assert "Installed Channels before Gyeongju" in text(detail)
    assert "uploaded" in text(staff.get("/scenarios/"))
    again = upload(staff, document, step="install")
    assert again.status_code == 302
    assert Scenario.objects.filter(slug=SLUG).count() == 1  # v1 is not installed until used
    assert "nothing changed" in text(staff.get(again.url))


def test_a_schema_error_names_the_json_path_and_writes_nothing(staff):
    document = gyeongju()
    document["rules"][3]["when"] = {"opp": "x"}
    response = upload(staff, document, pasted=True)
    assert response.status_code == 400
    assert "Not installed: $.rules[3].when:" in text(response)
    assert "&#x27;opp&#x27; was unexpected" in text(response)
    assert upload(staff, document, step="install").status_code == 400
    assert not Scenario.objects.filter(slug=SLUG).exists()


def test_an_engine_error_names_the_rule_and_field(staff):
    document = gyeongju()
    document["rules"][0]["effects"][0]["var"] = "relations.pyongyang-beijing"
    response = upload(staff, document)
    assert response.status_code == 400
    assert (
        "rules.c6_strategic_communication.effects[0].var: unknown variable "
        "&#x27;relations.pyongyang-beijing&#x27;"
    ) in text(response)


def test_a_section_the_source_does_not_declare_is_refused(staff):
    """Sections are the scenario's own (source.sections), not the default scenario's."""
    document = gyeongju()
    document["rules"][0]["section"] = "II.2"
    response = upload(staff, document)
    assert response.status_code == 400
    assert "rules.c6_strategic_communication.section: &#x27;II.2&#x27; is not a section" in (
        text(response)
    )
    document["source"]["sections"]["II.2"] = "A Russia variable"
    assert upload(staff, document).status_code == 200


def test_bad_json_and_an_empty_form_say_what_to_do(staff):
    assert "$: not valid JSON" in text(upload(staff, "{not json", pasted=True))
    empty = staff.post("/scenarios/", {"step": "preview", "text": ""})
    assert empty.status_code == 400
    assert "Choose a scenario file or paste its JSON." in text(empty)


def test_an_edited_released_version_is_refused_with_bump_the_version(staff):
    """Gyeongju v1 with one changed rule: the check says it cannot be installed (409),
    the install is refused (400) naming the next free version, and nothing is written."""
    document = gyeongju(version=1)
    check = upload(staff, document)
    assert check.status_code == 409
    assert "This document cannot be installed" in text(check)
    assert "Install this scenario" not in text(check)
    refused = upload(staff, document, step="install")
    assert refused.status_code == 400
    assert "Released versions never change: bump the version. Save it as v2." in text(refused)
    assert not Scenario.objects.filter(slug=SLUG).exists()


def test_another_document_under_an_uploaded_version_is_refused(staff):
    """Upload v2, then a different v2: refused, "bump the version (to v3)"; v2 unchanged."""
    first = gyeongju()
    assert upload(staff, first, step="install").status_code == 302
    second = gyeongju()
    second["title"] = "Another title"
    check = upload(staff, second)
    assert check.status_code == 409 and "bump the version" in text(check)
    refused = upload(staff, second, step="install")
    assert refused.status_code == 400
    assert "bump the version (to v3)" in text(refused)
    assert Scenario.objects.get(slug=SLUG, version=2).document == first


def test_an_oversized_upload_is_refused_before_it_is_read(staff):
    big = json.dumps(gyeongju()) + " " * (MAX_UPLOAD_BYTES + 70 * 1024)
    response = upload(staff, big)
    assert response.status_code == 413
    assert "scenario documents are limited to" in text(response)


def test_comparing_two_released_versions_lists_rules_and_effects(staff):
    """v1 to v2 of the default scenario: the rules v2 changed, by title, with the effects
    each gained or lost."""
    page = text(staff.get("/scenarios/lips-and-teeth-2025/compare/?old=1&new=2"))
    assert "From version 1 to version 2" in page
    assert "Changed" in page and "Rule:" in page
    assert "differs in:" in page
    same = text(staff.get("/scenarios/lips-and-teeth-2025/compare/?old=2&new=2"))
    assert "No differences." in same
    assert staff.get("/scenarios/lips-and-teeth-2025/compare/?old=1&new=9").status_code == 404
    assert staff.get("/scenarios/no-such/compare/").status_code == 404


def test_comparing_an_uploaded_version_with_the_released_one(staff):
    upload(staff, gyeongju(), step="install")
    page = text(staff.get(f"/scenarios/{SLUG}/compare/?old=1&new=2"))
    assert "Rule: <strong>A missile test</strong>" in page
    assert "Effects added: tension +12; rok_influence −1" in page


def test_a_version_page_shows_the_document_in_words(staff):
    page = text(staff.get(f"/scenarios/{SLUG}/v1/"))
    assert "Channels before Gyeongju" in page and "Xi and Kim meet" in page
    assert "Beijing: Host Kim in Beijing and Pyongyang: Ask to visit Beijing" in page
    assert staff.get(f"/scenarios/{SLUG}/v7/").status_code == 404


def test_facilitate_links_the_scenario_page(staff):
    assert 'href="/scenarios/"' in text(staff.get("/facilitate/"))


def test_the_create_form_lists_the_chosen_scenarios_roles_as_bots(staff):
    """Choosing gyeongju-rehearsal offers a seat select (a person or a bot's policy) for
    each of its three roles and its four turns; no Washington."""
    page = text(staff.get(f"/facilitate/?scenario={SLUG}:1"))
    assert f'<option value="{SLUG}:1" selected>' in page
    assert "Who plays Pyongyang" in page and 'name="bot_pyongyang"' in page
    assert "Who plays Washington" not in page and "Who plays Moscow" not in page
    seat = page[page.index('name="bot_pyongyang"') :]
    seat = seat[: seat.index("</select>")]
    assert "A person" in seat and "A bot: random legal moves" in seat
    assert "A bot: pursues the role&#x27;s objectives" in seat
    assert 'name="turns" value="4"' in page


def test_creating_a_game_with_a_doctrine_bot_from_the_form(staff):
    """The select stores the policy on the bot's seat; an empty select is a person."""
    response = staff.post(
        "/facilitate/",
        {"scenario": f"{SLUG}:1", "turns": 4, "bot_pyongyang": "doctrine", "bot_seoul": ""},
    )
    assert response.status_code == 302
    game = Game.objects.get()
    pyongyang = game.seats.get(role="pyongyang")
    assert (pyongyang.kind, pyongyang.policy) == ("bot", "doctrine")
    assert game.seats.get(role="seoul").kind == "person"


def test_creating_a_game_of_the_chosen_version_with_a_bot(staff):
    response = staff.post(
        "/facilitate/", {"scenario": f"{SLUG}:1", "turns": 4, "bots": ["pyongyang"]}
    )
    assert response.status_code == 302
    game = Game.objects.get()
    assert (game.scenario.slug, game.scenario.version) == (SLUG, 1)
    assert game.seats.get(role="pyongyang").kind == "bot"


def test_a_bot_the_chosen_scenario_lacks_is_refused(staff):
    """Moscow is not a role of the rehearsal: the form says so and no game is created."""
    response = staff.post("/facilitate/", {"scenario": f"{SLUG}:1", "turns": 4, "bots": ["moscow"]})
    assert response.status_code == 400
    assert "moscow is not one of the available choices" in text(response)
    unknown = staff.post("/facilitate/", {"scenario": "nothing:3", "turns": 4})
    assert unknown.status_code == 400
    assert not Game.objects.exists()


def test_a_game_of_an_uploaded_version_can_be_created(staff):
    upload(staff, gyeongju(), step="install")
    response = staff.post("/facilitate/", {"scenario": f"{SLUG}:2", "turns": 2})
    assert response.status_code == 302
    assert Game.objects.get().scenario.version == 2
