"""Django's ASGI handler, with the middleware chain and the view in one thread hop.

Django runs its built-in middleware async under ASGI through `MiddlewareMixin`, whose
`process_request` and `process_response` each go to a thread and back (`sync_to_async`),
and adapts back and forth around each sync-only one: 13 crossings between the event loop
and a thread for one `/healthz`, half of its time (in process 4.0 ms against 2.0 ms; over
HTTP 4.7 ms against 2.7-3.1 ms; bench/README.md, 2026-12-04 evening). Our views are all
sync and nothing in the chain awaits anything, so this handler runs the chain as WSGI
does, in one `sync_to_async` call (tests/web/test_asgi_handler.py counts the crossings).
Sockets are Channels' and never pass here.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler


class ThreadedChainASGIHandler(ASGIHandler):
    def __init__(self):
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def get_response_async(self, request):
        # thread_sensitive: the thread every sync view under ASGI runs in (Django's
        # default), so database connections and transactions behave as before.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
