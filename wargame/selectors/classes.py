"""Reads for classes: who owns a game, a teacher's classes, the class dashboard."""

from __future__ import annotations

from wargame.models import Game


def owns_game(*, game_id: int, user_id: int) -> bool:
    """The account created this game (a teacher's class table, or a game it made)."""
    return Game.objects.filter(pk=game_id, created_by_id=user_id).exists()
