"""HTTP through the real ASGI application (as the web server serves it): the middleware chain runs
in one thread hop (wargame/web/asgi_handler.py), and everything the chain does still
reaches the reader: security headers, the API's JSON errors, static files."""

from __future__ import annotations

import asyncio
import json

import asgiref.sync
import pytest
from django.contrib.staticfiles import finders

from wargame.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def get(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict:
    """One GET through the ASGI application, as a server would make it: the status, the
    headers and the whole body (streamed or not)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    request = [{"type": "http.request", "body": b"", "more_body": False}]
    done = asyncio.Event()
    response = {"body": b""}

    async def receive():
        if request:
            return request.pop()
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            response.update(status=message["status"], headers=message.get("headers", []))
        else:
            response["body"] += message.get("body", b"")
            if not message.get("more_body"):
                done.set()

    await asyncio.wait_for(application(scope, receive, send), timeout=10)
    return response


def header(response: dict, name: str) -> str:
    wanted = name.lower().encode()
    return next((v.decode() for k, v in response["headers"] if k.lower() == wanted), "")


async def test_a_request_crosses_into_a_thread_a_few_times_not_once_per_middleware(
    monkeypatch,
):
    """Django's built-in middleware under ASGI sends each process_request/response to a
    thread and back; with the whole chain in one hop a request makes three crossings
    (request_started, the chain and view, the response's close); it made 13 before."""
    crossings = []
    original = asgiref.sync.SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        crossings.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(asgiref.sync.SyncToAsync, "__call__", counted)
    response = await get("/healthz")
    assert response["status"] == 200
    assert len(crossings) <= 4, crossings


async def test_pages_and_answers_keep_their_security_headers():
    response = await get("/healthz")
    assert response["status"] == 200
    assert header(response, "Cache-Control") == "no-store"
    assert "camera=()" in header(response, "Permissions-Policy")
    assert "default-src 'self'" in header(response, "Content-Security-Policy")
    assert header(response, "X-Frame-Options") == "DENY"


async def test_an_unknown_api_address_is_the_apis_json_404_in_the_readers_language():
    response = await get("/api/nowhere", headers=[(b"accept-language", b"ko")])
    assert response["status"] == 404
    assert header(response, "Content-Type").startswith("application/json")
    assert "API에 그런 주소가 없습니다" in json.loads(response["body"])["error"]


async def test_static_files_are_served_with_long_lived_caching():
    assert finders.find("js/common.js"), "the script this test asks for"
    response = await get("/static/js/common.js")
    assert response["status"] == 200
    assert len(response["body"]) > 100
    assert header(response, "Cache-Control") != "no-store"
