"""What a display name may be: visible, and without bidi controls.

A name made only of zero-width or other invisible characters shows as nobody in the
table's lists; one holding a bidi override or isolate (U+202A-202E, U+2066-2069) reverses
the text after it, so "Ada" could read as another seat's name or turn a message around.
Pure: the join service, the join form and the API schema all ask here.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Letters that draw nothing (Hangul fillers), beside the format, control, separator and
# combining categories below.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def display_name_problem(name: str) -> str | None:
    """Why this name cannot be shown to the table, or None."""
    if any(c in BIDI_CONTROLS for c in name):
        return _("Names may not contain text-direction controls (U+202A-202E, U+2066-2069).")
    visible = [
        c
        for c in name
        if unicodedata.category(c) not in INVISIBLE_CATEGORIES and c not in BLANK_LETTERS
    ]
    if not visible:
        return _("Give a name others can see: this one has only invisible characters.")
    return None
