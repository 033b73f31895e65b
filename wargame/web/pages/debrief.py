"""The after-action review ("debrief") of a game: a printable page, and the same as a PDF.

Who may open it is `policy.may_review` (the facilitator any time, every seat once the
game has finished, staff always; anyone else 404). The page is built from
the game's log document, read once (`selectors.game_log`: a fixed number of queries
whatever the game's length), by the pure `wargame.review.debrief`; its charts are SVG drawn on
the server, so it prints and needs no JavaScript. Only the facilitator and staff may
write the facilitator's notes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wargame import selectors
from wargame.errors import GameError
from wargame.models import Game
from wargame.review.charts import sparkline
from wargame.review.debrief import debrief_charts, debrief_content
from wargame.selectors.reasons import localised
from wargame.selectors.translations import present_log, presented_scenario, value_labels
from wargame.services.notes import NOTES_MAX, game_notes_set
from wargame.web.access import reviewable_game, runs_game
from wargame.web.made_once import StillMaking, made_once, release_database, still_making

logger = logging.getLogger(__name__)
PDF_CACHE_SECONDS = 600
PDF_WAIT_SECONDS = 60  # for another request's PDF of the same debrief, then 503
PDF_BASE = "http://debrief.invalid/"  # relative URLs resolve here; see _static_fetcher


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Facilitator's notes"),
        required=False,
        strip=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _(
                "The notes may be at most %(limit_value)d characters long "
                "(these are %(show_value)d). Shorten them and save again."
            )
        },
    )


@require_GET
def debrief(request, game_id: int):
    game = reviewable_game(request, game_id)
    return _render_page(request, game)


def debrief_notes(request, game_id: int):
    """POST: save the facilitator's notes, then back to the debrief's notes."""
    game = reviewable_game(request, game_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not runs_game(request, game):
        return HttpResponse(
            gettext("Only the facilitator may write the notes."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            game_notes_set(game_id=game.pk, notes=form.cleaned_data["notes"])
        except GameError as exc:
            form.add_error("notes", localised(exc.message))
        else:
            messages.success(request, gettext("Notes saved."))
            return redirect(f"{reverse('debrief', args=[game.pk])}#notes")
    return _render_page(request, game, form=form, status=400)


@require_GET
def debrief_pdf(request, game_id: int):
    game = reviewable_game(request, game_id)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango or its fonts are missing
        logger.warning("WeasyPrint is not usable: %s", exc)
        return HttpResponse(
            gettext(
                "The server cannot make PDFs at the moment. Open the debrief and use your "
                "browser's Print, then Save as PDF."
            ),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    forks = _forks(game)

    def make() -> bytes:
        context = _context(request, game, pdf=True, forks=forks)
        html = render_to_string("debrief.html", context, request=request)
        release_database()  # seconds of layout ahead, and no query
        return HTML(string=html, base_url=PDF_BASE, url_fetcher=_static_fetcher()).write_pdf()

    key = _pdf_cache_key(game, forks)
    try:
        pdf = made_once(key, make, keep=PDF_CACHE_SECONDS, wait=PDF_WAIT_SECONDS)
    except StillMaking:
        return still_making(
            gettext("The PDF is still being made for someone else. Try again in a moment.")
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="debrief-game-{game.pk}.pdf"'
    return response


def _render_page(request, game: Game, *, form: NotesForm | None = None, status: int = 200):
    context = _context(request, game)
    if context["may_write_notes"]:
        context["notes_form"] = form or NotesForm(initial={"notes": game.notes})
    return render(request, "debrief.html", context, status=status)


def _forks(game: Game) -> list[dict]:
    return list(Game.objects.filter(parent=game).order_by("pk").values("pk", "title"))


def _pdf_cache_key(game: Game, forks: list[dict]) -> str:
    """Same game, same events, notes, forks and language: the same PDF. Making one takes
    seconds, and a class downloads the same debrief many times."""
    parts = [
        game.pk,
        game.created_at.isoformat(),
        game.last_seq,
        game.status,
        game.title,
        game.notes,
        get_language(),
        [f["pk"] for f in forks],
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"debrief-pdf:{digest}"


def _add_sparklines(content: dict, charts: dict) -> None:
    """Each row of the numbers tables gets its trend as a sparkline (`row["spark"]`), scaled
    like the live gauges' (its own range, at least 10 wide, within the variable's bounds)."""
    tables = [(content["scalars"], 0, 100), (content["scores"]["series"], 0, 100)]
    tables += [(chart["rows"], -100, 100) for chart in charts["relations"]]
    for rows, low, high in tables:
        for row in rows:
            svg = sparkline(row["values"], low=low, high=high, min_span=10)
            row["spark"] = mark_safe(svg)  # noqa: S308 - numbers only, drawn by review.charts


def _context(request, game: Game, *, pdf: bool = False, forks: list[dict] | None = None) -> dict:
    log = present_log(selectors.game_log(game), game.scenario)  # in the reader's language
    scenario = presented_scenario(game.scenario)
    content = debrief_content(log, scenario, _=gettext, values=value_labels(game.scenario))
    charts = debrief_charts(content, _=gettext)
    for key in ("scalars", "scores", "rules", "talk"):
        charts[key]["svg"] = mark_safe(charts[key]["svg"])  # svgcharts escapes every text
    for chart in charts["relations"]:
        chart["svg"] = mark_safe(chart["svg"])  # svgcharts escapes every text
    _add_sparklines(content, charts)
    return {
        "game": game,
        "d": content,
        "charts": charts,
        "forks": _forks(game) if forks is None else forks,
        "pdf": pdf,
        "may_write_notes": runs_game(request, game) and not pdf,
    }


def _static_fetcher():
    """A WeasyPrint fetcher that reads our static files from disk and fetches nothing else
    (no request back to this server, nothing from the network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            name = static_name(url)
            path = static_path(name) if name else None
            if path is None:
                raise ValueError(f"not fetched for a PDF: {url}")
            kind = "text/css" if name.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnly()


def static_name(url: str) -> str | None:
    """'css/base.css' for PDF_BASE + /static/css/base.css; None for anything else."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE or not parts.path.startswith(prefix):
        return None
    name = parts.path.removeprefix(prefix)
    return None if ".." in name.split("/") else name


def static_path(name: str) -> Path | None:
    """The file for a static name: collected (hashed names, production) or in the app's
    static folders (development). Never outside those folders."""
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    if collected.is_relative_to(root) and collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if found else None
