"""Who may open a game's review pages: replay, debrief, comparison, exports, fork.

A review shows every move, rationale and private message, so it follows the log's rule
(docs/architecture.md: the log is the facilitator's, and anyone's once the game has finished): the
game's facilitator at any time, every seat of the game once it has finished, and staff
accounts (teachers, analysts) always. Anyone else gets 404, as for any game not theirs.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from players.models import FACILITATOR, Participant
from players.selectors import participant_from_session
from wargame.models import Game


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


def reviewable_game(request: HttpRequest, game_id: int) -> Game:
    """The game if this browser may review it, else 404 (also for games that exist)."""
    game = Game.objects.select_related("scenario").filter(pk=game_id).first()
    if game is None:
        raise Http404("No such game.")
    if is_staff(request):
        return game
    participant = _participant(request, game_id)
    if participant is None:
        raise Http404("No such game.")
    if participant.seat.role == FACILITATOR or game.status == Game.Status.FINISHED:
        return game
    raise Http404("No such game.")


def runs_game(request: HttpRequest, game: Game) -> bool:
    """Staff, or this game's facilitator: may fork it and write its debrief notes."""
    if is_staff(request):
        return True
    participant = _participant(request, game.pk)
    return participant is not None and participant.seat.role == FACILITATOR


def _participant(request: HttpRequest, game_id: int) -> Participant | None:
    """The session's participant in this game, looked up once per request."""
    cache = request.__dict__.setdefault("_lt_participants", {})
    if game_id not in cache:
        cache[game_id] = participant_from_session(request.session, game_id)
    return cache[game_id]
