"""Real-time fan-out: 30 games with 8 sockets each, all resolving at once, on the full stack.

Needs PostgreSQL and Redis. Sets Django up against the bench database (or reuses the setup
of bench/fullstack.py when run from `python -m bench`), starts daphne and N celery worker
processes (tests/support/stack.py, each `--concurrency 1`) on this process's channel-layer
prefix and queue, and creates 30 games, every seat held by a person who joined through
POST /api/join. Each game has 8 sockets: the five capitals, the facilitator, the observer
and a second member of Seoul's team on the same seat: 240 sockets, all held by one asyncio
event loop in a thread of this process (the `websockets` library), which stamps each
frame's arrival with time.time() and perf_counter_ns.

Each round (one turn of every game): every capital submits two legal moves and four of
them lock (in-process service calls, not timed); once every socket has heard the fourth
lock, the fifth role's POST /lock of all 30 games is sent at once (async httpx). Each lock
enqueues its game's resolve_turn task; the workers claim, adjudicate and commit, and each
commit publishes turn.resolved (then turn.opened) to its game's sockets.

"From commit": the resolving transaction's commit happens in a worker. Its GameEvent rows'
`created_at` are written inside that transaction, just before the commit, with the same
machine clock; the latency of a game is the time from its turn.resolved row's created_at
to the arrival of turn.resolved on the last of its 8 sockets. (The commit itself comes a
little later, so this slightly overstates the latency; the figure from the transaction's
last row, turn.opened of the next turn, is printed too.)

Measured in the same run, as the baseline: a bare Redis publish/subscribe round trip
(redis-py), before and after the games. Nothing lost: every socket must have exactly one
turn.resolved per game per round, and exactly the events its seat may see, in seq order.

    .venv/bin/python -m bench.realtime_fanout [--quick] [--workers N] [--rounds N] [--web N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench import Figure, distribution, median, ms, percentile, print_header, verdict
from wargame import policy

P99_TARGET_MS = 250.0
GAMES = 30
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]
# The socket's label and the seat whose code it joins with: a second Seoul team member.
SOCKETS = [(r, r) for r in ROLES] + [
    ("facilitator", "facilitator"),
    ("observer", "observer"),
    ("seoul-2", "seoul"),
]
WARMUP_ROUNDS = 1
WORKERS = 2  # what `celery worker` runs by default on the target 2-CPU machine
SEED = 20261128
WAIT_SECONDS = 120
COUNTED = {"role.locked", "turn.resolving", "turn.resolved", "turn.opened"}
# Idle keep-alive connections are given up before the server closes them (uvicorn's
# --timeout-keep-alive, 5 s): a lock sent on a connection the server was closing at that
# moment failed with httpx.ReadError between rounds, which are about 5 s apart.
KEEPALIVE_SECONDS = 2.0


# --- the socket side: one event loop thread ------------------------------------------


class Tracker:
    """Counts frames by (type, turn) as they arrive, so the main thread can wait cheaply:
    it is woken when the count it waits for is reached, not by every frame (16,000 wake-ups
    a round at 100 x 40, each taking the GIL from the sockets' loop)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.counts: Counter = Counter()
        self.waiting: tuple[Any, int] | None = None

    def note(self, key) -> None:
        with self.cond:
            self.counts[key] += 1
            if self.waiting == (key, self.counts[key]):
                self.cond.notify_all()

    def wait(self, key, count: int, timeout: float = WAIT_SECONDS) -> None:
        with self.cond:
            self.waiting = (key, count)
            try:
                if not self.cond.wait_for(lambda: self.counts[key] >= count, timeout):
                    raise RuntimeError(f"timed out waiting for {count} x {key}: {self.counts[key]}")
            finally:
                self.waiting = None


# The first bytes of every frame the game socket sends (realtime.frame_text; presence and
# the socket's own frames are json.dumps of a dict in the same key order).
HEADER = re.compile(r'\{"seq": (null|\d+), "type": "([a-z._]+)", "turn": (\d+)[,}]')


def frame_header(raw: str) -> dict:
    """A frame's seq, type and turn, read off its first bytes without decoding the rest:
    the client does per frame about what the raw broadcast's client does (its recv()),
    rather than a json.loads of 4 KB, on the two CPUs the stack is measured on. Every frame
    is still decoded in full, after the rounds (`check_delivery`)."""
    found = HEADER.match(raw)
    if found is None:
        frame = json.loads(raw)
        return {"seq": frame.get("seq"), "type": frame.get("type"), "turn": frame.get("turn")}
    seq, kind, turn = found.groups()
    return {"seq": None if seq == "null" else int(seq), "type": kind, "turn": int(turn)}


@dataclass
class Sock:
    game: int
    label: str
    role: str
    url: str
    frames: list = field(default_factory=list)  # (time.time(), perf_counter_ns, header)
    texts: list = field(default_factory=list)  # each frame's text, as received
    hello: bool = False
    ws: Any = None
    task: Any = None

    def arrival(self, kind: str, turn: int) -> float:
        """time.time() of the first `kind` frame for `turn`."""
        for wall, _, frame in self.frames:
            if frame.get("type") == kind and frame.get("turn") == turn:
                return wall
        raise AssertionError(f"{self.label} in game {self.game}: no {kind} for turn {turn}")


class SocketLoop:
    """An asyncio loop in a daemon thread; the main thread (Django ORM, sync) submits to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="bench-ws", daemon=True)
        self.thread.start()

    def call(self, coro, timeout: float = WAIT_SECONDS):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


async def _read(sock: Sock, tracker: Tracker) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in sock.ws:
            wall, perf = time.time(), time.perf_counter_ns()
            frame = frame_header(raw)
            sock.frames.append((wall, perf, frame))
            sock.texts.append(raw)
            kind = frame["type"]
            if kind in COUNTED:
                tracker.note((kind, frame["turn"]))
            elif kind == "presence" and not sock.hello:
                sock.hello = True
                tracker.note(("hello", 0))
    except ConnectionClosed:
        pass


async def open_sockets(socks: list[Sock], tracker: Tracker, concurrency: int = 8) -> None:
    from websockets.asyncio.client import connect

    gate = asyncio.Semaphore(concurrency)

    async def one(sock: Sock) -> None:
        async with gate:
            sock.ws = await connect(
                sock.url, max_size=2**22, open_timeout=30, ping_interval=None, proxy=None
            )
            sock.task = asyncio.create_task(_read(sock, tracker))

    await asyncio.gather(*(one(s) for s in socks))


async def close_sockets(socks: list[Sock]) -> None:
    await asyncio.gather(*(s.ws.close() for s in socks if s.ws), return_exceptions=True)
    await asyncio.gather(*(s.task for s in socks if s.task), return_exceptions=True)


class Tap:
    """A bare channel-layer receiver in this process, one channel in each game's group:
    when an event came out of Redis, apart from daphne (a diagnostic, not a socket)."""

    def __init__(self) -> None:
        self.layer = None
        self.channels: dict[int, str] = {}
        self.arrivals: dict[tuple[int, str, int], float] = {}  # (game, type, turn) -> wall
        self.tasks: list = []

    async def start(self, game_ids: list[int]) -> None:
        from channels import DEFAULT_CHANNEL_LAYER
        from channels.layers import channel_layers

        from wargame import realtime

        self.layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        for game_id in game_ids:
            name = await self.layer.new_channel()
            await self.layer.group_add(realtime.game_group(game_id), name)
            self.channels[game_id] = name
            self.tasks.append(asyncio.create_task(self._pump(game_id, name)))

    async def _pump(self, game_id: int, name: str) -> None:
        while True:
            message = await self.layer.receive(name)
            wall = time.time()
            event = message.get("event") or {}
            self.arrivals.setdefault((game_id, event.get("type"), event.get("turn")), wall)

    async def stop(self) -> None:
        from wargame import realtime

        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for game_id, name in self.channels.items():
            await self.layer.group_discard(realtime.game_group(game_id), name)
        close = getattr(self.layer, "close_pools", None)  # the core layer; pub/sub: flush
        await (close() if close else self.layer.flush())


async def probe_lag(out: list[tuple[float, float]], period: float = 0.002) -> None:
    """How late this loop wakes from a short sleep: (time.time(), seconds late) each."""
    while True:
        t0 = time.perf_counter()
        await asyncio.sleep(period)
        out.append((time.time(), time.perf_counter() - t0 - period))


async def start_task(coro):
    return asyncio.create_task(coro)


async def make_client(base_url: str):
    import httpx

    limits = httpx.Limits(
        max_connections=GAMES * 2,
        max_keepalive_connections=GAMES * 2,
        keepalive_expiry=KEEPALIVE_SECONDS,
    )
    return httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits, trust_env=False)


async def fire_locks(client, locks: list[tuple[int, str, str]]) -> list[tuple[int, int, int]]:
    """POST /lock for every (game, token, web base URL) at once: (game, sent ns, answered
    ns) each."""

    async def one(game_id: int, token: str, base: str) -> tuple[int, int, int]:
        sent = time.perf_counter_ns()
        response = await client.post(
            f"{base}/api/games/{game_id}/lock", headers={"Authorization": f"Bearer {token}"}
        )
        answered = time.perf_counter_ns()
        if response.status_code != 200:
            raise RuntimeError(f"lock game {game_id}: {response.status_code} {response.text}")
        return game_id, sent, answered

    return list(await asyncio.gather(*(one(g, t, b) for g, t, b in locks)))


# --- where the CPU goes -----------------------------------------------------------------


def cpu_ticks(stack) -> dict[str, int]:
    """CPU ticks (user + system) used so far by each part of the machine: the ASGI server, the
    celery workers (with their pool children), PostgreSQL, Redis, this process (the 240
    sockets' client and the lock requests) and everything else; 'idle' from /proc/stat."""
    import os
    from pathlib import Path

    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    comm: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        pid = int(entry.name)
        # utime + stime, and cutime + cstime: the children it has reaped, such as the
        # PostgreSQL backends of per-request connections, which come and go in between.
        parent[pid], comm[pid] = int(rest[1]), name
        ticks[pid] = sum(int(x) for x in rest[11:15])
    roots = {w.pid: "web (ASGI server)" for w in [stack.web, *stack.more_web]}
    roots[os.getpid()] = "this process (client)"
    roots.update({w.pid: "celery workers" for w in stack.workers})
    out: Counter = Counter()
    for pid, used in ticks.items():
        part, seen = None, pid
        while seen > 1 and part is None:
            part = roots.get(seen)
            seen = parent.get(seen, 0)
        if part is None:
            part = {"postgres": "PostgreSQL", "redis-server": "Redis"}.get(comm[pid], "other")
        out[part] += used
    # cpu user nice system idle iowait irq softirq steal ...: all CPUs, in the same ticks
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    out["idle"] = fields[3] + fields[4]
    out["stolen by the hypervisor"] = fields[7]
    out["total"] = sum(fields)
    return out


def cpu_delta(before: Counter, after: Counter) -> Counter:
    # A process that ended in between would make a part go down: count no less than zero.
    return Counter({k: max(0, after[k] - before.get(k, 0)) for k in after})


# --- the games ------------------------------------------------------------------------


@dataclass
class Game:
    id: int
    tokens: dict[str, str]  # socket label -> participant token
    socks: list[Sock] = field(default_factory=list)


@dataclass
class Sample:
    """One game's resolution in one round."""

    round: int
    game: int
    warmup: bool
    trigger_wall: float  # time.time() just before the 30 locks were sent
    sent: int  # perf_counter_ns: this game's lock request sent
    answered: int  # ... and answered
    trigger_perf: int
    locked_at: float  # created_at of the last role.locked row (web process)
    resolving_at: float  # created_at of turn.resolving (the worker claimed the turn)
    resolved_at: float  # created_at of turn.resolved (inside the committing transaction)
    opened_at: float  # created_at of the next turn.opened (the transaction's last row)
    tapped: float  # time.time() when turn.resolved came out of Redis to the Tap
    resolving_tapped: float  # ... and turn.resolving (published when the claim commits)
    arrivals: list[float]  # time.time() of turn.resolved on each of the 8 sockets

    @property
    def last(self) -> float:
        return max(self.arrivals)

    @property
    def first(self) -> float:
        return min(self.arrivals)


def create_games(http, count: int, turns: int) -> list[Game]:
    """`count` games, every seat joined over POST /api/join, started by the facilitator."""
    from wargame.services.games import game_create

    games = []
    for i in range(count):
        row, codes = game_create(turns=turns, seed=SEED + i, title=f"bench fan-out {i}")
        tokens = {}
        for label, seat in SOCKETS:
            response = http.post("/api/join", json={"code": codes[seat], "name": f"bench {label}"})
            response.raise_for_status()
            tokens[label] = response.json()["token"]
        games.append(Game(row.pk, tokens))
    for game in games:
        response = http.post(
            f"/api/games/{game.id}/start",
            headers={"Authorization": f"Bearer {game.tokens['facilitator']}"},
        )
        response.raise_for_status()
    return games


def prepare_round(games: list[Game], number: int, scenario, rng: random.Random) -> list[str]:
    """Every capital moves twice and all but one lock (in-process); returns the role left
    to lock in each game (it rotates over rounds and games)."""
    from bench.engine import two_moves
    from wargame.services.moves import move_submit, role_lock

    last_roles = []
    for index, game in enumerate(games):
        last_role = ROLES[(number + index) % len(ROLES)]
        for role in ROLES:
            for move in two_moves(scenario, role, rng):
                move_submit(
                    game_id=game.id,
                    role=role,
                    action=move.action,
                    target=move.target,
                    rationale=move.rationale,
                )
        for role in ROLES:
            if role != last_role:
                role_lock(game_id=game.id, role=role)
        last_roles.append(last_role)
    return last_roles


def event_times(game_ids: list[int], number: int) -> dict[tuple[int, str], float]:
    """{(game, kind): created_at as a timestamp} of this round's rows (kind 'role.locked'
    is the last lock, i.e. the greatest seq)."""
    from wargame.models import GameEvent

    rows = (
        GameEvent.objects.filter(
            game_id__in=game_ids,
            turn__in=[number, number + 1],
            type__in=["role.locked", "turn.resolving", "turn.resolved", "turn.opened"],
        )
        .order_by("seq")
        .values_list("game_id", "type", "turn", "created_at")
    )
    out: dict[tuple[int, str], float] = {}
    for game_id, kind, turn, created in rows:
        if (kind == "turn.opened") != (turn == number + 1):
            continue
        out[(game_id, kind)] = created.timestamp()  # the last one wins (role.locked)
    return out


def check_delivery(games: list[Game], after: dict[int, int], rounds: int) -> list[str]:
    """Problems, if any: each socket must hold exactly the events its seat may see after
    the log's seq after[game], numbered its own way (policy.seat_seq: 1, 2, 3, ... per
    seat, in strictly increasing order), and one turn.resolved per round."""
    from wargame.models import GameEvent

    problems: list[str] = []
    for game in games:
        events = list(
            GameEvent.objects.filter(game_id=game.id, seq__gte=after[game.id])
            .order_by("seq")
            .values_list("seq", "seqs")
        )
        for sock in game.socks:
            where = f"game {game.id} socket {sock.label}"
            for (_, _, header), text in zip(sock.frames, sock.texts, strict=True):
                decoded = json.loads(text)
                if header != {k: decoded.get(k) for k in ("seq", "type", "turn")}:
                    problems.append(f"{where}: a frame's header read as {header}: {text[:80]}")
            start = 0
            expected: list[int] = []
            for seq, seqs in events:
                number = policy.seat_seq(seqs, sock.role, seq)
                if seq == after[game.id]:
                    start = number
                elif number > (expected[-1] if expected else start):
                    expected.append(number)
            got = [f["seq"] for _, _, f in sock.frames if f.get("seq") is not None]
            got = [seq for seq in got if seq > start]
            resolved = Counter(
                f["turn"] for _, _, f in sock.frames if f.get("type") == "turn.resolved"
            )
            if any(b <= a for a, b in zip(got, got[1:], strict=False)):
                problems.append(f"{where}: seqs out of order or repeated")
            if got != expected:
                missing = sorted(set(expected) - set(got))
                extra = sorted(set(got) - set(expected))
                problems.append(f"{where}: missing seqs {missing[:5]}, unexpected {extra[:5]}")
            if any(resolved[n] != 1 for n in range(1, rounds + 1)):
                counts = [resolved[n] for n in range(1, rounds + 1)]
                problems.append(f"{where}: turn.resolved per round {counts}")
    return problems


# --- the benchmark --------------------------------------------------------------------


def run(
    *,
    quick: bool = False,
    workers: int | None = None,
    rounds: int | None = None,
    web: int = 1,
) -> list[Figure]:
    workers = workers or WORKERS
    measured = rounds or (2 if quick else 5)
    total = WARMUP_ROUNDS + measured
    print_header(f"real-time fan-out: {GAMES} games x {len(SOCKETS)} sockets resolving at once")
    from bench.fullstack import REDIS_URL, redis_round_trips, skipped_without_services, worker_tasks

    skipped = skipped_without_services("real-time fan-out")
    if skipped:
        return skipped
    from bench.pages import ensure_django

    ensure_django()
    import httpx
    from django.conf import settings

    from tests.support.stack import Stack
    from wargame.engine.loader import load_scenario

    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    stack = Stack(
        database=settings.DATABASES["default"], redis_url=REDIS_URL, prefix=prefix, queue=queue
    )
    scenario = load_scenario()
    rng = random.Random(SEED)
    tracker = Tracker()
    tap = Tap()
    loop = SocketLoop()
    tap_loop = SocketLoop()  # its own thread: the sockets' frames do not hold it up
    lag: list[tuple[float, float]] = []
    windows: list[tuple[float, float]] = []
    samples: list[Sample] = []
    makespans: list[float] = []
    problems: list[str] = []
    burst_cpu: Counter = Counter()
    games: list[Game] = []
    games_open = True
    client = None
    try:
        started = time.perf_counter()
        stack.start_web()
        webs = [(stack.url, stack.ws_url)] + [stack.start_more_web() for _ in range(web - 1)]
        for _ in range(workers):
            # As in docker-compose.yml: workers keep their connections; the web server has a pool.
            stack.start_worker(DJANGO_CONN_MAX_AGE="60")
        print(
            f"stack up in {time.perf_counter() - started:.1f} s: {web} "
            f"{os.environ.get('LT_ASGI_SERVER', 'uvicorn')} process(es) on "
            f"ports {', '.join(u.rsplit(':', 1)[1] for u, _ in webs)}, "
            f"{workers} celery worker processes (--concurrency 1 each), prefix/queue {prefix}"
        )
        redis_ns = redis_round_trips(100 if quick else 200, f"{prefix}-fanout-rtt")
        with httpx.Client(base_url=stack.url, timeout=30) as http:
            started = time.perf_counter()
            games = create_games(http, GAMES, total + 1)
        # More than one daphne: sockets and lock requests take turns over them, as a
        # round-robin load balancer without sticky sessions would hand them out.
        turn = 0
        for game in games:
            game.socks = []
            for (label, seat), tok in zip(SOCKETS, game.tokens.values(), strict=True):
                ws_base = webs[turn % len(webs)][1]
                turn += 1
                game.socks.append(
                    Sock(game.id, label, seat, f"{ws_base}/ws/games/{game.id}/?token={tok}")
                )
        socks = [s for g in games for s in g.socks]
        loop.call(open_sockets(socks, tracker))
        tracker.wait(("hello", 0), len(socks))
        print(
            f"{len(games)} games, {len(socks)} sockets connected in "
            f"{time.perf_counter() - started:.1f} s"
        )
        time.sleep(1.0)  # let the presence notices settle
        from wargame.models import Game as GameRow

        rows = GameRow.objects.filter(pk__in=[g.id for g in games])
        after = dict(rows.values_list("pk", "last_seq"))
        client = loop.call(make_client(stack.url))
        tap_loop.call(tap.start([g.id for g in games]))
        lag_task = loop.call(start_task(probe_lag(lag)))
        for number in range(1, total + 1):
            prep = time.perf_counter()
            last_roles = prepare_round(games, number, scenario, rng)
            # Every socket has heard the four locks: nothing of the preparation is queued.
            tracker.wait(("role.locked", number), len(socks) * (len(ROLES) - 1))
            time.sleep(0.5)
            locks = [
                (g.id, g.tokens[r], webs[(i + number) % len(webs)][0])
                for i, (g, r) in enumerate(zip(games, last_roles, strict=True))
            ]
            cpu_before = cpu_ticks(stack)
            # This process is the clients: a collection of its many frames mid-burst stalled
            # the stamps by 0.3 to 0.7 s in trial runs, so collect now, not during the burst.
            gc.collect()
            gc.disable()
            try:
                trigger_wall, trigger_perf = time.time(), time.perf_counter_ns()
                answers = loop.call(fire_locks(client, locks))
                tracker.wait(("turn.resolved", number), len(socks))
                tracker.wait(("turn.opened", number + 1), len(socks))
                done_perf = time.perf_counter_ns()
            finally:
                gc.enable()
            if number > WARMUP_ROUNDS:
                burst_cpu.update(cpu_delta(cpu_before, cpu_ticks(stack)))
                burst_cpu["wall ns"] += done_perf - trigger_perf
                windows.append((trigger_wall, time.time()))
            times = event_times([g.id for g in games], number)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not all(
                (g.id, "turn.resolved", number) in tap.arrivals for g in games
            ):
                time.sleep(0.01)
            warm = number <= WARMUP_ROUNDS
            round_samples = []
            for game, (_, sent, answered) in zip(games, answers, strict=True):
                round_samples.append(
                    Sample(
                        round=number,
                        game=game.id,
                        warmup=warm,
                        trigger_wall=trigger_wall,
                        trigger_perf=trigger_perf,
                        sent=sent,
                        answered=answered,
                        locked_at=times[(game.id, "role.locked")],
                        resolving_at=times[(game.id, "turn.resolving")],
                        resolved_at=times[(game.id, "turn.resolved")],
                        opened_at=times[(game.id, "turn.opened")],
                        tapped=tap.arrivals[(game.id, "turn.resolved", number)],
                        resolving_tapped=tap.arrivals[(game.id, "turn.resolving", number)],
                        arrivals=[s.arrival("turn.resolved", number) for s in game.socks],
                    )
                )
            samples += round_samples
            span = max(s.last for s in round_samples) - trigger_wall
            if not warm:
                makespans.append(span)
            worst = max(s.last - s.resolved_at for s in round_samples)
            print(
                f"round {number}{' (warm-up)' if warm else ''}: prepared in "
                f"{time.perf_counter() - prep - (done_perf - trigger_perf) / 1e9:.1f} s; "
                f"30 locks sent -> every socket had turn.resolved {span * 1e3:.0f} ms; "
                f"worst game commit -> last socket {worst * 1e3:.0f} ms"
            )
        problems = check_delivery(games, after, total)
        tap_loop.call(tap.stop())
        loop.loop.call_soon_threadsafe(lag_task.cancel)
        loop.call(client.aclose())
        client = None
        loop.call(close_sockets(socks))
        games_open = False
        redis_ns += redis_round_trips(100 if quick else 200, f"{prefix}-fanout-rtt")
        tasks = worker_tasks(stack.port)
    finally:
        if client is not None:
            loop.call(client.aclose())
        if games and games_open:
            loop.call(close_sockets([s for g in games for s in g.socks]))
        loop.stop()
        tap_loop.stop()
        stack.stop()
    late = [x for at, x in lag if any(a <= at <= b for a, b in windows)]
    return report(
        samples, makespans, redis_ns, tasks, problems, workers, len(socks), burst_cpu, late, web
    )


def report_cpu(burst: Counter) -> None:
    """CPU seconds of each part while the measured bursts ran (locks sent -> every socket)."""
    import os

    hz = os.sysconf("SC_CLK_TCK")
    wall = burst.pop("wall ns") / 1e9
    cpus = os.cpu_count() or 1
    print(
        f"CPU while the measured bursts ran ({wall:.1f} s of wall time x {cpus} CPUs "
        f"= {wall * cpus:.1f} CPU-seconds; 'other' is the rest of the machine):"
    )
    total = burst.pop("total")
    burst["unaccounted (interrupts, unreaped exits)"] = max(0, total - sum(burst.values()))
    for part, used in burst.most_common():
        print(f"  {part:<44} {used / hz:6.2f} s   {used / total:5.0%}")


def report(
    samples, makespans, redis_ns, tasks, problems, workers, sockets, burst_cpu, late, web=1
) -> list[Figure]:
    measured = [s for s in samples if not s.warmup]
    rounds = len({s.round for s in measured})

    def ns(values):  # seconds -> ns, for the bench formatting helpers
        return [v * 1e9 for v in values]

    from_commit = ns([s.last - s.resolved_at for s in measured])
    from_last_row = ns([s.last - s.opened_at for s in measured])
    every_socket = ns([a - s.resolved_at for s in measured for a in s.arrivals])
    from_trigger = ns([s.last - s.trigger_wall for s in measured])
    rtt = median(redis_ns)
    p99 = percentile(from_commit, 99)
    print(
        f"commit -> turn.resolved on the last of a game's {len(SOCKETS)} sockets, "
        f"{len(measured)} game-turns ({GAMES} games x {rounds} rounds, "
        f"{WARMUP_ROUNDS} warm-up round not counted), {workers} workers, {sockets} sockets:"
    )
    print(f"  from the turn.resolved row:        {distribution(from_commit)}")
    print(f"  from the transaction's last row:   {distribution(from_last_row)}")
    print(f"  every socket, from the row:        {distribution(every_socket)}")
    print(f"  the 30 locks sent -> each game's last socket: {distribution(from_trigger)}")
    print(
        f"  the 30 locks sent -> every socket of every game (per round): "
        f"{distribution(ns(makespans))}"
    )
    print(f"Redis publish -> subscriber round trip: {distribution(redis_ns)}")
    print(f"  ratio commit -> last socket / Redis round trip (medians): "
          f"{median(from_commit) / rtt:.0f}x")  # fmt: skip
    expected = len(samples) * len(SOCKETS)
    got = sum(len(s.arrivals) for s in samples)
    lost = "nothing lost" if not problems and got == expected else f"{len(problems)} problems"
    print(
        f"delivery: {got} of {expected} turn.resolved frames (all rounds), one per socket per "
        f"round; every socket's seqs complete and in order: {lost}"
    )
    for line in problems[:20]:
        print(f"  PROBLEM: {line}")

    print("where the time goes (medians over the measured game-turns, from the locks sent):")
    stages = [
        ("lock call answered", [(s.answered - s.trigger_perf) / 1e9 for s in measured]),
        ("role.locked row written (web)", [s.locked_at - s.trigger_wall for s in measured]),
        ("turn.resolving row (claimed)", [s.resolving_at - s.trigger_wall for s in measured]),
        ("turn.resolved row (commit)", [s.resolved_at - s.trigger_wall for s in measured]),
        ("turn.opened row (last row of commit)", [s.opened_at - s.trigger_wall for s in measured]),
        ("turn.resolved on first socket", [s.first - s.trigger_wall for s in measured]),
        ("turn.resolved on last socket", [s.last - s.trigger_wall for s in measured]),
    ]  # fmt: skip
    for label, values in stages:
        values = ns(values)
        print(f"  {label:<40} {ms(median(values)):>10}   p99 {ms(percentile(values, 99))}")
    per_game = [
        ("queued: role.locked -> claimed", [s.resolving_at - s.locked_at for s in measured]),
        ("claimed -> turn.resolved row", [s.resolved_at - s.resolving_at for s in measured]),
        (
            "  claimed -> turn.resolving out of Redis",
            [s.resolving_tapped - s.resolving_at for s in measured],
        ),
        ("turn.resolved row -> out of Redis (tap)", [s.tapped - s.resolved_at for s in measured]),
        ("out of Redis (tap) -> last socket", [s.last - s.tapped for s in measured]),
        ("turn.resolved row -> first socket", [s.first - s.resolved_at for s in measured]),
        ("spread first -> last socket", [s.last - s.first for s in measured]),
    ]
    print("per game (medians):")
    for label, values in per_game:
        values = ns(values)
        print(f"  {label:<40} {ms(median(values)):>10}   p99 {ms(percentile(values, 99))}")
    storm_end = {}  # round -> time.time() when the last of its 30 lock calls was answered
    for s in measured:
        end = s.trigger_wall + (s.answered - s.trigger_perf) / 1e9
        storm_end[s.round] = max(storm_end.get(s.round, 0.0), end)
    during = [s for s in measured if s.resolved_at < storm_end[s.round]]
    after = [s for s in measured if s.resolved_at >= storm_end[s.round]]
    print("commit -> last socket, by whether lock calls were still being answered:")
    for label, group in [("committed while they were", during), ("committed after them", after)]:
        if group:
            values = ns([s.last - s.resolved_at for s in group])
            print(f"  {label:<40} {distribution(values)}")
    slow = sorted(measured, key=lambda s: s.resolved_at - s.resolving_at)[-3:]
    print("the slowest resolutions (claimed -> committed), from the claim:")
    for s in reversed(slow):
        print(
            f"  game {s.game} round {s.round}: turn.resolving out of Redis "
            f"+{(s.resolving_tapped - s.resolving_at) * 1e3:.0f} ms, turn.resolved row "
            f"+{(s.resolved_at - s.resolving_at) * 1e3:.0f} ms, out of Redis "
            f"+{(s.tapped - s.resolving_at) * 1e3:.0f} ms, last socket "
            f"+{(s.last - s.resolving_at) * 1e3:.0f} ms"
        )
    if late:
        print(
            "  the sockets' event loop in this process, how late it woke from a 2 ms sleep "
            f"during the bursts: {distribution([x * 1e9 for x in late])}"
        )
    report_cpu(burst_cpu)
    figures = [
        Figure(
            "fan-out: commit -> last socket, p99",
            ms(p99),
            f"<= {P99_TARGET_MS:g} ms",
            verdict(p99 / 1e6, P99_TARGET_MS),
        ),
        Figure("fan-out: commit -> last socket, median", ms(median(from_commit))),
        Figure(
            "fan-out: nothing lost",
            lost,
            "nothing lost",
            "PASS" if lost == "nothing lost" else "FAIL",
        ),
        Figure("fan-out: locks sent -> last socket, median", ms(median(from_trigger))),
        Figure("fan-out: locks sent -> every socket, max", ms(max(ns(makespans)))),
        Figure("fan-out: worker processes / sockets", f"{workers} / {sockets}"),
        Figure("fan-out: daphne processes", str(web)),
        Figure("baseline: Redis pub/sub round trip, median", ms(rtt)),
        Figure("ratio: fan-out commit -> last socket / Redis", f"{median(from_commit) / rtt:.0f}x"),
    ]
    if tasks:
        run_ns = [secs * 1e9 for _, secs in tasks]
        print(f"worker log: resolve_turn run time, all {len(tasks)} tasks: {distribution(run_ns)}")
        figures.append(Figure("fan-out: resolve_turn task run time, median", ms(median(run_ns))))
    return figures


def main() -> None:
    from bench import print_summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and samples")
    parser.add_argument("--workers", type=int, help=f"celery worker processes ({WORKERS})")
    parser.add_argument("--rounds", type=int, help="measured rounds (default 5, quick 2)")
    parser.add_argument(
        "--web", type=int, default=1, help="daphne processes, round-robin like a balancer (1)"
    )
    args = parser.parse_args()
    print_summary(run(quick=args.quick, workers=args.workers, rounds=args.rounds, web=args.web))


if __name__ == "__main__":
    main()
