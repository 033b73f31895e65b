"""Logs recorded by earlier code verify on this code, forever (issue "A house that shows
its architecture", item 3). Each file here was written once by `make_golden.py` and is
never regenerated: a change that makes one fail has changed the outcome of a game that
was already played, and must be a new scenario version or ruleset instead."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wargame.gamelog import replay

GOLDEN = sorted(Path(__file__).parent.glob("*.json"))


def test_there_is_a_golden_log_of_ten_turns():
    """The catalogue is not empty, and its first log is a full ten-turn game."""
    assert GOLDEN
    assert len(json.loads(GOLDEN[0].read_text(encoding="utf-8"))["turns"]) == 10


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_a_golden_log_verifies(path):
    """Every recorded outcome, state and hash equals its re-adjudication."""
    report = replay(json.loads(path.read_text(encoding="utf-8")))
    assert report["first_mismatch"] is None
    assert report["verified"] is True


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_replay_verify_on_the_cli_exits_0_for_a_golden_log(path):
    """`manage.py replay FILE --verify` says so too (exit 0, "all N turns match")."""
    out, err = StringIO(), StringIO()
    call_command("replay", str(path), "--verify", stdout=out, stderr=err)
    assert "all 10 turns match" in err.getvalue()
