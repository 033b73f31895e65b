"""Install a released scenario version as rows (the pinned document, roles, actions, rules).

A row is written once per (slug, version) and never changed: games point at it and are
adjudicated from its document, so editing a file in the repository cannot change the
rules of a game already created.
"""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction

from wargame.engine import Scenario as EngineScenario
from wargame.engine.loader import (
    DEFAULT_SLUG,
    load_document,
    pinned_scenario,
    scenario_for_document,
)
from wargame.errors import BadInput
from wargame.models import ActionDef, Role, RuleDef, Scenario


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
            f"Scenario {slug} v{version} is already installed with another document "
            f"(sha256 {existing.content_hash}, this one {content_hash}). Games are pinned "
            f"to it; bump the version to release a changed scenario.",
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
