"""The API's own error format for the answers Django and django-ninja make themselves:
an unknown address under /api/ (Django's 404 page), a method the endpoint does not take
(ninja's bare "Method not allowed") and an error nobody foresaw (Django's HTML 500 page)
become {"error", "code"} in the reader's language, as every other API error is."""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
log = logging.getLogger("django.request")  # where Django logs the 500s it answers itself


class ApiFallbackErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response  # an endpoint's own answer
        if response.status_code == 404:
            body = {"error": _("There is no such address in the API; see /api/docs."),
                    "code": "not_found"}  # fmt: skip
        else:
            allowed = response.get("Allow", "")
            body = {
                "error": _("This address does not take %(method)s; it takes %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                "code": "method_not_allowed",
            }
        answer = JsonResponse(body, status=response.status_code)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer

    def process_exception(self, request, exception):
        """A script calling the API gets JSON it can read, not the site's HTML error page;
        the operator's log gets the traceback, as Django would have logged it."""
        if not request.path.startswith(API_PREFIX):
            return None
        log.error("Internal Server Error: %s", request.path, exc_info=exception,
                  extra={"status_code": 500, "request": request})  # fmt: skip
        body = {
            "error": _(
                "Something went wrong on the server. If you were sending something, check "
                "whether it arrived before you send it again."
            ),
            "code": "server_error",
        }
        return JsonResponse(body, status=500)
