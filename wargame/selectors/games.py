"""Reads: what a viewer may see of a game: its view, page data, messages, history.

A viewer is anything with a `role` (a `players.models.Seat`, or a `policy.Actor`, whose
role is the seat's or, for staff without one, the facilitator's); the shells have asked
`policy.may_open` first. What each role sees is policy's (`may_see_move`, `may_see`,
`may_read_message`, `may_see_proposal`, `may_see_table`): before a turn resolves, a role
sees its own moves only; the seed is never in anything a seat receives. Query counts are
bounded whatever the game's length.
"""

from __future__ import annotations

from typing import Any

from players.models import FACILITATOR, Seat
from wargame import policy
from wargame.models import (
    Game,
    Message,
    Move,
    Presence,
    RoleLock,
    Turn,
    TurnResult,
)
from wargame.realtime.payloads import message_dict, move_dict, resolved_payload, restricted_injects
from wargame.review.turn_report import action_labels, variable_labels

from . import reports
from .events import Viewer, seat_last_seq
from .reasons import localised
from .translations import (
    present_move,
    present_turn,
    presented_scenario,
    row_title,
    value_labels,
)


def game_by_id(game_id: int) -> Game | None:
    return Game.objects.with_scenario().filter(pk=game_id).first()


def game_title(game: Game) -> str:
    """A game's name: its title, else its scenario's title in the active language ("순망치한
    2025" for a Korean reader of an untitled game of "Lips and Teeth, 2025")."""
    return game.title or row_title(game.scenario)


def observers_read_channels(game_id: int) -> bool | None:
    """Whether the game's observers may read its private channels, or None if there is no
    such game: all a socket's opening needs of the game (not its state or scenario)."""
    return Game.objects.filter(pk=game_id).values_list("observers_read_channels", flat=True).first()


def game_for_seat(game_id: int, seat: Seat) -> Game | None:
    """The game, if this seat sits in it (anything else is 'not found')."""
    if seat.game_id != game_id:
        return None
    return game_by_id(game_id)


def game_view(game: Game, seat: Viewer) -> dict[str, Any]:
    """GET /api/games/{id}: the game as this seat may see it."""
    scenario = presented_scenario(game.scenario)
    # A finished game shows its last turn played, not the one left open when it ended.
    turn = (
        None
        if game.status == Game.Status.FINISHED
        else Turn.objects.filter(game=game, number=game.current_turn + 1).first()
    )
    locked: list[str] = []
    own: list[dict] = []
    if turn is not None:
        locked = sorted(RoleLock.objects.filter(turn=turn).values_list("role", flat=True))
        # One query; only this seat's own moves (all, for the facilitator) leave here.
        moves = list(Move.objects.filter(turn=turn).select_related("turn"))
        own = [present_move(move_dict(m)) for m in moves if policy.may_see_move(seat.role, m.role)]
    moved = sorted({m.role for m in moves}) if turn is not None else []
    # Published results only: a turn in umpire review has a TurnResult too, the proposal,
    # which no seat may see (`policy.may_see_proposal`; the facilitator reads `proposal`).
    last = (
        TurnResult.objects.filter(turn__game=game, turn__status=Turn.Status.RESOLVED)
        .order_by("-turn__number")
        .first()
    )
    view: dict[str, Any] = {
        "id": game.pk,
        "title": game.title,
        "scenario": {"slug": scenario.slug, "version": scenario.version, "title": scenario.title},
        "status": game.status,
        "seat": seat.role,
        "turn": {
            "number": turn.number if turn else game.current_turn,
            "phase": turn.status if turn else ("finished" if game.status == "finished" else "none"),
            "label": localised(scenario.turn_label(turn.number if turn else game.current_turn)),
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
        "last_seq": seat_last_seq(game, seat),  # the seat's own numbering
        "read_only": game.read_only,
        "parent": {"game": game.parent_id, "turn": game.parent_turn} if game.parent_id else None,
    }
    if game.status == Game.Status.FINISHED:
        # The game-over view: standings, each objective's share, the turning points.
        view["game_over"] = reports.game_over(game, history(game))
    if seat.role == FACILITATOR:
        view["moves"] = own
        # Why the open turn failed: the facilitator's alone (others see the phase only).
        failed = turn is not None and turn.status == Turn.Status.FAILED
        view["failure"] = (
            {"number": turn.number, "error": turn.error, "attempts": turn.attempts}
            if failed
            else None
        )
    elif policy.plays(seat.role):
        view["my_moves"] = own
        view["role"] = _role_brief(scenario, seat.role)
    return view


def _shown_action_labels(scenario, role: str | None, turns: list[dict]) -> dict[str, str]:
    """Labels of the actions this page may name: the seat's own, those in published
    results, every one for the facilitator. Not all of them: a code of the open turn's
    move must not appear in a page that could not otherwise know of it."""
    labels = action_labels(scenario)
    if policy.may_see_table(role or ""):
        return labels
    shown = {f"{o['role']}:{o['action']}" for t in turns for o in t["outcomes"]}
    shown |= (
        {f"{role}:{a.code}" for a in scenario.actions_for(role)}
        if policy.plays(role or "")
        else set()
    )
    return {key: label for key, label in labels.items() if key in shown}


def inject_effect_words(scenario, inject_id: str, values: dict | None = None) -> list[str]:
    """A scenario inject's effects in words, shown on the console before it is fired;
    `values` labels enum values in the reader's language (`value_labels`)."""
    from .scenario_words import _Names, effect_words

    names = _Names(scenario.raw, values=values)
    spec = next(i for i in scenario.raw.get("injects", []) if i["id"] == inject_id)
    return [effect_words(e, names) for e in spec["effects"]]


def _scores(scenario, state) -> dict[str, float]:
    from wargame.engine import scores

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


def messages_for_seat(game: Game, seat: Viewer) -> list[dict]:
    """Messages this seat may read, oldest first (one query; filtered here because
    SQLite cannot query inside a JSON list)."""
    grant = game.observers_read_channels
    return [
        message_dict(message)
        for message in Message.objects.filter(game=game).order_by("id")
        if policy.may_read_message(seat.role, message.sender, message.recipients, grant)
    ]


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
        payload = resolved_payload(turn.number, turn.result, restricted_injects(turn))
        out.append(present_turn(payload, game.scenario))
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
    return present_turn(resolved_payload(turn.number, turn.result), game.scenario) if turn else None


def page_data(game: Game, seat: Viewer, participant_name: str) -> dict[str, Any]:
    """Everything a page needs to draw itself before the socket takes over (bounded
    queries: the view, messages, history, and for the facilitator seats and presence)."""
    scenario = presented_scenario(game.scenario)
    variables = scenario.variables
    labels = variable_labels(scenario)
    turns = history(game)
    data: dict[str, Any] = {
        "game": game_view(game, seat),
        "seat": {"role": seat.role, "name": participant_name},
        "roles": [{"slug": r["slug"], "name": r["name"]} for r in scenario.roles],
        # Enum values by label in the reader's language ("ukraine_war.ongoing").
        "labels": {**labels, **value_labels(game.scenario)},
        "scalars": list(variables.get("scalars", {})),
        "enums": [*variables.get("enums", {}), *variables.get("lists", {})],
        "turn_labels": list(scenario.turn_labels),
        "start_state": game.start_state,
        "history": turns,
        "action_labels": _shown_action_labels(scenario, seat.role, turns),
        "reports": reports.turn_reports(game, seat, turns),
        "news": reports.news(game, seat, turns),
        "messages": messages_for_seat(game, seat),
        "ws_path": f"/ws/games/{game.pk}/",
        "api": f"/api/games/{game.pk}",
        "objectives": {r["slug"]: r["objectives"] for r in scenario.roles},
        # Capitals played by a bot: no message channel to them (a bot reads no messages).
        "bots": sorted(
            Seat.objects.filter(game=game, kind=Seat.Kind.BOT).values_list("role", flat=True)
        ),
    }
    if policy.may_see_table(seat.role):
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
    if policy.may_see_proposal(seat.role):
        data["proposal"] = proposal(game)
    if policy.plays(seat.role) and game.status != Game.Status.FINISHED:
        data["odds"] = reports.move_odds(game, seat.role)
    if policy.may_see_table(seat.role):
        data["injects"] = [
            {
                "id": i.id,
                "label": i.label,
                "description": i.description,
                "effects": inject_effect_words(scenario, i.id, value_labels(game.scenario)),
            }
            for i in scenario.injects.values()
        ]
        data["umpire_review"] = game.umpire_review
        data["observers_read_channels"] = game.observers_read_channels
        # The effect editor offers the public variables, by label (memory is the rules').
        data["variables"] = [{"path": p, "label": label} for p, label in labels.items()]
    return data
