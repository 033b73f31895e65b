"""Seats and the people (or bots) in them.

A Seat is a place at a game's table: a role, or the facilitator, or an observer, with the
join code that claims it. Each person who joins with that code becomes a Participant
with a secret token (several people may share a capital's seat, as teams do).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

FACILITATOR = "facilitator"
OBSERVER = "observer"


class Seat(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person"
        BOT = "bot"

    game = models.ForeignKey("wargame.Game", on_delete=models.CASCADE, related_name="seats")
    role = models.SlugField(max_length=32, help_text="A role slug, 'facilitator' or 'observer'.")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PERSON)
    code = models.CharField(max_length=16, unique=True)
    # A bot seat's policy (wargame.bots.POLICY_NAMES) and, for `scripted`, its role's
    # moves per turn as a small script document ({"turns": [{"number", "moves"}]}).
    policy = models.CharField(max_length=16, default="random", blank=True)
    script = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["game", "role"], name="seat_role")]

    def __str__(self) -> str:
        return f"{self.role} in game {self.game_id}"

    @property
    def is_facilitator(self) -> bool:
        return self.role == FACILITATOR

    @property
    def is_observer(self) -> bool:
        return self.role == OBSERVER

    @property
    def plays(self) -> bool:
        return self.role not in (FACILITATOR, OBSERVER)


class Participant(models.Model):
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=80)
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.seat})"
