"""Games played to the end through the services by seats making random legal moves.

A random one or two roles are people (named participants) whose moves come from the
`random` bot policy (`wargame.bots.bot_moves`) with a fresh random seed each turn, submitted
and locked through `move_submit` / `role_lock`; the other roles are bot seats, which the
services play by themselves (`bots_play`, the same chooser with the game's seed). Every
move is legal. Some turns carry messages (naming participants) and one a scenario inject.
Deterministic for a given `seed`.

Why not five people in every game: a turn played by five people costs about a dozen
service calls (each a transaction of ~5 ORM queries and a GameEvent whose channel-layer
send `async_to_sync` hands to a new thread), ~140 ms per turn in the embedded mode, and
100 games of 1-10 turns took 145 s, 88% of it playing. Bot seats play in one call per
turn: 50-70 s, without playing fewer games or turns. `play_random_game(seed,
people=ROLES)` still seats five people.
"""

from __future__ import annotations

import random

from players.services import seat_join
from tests.support.scripted_game import ROLES
from wargame.bots import bot_moves
from wargame.engine.loader import pinned_scenario
from wargame.models import Game
from wargame.services.games import game_create, game_start
from wargame.services.injects import inject_apply
from wargame.services.messages import message_post
from wargame.services.moves import move_submit, role_lock

# Participant names: no part of one is a word of a role label or of the scenario's texts,
# so "no name left anywhere" can be checked word by word.
NAMES = {
    "seoul": "Kwon Ji-woo",
    "beijing": "Zhao Lirong",
    "pyongyang": "Ryom Songhui",
    "washington": "Maddox Quill",
    "moscow": "Yevgenia Orlova",
    "facilitator": "Prudence Vantablack",
    "observer": "Oswin Thackeray",
}
INJECTS = ["rok_election", "new_yalu_bridge_opens", "border_incident", "us_tariff_shock"]


def play_random_game(
    seed: int,
    *,
    turns: int | None = None,
    people: list[str] | None = None,
    scenario_version: int | None = None,
) -> Game:
    """Create, seat, start and play a game to the end; `people` are the roles played by
    named participants (default: one or two at random), the rest are bots. The game plays
    `scenario_version` (default: the latest release)."""
    rng = random.Random(seed)
    turns = turns or rng.randint(1, 10)
    people = people if people is not None else rng.sample(ROLES, rng.randint(1, 2))
    bots = [r for r in ROLES if r not in people]
    game, codes = game_create(
        seed=rng.randrange(2**31),
        turns=turns,
        bots=bots,
        title=f"Random {seed}",
        scenario_version=scenario_version,
    )
    for seat in [*people, "facilitator", "observer"]:
        seat_join(code=codes[seat], name=NAMES[seat])
    game_start(game_id=game.pk)
    scenario = pinned_scenario(game.scenario)
    inject_turn = rng.randint(1, turns)
    for number in range(1, turns + 1):
        game.refresh_from_db()
        if number == inject_turn:
            inject_apply(game_id=game.pk, inject_id=rng.choice(INJECTS))
        for role in people:
            choice_seed = rng.randrange(2**31)
            for move in bot_moves(scenario, game.state, role, seed=choice_seed):
                move_submit(
                    game_id=game.pk,
                    role=role,
                    action=move.action,
                    target=move.target,
                    rationale=f"{NAMES[role]} thinks {move.action} pays off.",
                )
        for _ in range(rng.randint(0, 3)):
            sender = rng.choice(people)
            other = rng.choice([r for r in ROLES if r != sender])
            to = rng.choice(["all", other, [other, "facilitator"]])
            message_post(
                game_id=game.pk,
                sender=sender,
                to=to,
                text=f"{NAMES[other]}, this is {NAMES[sender]} (cc {NAMES['facilitator']}): "
                f"turn {number}, holding firm.",
            )
        for role in people:
            role_lock(game_id=game.pk, role=role)
    game.refresh_from_db()
    assert game.status == Game.Status.FINISHED, (game.status, game.current_turn)
    return game
