"""Reads for a first-time player: the turn reports, the news feed, a move's odds in words,
and the game-over standings, each as the viewer may see it.

The turn reports are built from the published turns (`games.history`, already through
`policy.public_outcome`), so they say no more than the results a seat is shown; the news
is the seat's own events (those its count rises at, `policy.seat_seq`);
the odds read the scenario's rules and the public state, never another role's moves.
Query counts: a report, two (the published turns); the news, one more.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wargame import policy
from wargame.engine import scores as score_state
from wargame.engine.explain import explain_move
from wargame.models import Game, GameEvent
from wargame.review import turn_report as reports
from wargame.review.debrief import result_words

from .events import Viewer
from .reasons import localised
from .scenario_words import _Names, condition_words
from .translations import present_event, presented_scenario, value_labels

NEWS_TYPES = (
    "game.started",
    "turn.opened",
    "inject.applied",
    "turn.resolved",
    "game.paused",
    "game.resumed",
    "game.finished",
)


def _report_role(viewer: Viewer) -> str | None:
    return viewer.role if policy.plays(viewer.role or "") else None


def turn_reports(game: Game, viewer: Viewer, turns: list[dict]) -> list[dict[str, Any]]:
    """Every published turn's report for this viewer, oldest first; `turns` is the game's
    published history (`selectors.history`)."""
    scenario = presented_scenario(game.scenario)
    role = _report_role(viewer)
    out = []
    before = game.start_state
    for turn in turns:
        out.append(reports.turn_report(scenario, turn, before, role, _=_))
        before = turn["state"]
    return out


def turn_report(
    game: Game, viewer: Viewer, number: int, turns: list[dict]
) -> dict[str, Any] | None:
    """One published turn's report (GET /api/games/{id}/turns/{n}/report), or None: only
    that turn's is built (the one before it gives the state it started from)."""
    for index, turn in enumerate(turns):
        if turn["number"] == number:
            before = turns[index - 1]["state"] if index else game.start_state
            scenario = presented_scenario(game.scenario)
            return reports.turn_report(scenario, turn, before, _report_role(viewer), _=_)
    return None


def news(game: Game, viewer: Viewer, turns: list[dict]) -> list[dict[str, Any]]:
    """The seat's news feed, newest first: the game's start and end, turn openings, pauses,
    injects it was shown, and each published turn's headline events (from the log, so a
    player who joins late reads what happened before)."""
    scenario = presented_scenario(game.scenario)
    headlines = {t["number"]: reports.headline(t, _=_) for t in turns}
    role = viewer.role or ""
    # Which events this seat saw: its own count rises exactly at those (policy.seat_seq),
    # so the counts are read over the whole log (light columns), then the news rows.
    seen, mine = [], 0
    for seq, kind, seqs in (
        GameEvent.objects.filter(game=game).order_by("seq").values_list("seq", "type", "seqs")
    ):
        number = policy.seat_seq(seqs, role, seq)
        if number > mine:
            mine = number
            if kind in NEWS_TYPES:
                seen.append(seq)
    rows = (
        GameEvent.objects.filter(game=game, seq__in=seen)
        .order_by("seq")
        .only("type", "turn", "data", "created_at", "seq")
    )
    out = []
    for event in rows:
        data = present_event(event.data, game.scenario)  # its labels in the reader's language
        item = news_item(scenario, event.type, event.turn, data, headlines)
        if item:
            out.append({**item, "at": event.created_at.isoformat()})
    return list(reversed(out))


def news_item(scenario, kind: str, turn: int, data: dict, headlines: dict) -> dict | None:
    """One event as a line of news ({"kind", "text", "detail"}), or None."""
    if kind == "game.started":
        return {"kind": "game", "text": _("The game has started"), "detail": ""}
    if kind == "turn.opened":
        label = data.get("label") or localised(scenario.turn_label(data.get("number", turn)))
        return {
            "kind": "turn",
            "text": _("Turn %(n)s opened: %(label)s")
            % {"n": data.get("number", turn), "label": label},
            "detail": "",
        }
    if kind == "inject.applied":
        return {
            "kind": "inject",
            "text": _("Event: %(label)s") % {"label": data.get("label", "")},
            "detail": data.get("description") or "",
        }
    if kind == "turn.resolved":
        number = data.get("number", turn)
        if number not in headlines:
            return None  # not published (cannot happen: the event is the publication)
        events = "; ".join(h["title"] for h in headlines[number])
        return {
            "kind": "results",
            "text": _("Results of %(label)s are in")
            % {"label": localised(scenario.turn_label(number))},
            "detail": events,
        }
    if kind == "game.paused":
        return {"kind": "pause", "text": _("The facilitator paused the game"), "detail": ""}
    if kind == "game.resumed":
        return {"kind": "pause", "text": _("The game resumed"), "detail": ""}
    if kind == "game.finished":
        return {"kind": "game", "text": _("The game is over"), "detail": ""}
    return None


def move_odds(game: Game, role: str) -> dict[str, dict[str, Any]]:
    """For each action of `role` (and each target), its odds in the present state, in
    words: what it needs from other capitals, its chance now and what changes it, or why
    it can do nothing now. Keyed "code" or "code>target"."""
    scenario = presented_scenario(game.scenario)
    names = _Names(scenario.raw, values=value_labels(game.scenario))
    words = result_words(_)
    state = game.state
    out: dict[str, dict[str, Any]] = {}
    for action in scenario.actions_for(role):
        for target in action.targets or (None,):
            odds = explain_move(scenario, state, role, action.code, target)
            key = action.code if target is None else f"{action.code}>{target}"
            out[key] = _odds_words(odds, names, words, state)
    return out


def _odds_words(odds, names: _Names, words: dict[str, str], state) -> dict[str, Any]:
    rules = []
    for rule in odds.rules:
        if rule.possible is False:
            continue
        needs = [
            names.move(key) + (f" → {names.roles.get(t, t)}" if t else "") for key, t in rule.needs
        ]
        mods = []
        for mod in rule.modifiers:
            sign = f"{'+' if mod.add >= 0 else '−'}{abs(mod.add)}"
            state_words = {
                True: _("applies now"),
                False: _("does not apply now"),
                None: _("depends on this month's other moves"),
            }[mod.applies]
            mods.append(
                {
                    "text": f"{sign}: {condition_words(mod.when, names)}",
                    "status": state_words,
                    "applies": mod.applies,
                }
            )
        rules.append(
            {
                "title": rule.title,
                "result": words.get(rule.result, rule.result),
                "needs": needs,
                "chance": rule.chance,
                "chance_text": (
                    _("Chance now: %(chance)s%%") % {"chance": rule.chance}
                    if rule.chance is not None
                    else _("No dice: certain once its conditions hold")
                ),
                "mods": mods,
            }
        )
    why_not = [
        _("%(var)s is %(now)s; this move needs %(cond)s")
        % {
            "var": names.var(cond["var"]),
            "now": str(now).replace("_", " "),
            "cond": condition_words(cond, names),
        }
        for cond, now in odds.blocked_by
        if not cond["var"].startswith("memory.")
    ]
    if not odds.can_do_something and not why_not:
        why_not = [_("No rule of the scenario answers this move in the present situation.")]
    if not odds.rules:
        why_not = [_("No rule of the scenario answers this move in the present situation.")]
    return {"possible": odds.can_do_something, "rules": rules, "why_not": why_not}


def game_over(game: Game, turns: list[dict]) -> dict[str, Any] | None:
    """The game-over view of a finished game: standings with each objective's share, and
    the turning points; None while the game runs."""
    if game.status != Game.Status.FINISHED:
        return None
    scenario = presented_scenario(game.scenario)
    final = turns[-1]["scores"] if turns else score_state(scenario, game.state)
    return {
        "standings": reports.final_standings(scenario, game.state, final),
        "turning_points": reports.turning_points(scenario, game.start_state, turns),
        "turns_played": len(turns),
    }
