"""HTTP routes."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wargame import pages, pages_debrief, pages_export, pages_import, pages_replay
from wargame.api import api
from wargame.views import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("join/", pages.join, name="join"),
    path("join/<str:code>/", pages.join, name="join-code"),
    path("games/<int:game_id>/", pages.game, name="game"),
    path("games/<int:game_id>/replay/", pages_replay.replay, name="replay"),
    path("games/<int:game_id>/fork/", pages_replay.fork, name="fork"),
    path("games/<int:game_id>/compare/<int:other_id>/", pages_replay.compare, name="compare"),
    path("games/<int:game_id>/export/", pages_export.export_index, name="export"),
    path(
        "games/<int:game_id>/export/<slug:table>.<slug:fmt>",
        pages_export.export_file,
        name="export-file",
    ),
    path("games/<int:game_id>/debrief/", pages_debrief.debrief, name="debrief"),
    path("games/<int:game_id>/debrief/notes/", pages_debrief.debrief_notes, name="debrief-notes"),
    path("games/<int:game_id>/debrief.pdf", pages_debrief.debrief_pdf, name="debrief-pdf"),
    path("import/", pages_import.import_log, name="import-log"),
    path("facilitate/", pages.facilitate, name="facilitate"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]
