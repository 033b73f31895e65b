"""Who may open a game's review pages: replay, debrief, comparison, exports, fork.

A review shows every move, rationale and private message, so it follows the log's rule
(DESIGN: the log is the facilitator's, and anyone's once the game has finished): the
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
    participant = participant_from_session(request.session, game_id)
    if participant is None:
        raise Http404("No such game.")
    if participant.seat.role == FACILITATOR or game.status == Game.Status.FINISHED:
        return game
    raise Http404("No such game.")


def may_fork(request: HttpRequest, game: Game) -> bool:
    """Forking starts a new game to run: staff, or this game's facilitator."""
    if is_staff(request):
        return True
    participant: Participant | None = participant_from_session(request.session, game.pk)
    return participant is not None and participant.seat.role == FACILITATOR
