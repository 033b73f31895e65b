"""Response headers every page and API answer carries (Content-Security-Policy is
django-csp's, in the settings).

- `Cache-Control: no-store` unless a view chose otherwise: pages and API answers carry a
  seat's own moves, rationales, private messages and join codes, which no browser cache
  or shared proxy should keep for the next person at a classroom computer. Static files
  are served (and cached) by WhiteNoise before this runs.
- `Permissions-Policy`: the game uses no camera, microphone, location or payment; no
  script, injected or framed, may ask for them.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.LT_PERMISSIONS_POLICY)
        return response
