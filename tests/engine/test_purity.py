"""The pure layers (engine, scenario loader, bot policies and the Monte Carlo runner, log
reader, policy, review view-models) import nothing of Django, Channels or Celery.

Checked in a fresh interpreter, so modules the test session itself has imported (pytest
plugins, other tests) cannot hide or fake a leak.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("django", "channels", "celery")

PROGRAM = f"""
import json, sys
import wargame.engine
import wargame.engine.loader
import wargame.bots, wargame.bots.runner
import wargame.gamelog
import wargame.policy
import wargame.review.charts, wargame.review.debrief, wargame.review.exports
import wargame.review.replay, wargame.review.lab
from wargame.engine import Move, adjudicate
from wargame.engine.loader import load_scenario

scenario = load_scenario()
state = scenario.initial_state()
adj = adjudicate(state, [Move("pyongyang", "envoy_to_beijing")], seed=1, scenario=scenario)
assert adj.turn == 1
leaked = sorted(name for name in sys.modules if name.startswith({FORBIDDEN!r}))
print(json.dumps({{"leaked": leaked, "hash": adj.state_hash}}))
"""


def test_pure_layers_import_no_web_stack():
    """Import the engine, the loader, the log reader, the policy and the review
    view-models, load the scenario and adjudicate one turn in a clean interpreter: no
    module whose name starts with django, channels or celery is loaded."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["leaked"] == []
    assert len(report["hash"]) == 64
