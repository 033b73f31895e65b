"""Reads: what a seat, a page or an export may be shown, in a bounded number of queries.

Selectors never write; services never render. Visibility decisions come from `policy`.
"""

from .events import (
    events_between,
    events_for_seat,
    game_last_seq,
    seat_events_after,
    seat_last_seq,
    seat_position,
)
from .games import (
    Viewer,
    game_by_id,
    game_for_seat,
    game_title,
    game_view,
    history,
    messages_for_seat,
    observers_read_channels,
    page_data,
    presence,
    proposal,
)
from .logs import game_log
from .reports import game_over, move_odds, news, turn_report, turn_reports
from .scenarios import default_choice, default_roles, scenario_choices, scenario_for_choice

__all__ = [
    "Viewer",
    "default_choice",
    "default_roles",
    "scenario_choices",
    "scenario_for_choice",
    "game_by_id",
    "events_between",
    "events_for_seat",
    "game_for_seat",
    "game_title",
    "game_last_seq",
    "seat_events_after",
    "seat_last_seq",
    "seat_position",
    "game_log",
    "game_over",
    "move_odds",
    "news",
    "turn_report",
    "turn_reports",
    "game_view",
    "history",
    "messages_for_seat",
    "observers_read_channels",
    "page_data",
    "presence",
    "proposal",
]
