"""A digest of 400 bot games pins every result the engine gives, so a faster engine is
the same engine.

Recorded on the code before the 2026-12-04 speed-up (issue 13's benchmark): every move
the random bots chose, every outcome, fired rule (with its rolls and changes), narrative,
score, state and state hash, over every scenario version kept, both seed forms (ruleset
1's integers and the secret seeds of rulesets 2 to 4), injects, budgets of 1 to 3 and a
few doctrine seats (whose look-ahead runs the engine too). Any change in any of them
changes the digest; a deliberate change of behaviour is a new ruleset, never a new digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from wargame.bots import DoctrinePolicy, RandomPolicy, seat_moves
from wargame.engine import adjudicate
from wargame.engine.loader import load_scenario

GAME_TURNS = 10
SCENARIOS = (("lips-and-teeth-2025", 1), ("lips-and-teeth-2025", 2), ("gyeongju-rehearsal", 1))
DIGEST = "e1d2efcde926f2e5031281c8e79add81001f2797843ef8a0ad1a1f5055a6e048"


def _secret(n: int) -> str:
    return hashlib.sha256(f"digest-{n}".encode()).hexdigest()[:32]


def _games():
    """(scenario, seed, ruleset, budget, injects by turn, doctrine roles) of each game."""
    for index in range(400):
        slug, version = SCENARIOS[index % len(SCENARIOS)]
        scenario = load_scenario(slug, version)
        if index % 2 == 0:
            seed, ruleset = index + 1, 1
        else:
            seed, ruleset = _secret(index), 2 + index // 2 % 3
        budget = (None, 1, 3)[index % 7 % 3] if index % 5 == 0 else None
        injects = {}
        if index % 4 == 1 and scenario.injects:
            ids = sorted(scenario.injects)
            injects = {2 + index % 5: [ids[index % len(ids)]], 7: [ids[(index // 4) % len(ids)]]}
        roles = scenario.role_slugs
        doctrine = (roles[index % len(roles)],) if index % 40 == 3 else ()
        yield scenario, seed, ruleset, budget, injects, doctrine


def _record(digest, value) -> None:
    digest.update(json.dumps(value, sort_keys=True, ensure_ascii=True).encode("ascii"))
    digest.update(b"\n")


def test_four_hundred_bot_games_give_the_recorded_digest():
    digest = hashlib.sha256()
    random, doctrine_policy = RandomPolicy(), DoctrinePolicy()
    for scenario, seed, ruleset, budget, injects, doctrine in _games():
        state = scenario.initial_state()
        for turn in range(1, GAME_TURNS + 1):
            moves = [
                move
                for role in scenario.role_slugs
                for move in seat_moves(
                    doctrine_policy if role in doctrine else random,
                    scenario,
                    state,
                    role,
                    seed=seed,
                    budget=budget,
                )
            ]
            result = adjudicate(
                state,
                moves,
                seed=seed,
                scenario=scenario,
                injects=injects.get(turn, ()),
                budget=budget,
                ruleset=ruleset,
            )
            _record(digest, [m.to_dict() for m in moves])
            _record(digest, [asdict(o) for o in result.outcomes])
            _record(digest, [asdict(r) for r in result.fired_rules])
            _record(digest, [result.turn, result.narrative, result.scores, result.state])
            _record(digest, [result.state_hash, list(result.events)])
            state = result.state
    assert digest.hexdigest() == DIGEST
