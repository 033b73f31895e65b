"""HTTP routes."""

from django.contrib import admin
from django.urls import path

from wargame.api import api
from wargame.views import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
]
