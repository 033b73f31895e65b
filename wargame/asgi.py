"""ASGI entry point: HTTP to Django, WebSockets to Channels behind session auth and an Origin
check (browsers) or a seat token (scripts, which send no Origin): see wargame/ws/auth.py.

Django is set up (as `get_asgi_application` does) before anything imports models via the routes.
"""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
django.setup(set_prefix=False)

from wargame.web.asgi_handler import ThreadedChainASGIHandler  # noqa: E402

django_asgi_app = ThreadedChainASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from wargame.ws.auth import origin_checked, session_auth  # noqa: E402
from wargame.ws.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": origin_checked(session_auth(URLRouter(websocket_urlpatterns))),
    }
)

# Everything built at start-up (Django, the URL conf, the views, the API schema: some 130k
# objects) lives as long as the process. Move it out of the garbage collector's way: else
# every full collection scans it all again, and one ran 0.17 to 0.23 s in a fan-out burst
# (30 lock requests and 240 sockets in this one event loop; bench/README.md).
get_resolver().url_patterns  # noqa: B018 (import the views now, not on the first request)
gc.freeze()
