"""Value types the engine takes and returns: plain, frozen, JSON-friendly."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .slot_init import slot_init

# Move results are named codes, never free strings scattered about the code.
HELD = "held"
SUCCEEDED = "succeeded"
FAILED = "failed"
UNANSWERED = "unanswered"
NO_EFFECT = "no_effect"
BLOCKED = "blocked"
PARTIAL = "partial"
RESULT_CODES = (HELD, SUCCEEDED, FAILED, UNANSWERED, NO_EFFECT, BLOCKED, PARTIAL)


@slot_init
@dataclass(frozen=True, slots=True)
class Move:
    """One secret move of one role for one turn."""

    role: str
    action: str
    target: str | None = None
    rationale: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Move:
        return cls(
            role=str(data.get("role", "")),
            action=str(data.get("action", "")),
            target=data.get("target") or None,
            rationale=str(data.get("rationale") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "action": self.action,
            "target": self.target,
            "rationale": self.rationale,
        }


@dataclass(frozen=True, slots=True)
class Violation:
    """Why a move was refused: a named code plus a sentence a person can act on."""

    code: str
    message: str
    role: str = ""
    action: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@slot_init
@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule (or engine mechanic) that changed something this turn, and why."""

    rule: str
    title: str
    claims: tuple[str, ...]
    section: str
    explanation: str
    succeeded: bool = True
    roll: int | None = None
    chance: int | None = None
    changes: tuple[tuple[str, Any], ...] = ()
    event: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FiredRule:
        return cls(
            rule=data["rule"],
            title=data["title"],
            claims=tuple(data["claims"]),
            section=data["section"],
            explanation=data["explanation"],
            succeeded=data["succeeded"],
            roll=data["roll"],
            chance=data["chance"],
            changes=tuple((c["var"], c["change"]) for c in data["changes"]),
            event=data["event"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "claims": list(self.claims),
            "section": self.section,
            "explanation": self.explanation,
            "succeeded": self.succeeded,
            "roll": self.roll,
            "chance": self.chance,
            "changes": [{"var": var, "change": change} for var, change in self.changes],
            "event": self.event,
        }


@slot_init
@dataclass(frozen=True, slots=True)
class MoveOutcome:
    """What happened to one move, with the rules that decided it."""

    role: str
    action: str
    target: str | None
    result: str
    reason: str
    rules: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MoveOutcome:
        return cls(
            role=data["role"],
            action=data["action"],
            target=data["target"],
            result=data["result"],
            reason=data["reason"],
            rules=tuple(data["rules"]),
            claims=tuple(data["claims"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "action": self.action,
            "target": self.target,
            "result": self.result,
            "reason": self.reason,
            "rules": list(self.rules),
            "claims": list(self.claims),
        }


@slot_init
@dataclass(frozen=True, slots=True)
class Adjudication:
    """Everything one turn produced: the new state and the story of how."""

    turn: int
    state: dict[str, Any]
    outcomes: tuple[MoveOutcome, ...]
    fired_rules: tuple[FiredRule, ...]
    narrative: dict[str, str]
    scores: dict[str, float]
    state_hash: str
    events: tuple[str, ...] = field(default=())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Adjudication:
        """Rebuild a stored adjudication (e.g. to apply an umpire's override to it)."""
        return cls(
            turn=data["turn"],
            state=data["state"],
            outcomes=tuple(MoveOutcome.from_dict(o) for o in data["outcomes"]),
            fired_rules=tuple(FiredRule.from_dict(r) for r in data["fired_rules"]),
            narrative=dict(data["narrative"]),
            scores=dict(data["scores"]),
            state_hash=data["state_hash"],
            events=tuple(data.get("events", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "state": self.state,
            "outcomes": [o.to_dict() for o in self.outcomes],
            "fired_rules": [r.to_dict() for r in self.fired_rules],
            "narrative": dict(self.narrative),
            "scores": dict(self.scores),
            "state_hash": self.state_hash,
            "events": list(self.events),
        }
