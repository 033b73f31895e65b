"""Our catalogs as the tests read them, through polib (the library `compile_catalogs` uses).

A thin adapter: each entry keeps the shape the catalog tests speak (msgstr by plural index,
fuzzy, where it is), so a failing test names the line of the .po file to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib


@dataclass
class Entry:
    """One message: its id (and plural id), its translations by plural index, its flags."""

    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def where(self) -> str:
        return f"line {self.line} ({', '.join(self.references) or 'no reference'})"


def _entry(item: polib.POEntry) -> Entry:
    if item.msgid_plural:
        msgstr = {int(index): text for index, text in item.msgstr_plural.items()}
    else:
        msgstr = {0: item.msgstr} if item.msgstr else {}
    return Entry(
        line=item.linenum,
        msgctxt=item.msgctxt,
        msgid=item.msgid,
        msgid_plural=item.msgid_plural or None,
        msgstr=msgstr,
        fuzzy=item.fuzzy,
        references=[f"{path}:{line}" if line else path for path, line in item.occurrences],
    )


def read_po(path: Path) -> list[Entry]:
    """Every active entry of a .po file (obsolete `#~` ones skipped), the header first."""
    catalog = polib.pofile(str(path), wrapwidth=0)
    header = Entry(line=1, msgstr={0: _metadata_text(catalog)})
    header.fuzzy = bool(catalog.metadata_is_fuzzy)
    return [header, *(_entry(item) for item in catalog if not item.obsolete)]


def _metadata_text(catalog: polib.POFile) -> str:
    return "".join(f"{key}: {value}\n" for key, value in catalog.ordered_metadata())


def plural_count(header: Entry) -> int:
    """nplurals of the header's Plural-Forms."""
    for line in header.msgstr[0].splitlines():
        if line.startswith("Plural-Forms:"):
            return int(line.split("nplurals=")[1].split(";")[0])
    raise ValueError("no Plural-Forms in the header")


def write_mo(path_po: Path, path_mo: Path) -> None:
    """Compile a .po file as `compile_catalogs` does."""
    polib.pofile(str(path_po)).save_as_mofile(str(path_mo))
