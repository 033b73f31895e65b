"""The replay viewer's data: every turn of a game as it really was, and as one seat saw it.

Built from the game's log (`selectors.game_log`, constant queries) and its
re-adjudication (`gamelog.replay`), so the viewer shows exactly what an export holds and
what `replay --verify` checks. A seat's view applies the live visibility rules to the
same turns (`policy.may_see` for messages and injects, `policy.public_outcome` for
results), so it is what that seat's page and socket carried at the time: its own moves
with their rationale, everyone's moves once resolved (without their rationale), the
channels it could read, the injects it was shown, and its own narrative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame import policy
from wargame.gamelog import LogError, log_scenario, moves_with_outcomes, replay
from wargame.review.debrief import result_words

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


def _identity(text: str) -> str:
    return text


def seats(
    doc: dict[str, Any], *, scenario=None, _: Callable[[str], str] = _identity
) -> list[dict[str, str]]:
    """The views the viewer offers: the truth (white cell), each role, the observer.
    `scenario` is the log's in the reader's language (the log's own by default); `_`
    translates the viewer's words (gettext, passed in by the page)."""
    scenario = scenario or log_scenario(doc)
    names = {r["role"]: r.get("name") for r in doc.get("roles", [])}
    out = [{"slug": TRUTH, "label": _("Everything (white cell)")}]
    for role in scenario.roles:
        player = names.get(role["slug"])
        label = role["name"] + (f" ({player})" if player else "")
        out.append({"slug": role["slug"], "label": label})
    out.append({"slug": policy.OBSERVER, "label": _("Observer")})
    return out


def steps(
    doc: dict[str, Any],
    seat: str = TRUTH,
    *,
    observers_read_channels: bool = False,
    scenario=None,
    values: dict[str, str] | None = None,
    _: Callable[[str], str] = _identity,
) -> list[dict[str, Any]]:
    """Step 0 is the start; step N is turn N once resolved, as `seat` saw it. The state,
    relations and scores are public, so only the truth's steps carry them. `values`
    ({"variable.value": label}, the reader's words for an enumeration's values) names
    each value in the state; the value itself where it has none."""
    scenario = scenario or log_scenario(doc)
    truth = seat in (TRUTH, policy.FACILITATOR)
    start = (doc.get("start") or {}).get("state") or scenario.initial_state()
    names = _names(scenario, _)
    rules = {rule.id: rule for rule in scenario.rules}
    number = start.get("turn", 0)
    out = [
        {
            "number": number,
            "label": _("Start")
            if number == 0
            else _("After turn %(n)s (fork point)") % {"n": number},
            "moves": [],
            "messages": [],
            "injects": [],
            "overrides": [],
            "narrative": [],
            **(_state_tables(scenario, names, start, start, {}, values) if truth else {}),
        }
    ]
    before = start
    for turn in doc["turns"]:
        step = _turn_step(scenario, names, rules, turn, seat, truth, observers_read_channels, _)
        if truth:
            outcome = turn["outcome"]
            state, scores = outcome["state"], outcome["scores"]
            step.update(_state_tables(scenario, names, state, before, scores, values))
        out.append(step)
        before = turn["outcome"]["state"]
    return out


def _turn_step(scenario, names, rules, turn, seat, truth, grant, _=_identity) -> dict[str, Any]:
    restricted = {
        i["id"]: i.get("label", i["id"])
        for i in turn.get("injects", [])
        if policy.EVERYONE not in (i.get("audience") or [policy.EVERYONE])
    }
    outcome = turn["outcome"] if truth else policy.public_outcome(turn["outcome"], restricted)
    audience_role = policy.FACILITATOR if truth else seat
    return {
        "number": turn["number"],
        "label": scenario.turn_label(turn["number"]),
        "moves": _moves(scenario, names, rules, turn, outcome, seat, truth, result_words(_)),
        "messages": [
            {
                "from": names.get(m["from"], m["from"]),
                "to": _("Everyone")
                if m["to"] == "all"
                else ", ".join(names.get(r, r) for r in m["to"]),
                "text": m["text"],
            }
            for m in turn.get("messages", [])
            if m["from"] == seat
            or policy.may_see(
                audience_role,
                [policy.EVERYONE] if m["to"] == "all" else m["to"],
                policy.MESSAGE_POSTED,
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
            if policy.may_see(audience_role, i.get("audience") or [policy.EVERYONE])
        ],
        "overrides": turn.get("overrides", []) if truth else [],
        "narrative": [
            (names.get(who, _("Everyone") if who == "all" else who), text)
            for who, text in outcome["narrative"].items()
            if truth or who in ("all", seat)
        ],
    }


def _moves(scenario, names, rules, turn, outcome, seat, truth, words) -> list[dict[str, Any]]:
    """Each judged move with its outcome; the rationale only where this seat wrote or may
    read it."""
    out = []
    for move in moves_with_outcomes(turn["moves"], outcome["outcomes"]):
        if "result" not in move:
            continue  # never judged by the engine: not part of what happened
        action = scenario.action(move["role"], move["action"])
        out.append(
            {
                "role": names.get(move["role"], move["role"]),
                "action": action.label if action else move["action"],
                "target": names.get(move.get("target"), move.get("target")),
                "rationale": move["rationale"] if truth or move["role"] == seat else None,
                "result": move["result"],
                "result_label": words.get(move["result"], move["result"]),
                "reason": move["reason"],
                "rules": [
                    {
                        "id": rule_id,
                        "title": rules[rule_id].title if rule_id in rules else rule_id,
                        "section": rules[rule_id].section if rule_id in rules else "",
                        "claims": ", ".join(rules[rule_id].claims) if rule_id in rules else "",
                    }
                    for rule_id in move.get("rules", [])
                ],
            }
        )
    return out


def _state_tables(
    scenario, names, state: dict, before: dict, scores: dict, values: dict[str, str] | None
) -> dict[str, Any]:
    """The state after a step, each value with its change from the step before; an
    enumeration's value in words (`shown`) where `values` names it."""
    values = values or {}
    variables = []
    for group in ("scalars", "enums"):
        for name, spec in scenario.variables[group].items():
            value, old = state.get(name), before.get(name)
            numeric = group == "scalars" and value is not None and old is not None
            variables.append(
                {
                    "name": name,
                    "label": spec["label"],
                    "value": value,
                    "shown": values.get(f"{name}.{value}", value) if group == "enums" else value,
                    "delta": (value - old if numeric else None) or None,
                    "changed": value != old,
                }
            )
    now, old = state.get("relations", {}), before.get("relations", {})
    relations = [
        {
            "pair": pair,
            "label": spec["label"].split(":")[0],
            "value": now.get(pair),
            "delta": (now.get(pair, 0) - old.get(pair, 0)) or None,
        }
        for pair, spec in scenario.variables["relations"].items()
    ]
    return {
        "variables": variables,
        "relations": relations,
        "scores": [
            {"role": role, "name": names.get(role, role), "score": score}
            for role, score in scores.items()
        ],
    }


def _names(scenario, _: Callable[[str], str] = _identity) -> dict[str, str]:
    return {
        **scenario.role_names(),
        policy.FACILITATOR: _("Facilitator"),
        policy.OBSERVER: _("Observer"),
    }
