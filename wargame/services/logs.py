"""Import a game log as a read-only game, and fork any game at a turn."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from wargame import policy, realtime
from wargame.engine import Adjudication
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, NotFound, TooLarge
from wargame.gamelog import LogError, LogTooLarge, parse_log, replay, ruleset_of
from wargame.models import BotTurn, Game, Inject, Message, Move, Turn, TurnResult
from wargame.policy.text import fault_in, tree_fault
from wargame.realtime.payloads import resolved_payload

from .events import events_append
from .games import game_create
from .scenarios import scenario_loader


def log_import(
    *, raw: bytes, title: str = "", max_bytes: int | None = None
) -> tuple[Game, dict[str, str]]:
    """An uploaded log, as bytes, to a new read-only game: the one entry point of the CLI,
    the import page and the API. Over `LT_MAX_LOG_BYTES` it is refused before parsing
    (TooLarge, 413); a bad or tampered log with the JSON path of the first problem
    (BadInput, 400). A refused log writes nothing."""
    limit = settings.LT_MAX_LOG_BYTES if max_bytes is None else max_bytes
    fault = fault_in(title=title)
    if fault:
        raise BadInput(fault, code="bad_text")
    try:
        document = parse_log(raw, max_bytes=limit, check=False)
    except LogTooLarge as exc:
        raise TooLarge(reason_of(exc)) from exc
    except LogError as exc:
        raise BadInput(reason_of(exc), code="bad_log") from exc
    return game_import(document=document, title=title[:200])


def game_import(*, document: dict[str, Any], title: str = "") -> tuple[Game, dict[str, str]]:
    """Check and re-adjudicate the log; a log whose recorded outcomes differ is refused,
    naming the first turn that differs. The new game is read-only (fork it to play on)."""
    fault = tree_fault(document) or fault_in(title=title)
    if fault:
        raise BadInput(fault, code="bad_text")
    try:
        report = replay(document, loader=scenario_loader)
    except LogError as exc:
        raise BadInput(reason_of(exc), code="bad_log") from exc
    if report["verified"] is False:
        first = report["first_mismatch"]
        index = next(i for i, t in enumerate(report["turns"]) if t["number"] == first["turn"])
        raise BadInput(
            "$.turns[%(index)s].outcome.%(field)s: turn %(turn)s does not match "
            "its re-adjudication (%(field)s differs); the log was edited or is from "
            "another engine.",
            index=index,
            field=first["field"],
            turn=first["turn"],
            code="log_mismatch",
        )
    meta = document.get("game", {})
    turns = report["turns"]
    start = document.get("start", {}).get("state")
    with transaction.atomic():
        game, codes = game_create(
            scenario_slug=report["scenario"],
            scenario_version=report["scenario_version"],
            ruleset=ruleset_of(document),
            turns=max(meta.get("turns") or 0, (turns[-1]["number"] if turns else 0), 1),
            seed=document["seed"],
            title=title or meta.get("title") or "Imported log",
            action_budget=meta.get("action_budget"),
            start_state=start,
        )
        game.read_only = True
        game.status = Game.Status.FINISHED
        if turns:
            game.state = turns[-1]["state"]
            game.state_hash = turns[-1]["state_hash"]
            game.current_turn = turns[-1]["number"]
        game.save()
        _store_turns(game, document["turns"], turns)
    return game, codes


def _store_turns(game: Game, logged: list[dict], replayed: list[dict]) -> None:
    """Every turn's rows, a few bulk inserts for the whole log (not a few per turn), and
    the events: a `turn.resolved` per turn, then one `game.imported` with their number."""
    turns = Turn.objects.bulk_create(
        Turn(game=game, number=r["number"], status=Turn.Status.RESOLVED) for r in replayed
    )
    moves, injects, messages, results, bot_turns = [], [], [], [], []
    for turn, log_turn, done in zip(turns, logged, replayed, strict=True):
        moves += [
            Move(
                turn=turn,
                game=game,
                role=m["role"],
                action=m["action"],
                target=m.get("target") or "",
                rationale=m.get("rationale", ""),
                submitted_by="import",
            )
            for m in log_turn["moves"]
        ]
        injects += [
            Inject(
                game=game,
                turn=turn,
                inject_id=spec["id"],
                label=spec.get("label", spec["id"]),
                description=spec.get("description", ""),
                effects=spec.get("effects"),
                audience=spec.get("audience") or [policy.EVERYONE],
            )
            for spec in log_turn.get("injects", [])
        ]
        messages += [
            Message(
                game=game,
                turn_number=turn.number,
                sender=m["from"],
                recipients=["all"] if m["to"] == "all" else m["to"],
                text=m["text"],
            )
            for m in log_turn.get("messages", [])
        ]
        bot_turns += [BotTurn(turn=turn, role=role) for role in log_turn.get("bots", [])]
        adjudication = Adjudication.from_dict({**done, "turn": done["number"]})
        results.append(TurnResult.from_adjudication(turn, adjudication))
    Move.objects.bulk_create(moves)
    Inject.objects.bulk_create(injects)
    Message.objects.bulk_create(messages)
    TurnResult.objects.bulk_create(results)
    BotTurn.objects.bulk_create(bot_turns)
    events_append(
        game=game,
        events=[
            {
                "type": realtime.TURN_RESOLVED,
                "turn": turn.number,
                "data": resolved_payload(turn.number, result),
                "audience": [policy.EVERYONE],
            }
            for turn, result in zip(turns, results, strict=True)
        ]
        + [
            {
                "type": realtime.GAME_IMPORTED,
                "turn": game.current_turn,
                "data": {"turns": len(turns)},
                "audience": [policy.EVERYONE],
            }
        ],
    )


def game_fork(
    *, game_id: int, turn: int, seed: int | str | None = None, title: str = "", bots=()
) -> tuple[Game, dict[str, str]]:
    """A new live game from the state after `turn` of another (0 or its first turn = start).

    The fork gets a fresh secret seed under the current ruleset: the parent's seed is
    readable by every seat once the parent has finished, and players must never know their
    dice. An analyst who wants the same dice in both branches (luck held constant) passes
    the parent's seed explicitly, and the fork keeps the parent's ruleset with it.
    """
    parent = Game.objects.with_scenario().filter(pk=game_id).first()
    if parent is None:
        raise NotFound("No such game.")
    first = parent.start_state.get("turn", 0)
    if turn == first:
        state = parent.start_state
    else:
        result = TurnResult.objects.filter(turn__game=parent, turn__number=turn).first()
        if result is None:
            raise BadInput(
                "Turn %(turn)s of game %(game_id)s has not been resolved; fork at a turn "
                "from %(first)s to %(current_turn)s.",
                turn=turn,
                game_id=game_id,
                first=first,
                current_turn=parent.current_turn,
                code="bad_turn",
            )
        state = result.state
    if turn >= parent.max_turns:
        raise BadInput(
            "Turn %(turn)s is the last turn of game %(game_id)s; nothing is left to play.",
            turn=turn,
            game_id=game_id,
        )
    return game_create(
        scenario_row=parent.scenario,
        ruleset=None if seed is None else parent.ruleset,
        turns=parent.max_turns,
        seed=seed,
        title=title or f"Fork of game {parent.pk} at turn {turn}",
        action_budget=parent.action_budget,
        deadline_seconds=parent.deadline_seconds,
        start_state=state,
        parent=parent,
        parent_turn=turn,
        bots=bots,
    )
