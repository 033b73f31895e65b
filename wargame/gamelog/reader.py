"""Game logs (format "lips-and-teeth/log", versions 1 and 2): read, check, re-adjudicate.

Pure Python on top of the rules engine, so `replay --verify`, `import_game`, the API and
the benchmarks share one reader. Reading is strict: JSON Schema first, then meaning
(known roles and actions, turn order, budgets), and every refusal names the JSON path
of the first bad field. See docs/log-format.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wargame.engine import (
    Adjudication,
    BadSeed,
    InvalidMoves,
    Move,
    Scenario,
    ScenarioError,
    UnknownRuleset,
    adjudicate_overridden,
    check_ruleset,
    check_seed,
    validate_moves,
)
from wargame.engine.loader import UnknownScenario, load_scenario, versions_of
from wargame.engine.reasons import Reason, at, reason_of
from wargame.engine.schemas import SchemaError, json_path, validate
from wargame.engine.state import RELATION_MAX, RELATION_MIN, SCALAR_MAX, SCALAR_MIN

LOG_FORMAT = "lips-and-teeth/log"
# Version 2 is a log whose seed is a secret seed (a string, ruleset 2); version 1 has an
# integer seed. Both are read; a log is written in the version its seed needs.
LOG_VERSION = 1
SECRET_SEED_LOG_VERSION = 2
LOG_VERSIONS = (LOG_VERSION, SECRET_SEED_LOG_VERSION)
DEFAULT_MAX_BYTES = 5_000_000
# Bounds on the work a log can ask for (the schema bounds the rest: turns, moves, texts).
MAX_TURNS = 50
MAX_MEMORY = 1_000_000
MAX_LIST_ITEMS = 50
# Free-form effects (injects' and overrides') in a whole log: each `append` scans its list,
# so without a budget a 5 MB log of distinct appends would cost minutes of CPU.
MAX_EFFECTS = 500  # = policy.limits.EFFECTS_PER_GAME (tests/gamelog/test_limits.py)
# Logs written before versions were recorded were all played with the first version and
# the first ruleset (the only ones there were), so a log that names none means those.
UNNAMED_SCENARIO_VERSION = 1
UNNAMED_RULESET = 1

# (slug, version) -> the released scenario; replaceable for a server's own rows.
Loader = Callable[[str, int], Scenario]


class LogError(ValueError):
    """A log we refuse to read; the message starts with the JSON path of the problem."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.detail = message
        super().__init__(at(path, message))


class LogTooLarge(LogError):
    """A log over the size limit, refused before it is parsed (HTTP 413)."""


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise LogTooLarge(
            "$",
            Reason(
                "the log is %(size)s bytes or more; the limit is %(limit)s",
                size=size,
                limit=max_bytes,
            ),
        )


def parse_log(
    raw: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, check: bool = True
) -> dict[str, Any]:
    """Bytes to a checked document; refuses oversized input before parsing it.

    Parsing is bounded: nesting deeper than Python's recursion limit, integers of more
    than 4,300 digits, NaN and Infinity are refused at `$` like any other bad JSON.
    `check=False` leaves the schema and meaning to the caller (`replay` checks them).
    """
    check_size(len(raw.encode() if isinstance(raw, str) else raw), max_bytes)
    try:
        document = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as exc:
        raise LogError("$", Reason("not valid JSON (nested too deeply)")) from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, 4,300-digit integers
        raise LogError("$", Reason("not valid JSON (%(why)s)", why=_short(str(exc)))) from exc
    if check:
        check_log(document)
    return document


def _short(text: str, limit: int = 240) -> str:
    """One readable line: a 4,000-character rationale quoted in an error is cut short."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 80]} … {text[-60:]}"


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def check_log(document: Any, loader: Loader = load_scenario, *, schema: bool = True) -> Scenario:
    """Schema, then meaning. Returns the scenario version the log was played in.

    `schema=False` skips the JSON Schema pass, for a document this server just built from
    its own rows (the replay viewer): the meaning checks still run."""
    try:
        if schema:
            validate(document, "log")
    except SchemaError as exc:
        detail = exc.detail if isinstance(exc.detail, Reason) else _short(exc.detail)
        raise LogError(exc.path, detail) from exc
    scenario = log_scenario(document, loader)
    ruleset = ruleset_of(document)
    _check_seed(document["seed"], ruleset, "$.seed")
    wanted = log_version_for(document["seed"])
    if document["version"] != wanted:
        raise LogError(
            "$.version",
            Reason(
                "a log with this seed is version %(wanted)s, not %(given)s",
                wanted=wanted,
                given=document["version"],
            ),
        )
    for i, seat in enumerate(document.get("roles", [])):
        if seat["role"] not in scenario.role_slugs:
            said = Reason("unknown role %(role)s", role=repr(seat["role"]))
            raise LogError(f"$.roles[{i}].role", said)
    if document.get("start"):
        _check_state(scenario, document["start"]["state"], "$.start.state")
    first = start_state(document, scenario)["turn"] + 1
    budget = document.get("game", {}).get("action_budget", scenario.action_budget)
    audience = set(scenario.role_slugs) | {"facilitator", "observer", "all"}
    effects = 0
    for t, turn in enumerate(document["turns"]):
        where = f"$.turns[{t}]"
        for kind in ("injects", "overrides"):
            effects += sum(len(item.get("effects") or ()) for item in turn.get(kind, []))
            if effects > MAX_EFFECTS:
                raise LogError(
                    f"{where}.{kind}",
                    Reason("more than %(n)s free-form effects in the log", n=MAX_EFFECTS),
                )
        if turn["number"] != first + t:
            said = Reason(
                "expected turn %(wanted)s, got %(given)s", wanted=first + t, given=turn["number"]
            )
            raise LogError(f"{where}.number", said)
        _check_moves(scenario, turn["moves"], budget, where)
        for i, role in enumerate(turn.get("bots", [])):
            if role not in scenario.role_slugs:
                raise LogError(
                    f"{where}.bots[{i}]", Reason("unknown role %(role)s", role=repr(role))
                )
        for i, inject in enumerate(turn.get("injects", [])):
            if "effects" not in inject and inject["id"] not in scenario.injects:
                said = Reason("unknown inject %(inject)s", inject=repr(inject["id"]))
                raise LogError(f"{where}.injects[{i}].id", said)
        for i, message in enumerate(turn.get("messages", [])):
            targets = [message["to"]] if isinstance(message["to"], str) else message["to"]
            for who in [message["from"], *targets]:
                if who not in audience:
                    said = Reason("unknown sender or recipient %(who)s", who=repr(who))
                    raise LogError(f"{where}.messages[{i}]", said)
    return scenario


def log_scenario(document: dict[str, Any], loader: Loader = load_scenario) -> Scenario:
    """The released scenario version a (schema-valid) log names, checked against its hash.

    Without `scenario_version` the log means version 1; without `scenario_hash` it is
    read with the released document of its version; a hash that differs from the
    released one is refused, since the log was played under other rules.
    """
    slug = document["scenario"]
    version = document.get("scenario_version", UNNAMED_SCENARIO_VERSION)
    try:
        scenario = loader(slug, version)
    except UnknownScenario as exc:
        # A server's loader may know slugs no file has (uploads) and say so in `where`.
        where = getattr(exc, "where", None) or (
            "$.scenario_version" if versions_of(slug) else "$.scenario"
        )
        raise LogError(where, reason_of(exc)) from exc
    except ScenarioError as exc:
        raise LogError("$.scenario", reason_of(exc)) from exc
    wanted = document.get("scenario_hash")
    if wanted is not None and wanted != scenario.content_hash:
        raise LogError(
            "$.scenario_hash",
            Reason(
                "the log was played with a %(slug)s v%(version)s whose sha256 is %(wanted)s; the "
                "released v%(version)s is %(released)s, so it cannot be replayed here",
                slug=slug,
                version=version,
                wanted=wanted,
                released=scenario.content_hash,
            ),
        )
    return scenario


def log_version_for(seed: int | str) -> int:
    """The log version a seed is written in: 2 for a secret (string) seed, else 1."""
    return SECRET_SEED_LOG_VERSION if isinstance(seed, str) else LOG_VERSION


def _check_seed(seed: Any, ruleset: int, where: str) -> None:
    try:
        check_seed(seed, ruleset)
    except BadSeed as exc:
        raise LogError(where, reason_of(exc)) from exc


def ruleset_of(document: dict[str, Any]) -> int:
    """The engine ruleset a log was adjudicated under (1 when it names none)."""
    try:
        return check_ruleset(document.get("ruleset", UNNAMED_RULESET))
    except UnknownRuleset as exc:
        said = Reason("%(why)s; replay it on a server that knows it", why=reason_of(exc))
        raise LogError("$.ruleset", said) from exc


def _check_state(scenario: Scenario, state: dict[str, Any], where: str) -> None:
    """A forked log's start state: the scenario's variables, each of the right kind and
    within its bounds, and nothing else (the engine trusts the state it is given)."""
    expected = scenario.start
    for key in state:
        if key not in expected:
            raise LogError(f"{where}.{key}", Reason("unknown variable %(key)s", key=repr(key)))
    for key, model in expected.items():
        if key not in state:
            raise LogError(where, Reason("missing variable %(key)s", key=repr(key)))
        value, path = state[key], f"{where}.{key}"
        if key == "turn":
            _check_int(value, path, 0, MAX_TURNS - 1)
        elif isinstance(model, dict):
            if not isinstance(value, dict) or set(value) != set(model):
                said = Reason("needs exactly the keys %(keys)s", keys=sorted(model))
                raise LogError(path, said)
            low, high = (
                (RELATION_MIN, RELATION_MAX) if key == "relations" else (-MAX_MEMORY, MAX_MEMORY)
            )
            for sub, number in value.items():
                _check_int(number, f"{path}.{sub}", low, high)
        elif isinstance(model, list):
            if not (
                isinstance(value, list)
                and len(value) <= MAX_LIST_ITEMS
                and all(isinstance(v, str) and len(v) <= 80 for v in value)
            ):
                said = Reason("needs a list of at most %(n)s short texts", n=MAX_LIST_ITEMS)
                raise LogError(path, said)
        elif isinstance(model, str):
            kind = scenario.known_vars().get(key)
            allowed = kind[1] if kind and kind[1] else ()
            if value not in allowed:
                said = Reason(
                    "%(value)s is not one of %(allowed)s", value=repr(value), allowed=list(allowed)
                )
                raise LogError(path, said)
        else:
            _check_int(value, path, SCALAR_MIN, SCALAR_MAX)


def _check_int(value: Any, path: str, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        said = Reason(
            "needs a whole number from %(low)s to %(high)s (got %(value)s)",
            low=low,
            high=high,
            value=repr(value),
        )
        raise LogError(path, said)


def _check_moves(scenario: Scenario, moves: list[dict], budget: int, where: str) -> None:
    parsed = [Move.from_dict(m) for m in moves]
    violations = validate_moves(scenario, parsed, budget=budget)
    if not violations:
        return
    first = violations[0]
    for j, move in enumerate(parsed):
        if move.role == first.role and (not first.action or move.action == first.action):
            field = {"unknown_role": "role", "bad_target": "target"}.get(first.code, "action")
            raise LogError(f"{where}.moves[{j}].{field}", first.message)
    raise LogError(f"{where}.moves", first.message)


def start_state(document: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """A forked game's log starts from the parent's state; others from the scenario's."""
    start = document.get("start")
    if start:
        return start["state"]
    return scenario.initial_state()


def injects_of(turn: dict[str, Any]) -> list[str | dict[str, Any]]:
    """Scenario injects by id; free-form ones (with effects) as written."""
    return [i if "effects" in i else i["id"] for i in turn.get("injects", [])]


def adjudicate_turn(
    scenario: Scenario,
    state: dict[str, Any],
    turn: dict[str, Any],
    *,
    seed: int | str,
    budget=None,
    ruleset: int | None = None,
) -> Adjudication:
    """One logged turn: its moves and injects, then any umpire overrides, as the game's
    ruleset applies them (engine.adjudicate_overridden)."""
    return adjudicate_overridden(
        state,
        turn["moves"],
        turn.get("overrides", []),
        seed=seed,
        scenario=scenario,
        injects=injects_of(turn),
        budget=budget,
        ruleset=ruleset,
    )


@dataclass
class Mismatch:
    turn: int
    field: str
    recorded: Any
    replayed: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "field": self.field,
            "recorded": self.recorded,
            "replayed": self.replayed,
        }


def replay(
    document: dict[str, Any],
    *,
    seed: int | str | None = None,
    loader: Loader = load_scenario,
    schema: bool = True,
) -> dict[str, Any]:
    """Re-adjudicate every turn; compare with what the log recorded, where it recorded it.

    `verified` is None for a script (nothing recorded), True when every recorded turn
    matches, False at the first turn that differs (named in `first_mismatch`).
    """
    scenario = check_log(document, loader, schema=schema)
    ruleset = ruleset_of(document)
    use_seed = document["seed"] if seed is None else seed
    _check_seed(use_seed, ruleset, "$.seed" if seed is None else "--seed")
    budget = document.get("game", {}).get("action_budget")
    state = start_state(document, scenario)
    turns, mismatch, recorded_any = [], None, False
    for t, turn in enumerate(document["turns"]):
        try:
            result = adjudicate_turn(
                scenario, state, turn, seed=use_seed, budget=budget, ruleset=ruleset
            )
        except (InvalidMoves, ScenarioError) as exc:
            raise LogError(f"$.turns[{t}]", reason_of(exc)) from exc
        entry = {
            "number": result.turn,
            "state": result.state,
            "outcomes": [o.to_dict() for o in result.outcomes],
            "fired_rules": [r.to_dict() for r in result.fired_rules],
            "scores": result.scores,
            "events": list(result.events),
            "narrative": result.narrative,
            "state_hash": result.state_hash,
        }
        recorded = turn.get("outcome")
        if recorded is not None:
            recorded_any = True
            found = _compare(result.turn, recorded, entry)
            entry["matches"] = found is None
            mismatch = mismatch or found
        turns.append(entry)
        state = result.state
    verified = None if not recorded_any else mismatch is None
    return {
        "scenario": scenario.slug,
        "scenario_version": scenario.version,
        "scenario_hash": scenario.content_hash,
        "ruleset": ruleset,
        "seed": use_seed,
        "verified": verified,
        "first_mismatch": mismatch.to_dict() if mismatch else None,
        "turns": turns,
    }


def _compare(number: int, recorded: dict[str, Any], replayed: dict[str, Any]) -> Mismatch | None:
    if recorded["state_hash"] != replayed["state_hash"]:
        return Mismatch(number, "state_hash", recorded["state_hash"], replayed["state_hash"])
    if recorded["state"] != replayed["state"]:
        return Mismatch(number, "state", recorded["state"], replayed["state"])
    # Everything else the log recorded must be what the engine says, to the letter: a
    # hand-edited dice roll, score or reason is as much a tampering as an edited state.
    for field in ("outcomes", "fired_rules", "scores", "narrative"):
        if field in recorded and recorded[field] != replayed[field]:
            return Mismatch(number, field, recorded[field], replayed[field])
    return None


__all__ = [
    "LOG_FORMAT",
    "LOG_VERSION",
    "LOG_VERSIONS",
    "SECRET_SEED_LOG_VERSION",
    "log_version_for",
    "LogError",
    "LogTooLarge",
    "check_size",
    "adjudicate_turn",
    "check_log",
    "injects_of",
    "json_path",
    "log_scenario",
    "parse_log",
    "ruleset_of",
    "moves_with_outcomes",
    "replay",
    "start_state",
]


def moves_with_outcomes(moves: list[dict], outcomes: list[dict]) -> list[dict]:
    """Each outcome with the rationale of the move it judged (matched by role, action and
    target in order); moves the engine never judged are listed without a result."""
    pending = list(moves)
    out = []
    for outcome in outcomes:
        match = next(
            (
                m
                for m in pending
                if (m["role"], m["action"], m.get("target") or None)
                == (outcome.get("role"), outcome.get("action"), outcome.get("target") or None)
            ),
            None,
        )
        if match is not None:
            pending.remove(match)
        out.append({**outcome, "rationale": (match or {}).get("rationale", "")})
    out.extend(pending)
    return out
