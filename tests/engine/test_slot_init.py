"""The engine's value types built by slot_init's __init__ are the objects the dataclass
made: same fields and defaults, equal, hashable, still frozen; the wrong call still fails."""

import dataclasses

import pytest

from wargame.engine.slot_init import slot_init
from wargame.engine.types import Adjudication, FiredRule, Move, MoveOutcome


def test_values_keep_their_fields_defaults_equality_and_hash():
    move = Move("seoul", "hold")
    assert (move.role, move.action, move.target, move.rationale) == ("seoul", "hold", None, "")
    assert Move(role="seoul", action="hold") == move and hash(Move("seoul", "hold")) == hash(move)
    fired = FiredRule("r", "Title", ("c",), "I.1", "why", roll=3, changes=(("tension", 2),))
    assert dataclasses.asdict(fired) == {
        "rule": "r",
        "title": "Title",
        "claims": ("c",),
        "section": "I.1",
        "explanation": "why",
        "succeeded": True,
        "roll": 3,
        "chance": None,
        "changes": (("tension", 2),),
        "event": None,
    }
    outcome = MoveOutcome("seoul", "hold", None, "held", "Held.")
    assert (outcome.rules, outcome.claims) == ((), ())
    done = Adjudication(1, {}, (outcome,), (fired,), {}, {}, "h")
    assert done.events == () and dataclasses.replace(done, turn=2).turn == 2
    assert repr(move) == "Move(role='seoul', action='hold', target=None, rationale='')"


def test_values_stay_frozen_and_refuse_a_wrong_call():
    move = Move("seoul", "hold")
    with pytest.raises(dataclasses.FrozenInstanceError):
        move.role = "moscow"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Move("seoul")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Move("seoul", "hold", colour="red")  # type: ignore[call-arg]


def test_slot_init_refuses_a_class_it_cannot_speed_up():
    @dataclasses.dataclass
    class Loose:
        name: str

    with pytest.raises(TypeError):
        slot_init(Loose)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        items: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        slot_init(Listed)
