"""Translations of a scenario's texts, kept beside the released document.

A released scenario document is frozen (its hash is in ``released.json``), so its words in
another language cannot live inside it. They live in a translation file next to it,
``v2.ko.json`` beside ``v2.json``, which maps a *stable key* for each text of the document
to that text in the language, with the source text it was made from:

    {"format": "lips-and-teeth/scenario-translation",
     "slug": "lips-and-teeth-2025", "version": 2, "language": "ko",
     "texts": {"title": {"source": "Lips and Teeth, 2025", "text": "순망치한 2025"}, ...}}

Keys name the place of a text by the ids a scenario already has, not by list positions,
so a new version that moves items around keeps its keys: ``roles.seoul.briefing``,
``roles.seoul.objectives.influence.label``, ``actions.pyongyang:envoy_to_beijing.label``,
``rules.c18_prc_dprk_summit.explain``, ``variables.relations.beijing-pyongyang.label``,
``variables.ukraine_war.values.ongoing`` (the label of an enum value, whose source is the
value itself). Only lists of plain strings (a role's fears, the turn labels) are numbered,
from 0. Codes, slugs, ids and state values are never translated: a game played in any
language logs and replays the same.

The recorded ``source`` lets the checker tell a missing text from a stale one: when a new
version rewrites a text, its copied translation no longer matches and is listed as changed.

This module is pure (no Django; it touches files only in its command line, ``main``): it
lists a document's texts, checks a translation against them and applies one. The loader
and the pages decide when to call it.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "lips-and-teeth/scenario-translation"
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Placeholders a text may carry to be filled in later: {name}, %(name)s, %s, %d.
PLACEHOLDER_PATTERN = re.compile(r"\{[A-Za-z0-9_]*\}|%\([A-Za-z0-9_]+\)[sdif]|%[sdif]")

_SOURCE_FIELDS = ("title", "author", "publisher")
_ROLE_FIELDS = ("name", "capital", "stands_for", "briefing")
_RULE_FIELDS = ("title", "explain", "fail_explain")


def translation_file_name(version: int, language: str) -> str:
    """The file beside ``v<version>.json`` that holds its texts in ``language``."""
    return f"v{version}.{language}.json"


def translatable_texts(document: dict[str, Any]) -> dict[str, str]:
    """Every text of a scenario document a person reads, by stable key, in document order."""
    texts: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            texts[key] = value

    put("title", document.get("title"))
    source = document.get("source") or {}
    for name in _SOURCE_FIELDS:
        put(f"source.{name}", source.get(name))
    for section, title in (source.get("sections") or {}).items():
        put(f"source.sections.{section}", title)
    for index, label in enumerate((document.get("turns") or {}).get("labels") or []):
        put(f"turns.labels.{index}", label)
    cap = document.get("relation_cap") or {}
    put("relation_cap.title", cap.get("title"))
    put("relation_cap.explain", cap.get("explain"))
    for role in document.get("roles") or []:
        prefix = f"roles.{role.get('slug')}"
        for name in _ROLE_FIELDS:
            put(f"{prefix}.{name}", role.get(name))
        for index, fear in enumerate(role.get("fears") or []):
            put(f"{prefix}.fears.{index}", fear)
        for objective in role.get("objectives") or []:
            put(f"{prefix}.objectives.{objective.get('id')}.label", objective.get("label"))
    _variable_texts(document.get("variables") or {}, put)
    for action in document.get("actions") or []:
        prefix = f"actions.{action.get('role')}:{action.get('code')}"
        put(f"{prefix}.label", action.get("label"))
        put(f"{prefix}.description", action.get("description"))
    for event in document.get("events") or []:
        put(f"events.{event.get('id')}.label", event.get("label"))
    for inject in document.get("injects") or []:
        put(f"injects.{inject.get('id')}.label", inject.get("label"))
        put(f"injects.{inject.get('id')}.description", inject.get("description"))
    for rule in document.get("rules") or []:
        for name in _RULE_FIELDS:
            put(f"rules.{rule.get('id')}.{name}", rule.get(name))
    return texts


def _variable_texts(variables: dict[str, Any], put) -> None:
    """Labels and descriptions of variables, keyed by their state name, and enum values."""
    for kind, entries in variables.items():
        for name, spec in (entries or {}).items():
            state_name = f"{kind}.{name}" if kind in ("relations", "memory") else name
            prefix = f"variables.{state_name}"
            put(f"{prefix}.label", spec.get("label"))
            put(f"{prefix}.description", spec.get("description"))
            if kind == "enums":
                for value in spec.get("values") or []:
                    put(f"{prefix}.values.{value}", value)


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, sorted, so two texts can be compared for them."""
    return sorted(PLACEHOLDER_PATTERN.findall(text))


@dataclass
class TranslationReport:
    """What a translation lacks or gets wrong against its document; empty lists when sound."""

    problems: list[str] = field(default_factory=list)  # the file itself: format, slug, ...
    missing: list[str] = field(default_factory=list)  # keys of texts with no translation
    extra: list[str] = field(default_factory=list)  # keys that match no text
    changed: list[str] = field(default_factory=list)  # the source text has changed since
    placeholders: list[str] = field(default_factory=list)  # keys whose placeholders differ

    @property
    def ok(self) -> bool:
        return not (
            self.problems or self.missing or self.extra or self.changed or self.placeholders
        )

    def lines(self) -> list[str]:
        """One readable line per problem, for a loader's error or a test's failure."""
        out = list(self.problems)
        out += [f"{key}: no translation" for key in self.missing]
        out += [f"{key}: matches no text of the scenario" for key in self.extra]
        out += [f"{key}: the text changed since it was translated" for key in self.changed]
        out += [f"{key}: placeholders differ from the text's" for key in self.placeholders]
        return out


def check_translation(document: dict[str, Any], translation: Any) -> TranslationReport:
    """Compare a translation with its document: every text translated, nothing else."""
    report = TranslationReport()
    if not isinstance(translation, dict):
        report.problems.append("$: a translation is a JSON object")
        return report
    if translation.get("format") != FORMAT:
        report.problems.append(f"$.format: must be {FORMAT!r}")
    for name in ("slug", "version"):
        if translation.get(name) != document.get(name):
            report.problems.append(
                f"$.{name}: {translation.get(name)!r} is not the scenario's {document.get(name)!r}"
            )
    language = translation.get("language")
    if not isinstance(language, str) or not LANGUAGE_PATTERN.match(language):
        report.problems.append(f"$.language: {language!r} is not a language code such as 'ko'")
    entries = translation.get("texts")
    if not isinstance(entries, dict):
        report.problems.append("$.texts: must be an object of key to {source, text}")
        return report
    texts = translatable_texts(document)
    for key, source in texts.items():
        entry = entries.get(key)
        if not _entry_text(entry):
            report.missing.append(key)
            continue
        if entry.get("source") != source:
            report.changed.append(key)
        if placeholders(entry["text"]) != placeholders(source):
            report.placeholders.append(key)
    report.extra = [key for key in entries if key not in texts]
    return report


def _entry_text(entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("text"), str):
        return entry["text"].strip()
    return ""


def translated_texts(document: dict[str, Any], translation: dict[str, Any]) -> dict[str, str]:
    """Each text of the document in the translation's language, falling back to the source."""
    entries = translation.get("texts") or {}
    return {
        key: _entry_text(entries.get(key)) or source
        for key, source in translatable_texts(document).items()
    }


def apply_translation(document: dict[str, Any], translation: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document with its texts in the translation's language, for reading.

    Codes, ids, values and numbers are untouched, so the copy adjudicates exactly as the
    original; but it is not the released document (its hash differs): games and logs keep
    pinning the original, and pages show this copy. A text with no translation stays in
    the source language. Enum value labels have no place in a document; read them with
    ``translated_texts`` (``variables.<name>.values.<value>``).
    """
    words = translated_texts(document, translation)
    out = copy.deepcopy(document)

    def swap(holder: dict[str, Any], name: str, key: str) -> None:
        if key in words and isinstance(holder.get(name), str):
            holder[name] = words[key]

    swap(out, "title", "title")
    source = out.get("source") or {}
    for name in _SOURCE_FIELDS:
        swap(source, name, f"source.{name}")
    for section in list((source.get("sections") or {}).keys()):
        swap(source["sections"], section, f"source.sections.{section}")
    turns = out.get("turns") or {}
    if isinstance(turns.get("labels"), list):
        turns["labels"] = [
            words.get(f"turns.labels.{i}", label) for i, label in enumerate(turns["labels"])
        ]
    cap = out.get("relation_cap") or {}
    swap(cap, "title", "relation_cap.title")
    swap(cap, "explain", "relation_cap.explain")
    for role in out.get("roles") or []:
        prefix = f"roles.{role.get('slug')}"
        for name in _ROLE_FIELDS:
            swap(role, name, f"{prefix}.{name}")
        if role.get("fears"):
            role["fears"] = [
                words.get(f"{prefix}.fears.{i}", fear) for i, fear in enumerate(role["fears"])
            ]
        for objective in role.get("objectives") or []:
            swap(objective, "label", f"{prefix}.objectives.{objective.get('id')}.label")
    for kind, entries in (out.get("variables") or {}).items():
        for name, spec in (entries or {}).items():
            state_name = f"{kind}.{name}" if kind in ("relations", "memory") else name
            swap(spec, "label", f"variables.{state_name}.label")
            swap(spec, "description", f"variables.{state_name}.description")
    for action in out.get("actions") or []:
        prefix = f"actions.{action.get('role')}:{action.get('code')}"
        swap(action, "label", f"{prefix}.label")
        swap(action, "description", f"{prefix}.description")
    for event in out.get("events") or []:
        swap(event, "label", f"events.{event.get('id')}.label")
    for inject in out.get("injects") or []:
        swap(inject, "label", f"injects.{inject.get('id')}.label")
        swap(inject, "description", f"injects.{inject.get('id')}.description")
    for rule in out.get("rules") or []:
        for name in _RULE_FIELDS:
            swap(rule, name, f"rules.{rule.get('id')}.{name}")
    return out


def skeleton(
    document: dict[str, Any], language: str, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A translation file to fill in: every text of the document with an empty ``text``,
    or the text of ``previous`` (another version's translation) where its source is the same.
    """
    earlier = (previous or {}).get("texts") or {}
    texts = {}
    for key, source in translatable_texts(document).items():
        old = earlier.get(key)
        kept = _entry_text(old) if isinstance(old, dict) and old.get("source") == source else ""
        texts[key] = {"source": source, "text": kept}
    return {
        "format": FORMAT,
        "slug": document.get("slug"),
        "version": document.get("version"),
        "language": language,
        "texts": texts,
    }


def dumps(translation: dict[str, Any]) -> str:
    """A translation file's JSON with one text per line, so that diffs read text by text."""
    lines = ["{"]
    for name, value in translation.items():
        if name != "texts":
            lines.append(f" {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},")
    entries = list((translation.get("texts") or {}).items())
    lines.append(' "texts": {')
    for index, (key, entry) in enumerate(entries):
        comma = "," if index < len(entries) - 1 else ""
        lines.append(f"  {json.dumps(key)}: {json.dumps(entry, ensure_ascii=False)}{comma}")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m wargame.engine.translations check|skeleton ...``: for scenario authors.

    check DOC TRANSLATION        list what the translation lacks; exit 1 if anything
    skeleton DOC LANG [--from F] print a file to fill in, keeping F's unchanged texts
    """
    parser = argparse.ArgumentParser(prog="python -m wargame.engine.translations")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check a translation against its document")
    check.add_argument("document", type=Path)
    check.add_argument("translation", type=Path)
    make = commands.add_parser("skeleton", help="print a translation file to fill in")
    make.add_argument("document", type=Path)
    make.add_argument("language")
    make.add_argument("--from", dest="previous", type=Path, default=None)
    args = parser.parse_args(argv)

    def read(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            parser.exit(2, f"{path}: cannot read it as JSON ({error})\n")

    document = read(args.document)
    if args.command == "check":
        report = check_translation(document, read(args.translation))
        for line in report.lines():
            print(f"{args.translation}: {line}")
        if report.ok:
            print(f"{args.translation}: every text of {args.document} is translated")
        return 0 if report.ok else 1
    if not LANGUAGE_PATTERN.match(args.language):
        parser.exit(2, f"{args.language!r} is not a language code such as 'ko'\n")
    previous = read(args.previous) if args.previous else None
    sys.stdout.write(dumps(skeleton(document, args.language, previous)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
