"""Tables for analysts, built from a game log: moves, messages, states, scores, fired rules.

Pure Python (no Django): a log document in, tidy tables out (one row per item, a stable
column order), written as CSV or as JSON records that load straight into pandas
(`pd.read_csv(path)`, `pd.read_json(path)`) or a spreadsheet. `anonymise` replaces
participant names by role labels ("Seoul player") in the log before any table is built.

CSV: UTF-8 *with* a byte-order mark and CRLF line ends (RFC 4180), so that Excel opens
Korean and other non-ASCII text correctly when the file is double-clicked; pandas skips
the mark by itself, and Python's csv module reads it with `encoding="utf-8-sig"`. Lists
(rules, claims, recipients) are joined with ";"; an empty cell is a missing value. A text
cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
prefixed with an apostrophe in CSV only; JSON keeps the text exactly. See
docs/exports.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from wargame.engine import Scenario, scores, state_hash
from wargame.gamelog import log_scenario

Cell = str | int | float | bool | None

FORMATS = ("csv", "json")
LIST_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"
# Cells a spreadsheet would evaluate (OWASP "CSV injection"): escaped in CSV output only.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Cell]]


# --- the tables ---------------------------------------------------------------------

MOVE_COLUMNS = (
    "turn",
    "role",
    "action",
    "target",
    "rationale",
    "result",
    "reason",
    "rules",
    "claims",
)
MESSAGE_COLUMNS = ("turn", "from", "to", "text", "at")
SCORE_COLUMNS = ("turn", "role", "score")
FIRED_RULE_COLUMNS = (
    "turn",
    "rule",
    "title",
    "provenance",
    "claims",
    "succeeded",
    "chance",
    "roll",
    "changes",
    "event",
)


def moves_table(document: dict[str, Any], scenario: Scenario | None = None) -> Table:
    """One row per move, with its result (empty in a script, which has no outcomes)."""
    rows = []
    for turn in document["turns"]:
        outcomes = (turn.get("outcome") or {}).get("outcomes") or []
        for i, move in enumerate(turn["moves"]):
            outcome = outcomes[i] if i < len(outcomes) else {}
            rows.append(
                {
                    "turn": turn["number"],
                    "role": move["role"],
                    "action": move["action"],
                    "target": move.get("target") or None,
                    "rationale": move.get("rationale", ""),
                    "result": outcome.get("result"),
                    "reason": outcome.get("reason"),
                    "rules": _joined(outcome.get("rules")),
                    "claims": _joined(outcome.get("claims")),
                }
            )
    return Table("moves", MOVE_COLUMNS, rows)


def messages_table(document: dict[str, Any], scenario: Scenario | None = None) -> Table:
    """One row per message; `to` is "all" or the recipients joined by ";"."""
    rows = []
    for turn in document["turns"]:
        for message in turn.get("messages", []):
            to = message["to"]
            rows.append(
                {
                    "turn": turn["number"],
                    "from": message["from"],
                    "to": to if isinstance(to, str) else _joined(to),
                    "text": message["text"],
                    "at": message.get("at"),
                }
            )
    return Table("messages", MESSAGE_COLUMNS, rows)


def states_table(document: dict[str, Any], scenario: Scenario | None = None) -> Table:
    """One row per turn, the start state first: every variable and relation a column."""
    scenario = scenario or log_scenario(document)
    states = [_start(document, scenario)] + [
        turn["outcome"]["state"] for turn in document["turns"] if turn.get("outcome")
    ]
    columns = _state_columns(scenario, states)
    rows = []
    for state in states:
        row: dict[str, Cell] = {}
        for column in columns[:-1]:
            row[column] = _state_cell(state, column)
        row["state_hash"] = state_hash(state)
        rows.append(row)
    return Table("states", (*columns,), rows)


def scores_table(document: dict[str, Any], scenario: Scenario | None = None) -> Table:
    """One row per role per turn (0-100), the start state's scores first."""
    scenario = scenario or log_scenario(document)
    start = _start(document, scenario)
    per_turn = [(start["turn"], scores(scenario, start))] + [
        (turn["number"], turn["outcome"].get("scores") or {})
        for turn in document["turns"]
        if turn.get("outcome")
    ]
    rows: list[dict[str, Cell]] = [
        {"turn": number, "role": role, "score": value}
        for number, by_role in per_turn
        for role, value in _in_role_order(scenario, by_role)
    ]
    return Table("scores", SCORE_COLUMNS, rows)


def fired_rules_table(document: dict[str, Any], scenario: Scenario | None = None) -> Table:
    """One row per rule that fired, in the order it fired; provenance is the commentary's
    section; chance and roll are empty for rules with no dice."""
    rows = []
    for turn in document["turns"]:
        for rule in (turn.get("outcome") or {}).get("fired_rules") or []:
            rows.append(
                {
                    "turn": turn["number"],
                    "rule": rule.get("rule"),
                    "title": rule.get("title"),
                    "provenance": rule.get("section"),
                    "claims": _joined(rule.get("claims")),
                    "succeeded": rule.get("succeeded"),
                    "chance": rule.get("chance"),
                    "roll": rule.get("roll"),
                    "changes": _joined(
                        f"{c['var']}{_signed(c['change'])}" for c in rule.get("changes") or []
                    ),
                    "event": rule.get("event"),
                }
            )
    return Table("fired_rules", FIRED_RULE_COLUMNS, rows)


BUILDERS: dict[str, Callable[[dict[str, Any], Scenario | None], Table]] = {
    "moves": moves_table,
    "messages": messages_table,
    "states": states_table,
    "scores": scores_table,
    "fired_rules": fired_rules_table,
}
TABLES = tuple(BUILDERS)

DESCRIPTIONS = {
    "moves": "Every move: turn, role, action, target and rationale, with its result, the "
    "reason and the rules and claims that decided it.",
    "messages": "Every message: turn, sender, recipients ('all' or roles joined by ';'), "
    "text and time sent.",
    "states": "The state at the start and after every turn: one row per turn, each variable "
    "and each relation (relations.beijing-pyongyang, ...) its own column, and the state hash.",
    "scores": "Each role's score (0-100) at the start and after every turn: turn, role, score.",
    "fired_rules": "Every rule that fired: turn, rule, title, provenance (section of the "
    "commentary), claims, whether it succeeded, chance and dice roll, and its changes.",
}


def table(document: dict[str, Any], name: str, *, scenario: Scenario | None = None) -> Table:
    """One table by name (KeyError for an unknown one)."""
    return BUILDERS[name](document, scenario)


def all_tables(document: dict[str, Any], *, scenario: Scenario | None = None) -> dict[str, Table]:
    scenario = scenario or log_scenario(document)
    return {name: build(document, scenario) for name, build in BUILDERS.items()}


# --- writing ------------------------------------------------------------------------


def to_csv(data: Table) -> bytes:
    """UTF-8 with BOM, header row, CRLF; None as an empty cell; formulas defused."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=data.columns, lineterminator="\r\n")
    writer.writeheader()
    for row in data.rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return out.getvalue().encode(CSV_ENCODING)


def to_json(data: Table) -> bytes:
    """A list of records, keys in column order (pandas: `pd.read_json(path)`)."""
    records = [{c: row.get(c) for c in data.columns} for row in data.rows]
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def render(data: Table, fmt: str) -> bytes:
    return {"csv": to_csv, "json": to_json}[fmt](data)


def _csv_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --- anonymising --------------------------------------------------------------------


def role_label(role: str) -> str:
    """ "seoul" -> "Seoul player"; the facilitator and observers keep their seat names."""
    if role in ("facilitator", "observer"):
        return role.capitalize()
    return f"{role.replace('_', ' ').replace('-', ' ').title()} player"


def anonymise(document: dict[str, Any], *, names: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """A copy of the log with every participant's name replaced by their role's label.

    Names come from `roles[].name` (several people in a seat are joined by ", ") and from
    `names`, extra (name, role) pairs such as the facilitator and observers, whom the log
    does not list. Each name is replaced wherever it stands as a word (any case) in every
    piece of free text: message texts, rationales, override reasons, inject texts and the
    game's title; so is each word of a name used alone ("Ji-woo" of "Kim Ji-woo", "지우"
    of "김지우"), except words that name a role or a seat. A seat's `name` becomes its
    role label.
    """
    pairs = list(names)
    for seat in document.get("roles", []):
        for name in _split_names(seat.get("name")):
            pairs.append((name, seat["role"]))
    replace = _replacer(pairs)
    out = deepcopy(document)
    for seat in out.get("roles", []):
        if seat.get("name"):
            seat["name"] = role_label(seat["role"])
    game = out.get("game")
    if isinstance(game, dict) and isinstance(game.get("title"), str):
        game["title"] = replace(game["title"])
    for turn in out["turns"]:
        for move in turn["moves"]:
            if isinstance(move.get("rationale"), str):
                move["rationale"] = replace(move["rationale"])
        for message in turn.get("messages", []):
            message["text"] = replace(message["text"])
        for override in turn.get("overrides", []):
            override["reason"] = replace(override["reason"])
        for inject in turn.get("injects", []):
            for key in ("label", "description"):
                if isinstance(inject.get(key), str):
                    inject[key] = replace(inject[key])
    return out


def _split_names(value: str | None) -> list[str]:
    if not value:
        return []
    parts = [value.strip(), *(p.strip() for p in value.split(", "))]
    return [p for p in dict.fromkeys(parts) if p]


# A word of a name that is also the seat's own vocabulary ("seoul bot", "Team Seoul") is
# left alone: replacing it would rewrite every mention of the capital.
SEAT_WORDS = frozenset({"player", "players", "team", "bot", "facilitator", "observer", "white"})
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Several people known by one word of their names: the word says only that it is a player.
SHARED_WORD_LABEL = "Player"


def _name_words(name: str) -> list[str]:
    """The words of a name a person may be called by alone: each of two letters or more
    ("J." is an initial), and the given name of a three-syllable Hangul name (김지우 -> 지우)."""
    words = [w for w in name.split() if len(w) >= 2 and not w.endswith(".")]
    if len(words) == 1 and len(name) == 3 and all(HANGUL.match(c) for c in name):
        return [name[1:]]
    return words if len(words) > 1 else []


def _replacer(pairs: list[tuple[str, str]]) -> Callable[[str], str]:
    """One pass over the text, longest names first (so "Kim Ji-woo" wins over "Kim");
    whole names win over words of names. A name ending in Hangul is matched before a
    particle (김지우는), as Korean writes it."""
    labels: dict[str, str] = {}
    for name, role in pairs:
        name = name.strip()
        if name:
            labels.setdefault(name.casefold(), role_label(role))
    if not labels:
        return lambda text: text
    roles = {role.casefold() for _name, role in pairs}
    seat_words = SEAT_WORDS | roles | {w.casefold() for r in roles for w in role_label(r).split()}
    words: dict[str, str] = {}
    for name, role in pairs:
        for word in _name_words(name.strip()):
            key = word.casefold()
            if key in labels or key in seat_words:
                continue
            label = role_label(role)
            words[key] = label if words.get(key, label) == label else SHARED_WORD_LABEL
    pattern = re.compile("|".join(_branches(labels, words)), re.IGNORECASE)
    labels.update(words)
    return lambda text: pattern.sub(lambda m: labels[m.group(0).casefold()], text)


def _branches(names: dict[str, str], words: dict[str, str]) -> list[str]:
    """Regex branches, whole names before words. A word of a name followed by a capital
    that is no participant's word is someone else's name ("Kim" in "Kim Jong-un") and
    stays; "Ji-woo Kim" (a participant's words in another order) is still replaced."""
    branches = []
    any_word = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    others = rf"(?!\s+(?!(?:{any_word})(?!\w))(?-i:[A-ZÀ-ÖØ-Þ]))" if words else ""
    for group, after in ((names, ""), (words, others)):
        ordered = sorted(group, key=len, reverse=True)
        western = [re.escape(n) for n in ordered if not HANGUL.match(n[-1])]
        korean = [re.escape(n) for n in ordered if HANGUL.match(n[-1])]
        if western:
            branches.append(r"(?<!\w)(?:" + "|".join(western) + r")(?!\w)" + after)
        if korean:
            branches.append(r"(?<!\w)(?:" + "|".join(korean) + r")")
    return branches


# --- helpers ------------------------------------------------------------------------


def _joined(items: Iterable[Any] | None) -> str | None:
    if items is None:
        return None
    return LIST_SEPARATOR.join(str(i) for i in items)


def _signed(value: Any) -> str:
    return f"{value:+d}" if isinstance(value, int) and not isinstance(value, bool) else f"={value}"


def _start(document: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    start = document.get("start")
    return start["state"] if start else scenario.initial_state()


def _state_columns(scenario: Scenario, states: list[dict[str, Any]]) -> list[str]:
    """turn, the scenario's variables in its order, relations.*, memory.*, state_hash;
    anything a state has that the scenario does not declare goes last, sorted."""
    plain = [k for k in scenario.start if k not in ("turn", "relations", "memory")]
    relations = [f"relations.{k}" for k in scenario.start["relations"]]
    memory = [f"memory.{k}" for k in scenario.start["memory"]]
    known = {"turn", *plain, *relations, *memory}
    extra = set()
    for state in states:
        for key, value in state.items():
            if isinstance(value, dict):
                extra.update(f"{key}.{sub}" for sub in value)
            else:
                extra.add(key)
    return ["turn", *plain, *relations, *memory, *sorted(extra - known), "state_hash"]


def _state_cell(state: dict[str, Any], column: str) -> Cell:
    head, _, tail = column.partition(".")
    value = state.get(head)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    if isinstance(value, list):
        return _joined(value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def _in_role_order(scenario: Scenario, by_role: dict[str, Any]) -> list[tuple[str, Any]]:
    order = {slug: i for i, slug in enumerate(scenario.role_slugs)}
    return sorted(by_role.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


__all__ = [
    "CSV_ENCODING",
    "DESCRIPTIONS",
    "FORMATS",
    "TABLES",
    "Table",
    "all_tables",
    "anonymise",
    "fired_rules_table",
    "messages_table",
    "moves_table",
    "render",
    "role_label",
    "scores_table",
    "states_table",
    "table",
    "to_csv",
    "to_json",
]
