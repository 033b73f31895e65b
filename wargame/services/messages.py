"""Negotiation: messages between capitals, to everyone, or from the facilitator."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from wargame import policy, realtime
from wargame.errors import BadInput, WrongPhase
from wargame.models import Game, Message
from wargame.policy.text import fault_in
from wargame.realtime.payloads import message_dict

from .events import event_append
from .locks import game_for_update
from .scenarios import engine_scenario


def message_post(*, game_id: int, sender: str, to: str | list[str], text: str) -> Message:
    """`to` is 'all', a role slug, 'facilitator', or a list of those. A private message is
    seen by its sender, its recipients and the facilitator (the white cell reads all)."""
    fault = fault_in(text=text, to=to)
    if fault:
        raise BadInput(fault, code="bad_text")
    text = (text or "").strip()
    if not text:
        raise BadInput("A message needs some text.", code="empty")
    if len(text) > settings.LT_MAX_MESSAGE_CHARS:
        raise BadInput(
            "The message is %(count)s characters; the limit is %(limit)s.",
            count=len(text),
            limit=settings.LT_MAX_MESSAGE_CHARS,
            code="too_long",
        )
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.read_only:
            raise WrongPhase("An imported log is read-only.")
        if game.status == Game.Status.FINISHED:
            raise WrongPhase("The game has finished; its channels are closed.")
        recipients = _recipients(game, sender, to)
        message = Message.objects.create(
            game=game,
            turn_number=game.current_turn + 1 if game.status != "finished" else game.current_turn,
            sender=sender,
            recipients=recipients,
            text=text,
        )
        audience = (
            recipients
            if recipients == [policy.EVERYONE]
            else sorted({sender, *recipients, policy.FACILITATOR})
        )
        event_append(
            game=game,
            type=realtime.MESSAGE_POSTED,
            turn=message.turn_number,
            data=message_dict(message),
            audience=audience,
        )
        return message


def _recipients(game: Game, sender: str, to: str | list[str]) -> list[str]:
    roles = set(engine_scenario(game.scenario).role_slugs) | {policy.FACILITATOR}
    wanted = [to] if isinstance(to, str) else list(to)
    if not wanted:
        raise BadInput("Say who the message is to: a role, 'facilitator' or 'all'.")
    if policy.EVERYONE in wanted:
        return [policy.EVERYONE]
    unknown = [w for w in wanted if w not in roles]
    if unknown:
        raise BadInput(
            "Unknown recipient %(unknown)s; use one of: all, %(names)s.",
            unknown=repr(unknown[0]),
            names=", ".join(sorted(roles)),
            code="bad_recipient",
        )
    if wanted == [sender]:
        raise BadInput("You cannot send a message only to yourself.", code="bad_recipient")
    return sorted(set(wanted))
