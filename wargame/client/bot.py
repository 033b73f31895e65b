"""A bot that plays one seat through the public API, as a person would: join with the
seat's code, and on every open turn it has not locked, choose moves with a policy from the
seat's own view, submit them and lock; until the game ends.

The policy's dice are the bot's own (`seed`): the game's seed is secret and stays so.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wargame.bots import make_policy, seat_moves
from wargame.engine.loader import load_scenario

from . import ApiError, GameClient

POLL_SECONDS = 0.5


def play_seat(
    client: GameClient,
    *,
    code: str,
    name: str,
    policy: str,
    seed: int,
    say: Callable[[str], None] = lambda line: None,
    timeout: float = 3600,
) -> dict:
    """Join, play every turn, return the final view. Waits by polling the seat's view
    (the socket is for people who watch; a bot only needs to know when a turn opens)."""
    seat = client.join(code, name)
    game_id, role = seat["game"], seat["role"]
    say(f"joined game {game_id} as {role}")
    chooser = make_policy(policy, role=role)
    deadline = time.monotonic() + timeout
    played: set[int] = set()
    while time.monotonic() < deadline:
        view = client.game(game_id)
        if view["status"] == "finished":
            say(f"game {game_id} finished; {role}'s score {view['scores'].get(role)}")
            return view
        turn = view["turn"]
        if view["status"] == "running" and turn["phase"] == "open":
            number = turn["number"]
            if number not in played and role not in view["locked"]:
                scenario = load_scenario(view["scenario"]["slug"], view["scenario"]["version"])
                moves = seat_moves(
                    chooser, scenario, view["state"], role, seed=seed, budget=view["action_budget"]
                )
                for move in moves:
                    client.submit(game_id, move.action, move.target, move.rationale)
                try:
                    client.lock(game_id)
                except ApiError as exc:
                    if exc.status != 409:  # the turn closed meanwhile: next one
                        raise
                played.add(number)
                say(f"turn {number}: {len(moves)} move(s), locked")
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"game {game_id} did not finish within {timeout:.0f} s")
