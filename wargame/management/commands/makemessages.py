"""Django's makemessages, also collecting the sentences services and pure layers refuse
with: `Reason("...")` templates (wargame.engine.reasons) and the first argument of the
GameError family and JoinRefused, which the shells translate when they answer; and the
scripts' plural helper `n_(one, many, n)` (static/js), which xgettext does not know (its
strings were dropped from djangojs.po by a plain run)."""

from django.core.management.commands.makemessages import Command as DjangoMakeMessages

REFUSALS = ("Reason", "GameError", "BadInput", "NotAllowed", "NotFound", "WrongPhase")
REFUSALS += ("TooLarge", "Throttled", "JoinRefused")


class Command(DjangoMakeMessages):
    xgettext_options = (
        DjangoMakeMessages.xgettext_options
        + [f"--keyword={name}" for name in REFUSALS]
        + ["--keyword=n_:1,2"]
    )
