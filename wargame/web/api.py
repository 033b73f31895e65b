"""The JSON API under /api/ (django-ninja: typed schemas, OpenAPI at /api/docs).

Each endpoint resolves who is asking (bearer token, session seat, or a staff account's
session) as a policy.Actor, asks wargame.policy whether they may do this, calls one service
or selector, and renders. Errors are {"error", "code"} with
400 bad input, 401 no credentials, 403 not yours, 404 not found (also other games),
409 wrong phase, 429 too many wrong join codes or tokens (wargame.throttle).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import field_validator

from players.models import Participant
from players.names import display_name_problem
from players.selectors import participant_by_token, remember_in_session
from players.services import JoinRefused, seat_join
from wargame import policy, selectors, throttle
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, GameError, NotAllowed, NotFound, TooLarge
from wargame.models import Game
from wargame.policy import Actor, limits
from wargame.policy.text import LONE_SURROGATE
from wargame.realtime.payloads import message_dict, move_dict
from wargame.selectors.reasons import localised
from wargame.services import games, injects, logs, messages, moves, review
from wargame.web.access import actor_for, is_staff, is_teacher_account
from wargame.web.api_classes import router as classes_router
from wargame.web.busy import unavailable

api = NinjaAPI(
    title="Lips and Teeth API",
    version="1",
    description="Play and run Korean Peninsula policy wargames. See docs/api.md.",
    docs_url="/docs",
    urls_namespace="api",
)


class BearerToken(HttpBearer):
    """Scripts and bots: `Authorization: Bearer <token>` from POST /api/join."""

    def authenticate(self, request: HttpRequest, token: str) -> Participant | None:
        throttle.refuse_if_throttled(request, throttle.TOKEN)
        participant = participant_by_token(token)
        if participant is None:
            throttle.count_failure(request, throttle.TOKEN)
        return participant


class SessionSeat(APIKeyCookie):
    """Browsers: the session cookie set by POST /api/join (CSRF-checked on writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        return "session" if key and request.session.get("lt_participants") else None


class StaffSession(APIKeyCookie):
    """Staff and teacher accounts logged in to the site (CSRF-checked on writes): policy
    lets staff see and run any game as its facilitator, without a seat, and a teacher the
    games it owns (another teacher's answers 404, like any game that is not yours)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        if not key:
            return None
        if is_staff(request):
            return "staff"
        return "teacher" if is_teacher_account(request) else None


AUTH = [BearerToken(), SessionSeat(), StaffSession()]


# --- errors -------------------------------------------------------------------------


@api.exception_handler(GameError)
def on_game_error(request, exc: GameError):
    message = localised(exc.message)
    return api.create_response(request, {"error": message, "code": exc.code}, status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "payload"))
    if first.get("type") == "string_unicode":  # a lone surrogate, before the service sees it
        said = localised(LONE_SURROGATE)
        message = f"{where}: {said}" if where else said
        return api.create_response(request, {"error": message, "code": "bad_text"}, status=400)
    message = plain_words(first, where)
    return api.create_response(request, {"error": message, "code": "bad_input"}, status=400)


# What an empty text means, in the words of the form that sends it (a missing field is
# "... is required", the word scripts look for).
EMPTY_FIELD = {
    "reason": gettext_lazy("Give a reason for the change."),
    "name": gettext_lazy("Give your name."),
    "code": gettext_lazy("Enter your join code."),
}


# The fields the API's forms send, named as a person reads them ("Name is required.").
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "code": gettext_lazy("Code"),
    "text": gettext_lazy("Text"),
    "to": gettext_lazy("To"),
    "action": gettext_lazy("Action"),
    "target": gettext_lazy("Target"),
    "rationale": gettext_lazy("Rationale"),
    "reason": gettext_lazy("Reason"),
    "title": gettext_lazy("Title"),
    "scenario": gettext_lazy("Scenario"),
    "seed": gettext_lazy("Seed"),
    "turns": gettext_lazy("Turns"),
    "seconds": gettext_lazy("Seconds"),
    "tables": gettext_lazy("Tables"),
    "inject": gettext_lazy("Inject"),
    "label": gettext_lazy("Label"),
    "description": gettext_lazy("Description"),
    "runs": gettext_lazy("Runs"),
    "after": gettext_lazy("After"),
}


def plain_words(error: dict, where: str) -> str:
    """Pydantic's message ("String should have at least 1 character") in plain words for the
    person at the form ("Give a reason for the change."); unknown kinds keep pydantic's text."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    field = where.rsplit(".", 1)[-1]
    label = FIELD_LABELS.get(field) or field.replace("_", " ").capitalize() or _("A value")
    if kind == "string_too_short" and ctx.get("min_length") == 1 and field in EMPTY_FIELD:
        return str(EMPTY_FIELD[field])
    words = {
        "missing": _("%(field)s is required."),
        "string_too_short": _("%(field)s must be at least %(n)s characters long."),
        "string_too_long": _("%(field)s is too long: at most %(n)s characters."),
        "int_parsing": _("%(field)s must be a whole number."),
        "int_type": _("%(field)s must be a whole number."),
        "greater_than_equal": _("%(field)s must be at least %(n)s."),
        "less_than_equal": _("%(field)s must be at most %(n)s."),
    }.get(kind)
    if words is None:
        msg = error.get("msg", "invalid")
        return f"{where}: {msg}" if where else msg
    n = ctx.get("min_length", ctx.get("max_length", ctx.get("ge", ctx.get("le", ""))))
    return words % {"field": label, "n": n}


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request,
        {
            "error": _(
                "No valid credentials: send 'Authorization: Bearer <token>' "
                "(from POST /api/join) or join in this browser first."
            ),
            "code": "unauthenticated",
        },
        status=401,
    )


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request, exc):
    """Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when it is first read; left
    alone that is its HTML 400 (a traceback in debug), not this API's error format."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _(
        "The request body is over the limit of %(limit)s bytes; send a smaller one "
        "(a game log goes to POST /api/games/import, which takes more)."
    ) % {"limit": limit}
    return api.create_response(request, {"error": message, "code": "too_large"}, status=413)


@api.exception_handler(OperationalError)
def on_database_unavailable(request, exc: OperationalError):
    """No database connection to be had (the pool's wait ran out under load, or the server
    is away): the request's transaction is rolled back, so nothing was written, and the
    client may simply try again. A JSON 503, not Django's HTML 500; the operator's log
    says why."""
    message = _("The server is busy and wrote nothing; try again in a few seconds.")
    response = api.create_response(request, {"error": message, "code": "unavailable"}, status=503)
    return unavailable(request, exc, response)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    cause = exc.__cause__  # ninja's "Cannot parse request body" says neither what nor why
    if isinstance(cause, RecursionError):
        message = _("The request body is nested too deeply; send a JSON object such as {}.")
        return api.create_response(request, {"error": message, "code": "bad_json"}, status=400)
    if isinstance(cause, ValueError):
        message = _("The request body is not JSON (%(why)s); send a JSON object.") % {
            "why": json_problem(cause)
        }
        return api.create_response(request, {"error": message, "code": "bad_json"}, status=400)
    message = str(exc)
    if exc.status_code == 403 and message == NINJA_CSRF_REFUSAL:  # a session write without it
        message = _(
            "This request came without the page's CSRF token (send the csrftoken cookie "
            "as the X-CSRFToken header) or from another site; reload the page and try again."
        )
    return api.create_response(request, {"error": message, "code": "http"}, status=exc.status_code)


# What django-ninja's session authentication says when a write lacks the CSRF token.
NINJA_CSRF_REFUSAL = "CSRF check Failed"


# What the JSON decoder says is wrong (in English), listed for the catalogs.
JSON_PROBLEMS = {
    gettext_noop("Expecting value"),
    gettext_noop("Expecting property name enclosed in double quotes"),
    gettext_noop("Expecting ',' delimiter"),
    gettext_noop("Expecting ':' delimiter"),
    gettext_noop("Extra data"),
    gettext_noop("Unterminated string starting at"),
    gettext_noop("Invalid control character at"),
    gettext_noop("Invalid \\escape"),
    gettext_noop("Invalid \\uXXXX escape"),
}


def json_problem(cause: ValueError) -> str:
    """The decoder's complaint and where, in the reader's language (its own English
    wording when the reader's is English)."""
    if not isinstance(cause, json.JSONDecodeError):
        return str(cause)[:200]
    problem = _(cause.msg) if cause.msg in JSON_PROBLEMS else cause.msg
    return _("%(problem)s: line %(line)s column %(column)s (char %(char)s)") % {
        "problem": problem,
        "line": cause.lineno,
        "column": cause.colno,
        "char": cause.pos,
    }


# --- who is asking ------------------------------------------------------------------
# The endpoints build the caller's policy.Actor (wargame.web.access) and ask wargame.policy;
# 404 when the game is not theirs to see (no peeking at ids), 403 when it is but this is not.


def opened(request: HttpRequest, game_id: int) -> tuple[Actor, Game]:
    """The caller and the game, if they may open it; else 404."""
    actor = actor_for(request, game_id)
    game = selectors.game_by_id(game_id) if policy.may_open(actor) else None
    if game is None:
        raise NotFound("No such game (or you have no seat in it).")
    return actor, game


def playing_role(request: HttpRequest, game_id: int) -> str:
    """The capital the caller acts for; 403 for the facilitator, observers and staff.
    A seat of this game needs no read of the game (its seat row says the game exists):
    the lock request, on the path to every turn's result, is one query shorter."""
    actor = actor_for(request, game_id)
    if actor.seat is None or not policy.may_act_for(actor, actor.seat):
        opened(request, game_id)  # 404 when the game is not theirs to see
        raise NotAllowed("Only a role's seat may do that; facilitators and observers do not move.")
    return actor.seat


def running(request: HttpRequest, game_id: int) -> None:
    actor, _game = opened(request, game_id)
    if not policy.may_run(actor):
        raise NotAllowed("Only the facilitator may run the game.")


def session_write_checked(request: HttpRequest) -> None:
    """A write made with the browser's session (no bearer token) carries the CSRF token
    and comes from an allowed origin, as every form does; else 403. Without it a page on
    any other site (or port) could create games as a logged-in facilitator."""
    if check_csrf(request) is not None:
        raise NotAllowed(
            "This request came without the page's CSRF token (send the csrftoken cookie "
            "as the X-CSRFToken header) or from another site; reload the page and try again.",
            code="csrf",
        )


def join_checked(request: HttpRequest) -> None:
    """POST /api/join sets the session cookie, so a browser's join must come from this
    site (Origin and CSRF token, as a form would): else another site could seat a
    visitor's browser in a game of its choosing (a forced join). Scripts send no Origin
    and keep the token they get back."""
    if "HTTP_ORIGIN" in request.META:
        session_write_checked(request)


# --- schemas ------------------------------------------------------------------------


class JoinIn(Schema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=limits.NAME_CHARS)

    @field_validator("name")
    @classmethod
    def name_is_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("give a display name (not just spaces)")
        if problem := display_name_problem(value):
            raise ValueError(problem)
        return value


class JoinOut(Schema):
    game: int
    role: str
    token: str


class MoveIn(Schema):
    action: str = Field(..., min_length=1, max_length=64)
    target: str | None = Field(None, max_length=32)
    rationale: str = ""


class MessageIn(Schema):
    to: str | list[str]
    text: str


class InjectIn(Schema):
    inject: str | None = Field(None, max_length=80, description="A scenario inject id.")
    label: str = Field("", max_length=limits.INJECT_LABEL_CHARS)
    description: str = Field("", max_length=limits.INJECT_DESCRIPTION_CHARS)
    effects: list[dict[str, Any]] | None = Field(
        None,
        max_length=limits.EFFECTS_PER_INJECT,
        description='Free-form: [{"var": "tension", "add": 5}, ...]',
    )
    audience: list[str] | None = None


class CreateIn(Schema):
    scenario: str = "lips-and-teeth-2025"
    scenario_version: int | None = Field(
        None, ge=1, description="A released version of the scenario; the latest if omitted."
    )
    turns: int | None = Field(None, ge=1, le=50)
    seed: int | str | None = Field(
        None,
        description="Omit for a fresh secret seed; 32 hex digits (ruleset 2) or a number "
        "from 0 to 2**53-1 (ruleset 1, guessable dice) to replay known dice.",
    )
    deadline: int | None = Field(None, description="Seconds per turn.")
    bots: list[str] | dict[str, str] = Field(
        default_factory=list,
        description='Roles played by bots: ["moscow"] (random moves), or each with its '
        'policy: {"seoul": "doctrine", "moscow": "random", "beijing": "scripted"}.',
    )
    bot_script: dict[str, Any] | None = Field(
        None, description="A log or script document that `scripted` bots play."
    )
    title: str = Field("", max_length=200)


class ExtendIn(Schema):
    seconds: int = Field(..., ge=1, le=24 * 3600)


class ClockIn(Schema):
    seconds: int | None = Field(..., description="Seconds from now; null clears the clock")


class OverrideIn(Schema):
    reason: str = Field(..., min_length=1, max_length=limits.OVERRIDE_REASON_CHARS)
    effects: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=limits.EFFECTS_PER_OVERRIDE,
        description='State changes: [{"var": "tension", "add": -5}]',
    )
    results: list[dict[str, Any]] = Field(
        default_factory=list, description='Move results: [{"index": 0, "result": "failed"}]'
    )
    turn: int | None = None


class ReviewModeIn(Schema):
    on: bool


class ObserversIn(Schema):
    read_channels: bool


class Ok(Schema):
    ok: bool = True
    status: str


# --- endpoints ----------------------------------------------------------------------


@api.post("/join", response=JoinOut, auth=None, summary="Join a game with a seat's code")
def join(request, payload: JoinIn):
    join_checked(request)
    throttle.refuse_if_throttled(request, throttle.JOIN)
    try:
        participant = seat_join(code=payload.code, name=payload.name.strip(), user=None)
    except JoinRefused as exc:
        throttle.count_failure(request, throttle.JOIN)
        raise NotFound(reason_of(exc)) from exc
    remember_in_session(request.session, participant)
    seat = participant.seat
    return {"game": seat.game_id, "role": seat.role, "token": participant.token}


@api.post("/games", auth=None, summary="Create a game (logged-in staff)")
def create_game(request, payload: CreateIn):
    user = request.user
    if not is_staff(request):
        raise NotAllowed("Log in as a facilitator (staff account) to create games.")
    session_write_checked(request)
    game, codes = games.game_create(
        scenario_slug=payload.scenario,
        scenario_version=payload.scenario_version,
        turns=payload.turns,
        seed=payload.seed,
        deadline_seconds=payload.deadline,
        bots=payload.bots,
        bot_script=payload.bot_script,
        title=payload.title,
        created_by=user,
    )
    return {"game": game.pk, "codes": codes}


@api.post(
    "/games/import",
    auth=None,
    response={201: dict},
    summary="Import a game log as a read-only game (logged-in staff)",
)
def import_log(request, title: str = ""):
    """The request body is the log itself (JSON, as `export_game` writes it). It is checked
    (size, schema, meaning, then every turn re-adjudicated) before anything is written:
    413 over LT_MAX_LOG_BYTES, 400 naming the JSON path of the first problem. 201
    {"game": id} on success; the game is read-only (fork it to play on)."""
    if not is_staff(request):
        raise NotAllowed("Log in as a facilitator (staff account) to import logs.")
    limit = settings.LT_MAX_LOG_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise TooLarge(
            "$: the log is %(declared)s bytes; the limit is %(limit)s",
            declared=declared,
            limit=limit,
        )
    session_write_checked(request)
    # Read the stream, not request.body: that would refuse anything over Django's 2.5 MB
    # DATA_UPLOAD_MAX_MEMORY_SIZE with a bare 400 before our own limit applies.
    game, _codes = logs.log_import(raw=request.read(limit + 1), title=title, max_bytes=limit)
    return Status(201, {"game": game.pk})


@api.get("/games/{game_id}", auth=AUTH, summary="The game as your seat may see it")
def game_detail(request, game_id: int):
    actor, game = opened(request, game_id)
    return selectors.game_view(game, actor)


@api.post("/games/{game_id}/moves", auth=AUTH, response={201: dict}, summary="Submit a move")
def submit_move(request, game_id: int, payload: MoveIn):
    role = playing_role(request, game_id)
    row = moves.move_submit(
        game_id=game_id,
        role=role,
        action=payload.action,
        target=payload.target,
        rationale=payload.rationale,
        by=_who(request),
    )
    return Status(201, move_dict(row))


@api.delete("/games/{game_id}/moves/{move_id}", auth=AUTH, response={204: None})
def withdraw_move(request, game_id: int, move_id: str):
    role = playing_role(request, game_id)
    moves.move_withdraw(game_id=game_id, role=role, move_id=move_id)
    return Status(204, None)


@api.post("/games/{game_id}/lock", auth=AUTH, summary="Lock your moves for the open turn")
def lock(request, game_id: int):
    role = playing_role(request, game_id)
    moves.role_lock(game_id=game_id, role=role)
    return {"ok": True, "status": "locked"}


@api.post("/games/{game_id}/messages", auth=AUTH, response={201: dict})
def post_message(request, game_id: int, payload: MessageIn):
    actor, _game = opened(request, game_id)
    if not policy.may_post_message(actor):
        raise NotAllowed("Observers read; they do not send messages.")
    message = messages.message_post(
        game_id=game_id, sender=actor.role, to=payload.to, text=payload.text
    )
    return Status(201, message_dict(message))


@api.get("/games/{game_id}/events", auth=AUTH, summary="Events you may see, after seq N")
def events(request, game_id: int, after: int = 0):
    if after < 0:
        raise BadInput("after must be 0 or more.")
    actor, game = opened(request, game_id)
    found, scanned = selectors.events_for_seat(game, actor, after=after)
    last = selectors.seat_last_seq(game, actor)  # this seat's own numbering
    return {"events": found, "next_after": scanned, "last_seq": last}


@api.get(
    "/games/{game_id}/log", auth=AUTH, summary="The game's log (facilitator; all once finished)"
)
def log(request, game_id: int):
    actor, game = opened(request, game_id)
    if not policy.may_read_log(actor, finished=game.status == Game.Status.FINISHED):
        raise NotAllowed("The log is the facilitator's until the game finishes.")
    return selectors.game_log(game)


def _control(action: Literal["start", "pause", "resume", "resolve", "finish"]):
    service = {
        "start": games.game_start,
        "pause": games.game_pause,
        "resume": games.game_resume,
        "resolve": games.game_force_resolve,
        "finish": games.game_finish,
    }[action]

    def endpoint(request, game_id: int, turn: int | None = None):
        running(request, game_id)
        if action == "resolve":
            service(game_id=game_id, turn_number=turn)
        else:
            service(game_id=game_id)
        return {"ok": True, "status": action}

    endpoint.__name__ = f"game_{action}"
    api.post(
        f"/games/{{game_id}}/{action}", auth=AUTH, response=Ok, summary=f"Facilitator: {action}"
    )(endpoint)


for _action in ("start", "pause", "resume", "resolve", "finish"):
    _control(_action)


@api.post(
    "/games/{game_id}/injects", auth=AUTH, response={201: dict}, summary="Facilitator: inject"
)
def inject(request, game_id: int, payload: InjectIn):
    running(request, game_id)
    row = injects.inject_apply(
        game_id=game_id,
        inject_id=payload.inject,
        label=payload.label,
        description=payload.description,
        effects=payload.effects,
        audience=payload.audience,
    )
    return Status(201, row.as_log_dict())


def _who(request) -> str:
    participant = request.auth if isinstance(request.auth, Participant) else None
    return participant.name if participant else "browser"


@api.post("/games/{game_id}/extend", auth=AUTH, response=Ok, summary="Facilitator: more time")
def extend(request, game_id: int, payload: ExtendIn):
    running(request, game_id)
    games.game_extend(game_id=game_id, seconds=payload.seconds)
    return {"ok": True, "status": "extended"}


@api.post("/games/{game_id}/clock", auth=AUTH, response=Ok, summary="Facilitator: set the clock")
def clock(request, game_id: int, payload: ClockIn):
    """Set the open turn's clock to `seconds` from now, or clear it with `null`."""
    running(request, game_id)
    games.game_clock_set(game_id=game_id, seconds=payload.seconds)
    return {"ok": True, "status": "cleared" if payload.seconds is None else "set"}


@api.post("/games/{game_id}/review/accept", auth=AUTH, response=Ok, summary="Umpire: accept")
def review_accept(request, game_id: int, turn: int | None = None):
    running(request, game_id)
    review.review_accept(game_id=game_id, turn_number=turn)
    return {"ok": True, "status": "accepted"}


@api.post("/games/{game_id}/review/override", auth=AUTH, response=Ok, summary="Umpire: override")
def review_override(request, game_id: int, payload: OverrideIn):
    running(request, game_id)
    review.review_override(
        game_id=game_id,
        reason=payload.reason,
        effects=payload.effects,
        results=payload.results,
        turn_number=payload.turn,
    )
    return {"ok": True, "status": "overridden"}


@api.post("/games/{game_id}/review-mode", auth=AUTH, response=Ok, summary="Umpire review on/off")
def review_mode(request, game_id: int, payload: ReviewModeIn):
    running(request, game_id)
    review.review_mode_set(game_id=game_id, on=payload.on)
    return {"ok": True, "status": "review on" if payload.on else "review off"}


@api.get("/games/{game_id}/messages", auth=AUTH, summary="Messages your seat may read")
def list_messages(request, game_id: int):
    actor, game = opened(request, game_id)
    return {"messages": selectors.messages_for_seat(game, actor)}


@api.get("/games/{game_id}/history", auth=AUTH, summary="Results of every resolved turn")
def history(request, game_id: int):
    _actor, game = opened(request, game_id)
    return {"turns": selectors.history(game)}


@api.get(
    "/games/{game_id}/turns/{number}/report",
    auth=AUTH,
    summary="What a published turn did, for your seat: headline, your moves, others', changes",
)
def turn_report(request, game_id: int, number: int):
    actor, game = opened(request, game_id)
    report = selectors.turn_report(game, actor, number, selectors.history(game))
    if report is None:
        raise NotFound("Turn %(number)s has no published result.", number=number)
    return report


@api.get("/games/{game_id}/odds", auth=AUTH, summary="Your actions' odds in the present state")
def odds(request, game_id: int):
    role = playing_role(request, game_id)
    _actor, game = opened(request, game_id)
    return {"odds": selectors.move_odds(game, role)}


@api.get("/games/{game_id}/news", auth=AUTH, summary="Your seat's news feed, newest first")
def news(request, game_id: int):
    actor, game = opened(request, game_id)
    return {"news": selectors.news(game, actor, selectors.history(game))}


@api.post("/games/{game_id}/observers", auth=AUTH, response=Ok, summary="Observers read channels?")
def observers(request, game_id: int, payload: ObserversIn):
    running(request, game_id)
    games.game_observers_grant(game_id=game_id, on=payload.read_channels)
    return {"ok": True, "status": "granted" if payload.read_channels else "withdrawn"}


# Classes (a teacher's or staff session): wargame/web/api_classes.py.
api.add_router("/classes", classes_router)
