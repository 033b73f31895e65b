"""One set of limits for every way text and effects come in: the API schemas, the pages'
forms, the services and the log importer (the log schema repeats these numbers; a test
holds them equal). Chosen so that any log this server exports imports again: what a
service accepts, the importer accepts; an inject of `add: 2**70` is refused at the door
instead of making the game's own log fail `replay --verify`.
"""

from __future__ import annotations

from typing import Any

RATIONALE_CHARS = 2000
MESSAGE_CHARS = 4000
NAME_CHARS = 80
# A log's roles[].name holds the names of everyone on the seat, joined by ", ".
SEAT_NAMES_CHARS = 2000
INJECT_LABEL_CHARS = 200
INJECT_DESCRIPTION_CHARS = 4000
OVERRIDE_REASON_CHARS = 4000
EFFECTS_PER_INJECT = 30
EFFECTS_PER_OVERRIDE = 100
INJECTS_PER_TURN = 50
# Free-form effects (injects' and overrides') in a whole game: each costs replay work.
EFFECTS_PER_GAME = 500
EFFECT_MAGNITUDE = 1000


def effects_problem(effects: list[Any], *, most: int) -> str | None:
    """Why these free-form effects exceed a limit (None when they do not); the meaning of
    each effect (known variable, kind) is the engine's to check."""
    if not isinstance(effects, list):
        return "effects must be a list"
    if len(effects) > most:
        return f"{len(effects)} effects; the limit is {most} per item"
    for i, effect in enumerate(effects):
        if not isinstance(effect, dict):
            continue
        for kind in ("add", "set", "add_roll"):
            value = effect.get(kind)
            numbers = value if kind == "add_roll" and isinstance(value, list) else [value]
            for number in numbers:
                if isinstance(number, int) and abs(number) > EFFECT_MAGNITUDE:
                    return (
                        f"effects[{i}].{kind}: {number} is beyond the limit of "
                        f"{EFFECT_MAGNITUDE} either way"
                    )
    return None


def game_effects_problem(used: int, adding: int) -> str | None:
    if used + adding > EFFECTS_PER_GAME:
        return (
            f"the game already has {used} free-form effects; the limit is {EFFECTS_PER_GAME} "
            "per game (its log must replay)"
        )
    return None
