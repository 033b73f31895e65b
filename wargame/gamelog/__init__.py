"""Game logs (format "lips-and-teeth/log"): read, check, replay, pair moves with outcomes.

Pure Python on top of the engine, so `replay --verify`, `import_game`, the API, the
review pages and the benchmarks share one reader. See docs/log-format.md.
"""

from .reader import (
    LOG_FORMAT,
    LOG_VERSION,
    LOG_VERSIONS,
    SECRET_SEED_LOG_VERSION,
    LogError,
    LogTooLarge,
    adjudicate_turn,
    check_log,
    check_size,
    injects_of,
    json_path,
    log_scenario,
    log_version_for,
    moves_with_outcomes,
    parse_log,
    replay,
    ruleset_of,
    start_state,
)

__all__ = [
    "LOG_FORMAT",
    "LOG_VERSION",
    "LOG_VERSIONS",
    "SECRET_SEED_LOG_VERSION",
    "log_version_for",
    "LogError",
    "LogTooLarge",
    "adjudicate_turn",
    "check_log",
    "check_size",
    "injects_of",
    "json_path",
    "log_scenario",
    "moves_with_outcomes",
    "parse_log",
    "replay",
    "ruleset_of",
    "start_state",
]
