"""Classroom benchmark: 30 tables of 6 seats on the full stack with the class dashboard open.

Needs PostgreSQL and Redis (the bench database and settings of bench/fullstack.py). Starts
^uvicorn and one celery worker (`tests/support/stack.py`), creates a teacher's class of 30
tables (`services.classes.class_create`), seats five students per table through the class
code (`class_join`) and opens a socket per seat (five capitals and the table's observer:
180 sockets) plus the teacher's dashboard socket (`/ws/classes/<id>/`, session cookie and
Origin, as the browser opens it). Then, round after round, every student submits a move
and locks through the HTTP API (`POST /moves`, `POST /lock`, bearer token), table after
table, one request at a time; the fifth lock of a table sends its turn to the worker.

What is timed, from `t0` just before each `POST /lock`:

- **shown**: the dashboard has heard `table.changed` for that table covering the lock
  (`role.locked` among the frame's `events`) with the table's card in it, read after
  the lock was committed. A frame without a card is read over HTTP as the page falls
  back to (`GET /classes/<id>/tables/<game>/`, six at a time, a browser's limit per
  host, plus the page's debounce `DEBOUNCE_MS` of static/js/class_dashboard.js), and
  counted;
- **resolved**: the same for `turn.resolved`, from the fifth lock of the table.

Baseline in the same run: a bare Redis publish/subscribe round trip. And, in this process
with Django's test client (no HTTP server), the dashboard page's server time for the 30
tables and its number of SQL queries, against the same page for 3 tables.

    .venv/bin/python -m bench.classroom [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import threading
import time
from dataclasses import dataclass

from bench import Figure, distribution, median, ms, percentile, print_header, verdict

TABLES = 30
SHOWN_TARGET_MS = 250.0
PAGE_TARGET_MS = 100.0
DEBOUNCE_MS = 30  # static/js/class_dashboard.js: its fallback reads wait that long
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]
SEED = 20261204


@dataclass
class Lock:
    game: int
    role: str
    t0: int
    last: bool  # the fifth lock of its table: the turn goes to the worker
    answered: int = 0  # when POST /lock was answered


class Dashboard:
    """The teacher's dashboard: its socket, whose frames carry the table's card; a frame
    without one is read over HTTP, at most six at a time (a browser's connections per
    host), as the page's fallback fetches run."""

    PARALLEL_READS = 6

    def __init__(self, url: str, *, origin: str, cookie: str, base_url: str, class_id: int):
        from concurrent.futures import ThreadPoolExecutor

        from websockets.sync.client import connect

        self._connect = connect(
            url, additional_headers={"Origin": origin, "Cookie": cookie}, open_timeout=10
        )
        self.conn = self._connect.__enter__()  # as tests/support/wsclient.py does
        self.base_url = base_url
        self.cookie = cookie
        self.class_id = class_id
        self.shown: list[tuple[int, str, int, int]] = []  # (game, event, frame_t, shown_t)
        self.cards: list[int] = []  # HTTP reads of a card (frames that came without one)
        self.card_bytes: list[int] = []  # size of the cards that came with their frame
        self.lock = threading.Lock()
        self.local = threading.local()
        self.clients: list = []
        self.pool = ThreadPoolExecutor(self.PARALLEL_READS, thread_name_prefix="card")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _client(self):
        import httpx

        client = getattr(self.local, "client", None)
        if client is None:
            client = self.local.client = httpx.Client(base_url=self.base_url, timeout=60)
            with self.lock:
                self.clients.append(client)
        return client

    def _card(self, game: int, events: list[str], arrived: int) -> None:
        clock = time.perf_counter_ns
        t0 = clock()
        response = self._client().get(
            f"/classes/{self.class_id}/tables/{game}/", headers={"Cookie": self.cookie}
        )
        done = clock() + DEBOUNCE_MS * 1_000_000  # the page waits that long before reading
        response.raise_for_status()
        with self.lock:
            self.cards.append(done - t0)
            for event in events:
                self.shown.append((game, event, arrived, done))

    def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                frame = json.loads(self.conn.recv())
                arrived = time.perf_counter_ns()
                if frame.get("type") != "table.changed":
                    continue
                events = [e for e in frame["events"] if e in ("role.locked", "turn.resolved")]
                if not events:
                    continue
                card = frame.get("card")
                if not isinstance(card, str) or f'data-game="{frame["game"]}"' not in card:
                    self.pool.submit(self._card, frame["game"], events, arrived)
                    continue
                with self.lock:
                    self.card_bytes.append(len(card.encode()))
                    for event in events:
                        self.shown.append((frame["game"], event, arrived, arrived))
        except ConnectionClosed:
            pass

    def close(self) -> None:
        self._connect.__exit__(None, None, None)
        self.thread.join(timeout=5)
        self.pool.shutdown(wait=True)
        for client in self.clients:
            client.close()


def build_class(run_id: str):
    """The teacher, the class of 30 tables in the lobby, five students per table."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from players.selectors import TEACHERS
    from wargame.services.classes import class_create, class_join

    user = get_user_model().objects.create_user(f"bench-teacher-{run_id}", password="x")
    Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
    classroom = class_create(
        teacher=user, tables=TABLES, turns=20, bots=False, title=f"bench {run_id}"
    )
    students = [class_join(code=classroom.code, name=f"s{i}") for i in range(TABLES * 5)]
    return user, classroom, students


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(client, path: str) -> int:
    """SQL statements one GET runs (an execute wrapper: CaptureQueriesContext's log is a
    bounded deque, full after building the class, and then counts nothing)."""
    from django.db import connection

    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        assert client.get(path).status_code == 200
    return count


def page_times(classroom, user, samples: int) -> tuple[list[int], int]:
    """The dashboard page's server time (test client, in process) and its SQL queries."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    path = f"/classes/{classroom.pk}/"
    queries = count_queries(client, path)
    out = []
    for i in range(samples + 3):
        t0 = time.perf_counter_ns()
        response = client.get(path)
        elapsed = time.perf_counter_ns() - t0
        assert response.status_code == 200
        if i >= 3:
            out.append(elapsed)
    return out, queries


def small_class_queries(user) -> int:
    from django.test import Client

    from wargame.services.classes import class_create, class_join, class_start_all

    small = class_create(teacher=user, tables=3, turns=20, bots=False, title="bench small")
    for i in range(15):
        class_join(code=small.code, name=f"small {i}")
    class_start_all(classroom=small)  # the same state as the big class: turns open
    client = Client()
    client.force_login(user)
    return count_queries(client, f"/classes/{small.pk}/")


def play_round(http, students, scenario, rng: random.Random) -> list[Lock]:
    """Every student moves once, then locks, table after table (one request at a time)."""
    from bench.engine import two_moves

    by_game: dict[int, list] = {}
    for student in students:
        by_game.setdefault(student.seat.game_id, []).append(student)
    locks: list[Lock] = []
    for game_id, seated in by_game.items():
        for student in seated:
            move = two_moves(scenario, student.seat.role, rng)[0]
            body = {"action": move.action, "target": move.target, "rationale": "bench"}
            auth = {"Authorization": f"Bearer {student.token}"}
            http.post(f"/api/games/{game_id}/moves", json=body, headers=auth).raise_for_status()
    for game_id, seated in by_game.items():
        for i, student in enumerate(seated):
            auth = {"Authorization": f"Bearer {student.token}"}
            t0 = time.perf_counter_ns()
            response = http.post(f"/api/games/{game_id}/lock", headers=auth)
            answered = time.perf_counter_ns()
            response.raise_for_status()
            last = i == len(seated) - 1
            locks.append(Lock(game_id, student.seat.role, t0, last=last, answered=answered))
    return locks


# As docker-compose.yml runs them: one worker of concurrency 2 (here two of one each),
# keeping their database connections.
WORKERS = 2


def run(*, quick: bool = False, workers: int = WORKERS) -> list[Figure]:
    print_header(f"classroom ({TABLES} tables x 6 seats, dashboard open, {workers} workers)")
    from bench.fullstack import REDIS_URL, redis_round_trips, skipped_without_services

    skipped = skipped_without_services("classroom")
    if skipped:
        return skipped
    run_id = f"lt-bench-{os.getpid()}"
    from django.apps import apps

    if not apps.ready:
        from bench.fullstack import setup_django

        setup_django(run_id)
    import httpx
    from django.conf import settings

    from players.services import seat_join
    from tests.support.stack import Stack
    from wargame.engine.loader import load_scenario
    from wargame.services.classes import class_start_all

    rounds = 2 if quick else 4
    stack = Stack(
        database=settings.DATABASES["default"],
        redis_url=REDIS_URL,
        prefix=settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
    )
    scenario = load_scenario()
    rng = random.Random(SEED)
    sockets: list = []
    dashboard = None
    try:
        stack.start_web()
        for _ in range(workers):
            stack.start_worker(DJANGO_CONN_MAX_AGE="60")
        user, classroom, students = build_class(run_id)
        cookie = session_cookie(user)
        ws_base = stack.url.replace("http://", "ws://")
        sockets += [socket_of(ws_base, student) for student in students]
        for table in classroom.tables.select_related("game"):
            code = table.game.seats.get(role="observer").code
            observer = seat_join(code=code, name=f"observer {table.number}")
            sockets.append(socket_of(ws_base, observer))
        with httpx.Client(base_url=stack.url, timeout=60) as http:
            dashboard = Dashboard(
                f"{ws_base}/ws/classes/{classroom.pk}/",
                origin=stack.url,
                cookie=cookie,
                base_url=stack.url,
                class_id=classroom.pk,
            )
            class_start_all(classroom=classroom)
            redis_ns = redis_round_trips(100 if quick else 200, f"{run_id}-class-rtt")
            locks: list[Lock] = []
            for number in range(1, rounds + 1):
                locks += play_round(http, students, scenario, rng)
                wait_for_resolutions(classroom, number)
            time.sleep(1.0)  # the last frames and card reads
            redis_ns += redis_round_trips(100 if quick else 200, f"{run_id}-class-rtt")
        page_ns, queries = page_times(classroom, user, 20 if quick else 50)
        small_queries = small_class_queries(user)
    finally:
        if dashboard is not None:
            dashboard.close()
        for sock in sockets:
            sock.close()
        stack.stop()
    return report(locks, dashboard, redis_ns, page_ns, queries, small_queries)


def socket_of(ws_base: str, participant):
    """A seat's socket by token (what a script or the bench opens)."""
    from tests.support.wsclient import SocketClient

    game = participant.seat.game_id
    return SocketClient(f"{ws_base}/ws/games/{game}/?token={participant.token}")


def wait_for_resolutions(classroom, number: int, timeout: float = 120) -> None:
    from wargame.models import Game

    deadline = time.monotonic() + timeout
    games = list(classroom.tables.values_list("game_id", flat=True))
    while time.monotonic() < deadline:
        done = Game.objects.filter(pk__in=games, current_turn__gte=number).count()
        if done == len(games):
            return
        time.sleep(0.2)
    raise RuntimeError(f"round {number}: not every table resolved within {timeout} s")


def report(locks, dashboard, redis_ns, page_ns, queries, small_queries) -> list[Figure]:
    with dashboard.lock:
        shown = list(dashboard.shown)
        cards = list(dashboard.cards)
        card_bytes = list(dashboard.card_bytes)
    # match each lock with the first event of its kind for its game heard after its t0
    # (a frame read after several events covers each of them: one entry per event)
    lock_ns, resolved_ns, after_answer, missing = [], [], [], 0
    by_game: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    for i, (game, event, arrived, done) in enumerate(shown):
        by_game.setdefault((game, event), []).append((i, arrived, done))
    used: set[int] = set()
    for lock in locks:
        for kind, out in (("role.locked", lock_ns), ("turn.resolved", resolved_ns)):
            if kind == "turn.resolved" and not lock.last:
                continue
            match = next(
                (
                    (i, a, d)
                    for i, a, d in by_game.get((lock.game, kind), [])
                    if a >= lock.t0 and i not in used
                ),
                None,
            )
            if match is None:
                missing += 1
                continue
            used.add(match[0])
            out.append(match[2] - lock.t0)
            if kind == "role.locked":
                after_answer.append(match[2] - lock.answered)
    print(f"locks timed: {len(lock_ns)}; resolutions: {len(resolved_ns)}; unmatched: {missing}; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"dashboard shows a lock:       {distribution(lock_ns)}")
    print(f"dashboard shows a resolution: {distribution(resolved_ns)}")
    print(f"  of which POST /lock answered: {distribution([k.answered - k.t0 for k in locks])}")
    print(f"  a lock shown after its answer: {distribution(after_answer)}")
    print(f"cards in their frame: {len(card_bytes)} (median {median(card_bytes or [0])} bytes); "
          f"frames without a card, read over HTTP: {len(cards)}"
          + (f" ({distribution(cards)})" if cards else ""))  # fmt: skip
    print(f"bare Redis round trip:        {distribution(redis_ns)}")
    print(f"dashboard page, {TABLES} tables:  {distribution(page_ns)}; {queries} queries "
          f"({small_queries} for 3 tables)")  # fmt: skip
    both = lock_ns + resolved_ns
    p99 = percentile(both, 99) / 1_000_000
    page = median(page_ns) / 1_000_000
    return [
        Figure(
            "class dashboard shows locks/resolutions, p99",
            f"{ms(percentile(both, 99))} (Redis RTT median {ms(median(redis_ns))})",
            f"<= {SHOWN_TARGET_MS:.0f} ms",
            verdict(p99, SHOWN_TARGET_MS),
        ),
        Figure(
            f"class dashboard page, {TABLES} tables, median",
            f"{ms(median(page_ns))}, {queries} queries ({small_queries} for 3 tables)",
            f"<= {PAGE_TARGET_MS:.0f} ms, constant queries",
            "PASS" if page <= PAGE_TARGET_MS and queries == small_queries else "FAIL",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help="celery worker processes (default 2)"
    )
    args = parser.parse_args()
    from bench import print_summary

    print_summary(run(quick=args.quick, workers=args.workers))


if __name__ == "__main__":
    main()
