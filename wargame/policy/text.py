"""Text the database can store: the one check every write path asks before it writes.

PostgreSQL refuses a NUL character in text and jsonb, and no database can encode a lone
surrogate (JSON's "\\ud800" decodes to one) as UTF-8; either reached the driver as a 500
after the checks had passed. A service asks `fault_in(field=value, ...)` first and refuses
the input whole (nothing is cleaned silently: a person should see what was wrong).
Pure: no Django, so the importer, the API and the pages share it.
"""

from __future__ import annotations

from typing import Any

from wargame.engine.reasons import Reason, at

NUL = "\x00"
LONE_SURROGATE = Reason(
    "contains a lone surrogate (U+D800 to U+DFFF), which is not valid Unicode text; send UTF-8 text"
)


def text_fault(value: str) -> str | None:
    """What makes `value` unstorable, in words, or None."""
    if NUL in value:
        return Reason(
            "contains a NUL character (U+0000) at position %(position)s; remove it and send again",
            position=value.index(NUL),
        )
    for position, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            return Reason(
                "contains a lone surrogate (U+%(code_point)s) at position %(position)s, "
                "which is not valid Unicode text; send UTF-8 text",
                code_point=f"{ord(char):04X}",
                position=position,
            )
    return None


def tree_fault(value: Any, path: str = "$") -> str | None:
    """The first unstorable string (or object key) in a JSON-like tree, as
    "<json path>: <what is wrong>", or None. Iterative, so any depth is safe; the path is
    spelled out only for the fault (each node keeps its step and its parent's)."""
    pending: list[tuple[Any, tuple]] = [(value, (path, None))]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            fault = text_fault(item)
            if fault:
                return at(_spelled(where), fault)
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                fault = text_fault(str(key))
                if fault:
                    return at(_spelled(where), Reason("a key %(fault)s", fault=fault))
                children.append((child, (f".{key}", where)))
            pending.extend(reversed(children))
        elif isinstance(item, (list, tuple)):
            pending.extend(reversed([(c, (f"[{i}]", where)) for i, c in enumerate(item)]))
    return None


def _spelled(where: tuple) -> str:
    steps = []
    while where is not None:
        step, where = where
        steps.append(step)
    return "".join(reversed(steps))


def fault_in(**fields: Any) -> str | None:
    """The first unstorable field among `fields` (strings, None, or JSON-like trees), as
    "<field>: <what is wrong>", or None."""
    for name, value in fields.items():
        if value is None:
            continue
        fault = tree_fault(value, name)
        if fault:
            return fault
    return None
