"""Downloads for analysts: a game's tables as CSV or JSON, and its log, optionally anonymised.

Who may download follows the review rule (wargame/web/access.py): the facilitator at
any time, every seat once the game has finished, staff always; anyone else gets 404. The
tables are built by the pure wargame.review.exports from the same log `export_game` writes, so
only resolved turns appear: nothing of the open turn leaks.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from players.selectors import participant_names
from wargame.models import Game
from wargame.review import exports
from wargame.selectors import game_log, game_title
from wargame.selectors.translations import presented_scenario
from wargame.web.access import reviewable_game

LOG = "log"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
LOG_DESCRIPTION = (
    "The whole game log (format lips-and-teeth/log, version 1): seed, seats, and every turn "
    "with its moves, injects, messages, overrides and outcome. `replay --verify` checks it; "
    "`import_game` loads it."
)


# What each download holds, as the page says it (translated; the data keeps its names).
SHOWN = {
    "moves": (
        gettext_lazy("Moves"),
        gettext_lazy(
            "Every move: turn, role, action, target and rationale, with its result, the "
            "reason and the rules and claims that decided it."
        ),
    ),
    "messages": (
        gettext_lazy("Messages"),
        gettext_lazy(
            "Every message: turn, sender, recipients ('all' or roles joined by ';'), "
            "text and time sent."
        ),
    ),
    "states": (
        gettext_lazy("States"),
        gettext_lazy(
            "The state at the start and after every turn: one row per turn, each variable "
            "and each relation (relations.beijing-pyongyang, ...) its own column, and the "
            "state hash."
        ),
    ),
    "scores": (
        gettext_lazy("Scores"),
        gettext_lazy(
            "Each role's score (0-100) at the start and after every turn: turn, role, score."
        ),
    ),
    "fired_rules": (
        gettext_lazy("Rules that fired"),
        gettext_lazy(
            "Every rule that fired: turn, rule, title, provenance (section of the "
            "commentary), claims, whether it succeeded, chance and dice roll, and its changes."
        ),
    ),
    LOG: (
        gettext_lazy("Game log"),
        gettext_lazy(
            "The whole game log (format lips-and-teeth/log, version 1): seed, seats, and "
            "every turn with its moves, injects, messages, overrides and outcome. "
            "`replay --verify` checks it; `import_game` loads it."
        ),
    ),
}


def _shown(name: str, fallback: str) -> tuple[str, str]:
    title, description = SHOWN.get(name, (name, fallback))
    return str(title), str(description)


def code_spans(text: str) -> list[tuple[str, bool]]:
    """A description written with Markdown code spans (`replay --verify`) as (text, is_code)
    pieces, so the page shows <code> instead of backticks (and still escapes every piece)."""
    return [(piece, i % 2 == 1) for i, piece in enumerate(text.split("`")) if piece]


def export_index(request: HttpRequest, game_id: int) -> HttpResponse:
    """Every download of this game, with what each one holds."""
    game = reviewable_game(request, game_id)
    base = reverse("export", args=[game.pk])
    downloads = [
        {
            "name": name,
            "title": _shown(name, exports.DESCRIPTIONS[name])[0],
            "description": code_spans(_shown(name, exports.DESCRIPTIONS[name])[1]),
            "links": [(fmt, f"{base}{name}.{fmt}") for fmt in exports.FORMATS],
        }
        for name in exports.TABLES
    ]
    downloads.append(
        {
            "name": LOG,
            "title": _shown(LOG, LOG_DESCRIPTION)[0],
            "description": code_spans(_shown(LOG, LOG_DESCRIPTION)[1]),
            "links": [("json", f"{base}{LOG}.json")],
        }
    )
    return render(
        request,
        "export.html",
        {
            "game": game,
            "game_title": game_title(game),
            "downloads": downloads,
            "csv_encoding": exports.CSV_ENCODING,
        },
    )


def export_file(request: HttpRequest, game_id: int, table: str, fmt: str) -> HttpResponse:
    """/games/<id>/export/<table>.<csv|json>[?anonymise=1] as an attachment."""
    game = reviewable_game(request, game_id)
    known = table in exports.TABLES and fmt in exports.FORMATS
    if not known and not (table == LOG and fmt == "json"):
        return HttpResponseNotFound(
            f"No download {table}.{fmt}. Tables: {', '.join(exports.TABLES)} as "
            f"{' or '.join(exports.FORMATS)}; the log as {LOG}.json.",
            content_type="text/plain; charset=utf-8",
        )
    anonymised = request.GET.get("anonymise", "") not in ("", "0", "false", "no")
    document = game_log(game)
    if anonymised:
        document = exports.anonymise(document, names=participant_names(game))
    if table == LOG:
        body = json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")
    else:
        scenario = presented_scenario(game.scenario)
        body = exports.render(exports.table(document, table, scenario=scenario), fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = filename(game, table, fmt, anonymised)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def filename(game: Game, table: str, fmt: str, anonymised: bool) -> str:
    suffix = "-anonymised" if anonymised else ""
    return f"game-{game.pk}-{table}{suffix}.{fmt}"
