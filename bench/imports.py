"""Import benchmark: POST a 10-turn log to /api/games/import until the game's rows exist.

Target (issue "Replay, fork and after-action review"): "Import and verify a 10-turn log:
at most 200 ms end to end". End to end is Django's test client (no HTTP server, no
socket) posting the log file as the body of `POST /api/games/import`, as a logged-in
staff user, until the 201 answer, which comes after the transaction that wrote the game,
its turns, moves, messages, results and events has committed. On the bench PostgreSQL
database the other full-stack benchmarks use (bench/fullstack.py sets it up).

The log: a 10-turn game played through the services by five bot seats (Celery eager in
this process), with 20 messages per turn added, exported with `game_log` as export_game
writes it. Each run posts the same bytes; every import is checked to exist and is
deleted after the timing. Interleaved with each POST, and so under the same noise:

- baseline: the engine-only replay of the same log, `wargame.gamelog.replay(doc)` of the
  parsed document (schema and meaning checks, 10 adjudications, comparison); and
- diagnostic: the `log_import` service alone (parse, check, replay, write), no HTTP.

    .venv/bin/python -m bench.imports [--quick]
"""

from __future__ import annotations

import json
import random
import time

from bench import Figure, distribution, median, ms, percentile, print_header, verdict

TARGET_MS = 200.0
TURNS = 10
MESSAGES_PER_TURN = 20
SEED = 20261128
WARMUP = 5
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


def build_log() -> tuple[bytes, int]:
    """The log described in the module docstring, as bytes; and its source game's id."""
    from bench.pages import add_messages
    from wargame.celery import app as celery_app
    from wargame.models import Game
    from wargame.selectors import game_log
    from wargame.services.games import game_create, game_start

    game, _codes = game_create(
        turns=TURNS, bots=ROLES, seed=SEED, title="bench imports: 10 bot turns"
    )
    eager = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True  # the bots play every turn here, now
    celery_app.conf.task_eager_propagates = True
    try:
        game_start(game_id=game.pk)
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager
    rng = random.Random(SEED)
    for number in range(1, TURNS + 1):
        add_messages(game.pk, MESSAGES_PER_TURN, number, rng)
    game = Game.objects.select_related("scenario").get(pk=game.pk)
    if game.status != Game.Status.FINISHED or game.current_turn != TURNS:
        raise RuntimeError(f"game {game.pk}: turn {game.current_turn}, {game.status}")
    return json.dumps(game_log(game), indent=1, ensure_ascii=False).encode(), game.pk


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-importer", defaults={"is_staff": True}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def time_imports(raw: bytes, samples: int) -> dict[str, list[int]]:
    from wargame.gamelog import replay
    from wargame.models import Game
    from wargame.services.logs import log_import

    client = staff_client()
    document = json.loads(raw)
    if replay(document)["verified"] is not True:
        raise RuntimeError("the bench log does not verify")
    clock = time.perf_counter_ns
    out: dict[str, list[int]] = {"http": [], "engine": [], "service": []}
    created: list[int] = []
    for i in range(WARMUP + samples):
        t0 = clock()
        response = client.generic("POST", "/api/games/import", raw, "application/json")
        t1 = clock()
        if response.status_code != 201:
            raise RuntimeError(f"POST /api/games/import: {response.status_code} {response.content}")
        game_id = response.json()["game"]
        t2 = clock()
        replay(document)
        t3 = clock()
        game, _codes = log_import(raw=raw)
        t4 = clock()
        created += [game_id, game.pk]
        if i >= WARMUP:
            out["http"].append(t1 - t0)
            out["engine"].append(t3 - t2)
            out["service"].append(t4 - t3)
    found = Game.objects.filter(pk__in=created, read_only=True, current_turn=TURNS).count()
    if found != len(created):
        raise RuntimeError(f"{len(created)} imports answered, {found} games found")
    Game.objects.filter(pk__in=created).delete()
    return out


def run(*, quick: bool = False) -> list[Figure]:
    print_header("imports: POST a 10-turn log to /api/games/import, verified and stored")
    from bench.fullstack import DATABASE_URL, skipped_without_services

    skipped = skipped_without_services("imports")
    if skipped:
        return skipped
    from bench.pages import ensure_django

    ensure_django()
    samples = 50 if quick else 200
    started = time.perf_counter()
    raw, source = build_log()
    print(
        f"log of game {source} in {DATABASE_URL.rsplit('/', 1)[-1]}: {TURNS} turns, "
        f"{TURNS * MESSAGES_PER_TURN} messages, {len(raw) / 1024:.0f} KiB; built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    out = time_imports(raw, samples)
    http, engine, service = out["http"], out["engine"], out["service"]
    print(f"{samples} runs each after {WARMUP} warm-up, interleaved:")
    print(f"  {'POST /api/games/import (end to end)':<38} {distribution(http)}")
    print(f"  {'log_import service alone':<38} {distribution(service)}")
    print(f"  {'baseline: engine replay(doc)':<38} {distribution(engine)}")
    end_to_end, base = median(http), median(engine)
    print(
        f"where the time goes (medians): engine replay {ms(base)}, reading the bytes and "
        f"writing the rows {ms(median(service) - base)}, HTTP and Django "
        f"{ms(end_to_end - median(service))}"
    )
    return [
        Figure(
            "imports: 10-turn log, end to end, median",
            ms(end_to_end),
            f"<= {TARGET_MS:g} ms",
            verdict(end_to_end / 1e6, TARGET_MS),
        ),
        Figure("imports: end to end, p99", ms(percentile(http, 99))),
        Figure("imports: log_import service alone, median", ms(median(service))),
        Figure("baseline: engine replay of the same log", ms(base)),
        Figure("ratio: import end to end / engine replay", f"{end_to_end / base:.1f}x"),
    ]


def main() -> None:
    from bench import quick_cli

    quick_cli(__doc__, run, "50 runs instead of 200")


if __name__ == "__main__":
    main()
