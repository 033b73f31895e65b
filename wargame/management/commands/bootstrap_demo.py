"""bootstrap_demo [--if-empty]: the README's run command calls this.

The facilitator login it makes has a known password only in the embedded demo (a laptop,
127.0.0.1). On the full stack, which serves others, the password is random (or
LT_DEMO_PASSWORD) and printed once, here: no deployment ever has a password that
everyone who read the README knows.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from wargame.models import Game
from wargame.services.games import game_create, game_start
from wargame.services.scenarios import scenario_install

DEMO_USER = "facilitator"
EMBEDDED_DEMO_PASSWORD = "lips-and-teeth"


class Command(BaseCommand):
    help = "Load the scenario, make a facilitator login and a demo game, print how to join."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if games exist")
        parser.add_argument(
            "--url", default=os.environ.get("LT_PUBLIC_URL", "http://127.0.0.1:8000")
        )

    def handle(self, *args, **opts):
        scenario_install()
        if opts["if_empty"] and Game.objects.exists():
            self.stdout.write("Games exist already; nothing to bootstrap.")
            return
        users = get_user_model()
        user = users.objects.filter(username=DEMO_USER).first()
        if user is None:
            password = os.environ.get("LT_DEMO_PASSWORD") or (
                EMBEDDED_DEMO_PASSWORD
                if settings.LT_MODE == "embedded"
                else secrets.token_urlsafe(12)
            )
            user = users.objects.create_superuser(DEMO_USER, "", password)
            login = f"user '{DEMO_USER}', password '{password}'"
        else:
            login = f"user '{DEMO_USER}' (password unchanged)"
        game, codes = game_create(title="Demo: Lips and Teeth, 2025", created_by=user)
        game_start(game_id=game.pk)
        url = opts["url"].rstrip("/")
        lines = [
            "",
            f"Lips and Teeth is ready at {url}/",
            f"  admin / facilitator login: {url}/admin/  {login}",
            f"  API docs: {url}/api/docs",
            f"  facilitator console: {url}/games/{game.pk}/ (after logging in)",
            f"  demo game {game.pk} (running, turn 1 of {game.max_turns}); join codes and links:",
        ]
        lines += [f"    {role:12} {code}   {url}/join/{code}/" for role, code in codes.items()]
        lines += [
            "  join from a script:",
            f"    curl -s -X POST {url}/api/join -H 'Content-Type: application/json' "
            f'-d \'{{"code": "{codes["seoul"]}", "name": "Ada"}}\'',
            "",
        ]
        self.stdout.write("\n".join(lines))
