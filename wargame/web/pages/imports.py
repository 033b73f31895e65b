"""Staff page: upload a game log and open it as a read-only game (/import/).

The size limit is checked on the declared Content-Length *before* Django parses the
upload; CSRF middleware would otherwise read the whole multipart body first, so this view
is exempted from the middleware and runs the same CSRF check itself, after the size check.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from wargame.errors import GameError, TooLarge
from wargame.selectors.reasons import localised
from wargame.services.logs import log_import
from wargame.web.access import staff_page

# Room for the multipart envelope (boundaries, headers, the title and CSRF fields).
MULTIPART_SLACK = 64 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Log file (JSON, as export_game writes it)"))
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)


@csrf_exempt  # checked below, after the size check (see the module docstring)
@staff_page
def import_log(request: HttpRequest) -> HttpResponse:
    limit = settings.LT_MAX_LOG_BYTES
    if request.method != "POST":
        return _page(request, ImportForm(), limit)
    declared = _content_length(request)
    if declared > limit + MULTIPART_SLACK:
        error = TooLarge(
            "The upload is %(declared)s bytes; logs are limited to %(limit)s bytes.",
            declared=declared,
            limit=limit,
        )
        return _page(request, ImportForm(), limit, error)
    refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
    if refused is not None:
        return refused
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, limit, status=400)
    upload = form.cleaned_data["file"]
    try:
        game, _codes = log_import(
            raw=upload.read(limit + 1), title=form.cleaned_data["title"], max_bytes=limit
        )
    except GameError as exc:
        return _page(request, form, limit, exc)
    return redirect(_after_import(game.pk))


def _page(request, form, limit: int, error: GameError | None = None, status: int = 200):
    if error is not None:
        status = error.status
    return render(
        request,
        "import.html",
        {"form": form, "limit": limit, "error": localised(error.message) if error else None},
        status=status,
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _after_import(game_id: int) -> str:
    """The replay viewer if this build has it, else the game's page."""
    try:
        return reverse("replay", args=[game_id])
    except NoReverseMatch:
        return reverse("game", args=[game_id])
