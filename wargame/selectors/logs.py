"""A game's log, as `export_game` writes it, from its rows (constant queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from players.models import Seat
from wargame.engine.loader import pinned_scenario
from wargame.gamelog import LOG_FORMAT, log_version_for
from wargame.models import Game, Inject, Message, Move, Override, Turn
from wargame.policy import limits
from wargame.realtime.payloads import message_dict


def game_log(game: Game) -> dict[str, Any]:
    """The log as export_game writes it: every resolved turn with moves and outcomes.

    A constant number of queries whatever the game's length.
    """
    scenario = pinned_scenario(game.scenario)
    turns = (
        Turn.objects.filter(game=game, status=Turn.Status.RESOLVED)
        .order_by("number")
        .select_related("result")
        .prefetch_related(
            Prefetch("moves", queryset=Move.objects.order_by("id")),
            Prefetch("injects", queryset=Inject.objects.order_by("id")),
            Prefetch("overrides", queryset=Override.objects.order_by("id")),
            "bot_turns",
        )
    )
    messages: dict[int, list[dict]] = {}
    for message in Message.objects.filter(game=game).order_by("id"):
        entry = message_dict(message)
        entry.pop("id")
        entry.pop("turn")
        messages.setdefault(message.turn_number, []).append(entry)
    seats = Seat.objects.filter(game=game).prefetch_related("participants")
    roles = [
        {
            "role": s.role,
            "seat": "bot"
            if s.kind == Seat.Kind.BOT
            else ("person" if s.participants.all() else "empty"),
            "name": ", ".join(p.name for p in s.participants.all())[: limits.SEAT_NAMES_CHARS]
            or None,
        }
        for s in seats
        if s.role in scenario.role_slugs
    ]
    document: dict[str, Any] = {
        "format": LOG_FORMAT,
        "version": log_version_for(game.seed),
        "scenario": scenario.slug,
        "scenario_version": scenario.version,
        "scenario_hash": game.scenario.content_hash,
        "ruleset": game.ruleset,
        "seed": game.seed,
        "game": {
            "id": game.pk,
            "title": game.title,
            "turns": game.max_turns,
            "action_budget": game.action_budget,
            "status": game.status,
            "parent": {"game": game.parent_id, "turn": game.parent_turn}
            if game.parent_id
            else None,
            "notes": game.notes,
        },
        "roles": roles,
    }
    if game.start_state.get("turn", 0) > 0:
        document["start"] = {"state": game.start_state}
    document["turns"] = [_log_turn(t, messages.get(t.number, [])) for t in turns]
    return document


def _log_turn(turn: Turn, messages: list[dict]) -> dict[str, Any]:
    result = turn.result
    return {
        "number": turn.number,
        "moves": [
            {
                "role": m.role,
                "action": m.action,
                "target": m.target or None,
                "rationale": m.rationale,
            }
            for m in turn.moves.all()
        ],
        "injects": [i.as_log_dict() for i in turn.injects.all()],
        "messages": messages,
        "overrides": [o.as_log_dict() for o in turn.overrides.all()],
        **_bots(turn),
        "outcome": {
            "outcomes": result.outcomes,
            "fired_rules": result.fired_rules,
            "state": result.state,
            "state_hash": result.state_hash,
            "scores": result.scores,
            "narrative": result.narrative,
        },
    }


def _bots(turn: Turn) -> dict[str, Any]:
    """The roles a bot played this turn (a bot seat, or standing in for an absent student),
    as the optional "bots" list; absent when people played every seat (docs/log-format.md)."""
    roles = sorted(b.role for b in turn.bot_turns.all())
    return {"bots": roles} if roles else {}
