"""Bot policies: `random` keeps today's bots draw for draw; `doctrine` pursues its role's
objectives and says why; `scripted` plays its script and holds otherwise."""

import json
from pathlib import Path

import pytest

from wargame.bots import (
    DoctrinePolicy,
    RandomPolicy,
    ScriptedPolicy,
    UnknownPolicy,
    make_policy,
    parse_bot_specs,
    seat_moves,
)
from wargame.engine import Move, adjudicate, validate_moves
from wargame.engine.loader import load_scenario

RECORDED = json.loads((Path(__file__).parent / "random_bot_moves.json").read_text())


@pytest.mark.parametrize(
    "game", RECORDED["games"], ids=lambda g: f"v{g['scenario_version']}-{g['seed']}"
)
def test_random_policy_chooses_the_moves_bots_chose_before_policies(game):
    """Ten turns of every role's `random` moves equal the moves engine.bots.bot_moves
    chose for the same seed, budget and states (recorded before the change), and the
    game ends in the same state."""
    scenario = load_scenario("lips-and-teeth-2025", game["scenario_version"])
    state = scenario.initial_state()
    policy = RandomPolicy()
    for recorded in game["turns"]:
        moves = [
            m
            for role in scenario.role_slugs
            for m in seat_moves(
                policy, scenario, state, role, seed=game["seed"], budget=game["budget"]
            )
        ]
        assert [m.to_dict() for m in moves] == recorded
        state = adjudicate(
            state, moves, seed=game["seed"], scenario=scenario, budget=game["budget"]
        ).state
    assert state == game["final_state"]


def test_doctrine_moves_are_legal_reasoned_and_reproducible():
    """Every role's doctrine moves are legal, within budget, explained in words (the role,
    the options weighed, the expected score against holding, an objective's label), and
    the same seed gives the same moves."""
    scenario = load_scenario()
    state = scenario.initial_state()
    for role in scenario.role_slugs:
        moves = seat_moves(DoctrinePolicy(), scenario, state, role, seed=11)
        assert moves == seat_moves(DoctrinePolicy(), scenario, state, role, seed=11)
        assert 1 <= len(moves) <= scenario.action_budget
        assert validate_moves(scenario, moves) == []
        name = scenario.role_names()[role]
        labels = [o["label"] for o in scenario.role(role)["objectives"]]
        for move in moves:
            assert move.rationale.startswith(f"Doctrine for {name}: weighed ")
            assert "by holding" in move.rationale
            assert any(label in move.rationale for label in labels)
            assert move.action not in move.rationale  # words, not codes


def test_doctrine_beats_holding_on_its_own_expected_score():
    """The doctrine bot's choice scores better for its role than holding, on average over
    dice it never saw (other roles holding): it pursues its objectives."""
    scenario = load_scenario()
    state = scenario.initial_state()
    for role in ("seoul", "washington"):
        moves = seat_moves(DoctrinePolicy(), scenario, state, role, seed=5)
        chosen = held = 0.0
        for seed in range(100, 140):
            chosen += adjudicate(state, moves, seed=seed, scenario=scenario).scores[role]
            held += adjudicate(state, [], seed=seed, scenario=scenario).scores[role]
        assert chosen > held


def test_scripted_policy_plays_its_turns_and_holds_or_defers_otherwise():
    """A script's moves for its role on the turns it names; a hold on the others, or the
    fallback policy's moves when one is given."""
    scenario = load_scenario()
    script = {
        "turns": [
            {
                "number": 1,
                "moves": [
                    {
                        "role": "beijing",
                        "action": "host_summit_pyongyang",
                        "target": "pyongyang",
                        "rationale": "Xi-Kim summit",
                    }
                ],
            },
            {"number": 2, "moves": [{"role": "seoul", "action": "consult_washington"}]},
        ]
    }
    state = scenario.initial_state()
    scripted = make_policy("scripted", role="beijing", script=script)
    assert seat_moves(scripted, scenario, state, "beijing", seed=1) == [
        Move("beijing", "host_summit_pyongyang", "pyongyang", "Xi-Kim summit")
    ]
    after = dict(state, turn=1)
    assert seat_moves(scripted, scenario, after, "beijing", seed=1) == []
    mixed = make_policy("random", role="beijing", script=script)
    assert isinstance(mixed, ScriptedPolicy)
    assert seat_moves(mixed, scenario, after, "beijing", seed=1) == seat_moves(
        RandomPolicy(), scenario, after, "beijing", seed=1
    )


def test_bot_specs_keep_the_old_form_and_name_what_is_wrong():
    """`seoul=doctrine,moscow`: moscow alone plays random; a bad policy or role is named."""
    roles = load_scenario().role_slugs
    assert parse_bot_specs("seoul=doctrine, moscow", roles) == {
        "seoul": "doctrine",
        "moscow": "random",
    }
    assert parse_bot_specs("", roles) == {}
    with pytest.raises(UnknownPolicy, match="'clever'"):
        parse_bot_specs("seoul=clever", roles)
    with pytest.raises(UnknownPolicy, match="'tokyo'"):
        parse_bot_specs("tokyo", roles)
    with pytest.raises(UnknownPolicy, match="script"):
        make_policy("scripted", role="seoul")


def test_a_seats_dice_are_the_engines_dice_under_the_seats_name():
    """BotDice builds its message once; every throw is still dice.roll_between of
    (seed, turn, "bot:<role>:<name>"), for both seed forms, and the seed stays out of its
    repr."""
    from wargame.bots import BotDice
    from wargame.engine import dice

    for seed in (7, 2**53 - 1, "0123456789abcdef0123456789abcdef"):
        seat = BotDice(seed, 3, "seoul")
        for name, low, high in (("count", 0, 2), ("1", 0, 8), ("0:t", 0, 3), ("x", 5, 5)):
            expected = dice.roll_between(seed, 3, f"bot:seoul:{name}", low, high)
            assert seat.between(name, low, high) == expected
        assert str(seed) not in repr(seat)
