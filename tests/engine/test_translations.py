"""Scenario translations beside the released documents: every text of every released
scenario has a Korean entry, and the checker names what a translation lacks or adds."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.engine.loader import SCENARIO_DIR, scenario_from_document
from wargame.engine.translations import (
    FORMAT,
    apply_translation,
    check_translation,
    dumps,
    main,
    placeholders,
    skeleton,
    translatable_texts,
    translated_texts,
    translation_file_name,
)

ROOT = Path(__file__).resolve().parents[2]
RELEASED = json.loads((SCENARIO_DIR / "released.json").read_text(encoding="utf-8"))
RELEASES = [(slug, int(v)) for slug, versions in RELEASED.items() for v in versions]
HANGUL = range(0xAC00, 0xD7A4)


def _document(slug, version):
    return json.loads((SCENARIO_DIR / slug / f"v{version}.json").read_text(encoding="utf-8"))


def _korean(slug, version):
    path = SCENARIO_DIR / slug / translation_file_name(version, "ko")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def v2():
    return _document("lips-and-teeth-2025", 2)


@pytest.fixture
def v2_ko():
    return _korean("lips-and-teeth-2025", 2)


@pytest.mark.parametrize(("slug", "version"), RELEASES, ids=[f"{s}-v{v}" for s, v in RELEASES])
def test_every_released_scenario_has_every_text_in_korean(slug, version):
    """Each released version has a v<N>.ko.json beside it with a Korean text for every
    text of the document, made from the current source text, and no stray key."""
    report = check_translation(_document(slug, version), _korean(slug, version))
    assert report.lines() == []
    assert report.ok


@pytest.mark.parametrize(("slug", "version"), RELEASES, ids=[f"{s}-v{v}" for s, v in RELEASES])
def test_korean_texts_are_korean(slug, version):
    """No entry is the English copied across: every Korean text has Hangul in it, except
    enum labels and names that are the same in both (none today)."""
    translation = _korean(slug, version)
    english = [
        key
        for key, entry in translation["texts"].items()
        if not any(ord(ch) in HANGUL for ch in entry["text"])
    ]
    assert english == []


def test_keys_name_items_by_id_not_position(v2):
    """Keys use the ids a scenario has (role slug, objective id, role:code, rule id)."""
    texts = translatable_texts(v2)
    assert texts["title"] == "Lips and Teeth, 2025"
    assert "roles.seoul.briefing" in texts
    assert "roles.beijing.objectives.not_passed.label" in texts
    assert "actions.pyongyang:envoy_to_beijing.label" in texts
    assert "actions.moscow:negotiate_ukraine_peace.description" in texts
    assert "rules.c18_prc_dprk_summit.fail_explain" in texts
    assert "variables.relations.beijing-pyongyang.label" in texts
    assert "variables.memory.nuclear_tests.description" in texts
    assert texts["variables.ukraine_war.values.ceasefire"] == "ceasefire"
    assert texts["turns.labels.7"] == "October 2025"
    assert texts["roles.seoul.fears.0"] == "Being bypassed by Washington and Beijing"
    assert "source.date" not in texts  # a date, not a text


def test_moving_an_item_keeps_its_key(v2, v2_ko):
    """Reordering rules and actions (a new version may) leaves the translation complete."""
    moved = copy.deepcopy(v2)
    moved["rules"].reverse()
    moved["actions"].reverse()
    assert check_translation(moved, v2_ko).ok


def test_a_missing_text_is_named(v2, v2_ko):
    del v2_ko["texts"]["rules.c7_nuclear_test.explain"]
    v2_ko["texts"]["roles.seoul.name"]["text"] = "  "
    report = check_translation(v2, v2_ko)
    assert report.missing == ["roles.seoul.name", "rules.c7_nuclear_test.explain"]
    assert "rules.c7_nuclear_test.explain: no translation" in report.lines()
    assert not report.ok


def test_a_key_that_matches_nothing_is_named(v2, v2_ko):
    v2_ko["texts"]["rules.no_such_rule.title"] = {"source": "x", "text": "엑스"}
    v2_ko["texts"]["actions.seoul:envoy_to_beijing.label"] = {"source": "x", "text": "엑스"}
    report = check_translation(v2, v2_ko)
    assert report.extra == ["rules.no_such_rule.title", "actions.seoul:envoy_to_beijing.label"]
    assert report.missing == []


def test_a_text_changed_since_translation_is_named(v2, v2_ko):
    """A new version that rewrites a text makes its copied translation stale."""
    rule = next(r for r in v2["rules"] if r["id"] == "c7_nuclear_test")
    rule["explain"] = "The test went ahead, and everyone noticed."
    report = check_translation(v2, v2_ko)
    assert report.changed == ["rules.c7_nuclear_test.explain"]
    assert report.lines() == [
        "rules.c7_nuclear_test.explain: the text changed since it was translated"
    ]


def test_placeholders_must_survive(v2, v2_ko):
    role = next(r for r in v2["roles"] if r["slug"] == "seoul")
    role["briefing"] = "You are {role}, with %(n)s moves."
    entry = {"source": role["briefing"], "text": "당신은 {role}입니다."}
    v2_ko["texts"]["roles.seoul.briefing"] = entry
    assert check_translation(v2, v2_ko).placeholders == ["roles.seoul.briefing"]
    v2_ko["texts"]["roles.seoul.briefing"]["text"] = "당신은 {role}이며 %(n)s번 움직입니다."
    assert check_translation(v2, v2_ko).ok


def test_placeholders_are_compared_as_a_multiset():
    assert placeholders("{a} and %(b)s and %s") == ["%(b)s", "%s", "{a}"]
    assert placeholders("100% sure") == []


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"format": "other"}, f"$.format: must be {FORMAT!r}"),
        ({"slug": "gyeongju-rehearsal"}, "$.slug: 'gyeongju-rehearsal' is not the scenario's"),
        ({"version": 1}, "$.version: 1 is not the scenario's 2"),
        ({"language": "Korean"}, "$.language: 'Korean' is not a language code"),
        ({"texts": []}, "$.texts: must be an object"),
    ],
)
def test_a_wrong_header_is_named(v2, v2_ko, change, line):
    v2_ko.update(change)
    report = check_translation(v2, v2_ko)
    assert any(problem.startswith(line) for problem in report.problems), report.problems


def test_a_translation_must_be_an_object(v2):
    assert check_translation(v2, ["no"]).problems == ["$: a translation is a JSON object"]


def test_applying_changes_only_the_words(v2, v2_ko):
    """The translated copy adjudicates the same: every code, id and number is untouched;
    the original document is not modified."""
    pristine = copy.deepcopy(v2)
    korean = apply_translation(v2, v2_ko)
    assert v2 == pristine
    assert korean["title"] == "순망치한 2025"
    seoul = next(r for r in korean["roles"] if r["slug"] == "seoul")
    assert seoul["name"] == "한국"
    assert seoul["fears"][0] == v2_ko["texts"]["roles.seoul.fears.0"]["text"]
    assert korean["turns"]["labels"][7] == "2025년 10월"
    assert korean["variables"]["relations"]["beijing-pyongyang"]["label"].startswith("북중 관계")
    assert translatable_texts(korean).keys() == translatable_texts(v2).keys()

    def codes(doc):
        words = set(translatable_texts(doc).values())
        return json.dumps(_strip(doc, words), sort_keys=True)

    assert codes(korean) == codes(v2)
    scenario = scenario_from_document(korean)
    assert scenario.slug == "lips-and-teeth-2025"


def _strip(node, words):
    """The document with every translatable text blanked out, to compare the rest."""
    if isinstance(node, dict):
        return {k: _strip(v, words) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip(v, words) for v in node]
    return None if isinstance(node, str) and node in words else node


def test_an_untranslated_text_falls_back_to_the_source(v2, v2_ko):
    del v2_ko["texts"]["rules.c7_nuclear_test.title"]
    words = translated_texts(v2, v2_ko)
    assert words["rules.c7_nuclear_test.title"] == (
        "A nuclear test gives Washington and Beijing common ground"
    )
    assert words["variables.ukraine_war.values.ended"] == "종전"


def test_the_checker_imports_no_web_stack():
    """wargame.engine.translations is pure, like the rest of the engine."""
    program = (
        "import sys, wargame.engine.translations; "
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('django', 'channels', 'celery')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_skeleton_keeps_the_unchanged_texts_of_another_version():
    """Starting v2's Korean from v1's: only the texts v2 added or rewrote are left empty,
    and the check names exactly those."""
    v1, v2 = _document("lips-and-teeth-2025", 1), _document("lips-and-teeth-2025", 2)
    started = skeleton(v2, "ko", previous=_korean("lips-and-teeth-2025", 1))
    assert started["version"] == 2
    empty = sorted(key for key, entry in started["texts"].items() if not entry["text"])
    v1_texts, v2_texts = translatable_texts(v1), translatable_texts(v2)
    assert empty == sorted(k for k, text in v2_texts.items() if v1_texts.get(k) != text)
    assert "rules.c5_reengagement_lasts.title" in empty
    assert check_translation(v2, started).missing == [k for k in v2_texts if k in empty]


def test_the_file_format_is_one_text_per_line():
    path = SCENARIO_DIR / "lips-and-teeth-2025" / "v2.ko.json"
    text = path.read_text(encoding="utf-8")
    assert dumps(json.loads(text)) == text


def test_command_line_check(tmp_path, capsys):
    folder = SCENARIO_DIR / "lips-and-teeth-2025"
    assert main(["check", str(folder / "v2.json"), str(folder / "v2.ko.json")]) == 0
    assert "every text of" in capsys.readouterr().out
    stale = _korean("lips-and-teeth-2025", 2)
    del stale["texts"]["title"]
    broken = tmp_path / "v2.ko.json"
    broken.write_text(json.dumps(stale), encoding="utf-8")
    assert main(["check", str(folder / "v2.json"), str(broken)]) == 1
    assert f"{broken}: title: no translation" in capsys.readouterr().out.splitlines()


def test_command_line_skeleton(capsys):
    folder = SCENARIO_DIR / "gyeongju-rehearsal"
    assert main(["skeleton", str(folder / "v1.json"), "ja"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["language"] == "ja"
    assert printed["texts"]["roles.seoul.name"] == {"source": "Seoul", "text": ""}
    with pytest.raises(SystemExit) as refused:
        main(["skeleton", str(folder / "v1.json"), "Japanese"])
    assert refused.value.code == 2


ROLE_WORDS = {  # docs/glossary-ko.md: roles read as countries; capitals where a city is meant
    "seoul": ("한국", "서울"),
    "beijing": ("중국", "베이징"),
    "pyongyang": ("북한", "평양"),
    "washington": ("미국", "워싱턴"),
    "moscow": ("러시아", "모스크바"),
}


@pytest.mark.parametrize(("slug", "version"), RELEASES, ids=[f"{s}-v{v}" for s, v in RELEASES])
def test_roles_read_as_countries_and_capitals_as_cities(slug, version):
    """A role's Korean name is the country, its capital the city (the glossary's table),
    even though in English both are 'Seoul'."""
    texts = _korean(slug, version)["texts"]
    for role in _document(slug, version)["roles"]:
        country, city = ROLE_WORDS[role["slug"]]
        assert texts[f"roles.{role['slug']}.name"]["text"] == country
        if role.get("capital"):
            assert texts[f"roles.{role['slug']}.capital"]["text"] == city
