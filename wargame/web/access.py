"""From an HTTP request to a `policy.Actor`, and the review pages' 403 and 404.

Who may do what is decided in `wargame.policy`; this module only says who is asking: the
seat this browser (session) or script (bearer token) holds in the game, and whether the
logged-in account is staff. A token is a seat's credential, never a staff account's.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from players.models import Participant
from players.selectors import is_teacher, participant_from_session
from wargame import policy
from wargame.models import Game
from wargame.selectors.classes import owns_game


def staff_page(view):
    """A page for staff only; anyone else is sent to the site's own login page (the branded
    one), not the Django admin's, and comes back here after logging in."""
    return staff_member_required(view, login_url="login")


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


def participant_in(request: HttpRequest, game_id: int) -> Participant | None:
    """The caller's participant in this game (token first, then session), looked up once
    per request; None for no seat here (a seat of another game is none)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, Participant):
        return auth if auth.seat.game_id == game_id else None
    cache = request.__dict__.setdefault("_lt_participants", {})
    if game_id not in cache:
        cache[game_id] = participant_from_session(request.session, game_id)
    return cache[game_id]


def is_teacher_account(request: HttpRequest) -> bool:
    """A logged-in teacher (not staff): it runs only the games and classes it owns."""
    return not is_staff(request) and is_teacher(getattr(request, "user", None))


def owner_of(request: HttpRequest, game_id: int) -> bool:
    """The logged-in account owns this game (a teacher's table), looked up once per
    request; staff need not (they run every game), a token never does."""
    if isinstance(getattr(request, "auth", None), Participant) or is_staff(request):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cache = request.__dict__.setdefault("_lt_owned", {})
    if game_id not in cache:
        cache[game_id] = owns_game(game_id=game_id, user_id=user.pk)
    return cache[game_id]


def actor_for(request: HttpRequest, game_id: int) -> policy.Actor:
    participant = participant_in(request, game_id)
    by_token = isinstance(getattr(request, "auth", None), Participant)
    return policy.Actor(
        seat=participant.seat.role if participant else None,
        # A token is never a staff account's: don't read the session (a query) for it.
        staff=not by_token and is_staff(request),
        owner=participant is None and owner_of(request, game_id),
    )


def display_name(request: HttpRequest, game_id: int) -> str:
    """The name the table sees for this caller: the participant's, else the account's."""
    participant = participant_in(request, game_id)
    if participant is not None:
        return participant.name
    user = request.user
    return user.get_full_name() or user.get_username()


def reviewable_game(request: HttpRequest, game_id: int) -> Game:
    """The game if this caller may review it (`policy.may_review`), else 404, also for
    games that exist."""
    game = Game.objects.with_scenario().filter(pk=game_id).first()
    if game is None:
        raise Http404("No such game.")
    finished = game.status == Game.Status.FINISHED
    actor = actor_for(request, game_id)
    if policy.review_opens_later(actor, finished=finished):
        raise PermissionDenied(
            _(
                "The replay, debrief and exports of this game open when the game ends: "
                "until then they would show the other capitals' moves."
            )
        )
    if not policy.may_review(actor, finished=finished):
        raise Http404("No such game.")
    return game


def runs_game(request: HttpRequest, game: Game) -> bool:
    """`policy.may_run`: fork it, write its debrief notes."""
    return policy.may_run(actor_for(request, game.pk))
