"""Sentences the pure layers give a person, in a form a shell can translate.

The engine, the log reader and policy import no Django, so they cannot call gettext; a
`Reason` is their English sentence that also keeps its template and parameters. It *is*
that English text (a `str`), so the log, the CLI and every English caller see no change,
while a shell (`wargame.selectors.reasons.localised`) says it again in the reader's
language from the same template. `manage.py makemessages` collects `Reason("...")`
templates (and the first argument of the `GameError` family) into the catalogs.
"""

from __future__ import annotations

from typing import Any


class Reason(str):
    """An English sentence built from `template % params`, remembering both."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Reason:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self):
        return (_rebuilt, (self.template, self.params))


def _rebuilt(template: str, params: dict[str, Any]) -> Reason:
    return Reason(template, **params)


def as_reason(text: str) -> Reason:
    """`text` as a Reason: itself if it is one, else a sentence without parameters."""
    return text if isinstance(text, Reason) else Reason(text)


# "<where>: <what>", a JSON path or field name before its sentence: not itself a sentence,
# so it is not in the catalogs; the path stays as written and the sentence is translated.
LOCATED = "%(where)s: %(what)s"


def at(where: str, what: str) -> Reason:
    """`what` (a sentence, a Reason or not) said about the field or JSON path `where`."""
    return Reason(LOCATED, where=where, what=what)


def reason_of(exc: BaseException) -> str:
    """What `exc` says, keeping its Reason (str(exc) would be plain English)."""
    said = exc.args[0] if len(exc.args) == 1 else None
    return said if isinstance(said, Reason) else str(exc)
