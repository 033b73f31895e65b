"""The one way a writer takes a game: its row locked first (one lock order, no deadlock)."""

from __future__ import annotations

from wargame.errors import NotFound
from wargame.models import Game


def game_for_update(game_id: int) -> Game:
    """The game, its row locked until commit; only its own row (`of=self`), never the
    scenario row it joins, which every game shares. Call inside `transaction.atomic()`."""
    game = (
        Game.objects.select_for_update(of=("self",))
        .select_related("scenario")
        .filter(pk=game_id)
        .first()
    )
    if game is None:
        raise NotFound("No such game.")
    return game
