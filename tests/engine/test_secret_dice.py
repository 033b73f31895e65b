"""Issue 9, item 1: a seat that sees the rolls cannot recover the dice seed.

Every seat sees each chance rule's roll in `turn.resolved` and `/history`. Under ruleset 1
(sha256 of an integer seed) that is enough to find the seed by trying every candidate;
here the search is bounded to a small space so the test is quick, and it must find the
seed of a ruleset-1 game in it. The same search finds nothing for a ruleset-2 game,
whose seed is one of 2**128 and whose dice are HMAC-SHA256 keyed by it.
"""

from __future__ import annotations

import pytest

from wargame.bots import bot_moves
from wargame.engine import adjudicate, dice, new_secret_seed

SPACE = 2**12  # a bounded stand-in for the 2**31 seeds of ruleset 1
PLAYERS = 44  # the seats' choices, made by the bot chooser (4 chance rules in turn 1)


def seen_rolls(scenario, start_state, seed) -> list[tuple[int, str, int]]:
    """Two turns of play; every (turn, rule, roll) a seat reads in turn.resolved."""
    state, seen = start_state, []
    for _ in range(2):
        moves = [
            m
            for role in scenario.role_slugs
            for m in bot_moves(scenario, state, role, seed=PLAYERS)
        ]
        result = adjudicate(state, moves, seed=seed, scenario=scenario)
        seen += [(result.turn, r.rule, r.roll) for r in result.fired_rules if r.roll is not None]
        state = result.state
    return seen


def search(seen, candidates) -> list:
    return [
        c
        for c in candidates
        if all(dice.roll_percent(c, t, rule) == roll for t, rule, roll in seen)
    ]


def test_the_ruleset_1_search_finds_a_ruleset_1_seed_in_its_space(scenario, start_state):
    """The attack the issue describes works on ruleset 1: the rolls of two turns single
    out the seed among all the candidates."""
    secret = 2741
    seen = seen_rolls(scenario, start_state, secret)
    assert len(seen) >= 4
    assert search(seen, range(SPACE)) == [secret]


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_search_finds_nothing_for_a_ruleset_2_game(scenario, start_state, attempt):
    """Under ruleset 2 no integer seed of the space, nor a 128-bit seed built from one,
    reproduces the rolls a seat saw; and the seed is 128 bits from the CSPRNG."""
    secret = new_secret_seed()
    assert dice.is_secret_seed(secret) and len(bytes.fromhex(secret)) * 8 == 128
    seen = seen_rolls(scenario, start_state, secret)
    assert len(seen) >= 4
    assert search(seen, range(SPACE)) == []
    assert search(seen, (f"{i:032x}" for i in range(SPACE))) == []


def test_secret_seeds_are_fresh_and_their_rolls_differ_from_ruleset_1s():
    """Two new games never share a seed; the HMAC dice are not the old sha256 dice of
    the same digits."""
    seeds = {new_secret_seed() for _ in range(100)}
    assert len(seeds) == 100
    key = "0" * 31 + "7"
    rolls_2 = [dice.roll_percent(key, t, f"r{t}") for t in range(1, 20)]
    rolls_1 = [dice.roll_percent(7, t, f"r{t}") for t in range(1, 20)]
    assert rolls_2 != rolls_1


def test_ruleset_1_dice_are_exactly_the_old_sha256():
    """Old games keep their dice: the integer seed's roll is sha256("seed|turn|rule|salt")."""
    import hashlib

    digest = hashlib.sha256(b"20250314|3|c13_hasty_embrace_provokes_us|").digest()
    expected = int.from_bytes(digest[:8], "big") % 100
    assert dice.roll_percent(20250314, 3, "c13_hasty_embrace_provokes_us") == expected
