"""Write a golden log: ten turns of the scripted 2025 game, played through the services
with messages, a scenario inject, a free-form inject and an umpire override (of the state,
and of a move's result).

Run once per ruleset/scenario release and commit the output; the tests then check that
every later `main` still verifies it (docs/log-format.md, "Versions"). Not run by the
tests themselves: the point of a golden log is that it was recorded by older code.

    .venv/bin/python tests/gamelog/golden/make_golden.py tests/gamelog/golden/OUT.json [SEED]

SEED is 20250314 (ruleset 1, integer dice) or 32 hex digits (the current ruleset, secret
dice). Since ruleset 3 the turn-4 override also marks Pyongyang's missile test failed;
since ruleset 4 the snap-election inject is fired in turn 3.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def main(out: str, seed_text: str = "20250314") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wargame.settings"
    os.environ["LT_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "golden.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from players.services import seat_join
    from tests.support.scripted_game import ROLES, SCRIPT
    from wargame.engine import seed_from_text
    from wargame.models import TurnResult
    from wargame.selectors import game_log
    from wargame.services.games import game_create, game_start
    from wargame.services.injects import inject_apply
    from wargame.services.messages import message_post
    from wargame.services.moves import move_submit, role_lock
    from wargame.services.review import review_accept, review_override

    game, codes = game_create(
        seed=seed_from_text(seed_text), turns=10, title="Golden 2025", umpire_review=True
    )
    for seat in [*ROLES, "facilitator", "observer"]:
        seat_join(code=codes[seat], name=f"{seat.title()} team")
    game_start(game_id=game.pk)
    for number in range(1, 11):
        message_post(game_id=game.pk, sender="seoul", to="beijing", text=f"Turn {number}: talk?")
        if number == 2:
            inject_apply(game_id=game.pk, inject_id="us_tariff_shock")
        if number == 3 and game.ruleset >= 4:
            # From ruleset 4 injects come before the rules: the election ends Seoul's
            # vacuum before Seoul's stabilising move is judged (recordings from 4 on).
            inject_apply(game_id=game.pk, inject_id="rok_election")
        if number == 5:
            inject_apply(
                game_id=game.pk,
                label="Border incident at Panmunjom",
                description="Shots across the line.",
                effects=[{"var": "tension", "add": 6}, {"var": "tension", "add_roll": [-2, 2]}],
            )
        for role in ROLES:
            for action, target in SCRIPT.get(number, {}).get(role, []):
                move_submit(
                    game_id=game.pk,
                    role=role,
                    action=action,
                    target=target,
                    rationale=f"{role} plays {action}",
                )
        for role in ROLES:
            role_lock(game_id=game.pk, role=role)
        if number == 4:
            proposed = TurnResult.objects.get(turn__game=game, turn__number=4).outcomes
            test = next(i for i, o in enumerate(proposed) if o["action"] == "missile_test")
            review_override(
                game_id=game.pk,
                reason="The umpire judges the test a partial failure.",
                effects=[{"var": "tension", "add": -3}, {"var": "tension", "add_roll": [-2, 2]}],
                # A result changed too (recordings from ruleset 3 on): the failed test
                # loses its effects, and the narrative is told from the final result.
                results=[{"index": test, "result": "failed"}],
            )
        else:
            review_accept(game_id=game.pk)
    game.refresh_from_db()
    log = game_log(game)
    Path(out).write_text(json.dumps(log, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(log['turns'])} turns, final hash {game.state_hash[:12]}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
