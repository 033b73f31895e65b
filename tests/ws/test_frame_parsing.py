"""Frames a client sends are parsed into an object or a sentence for the error frame;
nothing a client sends raises (a raised error closed the socket with 1011)."""

import json

import pytest

from wargame.ws.consumer import MAX_FRAME_CHARS, parse_frame


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 2000, "nested too deeply"),
        ("[" * 2000 + "]" * 2000, "nested too deeply"),
        ('{"type": "ping"', "not JSON"),
        ("[1]", "JSON object"),
        ('"ping"', "JSON object"),
        ("x" * (MAX_FRAME_CHARS + 1), "4 KB"),
        (None, "JSON text frames"),
    ],
)
def test_a_bad_frame_is_answered_in_words_not_raised(text, words):
    """Each bad frame gives no object and a sentence naming what is wrong."""
    frame, problem = parse_frame(text)
    assert frame is None
    assert words in problem


def test_a_good_frame_is_its_object():
    """A resume frame comes back as the object sent, with no problem."""
    sent = {"type": "resume", "last_seq": 3}
    assert parse_frame(json.dumps(sent)) == (sent, None)
