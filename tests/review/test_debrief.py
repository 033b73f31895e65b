"""wargame.review.debrief: the debrief's content from a hand-made log document with known numbers
(no database)."""

import copy
import re

import pytest

from wargame.engine import scores
from wargame.engine.loader import load_scenario
from wargame.review.debrief import debrief_charts, debrief_content, relation_groups

SCENARIO = load_scenario()


def state_after(turn, **changes):
    state = copy.deepcopy(SCENARIO.initial_state())
    state["turn"] = turn
    for key, value in changes.items():
        if key in state["relations"]:
            state["relations"][key] = value
        else:
            state[key.replace("__", "-")] = value
    return state


def fired(rule, *, succeeded=True):
    spec = next(r for r in SCENARIO.rules if r.id == rule)
    return {
        "rule": rule,
        "title": spec.title,
        "claims": list(spec.claims),
        "section": spec.section,
        "succeeded": succeeded,
    }


NUCLEAR = next(r for r in SCENARIO.rules if r.id == "c7_nuclear_test")


def log_document():
    """Two turns: Pyongyang tests in March (the umpire softens it), Seoul writes to Beijing
    twice and the facilitator once to everyone; tension 65 -> 80 -> 72."""
    return {
        "format": "lips-and-teeth/log",
        "version": 1,
        "scenario": SCENARIO.slug,
        "seed": 1,
        "game": {"id": 7, "title": "Table <1>", "turns": 10, "status": "finished", "notes": "N"},
        "roles": [{"role": "seoul", "seat": "person", "name": "Ada"}],
        "turns": [
            {
                "number": 1,
                "moves": [
                    {"role": "seoul", "action": "hold", "target": None, "rationale": "wait"},
                    {
                        "role": "pyongyang",
                        "action": "nuclear_test",
                        "target": None,
                        "rationale": "show strength",
                    },
                ],
                "injects": [{"id": "x", "label": "Typhoon", "description": "Ports closed"}],
                "messages": [
                    {"from": "seoul", "to": ["beijing"], "text": "a"},
                    {"from": "seoul", "to": ["beijing", "moscow"], "text": "b"},
                    {"from": "facilitator", "to": "all", "text": "c"},
                ],
                "overrides": [
                    {
                        "reason": "Too strong for March",
                        "effects": [{"var": "tension", "add": -5}],
                        "results": [{"index": 0, "result": "failed"}],
                    }
                ],
                "outcome": {
                    "outcomes": [
                        {
                            "role": "pyongyang",
                            "action": "nuclear_test",
                            "target": None,
                            "result": "failed",
                            "reason": "It fizzled.",
                            "rules": ["c7_nuclear_test"],
                            "claims": ["C7"],
                        }
                    ],
                    "fired_rules": [fired("c7_nuclear_test"), fired("c5_china_passing_fades")],
                    "state": state_after(1, tension=80, **{"beijing-pyongyang": 9}),
                    "state_hash": "0" * 64,
                    "scores": {"seoul": 40.5, "beijing": 50},
                    "narrative": {"all": "A test shook the region."},
                },
            },
            {
                "number": 2,
                "moves": [],
                "messages": [{"from": "seoul", "to": ["beijing"], "text": "d"}],
                "outcome": {
                    "outcomes": [],
                    "fired_rules": [
                        fired("c5_china_passing_fades"),
                        fired("c5_china_passing_fades", succeeded=False),
                    ],
                    "state": state_after(2, tension=72, ukraine_war="ceasefire"),
                    "state_hash": "1" * 64,
                    "scores": {"seoul": 42, "beijing": 49},
                    "narrative": {"all": ""},
                },
            },
        ],
    }


@pytest.fixture
def content():
    return debrief_content(log_document(), SCENARIO)


def test_points_start_at_turn_0_then_each_turn_by_month(content):
    assert [(p["number"], p["label"]) for p in content["points"]] == [
        (0, "Start"),
        (1, "March 2025"),
        (2, "April 2025"),
    ]
    assert content["title"] == "Table <1>" and content["notes"] == "N"
    assert content["game"]["turns_played"] == 2


def test_timeline_pairs_each_result_with_its_rationale_and_rules(content):
    """The judged move carries its rationale, result, reason and the rule with section and
    claim ids; the move the engine did not judge (Seoul holds) keeps its rationale."""
    turn = content["timeline"][0]
    test = next(m for m in turn["moves"] if m["role"] == "pyongyang")
    assert test["rationale"] == "show strength"
    assert (test["result"], test["reason"]) == ("failed", "It fizzled.")
    assert test["result_text"] == "Failed"
    assert test["action_label"] == "Conduct a nuclear test"
    assert test["rules"] == [
        {"rule": "c7_nuclear_test", "title": NUCLEAR.title, "section": "II.1", "claims": ["C7"]}
    ]
    hold = next(m for m in turn["moves"] if m["role"] == "seoul")
    assert (hold["rationale"], hold["result"]) == ("wait", "")
    assert turn["injects"] == [{"id": "x", "label": "Typhoon", "description": "Ports closed"}]
    assert turn["narrative"] == "A test shook the region."
    assert (turn["fired"], turn["messages"]) == (2, 3)


def test_overrides_carry_their_reason_effects_and_changed_results(content):
    assert content["overrides"] == [
        {
            "turn": 1,
            "label": "March 2025",
            "reason": "Too strong for March",
            "effects": ["tension −5"],
            "results": [{"role": "Pyongyang", "action": "nuclear_test", "result": "failed"}],
        }
    ]
    assert content["timeline"][0]["overrides"][0]["reason"] == "Too strong for March"


def test_every_variable_and_relation_has_a_value_per_point(content):
    tension = next(s for s in content["scalars"] if s["key"] == "tension")
    assert tension["values"] == [65, 80, 72]
    assert len(content["scalars"]) == len(SCENARIO.variables["scalars"])
    tie = next(r for r in content["relations"] if r["key"] == "beijing-pyongyang")
    assert tie["values"] == [15, 9, 15] and tie["label"] == "Beijing–Pyongyang"
    assert len(content["relations"]) == 10
    war = next(r for r in content["enums"] if r["key"] == "ukraine_war")
    assert war["values"] == ["ongoing", "ongoing", "ceasefire"]
    attendance = next(r for r in content["enums"] if r["key"] == "apec_attendance")
    assert attendance["values"] == ["–", "–", "–"]


def test_scores_start_from_the_scenario_then_follow_the_log(content):
    seoul = next(s for s in content["scores"]["series"] if s["key"] == "seoul")
    assert seoul["values"] == [scores(SCENARIO, SCENARIO.initial_state())["seoul"], 40.5, 42]
    washington = next(s for s in content["scores"]["series"] if s["key"] == "washington")
    assert washington["values"][1:] == [None, None]


def test_rules_ranked_by_times_fired_with_dice_and_turns(content):
    first, second = content["rules"]
    assert (first["rule"], first["count"], first["succeeded"], first["turns"]) == (
        "c5_china_passing_fades",
        3,
        2,
        [1, 2],
    )
    assert (second["rule"], second["count"], second["section"], second["claims"]) == (
        "c7_nuclear_test",
        1,
        "II.1",
        ["C7"],
    )


def test_talk_matrix_counts_each_recipient_and_everyone_once(content):
    """Seoul: 3 to Beijing (one message went to two), 1 to Moscow; the facilitator's
    message to everyone counts once under 'all'."""
    talk = content["talk"]
    columns = [c["slug"] for c in talk["columns"]]
    assert columns == [
        "seoul",
        "beijing",
        "pyongyang",
        "washington",
        "moscow",
        "facilitator",
        "all",
    ]
    rows = {r["slug"]: r for r in talk["rows"]}
    assert rows["seoul"]["counts"] == [0, 3, 0, 0, 1, 0, 0] and rows["seoul"]["total"] == 4
    assert rows["facilitator"]["counts"][-1] == 1
    assert talk["total"] == 4


def test_a_fork_starts_from_its_parent_turn():
    log = log_document()
    start = state_after(3, tension=50)
    log["start"] = {"state": start}
    log["game"]["parent"] = {"game": 3, "turn": 3}
    for i, turn in enumerate(log["turns"]):
        turn["number"] = 4 + i
    content = debrief_content(log, SCENARIO)
    assert [p["number"] for p in content["points"]] == [3, 4, 5]
    assert content["points"][0]["label"] == "Start (fork of game 3 after turn 3)"
    assert content["points"][1]["label"] == "June 2025"
    tension = next(s for s in content["scalars"] if s["key"] == "tension")
    assert tension["values"] == [50, 80, 72]


def test_relations_split_into_the_two_koreas_and_the_other_powers(content):
    groups = dict(relation_groups(content["relations"]))
    assert [r["key"] for r in groups["powers"]] == [
        "beijing-moscow",
        "beijing-washington",
        "moscow-washington",
    ]
    assert len(groups["korea"]) == 7


def shout(text: str) -> str:
    """A stand-in gettext: the text in capitals, its %(placeholders)s kept."""
    pieces = re.split(r"(%\(\w+\)s)", text)
    return "".join(p if re.fullmatch(r"%\(\w+\)s", p) else p.upper() for p in pieces)


def test_charts_are_svg_with_the_translated_titles(content):
    """Titles and the screen-reader summaries (<desc>) go through the page's gettext."""
    charts = debrief_charts(content, _=shout)
    assert charts["scalars"]["svg"].startswith("<svg")
    assert "THE STATE OF THE PENINSULA OVER THE TURNS" in charts["scalars"]["svg"]
    assert (
        "Military tension on the peninsula: 65 TO 72 (LOWEST 65, HIGHEST 80)."
        in (charts["scalars"]["svg"])
    )
    assert "Seoul: 3 TO Beijing, 1 TO Moscow. Beijing: NONE." in charts["talk"]["svg"]
    assert [c["key"] for c in charts["relations"]] == ["korea", "powers"]
    assert "<title>Seoul → Beijing: 3</title>" in charts["talk"]["svg"]
    assert "<title>Beijing's fear of exclusion fades: 3</title>" in charts["rules"]["svg"]


def test_a_log_with_no_turns_yet():
    log = log_document()
    log["turns"] = []
    content = debrief_content(log, SCENARIO)
    assert content["timeline"] == [] and content["rules"] == [] and content["talk"]["total"] == 0
    charts = debrief_charts(content)
    assert charts["rules"]["svg"] == "" and charts["scalars"]["svg"].startswith("<svg")


def test_objectives_are_spelled_out_for_the_scores(content):
    moscow = next(r for r in content["scores"]["objectives"] if r["slug"] == "moscow")
    war = next(o for o in moscow["objectives"] if o["var"] == "ukraine_war")
    assert (war["want"], war["points"]) == ("points", "ongoing 30, ceasefire 70, ended 100")
    us = next(o for o in moscow["objectives"] if o["var"] == "relations.moscow-washington")
    assert (us["want"], us["points"], us["weight"]) == ("high", "", 3)
