"""Plain Django views (the browser pages arrive with the live-play issue)."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from wargame.models import Game
from wargame.selectors import game_title
from wargame.web.access import is_staff


def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def home(request):
    """The front door: what this is and where to join. Only staff see the latest games:
    to anyone else the list would say which games exist, their titles and how far they
    are (the titles name classes and exercises). An untitled game is named by its
    scenario's title in the reader's language."""
    if not is_staff(request):
        return render(request, "home.html", {"games": None})
    games = Game.objects.with_scenario().order_by("-pk")[:20]
    rows = [{"game": game, "name": game_title(game)} for game in games]
    return render(request, "home.html", {"games": rows})
