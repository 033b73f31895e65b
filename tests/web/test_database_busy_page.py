"""A page whose request could get no database connection (the pool's wait ran out, the
server is away) answers 503 in the reader's language with Retry-After, not the 500 page;
the API answers its JSON 503 as before."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from wargame.web.pages import scenarios

pytestmark = pytest.mark.django_db


def refuse(*args, **kwargs):
    raise OperationalError("couldn't get a connection after 30.00 sec")


@pytest.fixture
def no_connection(monkeypatch):
    monkeypatch.setattr(scenarios, "scenario_catalogue", refuse)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["The server is busy for a moment", "Nothing was written", "Try again"]),
        ("ko", ["서버가 잠시 바쁩니다", "아무것도 기록되지 않았습니다", "다시 시도"]),
    ],
)
def test_a_page_without_a_database_connection_says_busy_and_when_to_retry(
    admin_client, no_connection, language, words
):
    response = admin_client.get("/scenarios/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
    assert "Something went wrong" not in page


def test_the_api_keeps_its_json_503(client, monkeypatch):
    from wargame.web import api

    monkeypatch.setattr(api, "participant_by_token", refuse)
    response = client.get("/api/games/1", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def test_the_500_page_still_renders_without_a_request_context(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("ko"):
        response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ko">' in page
    assert "<h1>" in page and "Something went wrong" not in page  # in Korean
