"""HTTP routes."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wargame.web.api import api
from wargame.web.language import set_language
from wargame.web.pages import (
    classes,
    debrief,
    exports,
    home,
    imports,
    lab,
    play,
    replay,
    scenarios,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("join/", play.join, name="join"),
    path("join/<str:code>/", play.join, name="join-code"),
    path("games/<int:game_id>/", play.game, name="game"),
    path("games/<int:game_id>/replay/", replay.replay, name="replay"),
    path("games/<int:game_id>/fork/", replay.fork, name="fork"),
    path("games/<int:game_id>/compare/<int:other_id>/", replay.compare, name="compare"),
    path("games/<int:game_id>/export/", exports.export_index, name="export"),
    path(
        "games/<int:game_id>/export/<slug:table>.<slug:fmt>",
        exports.export_file,
        name="export-file",
    ),
    path("games/<int:game_id>/debrief/", debrief.debrief, name="debrief"),
    path("games/<int:game_id>/debrief/notes/", debrief.debrief_notes, name="debrief-notes"),
    path("games/<int:game_id>/debrief.pdf", debrief.debrief_pdf, name="debrief-pdf"),
    path("import/", imports.import_log, name="import-log"),
    path("facilitate/", play.facilitate, name="facilitate"),
    path("classes/", classes.class_list, name="classes"),
    path("classes/<int:class_id>/", classes.class_page, name="class"),
    path("classes/<int:class_id>/control/", classes.class_control, name="class-control"),
    path("classes/<int:class_id>/roster/", classes.class_roster, name="class-roster"),
    path("classes/<int:class_id>/move/", classes.class_move, name="class-move"),
    path("classes/<int:class_id>/sheet/", classes.class_sheet, name="class-sheet"),
    path("classes/<int:class_id>/tables/<int:game_id>/", classes.class_table, name="class-table"),
    path("classes/<int:class_id>/debrief/", classes.class_debrief_page, name="class-debrief"),
    path("classes/<int:class_id>/export/<str:name>.csv", classes.class_export, name="class-export"),
    path("class/<str:code>/", classes.class_join, name="class-join"),
    path("scenarios/", scenarios.scenarios, name="scenarios"),
    path("scenarios/<slug:slug>/v<int:version>/", scenarios.scenario, name="scenario"),
    path("scenarios/<slug:slug>/compare/", scenarios.compare, name="scenario-compare"),
    path("lab/", lab.lab_index, name="lab"),
    path("lab/<int:simulation_id>/", lab.lab_job, name="lab-job"),
    path("lab/<int:simulation_id>/cancel/", lab.lab_cancel, name="lab-cancel"),
    path("lab/<int:simulation_id>/runs.csv", lab.lab_csv, name="lab-csv"),
    path("lab/<int:simulation_id>/runs.parquet", lab.lab_parquet, name="lab-parquet"),
    path("lab/<int:simulation_id>/compare/<int:other_id>/", lab.lab_compare, name="lab-compare"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", home.healthz, name="healthz"),
]
