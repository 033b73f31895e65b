"""The pure rules engine: state in, moves in, seeded dice in; new state and reasons out.

Imports nothing of Django, Channels or Celery (tests/engine/test_purity.py proves it), so
it runs the same in a web process, a Celery worker, the CLI and a benchmark.
"""

from .adjudication import adjudicate, adjudicate_overridden, apply_override, override_seed
from .conditions import ScenarioError
from .dice import new_secret_seed, seed_from_text
from .rulesets import (
    CONSISTENT_OVERRIDES_RULESET,
    CURRENT_RULESET,
    RULESETS,
    BadSeed,
    UnknownRuleset,
    check_ruleset,
    check_seed,
    ruleset_of_seed,
)
from .scenario import Action, Scenario
from .scoring import scores
from .state import canonical_json, pair_key, state_hash
from .types import Adjudication, FiredRule, Move, MoveOutcome, Violation
from .validation import InvalidMoves, validate_addition, validate_move, validate_moves

__all__ = [
    "CONSISTENT_OVERRIDES_RULESET",
    "CURRENT_RULESET",
    "BadSeed",
    "check_seed",
    "new_secret_seed",
    "override_seed",
    "ruleset_of_seed",
    "seed_from_text",
    "RULESETS",
    "UnknownRuleset",
    "check_ruleset",
    "Action",
    "Adjudication",
    "FiredRule",
    "InvalidMoves",
    "Move",
    "MoveOutcome",
    "Scenario",
    "ScenarioError",
    "Violation",
    "adjudicate",
    "adjudicate_overridden",
    "apply_override",
    "canonical_json",
    "pair_key",
    "scores",
    "state_hash",
    "validate_addition",
    "validate_move",
    "validate_moves",
]
