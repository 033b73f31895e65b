"""Classes in the JSON API (/api/classes): create a class, list a teacher's classes and a
class's tables, and the dashboard's bulk controls; everything the class pages do.

Who may call: a teacher's or a staff account's browser session (writes carry the CSRF
token, as the forms do). A teacher sees and runs only its own classes: another teacher's
class answers 404, as one that does not exist. Each call is one service of
`services.classes` (the pages' own); bad input is 400 `{"error", "code"}` before anything
is written. Registered on the API by `wargame.web.api` (`api.add_router`).
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from players.selectors import is_teacher
from wargame import policy
from wargame.engine.loader import pinned_scenario
from wargame.errors import BadInput, NotAllowed, NotFound
from wargame.models import Classroom
from wargame.selectors.classes import class_by_id, class_dashboard, classes_of
from wargame.selectors.reasons import localised
from wargame.services import classes as service
from wargame.web.access import is_staff

router = Router(tags=["classes"])


class TeacherSession(APIKeyCookie):
    """A teacher's or staff account's session (the site's login)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        user = request.user
        if not key or not user.is_authenticated:
            return None
        who = "staff" if is_staff(request) else "teacher" if is_teacher(user) else None
        if who and request.method not in ("GET", "HEAD", "OPTIONS"):
            _write_checked(request)  # before the body is read: a forged write is 403
        return who


# CSRF is checked in `authenticate` (403 {"code": "csrf"} with a message saying what to
# send), not by ninja's own check (a bare "CSRF check Failed").
AUTH = TeacherSession(csrf=False)


def _write_checked(request: HttpRequest) -> None:
    """A write carries the page's CSRF token and comes from this site, as every form does."""
    if check_csrf(request) is not None:
        raise NotAllowed(
            "This request came without the page's CSRF token (send the csrftoken cookie "
            "as the X-CSRFToken header) or from another site; reload the page and try again.",
            code="csrf",
        )


def _class(request: HttpRequest, class_id: int) -> Classroom:
    """The class if this account runs it; else 404, also for another teacher's class."""
    classroom = class_by_id(class_id)
    if classroom is None or not policy.may_run_class(
        staff=is_staff(request), account=request.user.pk, teacher=classroom.teacher_id
    ):
        raise NotFound("No such class.")
    return classroom


def _summary(request: HttpRequest, classroom: Classroom, tables: int) -> dict:
    link = reverse("class-join", kwargs={"code": classroom.code})
    return {
        "class": classroom.pk,
        "title": classroom.title,
        "code": classroom.code,
        "link": request.build_absolute_uri(link),
        "tables": tables,
        "turns": classroom.turns,
        "deadline": classroom.deadline_seconds,
        "bots": classroom.bots,
        "bot_timeout": classroom.bot_timeout_seconds,
        "review": classroom.umpire_review,
    }


# --- schemas ------------------------------------------------------------------------
# Named Class...: the OpenAPI document names components by class name, and a second
# `MessageIn` would replace the game API's own there (the client checks calls against it).


PolicyName = Literal["random", "doctrine"]


class ClassCreateIn(Schema):
    title: str = Field("", max_length=160)
    scenario: str = Field("lips-and-teeth-2025", min_length=1, max_length=64)
    scenario_version: int | None = Field(None, ge=1)
    tables: int = Field(..., ge=1, le=service.MAX_TABLES)
    turns: int | None = Field(None, ge=1, le=50)
    deadline: int | None = Field(None, ge=60, le=24 * 3600, description="seconds per turn")
    bots: bool = True
    bot_timeout: int | None = Field(None, ge=0, le=service.MAX_BOT_TIMEOUT)
    bot_policies: PolicyName | dict[str, PolicyName] | None = Field(
        None, description="one policy for every capital, or {capital: policy}"
    )
    review: bool = False


class ClassTablesIn(Schema):
    tables: list[int] | None = Field(
        None, description="table numbers (1, 2, ...); none or empty: every table"
    )


class ClassMinutesIn(ClassTablesIn):
    minutes: int = Field(..., ge=1, le=24 * 60)


class ClassMessageIn(ClassTablesIn):
    text: str = Field(..., min_length=1, max_length=2000)


class ClassInjectIn(ClassTablesIn):
    inject: str | None = Field(None, max_length=64, description="a scenario event's id")
    title: str = Field("", max_length=200, description="a titled event without effects")


BulkOut = dict


def _tables(classroom: Classroom, wanted: list[int] | None) -> list[int] | None:
    """The table numbers asked for, each one of the class's; none: every table."""
    if not wanted:
        return None
    numbers = set(classroom.tables.values_list("number", flat=True))
    unknown = sorted(set(wanted) - numbers)
    if unknown:
        raise BadInput(
            "tables: the class has no table %(unknown)s (it has 1 to %(count)s).",
            unknown=unknown[0],
            count=len(numbers),
            code="bad_tables",
        )
    return sorted(set(wanted))


# --- endpoints ----------------------------------------------------------------------


@router.get("", auth=AUTH, summary="Your classes (a teacher's own; staff: all)")
def class_list(request):
    return {"classes": [_summary(request, c, c.table_count) for c in classes_of(request.user)]}


@router.post("", auth=AUTH, response={201: dict}, summary="Create a class of 1-40 tables")
def class_create(request, payload: ClassCreateIn):
    classroom = service.class_create(
        teacher=request.user,
        scenario=payload.scenario,
        version=payload.scenario_version,
        tables=payload.tables,
        turns=payload.turns,
        deadline=payload.deadline,
        bots=payload.bots,
        review=payload.review,
        title=payload.title,
        bot_timeout=payload.bot_timeout,
        bot_policies=payload.bot_policies,
    )
    tables = list(classroom.tables.values_list("number", "game_id"))
    body = _summary(request, classroom, len(tables))
    body["table_games"] = [{"table": n, "game": g} for n, g in tables]
    return Status(201, body)


@router.get("/{class_id}", auth=AUTH, summary="The class and every table at a glance")
def class_detail(request, class_id: int):
    """What the dashboard shows: per table its status, turns resolved, the open turn's
    deadline, and per capital who sits there, who is connected, has moved and locked (never
    what), the latest score; and the table's alerts."""
    classroom = _class(request, class_id)
    rows = class_dashboard(classroom)
    body = _summary(request, classroom, len(rows))
    body["table_games"] = [_table_dict(row) for row in rows]
    return body


def _table_dict(row: dict) -> dict:
    game = row["game"]
    return {
        "table": row["number"],
        "game": game.pk,
        "status": game.status,
        "turns_resolved": game.current_turn,
        "max_turns": game.max_turns,
        "turn_open": row["open"],
        "deadline": row["deadline"].isoformat() if row["deadline"] else None,
        "capitals": [
            {
                "role": c["role"],
                "bot": c["bot"],
                "students": c["names"],
                "online": c["online"],
                "moved": c["moved"],
                "locked": c["locked"],
                "score": c["score"],
            }
            for c in row["capitals"]
        ],
        "alerts": [str(a) for a in row["alerts"]],
    }


def _bulk(result: service.BulkResult) -> dict:
    """The report, each table's refusal in the reader's language."""
    answer = result.as_dict()
    answer["skipped"] = {n: localised(why) for n, why in answer["skipped"].items()}
    return answer


@router.post("/{class_id}/start", auth=AUTH, response=BulkOut, summary="Start all")
def class_start(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    return _bulk(service.class_start_all(classroom=classroom, tables=tables))


@router.post("/{class_id}/pause", auth=AUTH, response=BulkOut, summary="Pause all")
def class_pause(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    return _bulk(service.class_pause_all(classroom=classroom, tables=tables))


@router.post("/{class_id}/resume", auth=AUTH, response=BulkOut, summary="Resume all")
def class_resume(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    return _bulk(service.class_resume_all(classroom=classroom, tables=tables))


@router.post(
    "/{class_id}/resolve",
    auth=AUTH,
    response=BulkOut,
    summary="Resolve the tables where every student locked",
)
def class_resolve(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    return _bulk(service.class_resolve_locked(classroom=classroom, tables=tables))


@router.post(
    "/{class_id}/standin",
    auth=AUTH,
    response=BulkOut,
    summary="Bots play now for every student not connected",
)
def class_standin(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    played = service.class_bots_stand_in(classroom=classroom, timeout=0, tables=tables)
    done = sorted(played)
    return {"done": done, "skipped": {}, "roles": {str(n): played[n] for n in done}}


@router.post("/{class_id}/finish", auth=AUTH, response=BulkOut, summary="End all")
def class_finish(request, class_id: int, payload: ClassTablesIn):
    classroom, tables = _control(request, class_id, payload)
    return _bulk(service.class_finish_all(classroom=classroom, tables=tables))


@router.post(
    "/{class_id}/clock", auth=AUTH, response=BulkOut, summary="Set the clock: N minutes from now"
)
def class_clock(request, class_id: int, payload: ClassMinutesIn):
    classroom, tables = _control(request, class_id, payload)
    seconds = payload.minutes * 60
    return _bulk(service.class_clock_all(classroom=classroom, seconds=seconds, tables=tables))


@router.post("/{class_id}/extend", auth=AUTH, response=BulkOut, summary="N more minutes")
def class_extend(request, class_id: int, payload: ClassMinutesIn):
    classroom, tables = _control(request, class_id, payload)
    seconds = payload.minutes * 60
    return _bulk(service.class_extend_all(classroom=classroom, seconds=seconds, tables=tables))


@router.post(
    "/{class_id}/messages",
    auth=AUTH,
    response=BulkOut,
    summary="A message from the facilitator to everyone at each table",
)
def class_message(request, class_id: int, payload: ClassMessageIn):
    classroom, tables = _control(request, class_id, payload)
    text = payload.text.strip()
    if not text:
        raise BadInput("text: write the message.", code="bad_input")
    return _bulk(service.class_message_all(classroom=classroom, text=text, tables=tables))


@router.post(
    "/{class_id}/injects",
    auth=AUTH,
    response=BulkOut,
    summary="A scenario event (inject), or a titled event without effects, at each table",
)
def class_inject(request, class_id: int, payload: ClassInjectIn):
    classroom, tables = _control(request, class_id, payload)
    title = payload.title.strip()
    if not payload.inject and not title:
        raise BadInput("Name a scenario event (inject) or give a title.", code="bad_input")
    known = pinned_scenario(classroom.scenario).injects
    if payload.inject and payload.inject not in known:
        raise BadInput(
            "inject: no scenario event %(inject)s; events are %(names)s.",
            inject=repr(payload.inject),
            names=", ".join(sorted(known)),
            code="bad_inject",
        )
    result = service.class_inject_all(
        classroom=classroom,
        inject_id=payload.inject or None,
        label=title,
        effects=None if payload.inject else [],
        tables=tables,
    )
    return _bulk(result)


def _control(request, class_id: int, payload: ClassTablesIn) -> tuple[Classroom, list[int] | None]:
    """The class (404 if not this account's) and the tables asked for."""
    classroom = _class(request, class_id)
    return classroom, _tables(classroom, payload.tables)
