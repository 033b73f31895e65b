"""The pages speak the language the browser asks for: Korean from the compiled catalogs
(compiled at the start of the run, as the run command compiles them), English otherwise."""

import pytest

pytestmark = pytest.mark.django_db


def test_accept_language_korean_gets_the_korean_join_page(client):
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="ko"' in html
    assert "게임 참가" in html
    assert "Join a game" not in html


def test_english_by_default(client):
    html = client.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Join a game" in html
    assert "게임 참가" not in html
