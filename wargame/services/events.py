"""Append to a game's event log and publish on commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from wargame import realtime
from wargame.models import Game, GameEvent


def event_append(
    *, game: Game, type: str, turn: int, data: dict[str, Any], audience: list[str]
) -> GameEvent:
    """Number the event and store it; publish once the surrounding transaction commits.

    Must run inside `transaction.atomic()`. The UPDATE on the game row takes its lock until
    commit, so events of one game get gapless, strictly increasing seqs in commit order.
    """
    Game.objects.filter(pk=game.pk).update(last_seq=F("last_seq") + 1)
    seq = Game.objects.filter(pk=game.pk).values_list("last_seq", flat=True).get()
    game.last_seq = seq
    event = GameEvent.objects.create(
        game=game, seq=seq, type=type, turn=turn, audience=audience, data=data
    )
    _publish_on_commit(game.pk, event)
    return event


def _publish_on_commit(game_id: int, event: GameEvent) -> None:
    """on_commit callbacks run in registration order, so sockets hear events in seq order;
    a rolled-back transaction's callbacks never run, so nothing unreal is ever sent."""
    message = (event.as_message(), list(event.audience))
    transaction.on_commit(lambda: realtime.publish_events(game_id, [message]))
