"""The facilitator's notes on a game, for its debrief.

Notes are not part of play: no event is broadcast and the state does not change, so the
one write is an update of the game's row. They reach the log (`game.notes`) and the
debrief, which every seat may read once the game has finished.
"""

from __future__ import annotations

from wargame.errors import BadInput, NotFound
from wargame.models import Game
from wargame.policy.text import fault_in

NOTES_MAX = 20_000


def game_notes_set(*, game_id: int, notes: str) -> str:
    """Replace the notes (line endings normalised, outer blank lines trimmed)."""
    fault = fault_in(notes=notes)
    if fault:
        raise BadInput(fault, code="bad_text")
    text = notes.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if len(text) > NOTES_MAX:
        raise BadInput(
            "The notes are %(count)s characters long; the limit is %(limit)s. "
            "Shorten them and save again.",
            count=f"{len(text):,}",
            limit=f"{NOTES_MAX:,}",
        )
    if not Game.objects.filter(pk=game_id).update(notes=text):
        raise NotFound("No such game.")
    return text
