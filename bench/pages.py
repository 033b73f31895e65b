"""Page benchmark: the player page of a game with 1,000 messages, server time in-process.

Needs PostgreSQL and Redis (the bench database and the full-stack settings, as
bench/fullstack.py sets them up; when run after it in `python -m bench`, the same Django
setup is reused). Builds one game: four capitals played by bots, Seoul by a person who
joined through the join form, 10 turns resolved (Celery tasks run eagerly in this process
while the game is built) and 100 messages added per turn, 1,000 in all, each with its
`message.posted` event. The game is left running at turn 11 with Seoul's two moves in.

Then, with Django's test client (no HTTP server, no socket), it times GET of: the player
page (Seoul, by session), the facilitator's console and the observer's page (by session),
and, as the baseline, GET /api/games/<id> (Seoul, bearer token) plus GET
/api/games/<id>/messages. The requests are interleaved round-robin so they share the
noise; each is counted once more under CaptureQueriesContext for its SQL queries.

    .venv/bin/python -m bench.pages [--quick]
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field

from bench import Figure, distribution, median, ms, percentile, print_header, verdict
from wargame import policy

PLAYER_TARGET_MS = 100.0
MESSAGES = 1_000
PLAYED_TURNS = 10
GAME_TURNS = 12  # so that after 10 resolved turns the game is still running (turn 11 open)
BOTS = ["beijing", "pyongyang", "washington", "moscow"]
SEED = 20261128
WARMUP = 5

# Realistic text, 60 to 220 characters.
WORDS = " ".join(
    [
        "we propose talks before the summit and ask for restraint on the border; the shells",
        "are moving north again and our envoy needs an answer by the next turn, otherwise",
        "sanctions stay in place and the channel closes",
    ]
).split()


def ensure_django() -> None:
    """Set Django up against the bench database, unless `python -m bench` already did."""
    from django.apps import apps

    if not apps.ready:
        from bench.fullstack import setup_django

        setup_django(f"lt-bench-{os.getpid()}")
    from django.conf import settings

    if settings.LT_MODE != "fullstack":
        raise RuntimeError(f"Django is set up in {settings.LT_MODE} mode, not the full stack")


# --- the game -------------------------------------------------------------------------


def _text(rng: random.Random) -> str:
    words: list[str] = []
    target = rng.randint(60, 220)
    while len(" ".join(words)) < target:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def add_messages(game_id: int, count: int, turn: int, rng: random.Random) -> int:
    """`count` messages posted during `turn`, bulk-written as message_post writes them
    (row and event, numbered under the game's row lock); returns how many Seoul may read.

    Three in five go to everyone; the rest are private to one or two capitals (or to the
    facilitator), from a rotating sender."""
    from django.db import transaction

    from wargame import realtime
    from wargame.models import Game, GameEvent, Message
    from wargame.realtime.payloads import message_dict

    roles = ["seoul", *BOTS]
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game_id)
        rows = []
        for i in range(count):
            sender = roles[i % len(roles)]
            if rng.random() < 0.6:
                recipients = [policy.EVERYONE]
            else:
                others = [r for r in [*roles, policy.FACILITATOR] if r != sender]
                recipients = sorted(rng.sample(others, rng.choice([1, 1, 2])))
            rows.append(
                Message(
                    game=game,
                    turn_number=turn,
                    sender=sender,
                    recipients=recipients,
                    text=_text(rng),
                )
            )
        rows = Message.objects.bulk_create(rows)
        events = []
        # Every seat's own count goes on from the last event's (policy.sequences).
        counters = (
            GameEvent.objects.filter(game=game, seq=game.last_seq)
            .values_list("seqs", flat=True)
            .first()
            or {}
        )
        for i, message in enumerate(rows):
            audience = (
                message.recipients
                if message.recipients == [policy.EVERYONE]
                else sorted({message.sender, *message.recipients, policy.FACILITATOR})
            )
            counters = policy.next_seqs(
                counters, audience, realtime.MESSAGE_POSTED, game.observers_read_channels
            )
            events.append(
                GameEvent(
                    game=game,
                    seq=game.last_seq + 1 + i,
                    type=realtime.MESSAGE_POSTED,
                    turn=turn,
                    audience=audience,
                    data=message_dict(message),
                    seqs=counters,
                )
            )
        GameEvent.objects.bulk_create(events)
        Game.objects.filter(pk=game.pk).update(last_seq=game.last_seq + count)
    return sum(policy.may_see("seoul", m.recipients) or m.sender == "seoul" for m in rows)


@dataclass
class Built:
    game_id: int
    clients: dict = field(default_factory=dict)  # page name -> logged-in test Client
    token: str = ""  # Seoul's bearer token for the API
    seoul_messages: int = 0
    seconds: float = 0.0


def build_game() -> Built:
    """The game described in the module docstring, and a seated client per page."""
    from django.test import Client

    from bench.engine import two_moves
    from wargame.celery import app as celery_app
    from wargame.engine.loader import load_scenario
    from wargame.models import Game
    from wargame.services.games import game_create, game_start
    from wargame.services.moves import move_submit, role_lock

    started = time.perf_counter()
    rng = random.Random(SEED)
    scenario = load_scenario()
    game, codes = game_create(
        turns=GAME_TURNS, bots=BOTS, seed=SEED, title="bench pages: 1,000 messages"
    )
    built = Built(game_id=game.pk)
    for page, seat in [("seoul", "seoul"), ("console", "facilitator"), ("observer", "observer")]:
        client = Client()
        response = client.post("/join/", {"code": codes[seat], "name": f"bench {seat}"})
        if response.status_code != 302:
            raise RuntimeError(f"joining {seat}: {response.status_code}")
        built.clients[page] = client
    api = Client()
    response = api.post(
        "/api/join",
        data={"code": codes["seoul"], "name": "bench seoul api"},
        content_type="application/json",
    )
    built.token = response.json()["token"]
    built.clients["api"] = api

    eager = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True  # resolve each turn here, as it locks
    celery_app.conf.task_eager_propagates = True
    try:
        game_start(game_id=game.pk)
        per_turn = MESSAGES // PLAYED_TURNS
        for number in range(1, PLAYED_TURNS + 2):
            if number <= PLAYED_TURNS:
                built.seoul_messages += add_messages(game.pk, per_turn, number, rng)
            for move in two_moves(scenario, "seoul", rng):
                move_submit(
                    game_id=game.pk,
                    role="seoul",
                    action=move.action,
                    target=move.target,
                    rationale=move.rationale,
                )
            if number <= PLAYED_TURNS:
                role_lock(game_id=game.pk, role="seoul")  # the bots have locked: resolves
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager
    game = Game.objects.get(pk=game.pk)
    if game.current_turn != PLAYED_TURNS or game.status != Game.Status.RUNNING:
        raise RuntimeError(f"game {game.pk}: turn {game.current_turn}, {game.status}")
    built.seconds = time.perf_counter() - started
    return built


# --- timing ---------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    client_key: str
    path: str
    headers: dict = field(default_factory=dict)
    samples: list[int] = field(default_factory=list)
    queries: int = 0
    size: int = 0


def get(target: Target, clients: dict):
    response = clients[target.client_key].get(target.path, **target.headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {target.path}: {response.status_code}")
    return response


def time_pages(targets: list[Target], clients: dict, samples: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock = time.perf_counter_ns
    for target in targets:
        with CaptureQueriesContext(connection) as ctx:
            response = get(target, clients)
        target.queries = len(ctx.captured_queries)
        target.size = len(response.content)
    for i in range(WARMUP + samples):
        for target in targets:  # round-robin: each sees the same noise
            t0 = clock()
            get(target, clients)
            elapsed = clock() - t0
            if i >= WARMUP:
                target.samples.append(elapsed)


def page_parts(built: Built, samples: int) -> dict[str, list[int]]:
    """The player page's parts, timed alone: building its data (selectors.page_data,
    every query included) and writing that data as the page's embedded JSON."""
    from django.utils.html import json_script

    from players.models import Participant
    from wargame import selectors

    participant = (
        Participant.objects.select_related("seat")
        .filter(seat__game_id=built.game_id, seat__role="seoul", name="bench seoul")
        .get()
    )
    seat = participant.seat
    out: dict[str, list[int]] = {"page_data": [], "json_script": [], "messages": []}
    clock = time.perf_counter_ns
    for i in range(WARMUP + samples):
        t0 = clock()
        game = selectors.game_for_seat(built.game_id, seat)
        data = selectors.page_data(game, seat, participant.name)
        t1 = clock()
        json_script(data, "page-data")
        t2 = clock()
        selectors.messages_for_seat(game, seat)
        t3 = clock()
        if i >= WARMUP:
            out["page_data"].append(t1 - t0)
            out["json_script"].append(t2 - t1)
            out["messages"].append(t3 - t2)
    out["embedded_messages"] = [len(data["messages"])]
    return out


def connect_cost(samples: int) -> list[int]:
    """A new PostgreSQL connection + SELECT 1: what a web process pays when its pool
    (DJANGO_DB_POOL_SIZE) has none free; not here, where the connection stays open."""
    import psycopg

    from bench.fullstack import DATABASE_URL, _pg_params

    params = _pg_params(DATABASE_URL)
    out = []
    for _ in range(samples):
        t0 = time.perf_counter_ns()
        with psycopg.connect(**params) as conn:
            conn.execute("SELECT 1").fetchone()
        out.append(time.perf_counter_ns() - t0)
    return out


# --- the benchmark --------------------------------------------------------------------


def run(*, quick: bool = False) -> list[Figure]:
    print_header("pages: a game with 1,000 messages, server time in-process")
    from bench.fullstack import DATABASE_URL, skipped_without_services

    skipped = skipped_without_services("pages")
    if skipped:
        return skipped
    ensure_django()
    samples = 50 if quick else 200
    built = build_game()
    gid = built.game_id
    print(
        f"game {gid} in {DATABASE_URL.rsplit('/', 1)[-1]}: {PLAYED_TURNS} turns resolved, "
        f"turn {PLAYED_TURNS + 1} open, {MESSAGES:,} messages ({built.seoul_messages} "
        f"readable by Seoul); built in {built.seconds:.1f} s"
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {built.token}"}
    targets = [
        Target("player page (Seoul)", "seoul", f"/games/{gid}/"),
        Target("facilitator console", "console", f"/games/{gid}/"),
        Target("observer page", "observer", f"/games/{gid}/"),
        Target("API GET /api/games/<id>", "api", f"/api/games/{gid}", bearer),
        Target("API GET /api/games/<id>/messages", "api", f"/api/games/{gid}/messages", bearer),
    ]
    time_pages(targets, built.clients, samples)
    parts = page_parts(built, samples)
    connect = connect_cost(20)
    return report(targets, parts, connect, samples)


def report(targets: list[Target], parts, connect, samples: int) -> list[Figure]:
    player, console, observer, api, api_messages = targets
    base = median(api.samples)
    print(
        f"GET, Django test client, {samples} samples each after {WARMUP} warm-up, "
        "interleaved; persistent DB connection:"
    )
    for t in targets:
        print(f"  {t.name:<34} {distribution(t.samples)}")
        print(f"  {'':<34} {t.queries} SQL queries, {t.size / 1024:.0f} KiB")
    print("ratios to the baseline GET /api/games/<id> (medians):")
    for t in targets:
        if t is not api:
            print(f"  {t.name:<34} {median(t.samples) / base:.1f}x")
    page = median(player.samples)
    print(f"where the player page's {ms(page)} goes (medians, timed alone in-process):")
    print(
        f"  {'selectors.page_data (all queries)':<40} {ms(median(parts['page_data'])):>10}"
        f"   ({parts['embedded_messages'][0]} messages embedded)"
    )
    print(f"  {'  of which messages_for_seat':<40} {ms(median(parts['messages'])):>10}")
    print(f"  {'json_script of that data':<40} {ms(median(parts['json_script'])):>10}")
    rest = page - median(parts["page_data"]) - median(parts["json_script"])
    print(f"  {'the rest (template, middleware, session)':<40} {ms(rest):>10}")
    print(
        f"  not included: a new PostgreSQL connection, when a web process's pool has none "
        f"free (DJANGO_DB_POOL_SIZE), {ms(median(connect))} median here"
    )
    return [
        Figure(
            "pages: player page, 1,000 messages, median",
            ms(page),
            f"<= {PLAYER_TARGET_MS:g} ms",
            verdict(page / 1e6, PLAYER_TARGET_MS),
        ),
        Figure("pages: player page, p99", ms(percentile(player.samples, 99))),
        Figure("pages: player page, SQL queries", str(player.queries)),
        Figure("pages: facilitator console, median", ms(median(console.samples))),
        Figure("pages: observer page, median", ms(median(observer.samples))),
        Figure("baseline: GET /api/games/<id>, median", ms(base)),
        Figure("ratio: player page / API game view", f"{page / base:.1f}x"),
        Figure("ratio: console / API game view", f"{median(console.samples) / base:.1f}x"),
        Figure("diagnostic: GET /api/games/<id>/messages", ms(median(api_messages.samples))),
    ]


def main() -> None:
    from bench import quick_cli

    quick_cli(__doc__, run)


if __name__ == "__main__":
    main()
