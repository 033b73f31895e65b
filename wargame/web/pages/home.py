"""Plain Django views (the browser pages arrive with the live-play issue)."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from wargame.models import Game


def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def home(request):
    """The front door: what this is, the latest games, and where to join."""
    games = Game.objects.select_related("scenario").order_by("-pk")[:20]
    return render(request, "home.html", {"games": games})
