"""A refusal in the reader's language: the shells (API, pages, socket) say a `Reason`
from a service or a pure layer through gettext, in the language that is active (the
request's, as LocaleMiddleware chose it, or the socket's). Codes and field paths stay
as they are; only the sentence is translated."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from wargame.engine.reasons import Reason


def localised(text: Any) -> str:
    """`text` in the active language: a Reason from its translated template (its
    parameters said the same way), anything else as it is."""
    if not isinstance(text, Reason):
        return str(text)
    template = gettext(text.template)
    if not text.params:
        return template
    return template % {name: localised(value) for name, value in text.params.items()}
