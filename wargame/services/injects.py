"""Facilitator injects: a scenario event, or a free-form one with effects of their choosing.

An inject is announced at once and takes effect when the open turn resolves (the engine
applies it before the rules), so it is part of the turn's adjudication and of the log.
"""

from __future__ import annotations

from django.db import transaction

from wargame import policy, realtime
from wargame.engine import ScenarioError
from wargame.engine.conditions import compile_effect
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, WrongPhase, state_word
from wargame.models import Game, Inject, Override, Turn
from wargame.policy import limits
from wargame.policy.text import fault_in

from . import phases
from .events import event_append
from .locks import game_for_update
from .scenarios import engine_scenario


def inject_apply(
    *,
    game_id: int,
    inject_id: str | None = None,
    label: str = "",
    description: str = "",
    effects: list[dict] | None = None,
    audience: list[str] | None = None,
) -> Inject:
    fault = fault_in(
        inject=inject_id, label=label, description=description, effects=effects, audience=audience
    )
    if fault:
        raise BadInput(fault, code="bad_text")
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.status not in (Game.Status.RUNNING, Game.Status.PAUSED):
            raise WrongPhase(
                "The game is %(status)s; injects need a running game.",
                status=state_word(game.status),
            )
        turn = phases.open_turn_of(game)
        if turn is None or turn.status != Turn.Status.OPEN:
            raise WrongPhase("No open turn to inject into; wait for the next turn to open.")
        scenario = engine_scenario(game.scenario)
        roles = set(scenario.role_slugs)
        who = audience or [policy.EVERYONE]
        bad = [w for w in who if w not in roles | {policy.EVERYONE}]
        if bad:
            raise BadInput("Unknown audience %(bad)s.", bad=repr(bad[0]), code="bad_audience")
        _check_limits(game, turn, label, description, effects)
        if effects is None:
            if not inject_id or inject_id not in scenario.injects:
                known = ", ".join(sorted(scenario.injects))
                raise BadInput(
                    "Unknown inject %(inject_id)s. Scenario injects: %(known)s; or give effects.",
                    inject_id=repr(inject_id),
                    known=known,
                    code="unknown_inject",
                )
            spec = scenario.injects[inject_id]
            label, description = label or spec.label, description or spec.description
        else:
            inject_id = inject_id or f"custom-{Inject.objects.filter(game=game).count() + 1}"
            if not label:
                raise BadInput("A free-form inject needs a label.", code="bad_inject")
            known_vars = scenario.known_vars()
            try:
                for i, effect in enumerate(effects):
                    compile_effect(effect, f"effects[{i}]", known_vars)
            except ScenarioError as exc:
                raise BadInput(reason_of(exc), code="bad_effect") from exc
        if Inject.objects.filter(turn=turn, inject_id=inject_id).exists():
            raise BadInput(
                "%(inject_id)s is already injected this turn.",
                inject_id=repr(inject_id),
                code="duplicate",
            )
        inject = Inject.objects.create(
            game=game,
            turn=turn,
            inject_id=inject_id,
            label=label,
            description=description,
            effects=effects,
            audience=who,
        )
        event_append(
            game=game,
            type=realtime.INJECT_APPLIED,
            turn=turn.number,
            data={"id": inject_id, "label": inject.label, "description": description},
            audience=who,
        )
        return inject


def game_effects_used(game: Game) -> int:
    """Free-form effects the game's log already holds (injects' and overrides')."""
    rows = [
        *Inject.objects.filter(game=game).exclude(effects=None).values_list("effects", flat=True)
    ]
    rows += list(Override.objects.filter(turn__game=game).values_list("effects", flat=True))
    return sum(len(r or ()) for r in rows)


def _check_limits(game, turn, label: str, description: str, effects) -> None:
    """The shared limits (policy.limits), so the game's own log always imports again."""
    if len(label) > limits.INJECT_LABEL_CHARS:
        raise BadInput(
            "The label is %(count)s characters; the limit is %(limit)s.",
            count=len(label),
            limit=limits.INJECT_LABEL_CHARS,
            code="too_long",
        )
    if len(description) > limits.INJECT_DESCRIPTION_CHARS:
        raise BadInput(
            "The description is %(count)s characters; the limit is %(limit)s.",
            count=len(description),
            limit=limits.INJECT_DESCRIPTION_CHARS,
            code="too_long",
        )
    if Inject.objects.filter(turn=turn).count() >= limits.INJECTS_PER_TURN:
        raise BadInput(
            "This turn already has %(limit)s injects, the limit per turn.",
            limit=limits.INJECTS_PER_TURN,
            code="too_many",
        )
    if effects is None:
        return
    problem = limits.effects_problem(effects, most=limits.EFFECTS_PER_INJECT) or (
        limits.game_effects_problem(game_effects_used(game), len(effects))
    )
    if problem:
        raise BadInput("Inject refused: %(problem)s.", problem=problem, code="over_limit")
