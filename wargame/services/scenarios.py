"""Install a scenario version as rows (the pinned document, roles, actions, rules): a
released file, or a document a staff member uploaded on /scenarios/.

A row is written once per (slug, version) and never changed: games point at it and are
adjudicated from its document, so editing a file in the repository cannot change the
rules of a game already created. `scenario_loader` finds a version for a log on this
server: its installed row first (uploaded versions exist only there), then the files.
"""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction

from wargame.engine import Scenario as EngineScenario
from wargame.engine import ScenarioError
from wargame.engine.loader import (
    DEFAULT_SLUG,
    MAX_UPLOAD_BYTES,
    UnknownScenario,
    load_document,
    load_scenario,
    parse_document,
    pinned_scenario,
    release_conflict,
    scenario_for_document,
    versions_of,
)
from wargame.engine.reasons import Reason, reason_of
from wargame.errors import BadInput, TooLarge
from wargame.models import ActionDef, Role, RuleDef, Scenario
from wargame.policy.text import tree_fault


def scenario_install(*, slug: str = DEFAULT_SLUG, version: int | None = None) -> Scenario:
    """Idempotent: the released version (the latest without `version`) as its row."""
    document, digest = load_document(slug, version)
    return scenario_install_document(document=document, content_hash=digest)


def scenario_install_document(*, document: dict, content_hash: str) -> Scenario:
    """The row for this exact document; refuses another document under its slug+version."""
    slug, version = document["slug"], int(document["version"])
    existing = Scenario.objects.filter(slug=slug, version=version).first()
    if existing is None:
        engine = scenario_for_document(document, content_hash)
        try:
            with transaction.atomic():
                row = Scenario.objects.create(
                    slug=slug,
                    version=version,
                    title=engine.title,
                    document=document,
                    document_text=json.dumps(document, ensure_ascii=False),
                    content_hash=content_hash,
                )
                _install_parts(row, engine)
            return row
        except IntegrityError:  # installed by a concurrent request a moment ago
            existing = Scenario.objects.get(slug=slug, version=version)
    if existing.content_hash != content_hash:
        raise BadInput(
            "Scenario %(slug)s v%(version)s is already installed with another "
            "document (sha256 %(installed)s, this one %(given)s). Games "
            "are pinned to it; bump the version (to v%(next_version)s) to install a "
            "changed scenario.",
            slug=slug,
            version=version,
            installed=existing.content_hash,
            given=content_hash,
            next_version=next_version(slug),
            code="scenario_changed",
        )
    return existing


def _install_parts(row: Scenario, engine: EngineScenario) -> None:
    roles = {}
    for order, spec in enumerate(engine.roles):
        roles[spec["slug"]] = Role.objects.create(
            scenario=row,
            slug=spec["slug"],
            name=spec["name"],
            stands_for=spec.get("stands_for", ""),
            briefing=spec["briefing"],
            objectives=spec["objectives"],
            order=order,
        )
    ActionDef.objects.bulk_create(
        ActionDef(
            scenario=row,
            role=roles[a.role],
            code=a.code,
            label=a.label,
            description=a.description,
            targets=list(a.targets),
        )
        for a in engine.actions.values()
    )
    RuleDef.objects.bulk_create(
        RuleDef(
            scenario=row,
            rule_id=r.id,
            title=r.title,
            claims=list(r.claims),
            section=r.section,
            explanation=r.explanation,
            order=i,
        )
        for i, r in enumerate(engine.rules)
    )


def engine_scenario(row: Scenario) -> EngineScenario:
    """The engine's view of the document a game pinned (built once per content hash)."""
    return pinned_scenario(row)


def scenario_upload(
    *, raw: bytes | str, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[Scenario, bool]:
    """An uploaded document checked (size, JSON, schema, engine) and installed as its
    pinned row: (row, created). Installing the same document again is harmless (created
    False); another document under a released or installed slug+version is refused
    (BadInput, "bump the version"), as is a bad one (BadInput naming the first bad
    field) or one over `max_bytes` (TooLarge). A refusal writes nothing."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise TooLarge(
            "The document is %(size)s bytes or more; scenarios are limited to %(max_bytes)s.",
            size=size,
            max_bytes=max_bytes,
        )
    try:
        document, digest = parse_document(raw, max_bytes=max_bytes)
    except ScenarioError as exc:
        raise BadInput(reason_of(exc), code="bad_scenario") from exc
    fault = tree_fault(document)
    if fault:
        raise BadInput(fault, code="bad_text")
    conflict = release_conflict(document, digest)
    if conflict:
        raise BadInput(
            "%(conflict)s Save it as v%(next_version)s.",
            conflict=conflict,
            next_version=next_version(document["slug"]),
            code="scenario_changed",
        )
    before = Scenario.objects.filter(content_hash=digest).exists()
    row = scenario_install_document(document=document, content_hash=digest)
    return row, not before


def next_version(slug: str) -> int:
    """The first version number neither released nor installed for `slug`."""
    installed = Scenario.objects.filter(slug=slug).values_list("version", flat=True)
    return max([0, *versions_of(slug), *installed]) + 1


def scenario_loader(slug: str, version: int) -> EngineScenario:
    """The gamelog reader's loader on this server: the installed row of (slug, version)
    first (uploaded versions live only there), else the released file."""
    row = Scenario.objects.filter(slug=slug, version=version).first()
    if row is not None:
        return pinned_scenario(row)
    if not versions_of(slug) and Scenario.objects.filter(slug=slug).exists():
        known = Scenario.objects.filter(slug=slug).order_by("version")
        exc = UnknownScenario(
            Reason(
                "Scenario %(slug)s has no version %(number)s; it has %(known)s.",
                slug=repr(slug),
                number=version,
                known=", ".join(str(r.version) for r in known),
            )
        )
        exc.where = "$.scenario_version"  # the slug is known here, the version is not
        raise exc
    return load_scenario(slug, version)


def installed_row(slug: str, version: int | None) -> Scenario | None:
    """The row a new game of `slug` pins when the slug has no released file for it: the
    installed `version`, or with None the newest installed one."""
    rows = Scenario.objects.filter(slug=slug)
    if version is not None:
        return rows.filter(version=version).first()
    return rows.order_by("-version").first()
