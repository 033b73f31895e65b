"""Install a scenario file as rows (roles, actions, rules) so admins and pages can see it."""

from __future__ import annotations

from django.db import transaction

from wargame.engine import Scenario as EngineScenario
from wargame.engine.loader import DEFAULT_SLUG, load_scenario
from wargame.models import ActionDef, Role, RuleDef, Scenario


def scenario_install(*, slug: str = DEFAULT_SLUG) -> Scenario:
    """Idempotent: the (slug, version) row is created once, with its roles, actions, rules."""
    engine = load_scenario(slug)
    existing = Scenario.objects.filter(slug=engine.slug, version=engine.version).first()
    if existing:
        return existing
    with transaction.atomic():
        row = Scenario.objects.create(
            slug=engine.slug, version=engine.version, title=engine.title, document=engine.raw
        )
        _install_parts(row, engine)
    return row


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
    """The engine's view of a scenario row (cached by the loader per slug)."""
    return load_scenario(row.slug)
