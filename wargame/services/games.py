"""Create, run and end games."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from players.services import seats_create
from wargame import policy, realtime
from wargame.bots import DEFAULT_POLICY, POLICY_NAMES
from wargame.engine import (
    BadSeed,
    UnknownRuleset,
    check_ruleset,
    check_seed,
    new_secret_seed,
    ruleset_of_seed,
    state_hash,
)
from wargame.engine.loader import DEFAULT_SLUG, UnknownScenario, UnreleasedScenario, versions_of
from wargame.engine.reasons import reason_of
from wargame.errors import BadInput, WrongPhase, state_word
from wargame.gamelog import LogError, check_log
from wargame.models import Game, Scenario, Turn
from wargame.policy.text import fault_in

from .events import event_append
from .locks import game_for_update
from .phases import finish_locked, turn_request_resolution
from .resolution import turn_retry
from .scenarios import engine_scenario, installed_row, scenario_install
from .turns import turn_open

MAX_TURNS = 50


MIN_DEADLINE_SECONDS = 10
MAX_DEADLINE_SECONDS = 7 * 24 * 3600  # a game's clock per turn: a week at most


def game_create(
    *,
    scenario_slug: str = DEFAULT_SLUG,
    scenario_version: int | None = None,
    scenario_row: Scenario | None = None,
    ruleset: int | None = None,
    turns: int | None = None,
    seed: int | str | None = None,
    deadline_seconds: int | None = None,
    bots: list[str] | tuple[str, ...] | dict[str, str] = (),
    bot_script: dict[str, Any] | None = None,
    title: str = "",
    action_budget: int | None = None,
    created_by=None,
    start_state: dict[str, Any] | None = None,
    parent: Game | None = None,
    parent_turn: int | None = None,
    umpire_review: bool = False,
) -> tuple[Game, dict[str, str]]:
    """A new game in the lobby with a seat (and join code) per role, facilitator, observer.

    The game pins a scenario row: `scenario_row` (a fork keeps its parent's), else the
    released `scenario_version` of `scenario_slug` (the latest when None). It is played
    under `ruleset` for its whole life.

    Without a seed the game gets a fresh 128-bit secret seed (ruleset 2: dice nobody can
    predict from the rolls). A given seed names its ruleset by its form when `ruleset`
    is None: an integer one is ruleset 1's (old games, imports, reproducible tests).
    """
    fault = fault_in(scenario=scenario_slug, title=title, bots=list(bots))
    if fault:
        raise BadInput(fault, code="bad_text")
    row = scenario_row or _released_row(scenario_slug, scenario_version)
    if seed is None:
        seed = new_secret_seed()
    try:
        ruleset = ruleset_of_seed(seed) if ruleset is None else check_ruleset(ruleset)
        check_seed(seed, ruleset)
    except UnknownRuleset as exc:
        raise BadInput(reason_of(exc), code="unknown_ruleset") from exc
    except BadSeed as exc:
        raise BadInput(reason_of(exc), code="bad_seed") from exc
    scenario = engine_scenario(row)
    unknown = [b for b in bots if b not in scenario.role_slugs]
    if unknown:
        raise BadInput(
            "Unknown bot roles %(unknown)s; roles are %(names)s.",
            unknown=unknown,
            names=", ".join(scenario.role_slugs),
            code="unknown_role",
        )
    policies, scripts = bot_seats_plan(bots, bot_script, scenario)
    start = start_state if start_state is not None else scenario.initial_state()
    max_turns = scenario.default_turns if turns is None else turns
    if not 1 <= max_turns <= MAX_TURNS or max_turns <= start["turn"]:
        raise BadInput(
            "turns must be between %(value)s and %(most)s.",
            value=start["turn"] + 1,
            most=MAX_TURNS,
        )
    if deadline_seconds is not None and not (
        MIN_DEADLINE_SECONDS <= deadline_seconds <= MAX_DEADLINE_SECONDS
    ):
        raise BadInput("deadline must be between 10 seconds and 7 days.")
    budget = scenario.action_budget if action_budget is None else action_budget
    if not 1 <= budget <= 10:
        raise BadInput("action budget must be between 1 and 10.")
    with transaction.atomic():
        game = Game.objects.create(
            scenario=row,
            ruleset=ruleset,
            title=title[:200],
            seed=seed,
            max_turns=max_turns,
            action_budget=budget,
            deadline_seconds=deadline_seconds,
            state=start,
            start_state=start,
            state_hash=state_hash(start),
            current_turn=start["turn"],
            created_by=created_by,
            parent=parent,
            parent_turn=parent_turn,
            umpire_review=umpire_review,
        )
        codes = seats_create(
            game=game, roles=list(scenario.role_slugs), bots=policies, scripts=scripts
        )
        event_append(
            game=game,
            type=realtime.GAME_CREATED,
            turn=game.current_turn,
            data={"title": game.title, "max_turns": max_turns, "bots": list(policies)},
            audience=[policy.EVERYONE],
        )
    return game, codes


def bot_seats_plan(
    bots: list[str] | tuple[str, ...] | dict[str, str],
    script: dict[str, Any] | None,
    scenario,
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """{role: policy} of the bot seats (a list of roles plays `random`) and, for each
    scripted one, its role's moves of `script`; BadInput before anything is written."""
    policies = dict(bots) if isinstance(bots, dict) else dict.fromkeys(bots, DEFAULT_POLICY)
    for role, name in policies.items():
        if name not in POLICY_NAMES:
            raise BadInput(
                "Unknown bot policy %(name)s for %(role)s; policies are %(names)s.",
                name=repr(name),
                role=role,
                names=", ".join(POLICY_NAMES),
                code="unknown_policy",
            )
    scripted = [role for role, name in policies.items() if name == "scripted"]
    if not scripted:
        return policies, {}
    if script is None:
        raise BadInput(
            "A scripted seat (%(names)s) needs a script: a log or script document.",
            names=", ".join(scripted),
            code="no_script",
        )
    try:
        check_log(script)
    except LogError as exc:
        raise BadInput(
            "The bots' script is not a valid script: %(why)s", why=reason_of(exc), code="bad_log"
        ) from exc
    scripts = {}
    for role in scripted:
        scripts[role] = {
            "turns": [
                {"number": t["number"], "moves": [m for m in t["moves"] if m["role"] == role]}
                for t in script["turns"]
            ]
        }
    return policies, scripts


def _released_row(slug: str, version: int | None) -> Scenario:
    """The installed row of that version (an uploaded one, or a release installed before),
    else the released file installed now. Without a version: the latest release, or for a
    slug only ever uploaded, its newest uploaded version."""
    released = versions_of(slug)
    if version is not None or not released:
        row = installed_row(slug, version)
        if row is not None:
            return row
        if not released and installed_row(slug, None) is not None:
            newest = installed_row(slug, None).version
            raise BadInput(
                "Scenario %(slug)s has no version %(version)s; the newest installed is %(newest)s.",
                slug=repr(slug),
                version=version,
                newest=newest,
                code="unknown_scenario",
            )
    try:
        return scenario_install(slug=slug, version=version)
    except UnknownScenario as exc:
        raise BadInput(reason_of(exc), code="unknown_scenario") from exc
    except UnreleasedScenario as exc:
        raise BadInput(reason_of(exc), code="scenario_changed") from exc


def game_start(*, game_id: int) -> Game:
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.read_only:
            raise WrongPhase("An imported log is read-only; fork it to play on.")
        if game.status != Game.Status.LOBBY:
            raise WrongPhase(
                "The game is %(status)s; only a game in the lobby can start.",
                status=state_word(game.status),
            )
        game.status = Game.Status.RUNNING
        game.save(update_fields=["status"])
        event_append(
            game=game,
            type=realtime.GAME_STARTED,
            turn=game.current_turn,
            data={},
            audience=[policy.EVERYONE],
        )
        turn_open(game=game, number=game.current_turn + 1)
    return game


def game_pause(*, game_id: int) -> Game:
    """Stop the clock: the open turn's remaining time is kept for resume."""
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.status != Game.Status.RUNNING:
            raise WrongPhase(
                "The game is %(status)s; only a running game can pause.",
                status=state_word(game.status),
            )
        turn = Turn.objects.filter(game=game, number=game.current_turn + 1).first()
        remaining = None
        if turn and turn.deadline:
            remaining = max(0.0, (turn.deadline - timezone.now()).total_seconds())
            turn.deadline = None
            turn.save(update_fields=["deadline"])
        game.status = Game.Status.PAUSED
        game.paused_remaining = remaining
        game.save(update_fields=["status", "paused_remaining"])
        event_append(
            game=game,
            type=realtime.GAME_PAUSED,
            turn=game.current_turn + 1,
            data={"remaining_seconds": remaining},
            audience=[policy.EVERYONE],
        )
    return game


def game_resume(*, game_id: int) -> Game:
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.status != Game.Status.PAUSED:
            raise WrongPhase(
                "The game is %(status)s; only a paused game can resume.",
                status=state_word(game.status),
            )
        deadline = None
        if game.paused_remaining is not None:
            deadline = timezone.now() + timedelta(seconds=game.paused_remaining)
            Turn.objects.filter(game=game, number=game.current_turn + 1).update(deadline=deadline)
        game.status = Game.Status.RUNNING
        game.paused_remaining = None
        game.save(update_fields=["status", "paused_remaining"])
        event_append(
            game=game,
            type=realtime.GAME_RESUMED,
            turn=game.current_turn + 1,
            data={"deadline": deadline.isoformat() if deadline else None},
            audience=[policy.EVERYONE],
        )
    return game


def game_finish(*, game_id: int, reason: str = "ended by the facilitator") -> Game:
    """End the game now; an open turn is left unresolved (its moves stay in the log)."""
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.status == Game.Status.FINISHED:
            raise WrongPhase("The game has already finished.")
        finish_locked(game=game, reason=reason)
    return game


def game_force_resolve(*, game_id: int, turn_number: int | None = None) -> Turn:
    """The facilitator resolves the open turn now; roles that have not moved hold. A turn
    that failed is retried (back to locked, and enqueued).

    `turn_number` makes the click idempotent: a double click names the same turn, and the
    second finds it already resolving or resolved (409) instead of cutting the next short.
    """
    with transaction.atomic():
        game = game_for_update(game_id)
        if game.status != Game.Status.RUNNING:
            raise WrongPhase(
                "The game is %(status)s; only a running game's turn resolves.",
                status=state_word(game.status),
            )
        turn = Turn.objects.filter(game=game, number=game.current_turn + 1).first()
        if turn is None:
            raise WrongPhase("No turn is open.")
        if turn_number is not None and turn_number != turn.number:
            raise WrongPhase(
                "Turn %(turn_number)s is not the open turn (turn %(number)s is); it has "
                "already been resolved.",
                turn_number=turn_number,
                number=turn.number,
            )
        if turn.status == Turn.Status.FAILED:
            turn_retry(game=game, turn=turn)
        else:
            turn_request_resolution(game=game, turn=turn, reason="forced by the facilitator")
        return turn


MAX_EXTENSION_SECONDS = 24 * 3600
NO_CLOCK = "This turn has no clock to extend; set one first (or leave it untimed)."


def game_extend(*, game_id: int, seconds: int) -> Turn:
    """Give the open turn more time, from its deadline. A turn without a clock is refused
    (409): "+1 min" on an untimed turn used to start a one-minute countdown nobody asked
    for, which resolved the turn while capitals were still deciding; set a clock instead
    (`game_clock_set`)."""
    if not 1 <= seconds <= MAX_EXTENSION_SECONDS:
        raise BadInput(
            "Extend by 1 to %(most)s seconds.",
            most=MAX_EXTENSION_SECONDS,
        )
    with transaction.atomic():
        game, turn = _open_turn_with_clock(game_id)
        if game.status == Game.Status.PAUSED:
            if game.paused_remaining is None:
                raise WrongPhase(NO_CLOCK)
            game.paused_remaining += seconds
            game.save(update_fields=["paused_remaining"])
        else:
            if turn.deadline is None:
                raise WrongPhase(NO_CLOCK)
            turn.deadline = max(turn.deadline, timezone.now()) + timedelta(seconds=seconds)
            turn.save(update_fields=["deadline"])
        _announce_clock(game, turn, extended_by=seconds)
        return turn


def game_clock_set(*, game_id: int, seconds: int | None) -> Turn:
    """Set the open turn's clock to `seconds` from now, or clear it (None: no deadline,
    the turn waits for every capital or the facilitator). While paused, the clock is what
    will remain on resume."""
    if seconds is not None and not MIN_DEADLINE_SECONDS <= seconds <= MAX_EXTENSION_SECONDS:
        raise BadInput(
            "Set the clock to %(least)s seconds up to %(value)s hours, or clear it.",
            least=MIN_DEADLINE_SECONDS,
            value=MAX_EXTENSION_SECONDS // 3600,
        )
    with transaction.atomic():
        game, turn = _open_turn_with_clock(game_id)
        if game.status == Game.Status.PAUSED:
            game.paused_remaining = None if seconds is None else float(seconds)
            game.save(update_fields=["paused_remaining"])
        else:
            turn.deadline = None if seconds is None else timezone.now() + timedelta(seconds=seconds)
            turn.save(update_fields=["deadline"])
        _announce_clock(game, turn, set_to=seconds)
        return turn


def _open_turn_with_clock(game_id: int) -> tuple[Game, Turn]:
    """The game (locked) and its turn open for moves, in a game whose clock can be run."""
    game = game_for_update(game_id)
    if game.status not in (Game.Status.RUNNING, Game.Status.PAUSED):
        raise WrongPhase(
            "The game is %(status)s; there is no clock to run.", status=state_word(game.status)
        )
    turn = Turn.objects.filter(game=game, number=game.current_turn + 1).first()
    if turn is None or turn.status != Turn.Status.OPEN:
        raise WrongPhase("No turn is open for moves.")
    return game, turn


def _announce_clock(game: Game, turn: Turn, **change: int | None) -> None:
    """One turn.deadline event for every change of the clock: the deadline (or, paused,
    the time that will remain), and what changed it (extended_by or set_to)."""
    paused = game.status == Game.Status.PAUSED
    event_append(
        game=game,
        type=realtime.TURN_DEADLINE,
        turn=turn.number,
        data={
            "deadline": turn.deadline.isoformat() if turn.deadline and not paused else None,
            "paused_remaining": game.paused_remaining if paused else None,
            **change,
        },
        audience=[policy.EVERYONE],
    )


def game_observers_grant(*, game_id: int, on: bool) -> Game:
    """Let observers read (or stop reading) private channels; sockets hear it at once."""
    with transaction.atomic():
        game = game_for_update(game_id)
        game.observers_read_channels = on
        game.save(update_fields=["observers_read_channels"])
        event_append(
            game=game,
            type=realtime.GAME_SETTINGS,
            turn=game.current_turn,
            data={"observers_read_channels": on},
            audience=[policy.EVERYONE],
        )
        return game
