"""The replay viewer's data: every turn of a game as it really was, and as one seat saw it.

Built from the game's log (`selectors.game_log`, constant queries) and its
re-adjudication (`gamelog.replay`), so the viewer shows exactly what an export holds and
what `replay --verify` checks. A seat's view applies the live visibility rules to the
same turns (`realtime.may_see` for messages and injects, `payloads.public_outcome` for
results), so it is what that seat's page and socket carried at the time: its own moves
with their rationale, everyone's moves once resolved (without their rationale), the
channels it could read, the injects it was shown, and its own narrative.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from wargame import realtime
from wargame.gamelog import LogError, replay
from wargame.payloads import public_outcome
from wargame.scenarios.loader import load_scenario

TRUTH = "truth"


def verification(doc: dict[str, Any]) -> dict[str, Any]:
    """Re-adjudicate the log: every turn's match, or the first turn that differs. The
    document comes from this server's own rows (`game_log`), so the JSON Schema pass is
    skipped (it was made for files people hand us, and costs more than the ten turns)."""
    try:
        report = replay(doc, schema=False)
    except LogError as exc:
        return {"verified": False, "error": str(exc), "first_mismatch": None, "matches": {}}
    return {
        "verified": report["verified"],
        "error": None,
        "first_mismatch": report["first_mismatch"],
        "matches": {t["number"]: t.get("matches") for t in report["turns"]},
    }


def seats(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The views the viewer offers: the truth (white cell), each role, the observer."""
    scenario = load_scenario(doc["scenario"])
    names = {r["role"]: r.get("name") for r in doc.get("roles", [])}
    out = [{"slug": TRUTH, "label": "Everything (white cell)"}]
    for role in scenario.roles:
        player = names.get(role["slug"])
        label = role["name"] + (f" ({player})" if player else "")
        out.append({"slug": role["slug"], "label": label})
    out.append({"slug": realtime.OBSERVER, "label": "Observer"})
    return out


def steps(
    doc: dict[str, Any], seat: str = TRUTH, *, observers_read_channels: bool = False
) -> list[dict[str, Any]]:
    """Step 0 is the start; step N is turn N once resolved, as `seat` saw it."""
    scenario = load_scenario(doc["scenario"])
    start = (doc.get("start") or {}).get("state") or scenario.initial_state()
    names = _names(scenario)
    out = [_start_step(scenario, start)]
    before = start
    for turn in doc["turns"]:
        out.append(_turn_step(scenario, names, turn, before, seat, observers_read_channels))
        before = turn["outcome"]["state"]
    return out


def _start_step(scenario, state: dict) -> dict[str, Any]:
    number = state.get("turn", 0)
    return {
        "number": number,
        "label": "Start" if number == 0 else f"After turn {number} (fork point)",
        "variables": _variables(scenario, state, state),
        "relations": _relations(scenario, state, state),
        "moves": [],
        "fired_rules": [],
        "messages": [],
        "injects": [],
        "overrides": [],
        "narrative": [],
        "scores": [],
    }


def _turn_step(scenario, names, turn, before, seat, grant) -> dict[str, Any]:
    truth = seat == TRUTH or seat == realtime.FACILITATOR
    restricted = {
        i["id"]: i.get("label", i["id"])
        for i in turn.get("injects", [])
        if realtime.EVERYONE not in (i.get("audience") or [realtime.EVERYONE])
    }
    outcome = turn["outcome"] if truth else public_outcome(turn["outcome"], restricted)
    state = outcome["state"]
    audience_role = realtime.FACILITATOR if truth else seat
    labels = scenario.turn_labels
    number = turn["number"]
    return {
        "number": number,
        "label": labels[number - 1] if 1 <= number <= len(labels) else f"Turn {number}",
        "variables": _variables(scenario, state, before),
        "relations": _relations(scenario, state, before),
        "moves": _moves(scenario, names, turn, outcome, seat, truth),
        "fired_rules": outcome["fired_rules"],
        "messages": [
            {
                "from": names.get(m["from"], m["from"]),
                "to": "Everyone"
                if m["to"] == "all"
                else ", ".join(names.get(r, r) for r in m["to"]),
                "text": m["text"],
            }
            for m in turn.get("messages", [])
            if m["from"] == seat
            or realtime.may_see(
                audience_role,
                [realtime.EVERYONE] if m["to"] == "all" else m["to"],
                realtime.MESSAGE_POSTED,
                grant,
            )
        ],
        "injects": [
            {
                "label": i.get("label", i["id"]),
                "description": i.get("description", ""),
                "audience": ", ".join(names.get(a, a) for a in (i.get("audience") or ["all"])),
            }
            for i in turn.get("injects", [])
            if realtime.may_see(audience_role, i.get("audience") or [realtime.EVERYONE])
        ],
        "overrides": turn.get("overrides", []) if truth else [],
        "narrative": [
            (names.get(who, "Everyone" if who == "all" else who), text)
            for who, text in outcome["narrative"].items()
            if truth or who in ("all", seat)
        ],
        "scores": [
            {"role": role, "name": names.get(role, role), "score": score}
            for role, score in outcome["scores"].items()
        ],
    }


def _moves(scenario, names, turn, outcome, seat, truth) -> list[dict[str, Any]]:
    """Each move with its outcome; the rationale only where this seat wrote or may read it."""
    rationales: dict[tuple, deque] = {}
    for move in turn["moves"]:
        key = (move["role"], move["action"], move.get("target"))
        rationales.setdefault(key, deque()).append(move.get("rationale", ""))
    titles = {rule.id: rule for rule in scenario.rules}
    out = []
    for result in outcome["outcomes"]:
        key = (result["role"], result["action"], result.get("target"))
        queue = rationales.get(key)
        rationale = queue.popleft() if queue else ""
        action = scenario.actions.get(f"{result['role']}:{result['action']}")
        out.append(
            {
                "role": names.get(result["role"], result["role"]),
                "action": action.label if action else result["action"],
                "target": names.get(result.get("target"), result.get("target")),
                "rationale": rationale if truth or result["role"] == seat else None,
                "result": result["result"],
                "reason": result["reason"],
                "rules": [
                    {
                        "id": rule_id,
                        "title": titles[rule_id].title if rule_id in titles else rule_id,
                        "section": titles[rule_id].section if rule_id in titles else "",
                        "claims": ", ".join(titles[rule_id].claims) if rule_id in titles else "",
                    }
                    for rule_id in result.get("rules", [])
                ],
            }
        )
    return out


def _variables(scenario, state: dict, before: dict) -> list[dict[str, Any]]:
    rows = []
    for group in ("scalars", "enums"):
        for name, spec in scenario.variables[group].items():
            value, old = state.get(name), before.get(name)
            delta = (
                value - old
                if group == "scalars" and value is not None and old is not None
                else None
            )
            rows.append(
                {
                    "name": name,
                    "label": spec["label"],
                    "value": value,
                    "delta": delta or None,
                    "changed": value != old,
                }
            )
    return rows


def _relations(scenario, state: dict, before: dict) -> list[dict[str, Any]]:
    now, old = state.get("relations", {}), before.get("relations", {})
    return [
        {
            "pair": pair,
            "label": spec["label"].split(":")[0],
            "value": now.get(pair),
            "delta": (now.get(pair, 0) - old.get(pair, 0)) or None,
        }
        for pair, spec in scenario.variables["relations"].items()
    ]


def _names(scenario) -> dict[str, str]:
    names = {r["slug"]: r["name"] for r in scenario.roles}
    names.update({realtime.FACILITATOR: "Facilitator", realtime.OBSERVER: "Observer"})
    return names
