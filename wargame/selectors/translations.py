"""The scenario in the reader's language: every page and API answer that shows scenario
text (role names, briefings, objectives, variable and action labels, rules, injects,
events, turn labels) reads its scenario through `presented_scenario`.

The translation lives beside the released document (`v2.ko.json` next to `v2.json`,
`wargame.engine.translations`); it is checked when first loaded (a missing text is named
in the error, never shown as a silent English gap) and applied to a *copy* of the
document. That copy carries the pinned document's content hash and adjudicates exactly
as it does, but only the pages read it: the services, the engine and the log keep the
pinned original, so codes, slugs, state names and the log stay language-neutral.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

from django.utils.translation import get_language, gettext, gettext_lazy

from wargame.bots import random_legal, scripted
from wargame.engine import Scenario, ScenarioError
from wargame.engine.loader import (
    SCENARIO_DIR,
    pinned_scenario,
    released_hash,
    scenario_for_document,
    scenario_from_document,
)
from wargame.engine.reasons import at
from wargame.engine.translations import (
    apply_translation,
    check_translation,
    translatable_texts,
    translated_texts,
    translation_file_name,
)

SOURCE_LANGUAGE = "en"


def reader_language(language: str | None = None) -> str:
    """The base language code of `language`, or of the request's active language."""
    code = (language or get_language() or SOURCE_LANGUAGE).lower()
    return code.split("-")[0].split("_")[0]


def presented_scenario(row: Any, language: str | None = None) -> Scenario:
    """The scenario a game (or class) pinned, with its texts in `language` (the active
    one by default). Same codes, numbers and content hash as `pinned_scenario(row)`."""
    pinned = pinned_scenario(row)
    found = _translation(pinned.slug, pinned.version, row.content_hash, reader_language(language))
    if found is None:
        return pinned
    return _translated(row.content_hash, found["language"], _document_of(row))


def presented_version(
    document: dict[str, Any], content_hash: str, language: str | None = None
) -> Scenario:
    """A version no game has pinned yet (the create-game form's choice), with its texts in
    `language`: as `presented_scenario`, from its document and content hash."""
    pinned = scenario_for_document(document, content_hash)
    found = _translation(pinned.slug, pinned.version, content_hash, reader_language(language))
    if found is None:
        return pinned
    return _translated(content_hash, found["language"], document)


def presented_document(
    document: dict[str, Any], content_hash: str, language: str | None = None
) -> dict[str, Any]:
    """A version's document with its texts in `language` (a copy), for a page that reads
    the document itself (a version's page); the document as it is without a translation."""
    slug, version = document.get("slug", ""), int(document.get("version", 0))
    found = _translation(slug, version, content_hash, reader_language(language))
    return apply_translation(document, found["translation"]) if found else document


def version_value_labels(
    slug: str, version: int, content_hash: str, language: str | None = None
) -> dict[str, str]:
    """{"variable.value": label} of a version's enumerations in `language` (as
    `value_labels`, for a version no game has pinned); empty without a translation."""
    return _value_labels(_translation(slug, version, content_hash, reader_language(language)))


def words_by_source(
    slug: str, version: int, content_hash: str, language: str | None = None
) -> dict[str, str]:
    """{source text: its text in `language`} of a version (a rule's title, an action's
    label...): for words a page got from the document, such as a comparison's labels."""
    found = _translation(slug, version, content_hash, reader_language(language))
    return found["by_source"] if found else {}


def row_title(row: Any) -> str:
    """A scenario row's title in the active language (`scenario_title`)."""
    return scenario_title(row.slug, row.version, row.content_hash, row.title)


def scenario_title(slug: str, version: int, content_hash: str, title: str) -> str:
    """A scenario version's title in the active language (lists and choices name versions
    before any is opened); the document's own title when it has no translation."""
    words = _words(slug, version, content_hash, None)
    return (words or {}).get("title", title)


def enum_value_label(scenario: Scenario, variable: str, value: Any, language: str | None = None):
    """The label of an enum variable's value ("ongoing" -> "진행 중") in the language."""
    words = _words(scenario.slug, scenario.version, scenario.content_hash, language)
    return words.get(f"variables.{variable}.values.{value}", value) if words else value


def _words(slug: str, version: int, content_hash: str, language: str | None) -> dict | None:
    found = _translation(slug, version, content_hash, reader_language(language))
    return found["words"] if found else None


def _document_of(row: Any) -> dict[str, Any]:
    text = getattr(row, "document_text", "")
    return json.loads(text) if text else row.document


@cache
def _translation(slug: str, version: int, content_hash: str, language: str) -> dict | None:
    """The checked translation of a released version, keyed by slug, version, hash and
    language; None for the source language, an uploaded document or no such file."""
    if language == SOURCE_LANGUAGE or released_hash(slug, version) != content_hash:
        return None
    path = SCENARIO_DIR / slug / translation_file_name(version, language)
    if not path.is_file():
        return None
    document = json.loads((SCENARIO_DIR / slug / f"v{version}.json").read_text("utf-8"))
    translation = json.loads(path.read_text("utf-8"))
    report = check_translation(document, translation)
    if not report.ok:
        raise ScenarioError(at(path.name, "; ".join(report.lines()[:5])))  # for its author
    words = translated_texts(document, translation)
    return {
        "language": language,
        "translation": translation,
        "words": words,
        # Recorded texts (a rule's explanation in a result) are found by their source.
        "by_source": {source: words[key] for key, source in translatable_texts(document).items()},
    }


# Built once per process for each (content hash, language): a page never re-applies it.
_PRESENTED: dict[tuple[str, str], Scenario] = {}


def _translated(content_hash: str, language: str, document: dict[str, Any]) -> Scenario:
    key = (content_hash, language)
    if key not in _PRESENTED:
        slug, version = document["slug"], int(document["version"])
        translation = _translation(slug, version, content_hash, language)["translation"]
        translated = scenario_from_document(apply_translation(document, translation))
        _PRESENTED[key] = replace(translated, content_hash=content_hash)
    return _PRESENTED[key]


# Sentences the engine itself writes into a result (not the scenario's): the log keeps
# them in English, pages show them in the reader's language.
_ENGINE_SENTENCES = {
    "Held position this turn.": gettext_lazy("Held position this turn."),
    "No rule of the scenario responds to this move in the present situation.": gettext_lazy(
        "No rule of the scenario responds to this move in the present situation."
    ),
}
_UMPIRE = "Umpire: "
# The rationales the bots write for their moves (the log keeps them in English).
_BOT_SENTENCES = {
    random_legal.RATIONALE: gettext_lazy("Chosen by a scripted seat."),
    scripted.RATIONALE: gettext_lazy("Played from the script."),
}


def present_turn(turn: dict[str, Any], row: Any, language: str | None = None) -> dict[str, Any]:
    """A published turn (`resolved_payload`) with its recorded texts (rule titles,
    explanations, move reasons) in the reader's language. The recorded texts are the
    scenario's own words, so each is looked up by its source text; codes, numbers and
    states are untouched. English readers get the turn as it was recorded."""
    if reader_language(language) == SOURCE_LANGUAGE:
        return turn
    found = _translation_for_row(row, language)
    words = found["by_source"] if found else {}
    out = dict(turn)
    if "fired_rules" in turn:
        out["fired_rules"] = [
            {
                **rule,
                "title": _said(rule.get("title"), words),
                "explanation": _said(rule.get("explanation"), words),
            }
            for rule in turn.get("fired_rules", [])
        ]
    if "outcomes" in turn:
        out["outcomes"] = [
            {**outcome, "reason": _said(outcome.get("reason"), words)}
            for outcome in turn.get("outcomes", [])
        ]
    return out


def _said(text: Any, words: dict[str, str]) -> Any:
    if not isinstance(text, str):
        return text
    if text in words:
        return words[text]
    if text in _ENGINE_SENTENCES:
        return str(_ENGINE_SENTENCES[text])
    if text.startswith(_UMPIRE):
        return gettext("Umpire: %(reason)s") % {"reason": text.removeprefix(_UMPIRE)}
    return text


def present_move(move: dict[str, Any], language: str | None = None) -> dict[str, Any]:
    """A move with a bot's rationale in the reader's language (a person's stays as they
    wrote it); the move itself for English readers."""
    said = move.get("rationale")
    if reader_language(language) == SOURCE_LANGUAGE or said not in _BOT_SENTENCES:
        return move
    return {**move, "rationale": str(_BOT_SENTENCES[said])}


def _translation_for_row(row: Any, language: str | None) -> dict | None:
    pinned = pinned_scenario(row)
    return _translation(pinned.slug, pinned.version, row.content_hash, reader_language(language))


def present_event(data: dict[str, Any], row: Any, language: str | None = None) -> dict[str, Any]:
    """An event's data as a socket sends it (a turn opened or resolved, an inject), with
    its recorded scenario texts in the reader's language; the data itself otherwise."""
    if reader_language(language) == SOURCE_LANGUAGE or not isinstance(data, dict):
        return data
    if isinstance(data.get("move"), dict):  # a move made (the facilitator sees bots' moves)
        data = {**data, "move": present_move(data["move"], language)}
    found = _translation_for_row(row, language)
    if found is None:
        return data
    out = present_turn(data, row, language) if "outcomes" in data else dict(data)
    for key in ("label", "description", "title"):
        if key in out:
            out[key] = _said(out[key], found["by_source"])
    return out


def value_labels(row: Any, language: str | None = None) -> dict[str, str]:
    """{"variable.value": label} of every enum value, for a page's state panel ("ukraine_war.
    ongoing" -> "진행 중"); empty for the source language (the page shows the value)."""
    if reader_language(language) == SOURCE_LANGUAGE:
        return {}
    return _value_labels(_translation_for_row(row, language))


def _value_labels(found: dict | None) -> dict[str, str]:
    if found is None:
        return {}
    prefix = "variables."
    return {
        key.removeprefix(prefix).replace(".values.", "."): text
        for key, text in found["words"].items()
        if key.startswith(prefix) and ".values." in key
    }


def present_log(doc: dict[str, Any], row: Any, language: str | None = None) -> dict[str, Any]:
    """A game log for a review page (replay, debrief): each turn's recorded texts and
    injects in the reader's language. Only for showing: exports and checks read the log
    as it is (language-neutral, what `replay --verify` reads)."""
    if reader_language(language) == SOURCE_LANGUAGE:
        return doc
    out = dict(doc)
    scenario = presented_scenario(row, language)
    before = (doc.get("start") or {}).get("state") or scenario.initial_state()
    turns = []
    for turn in doc.get("turns", []):
        outcome = present_turn(turn["outcome"], row, language)
        if "state" in outcome:  # the engine's English narrative, told again in words
            outcome["narrative"] = _narrative(scenario, before, outcome)
            before = outcome["state"]
        injects = [present_event(i, row, language) for i in turn.get("injects", [])]
        moves = [present_move(m, language) for m in turn.get("moves", [])]
        turns.append({**turn, "outcome": outcome, "injects": injects, "moves": moves})
    out["turns"] = turns
    return out


def _narrative(scenario: Scenario, before: dict, outcome: dict) -> dict[str, str]:
    """The turn's account per role, as the engine's narrator tells it (`engine.narrative`),
    in the reader's language: the engine's own sentences are English and stay so in the
    log; a page shows this one. Same shape: "all", then one entry per role."""
    from wargame.review.debrief import result_words

    after = outcome["state"]
    words = result_words(gettext)
    values = value_labels_of(scenario)
    names = {
        f"relations.{k}": v.get("label", k) for k, v in scenario.variables["relations"].items()
    }
    for group in ("scalars", "enums", "lists"):
        names.update({k: v.get("label", k) for k, v in scenario.variables.get(group, {}).items()})
    changed = []
    for key, new in after.get("relations", {}).items():
        old = before.get("relations", {}).get(key)
        if old is not None and old != new:
            changed.append(
                (f"relations.{key}", _change(names.get(f"relations.{key}", key), old, new))
            )
    for key, new in after.items():
        if key in ("relations", "memory", "turn") or before.get(key) == new:
            continue
        shown = (
            values.get(f"{key}.{new}", new)
            if not isinstance(new, list)
            else ", ".join(str(values.get(f"{key}.{v}", v)) for v in new)
        )
        changed.append((key, _change(names.get(key, key), before.get(key), new, shown)))
    events = [r["title"] for r in outcome.get("fired_rules", []) if r.get("event")]
    headline = (
        (gettext("Events: %(events)s.") % {"events": "; ".join(events)} + " ") if events else ""
    )
    story = {"all": headline + _changes_sentence(changed)}
    for role in scenario.roles:
        slug = role["slug"]
        cares = {o["var"] for o in role["objectives"]}
        moves = " ".join(
            gettext("%(action)s: %(result)s (%(reason)s)")
            % {
                "action": _action_label(scenario, slug, o["action"]),
                "result": words.get(o["result"], o["result"]),
                "reason": o.get("reason", ""),
            }
            for o in outcome.get("outcomes", [])
            if o["role"] == slug
        )
        own = [c for c in changed if c[0] in cares or slug in c[0]]
        held = gettext("You held this turn.")
        story[slug] = (headline + (moves or held) + " " + _changes_sentence(own)).strip()
    return story


def _action_label(scenario: Scenario, role: str, code: str) -> str:
    action = scenario.action(role, code)
    return action.label if action else code


def _change(name: str, old: Any, new: Any, shown: Any = None) -> str:
    if isinstance(new, int) and isinstance(old, int):
        return gettext("%(name)s %(delta)s (now %(now)s)") % {
            "name": name,
            "delta": f"{new - old:+d}",
            "now": new,
        }
    return gettext("%(name)s now %(value)s") % {
        "name": name,
        "value": new if shown is None else shown,
    }


def _changes_sentence(changed: list[tuple[str, str]]) -> str:
    if not changed:
        return gettext("Nothing measurable changed.")
    return gettext("Changes: %(changes)s.") % {"changes": ", ".join(p for _, p in changed)}


def value_labels_of(scenario: Scenario) -> dict[str, str]:
    """Enum value labels for a presented scenario (its slug, version and hash)."""
    return version_value_labels(scenario.slug, scenario.version, scenario.content_hash)
