"""Loading scenario documents: the shipped one validates; corrupted copies are refused
with a ScenarioError that names the bad place."""

import copy
import json

import pytest

from wargame.engine import ScenarioError
from wargame.engine.loader import (
    DEFAULT_SLUG,
    SCENARIO_DIR,
    latest_version,
    scenario_from_document,
)


@pytest.fixture
def document():
    """A fresh parsed copy of the latest shipped scenario file, safe to corrupt."""
    path = SCENARIO_DIR / DEFAULT_SLUG / f"v{latest_version(DEFAULT_SLUG)}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _rule(document, rule_id):
    return next(rule for rule in document["rules"] if rule["id"] == rule_id)


def test_shipped_scenario_validates(document):
    scenario = scenario_from_document(document)
    assert scenario.slug == DEFAULT_SLUG
    assert scenario.role_slugs == ("seoul", "beijing", "pyongyang", "washington", "moscow")
    assert len(scenario.initial_state()["relations"]) == 10


def test_loading_does_not_modify_the_document(document):
    pristine = copy.deepcopy(document)
    scenario_from_document(document)
    assert document == pristine


def test_wrong_type_deep_inside_names_its_json_path(document):
    """An objective weight written as a string, three levels down."""
    document["roles"][2]["objectives"][0]["weight"] = "three"
    with pytest.raises(ScenarioError, match=r"\$\.roles\[2\]\.objectives\[0\]\.weight"):
        scenario_from_document(document)


def test_wrong_type_in_a_rule_effect_names_its_json_path(document):
    """An effect amount written as a string inside a rule."""
    index = next(i for i, r in enumerate(document["rules"]) if r["id"] == "c7_nuclear_test")
    document["rules"][index]["effects"][0]["add"] = "twelve"
    with pytest.raises(ScenarioError, match=rf"\$\.rules\[{index}\]\.effects\[0\]\.add"):
        scenario_from_document(document)


def test_unknown_variable_in_an_effect_names_the_rule(document):
    _rule(document, "c7_nuclear_test")["effects"][0]["var"] = "sanctions_enforcment"
    with pytest.raises(
        ScenarioError, match=r"rules\.c7_nuclear_test\.effects\[0\]\.var: unknown variable"
    ):
        scenario_from_document(document)


def test_unknown_variable_in_a_condition_names_the_rule(document):
    _rule(document, "c2_pressure_raises_value_of_tie")["when"]["all"][0]["var"] = "us_pressure"
    with pytest.raises(
        ScenarioError, match=r"rules\.c2_pressure_raises_value_of_tie\.when\.all\[0\]\.var"
    ):
        scenario_from_document(document)


def test_rule_referencing_an_unknown_action_names_the_rule(document):
    _rule(document, "c6_strategic_communication")["when"] = {"move": "beijing:send_panda"}
    with pytest.raises(
        ScenarioError, match=r"rules\.c6_strategic_communication: 'beijing:send_panda'"
    ):
        scenario_from_document(document)


def test_rule_giving_an_outcome_to_another_roles_action_names_the_rule(document):
    _rule(document, "economic_aid")["outcomes"] = {"seoul:economic_aid_pyongyang": "succeeded"}
    with pytest.raises(ScenarioError, match=r"rules\.economic_aid: 'seoul:economic_aid_pyongyang'"):
        scenario_from_document(document)


def test_fired_naming_a_later_rule_names_the_rule(document):
    """Rules run in file order, so 'fired' may only look back."""
    first = document["rules"][0]["id"]
    last = document["rules"][-1]["id"]
    document["rules"][0]["when"] = {"fired": last}
    with pytest.raises(ScenarioError, match=rf"rules\.{first}\.when: fired '{last}'"):
        scenario_from_document(document)


def test_fired_naming_an_unknown_rule_names_the_rule(document):
    _rule(document, "c11_embrace_antagonises_washington")["when"] = {"fired": "no_such_rule"}
    with pytest.raises(ScenarioError, match=r"rules\.c11_embrace_antagonises_washington\.when"):
        scenario_from_document(document)


def test_missing_relation_pair_is_named(document):
    del document["variables"]["relations"]["beijing-moscow"]
    with pytest.raises(ScenarioError, match=r"variables\.relations: missing \['beijing-moscow'\]"):
        scenario_from_document(document)


def test_relation_key_out_of_order_is_named(document):
    relations = document["variables"]["relations"]
    relations["pyongyang-beijing"] = relations.pop("beijing-pyongyang")
    with pytest.raises(ScenarioError, match=r"variables\.relations\.pyongyang-beijing"):
        scenario_from_document(document)


def test_duplicate_rule_id_is_named(document):
    document["rules"].append(copy.deepcopy(_rule(document, "economic_aid")))
    with pytest.raises(ScenarioError, match=r"rules\.economic_aid: id used twice"):
        scenario_from_document(document)


def test_objective_on_unknown_variable_is_named(document):
    document["roles"][0]["objectives"][0]["var"] = "seoul_mood"
    with pytest.raises(ScenarioError, match=r"roles\.seoul\.objectives\.influence\.var"):
        scenario_from_document(document)


def test_enum_start_outside_its_values_is_named(document):
    document["variables"]["enums"]["ukraine_war"]["start"] = "frozen"
    with pytest.raises(ScenarioError, match=r"variables\.enums\.ukraine_war\.start"):
        scenario_from_document(document)


def test_missing_required_field_is_named(document):
    del document["rules"][3]["explain"]
    with pytest.raises(ScenarioError, match=r"\$\.rules\[3\]"):
        scenario_from_document(document)
