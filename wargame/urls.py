"""HTTP routes."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wargame import pages
from wargame.api import api
from wargame.views import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("join/", pages.join, name="join"),
    path("join/<str:code>/", pages.join, name="join-code"),
    path("games/<int:game_id>/", pages.game, name="game"),
    path("facilitate/", pages.facilitate, name="facilitate"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]
