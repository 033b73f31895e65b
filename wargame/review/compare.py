"""Branch comparison: two games side by side, turn by turn, and where they diverged.

A fork's history is its parent's up to the fork turn, then its own; so each game's
timeline is assembled through its ancestry (one query per generation, bounded), and two
branches of one game share their turns up to the earlier fork point. Any two games of
the same scenario can be compared (a teacher comparing tables); branches of one game
also get the turn where they parted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from wargame.engine import Scenario
from wargame.engine.loader import pinned_scenario
from wargame.errors import BadInput
from wargame.models import Game, Turn, TurnResult

from .debrief import result_words

MAX_GENERATIONS = 20


def timeline(game: Game) -> dict[int, dict[str, Any]]:
    """Turn number -> {state, scores, outcomes, game}: the start (turn 0 or the root's
    start) and every resolved turn, inherited ones included."""
    chain: list[tuple[Game, int | None]] = []  # (game, last turn taken from it)
    current, upto = game, None
    while current is not None and len(chain) < MAX_GENERATIONS:
        chain.append((current, upto))
        upto = current.parent_turn
        current = current.parent if current.parent_id else None
    root = chain[-1][0]
    start = root.start_state
    out: dict[int, dict[str, Any]] = {
        start.get("turn", 0): {"state": start, "scores": {}, "outcomes": [], "game": root.pk}
    }
    for ancestor, last in reversed(chain):
        results = TurnResult.objects.filter(
            turn__game=ancestor,
            turn__status=Turn.Status.RESOLVED,  # never a proposal
        ).select_related("turn")
        if last is not None:
            results = results.filter(turn__number__lte=last)
        for result in results.order_by("turn__number"):
            out[result.turn.number] = {
                "state": result.state,
                "scores": result.scores,
                "outcomes": result.outcomes,
                "game": ancestor.pk,
            }
    return out


def _identity(text: str) -> str:
    return text


def compare(
    a: Game,
    b: Game,
    scenario: Scenario | None = None,
    *,
    _: Callable[[str], str] = _identity,
) -> dict[str, Any]:
    """Both timelines aligned by turn, the differences, and the turn where they diverged.

    `scenario` is the games' scenario as the reader reads it (its labels in the page's
    language, `selectors.translations.presented_scenario`); the pinned one by default.
    `_` (gettext, passed in by the page) says each move's result in words."""
    if a.scenario_id != b.scenario_id:
        raise BadInput("These games play different scenarios; only games of one can be compared.")
    scenario = scenario or pinned_scenario(a.scenario)
    names = scenario.role_names()
    words = result_words(_)
    line_a, line_b = timeline(a), timeline(b)
    numbers = sorted(set(line_a) | set(line_b))
    common = [n for n in numbers if n in line_a and n in line_b]
    charted = [(name, spec["label"]) for name, spec in scenario.variables["scalars"].items()]
    charted += [
        (f"relations.{pair}", _pair_label(pair, names)) for pair in scenario.variables["relations"]
    ]
    diverged = next((n for n in common if _state_differs(line_a[n], line_b[n])), None)
    shared = [n for n in common if line_a[n]["game"] == line_b[n]["game"]]
    rows = []
    for n in numbers:
        ta, tb = line_a.get(n), line_b.get(n)
        rows.append(
            {
                "number": n,
                "shared": n in shared,
                "values": [_cell(name, label, ta, tb) for name, label in charted],
                "outcomes_a": _outcome_lines(scenario, names, words, ta),
                "outcomes_b": _outcome_lines(scenario, names, words, tb),
                "scores": [
                    {
                        "role": name,
                        "a": (ta or {}).get("scores", {}).get(slug),
                        "b": (tb or {}).get("scores", {}).get(slug),
                    }
                    for slug, name in names.items()
                ],
            }
        )
    last_common = common[-1] if common else None
    gaps = []
    if last_common is not None:
        final = next(r for r in rows if r["number"] == last_common)
        gaps = sorted((c for c in final["values"] if c["diff"]), key=lambda c: -abs(c["diff"]))
    return {
        "a": a,
        "b": b,
        "rows": rows,
        "diverged": diverged,
        "shared_until": shared[-1] if shared else None,
        "last_common": last_common,
        "gaps": gaps,
        "series": {
            name: {
                "label": label,
                "a": [(n, _value(line_a[n], name)) for n in numbers if n in line_a],
                "b": [(n, _value(line_b[n], name)) for n in numbers if n in line_b],
            }
            for name, label in charted
        },
    }


def _state_differs(x: dict, y: dict) -> bool:
    """States differ in anything but their turn number (two forks' start states match)."""
    return {**x["state"], "turn": None} != {**y["state"], "turn": None}


def _value(entry: dict | None, name: str):
    if entry is None:
        return None
    state = entry["state"]
    if name.startswith("relations."):
        return state.get("relations", {}).get(name.removeprefix("relations."))
    return state.get(name)


def _pair_label(pair: str, names: dict[str, str]) -> str:
    """ "Beijing–Moscow" for relations.beijing-moscow: the capitals' names, never the key."""
    a, _sep, b = pair.partition("-")
    return f"{names.get(a, a)}–{names.get(b, b)}"


def _cell(name: str, label: str, ta: dict | None, tb: dict | None) -> dict[str, Any]:
    va, vb = _value(ta, name), _value(tb, name)
    diff = vb - va if isinstance(va, int | float) and isinstance(vb, int | float) else None
    return {"name": name, "label": label, "a": va, "b": vb, "diff": diff or None}


def _outcome_lines(
    scenario, names: dict[str, str], words: dict[str, str], entry: dict | None
) -> list[str]:
    if entry is None:
        return []
    lines = []
    for o in entry["outcomes"]:
        action = scenario.action(o["role"], o["action"])
        label = action.label if action else o["action"]
        result = words.get(o["result"], o["result"])
        lines.append(f"{names.get(o['role'], o['role'])}: {label} — {result}")
    return lines


def related_games(game: Game) -> list[Game]:
    """Games worth comparing with this one: its parent, its siblings and its children."""
    query = Q(parent_id=game.pk)
    if game.parent_id:
        query |= Q(pk=game.parent_id) | Q(parent_id=game.parent_id)
    return list(Game.objects.filter(query).exclude(pk=game.pk).order_by("pk")[:50])
