"""Every refusal a person can meet is said in Korean too (issue 11): no `GameError` (or
`Reason`, the pure layers' translatable sentence) is raised with an f-string or a string
built on the spot, which no catalog can hold, and every literal template is in the Korean
catalog with a Korean translation. The API test (tests/web/test_errors_in_korean.py)
provokes each kind at run time; this one reads every raise site in the source."""

import ast
from pathlib import Path

from django.utils import translation

from tests.i18n.pofile import read_po
from wargame.engine.reasons import Reason, at
from wargame.errors import STATE_WORDS, BadInput, state_word
from wargame.selectors.reasons import localised

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "wargame").rglob("*.py"), *(ROOT / "players").rglob("*.py")])
CATALOG = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
# The calls that take a literal template as the sentence a person reads (first argument)
# and make it translatable themselves.
TEMPLATE_FIRST = {"GameError", "BadInput", "NotAllowed", "NotFound", "WrongPhase"}
TEMPLATE_FIRST |= {"TooLarge", "Throttled", "Reason", "JoinRefused"}
# The pure layers' errors: their sentence must come as a Reason (or `at(path, Reason)`);
# a bare string there would stay English.
REASON_FIRST = {"ScenarioError", "UnknownScenario", "UnreleasedScenario", "UnknownRuleset"}
REASON_FIRST |= {"BadSeed", "InvalidMoves"}
REASON_SECOND = {"LogError", "LogTooLarge", "SchemaError", "Violation"}  # after a path or code


ALL_FIRST = TEMPLATE_FIRST | REASON_FIRST


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _sentences():
    """(where, argument node, whether a literal is fine there) for each sentence passed to
    a refusal in the source."""
    for path in SOURCES:
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            index = 1 if name in REASON_SECOND else 0 if name in ALL_FIRST else None
            if index is None or len(node.args) <= index:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            yield where, node.args[index], name in TEMPLATE_FIRST


def _built_on_the_spot(node: ast.AST) -> bool:
    """An f-string, a %-formatted, joined or concatenated string: English only."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("format", "join")


def test_no_refusal_is_built_from_an_f_string_or_formatting():
    built = [where for where, node, _ in _sentences() if _built_on_the_spot(node)]
    assert built == []


def test_the_pure_layers_give_no_bare_string():
    """A pure layer's error takes a Reason: a bare literal would never be translated."""
    bare = [
        where
        for where, node, literal_ok in _sentences()
        if not literal_ok and isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert bare == []


def test_the_source_has_refusals_to_check():
    """The scan finds the raise sites (a renamed class would otherwise pass it empty)."""
    literals = [n for _, n, _ in _sentences() if isinstance(n, ast.Constant)]
    assert len(literals) > 150


def test_every_literal_refusal_has_a_korean_translation():
    entries = {e.msgid: e for e in read_po(CATALOG) if not e.is_header}
    missing = []
    for where, node, _ in _sentences():
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        entry = entries.get(node.value)
        if entry is None or entry.fuzzy or not entry.msgstr.get(0, "").strip():
            missing.append(f"{where}: {node.value!r}")
    assert missing == []


def test_a_reason_is_said_in_the_active_language():
    """The same refusal, raised once, reads in English or Korean by the language active
    where it is answered; its parameters (the state word) are said the same way."""
    error = BadInput(
        "Turn %(number)s is already %(status)s.", number=3, status=state_word("resolved")
    )
    assert str(error) == error.message == "Turn 3 is already resolved."
    with translation.override("en"):
        assert localised(error.message) == "Turn 3 is already resolved."
    with translation.override("ko"):
        assert localised(error.message) == "3턴은 이미 판정 완료 상태입니다."


def test_a_json_path_stays_as_written_and_its_sentence_is_translated():
    reason = at("$.turns[2].moves[0].action", Reason("unknown role %(role)s", role="'x'"))
    assert reason == "$.turns[2].moves[0].action: unknown role 'x'"
    with translation.override("ko"):
        assert localised(reason) == "$.turns[2].moves[0].action: 알 수 없는 역할 'x'"


def test_every_state_a_refusal_names_is_translated():
    with translation.override("ko"):
        untranslated = [word for word in STATE_WORDS if localised(word) == word]
    assert untranslated == []
