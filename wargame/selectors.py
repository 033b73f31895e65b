"""Reads: what a seat may see of a game, its events, and the game's log.

Secrecy lives here and in realtime.may_see: before a turn resolves, a role sees its own
moves only; the seed is never in anything a seat receives (the log is the facilitator's
until the game finishes). Query counts are bounded whatever the game's length.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from players.models import FACILITATOR, OBSERVER, Seat
from wargame import realtime
from wargame.gamelog import LOG_FORMAT, LOG_VERSION
from wargame.models import (
    Game,
    GameEvent,
    Inject,
    Message,
    Move,
    Override,
    Presence,
    RoleLock,
    Turn,
    TurnResult,
)
from wargame.payloads import message_dict, move_dict, resolved_payload, restricted_injects
from wargame.scenarios.loader import load_scenario

EVENT_PAGE = 500


def game_for_seat(game_id: int, seat: Seat) -> Game | None:
    """The game, if this seat sits in it (anything else is 'not found')."""
    if seat.game_id != game_id:
        return None
    return Game.objects.select_related("scenario").filter(pk=game_id).first()


def game_view(game: Game, seat: Seat) -> dict[str, Any]:
    """GET /api/games/{id}: the game as this seat may see it."""
    scenario = load_scenario(game.scenario.slug)
    turn = Turn.objects.filter(game=game, number=game.current_turn + 1).first()
    locked: list[str] = []
    own: list[dict] = []
    if turn is not None:
        locked = sorted(RoleLock.objects.filter(turn=turn).values_list("role", flat=True))
        # One query; only this seat's own moves (all, for the facilitator) leave here.
        moves = list(Move.objects.filter(turn=turn).select_related("turn"))
        own = [move_dict(m) for m in moves if seat.role in (FACILITATOR, m.role)]
    moved = sorted({m.role for m in moves}) if turn is not None else []
    last = TurnResult.objects.filter(turn__game=game).order_by("-turn__number").first()
    view: dict[str, Any] = {
        "id": game.pk,
        "title": game.title,
        "scenario": {"slug": scenario.slug, "version": scenario.version, "title": scenario.title},
        "status": game.status,
        "seat": seat.role,
        "turn": {
            "number": turn.number if turn else game.current_turn,
            "phase": turn.status if turn else ("finished" if game.status == "finished" else "none"),
            "label": scenario.turn_label(turn.number if turn else game.current_turn),
            "deadline": turn.deadline.isoformat() if turn and turn.deadline else None,
            "paused_remaining": game.paused_remaining,
        },
        "resolved_turns": game.current_turn,
        "max_turns": game.max_turns,
        "action_budget": game.action_budget,
        "state": game.state,
        "state_hash": game.state_hash,
        "scores": last.scores if last else _scores(scenario, game.state),
        "locked": locked,
        "moved": moved,
        "last_seq": game.last_seq,
        "read_only": game.read_only,
        "parent": {"game": game.parent_id, "turn": game.parent_turn} if game.parent_id else None,
    }
    if seat.role == FACILITATOR:
        view["moves"] = own
    elif seat.role != OBSERVER:
        view["my_moves"] = own
        view["role"] = _role_brief(scenario, seat.role)
    return view


def _scores(scenario, state) -> dict[str, float]:
    from wargame.rules import scores

    return scores(scenario, state)


def _role_brief(scenario, role: str) -> dict[str, Any]:
    spec = scenario.role(role)
    return {
        "slug": role,
        "name": spec["name"],
        "briefing": spec["briefing"],
        "objectives": spec["objectives"],
        "actions": [a.to_dict() for a in scenario.actions_for(role)],
    }


def events_for_seat(
    game: Game, seat: Seat, *, after: int, limit: int = EVENT_PAGE
) -> tuple[list[dict], int]:
    """Events after seq `after` that this seat may see, oldest first, and the seq to ask
    `after` next time (one query; a page scans at most 4 x limit rows of the log)."""
    rows = GameEvent.objects.filter(game=game, seq__gt=after).order_by("seq")
    out, scanned = [], after
    for event in rows[: limit * 4]:
        scanned = event.seq
        if realtime.may_see(seat.role, event.audience, event.type, game.observers_read_channels):
            out.append(event.as_message())
            if len(out) >= limit:
                break
    return out, scanned


def events_between(game_id: int, after: int, upto: int | None = None) -> list[tuple[dict, list]]:
    """Every event in (after, upto], with audiences: a consumer fills a gap from this."""
    rows = GameEvent.objects.filter(game_id=game_id, seq__gt=after)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return [(e.as_message(), list(e.audience)) for e in rows.order_by("seq")]


def game_last_seq(game_id: int) -> int:
    return Game.objects.filter(pk=game_id).values_list("last_seq", flat=True).first() or 0


def game_log(game: Game) -> dict[str, Any]:
    """The log as export_game writes it: every resolved turn with moves and outcomes.

    A constant number of queries whatever the game's length.
    """
    scenario = load_scenario(game.scenario.slug)
    turns = (
        Turn.objects.filter(game=game, status=Turn.Status.RESOLVED)
        .order_by("number")
        .select_related("result")
        .prefetch_related(
            Prefetch("moves", queryset=Move.objects.order_by("id")),
            Prefetch("injects", queryset=Inject.objects.order_by("id")),
            Prefetch("overrides", queryset=Override.objects.order_by("id")),
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
            "name": ", ".join(p.name for p in s.participants.all()) or None,
        }
        for s in seats
        if s.role in scenario.role_slugs
    ]
    document: dict[str, Any] = {
        "format": LOG_FORMAT,
        "version": LOG_VERSION,
        "scenario": scenario.slug,
        "scenario_version": scenario.version,
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
        "outcome": {
            "outcomes": result.outcomes,
            "fired_rules": result.fired_rules,
            "state": result.state,
            "state_hash": result.state_hash,
            "scores": result.scores,
            "narrative": result.narrative,
        },
    }


def messages_for_seat(game: Game, seat: Seat) -> list[dict]:
    """Messages this seat may read, oldest first (one query; filtered here because
    SQLite cannot query inside a JSON list)."""
    out = []
    for message in Message.objects.filter(game=game).order_by("id"):
        recipients = message.recipients
        grant = game.observers_read_channels
        if realtime.may_see(seat.role, recipients, realtime.MESSAGE_POSTED, grant) or (
            message.sender == seat.role
        ):
            out.append(message_dict(message))
    return out


def history(game: Game) -> list[dict]:
    """Every published turn's result, as the turn.resolved events carried it (two queries)."""
    turns = (
        Turn.objects.filter(game=game, status=Turn.Status.RESOLVED)
        .order_by("number")
        .select_related("result")
        .prefetch_related("injects")
    )
    out = []
    for turn in turns:
        out.append(resolved_payload(turn.number, turn.result, restricted_injects(turn)))
    return out


def presence(game: Game) -> list[dict]:
    return [
        {"role": p.role, "name": p.name}
        for p in Presence.objects.filter(game=game).order_by("connected_at")
    ]


def proposal(game: Game) -> dict | None:
    """The outcome waiting for the umpire, if any (facilitator only)."""
    turn = (
        Turn.objects.filter(game=game, status=Turn.Status.REVIEW).select_related("result").first()
    )
    return resolved_payload(turn.number, turn.result) if turn else None


def page_data(game: Game, seat: Seat, participant_name: str) -> dict[str, Any]:
    """Everything a page needs to draw itself before the socket takes over (bounded
    queries: the view, messages, history, and for the facilitator seats and presence)."""
    scenario = load_scenario(game.scenario.slug)
    variables = scenario.variables
    labels = {f"relations.{k}": v.get("label", k) for k, v in variables["relations"].items()}
    for group in ("scalars", "enums", "lists"):
        labels.update({k: v.get("label", k) for k, v in variables.get(group, {}).items()})
    data: dict[str, Any] = {
        "game": game_view(game, seat),
        "seat": {"role": seat.role, "name": participant_name},
        "roles": [{"slug": r["slug"], "name": r["name"]} for r in scenario.roles],
        "labels": labels,
        "scalars": list(variables.get("scalars", {})),
        "turn_labels": list(scenario.turn_labels),
        "start_state": game.start_state,
        "history": history(game),
        "messages": messages_for_seat(game, seat),
        "ws_path": f"/ws/games/{game.pk}/",
        "api": f"/api/games/{game.pk}",
        "objectives": {r["slug"]: r["objectives"] for r in scenario.roles},
    }
    if seat.role == FACILITATOR:
        seats = Seat.objects.filter(game=game).prefetch_related("participants").order_by("pk")
        data["seats"] = [
            {
                "role": s.role,
                "kind": s.kind,
                "code": s.code,
                "names": [p.name for p in s.participants.all()],
            }
            for s in seats
        ]
        data["presence"] = presence(game)
        data["proposal"] = proposal(game)
        data["injects"] = [
            {"id": i.id, "label": i.label, "description": i.description}
            for i in scenario.injects.values()
        ]
        data["umpire_review"] = game.umpire_review
        data["observers_read_channels"] = game.observers_read_channels
        data["variables"] = sorted(scenario.known_vars())
    return data
