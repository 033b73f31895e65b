"""The log schema and the reader take exactly the limits the server writes with
(policy.limits), so every log this server exports imports again, and no more."""

from __future__ import annotations

import json

from wargame.engine.schemas import SCHEMA_DIR
from wargame.gamelog import reader
from wargame.policy import limits


def test_the_log_schema_repeats_the_shared_limits():
    """Rationales, messages, seat names, injects, overrides and effects: one set."""
    schema = json.loads((SCHEMA_DIR / "log.schema.json").read_text())
    turn = schema["properties"]["turns"]["items"]["properties"]
    moves = turn["moves"]["items"]["properties"]
    injects = turn["injects"]["items"]["properties"]
    overrides = turn["overrides"]["items"]["properties"]
    effect = schema["$defs"]["effect"]["properties"]
    assert moves["rationale"]["maxLength"] == limits.RATIONALE_CHARS
    assert turn["messages"]["items"]["properties"]["text"]["maxLength"] == limits.MESSAGE_CHARS
    name = schema["properties"]["roles"]["items"]["properties"]["name"]
    assert name["maxLength"] == limits.SEAT_NAMES_CHARS
    assert injects["label"]["maxLength"] == limits.INJECT_LABEL_CHARS
    assert injects["description"]["maxLength"] == limits.INJECT_DESCRIPTION_CHARS
    assert injects["effects"]["maxItems"] == limits.EFFECTS_PER_INJECT
    assert turn["injects"]["maxItems"] == limits.INJECTS_PER_TURN
    assert overrides["reason"]["maxLength"] == limits.OVERRIDE_REASON_CHARS
    assert overrides["effects"]["maxItems"] == limits.EFFECTS_PER_OVERRIDE
    assert effect["add"]["maximum"] == -effect["add"]["minimum"] == limits.EFFECT_MAGNITUDE
    assert reader.MAX_EFFECTS == limits.EFFECTS_PER_GAME


def test_a_rationale_over_the_limit_is_refused_on_import():
    """A 4,000-character rationale (the old importer's limit) is now refused at its path."""
    import pytest

    with pytest.raises(reader.LogError, match=r"turns\[0\].moves\[0\].rationale"):
        reader.check_log(
            {
                "format": "lips-and-teeth/log",
                "version": 1,
                "scenario": "lips-and-teeth-2025",
                "seed": 1,
                "turns": [
                    {
                        "number": 1,
                        "moves": [{"role": "seoul", "action": "hold", "rationale": "x" * 4000}],
                    }
                ],
            }
        )
