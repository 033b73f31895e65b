"""play_bot --base URL --code CODE [--policy doctrine] [--name NAME] [--seed N]

Joins a seat of a game on any server through its public API and plays it with a bot
policy until the game ends, exactly as a person would (wargame.client.bot).
"""

from __future__ import annotations

import secrets

from django.core.management.base import BaseCommand

from wargame.bots import POLICY_NAMES
from wargame.client import ApiError, GameClient
from wargame.client.bot import play_seat

from ._common import fail


class Command(BaseCommand):
    help = "Play one seat of a game through the public API with a bot policy."

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8000")
        parser.add_argument("--code", required=True, help="the seat's join code")
        parser.add_argument(
            "--policy", default="doctrine", choices=[p for p in POLICY_NAMES if p != "scripted"]
        )
        parser.add_argument("--name", default="Bot")
        parser.add_argument("--seed", type=int, help="the bot's own dice (default: fresh)")
        parser.add_argument("--timeout", type=float, default=3600)

    def handle(self, *args, **opts):
        seed = opts["seed"] if opts["seed"] is not None else secrets.randbelow(2**53)
        client = GameClient(opts["base"])
        try:
            view = play_seat(
                client,
                code=opts["code"],
                name=opts["name"],
                policy=opts["policy"],
                seed=seed,
                say=lambda line: self.stdout.write(line),
                timeout=opts["timeout"],
            )
        except ApiError as exc:
            fail(f"the server said {exc.status}: {exc.message}")
        except (OSError, TimeoutError) as exc:
            fail(f"cannot play: {exc}")
        self.stdout.write(f"final scores: {view['scores']}")
