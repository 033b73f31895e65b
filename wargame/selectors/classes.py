"""Reads for classes: who owns a game, a teacher's classes, the class dashboard."""

from __future__ import annotations

import json

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from players.models import Seat
from wargame.engine.loader import SCENARIO_DIR, pinned_scenario
from wargame.models import Classroom, Game, Presence, SeatAway, Turn, TurnResult

from .logs import game_log

AWAY_ALERT = 60  # seconds a student's seat may be disconnected before the dashboard says so


def owns_game(*, game_id: int, user_id: int) -> bool:
    """The account created this game (a teacher's class table, or a game it made)."""
    return Game.objects.filter(pk=game_id, created_by_id=user_id).exists()


def classes_of(user) -> list:
    """The classes this account runs: all of them for staff, its own for a teacher."""
    rows = Classroom.objects.select_related("scenario").annotate(table_count=Count("tables"))
    return list(rows if user.is_staff else rows.filter(teacher=user))


def class_by_id(class_id: int) -> Classroom | None:
    return Classroom.objects.select_related("scenario", "teacher").filter(pk=class_id).first()


def class_dashboard(classroom: Classroom, *, game_id: int | None = None) -> list[dict]:
    """Every table at a glance: status, turn, clock, and per capital who sits there, who
    is connected, who has moved and locked; the latest scores; and alerts. Six queries
    whatever the number of tables (tests/web/test_classes_pages.py counts them). With
    `game_id`, that table alone (the live dashboard reads one table again)."""
    tables = classroom.tables.select_related("game")
    tables = list(tables.filter(game_id=game_id) if game_id is not None else tables)
    game_ids = [t.game_id for t in tables]
    seats: dict[int, list] = {g: [] for g in game_ids}
    for seat in Seat.objects.filter(game_id__in=game_ids).prefetch_related("participants"):
        seats[seat.game_id].append(seat)
    open_turns = {
        t.game_id: t
        for t in Turn.objects.filter(
            game_id__in=game_ids, status__in=[Turn.Status.OPEN, Turn.Status.LOCKED]
        ).prefetch_related("locks", "moves")
    }
    online: dict[int, set[str]] = {g: set() for g in game_ids}
    for game_id, role in Presence.objects.filter(game_id__in=game_ids).values_list(
        "game_id", "role"
    ):
        online[game_id].add(role)
    away: dict[int, dict[str, object]] = {g: {} for g in game_ids}
    for game_id, role, since in SeatAway.objects.filter(game_id__in=game_ids).values_list(
        "game_id", "role", "since"
    ):
        away[game_id][role] = since
    scores = {
        r.turn.game_id: r.scores
        for r in TurnResult.objects.filter(turn__game_id__in=game_ids)
        .select_related("turn")
        .order_by("turn__game_id", "turn__number")
    }
    now = timezone.now()
    scenario = pinned_scenario(classroom.scenario)
    order = {slug: i for i, slug in enumerate(scenario.role_slugs)}
    labels = {r["slug"]: r["name"] for r in scenario.roles}
    rows = []
    for table in tables:
        game = table.game
        turn = open_turns.get(game.pk) if game.status != Game.Status.FINISHED else None
        locked = {lock.role for lock in turn.locks.all()} if turn else set()
        moved = {move.role for move in turn.moves.all()} if turn else set()
        capitals = []
        for seat in seats[game.pk]:
            if not seat.plays:
                continue
            people = [(p.pk, p.name) for p in seat.participants.all()]
            names = [name for _pk, name in people]
            capitals.append(
                {
                    "role": seat.role,
                    "label": labels.get(seat.role, seat.role),
                    "bot": seat.kind == Seat.Kind.BOT,
                    "names": [] if seat.kind == Seat.Kind.BOT else names,
                    "people": [] if seat.kind == Seat.Kind.BOT else people,
                    "online": seat.role in online[game.pk],
                    "moved": seat.role in moved,
                    "locked": seat.role in locked,
                }
            )
        capitals.sort(key=lambda c: order.get(c["role"], 99))
        rows.append(
            {
                "number": table.number,
                "game": game,
                "turn": turn,
                "capitals": capitals,
                "scores": scores.get(game.pk, {}),
                "alerts": _alerts(game, turn, capitals, away[game.pk], now),
            }
        )
    return rows


def _alerts(game: Game, turn, capitals: list[dict], away: dict, now) -> list[str]:
    """A table with no students, one waiting on a single seat, students away too long."""
    humans = [c for c in capitals if c["names"]]
    alerts = []
    if not humans:
        alerts.append(_("No students at this table."))
    if game.status != Game.Status.RUNNING:
        return alerts
    if turn is not None and turn.status == Turn.Status.OPEN:
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
