"""The storable-text check (wargame/policy/text.py): what it refuses and how it says where."""

from wargame.policy.text import fault_in, text_fault, tree_fault


def test_plain_korean_emoji_and_control_text_is_storable():
    """Hangul, an emoji (a surrogate pair in UTF-16, one character here), tabs: no fault."""
    assert text_fault("김지우 🙂\tok\n") is None


def test_nul_and_lone_surrogate_are_named_with_their_position():
    """Each fault says what the character is and where it stands."""
    assert "NUL character (U+0000) at position 2" in text_fault("ab\x00c")
    assert "lone surrogate (U+DC80) at position 1" in text_fault("a\udc80")


def test_tree_fault_gives_the_json_path_of_a_value_or_key():
    """The first bad string or key in a document, as a JSON path."""
    document = {"turns": [{"moves": [{"rationale": "ok"}, {"rationale": "x\x00"}]}]}
    assert tree_fault(document).startswith("$.turns[0].moves[1].rationale: contains a NUL")
    assert tree_fault({"effects": [{"\ud800": 1}]}).startswith("$.effects[0]: a key contains")


def test_tree_fault_walks_any_depth_without_recursion():
    """A 100,000-deep list (deeper than Python's recursion limit) is walked to its end."""
    deep: list = ["\x00"]
    for _ in range(100_000):
        deep = [deep]
    assert "NUL" in tree_fault(deep)


def test_fault_in_names_the_field_and_skips_none():
    """Fields are named as the caller passes them; None is no text at all."""
    assert fault_in(target=None, rationale="fine") is None
    assert fault_in(target=None, to=["beijing", "se\x00oul"]).startswith("to[1]: ")
