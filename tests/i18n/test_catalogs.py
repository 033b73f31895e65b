"""The Korean catalogs are complete: every entry of django.po and djangojs.po has a
non-empty, non-fuzzy Korean msgstr keeping its msgid's placeholders and HTML, and the
catalogs compile and translate when loaded."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.i18n.pofile import plural_count, read_po, write_mo

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES"
CATALOGS = ("django.po", "djangojs.po")
# %(name)s / %(n)d, positional %s / %d, a literal %%, and {name} (str.format).
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|%%|\{[A-Za-z0-9_]*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _entries(name):
    return read_po(LOCALE / name)


def _messages(name):
    return [entry for entry in _entries(name) if not entry.is_header]


@pytest.mark.parametrize("name", CATALOGS)
def test_header_says_korean_with_one_plural_form(name):
    header = _entries(name)[0]
    assert header.is_header
    assert not header.fuzzy
    meta = header.msgstr[0]
    assert "Language: ko\n" in meta
    assert "charset=UTF-8" in meta
    assert plural_count(header) == 1
    assert "plural=0;" in meta


@pytest.mark.parametrize("name", CATALOGS)
def test_every_entry_is_translated_and_not_fuzzy(name):
    untranslated = [
        f"{entry.where()}: {entry.msgid!r}"
        for entry in _messages(name)
        if entry.fuzzy or not entry.msgstr or not all(s.strip() for s in entry.msgstr.values())
    ]
    assert untranslated == []


@pytest.mark.parametrize("name", CATALOGS)
def test_plural_entries_have_the_one_korean_form(name):
    wrong = [
        entry.where()
        for entry in _messages(name)
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0]
    ]
    assert wrong == []


@pytest.mark.parametrize("name", CATALOGS)
def test_translations_keep_placeholders_and_html(name):
    """A dropped or renamed %(name)s breaks the page at run time; a changed tag breaks
    its markup. The Korean may move them, not change them."""
    wrong = []
    for entry in _messages(name):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for text in entry.msgstr.values():
            for pattern in (PLACEHOLDER, TAG):
                found = sorted(pattern.findall(text))
                if all(found != sorted(pattern.findall(source)) for source in sources):
                    wrong.append(f"{entry.where()}: {entry.msgid!r} -> {text!r}")
    assert wrong == []


@pytest.mark.parametrize("name", CATALOGS)
def test_translations_are_korean(name):
    """No msgstr is the English copied across (each has Hangul), save a reviewed few."""
    same_in_both = {
        "JSON API",
        "0~100",
        "%(label)s: %(now)s",
        "%(low)s~%(high)s",
        "%(action)s: %(result)s (%(reason)s)",
    }
    english = [
        f"{entry.where()}: {entry.msgid!r}"
        for entry in _messages(name)
        if not HANGUL.search(entry.msgstr.get(0, "")) and entry.msgstr.get(0) not in same_in_both
    ]
    assert english == []


@pytest.mark.parametrize("name", CATALOGS)
def test_catalog_compiles_and_translates(name, tmp_path):
    """Compiled, the catalog is read by gettext (as Django reads it) and answers Korean,
    plurals included."""
    entries = _entries(name)
    mo = tmp_path / name.replace(".po", ".mo")
    write_mo(LOCALE / name, mo)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.info()["language"] == "ko"
    for entry in entries[1:]:
        if entry.msgid_plural is None and entry.msgctxt is None:
            assert catalog.gettext(entry.msgid) == entry.msgstr[0]
        elif entry.msgid_plural is not None and entry.msgctxt is None:
            for n in (1, 2, 5):
                assert catalog.ngettext(entry.msgid, entry.msgid_plural, n) == entry.msgstr[0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("name", CATALOGS)
def test_msgfmt_accepts_the_catalog(name, tmp_path):
    """GNU msgfmt --check (what compilemessages runs) finds no error: format strings,
    plural forms and the header."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(LOCALE / name)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
