"""Bot policies as plug-ins (pure: the engine, nothing of Django, Channels or Celery).

A policy turns what a seat may see into moves with rationales: `random` (today's legal
random moves, kept draw for draw), `doctrine` (a one-step look-ahead on the role's
expected score) and `scripted` (the moves of a log script). A game stores the policy of
each bot seat; the Monte Carlo runner (`runner`) gives one to each role of every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wargame.engine import Move, Scenario
from wargame.engine.dice import Seed

from .base import BotDice, Policy, SeatView, seat_moves
from .doctrine import DoctrinePolicy
from .random_legal import RandomPolicy
from .scripted import ScriptedPolicy

DEFAULT_POLICY = "random"
POLICY_NAMES = ("random", "doctrine", "scripted")


class UnknownPolicy(ValueError):
    """A policy name this server does not know, or a scripted seat without its script."""


def make_policy(name: str, *, role: str = "", script: Mapping[str, Any] | None = None) -> Policy:
    """The policy called `name` for `role`. With a `script` (a log or script document),
    the script's moves of `role` are played on the turns that give it any, and the named
    policy plays the other turns; `scripted` alone holds on them."""
    if name not in POLICY_NAMES:
        raise UnknownPolicy(f"unknown bot policy {name!r}; policies are {', '.join(POLICY_NAMES)}")
    if name == "scripted" and script is None:
        raise UnknownPolicy("a scripted seat needs a script (a log or script document)")
    otherwise: Policy | None = None
    if name == "random":
        otherwise = RandomPolicy()
    elif name == "doctrine":
        otherwise = DoctrinePolicy()
    if script is None:
        assert otherwise is not None
        return otherwise
    return ScriptedPolicy.from_document(script, role, otherwise=otherwise)


def bot_moves(
    scenario: Scenario, state: dict[str, Any], role: str, *, seed: Seed, budget: int | None = None
) -> list[Move]:
    """`random`'s moves for `role` in the turn after `state`: what every bot played before
    policies existed (formerly engine.bots.bot_moves, draw for draw)."""
    return seat_moves(RandomPolicy(), scenario, state, role, seed=seed, budget=budget)


def parse_bot_specs(text: str, roles: tuple[str, ...] | None = None) -> dict[str, str]:
    """`seoul=doctrine,moscow` as {role: policy}: a role alone plays `random` (the form
    every earlier `--bots ROLE,...` used). Raises UnknownPolicy naming the bad part; the
    roles are checked against `roles` when given."""
    specs: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        role, _, name = part.partition("=")
        role, name = role.strip(), (name.strip() or DEFAULT_POLICY)
        if roles is not None and role not in roles:
            raise UnknownPolicy(f"unknown role {role!r}; roles are {', '.join(roles)}")
        if name not in POLICY_NAMES:
            raise UnknownPolicy(
                f"unknown bot policy {name!r} for {role}; policies are {', '.join(POLICY_NAMES)}"
            )
        if role in specs:
            raise UnknownPolicy(f"{role} is named twice")
        specs[role] = name
    return specs


__all__ = [
    "DEFAULT_POLICY",
    "POLICY_NAMES",
    "BotDice",
    "DoctrinePolicy",
    "Policy",
    "RandomPolicy",
    "ScriptedPolicy",
    "SeatView",
    "UnknownPolicy",
    "bot_moves",
    "make_policy",
    "parse_bot_specs",
    "seat_moves",
]
