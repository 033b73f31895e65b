"""The pages' answer when no database connection could be had: the pool's wait ran out
under load, or the server is away. A 503 saying so (and that nothing was written: the
request's transaction rolled back), with Retry-After, instead of the generic 500 page.
The API answers the same case with its JSON 503 (`web/api.py`)."""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from .api_fallbacks import API_PREFIX

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def unavailable(request, exception: OperationalError, response: HttpResponse) -> HttpResponse:
    """`response` as the 503 it is (with when to retry), and the operator's log line."""
    log.warning("%s %s: answered 503, the database is unavailable: %s", request.method,
                request.path, exception)  # fmt: skip
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or request.path.startswith(API_PREFIX):
            return None
        # No request context: its processors (the user, the session) would ask the
        # database again.
        return unavailable(
            request, exception, HttpResponse(render_to_string("503.html"), status=503)
        )
