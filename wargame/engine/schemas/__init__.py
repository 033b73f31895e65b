"""JSON Schemas for the files people hand us (scenarios, game logs), and one way to check them.

No Django here: the CLI, the API and the loader all validate the same way, and every
refusal names the JSON path of the first bad field.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from wargame.engine.reasons import Reason, at

SCHEMA_DIR = Path(__file__).parent
# Errors looked at to find the first in document order. A hostile 5 MB document can hold a
# million errors, and building each costs far more than validating a good value: we stop
# after these (the validator walks the document in order, so the first is among them).
MAX_ERRORS = 100


class SchemaError(ValueError):
    """A document that does not match its schema; `path` is like `$.turns[0].moves[1].role`."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.detail = message
        super().__init__(at(path, message))


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def json_path(parts) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate(document: Any, name: str) -> None:
    """Raise SchemaError for the first error in document order (the one a reader meets first)."""
    errors = list(islice(validator(name).iter_errors(document), MAX_ERRORS))
    if not errors:
        return
    first = min(
        errors,
        key=lambda e: (
            [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path] + [(2, "")]
        ),
    )
    first = _deepest(first)
    raise SchemaError(json_path(first.absolute_path), said(first))


def said(error) -> str:
    """jsonschema's message in its own English words, as a Reason for the kinds people
    meet (so it can be translated); any other kind keeps jsonschema's text."""
    kind, expected, value = error.validator, error.validator_value, _shown(error.instance)
    if kind == "required":
        missing = [name for name in expected if name not in (error.instance or {})]
        name = repr(missing[0] if missing else expected[0])
        return Reason("%(name)s is a required property", name=name)
    if kind == "type":
        return Reason("%(value)s is not of type %(kind)s", value=value, kind=repr(expected))
    if kind == "minimum":
        return Reason(
            "%(value)s is less than the minimum of %(limit)s", value=value, limit=expected
        )
    if kind == "maximum":
        return Reason(
            "%(value)s is greater than the maximum of %(limit)s", value=value, limit=expected
        )
    if kind in ("maxLength", "maxItems"):
        return Reason("%(value)s is too long", value=value)
    if kind in ("minLength", "minItems"):
        if expected == 1:
            return Reason("%(value)s should be non-empty", value=value)
        return Reason("%(value)s is too short", value=value)
    if kind == "enum":
        return Reason("%(value)s is not one of %(allowed)s", value=value, allowed=repr(expected))
    if kind == "const":
        return Reason("%(expected)s was expected", expected=repr(expected))
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and "patternProperties" not in schema:
        known = set(schema.get("properties", {}))
        extra = sorted((k for k in error.instance if k not in known), key=str)
        names = ", ".join(repr(k) for k in extra)
        if len(extra) == 1:
            return Reason(
                "Additional properties are not allowed (%(names)s was unexpected)", names=names
            )
        if extra:
            return Reason(
                "Additional properties are not allowed (%(names)s were unexpected)", names=names
            )
    return error.message


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]} … {text[-12:]}"


def _deepest(error):
    """For oneOf/anyOf failures, point at the most specific sub-error, not the whole branch."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error
