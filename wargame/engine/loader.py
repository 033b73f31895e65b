"""Load a released scenario document: JSON Schema first, then the engine's own checks.

No Django: the CLI's `replay` and the benchmarks load scenarios the same way as the
web app. The repository keeps every released version (`scenarios/<slug>/v<N>.json`)
and the sha256 of each (`scenarios/released.json`), so a log replays under the rules
it was played with; a document edited without a new version is refused at load.
Built scenarios are cached by content hash, so the hot path never re-reads JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from wargame.engine import Scenario, ScenarioError
from wargame.engine.reasons import Reason, at, reason_of
from wargame.engine.schemas import SchemaError, validate
from wargame.engine.state import canonical_json

# Scenario documents are data, not code: wargame/scenarios/ holds only JSON.
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
RELEASED = "released.json"
DEFAULT_SLUG = "lips-and-teeth-2025"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.json$")


class UnknownScenario(LookupError):
    """No such scenario, or no such version of it; the message lists what there is."""


class UnreleasedScenario(ScenarioError):
    """A version file whose content is not the one released under that version."""


def document_hash(document: dict[str, Any]) -> str:
    """sha256 of the canonical JSON (sorted keys, ASCII): the document's identity."""
    return hashlib.sha256(canonical_json(document).encode("ascii")).hexdigest()


def available_slugs() -> list[str]:
    return sorted(p.name for p in SCENARIO_DIR.iterdir() if p.is_dir() and versions_of(p.name))


def versions_of(slug: str) -> list[int]:
    """The versions kept in the repository, oldest first ([] for an unknown slug)."""
    folder = SCENARIO_DIR / slug
    if not folder.is_dir():
        return []
    found = (_VERSION_FILE.match(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def latest_version(slug: str = DEFAULT_SLUG) -> int:
    """The newest released version: what a new game is played with unless it says otherwise."""
    versions = versions_of(slug)
    if not versions:
        raise UnknownScenario(
            Reason(
                "No scenario %(slug)s. Available: %(slugs)s",
                slug=repr(slug),
                slugs=", ".join(available_slugs()) or Reason("none"),
            )
        )
    return versions[-1]


def released_hash(slug: str, version: int) -> str | None:
    """The content hash recorded when that version was released, or None."""
    return _released().get(slug, {}).get(str(version))


def _released() -> dict[str, dict[str, str]]:
    path = SCENARIO_DIR / RELEASED
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def load_document(slug: str = DEFAULT_SLUG, version: int | None = None) -> tuple[dict, str]:
    """(document, content hash) of a released version (the latest without `version`).

    Refuses a file whose content differs from the hash recorded for its version: a
    change to a released scenario changes games already played, so it needs a new
    version number, never an edit in place.
    """
    number = latest_version(slug) if version is None else version
    if number not in versions_of(slug):
        latest_version(slug)  # an unknown slug says so first
        known = ", ".join(str(v) for v in versions_of(slug))
        raise UnknownScenario(
            Reason(
                "Scenario %(slug)s has no version %(number)s; it has %(known)s.",
                slug=repr(slug),
                number=number,
                known=known,
            )
        )
    path = SCENARIO_DIR / slug / f"v{number}.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        said = Reason("not valid JSON (%(why)s)", why=str(exc))
        raise ScenarioError(at(f"{slug}/{path.name}", said)) from exc
    if document.get("slug") != slug or document.get("version") != number:
        said = Reason(
            "says slug %(said_slug)s version %(said_version)s; the file name says %(slug)s "
            "version %(number)s",
            said_slug=repr(document.get("slug")),
            said_version=repr(document.get("version")),
            slug=repr(slug),
            number=number,
        )
        raise ScenarioError(at(f"{slug}/{path.name}", said))
    digest = document_hash(document)
    recorded = released_hash(slug, number)
    if recorded is None:
        raise UnreleasedScenario(
            Reason(
                "%(slug)s v%(number)s is not released: record its sha256 %(digest)s under "
                '"%(slug)s": {"%(number)s": ...} in scenarios/%(file)s.',
                slug=slug,
                number=number,
                digest=digest,
                file=RELEASED,
            )
        )
    if recorded != digest:
        raise UnreleasedScenario(
            Reason(
                "%(file)s has changed since version %(number)s was released (sha256 %(given)s, "
                "released %(installed)s). Released versions never change: bump the version "
                "(save it as v%(next)s.json) instead.",
                file=f"{slug}/{path.name}",
                number=number,
                given=digest,
                installed=recorded,
                next=versions_of(slug)[-1] + 1,
            )
        )
    return document, digest


def load_scenario(slug: str = DEFAULT_SLUG, version: int | None = None) -> Scenario:
    """A released version as the engine sees it; the latest without `version`."""
    document, digest = load_document(slug, version)
    return scenario_for_document(document, digest)


_BUILT: dict[str, Scenario] = {}


def scenario_for_document(document: dict[str, Any], content_hash: str | None = None) -> Scenario:
    """The engine's scenario for a pinned document, built once per content hash.

    A game stores its document and hash; a hash that does not match its document is
    refused (someone edited the row), so two games with one hash play the same rules.
    """
    if content_hash is not None and content_hash in _BUILT:
        return _BUILT[content_hash]
    digest = document_hash(document)
    if content_hash is not None and content_hash != digest:
        raise ScenarioError(
            Reason(
                "scenario %(slug)s v%(version)s: its content hash is %(given)s, not the "
                "%(pinned)s it was pinned with",
                slug=repr(document.get("slug")),
                version=document.get("version"),
                given=digest,
                pinned=content_hash,
            )
        )
    if digest not in _BUILT:
        _BUILT[digest] = replace(scenario_from_document(document), content_hash=digest)
    return _BUILT[digest]


def pinned_scenario(row: Any) -> Scenario:
    """The scenario a game pinned: anything with `.document_text` (or `.document`) and
    `.content_hash` (a row).

    Built from the JSON text as it was written, not from the parsed column: PostgreSQL's
    jsonb keeps object keys shortest first, and the order of a scenario's variables is
    the order the narrative walks them, so a document read back from jsonb would tell a
    turn in other words than the file it was released as (and its log would not verify).
    """
    built = _BUILT.get(row.content_hash)
    if built is not None:
        return built
    text = getattr(row, "document_text", "")
    document = json.loads(text) if text else row.document
    return scenario_for_document(document, row.content_hash)


# An uploaded scenario document: the largest shipped one is ~60 kB.
MAX_UPLOAD_BYTES = 1_000_000


def parse_document(raw: bytes | str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[dict, str]:
    """Bytes someone uploaded to (document, content hash), checked like a released file:
    size first (before parsing), JSON, the schema, then the engine. ScenarioError names
    the path of the first bad field ("$.rules[3].when: ..." or "rules.x.effects[0].var: ...")."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        said = Reason(
            "the document is %(size)s bytes or more; the limit is %(limit)s",
            size=size,
            limit=max_bytes,
        )
        raise ScenarioError(at("$", said))
    try:
        document = json.loads(raw, parse_constant=_no_constant)
    except RecursionError as exc:
        raise ScenarioError(at("$", Reason("not valid JSON (nested too deeply)"))) from exc
    except ValueError as exc:
        said = Reason("not valid JSON (%(why)s)", why=str(exc)[:200])
        raise ScenarioError(at("$", said)) from exc
    if not isinstance(document, dict):
        raise ScenarioError(at("$", Reason("a scenario document is a JSON object")))
    scenario_from_document(document)
    return document, document_hash(document)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def release_conflict(document: dict[str, Any], digest: str) -> str | None:
    """Why this document may not be installed under its slug+version, if the repository
    released that version with other content; None when it may."""
    slug, version = document["slug"], int(document["version"])
    recorded = released_hash(slug, version)
    if recorded is None or recorded == digest:
        return None
    return Reason(
        "%(slug)s v%(version)s is already released with another document (sha256 "
        "%(installed)s, this one %(given)s). Released versions never change: bump the version.",
        slug=slug,
        version=version,
        installed=recorded,
        given=digest,
    )


def scenario_from_document(document: dict) -> Scenario:
    """Validate a parsed scenario document; ScenarioError names the first bad field."""
    try:
        validate(document, "scenario")
    except SchemaError as exc:
        raise ScenarioError(reason_of(exc)) from exc
    return Scenario.from_dict(document)
