"""The doctrine bot's fast look-ahead is the full adjudication's answer, exactly: same
expected score and objectives for any move set, so the same moves and the same words."""

import itertools

import pytest

from wargame.bots import DoctrinePolicy, RandomPolicy, seat_moves
from wargame.bots.base import BotDice, SeatView
from wargame.bots.doctrine import _options
from wargame.bots.lookahead import FullLookahead, Lookahead, full_estimate
from wargame.engine import adjudicate
from wargame.engine.loader import load_scenario


def _states(scenario, seed, turns):
    """The states of a random-bot game: varied enough to fire most rules."""
    state = scenario.initial_state()
    out = [state]
    for _ in range(turns):
        moves = [
            m
            for role in scenario.role_slugs
            for m in seat_moves(RandomPolicy(), scenario, state, role, seed=seed)
        ]
        state = adjudicate(state, moves, seed=seed, scenario=scenario).state
        out.append(state)
    return out


@pytest.mark.parametrize("version", [1, 2])
def test_lookahead_equals_full_adjudication_for_every_move_set(version):
    """For states across two games, every role and every move set of one or two of its
    options: the fast estimate equals the full one (floats compared exactly)."""
    scenario = load_scenario("lips-and-teeth-2025", version)
    for game_seed in (3, 41):
        for state in _states(scenario, game_seed, 9)[::2]:
            for role in scenario.role_slugs:
                seeds = [7, 1234567, 2**53 - 1]
                ahead = Lookahead(scenario, state, role, seeds)
                view = SeatView(scenario, role, state, scenario.action_budget)
                options = [o.move(role) for o in _options(view)]
                sets = (
                    [[]]
                    + [[m] for m in options]
                    + list(map(list, itertools.combinations(options, 2)))
                )
                for moves in sets:
                    full = full_estimate(scenario, state, role, moves, seeds)
                    assert ahead.estimate(moves) == full, (role, moves)
                    if len(moves) == 1 and not ahead.matters(moves[0]):
                        assert full == full_estimate(scenario, state, role, [], seeds)


def test_doctrine_plays_what_full_adjudication_would_have_chosen():
    """Whole games of doctrine seats: the moves and rationales are those of doctrine by
    full adjudications, turn after turn."""
    scenario = load_scenario()
    fast, full = DoctrinePolicy(), DoctrinePolicy(lookahead=FullLookahead)
    for game_seed in (5, 77):
        state = scenario.initial_state()
        for _ in range(10):
            moves = []
            for role in scenario.role_slugs:
                view = SeatView(scenario, role, state, scenario.action_budget)
                dice = BotDice(game_seed, view.turn, role)
                chosen = fast.choose(view, dice)
                assert chosen == full.choose(view, dice)
                moves += chosen
            state = adjudicate(state, moves, seed=game_seed, scenario=scenario).state
