"""Load benchmark: many games resolving at once on many sockets, against a raw broadcast.

Issue 9's targets: "100 games of 40 sockets, all 100 resolved at once: the last socket
within 5x a raw `websockets.broadcast` to as many sockets measured in the same run, nothing
lost, and the benchmark prints both", and "no handshake is dropped when 200 sockets connect
at once during resolutions".

1. Baseline, measured first in the same run: a bare `websockets` server in a process of
   its own holds as many sockets as the games will (held by this process's event loop); each
   round it stamps `time.time()` into a frame of the size of a `turn.resolved` frame and
   hands it to `websockets.broadcast`; the figure is the stamp -> the last socket's arrival.
2. The stack (tests/support/stack.py): one ASGI server (uvicorn; LT_ASGI_SERVER=daphne for
   the ablation), 2 celery workers keeping their connections, as docker-compose.yml runs
   them. GAMES games, every seat joined over POST /api/join, PER_GAME sockets each (the
   seven seats' tokens in turn: a seat may have many devices).
3. Each round: four roles lock (in-process; no moves, so those roles hold: the fan-out is
   what is measured), then the fifth role's POST /lock goes out for every game at once;
   the figure is the locks sent -> the last socket's `turn.resolved`. While the locks go
   out, BURST more sockets connect at once (no limit on concurrency) to random games; a
   handshake that fails counts as dropped; one over 5 s (daphne's default connect
   timeout) is counted apart.
4. Nothing lost: every socket has exactly the events its seat may see, each once, in its
   own seq order (`realtime_fanout.check_delivery`), one `turn.resolved` per round.

    .venv/bin/python -m bench.load [--quick] [--games N] [--per-game N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter

from bench import Figure, distribution, median, ms, print_header

GAMES = 100
PER_GAME = 40
BURST = 200
FRAME_BYTES = 4000  # about a turn.resolved frame of the 2025 scenario (state, narrative)
# What each socket of the stack is sent in a measured round, in order: role.locked,
# turn.resolving, turn.resolved, turn.opened (their padding, as the 2025 scenario's frames).
ROUND_FRAMES = [100, 100, FRAME_BYTES, 150]
RATIO_TARGET = 5.0
HANDSHAKE_LIMIT_SECONDS = 5.0  # daphne's --websocket_connect_timeout default
ROLES = ["seoul", "beijing", "pyongyang", "washington", "moscow"]
SEATS = [*ROLES, "facilitator", "observer"]
SEED = 20261204
RAW_SERVER = """
import asyncio, json, sys, time
from websockets.asyncio.server import broadcast, serve

size = int(sys.argv[1])
clients = set()

async def handler(ws):
    clients.add(ws)
    try:
        async for message in ws:
            if message.startswith("go"):  # "go", or "go [sizes]": a frame of each size
                sizes = json.loads(message[2:]) if len(message) > 2 else [size]
                stamp = time.time()
                for pad in sizes:
                    frame = json.dumps({"type": "turn.resolved", "t": stamp, "pad": "x" * pad})
                    broadcast(clients, frame)
    finally:
        clients.discard(ws)

async def main():
    # Uncompressed, as the app sends its frames (uvicorn --ws-per-message-deflate false).
    async with serve(handler, "127.0.0.1", 0, max_size=2**22, ping_interval=None,
                     compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()

asyncio.run(main())
"""


# --- the baseline: a raw websockets.broadcast --------------------------------------------


async def raw_broadcast(
    count: int, rounds: int, size: int, round_sizes: list[int]
) -> tuple[list[float], list[float]]:
    """Seconds from the server's stamp to the last of `count` sockets, per round: for one
    frame of `size` bytes (the issue's baseline), and for a frame of each of `round_sizes`
    broadcast back to back (what a socket of the stack gets in a round, ROUND_FRAMES)."""
    from websockets.asyncio.client import connect

    server = subprocess.Popen(
        [sys.executable, "-c", RAW_SERVER, str(size)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(await asyncio.to_thread(server.stdout.readline))
        gate = asyncio.Semaphore(64)

        async def one():
            async with gate:
                return await connect(
                    f"ws://127.0.0.1:{port}/", max_size=2**22, ping_interval=None, proxy=None
                )

        sockets = await asyncio.gather(*(one() for _ in range(count)))

        async def frames_of(sock, count: int) -> list:
            return [await sock.recv() for _ in range(count)]

        async def last_of(sizes: list[int] | None) -> float:
            if sizes is None:  # the baseline, as it was always measured
                await sockets[0].send("go")
                frames = await asyncio.gather(*(s.recv() for s in sockets))
            else:
                await sockets[0].send(f"go{json.dumps(sizes)}")
                each = await asyncio.gather(*(frames_of(s, len(sizes)) for s in sockets))
                frames = [received[0] for received in each]
            arrival = time.time()  # every recv() has returned: the last socket is in
            return arrival - json.loads(frames[0])["t"]

        # The baseline first, as it always was measured; then the round's frames
        # (alternating the two made the one-frame figure 50% slower, 408 against 260 ms).
        one = [await last_of(None) for _ in range(rounds + 1)]  # the first warms up
        many = [await last_of(round_sizes) for _ in range(rounds + 1)]
        await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
        return one[1:], many[1:]
    finally:
        server.kill()
        server.wait()


# --- the connection burst ----------------------------------------------------------------


async def connect_burst(urls: list[str]) -> list[tuple[bool, float, object]]:
    """Open every URL at once; (connected and greeted, seconds, socket or error) each."""
    from websockets.asyncio.client import connect

    async def one(url: str):
        t0 = time.perf_counter()
        try:
            ws = await connect(url, max_size=2**22, open_timeout=30, ping_interval=None, proxy=None)
            while json.loads(await asyncio.wait_for(ws.recv(), 30)).get("type") != "presence":
                pass  # the consumer's first frames; it has joined its groups by presence
            took = time.perf_counter() - t0
            return took <= HANDSHAKE_LIMIT_SECONDS, took, ws
        except Exception as exc:  # noqa: BLE001 - any failure is a dropped handshake
            return False, time.perf_counter() - t0, exc

    return list(await asyncio.gather(*(one(u) for u in urls)))


async def open_all(socks, tracker, concurrency: int = 16) -> int:
    """Open the games' sockets (`concurrency` handshakes at a time), each tried up to three
    times; returns how many handshakes had to be tried again (printed: setup, not the
    burst that is measured)."""
    from websockets.asyncio.client import connect

    from bench.realtime_fanout import _read

    gate = asyncio.Semaphore(concurrency)
    retried = 0

    async def one(sock) -> None:
        nonlocal retried
        async with gate:
            for attempt in range(3):
                try:
                    sock.ws = await connect(
                        sock.url, max_size=2**22, open_timeout=30, ping_interval=None, proxy=None
                    )
                    break
                except Exception:  # noqa: BLE001 - try again, counted
                    if attempt == 2:
                        raise
                    retried += 1
                    await asyncio.sleep(1.0)
            sock.task = asyncio.create_task(_read(sock, tracker))

    await asyncio.gather(*(one(s) for s in socks))
    return retried


# --- the benchmark --------------------------------------------------------------------


def run(
    *,
    quick: bool = False,
    games: int | None = None,
    per_game: int | None = None,
    rounds=None,
    web: int = 1,
) -> list[Figure]:
    games_n = games or (40 if quick else GAMES)
    per_game = per_game or PER_GAME
    measured = rounds or (1 if quick else 3)
    server_name = os.environ.get("LT_ASGI_SERVER", "uvicorn")
    print_header(
        f"load: {games_n} games x {per_game} sockets resolved at once, {web} x {server_name}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    from bench.fullstack import REDIS_URL, skipped_without_services

    skipped = skipped_without_services("load")
    if skipped:
        return skipped
    from bench.pages import ensure_django

    ensure_django()
    import httpx
    from django.conf import settings

    from bench.realtime_fanout import (
        Game,
        Sock,
        SocketLoop,
        Tracker,
        check_delivery,
        close_sockets,
        cpu_delta,
        cpu_ticks,
        event_times,
        fire_locks,
        report_cpu,
    )
    from tests.support.stack import Stack
    from wargame.models import Game as GameRow
    from wargame.services.games import game_create
    from wargame.services.moves import role_lock

    sockets_n = games_n * per_game
    loop = SocketLoop()
    started = time.perf_counter()
    raw, raw_round = loop.call(
        raw_broadcast(sockets_n, max(3, measured * 3), FRAME_BYTES, ROUND_FRAMES), timeout=600
    )
    print(
        f"raw websockets.broadcast to {sockets_n} sockets (separate process, {len(raw)} "
        f"rounds, {time.perf_counter() - started:.0f} s): {distribution([x * 1e9 for x in raw])}"
    )
    print(
        f"  the same, a round's {len(ROUND_FRAMES)} frames back to back: "
        f"{distribution([x * 1e9 for x in raw_round])}"
    )

    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    stack = Stack(
        database=settings.DATABASES["default"], redis_url=REDIS_URL, prefix=prefix, queue=queue
    )
    tracker = Tracker()
    rng = random.Random(SEED)
    rows: list[Game] = []
    extra: list = []
    makespans: list[float] = []
    fanouts: list[float] = []  # per game-turn: its turn.resolved row -> its last socket
    phases: list[tuple[float, float]] = []  # per round: last lock answered, last commit
    lock_answers: list[float] = []
    bursts: list[tuple[bool, float, object]] = []
    problems: list[str] = []
    burst_cpu: Counter = Counter()
    try:
        stack.start_web()
        # --web N: N processes, as `docker compose up --scale web=N` runs them behind a
        # round-robin balancer without sticky sessions: socket k and game k's lock request
        # go to process k mod N, so a game's sockets are spread over every process.
        bases = [(stack.url, stack.ws_url)] + [stack.start_more_web() for _ in range(web - 1)]
        for _ in range(2):
            stack.start_worker(DJANGO_CONN_MAX_AGE="60")
        started = time.perf_counter()
        with httpx.Client(base_url=stack.url, timeout=60) as http:
            for i in range(games_n):
                row, codes = game_create(turns=measured + 2, seed=SEED + i, title=f"load {i}")
                tokens = {}
                for seat in SEATS:
                    body = {"code": codes[seat], "name": f"load {seat}"}
                    answer = http.post("/api/join", json=body)
                    answer.raise_for_status()
                    tokens[seat] = answer.json()["token"]
                game = Game(row.pk, tokens)
                for k in range(per_game):
                    seat = SEATS[k % len(SEATS)]
                    ws_base = bases[(i * per_game + k) % len(bases)][1]
                    url = f"{ws_base}/ws/games/{row.pk}/?token={tokens[seat]}"
                    game.socks.append(Sock(row.pk, f"{seat}-{k}", seat, url))
                rows.append(game)
            for game in rows:
                headers = {"Authorization": f"Bearer {game.tokens['facilitator']}"}
                http.post(f"/api/games/{game.id}/start", headers=headers).raise_for_status()
        socks = [s for g in rows for s in g.socks]
        retried = loop.call(open_all(socks, tracker), timeout=1800)
        tracker.wait(("hello", 0), len(socks), timeout=600)
        print(
            f"{games_n} games, {len(socks)} sockets connected in "
            f"{time.perf_counter() - started:.0f} s ({retried} handshakes tried again)"
        )
        time.sleep(2.0)
        after = dict(
            GameRow.objects.filter(pk__in=[g.id for g in rows]).values_list("pk", "last_seq")
        )
        client = loop.call(_client(games_n))
        for number in range(1, measured + 2):  # round 1 warms up
            last_roles = []
            for index, game in enumerate(rows):
                last = ROLES[(number + index) % len(ROLES)]
                for role in ROLES:
                    if role != last:
                        role_lock(game_id=game.id, role=role)
                last_roles.append(last)
            tracker.wait(("role.locked", number), len(socks) * (len(ROLES) - 1), timeout=600)
            time.sleep(1.0)
            locks = [
                (g.id, g.tokens[r], bases[i % len(bases)][0])
                for i, (g, r) in enumerate(zip(rows, last_roles, strict=True))
            ]
            burst_urls = [rng.choice(socks).url for _ in range(BURST)] if number > 1 else []
            cpu_before = cpu_ticks(stack)
            trigger = time.time()
            burst = (
                asyncio.run_coroutine_threadsafe(connect_burst(burst_urls), loop.loop)
                if burst_urls
                else None
            )
            t0 = time.perf_counter_ns()
            answers = loop.call(fire_locks(client, locks), timeout=600)
            answered = [(done - t0) / 1e9 for _, _, done in answers]
            tracker.wait(("turn.resolved", number), len(socks), timeout=600)
            last_arrival = max(s.arrival("turn.resolved", number) for s in socks)
            used = cpu_delta(cpu_before, cpu_ticks(stack))
            rows_at = event_times([g.id for g in rows], number)
            committed = {g.id: rows_at[(g.id, "turn.resolved")] for g in rows}
            spread = [
                max(s.arrival("turn.resolved", number) for s in g.socks) - committed[g.id]
                for g in rows
            ]
            last_commit = max(committed.values()) - trigger
            if number > 1:
                burst_cpu += used
                burst_cpu["wall ns"] += int((last_arrival - trigger) * 1e9)
            if burst is not None:
                done = burst.result(timeout=600)
                bursts += done
                extra += [w for ok, _, w in done if not isinstance(w, Exception)]
            if number > 1:
                makespans.append(last_arrival - trigger)
                lock_answers.append(max(answered))
                fanouts += spread
                phases.append((max(answered), last_commit))
            print(
                f"round {number}{' (warm-up)' if number == 1 else ''}: {games_n} locks sent -> "
                f"every socket had turn.resolved {(last_arrival - trigger) * 1e3:.0f} ms "
                f"(lock calls answered: median {median(answered) * 1e3:.0f} ms, last "
                f"{max(answered) * 1e3:.0f} ms; last turn.resolved committed "
                f"{last_commit * 1e3:.0f} ms; its sockets after a game's commit: median "
                f"{median(spread) * 1e3:.0f} ms, max {max(spread) * 1e3:.0f} ms; web CPU "
                f"{used['web (ASGI server)'] / os.sysconf('SC_CLK_TCK'):.2f} s)"
                + (
                    f"; {sum(ok for ok, _, _ in done)} of {len(done)} burst sockets greeted"
                    if burst is not None
                    else ""
                )  # fmt: skip
            )
        problems = check_delivery(rows, after, measured + 1)
        loop.call(client.aclose())
        loop.call(close_sockets(socks), timeout=300)
        loop.call(_close(extra), timeout=300)
    finally:
        loop.stop()
        stack.stop()
    if burst_cpu:
        report_cpu(burst_cpu)
    server = f"{web} x {server_name}"
    report_phases(phases, fanouts, raw)
    return report(raw, raw_round, makespans, bursts, problems, sockets_n, games_n, per_game, server)


def report_phases(phases, fanouts, raw) -> None:
    """Where the time goes: the lock requests, the resolutions (up to the last commit),
    and the fan-out proper (a game's commit -> its last socket), against the raw broadcast."""
    if not phases:
        return
    print(
        "where the time goes (measured rounds, from the locks sent): last lock answered "
        f"{distribution([a * 1e9 for a, _ in phases])}; last turn.resolved committed "
        f"{distribution([c * 1e9 for _, c in phases])}"
    )
    print(
        "fan-out alone, a game's turn.resolved row -> its last socket, per game-turn: "
        f"{distribution([f * 1e9 for f in fanouts])}; "
        f"median {median(fanouts) / median(raw):.1f}x the raw broadcast's median"
    )


async def _client(games_n: int):
    import httpx

    from bench.realtime_fanout import KEEPALIVE_SECONDS

    limits = httpx.Limits(
        max_connections=games_n,
        max_keepalive_connections=games_n,
        keepalive_expiry=KEEPALIVE_SECONDS,
    )
    return httpx.AsyncClient(timeout=120, limits=limits, trust_env=False)


async def _close(sockets) -> None:
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)


def report(raw, raw_round, makespans, bursts, problems, sockets_n, games_n, per_game, server):
    raw_median, full_median = median(raw), median(makespans)
    ratio = full_median / raw_median
    floor = median(raw_round) / raw_median
    lost = "nothing lost" if not problems else f"{len(problems)} problems"
    dropped = sum(isinstance(w, Exception) for _, _, w in bursts)  # failed: no socket
    slow = sum(not ok and not isinstance(w, Exception) for ok, _, w in bursts)
    took = [t * 1e9 for _, t, _ in bursts]
    print(
        f"locks sent -> last of {sockets_n} sockets: {distribution([x * 1e9 for x in makespans])}"
    )
    print(f"raw broadcast to {sockets_n} sockets:      {distribution([x * 1e9 for x in raw])}")
    print(f"  ratio (medians): {ratio:.1f}x (target <= {RATIO_TARGET:g}x)")
    print(
        f"  a round's {len(ROUND_FRAMES)} frames, raw, to the same sockets: {floor:.1f}x the raw "
        f"broadcast (medians): what the frames alone cost, before any HTTP, task or handshake"
    )
    print(f"delivery: {lost}")
    for line in problems[:20]:
        print(f"  PROBLEM: {line}")
    errors = sorted(
        {f"{type(w).__name__}: {w}"[:120] for _, _, w in bursts if isinstance(w, Exception)}
    )
    for line in errors[:5]:
        print(f"  burst error: {line}")
    if bursts:
        print(
            f"connection burst: {len(bursts)} sockets at once during resolutions, "
            f"{dropped} dropped (no socket), {slow} more took over "
            f"{HANDSHAKE_LIMIT_SECONDS:g} s; "
            f"handshake + hello {distribution(took)}"
        )
    return [
        Figure(f"load: {games_n}x{per_game} locks -> last socket, median", ms(full_median * 1e9)),
        Figure("load: raw websockets.broadcast, median", ms(raw_median * 1e9)),
        Figure(
            f"load: raw, a round's {len(ROUND_FRAMES)} frames / one frame",
            f"{floor:.1f}x",
        ),
        Figure(
            "load: ratio to the raw broadcast",
            f"{ratio:.1f}x",
            f"<= {RATIO_TARGET:g}x",
            "PASS" if ratio <= RATIO_TARGET else "FAIL",
        ),
        Figure("load: nothing lost", lost, "nothing lost", "PASS" if not problems else "FAIL"),
        Figure(
            f"load: {len(bursts)} handshakes at once, dropped",
            str(dropped),
            "0",
            "PASS" if bursts and not dropped else "FAIL",
        ),
        Figure(f"load: handshakes over {HANDSHAKE_LIMIT_SECONDS:g} s (not dropped)", str(slow)),
        Figure("load: ASGI server", server),
    ]


def main() -> None:
    from bench import print_summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 games, 1 measured round")
    parser.add_argument("--games", type=int, help=f"games ({GAMES}; quick 40)")
    parser.add_argument("--per-game", type=int, help=f"sockets per game ({PER_GAME})")
    parser.add_argument("--rounds", type=int, help="measured rounds (3; quick 1)")
    parser.add_argument(
        "--web", type=int, default=1, help="ASGI server processes (docker compose --scale web=N)"
    )
    args = parser.parse_args()
    print_summary(
        run(
            quick=args.quick,
            games=args.games,
            per_game=args.per_game,
            rounds=args.rounds,
            web=args.web,
        )
    )


if __name__ == "__main__":
    main()
