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


def _switch(client, language, next_url="/join/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_every_page_has_the_switcher_and_it_works_without_javascript(client):
    html = client.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="ko" lang="ko"' in html and ">한국어</button>" in html
    answer = _switch(client, "ko")
    assert answer.status_code == 302 and answer["Location"] == "/join/"
    # The cookie now outweighs the browser's English.
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ko"' in page and "게임 참가" in page
    _switch(client, "en")
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="en"' in page and "Join a game" in page


def test_a_language_this_server_does_not_speak_changes_nothing(client):
    _switch(client, "xx")
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Join a game" in page


def test_an_account_keeps_its_language_on_another_browser(client, django_user_model):
    from django.test import Client

    django_user_model.objects.create_user("teacher", password="pw-long-enough-1")
    client.login(username="teacher", password="pw-long-enough-1")
    _switch(client, "ko")
    other = Client()  # another browser: no cookie, an English Accept-Language
    answer = other.post(
        "/accounts/login/",
        {"username": "teacher", "password": "pw-long-enough-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 302
    page = other.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ko"' in page and "게임 참가" in page


def test_an_account_that_never_chose_follows_the_browser(client, django_user_model):
    django_user_model.objects.create_user("teacher", password="pw-long-enough-1")
    client.post(
        "/accounts/login/",
        {"username": "teacher", "password": "pw-long-enough-1"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="ko"' in page
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page


def test_the_switcher_names_each_language_in_itself(client):
    page = client.get("/join/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert ">English</button>" in page and ">한국어</button>" in page
