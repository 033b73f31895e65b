"""Plain Django views (the browser pages arrive with the live-play issue)."""

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
