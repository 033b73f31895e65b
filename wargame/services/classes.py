"""A teacher's class: create its tables, seat its students, run every table at once.

Each table is a game made by `games.game_create` and run by the games' own services, so a
table behaves exactly as a game alone does (its page, its socket, its log). The bulk
controls call those services table by table, each in its own transaction: one table that
cannot pause (it has finished) does not stop the others; the caller is told which did
what.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from players.models import FACILITATOR, OBSERVER, Participant, Seat
from players.names import display_name_problem
from players.services import (
    JoinRefused,
    new_code,
    participant_move,
    seat_back_to_people,
    seat_join,
    seats_fill_with_bots,
)
from wargame.bots import DEFAULT_POLICY
from wargame.engine.loader import DEFAULT_SLUG
from wargame.errors import BadInput, GameError, NotFound, WrongPhase
from wargame.models import (
    Classroom,
    ClassRosterEntry,
    ClassTable,
    Game,
    Presence,
    SeatAway,
    Turn,
)
from wargame.policy.text import fault_in

from . import bots, games, injects, messages
from .locks import classroom_for_update, game_for_update
from .scenarios import engine_scenario

MAX_TABLES = 40
MAX_ROSTER_BYTES = 200_000
MAX_BOT_TIMEOUT = 3600


def class_create(
    *,
    teacher,
    scenario: str = DEFAULT_SLUG,
    version: int | None = None,
    tables: int,
    turns: int | None = None,
    deadline: int | None = None,
    bots: bool = True,
    review: bool = False,
    title: str = "",
    bot_timeout: int | None = None,
    bot_policies: str | Mapping[str, str] | None = None,
) -> Classroom:
    """A class of `tables` games (1-40) of one scenario version, all owned by `teacher`,
    in one transaction: a table that cannot be made leaves no class behind.

    `bot_policies`: how bots play for the class, one policy name for every capital or
    {role: policy} (roles not named play `random`). It is kept on each capital's seat of
    every table (`Seat.policy`, unused while people play it), so the bot that takes an
    empty seat at "start all" and the one standing in for an absent student play it."""
    policies = _policies_wanted(bot_policies)
    if bot_timeout is not None and not 0 <= bot_timeout <= MAX_BOT_TIMEOUT:
        raise BadInput(
            "The bots' timeout is between 0 and %(limit)s seconds.",
            limit=MAX_BOT_TIMEOUT,
            code="bad_timeout",
        )
    if not isinstance(tables, int) or not 1 <= tables <= MAX_TABLES:
        raise BadInput(
            "A class has between 1 and %(most)s tables.",
            most=MAX_TABLES,
            code="bad_tables",
        )
    fault = fault_in(title=title)
    if fault:
        raise BadInput(fault, code="bad_text")
    title = title.strip()[:160] or _("Class")
    with transaction.atomic():
        first = None
        made: list[Game] = []
        for number in range(1, tables + 1):
            game, _codes = games.game_create(
                scenario_slug=scenario,
                scenario_version=version,
                scenario_row=first.scenario if first else None,
                turns=turns,
                deadline_seconds=deadline,
                # In the teacher's language (the one the class was created in).
                title=_("%(title)s, table %(number)s") % {"title": title, "number": number},
                created_by=teacher,
                umpire_review=review,
            )
            first = first or game
            made.append(game)
        _seats_play(made, policies, engine_scenario(first.scenario).role_slugs)
        classroom = Classroom.objects.create(
            teacher=teacher,
            title=title,
            code=_class_code(),
            scenario=first.scenario,
            turns=first.max_turns,
            deadline_seconds=deadline,
            bots=bots,
            bot_timeout_seconds=bot_timeout,
            umpire_review=review,
        )
        ClassTable.objects.bulk_create(
            ClassTable(classroom=classroom, number=n, game=g) for n, g in enumerate(made, 1)
        )
    return classroom


CLASS_POLICIES = ("random", "doctrine")  # `scripted` needs a script per role: not a class's


def _policies_wanted(wanted: str | Mapping[str, str] | None) -> str | dict[str, str]:
    """One policy name for all, or {role: name}; names checked here, roles once the
    scenario is known (`_seats_play`)."""
    if wanted is None or wanted == "":
        return DEFAULT_POLICY
    if isinstance(wanted, str):
        names = {"": wanted}
    elif isinstance(wanted, Mapping):
        names = dict(wanted)
    else:
        raise BadInput("Bot policies are a policy name or {role: policy}.", code="bad_policy")
    for role, name in names.items():
        if not isinstance(role, str) or name not in CLASS_POLICIES:
            raise BadInput(
                "A class's bots play one of %(names)s; not %(name)s.",
                names=", ".join(CLASS_POLICIES),
                name=repr(name),
                code="bad_policy",
            )
    return names[""] if isinstance(wanted, str) else names


def _seats_play(made: list[Game], policies: str | dict[str, str], roles: tuple[str, ...]):
    """Every table's capital seats keep the policy their bot will play."""
    named = {r: policies for r in roles} if isinstance(policies, str) else policies
    unknown = sorted(set(named) - set(roles))
    if unknown:
        raise BadInput(
            "No capital %(unknown)s in this scenario; capitals are %(names)s.",
            unknown=repr(unknown[0]),
            names=", ".join(roles),
            code="bad_policy",
        )
    by_role = {r: named.get(r, DEFAULT_POLICY) for r in roles}
    for name in set(by_role.values()):
        chosen = [r for r, n in by_role.items() if n == name]
        Seat.objects.filter(game__in=made, role__in=chosen).update(policy=name)


def _class_code() -> str:
    while True:
        code = new_code()
        if not Classroom.objects.filter(code=code).exists():
            return code


def normalised_code(code: str) -> str:
    return (code or "").strip().upper().replace("-", "").replace(" ", "")


# --- students -----------------------------------------------------------------------


def class_by_code(code: str) -> Classroom | None:
    if fault_in(code=code):
        return None
    return Classroom.objects.filter(code=normalised_code(code)).first()


def class_join(*, code: str, name: str) -> Participant:
    """Seat a student who typed the class code and a name: the roster's seat for that
    name, else the next free capital's seat by arrival (table 1 first, roles in the
    scenario's order), skipping seats the roster keeps for someone else. Refused
    (JoinRefused) for an unknown code or a full class."""
    fault = fault_in(code=code, name=name)
    if fault:
        raise BadInput(fault, code="bad_text")
    name = (name or "").strip()
    if problem := display_name_problem(name):
        raise BadInput(problem, code="bad_name")
    with transaction.atomic():
        classroom = classroom_for_update(normalised_code(code))
        if classroom is None:
            raise JoinRefused("That class code opens no class. Check it and try again.")
        seat = _roster_seat(classroom, name) or _next_free_seat(classroom)
        if seat is None:
            raise JoinRefused("Every seat of this class is taken; ask your teacher.")
        if seat.kind == Seat.Kind.BOT:  # a bot kept the rostered student's seat warm
            game_for_update(seat.game_id)
            seat = seat_back_to_people(seat=seat)
        return seat_join(code=seat.code, name=name)


def _roster_seat(classroom: Classroom, name: str) -> Seat | None:
    wanted = name.casefold()
    for entry in classroom.roster.select_related("table"):
        if entry.name.casefold() == wanted:
            return Seat.objects.filter(game_id=entry.table.game_id, role=entry.role).first()
    return None


def _next_free_seat(classroom: Classroom) -> Seat | None:
    reserved = {
        (game_id, role) for game_id, role in classroom.roster.values_list("table__game_id", "role")
    }
    order = {slug: i for i, slug in enumerate(engine_scenario(classroom.scenario).role_slugs)}
    number = dict(classroom.tables.values_list("game_id", "number"))
    free = (
        Seat.objects.filter(
            game_id__in=number,
            kind=Seat.Kind.PERSON,
            participants__isnull=True,
        )
        .exclude(role__in=[FACILITATOR, OBSERVER])
        .exclude(game__status=Game.Status.FINISHED)
        .values_list("pk", "game_id", "role")
    )
    candidates = sorted(
        (number[g], order.get(role, 99), pk) for pk, g, role in free if (g, role) not in reserved
    )
    return Seat.objects.get(pk=candidates[0][2]) if candidates else None


def class_participant(*, classroom: Classroom, participant_id: int | None) -> Participant | None:
    """This class's student by id (a browser returning to the class link), or None."""
    if participant_id is None:
        return None
    return (
        Participant.objects.select_related("seat")
        .filter(pk=participant_id, seat__game__class_table__classroom=classroom)
        .first()
    )


@dataclass
class RosterRow:
    line: int
    name: str
    table: int
    role: str


def class_roster_upload(*, classroom: Classroom, text: str) -> list[ClassRosterEntry]:
    """Replace the class's roster with a CSV of `name,table,role` rows (a header line
    `name,table,role` is optional). Every row is checked first: the first bad one is
    refused with its line number and nothing is written."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ROSTER_BYTES:
        raise BadInput(
            "The roster is over %(value)s kB.", value=MAX_ROSTER_BYTES // 1000, code="too_large"
        )
    fault = fault_in(roster=text)
    if fault:
        raise BadInput(fault, code="bad_text")
    rows = _roster_rows(classroom, text)
    tables = {t.number: t for t in classroom.tables.all()}
    with transaction.atomic():
        classroom.roster.all().delete()
        return ClassRosterEntry.objects.bulk_create(
            ClassRosterEntry(classroom=classroom, name=r.name, table=tables[r.table], role=r.role)
            for r in rows
        )


def _roster_rows(classroom: Classroom, text: str) -> list[RosterRow]:
    roles = engine_scenario(classroom.scenario).role_slugs
    count = classroom.tables.count()
    rows: list[RosterRow] = []
    seen: set[str] = set()
    for line, cells in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if line == 1 and [c.lower() for c in cells] == ["name", "table", "role"]:
            continue
        if len(cells) != 3:
            raise BadInput(
                "line %(line)s: expected 3 columns (name, table, role).", line=line, code="bad_row"
            )
        name, table, role = cells
        if problem := display_name_problem(name):
            raise BadInput("line %(line)s: %(problem)s", line=line, problem=problem, code="bad_row")
        if len(name) > 80:
            raise BadInput(
                "line %(line)s: the name is over 80 characters.", line=line, code="bad_row"
            )
        if not table.isdigit() or not 1 <= int(table) <= count:
            raise BadInput(
                "line %(line)s: table %(table)s is not a table of this class (1-%(count)s).",
                line=line,
                table=repr(table),
                count=count,
                code="bad_row",
            )
        role = role.lower()
        if role not in roles:
            raise BadInput(
                "line %(line)s: unknown role %(role)s; roles are %(names)s.",
                line=line,
                role=repr(role),
                names=", ".join(roles),
                code="bad_row",
            )
        if name.casefold() in seen:
            raise BadInput(
                "line %(line)s: %(name)s is in the roster twice.",
                line=line,
                name=repr(name),
                code="bad_row",
            )
        seen.add(name.casefold())
        rows.append(RosterRow(line, name, int(table), role))
    return rows


def class_student_move(
    *, classroom: Classroom, participant_id: int, table: int, role: str
) -> list[Participant]:
    """Before its table starts, seat a student at `table` as `role`; whoever sat there
    alone takes the student's old seat (a swap). Returns the participants moved."""
    with transaction.atomic():
        student = class_participant(classroom=classroom, participant_id=participant_id)
        target_table = classroom.tables.filter(number=table).first()
        if student is None or target_table is None:
            raise NotFound("No such student or table in this class.")
        old_seat = student.seat
        target = Seat.objects.filter(game_id=target_table.game_id, role=role).first()
        if target is None or not target.plays:
            raise BadInput("Unknown role %(role)s.", role=repr(role), code="unknown_role")
        for game_id in {old_seat.game_id, target.game_id}:
            if game_for_update(game_id).status != Game.Status.LOBBY:
                raise WrongPhase("Students can be moved only before their tables start.")
        others = list(target.participants.exclude(pk=student.pk))
        moved = [participant_move(participant=student, seat=target)]
        for other in others:
            moved.append(participant_move(participant=other, seat=old_seat))
        return moved


# --- bots standing in for absent students ----------------------------------------------


def class_bots_stand_in(
    *,
    classroom: Classroom,
    timeout: int | None = None,
    now=None,
    tables: list[int] | None = None,
) -> dict[int, list[str]]:
    """At every running table (or those numbered in `tables`, as the other bulk controls),
    a bot plays each student's seat that has not locked and whose students have all been
    disconnected for `timeout` seconds (the class's own timeout by default; 0: now) during
    the open turn. The student who comes back plays the next turn. Returns {table: [roles
    a bot stood in for]}."""
    timeout = classroom.bot_timeout_seconds if timeout is None else timeout
    if timeout is None:
        return {}
    now = now or timezone.now()
    played: dict[int, list[str]] = {}
    for table in classroom.tables.filter(game__status=Game.Status.RUNNING):
        if tables and table.number not in tables:
            continue
        with transaction.atomic():
            roles = _stand_in_at(table.game_id, now - timedelta(seconds=timeout))
        if roles:
            played[table.number] = roles
    return played


def _stand_in_at(game_id: int, away_before) -> list[str]:
    game = game_for_update(game_id)
    turn = Turn.objects.filter(game=game, number=game.current_turn + 1).first()
    if game.status != Game.Status.RUNNING or turn is None or turn.status != Turn.Status.OPEN:
        return []
    students = set(
        Seat.objects.filter(game=game, kind=Seat.Kind.PERSON, participants__isnull=False)
        .exclude(role__in=[FACILITATOR, OBSERVER])
        .values_list("role", flat=True)
    )
    online = set(Presence.objects.filter(game=game).values_list("role", flat=True))
    locked = set(turn.locks.values_list("role", flat=True))
    away = dict(SeatAway.objects.filter(game=game).values_list("role", "since"))
    scenario = engine_scenario(game.scenario)
    roles = []
    for role in sorted(students - online - locked):
        since = max(away.get(role, turn.opened_at), turn.opened_at)
        if since <= away_before:
            bots.bot_stands_in(game=game, turn=turn, role=role, scenario=scenario)
            roles.append(role)
            turn.refresh_from_db(fields=["status"])
            if turn.status != Turn.Status.OPEN:
                break
    return roles


def bots_stand_in_due() -> dict[int, dict[int, list[str]]]:
    """The sweep (beat, or the embedded sweeper): every class with a timeout."""
    return {
        c.pk: played
        for c in Classroom.objects.filter(bot_timeout_seconds__isnull=False)
        if (played := class_bots_stand_in(classroom=c))
    }


# --- running every table --------------------------------------------------------------


@dataclass
class BulkResult:
    """What a bulk control did: the tables it changed, and why the others were skipped."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"done": self.done, "skipped": {str(k): v for k, v in self.skipped.items()}}


def _each_table(classroom: Classroom, tables: list[int] | None, call) -> BulkResult:
    result = BulkResult()
    for table in classroom.tables.all():
        if tables and table.number not in tables:
            continue
        try:
            call(table.game_id)
        except GameError as exc:
            result.skipped[table.number] = exc.message
        else:
            result.done.append(table.number)
    return result


def _start_table(classroom: Classroom, game_id: int) -> None:
    """Bots take the empty seats and the game starts, together or not at all."""
    with transaction.atomic():
        game = game_for_update(game_id)
        if classroom.bots and game.status == Game.Status.LOBBY:
            seats_fill_with_bots(game=game)
        games.game_start(game_id=game_id)


def class_start_all(*, classroom: Classroom, tables: list[int] | None = None) -> BulkResult:
    """Start every table in the lobby; with the class's bots on, empty seats are bots'."""
    return _each_table(classroom, tables, lambda g: _start_table(classroom, g))


def class_pause_all(*, classroom: Classroom, tables: list[int] | None = None) -> BulkResult:
    return _each_table(classroom, tables, lambda g: games.game_pause(game_id=g))


def class_resume_all(*, classroom: Classroom, tables: list[int] | None = None) -> BulkResult:
    return _each_table(classroom, tables, lambda g: games.game_resume(game_id=g))


def class_finish_all(*, classroom: Classroom, tables: list[int] | None = None) -> BulkResult:
    return _each_table(
        classroom, tables, lambda g: games.game_finish(game_id=g, reason="ended by the teacher")
    )


def class_extend_all(
    *, classroom: Classroom, seconds: int, tables: list[int] | None = None
) -> BulkResult:
    return _each_table(classroom, tables, lambda g: games.game_extend(game_id=g, seconds=seconds))


def class_clock_all(
    *, classroom: Classroom, seconds: int | None, tables: list[int] | None = None
) -> BulkResult:
    return _each_table(
        classroom, tables, lambda g: games.game_clock_set(game_id=g, seconds=seconds)
    )


def class_resolve_locked(*, classroom: Classroom, tables: list[int] | None = None) -> BulkResult:
    """Resolve every table whose people have all locked (bots lock at once) but whose
    turn still waits, e.g. on a seat nobody took."""

    def resolve(game_id: int) -> None:
        turn = Turn.objects.filter(game_id=game_id, status=Turn.Status.OPEN).first()
        if turn is None:
            raise WrongPhase("No open turn.")
        people = set(
            Seat.objects.filter(game_id=game_id, kind=Seat.Kind.PERSON, participants__isnull=False)
            .exclude(role__in=[FACILITATOR, OBSERVER])
            .values_list("role", flat=True)
        )
        locked = set(turn.locks.values_list("role", flat=True))
        if not people or not people <= locked:
            raise WrongPhase("Not every student at this table has locked.")
        games.game_force_resolve(game_id=game_id, turn_number=turn.number)

    return _each_table(classroom, tables, resolve)


def class_inject_all(
    *,
    classroom: Classroom,
    label: str,
    effects: list[dict] | None = None,
    inject_id: str | None = None,
    tables: list[int] | None = None,
) -> BulkResult:
    return _each_table(
        classroom,
        tables,
        lambda g: injects.inject_apply(
            game_id=g, inject_id=inject_id, label=label, effects=effects
        ),
    )


def class_message_all(
    *, classroom: Classroom, text: str, tables: list[int] | None = None
) -> BulkResult:
    return _each_table(
        classroom,
        tables,
        lambda g: messages.message_post(game_id=g, sender=FACILITATOR, to="all", text=text),
    )
