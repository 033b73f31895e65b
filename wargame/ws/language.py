"""The language a game socket speaks: the switcher's cookie, else the browser's
Accept-Language (as LocaleMiddleware decides for a page), so the frames a page draws
(a turn opened or resolved, an inject) carry the scenario's texts in the page's language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from wargame.models import Game


def scope_language(scope) -> str:
    """The language code for a socket's scope (its cookies and headers)."""
    chosen = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def game_scenario_row(game_id: int):
    """The scenario row a game pinned (its document text, for the translated labels)."""
    game = Game.objects.with_scenario().filter(pk=game_id).first()
    return game.scenario if game else None
