"""Who is asking: from a bearer token or a browser session, to a participant and seat."""

from __future__ import annotations

from players.models import Participant
from wargame.policy.text import text_fault

SESSION_KEY = "lt_participants"  # {game_id: participant_id}


def participant_by_token(token: str | None) -> Participant | None:
    if not token or text_fault(token):  # a NUL is no token (PostgreSQL refuses the lookup)
        return None
    return Participant.objects.select_related("seat").filter(token=token).first()


def participant_from_session(session, game_id: int) -> Participant | None:
    ids = session.get(SESSION_KEY, {}) if session is not None else {}
    participant_id = ids.get(str(game_id))
    if participant_id is None:
        return None
    # A participant moved to another table (a class, before its start) is no seat here.
    found = Participant.objects.select_related("seat").filter(pk=participant_id)
    return found.filter(seat__game_id=game_id).first()


def remember_in_session(session, participant: Participant) -> None:
    ids = dict(session.get(SESSION_KEY, {}))
    ids[str(participant.seat.game_id)] = participant.pk
    session[SESSION_KEY] = ids


def participant_names(game) -> list[tuple[str, str]]:
    """Everyone who took a seat in this game, as (name, seat role), for anonymised exports:
    the log lists the players' names but not the facilitator's or observers'."""
    return list(Participant.objects.filter(seat__game=game).values_list("name", "seat__role"))


TEACHERS = "teachers"  # the auth group of teacher accounts (made by migration 0010_classes)


def is_teacher(user) -> bool:
    """A logged-in account in the teachers' group: it creates and runs its own classes."""
    if user is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_lt_is_teacher", [])
    if not cache:
        cache.append(user.groups.filter(name=TEACHERS).exists())
    return cache[0]
