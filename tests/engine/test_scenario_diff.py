"""The difference between two versions of a scenario, as an author reads it: what was
added, removed and changed, and for a changed rule which parts and which effects."""

from __future__ import annotations

import copy

from wargame.engine.loader import load_scenario
from wargame.engine.scenario_diff import effect_text, scenario_diff

DOCUMENT = copy.deepcopy(load_scenario("lips-and-teeth-2025").raw)


def test_a_document_equals_itself():
    """Two copies of one version: nothing to report."""
    assert scenario_diff(DOCUMENT, copy.deepcopy(DOCUMENT)).empty


def test_a_rule_added_removed_and_changed_with_its_effects():
    """A new rule is added, an old one removed, and one gains an effect, loses one and has a
    new chance: each is listed once, the change naming its parts and its effects."""
    new = copy.deepcopy(DOCUMENT)
    rules = {r["id"]: r for r in new["rules"]}
    changed = rules["c7_nuclear_test"]
    old_effect = changed["effects"][0]
    changed["effects"] = changed["effects"][1:] + [{"var": "tension", "add": 30}]
    changed["chance"] = {"base": 50}
    new["rules"] = [r for r in new["rules"] if r["id"] != "unsc_veto"]
    new["rules"].append({**copy.deepcopy(rules["missile_test"]), "id": "missile_test_2"})

    diff = scenario_diff(DOCUMENT, new)

    assert [(c.kind, c.key) for c in diff.added] == [("rule", "missile_test_2")]
    assert [(c.kind, c.key) for c in diff.removed] == [("rule", "unsc_veto")]
    [change] = diff.changed
    assert (change.kind, change.key) == ("rule", "c7_nuclear_test")
    assert change.parts == ("chance", "effects")
    assert change.effects_added == ("tension +30",)
    assert change.effects_removed == (effect_text(old_effect),)


def test_actions_variables_and_settings_are_compared_too():
    """An action relabelled, a variable's start moved, a new inject, the budget changed."""
    new = copy.deepcopy(DOCUMENT)
    new["actions"][0]["label"] = "Send a very senior envoy"
    new["variables"]["scalars"]["tension"]["start"] = 70
    new["injects"].append({"id": "quake", "label": "An earthquake", "effects": []})
    new["action_budget"] = 3

    diff = scenario_diff(DOCUMENT, new)

    first = DOCUMENT["actions"][0]
    assert [(c.kind, c.key) for c in diff.added] == [("inject", "quake")]
    assert {(c.kind, c.key, c.parts) for c in diff.changed} == {
        ("variable", "tension", ("start",)),
        ("action", f"{first['role']}:{first['code']}", ("label",)),
        ("setting", "action_budget", ("action_budget",)),
    }


def test_effects_read_as_short_lines():
    assert effect_text({"var": "tension", "add": -3}) == "tension −3"
    assert effect_text({"var": "ukraine_war", "set": "ceasefire"}) == "ukraine_war = ceasefire"
    assert effect_text({"var": "tension", "add_roll": [2, 5]}) == "tension +[2..5]"
