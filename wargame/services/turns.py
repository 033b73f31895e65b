"""Open a turn: its clock, its announcement, and the bots' moves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from wargame import policy, realtime
from wargame.models import Game, Turn

from .bots import bots_play
from .events import events_append
from .scenarios import engine_scenario


def turn_open(
    *,
    game: Game,
    number: int,
    preceding: Sequence[dict[str, Any]] = (),
    also: Sequence[str] = (),
    bots: bool | None = None,
) -> Turn:
    """Create the turn, start its clock, announce it, and let bots move. Caller holds the
    game row locked inside a transaction. `preceding`: the caller's events (such as the
    last turn's `turn.resolved`), appended first in the same batch; `also`: fields of the
    game the caller changed, written by the UPDATE that numbers them; `bots`: False when
    the caller knows no seat is a bot's (no query for them)."""
    deadline = None
    if game.deadline_seconds:
        deadline = timezone.now() + timedelta(seconds=game.deadline_seconds)
    turn = Turn.objects.create(game=game, number=number, deadline=deadline)
    scenario = engine_scenario(game.scenario)
    opened = {
        "type": realtime.TURN_OPENED,
        "turn": number,
        "data": {
            "number": number,
            "label": scenario.turn_label(number),
            "deadline": deadline.isoformat() if deadline else None,
            "max_turns": game.max_turns,
        },
        "audience": [policy.EVERYONE],
    }
    events_append(game=game, events=[*preceding, opened], also=also)
    if bots is not False:
        bots_play(game=game, turn=turn, scenario=scenario)
    return turn
