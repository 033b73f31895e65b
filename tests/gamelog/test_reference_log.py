"""The reference log shipped with the scenario, "2025 as it happened" (turn 1 = March
2025): it verifies under `replay --verify`, and it tells the year the issue lists."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from wargame.engine.loader import SCENARIO_DIR
from wargame.gamelog import replay

PATH = SCENARIO_DIR / "lips-and-teeth-2025" / "reference" / "2025-as-it-happened.json"
LOG = json.loads(PATH.read_text(encoding="utf-8"))


def moves(turn: int) -> dict[tuple[str, str], str]:
    return {(m["role"], m["action"]): m["rationale"] for m in LOG["turns"][turn - 1]["moves"]}


def events(turn: int) -> list[str]:
    fired = LOG["turns"][turn - 1]["outcome"]["fired_rules"]
    return [r.get("event") for r in fired if r.get("event")]


def test_the_reference_log_verifies_from_the_cli():
    out, err = StringIO(), StringIO()
    call_command("replay", str(PATH), "--verify", stdout=out, stderr=err)
    assert "verify: all 10 turns match" in err.getvalue()
    assert replay(LOG)["verified"] is True


def test_it_tells_2025_as_the_issue_lists_it():
    assert ("washington", "raise_tariffs_china") in moves(1)  # spring escalation
    assert ("washington", "raise_tariffs_china") in moves(2)
    assert "us_china_trade_deal" in events(3)  # the May truce
    assert "Kursk" in moves(2)[("moscow", "military_coop_pyongyang")]  # end of April
    assert "Kursk" in moves(2)[("pyongyang", "deepen_military_coop_russia")]
    assert ("pyongyang", "missile_test") in moves(3)  # May launches
    assert "22 October" in moves(8)[("pyongyang", "missile_test")]
    assert "28 October" in moves(8)[("pyongyang", "missile_test")]
    assert "3 June" in moves(4)[("seoul", "stabilise_leadership")]
    assert LOG["turns"][3]["outcome"]["state"]["rok_leadership"] == "stable"
    talks = {1: "March", 3: "Istanbul", 6: "Alaska", 9: "November"}
    for turn, word in talks.items():
        assert word in moves(turn)[("washington", "negotiate_ukraine_peace")], turn
    assert all(t["outcome"]["state"]["ukraine_war"] == "ongoing" for t in LOG["turns"])
    assert "3 September" in moves(7)[("pyongyang", "seek_summit_beijing")]
    assert "4 September" in moves(7)[("beijing", "host_summit_pyongyang")]
    assert "prc_dprk_summit" in events(7)
    assert "Busan" in moves(8)[("washington", "trade_talks_beijing")]
    assert "us_china_trade_deal" in events(8)
    assert "1 November" in moves(8)[("beijing", "attend_apec_gyeongju")]
    assert "xi_in_gyeongju" in events(8)
    every_action = {a for t in range(1, 11) for _r, a in moves(t)}
    assert not every_action & {"propose_summit_pyongyang", "accept_talks_washington"}
    assert all(t["outcome"]["state"]["us_dprk_dialogue"] == "none" for t in LOG["turns"])
