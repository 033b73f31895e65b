"""Engine-only benchmarks: one turn, `replay --verify` of a 10-turn log, 1,000 bot games,
a doctrine seat's choice (its look-ahead against full adjudications, in the same run).

Pure Python, no Django, no services. The same-run baseline is the cost of hashing the
state (canonical `json.dumps` + sha256), which every adjudication also pays once.

    .venv/bin/python -m bench.engine [--quick]
"""

from __future__ import annotations

import gc
import hashlib
import json
import random
import time
from typing import Any

from bench import (
    NS_PER_MS,
    NS_PER_US,
    Figure,
    distribution,
    median,
    ms,
    percentile,
    print_header,
    us,
    verdict,
)
from wargame.bots import DoctrinePolicy, RandomPolicy, bot_moves, seat_moves
from wargame.bots.lookahead import FullLookahead
from wargame.engine import Move, Scenario, adjudicate, validate_moves
from wargame.engine.loader import load_scenario
from wargame.gamelog import LOG_FORMAT, LOG_VERSION, check_log, replay

# Targets from the issue.
TURN_TARGET_MS = 1.0
REPLAY_TARGET_MS = 50.0
GAMES_TARGET_S = 2.0  # issue 13 (was 15 s)
GAMES = 1_000
GAME_TURNS = 10
SEED = 20261128

# A plausible turn of 2025 with two moves for each of the five roles.
TURN_MOVES: list[Move] = [
    Move("seoul", "stabilise_leadership", None, "Restore a working government first."),
    Move("seoul", "restore_channel_moscow", "moscow", "Keep a line open to Moscow."),
    Move("beijing", "strategic_communication_pyongyang", "pyongyang", "Bring Kim back in."),
    Move("beijing", "court_seoul", "seoul", "Widen the gap between Seoul and Washington."),
    Move("pyongyang", "envoy_to_beijing", "beijing", "Repair ties with the patron."),
    Move("pyongyang", "missile_test", None, "Remind everyone we are here."),
    Move("washington", "raise_tariffs_china", "beijing", "Pressure before the trade talks."),
    Move("washington", "propose_summit_pyongyang", "pyongyang", "Another try at a deal."),
    Move("moscow", "military_coop_pyongyang", "pyongyang", "Pay for the shells and troops."),
    Move("moscow", "negotiate_ukraine_peace", "washington", "Talk while the front holds."),
]


def hash_state(state: dict[str, Any]) -> str:
    """The baseline: what `state_hash` does (canonical JSON, then sha256), spelled out."""
    text = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def two_moves(scenario: Scenario, role: str, rng: random.Random) -> list[Move]:
    """Two distinct non-hold actions of `role`, each with a legal target, chosen by `rng`."""
    actions = [a for a in scenario.actions_for(role) if a.code != "hold"]
    picks = rng.sample(actions, 2)
    return [
        Move(role, a.code, rng.choice(a.targets) if a.targets else None, "benchmark move")
        for a in picks
    ]


def bot_turn(scenario: Scenario, state: dict[str, Any], seed: int) -> list[Move]:
    """Every role's scripted-seat moves for the turn after `state` (0 to budget each)."""
    moves: list[Move] = []
    for role in scenario.role_slugs:
        moves.extend(bot_moves(scenario, state, role, seed=seed))
    return moves


def make_log(scenario: Scenario, *, seed: int, turns: int = GAME_TURNS) -> dict[str, Any]:
    """A 10-turn log as `export_game` writes it: bot moves, each turn's full outcome."""
    state = scenario.initial_state()
    logged = []
    for number in range(1, turns + 1):
        moves = bot_turn(scenario, state, seed)
        result = adjudicate(state, moves, seed=seed, scenario=scenario)
        logged.append(
            {
                "number": number,
                "moves": [m.to_dict() for m in moves],
                "injects": [],
                "messages": [],
                "overrides": [],
                "outcome": {
                    "outcomes": [o.to_dict() for o in result.outcomes],
                    "fired_rules": [r.to_dict() for r in result.fired_rules],
                    "state": result.state,
                    "state_hash": result.state_hash,
                    "scores": result.scores,
                    "narrative": result.narrative,
                },
            }
        )
        state = result.state
    # Through JSON and back, so the document is exactly what a reader of the file gets.
    return json.loads(
        json.dumps(
            {
                "format": LOG_FORMAT,
                "version": LOG_VERSION,
                "scenario": scenario.slug,
                "scenario_version": scenario.version,
                "seed": seed,
                "game": {"id": None, "title": "bench", "turns": turns, "status": "finished"},
                "roles": [{"role": r, "seat": "bot", "name": None} for r in scenario.role_slugs],
                "turns": logged,
            }
        )
    )


def bench_turn(scenario: Scenario, runs: int) -> tuple[list[Figure], float, float]:
    """Adjudicate TURN_MOVES from the initial state `runs` times, interleaved with the
    baseline (hashing the resulting state), so both see the same machine noise."""
    problems = validate_moves(scenario, TURN_MOVES)
    assert not problems, problems
    state = scenario.initial_state()
    after = adjudicate(state, TURN_MOVES, seed=SEED, scenario=scenario).state
    for _ in range(max(200, runs // 10)):  # warm up caches and branch predictors
        adjudicate(state, TURN_MOVES, seed=SEED, scenario=scenario)
        hash_state(after)
    engine_ns: list[int] = []
    base_ns: list[int] = []
    clock = time.perf_counter_ns
    for _ in range(runs):
        t0 = clock()
        adjudicate(state, TURN_MOVES, seed=SEED, scenario=scenario)
        t1 = clock()
        hash_state(after)
        t2 = clock()
        engine_ns.append(t1 - t0)
        base_ns.append(t2 - t1)
    turn_median, base_median = median(engine_ns), median(base_ns)
    result = verdict(turn_median / NS_PER_MS, TURN_TARGET_MS)
    print(f"adjudicate one turn (5 roles x 2 moves), {runs} runs: {distribution(engine_ns)}")
    print(f"  baseline, json.dumps + sha256 of the state: {distribution(base_ns)}")
    print(f"  ratio engine / baseline (medians): {turn_median / base_median:.1f}x")
    print(f"  {result}: median {ms(turn_median)} vs target <= {TURN_TARGET_MS:g} ms")
    figures = [
        Figure(
            "engine: adjudicate one turn, median",
            ms(turn_median),
            f"<= {TURN_TARGET_MS:g} ms",
            result,
        ),
        Figure("engine: adjudicate one turn, p99", ms(percentile(engine_ns, 99))),
        Figure("baseline: hash the state, median", us(base_median)),
        Figure("ratio: adjudicate / hash (medians)", f"{turn_median / base_median:.1f}x"),
    ]
    return figures, turn_median, base_median


def bench_replay(scenario: Scenario, runs: int, base_median: float) -> list[Figure]:
    """replay() of a recorded 10-turn log: schema + meaning checks, 10 adjudications,
    comparison with every recorded state, hash and outcome."""
    document = make_log(scenario, seed=SEED)
    report = replay(document)
    assert report["verified"] is True, report["first_mismatch"]
    moves = sum(len(t["moves"]) for t in document["turns"])
    size = len(json.dumps(document))
    for _ in range(max(5, runs // 10)):
        replay(document)
    samples: list[int] = []
    reading: list[int] = []  # the reader's share: JSON Schema, then the meaning checks
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        report = replay(document)
        t1 = time.perf_counter_ns()
        check_log(document)
        reading.append(time.perf_counter_ns() - t1)
        samples.append(t1 - t0)
    assert report["verified"] is True
    value = median(samples)
    result = verdict(value / NS_PER_MS, REPLAY_TARGET_MS)
    print(
        f"replay --verify of a 10-turn log ({moves} moves, {size // 1024} KiB), "
        f"{runs} runs: {distribution(samples)}"
    )
    print(
        f"  of which reading the log (schema + meaning checks, timed alone): "
        f"median {ms(median(reading))} ({median(reading) / value:.0%})"
    )
    print(f"  ratio replay / state hash (medians): {value / base_median:.0f}x")
    print(f"  {result}: median {ms(value)} vs target <= {REPLAY_TARGET_MS:g} ms")
    return [
        Figure(
            "engine: replay --verify, 10 turns, median",
            ms(value),
            f"<= {REPLAY_TARGET_MS:g} ms",
            result,
        )
    ]


def play_games(scenario: Scenario, games: int) -> int:
    """`games` complete 10-turn games of scripted-seat moves; returns the moves played."""
    played = 0
    initial = scenario.initial_state()
    for seed in range(1, games + 1):
        state = initial
        for _ in range(GAME_TURNS):
            moves = bot_turn(scenario, state, seed)
            state = adjudicate(state, moves, seed=seed, scenario=scenario).state
            played += len(moves)
    return played


def bench_games(
    scenario: Scenario, games: int, turn_median: float, base_median: float
) -> list[Figure]:
    """`games` ten-turn bot games in one timed run, with the single-turn median beside it
    and the per-turn cost against the same run's state-hash baseline (the machine's load
    moves both)."""
    play_games(scenario, max(5, games // 50))  # warm up
    gc.collect()
    t0 = time.perf_counter_ns()
    played = play_games(scenario, games)
    elapsed = time.perf_counter_ns() - t0
    target = GAMES_TARGET_S * games / GAMES
    seconds = elapsed / 1e9
    per_turn = elapsed / (games * GAME_TURNS)
    result = verdict(seconds, target)
    scaled = "" if games == GAMES else f" (scaled from {GAMES_TARGET_S:g} s for {GAMES:,})"
    print(
        f"{games:,} complete {GAME_TURNS}-turn games of bot moves ({played:,} moves), one run: "
        f"{seconds:.2f} s, {us(per_turn)} per turn incl. choosing the moves"
    )
    print(
        f"  single-turn adjudication median beside it: {ms(turn_median)}; "
        f"ratio per-turn / single-turn median: {per_turn / turn_median:.2f}x"
    )
    print(
        f"  same-run baseline: a turn costs {per_turn / base_median:.1f}x the state-hash "
        f"median ({us(base_median)})"
    )
    print(f"  {result}: {seconds:.2f} s vs target <= {target:g} s{scaled}")
    return [
        Figure(
            f"engine: {games:,} bot games x {GAME_TURNS} turns",
            f"{seconds:.2f} s",
            f"<= {target:g} s",
            result,
        ),
        Figure("engine: bot games, per turn", us(per_turn)),
        Figure("engine: beside it, one turn's adjudication, median", ms(turn_median)),
        Figure("ratio: bot-game turn / hash (median)", f"{per_turn / base_median:.1f}x"),
    ]


def doctrine_states(scenario: Scenario, games: int) -> list[dict[str, Any]]:
    """The states a doctrine seat chooses from: turns 0-9 of random-bot games."""
    states = []
    for seed in range(1, games + 1):
        state = scenario.initial_state()
        for _ in range(GAME_TURNS):
            states.append(state)
            state = adjudicate(
                state, bot_turn(scenario, state, seed), seed=seed, scenario=scenario
            ).state
    return states


def bench_doctrine(scenario: Scenario, games: int) -> list[Figure]:
    """A doctrine seat's choice (every role, every state of `games` random games): by its
    look-ahead, and by full adjudications of every option (doctrine as first written, the
    same moves), interleaved seat by seat so both see the same machine. CPU time, so a
    busy machine's waiting is not counted."""
    states = doctrine_states(scenario, games)
    fast, full = DoctrinePolicy(), DoctrinePolicy(lookahead=FullLookahead)
    fast_ns: list[int] = []
    full_ns: list[int] = []
    clock = time.process_time_ns
    for number, state in enumerate(states):
        for role in scenario.role_slugs:
            t0 = clock()
            chosen = seat_moves(fast, scenario, state, role, seed=number)
            t1 = clock()
            reference = seat_moves(full, scenario, state, role, seed=number)
            t2 = clock()
            assert chosen == reference, (number, role)
            fast_ns.append(t1 - t0)
            full_ns.append(t2 - t1)
    seats = len(fast_ns)
    fast_ms, full_ms = sum(fast_ns) / seats / NS_PER_MS, sum(full_ns) / seats / NS_PER_MS
    random_ns = []
    for number, state in enumerate(states):
        for role in scenario.role_slugs:
            t0 = clock()
            seat_moves(RandomPolicy(), scenario, state, role, seed=number)
            random_ns.append(clock() - t0)
    random_ms = sum(random_ns) / seats / NS_PER_MS
    print(f"doctrine seat's choice, {seats:,} seat-turns (the same moves both ways), mean CPU:")
    print(f"  by full adjudications (before): {full_ms:.2f} ms; median {ms(median(full_ns))}")
    print(f"  by its look-ahead (now):        {fast_ms:.2f} ms; median {ms(median(fast_ns))}")
    print(f"  speed-up {full_ms / fast_ms:.1f}x; a random seat: {random_ms * 1000:.0f} us")
    return [
        Figure("doctrine: seat-turn, full adjudications (before)", f"{full_ms:.2f} ms"),
        Figure("doctrine: seat-turn, look-ahead (now)", f"{fast_ms:.2f} ms"),
        Figure("doctrine: speed-up", f"{full_ms / fast_ms:.1f}x"),
    ]


def run(*, quick: bool = False) -> list[Figure]:
    """Every engine benchmark; prints as it goes and returns the summary lines."""
    print_header("engine (pure Python, no Django)" + (" --quick" if quick else ""))
    scenario = load_scenario()
    figures, turn_median, base_median = bench_turn(scenario, 500 if quick else 5_000)
    figures += bench_replay(scenario, 20 if quick else 200, base_median)
    figures += bench_games(scenario, 100 if quick else GAMES, turn_median, base_median)
    figures += bench_doctrine(scenario, 4 if quick else 20)
    return figures


def main() -> None:
    from bench import quick_cli

    quick_cli(__doc__, run, "fewer iterations")


if __name__ == "__main__":
    main()


__all__ = ["NS_PER_US", "TURN_MOVES", "bot_turn", "make_log", "run", "two_moves"]
