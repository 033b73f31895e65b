"""A small, strict reader for gettext .po files, enough to check our catalogs in tests.

Django reads compiled .mo files and ships no .po reader, and the catalogs must be
checkable where GNU gettext is not installed, so the tests parse the text themselves.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_CONTINUATION = re.compile(r'^(".*")\s*$')


@dataclass
class Entry:
    """One message: its id (and plural id), its translations by plural index, its flags."""

    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def where(self) -> str:
        return f"line {self.line} ({', '.join(self.references) or 'no reference'})"


def _unquote(token: str, path: Path, number: int) -> str:
    try:
        value = ast.literal_eval(token)
    except (SyntaxError, ValueError) as error:
        raise ValueError(f"{path}:{number}: bad string {token}") from error
    if not isinstance(value, str):
        raise ValueError(f"{path}:{number}: not a string {token}")
    return value


def read_po(path: Path) -> list[Entry]:
    """Every active entry of a .po file (obsolete `#~` entries are skipped), header first."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    awaiting_msgid = False  # a msgctxt was read: the next msgid belongs to its entry
    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#~"):
            continue
        if text.startswith("#,"):
            pending_flags |= {flag.strip() for flag in text[2:].split(",") if flag.strip()}
            continue
        if text.startswith("#:"):
            pending_refs += text[2:].split()
            continue
        if text.startswith("#"):
            continue
        keyword = _KEYWORD.match(text)
        if keyword:
            name, index, token = keyword.group(1), keyword.group(2), keyword.group(3)
            value = _unquote(token, path, number)
            if name == "msgctxt" or (name == "msgid" and not awaiting_msgid):
                current = Entry(line=number, flags=pending_flags, references=pending_refs)
                entries.append(current)
                pending_flags, pending_refs = set(), []
            awaiting_msgid = name == "msgctxt"
            if current is None:
                raise ValueError(f"{path}:{number}: {name} before msgid")
            if name == "msgctxt":
                current.msgctxt = value
                target = ("msgctxt", None)
            elif name == "msgid":
                current.msgid = value
                target = ("msgid", None)
            elif name == "msgid_plural":
                current.msgid_plural = value
                target = ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            continue
        continuation = _CONTINUATION.match(text)
        if continuation and current is not None and target is not None:
            value = _unquote(continuation.group(1), path, number)
            name, slot = target
            if name == "msgstr":
                current.msgstr[slot] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def plural_count(header: Entry) -> int:
    """nplurals from the header's Plural-Forms."""
    found = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    if not found:
        raise ValueError("the header has no Plural-Forms: nplurals=N")
    return int(found.group(1))


def write_mo(entries: list[Entry], path: Path) -> None:
    """Compile entries to a GNU .mo file (what msgfmt writes), skipping fuzzy ones.

    Lets a test load the catalog with the standard library's gettext, as Django does,
    where GNU gettext is not installed.
    """
    import struct

    messages: dict[bytes, bytes] = {}
    for entry in entries:
        if entry.fuzzy and not entry.is_header:
            continue
        key = entry.msgid
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        if entry.msgid_plural is not None:
            key = f"{key}\x00{entry.msgid_plural}"
        value = "\x00".join(entry.msgstr[i] for i in sorted(entry.msgstr))
        messages[key.encode("utf-8")] = value.encode("utf-8")
    keys = sorted(messages)
    ids = b"".join(k + b"\x00" for k in keys)
    strs = b"".join(messages[k] + b"\x00" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, id_at, str_at = [], 0, 0
    for k in keys:
        offsets.append((len(k), start + id_at, len(messages[k]), start + len(ids) + str_at))
        id_at += len(k) + 1
        str_at += len(messages[k]) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    table_ids = b"".join(struct.pack("ii", length, at) for length, at, _, _ in offsets)
    table_strs = b"".join(struct.pack("ii", length, at) for _, _, length, at in offsets)
    path.write_bytes(header + table_ids + table_strs + ids + strs)
