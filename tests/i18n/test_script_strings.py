"""Every string the scripts translate (`_("...")`, `n_("one", "many", n)` in static/js) has
its entry in djangojs.po. A `makemessages` that does not know a helper drops its strings
from the catalog, and the page then shows them in English (the sparklines' "Down 1 over 1
turn" once did); this test says which string is missing before a browser would."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
CATALOG = ROOT / "locale" / "ko" / "LC_MESSAGES" / "djangojs.po"
LITERAL = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
SINGULAR = re.compile(rf"(?<![\w.$])_\(\s*{LITERAL}\s*\)")
PLURAL = re.compile(rf"(?<![\w.$])n_\(\s*{LITERAL}\s*,\s*{LITERAL}\s*,")


def script_strings() -> set[tuple[str, str | None]]:
    found = set()
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        for match in SINGULAR.finditer(text):
            found.add((ast.literal_eval(match.group(1)), None))
        for match in PLURAL.finditer(text):
            found.add((ast.literal_eval(match.group(1)), ast.literal_eval(match.group(2))))
    return found


def test_the_scripts_have_strings_to_check():
    strings = script_strings()
    assert len(strings) > 100
    assert any(plural for _one, plural in strings)


def test_every_script_string_has_a_korean_entry():
    catalog = {entry.msgid: entry for entry in polib.pofile(str(CATALOG))}
    missing = sorted(one for one, _plural in script_strings() if one not in catalog)
    assert not missing, f"not in djangojs.po (run manage.py makemessages -d djangojs): {missing}"
    wrong_plural = sorted(
        one
        for one, plural in script_strings()
        if plural and (catalog[one].msgid_plural != plural or not catalog[one].msgstr_plural)
    )
    assert not wrong_plural, f"plural entries missing or different: {wrong_plural}"
