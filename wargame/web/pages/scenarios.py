"""Staff pages for authoring scenarios without code (/scenarios/): upload a document (a file
or pasted JSON), read it in words before installing it, install it as a pinned version,
list every slug's versions, and compare two versions of a slug.

Uploading is two steps: "Check" shows what the document contains and any refusal, and
writes nothing; "Install" re-sends the same text and installs it. As on the log import
page, the size limit is checked on the declared Content-Length before Django parses the
body, so the view is exempted from the CSRF middleware and runs the same check itself.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from wargame.engine.loader import MAX_UPLOAD_BYTES
from wargame.errors import BadInput, GameError, TooLarge
from wargame.selectors.reasons import localised
from wargame.selectors.scenarios import (
    scenario_catalogue,
    scenario_detail,
    scenario_preview,
    scenario_versions_diff,
)
from wargame.services.scenarios import scenario_upload
from wargame.web.access import staff_page

MULTIPART_SLACK = 64 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Scenario file (JSON)"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Or paste the JSON"),
        required=False,
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def raw(self) -> bytes:
        """The uploaded file's bytes, else the pasted text's (BadInput when neither)."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(MAX_UPLOAD_BYTES + 1)
        text = self.cleaned_data.get("text") or ""
        if not text.strip():
            raise BadInput("Choose a scenario file or paste its JSON.")
        return text.encode()


@csrf_exempt  # checked in _refused, after the size check (see the module docstring)
@staff_page
def scenarios(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _index(request, UploadForm())
    refused = _refused(request)
    if refused is not None:
        return refused
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    try:
        raw = form.raw()
        if request.POST.get("step") == "install":
            row, created = scenario_upload(raw=raw)
        else:
            return _preview(request, raw)
    except GameError as exc:
        return _index(request, form, exc)
    if created:
        messages.success(
            request,
            _("Installed %(title)s, version %(version)s. New games can use it now.")
            % {"title": row.title, "version": row.version},
        )
    else:
        messages.info(request, _("This exact document was installed already; nothing changed."))
    return redirect("scenario", slug=row.slug, version=row.version)


def _refused(request: HttpRequest) -> HttpResponse | None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_UPLOAD_BYTES + MULTIPART_SLACK:
        error = TooLarge(
            "The upload is %(size)s bytes; scenario documents are limited to %(limit)s bytes.",
            size=declared,
            limit=MAX_UPLOAD_BYTES,
        )
        return _index(request, UploadForm(), error)
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})


def _preview(request: HttpRequest, raw: bytes) -> HttpResponse:
    preview = scenario_preview(raw)
    if "error" in preview:
        error = BadInput(preview["error"], code="bad_scenario")
        return _index(request, UploadForm(request.POST), error)
    status = 409 if preview["refusal"] else 200
    context = {"preview": preview, "text": raw.decode("utf-8", "replace")}
    return render(request, "scenarios_preview.html", context, status=status)


def _index(request, form, error: GameError | None = None, status: int = 200) -> HttpResponse:
    if error is not None:
        status = error.status
    context = {
        "form": form,
        "error": localised(error.message) if error else None,
        "catalogue": scenario_catalogue(),
        "limit": MAX_UPLOAD_BYTES,
    }
    return render(request, "scenarios.html", context, status=status)


@staff_page
def scenario(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    detail = scenario_detail(slug, version)
    if detail is None:
        raise Http404
    return render(request, "scenarios_detail.html", detail)


@staff_page
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """?old=N&new=M: what changed from version N to version M of `slug`."""
    versions = next((s.versions for s in scenario_catalogue() if s.slug == slug), None)
    if not versions:
        raise Http404
    numbers = [v.version for v in versions]
    old = _number(request.GET.get("old"), numbers[-2] if len(numbers) > 1 else numbers[0])
    new = _number(request.GET.get("new"), numbers[-1])
    changes = scenario_versions_diff(slug, old, new)
    context = {"slug": slug, "versions": versions, "old": old, "new": new, "changes": changes}
    return render(request, "scenarios_compare.html", context, status=200 if changes else 404)


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default
