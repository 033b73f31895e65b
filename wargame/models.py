"""Rows for scenarios, games, turns and the append-only event log.

Writes go through `wargame.services` only; these classes hold no behaviour beyond
small read helpers, so that every state change has one write path and one event.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wargame.bots.runner import unpack_records
from wargame.engine import Adjudication, seed_from_text


class SeedField(models.CharField):
    """A dice seed kept as text and read back in the engine's form: an int under
    ruleset 1, 32 hex digits (a str) under ruleset 2 (engine.dice.seed_from_text)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else seed_from_text(str(value))

    def to_python(self, value):
        if value is None or isinstance(value, int):
            return value
        return seed_from_text(str(value))

    def get_prep_value(self, value):
        return None if value is None else str(value)


class Scenario(models.Model):
    """A released scenario version, installed once and never changed: games pin it.

    The document is kept whole for the engine, with the sha256 of its canonical JSON;
    `services.scenarios.scenario_install` refuses another document under the same slug
    and version (bump the version instead).
    """

    slug = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    document = models.JSONField()
    # The same document as JSON text in its authored key order, which the engine reads:
    # jsonb (PostgreSQL) reorders keys, and the order of variables is the narrative's.
    document_text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="scenario_slug_version")
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"


class Role(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="roles")
    slug = models.SlugField(max_length=32)
    name = models.CharField(max_length=80)
    stands_for = models.CharField(max_length=200, blank=True)
    briefing = models.TextField()
    objectives = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["scenario", "slug"], name="role_slug")]

    def __str__(self) -> str:
        return self.name


class ActionDef(models.Model):
    """One entry of the action catalogue (codes are a public contract)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="actions")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    targets = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "role", "code"], name="action_code")
        ]

    def __str__(self) -> str:
        return f"{self.role.slug}:{self.code}"


class RuleDef(models.Model):
    """A rule of the scenario with its provenance in the commentary, for browsing."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="rules")
    rule_id = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    claims = models.JSONField(default=list)
    section = models.CharField(max_length=8)
    explanation = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["scenario", "rule_id"], name="rule_id")]

    def __str__(self) -> str:
        return self.rule_id


def with_scenario_row(rows: models.QuerySet, path: str = "scenario") -> models.QuerySet:
    """`rows` with the scenario row at `path` joined, but not its document (two copies of
    ~70 kB, parsed on every read): the engine builds a scenario once per content hash
    (`engine.pinned_scenario`), so only a cache miss reads the document."""
    return rows.select_related(path).defer(f"{path}__document", f"{path}__document_text")


class GameQuerySet(models.QuerySet):
    def with_scenario(self) -> GameQuerySet:
        """Games with their scenario row, without its document (`with_scenario_row`)."""
        return with_scenario_row(self)


class Game(models.Model):
    class Status(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        FINISHED = "finished", _("Finished")

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="games")
    # The engine ruleset (engine.RULESETS) every turn of this game is adjudicated under.
    ruleset = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.LOBBY)
    # The dice seed (engine.dice): 32 hex digits of secret under ruleset 2, a whole number
    # under ruleset 1. Never in anything a seat receives before the log is theirs.
    seed = SeedField()
    max_turns = models.PositiveSmallIntegerField()
    action_budget = models.PositiveSmallIntegerField()
    deadline_seconds = models.PositiveIntegerField(null=True, blank=True)
    # The state after the last resolved turn ("turn" inside it counts resolved turns).
    state = models.JSONField()
    state_hash = models.CharField(max_length=64)
    start_state = models.JSONField()
    current_turn = models.PositiveSmallIntegerField(default=0)
    last_seq = models.PositiveBigIntegerField(default=0)
    read_only = models.BooleanField(default=False, help_text="An imported log: replay only.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    parent_turn = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paused_remaining = models.FloatField(null=True, blank=True)
    observers_read_channels = models.BooleanField(
        default=False, help_text="Observers may read private channels (a debrief, a class)."
    )
    umpire_review = models.BooleanField(
        default=False, help_text="Show each proposed outcome to the facilitator before publishing."
    )
    # The facilitator's notes for the debrief (shown there, in its PDF and in the log).
    notes = models.TextField(blank=True, default="")

    objects = GameQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Game {self.pk}: {self.title or self.scenario.slug}"


class Turn(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        LOCKED = "locked"
        RESOLVING = "resolving"
        REVIEW = "review"  # adjudicated; waiting for the umpire to accept or override
        RESOLVED = "resolved"
        FAILED = "failed"  # adjudication raised for good; waits for the facilitator's retry

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="turns")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why its resolution last failed, for the facilitator (kept after a retry, for the record).
    error = models.TextField(blank=True, default="")
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["game", "number"], name="turn_number")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"Game {self.game_id} turn {self.number} ({self.status})"


def public_id_field() -> models.UUIDField:
    """The id a seat is shown for a row: random, so it reveals nothing of how many rows
    (of other roles, other games) came before it, unlike the auto-increment key."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class Move(models.Model):
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="moves")
    public_id = public_id_field()
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="moves")
    role = models.SlugField(max_length=32)
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=32, blank=True)
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["turn", "role"])]

    def __str__(self) -> str:
        return f"{self.role}:{self.action}"

    def as_engine_dict(self) -> dict:
        return {
            "role": self.role,
            "action": self.action,
            "target": self.target or None,
            "rationale": self.rationale,
        }


class RoleLock(models.Model):
    """A role has locked its moves for a turn; one row per (turn, role)."""

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="locks")
    role = models.SlugField(max_length=32)
    locked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["turn", "role"], name="lock_once")]

    def __str__(self) -> str:
        return f"{self.role} locked"


class Message(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="messages")
    public_id = public_id_field()
    turn_number = models.PositiveSmallIntegerField()
    sender = models.SlugField(max_length=32)
    # ["all"] for everyone, else role slugs (and/or "facilitator").
    recipients = models.JSONField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sender} -> {self.recipients}"


class Inject(models.Model):
    """An event the facilitator injects into the open turn; applied when it resolves."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="injects")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="injects")
    inject_id = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    effects = models.JSONField(null=True, blank=True, help_text="Null for a scenario inject.")
    audience = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label

    def as_log_dict(self) -> dict:
        data = {"id": self.inject_id, "label": self.label, "audience": self.audience}
        if self.description:
            data["description"] = self.description
        if self.effects is not None:
            data["effects"] = self.effects
        return data


class TurnResult(models.Model):
    """The adjudication of one turn; OneToOne makes "resolved exactly once" a constraint."""

    turn = models.OneToOneField(Turn, on_delete=models.CASCADE, related_name="result")
    state = models.JSONField()
    state_hash = models.CharField(max_length=64)
    outcomes = models.JSONField()
    fired_rules = models.JSONField()
    narrative = models.JSONField()
    scores = models.JSONField()
    events = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"result of {self.turn}"

    # The one place a TurnResult and the engine's Adjudication convert: the resolution's
    # commit, the umpire's override and the log import all go through these two.
    @classmethod
    def from_adjudication(cls, turn: Turn, adjudication: Adjudication) -> TurnResult:
        """An unsaved row holding `adjudication` for `turn`."""
        row = cls(turn=turn)
        row.take(adjudication)
        return row

    def take(self, adjudication: Adjudication) -> None:
        """Hold `adjudication` (unsaved): e.g. the proposal as an umpire changed it."""
        data = adjudication.to_dict()
        for name in ("state", "state_hash", "outcomes", "fired_rules", "narrative", "scores"):
            setattr(self, name, data[name])
        self.events = data["events"]

    def to_adjudication(self) -> Adjudication:
        return Adjudication.from_dict(
            {
                "turn": self.turn.number,
                "state": self.state,
                "outcomes": self.outcomes,
                "fired_rules": self.fired_rules,
                "narrative": self.narrative,
                "scores": self.scores,
                "state_hash": self.state_hash,
                "events": self.events,
            }
        )


class InsertedByValuesJSONField(models.JSONField):
    """A JSONField whose rows are inserted with VALUES, also several at once.

    Django 5.2 inserts several rows on PostgreSQL as UNNEST of one array per column,
    which escapes every quote of every JSON document into an array literal: a turn's
    `turn.resolved` and `turn.opened` (9 kB) took 6.3 ms that way against 3.5 ms as two
    single-row inserts. A field with `get_placeholder` keeps the insert on VALUES. The
    column and its migrations are a JSONField's (`deconstruct`)."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class GameEvent(models.Model):
    """Append-only log of everything that happened, numbered per game.

    The source of truth for catching a reconnecting client up: `audience` says who may
    see it (["all"], or role slugs and/or "facilitator").
    """

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    turn = models.PositiveSmallIntegerField(default=0)
    audience = models.JSONField()
    data = InsertedByValuesJSONField()
    # Every viewer's running count of the events it may see, up to this one: a seat is
    # shown its own count as the event's seq, never `seq` (policy.sequences).
    seqs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["game", "seq"], name="event_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"

    def as_message(self, seq: int | None = None) -> dict:
        """The frame, numbered `seq` (a seat's own number; the log's by default)."""
        number = self.seq if seq is None else seq
        return {"seq": number, "type": self.type, "turn": self.turn, "data": self.data}


class Override(models.Model):
    """An umpire's correction of a proposed outcome, with the reason (kept in the log)."""

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="overrides")
    reason = models.TextField()
    effects = models.JSONField(default=list)
    results = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"override of {self.turn}: {self.reason[:40]}"

    def as_log_dict(self) -> dict:
        return {"reason": self.reason, "effects": self.effects, "results": self.results}


class Presence(models.Model):
    """An open socket: who is connected right now, across every web process."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="presence")
    role = models.SlugField(max_length=32)
    name = models.CharField(max_length=80)
    channel_name = models.CharField(max_length=200, unique=True)
    connected_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) in game {self.game_id}"


class Classroom(models.Model):
    """A teacher's class: 1-40 tables (games) of one scenario version, run together.

    Students join by the class code (one link for the whole class) and are seated by
    arrival, or by the teacher's roster (`ClassRosterEntry`); the tables' own seats and
    join codes stay as they are, so every game page works as it does alone.
    """

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms"
    )
    title = models.CharField(max_length=200)
    code = models.CharField(max_length=16, unique=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="classrooms")
    turns = models.PositiveSmallIntegerField()
    deadline_seconds = models.PositiveIntegerField(null=True, blank=True)
    # At "start all", seats nobody took are played by a bot.
    bots = models.BooleanField(default=True)
    # A student disconnected this long while their table's turn is open: a bot plays the
    # seat (moves and locks) for that turn; None: never. Checked by the class sweep.
    bot_timeout_seconds = models.PositiveIntegerField(null=True, blank=True)
    umpire_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Class {self.pk}: {self.title}"


class ClassTable(models.Model):
    """One table of a class: its game, numbered from 1 in the class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField()
    game = models.OneToOneField(Game, on_delete=models.CASCADE, related_name="class_table")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "number"], name="class_table_number")
        ]

    def __str__(self) -> str:
        return f"table {self.number} of {self.classroom}"


class ClassRosterEntry(models.Model):
    """The teacher's pre-assignment: a student's name, table and role. The student who
    joins by the class link with this name takes this seat; arrivals skip it."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="roster")
    name = models.CharField(max_length=80)
    table = models.ForeignKey(ClassTable, on_delete=models.CASCADE, related_name="roster")
    role = models.SlugField(max_length=32)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}: table {self.table.number}, {self.role}"


class BotTurn(models.Model):
    """A bot played this role in this turn: a bot's seat, or a bot standing in for a
    student who was away (the log's optional per-turn "bots" list)."""

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="bot_turns")
    role = models.SlugField(max_length=32)

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["turn", "role"], name="bot_turn_once")]

    def __str__(self) -> str:
        return f"{self.role} by a bot in {self.turn}"


class SeatAway(models.Model):
    """Since when nobody of a seat has been connected (the last of its sockets closed);
    gone again when someone of that seat connects. Alerts and bot stand-ins read it."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="seats_away")
    role = models.SlugField(max_length=32)
    since = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["game", "role"], name="seat_away_once")]

    def __str__(self) -> str:
        return f"{self.role} away from game {self.game_id} since {self.since:%H:%M:%S}"


class Simulation(models.Model):
    """A Monte Carlo job: `runs` games played by bots from one start state, in chunks.

    Its parameters are kept whole, so the job can be run again from its seed; each chunk's
    records are a SimulationChunk row, unique per (job, chunk), so a chunk delivered twice
    (a worker killed mid-chunk, a duplicated task) is counted once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    title = models.CharField(max_length=200, blank=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="simulations")
    source_game = models.ForeignKey(
        Game, null=True, blank=True, on_delete=models.SET_NULL, related_name="simulations"
    )
    source_turn = models.PositiveIntegerField(default=0)
    start_state = models.JSONField()
    last_turn = models.PositiveIntegerField()
    action_budget = models.PositiveSmallIntegerField()
    policies = models.JSONField()  # {role: policy name}
    script = models.JSONField(null=True, blank=True)  # a script document, or null
    seed = models.BigIntegerField()
    runs = models.PositiveIntegerField()
    chunk_size = models.PositiveIntegerField()
    runs_done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"simulation {self.pk}: {self.runs} runs ({self.status})"

    @property
    def chunks(self) -> int:
        return -(-self.runs // self.chunk_size)

    def chunk_range(self, index: int) -> tuple[int, int]:
        """(first run, number of runs) of chunk `index`."""
        first = index * self.chunk_size
        return first, min(self.chunk_size, self.runs - first)


class SimulationChunk(models.Model):
    """The records of one chunk of runs (wargame.bots.runner), written once."""

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="results")
    index = models.PositiveIntegerField()
    first_run = models.PositiveIntegerField()
    runs = models.PositiveIntegerField()
    # The records, packed (bots.runner.pack_records): a fifth of their JSON, and no jsonb
    # for PostgreSQL to parse at every chunk (it cost a job a tenth of its time).
    packed = models.BinaryField()
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["simulation", "index"], name="simulation_chunk_once")
        ]

    def __str__(self) -> str:
        return f"chunk {self.index} of simulation {self.simulation_id}"

    @property
    def records(self) -> list[dict[str, Any]]:
        return unpack_records(bytes(self.packed))


class AccountLanguage(models.Model):
    """The language a signed-in account chose with the switcher, applied at its next login
    on any browser (the language cookie only remembers it for one browser)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_choice"
    )
    language = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
