"""Choosing the language: the header's switcher posts here (Django's `set_language`, which
works without JavaScript and sets the language cookie); a signed-in account's choice is
stored as well, and set back in the cookie when that account next logs in, on any
browser. `Accept-Language` decides until someone chooses."""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from wargame.selectors.languages import account_language
from wargame.services.languages import remember_language


@require_POST
def set_language(request):
    """Django's view (cookie, then a redirect to `next`), remembering it for the account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        remember_language(request.user, language)
    return response


def apply_account_language(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: mark the response to carry the account's language."""
    language = account_language(user)
    if language and request is not None:
        request.account_language = language


class AccountLanguageMiddleware:
    """Sets the language cookie on the login response of an account that chose one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "account_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
