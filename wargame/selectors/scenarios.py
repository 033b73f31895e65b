"""Reads for the scenario pages and the create-game form: which versions exist (released
in the repository, installed or uploaded on this server), a version's document, what it
contains in words, what changed between two versions, and what an upload would install.

Installed rows come first: an uploaded version exists only as a row, and a released one
installed here is byte-for-byte its file (the install refuses anything else).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from wargame.engine import ScenarioError
from wargame.engine.loader import (
    DEFAULT_SLUG,
    MAX_UPLOAD_BYTES,
    UnknownScenario,
    available_slugs,
    load_document,
    load_scenario,
    parse_document,
    release_conflict,
    released_hash,
    versions_of,
)
from wargame.engine.reasons import reason_of
from wargame.engine.scenario_diff import ScenarioDiff, scenario_diff
from wargame.models import Scenario

from .reasons import localised
from .scenario_words import scenario_summary
from .translations import (
    presented_document,
    presented_version,
    row_title,
    scenario_title,
    version_value_labels,
    words_by_source,
)


@dataclass
class VersionInfo:
    slug: str
    version: int
    title: str
    content_hash: str
    released: bool
    installed: bool

    @property
    def key(self) -> str:
        return f"{self.slug}:{self.version}"

    @property
    def uploaded(self) -> bool:
        return self.installed and not self.released


@dataclass
class SlugInfo:
    slug: str
    title: str
    versions: list[VersionInfo] = field(default_factory=list)


def scenario_catalogue() -> list[SlugInfo]:
    """Every slug with its versions, oldest first; the default scenario leads. One query.
    Each title is in the active language where its version has a translation."""
    found: dict[tuple[str, int], VersionInfo] = {}
    for slug in available_slugs():
        for version in versions_of(slug):
            try:
                document, digest = load_document(slug, version)
            except ScenarioError:
                continue  # an unreleased or edited file: load_scenario says why
            title = scenario_title(slug, version, digest, document["title"])
            found[(slug, version)] = VersionInfo(
                slug, version, title, digest, released=True, installed=False
            )
    for row in Scenario.objects.only("slug", "version", "title", "content_hash"):
        info = found.get((row.slug, row.version))
        if info is not None:
            info.installed = True
        else:
            found[(row.slug, row.version)] = VersionInfo(
                row.slug, row.version, row_title(row), row.content_hash, False, True
            )
    slugs: dict[str, SlugInfo] = {}
    for (slug, _version), info in sorted(found.items()):
        entry = slugs.setdefault(slug, SlugInfo(slug, info.title))
        entry.versions.append(info)
        entry.title = info.title  # the newest version's title
    return sorted(slugs.values(), key=lambda s: (s.slug != DEFAULT_SLUG, s.slug))


def scenario_document(slug: str, version: int) -> tuple[dict[str, Any], str] | None:
    """(document, content hash) of a version on this server, or None; in its authored key
    order (the text beside the jsonb column, which PostgreSQL reorders)."""
    row = Scenario.objects.filter(slug=slug, version=version).only(
        "document", "document_text", "content_hash"
    )
    row = row.first()
    if row is not None:
        document = json.loads(row.document_text) if row.document_text else row.document
        return document, row.content_hash
    try:
        return load_document(slug, version)
    except (UnknownScenario, ScenarioError):
        return None


def scenario_detail(slug: str, version: int) -> dict[str, Any] | None:
    """A version in words (roles, actions, rules) for the page, in the active language
    where the version has a translation; None if unknown."""
    found = scenario_document(slug, version)
    if found is None:
        return None
    document, digest = found
    shown = presented_document(document, digest)
    values = version_value_labels(document["slug"], int(document["version"]), digest)
    return {
        "summary": scenario_summary(shown, values),
        "content_hash": digest,
        "released": released_hash(slug, version) == digest,
        "installed": Scenario.objects.filter(content_hash=digest).exists(),
    }


def scenario_versions_diff(slug: str, old: int, new: int) -> dict[str, Any] | None:
    """What changed from version `old` to version `new` of a slug, in words; None if
    either is unknown here."""
    before, after = scenario_document(slug, old), scenario_document(slug, new)
    if before is None or after is None:
        return None
    # Compared as written; each change named as the versions' translations name it.
    words = {
        **words_by_source(slug, old, before[1]),
        **words_by_source(slug, new, after[1]),
    }
    return changes_in_words(scenario_diff(before[0], after[0]), words)


def changes_in_words(diff: ScenarioDiff, words: dict[str, str] | None = None) -> dict[str, Any]:
    """The diff for a page: each change with the name of its kind, not its code, and its
    label in the reader's language where `words` ({source text: text}) has it."""
    words = words or {}
    kinds = {
        "role": _("Role"),
        "variable": _("Variable"),
        "action": _("Action"),
        "inject": _("Inject"),
        "rule": _("Rule"),
        "setting": _("Setting"),
    }

    parts = {
        "title": _("title"),
        "claims": _("claims"),
        "section": _("section"),
        "when": _("condition"),
        "chance": _("chance"),
        "effects": _("effects"),
        "fail_effects": _("effects on failure"),
        "outcomes": _("results"),
        "fail_outcomes": _("results on failure"),
        "event": _("event"),
        "explain": _("explanation"),
        "fail_explain": _("explanation on failure"),
        "label": _("label"),
        "description": _("description"),
        "targets": _("targets"),
        "start": _("starting value"),
        "briefing": _("briefing"),
        "objectives": _("objectives"),
        "name": _("name"),
        "turns": _("turns"),
        "action_budget": _("moves per turn"),
        "relation_cap": _("relation cap"),
    }

    def rows(changes):
        return [
            {
                "kind": kinds.get(c.kind, c.kind),
                "key": c.key,
                "label": words.get(c.label, c.label),
                "parts": [str(parts.get(p, p)) for p in c.parts],
                "effects_added": list(c.effects_added),
                "effects_removed": list(c.effects_removed),
            }
            for c in changes
        ]

    return {
        "empty": diff.empty,
        "added": rows(diff.added),
        "removed": rows(diff.removed),
        "changed": rows(diff.changed),
    }


def scenario_preview(raw: bytes | str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> dict[str, Any]:
    """What installing an upload would do, writing nothing: {"error"} naming the first bad
    field, or the document in words with `refusal` (another document already holds its
    slug+version) or `installed` (this very document is installed already)."""
    try:
        document, digest = parse_document(raw, max_bytes=max_bytes)
    except ScenarioError as exc:
        return {"error": localised(reason_of(exc))}
    slug, version = document["slug"], int(document["version"])
    refusal = release_conflict(document, digest)
    refusal = localised(refusal) if refusal else None
    row = Scenario.objects.filter(slug=slug, version=version).only("content_hash").first()
    if refusal is None and row is not None and row.content_hash != digest:
        refusal = _(
            "%(slug)s v%(version)s is already installed with another document. Games are "
            "pinned to it: bump the version."
        ) % {"slug": slug, "version": version}
    earlier = [v for v in _known_versions(slug) if v < version]
    previous = scenario_document(slug, earlier[-1]) if earlier else None
    changes = changes_in_words(scenario_diff(previous[0], document)) if previous else None
    return {
        "summary": scenario_summary(document),
        "content_hash": digest,
        "refusal": refusal,
        "installed": row is not None and row.content_hash == digest,
        "compared_with": earlier[-1] if earlier else None,
        "changes": changes,
    }


def _known_versions(slug: str) -> list[int]:
    installed = Scenario.objects.filter(slug=slug).values_list("version", flat=True)
    return sorted({*versions_of(slug), *installed})


# --- the create-game form ---------------------------------------------------------------


def scenario_choices() -> list[tuple[str, str]]:
    """(key "slug:version", label) of every version a game can be created with, newest
    version of each slug first."""
    out = []
    for entry in scenario_catalogue():
        for info in reversed(entry.versions):
            kind = _("released") if info.released else _("uploaded")
            out.append((info.key, f"{info.title} (v{info.version}, {kind})"))
    return out


def default_choice() -> str:
    """The key the create-game form starts with: the default scenario's latest release."""
    versions = versions_of(DEFAULT_SLUG)
    return f"{DEFAULT_SLUG}:{versions[-1]}" if versions else ""


def scenario_for_choice(key: str):
    """The engine's scenario for a form key, in the active language (the form names its
    roles), or None for a key that names nothing here."""
    slug, _sep, number = key.partition(":")
    if not number.isdigit():
        return None
    found = scenario_document(slug, int(number))
    if found is None:
        return None
    return presented_version(*found)


def default_roles() -> tuple[tuple[str, str], ...]:
    """The default scenario's roles, (slug, name in the active language) as the game pages
    name them: the forms that set something per role (bots, the lab's policies)."""
    scenario = scenario_for_choice(default_choice()) or load_scenario()
    return tuple((role["slug"], role["name"]) for role in scenario.roles)
