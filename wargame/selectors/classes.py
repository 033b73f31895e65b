"""Reads for classes: who owns a game, a teacher's classes, the class dashboard."""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Count, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from players.models import FACILITATOR, OBSERVER, Seat
from wargame.engine.loader import SCENARIO_DIR, pinned_scenario
from wargame.models import (
    Classroom,
    Game,
    Move,
    Presence,
    RoleLock,
    SeatAway,
    Turn,
    TurnResult,
    with_scenario_row,
)

from .logs import game_log
from .translations import presented_scenario

# A table's current turn, as its card shows it: taking moves, or all locked and resolving.
PLAYING = (Turn.Status.OPEN, Turn.Status.LOCKED, Turn.Status.RESOLVING)
AWAY_ALERT = 60  # seconds a student's seat may be disconnected before the dashboard says so


def owns_game(*, game_id: int, user_id: int) -> bool:
    """The account created this game (a teacher's class table, or a game it made)."""
    return Game.objects.filter(pk=game_id, created_by_id=user_id).exists()


def classes_of(user) -> list:
    """The classes this account runs: all of them for staff, its own for a teacher."""
    rows = Classroom.objects.select_related("scenario").annotate(table_count=Count("tables"))
    return list(rows if user.is_staff else rows.filter(teacher=user))


def class_by_id(class_id: int) -> Classroom | None:
    """The class, with its scenario row minus the 70 kB document in two forms (jsonb and
    text): `pinned_scenario` builds from the text once per process and then needs only the
    hash; the dashboard's card reads would otherwise decode it on every request."""
    rows = with_scenario_row(Classroom.objects.select_related("teacher"))
    return rows.filter(pk=class_id).first()


def class_dashboard(classroom: Classroom, *, game_id: int | None = None) -> list[dict]:
    """Every table at a glance: status, turn, clock, and per capital who sits there, who
    is connected, who has moved and locked; the latest scores; and alerts. Six small queries
    whatever the number of tables (tests/web/test_classes_pages.py counts them). With
    `game_id`, that table alone (the live dashboard reads one table again)."""
    tables = classroom.tables.select_related("game").defer(
        "game__state",
        "game__start_state",
        "game__notes",  # large JSON nobody here reads
    )
    tables = list(tables.filter(game_id=game_id) if game_id is not None else tables)
    game_ids = [t.game_id for t in tables]
    # the capitals' seats with whoever sits there (a row per person; none: one row of None)
    seats: dict[int, dict[int, tuple[str, str]]] = {g: {} for g in game_ids}
    people: dict[int, list[tuple[int, str]]] = {}
    for pk, game, role, kind, person, name in (
        Seat.objects.filter(game_id__in=game_ids)
        .exclude(role__in=[FACILITATOR, OBSERVER])
        .values_list("pk", "game_id", "role", "kind", "participants__pk", "participants__name")
        .order_by("pk", "participants__pk")
    ):
        seats[game][pk] = (role, kind)
        if person is not None:
            people.setdefault(pk, []).append((person, name))
    open_turns = {
        game: (pk, status, deadline)
        for pk, game, status, deadline in Turn.objects.filter(
            game_id__in=game_ids, status__in=PLAYING
        ).values_list("pk", "game_id", "status", "deadline")
    }
    turn_ids = [t[0] for t in open_turns.values()]
    # who locked and who moved in the open turns, in one statement
    locked: dict[int, set[str]] = {}
    moved: dict[int, set[str]] = {}
    text = models.CharField()
    # (.order_by(): no model ordering inside a UNION)
    locks = RoleLock.objects.filter(turn_id__in=turn_ids).order_by()
    locks = locks.values_list("turn_id", "role", Value("locked", output_field=text))
    moves = Move.objects.filter(turn_id__in=turn_ids).order_by()
    moves = moves.values_list("turn_id", "role", Value("moved", output_field=text))
    for turn, role, what in locks.union(moves):  # UNION: each (turn, role, what) once
        (locked if what == "locked" else moved).setdefault(turn, set()).add(role)
    # who is connected (a socket, no time) and who has been away since when, likewise
    online: dict[int, set[str]] = {g: set() for g in game_ids}
    away: dict[int, dict[str, object]] = {g: {} for g in game_ids}
    sockets = Presence.objects.filter(game_id__in=game_ids).order_by()
    no_time = Value(None, output_field=models.DateTimeField())
    sockets = sockets.values_list("game_id", "role", no_time)
    gone = SeatAway.objects.filter(game_id__in=game_ids).order_by()
    gone = gone.values_list("game_id", "role", "since")
    for game, role, since in sockets.union(gone):
        if since is None:
            online[game].add(role)
        else:
            away[game][role] = since
    scores = dict(
        TurnResult.objects.filter(
            turn__game_id__in=game_ids, turn__number=F("turn__game__current_turn")
        ).values_list("turn__game_id", "scores")
    )
    now = timezone.now()
    scenario = presented_scenario(classroom.scenario)
    order = {slug: i for i, slug in enumerate(scenario.role_slugs)}
    labels = {r["slug"]: r["name"] for r in scenario.roles}
    rows = []
    for table in tables:
        game = table.game
        turn = open_turns.get(game.pk) if game.status != Game.Status.FINISHED else None
        turn_locks = locked.get(turn[0], set()) if turn else set()
        turn_moves = moved.get(turn[0], set()) if turn else set()
        table_scores = scores.get(game.pk) or {}
        capitals = []
        by_order = sorted(seats[game.pk].items(), key=lambda s: order.get(s[1][0], 99))
        for pk, (role, kind) in by_order:
            bot = kind == Seat.Kind.BOT
            here = [] if bot else people.get(pk, [])
            capitals.append(
                {
                    "role": role,
                    "label": labels.get(role, role),
                    "bot": bot,
                    "names": [name for _pk, name in here],
                    "people": here,
                    "online": role in online[game.pk],
                    "moved": role in turn_moves,
                    "locked": role in turn_locks,
                    "score": table_scores.get(role),
                }
            )
        rows.append(
            {
                "number": table.number,
                "game": game,
                "status": GAME_STATES.get(game.status, game.status),
                "open": turn is not None and turn[1] == Turn.Status.OPEN,
                "deadline": turn[2] if turn else None,
                "capitals": capitals,
                "alerts": _alerts(game, turn is not None and turn[1] == Turn.Status.OPEN,
                                  capitals, away[game.pk], now),
            }
        )  # fmt: skip
    return rows


# A table's state as the dashboard says it.
GAME_STATES = {
    "lobby": gettext_lazy("Lobby"),
    "running": gettext_lazy("Running"),
    "paused": gettext_lazy("Paused"),
    "finished": gettext_lazy("Finished"),
}


def _alerts(game: Game, open_turn: bool, capitals: list[dict], away: dict, now) -> list[str]:
    """A table with no students, one waiting on a single seat, students away too long."""
    humans = [c for c in capitals if c["names"]]
    alerts = []
    if not humans:
        alerts.append(_("No students at this table."))
    if game.status != Game.Status.RUNNING:
        return alerts
    if open_turn:
        waiting = [c for c in capitals if (c["names"] or c["bot"]) and not c["locked"]]
        if len(waiting) == 1:
            alerts.append(_("Waiting on one seat: %(role)s.") % {"role": waiting[0]["label"]})
    for c in humans:
        since = away.get(c["role"])
        if not c["online"] and since is not None and (now - since).total_seconds() > AWAY_ALERT:
            alerts.append(_("%(role)s disconnected for over a minute.") % {"role": c["label"]})
    return alerts


REFERENCE_LOGS = {"lips-and-teeth-2025": "2025-as-it-happened.json"}


def reference_log(slug: str) -> dict | None:
    """The reference log shipped with a scenario (`scenarios/<slug>/reference/`), or None."""
    name = REFERENCE_LOGS.get(slug)
    if name is None:
        return None
    path = SCENARIO_DIR / slug / "reference" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def class_logs(classroom: Classroom) -> list[tuple[int, Game, dict]]:
    """(table number, game, log) per table: the class debrief's and exports' input (the
    log's few queries per table)."""
    return [
        (t.number, t.game, game_log(t.game))
        for t in classroom.tables.select_related("game__scenario")
    ]


def class_seat_codes(classroom: Classroom) -> list[tuple[int, list[tuple[str, str]]]]:
    """(table number, [(role, join code)] in the scenario's order) for the join sheet."""
    order = {slug: i for i, slug in enumerate(pinned_scenario(classroom.scenario).role_slugs)}
    number = dict(classroom.tables.values_list("game_id", "number"))
    codes: dict[int, list[tuple[str, str]]] = {n: [] for n in sorted(number.values())}
    rows = Seat.objects.filter(game_id__in=number).exclude(role__in=[FACILITATOR, OBSERVER])
    for game, role, code in rows.values_list("game_id", "role", "code"):
        codes[number[game]].append((role, code))
    return [(n, sorted(seats, key=lambda s: order.get(s[0], 99))) for n, seats in codes.items()]
