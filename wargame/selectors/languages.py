"""Which language an account chose with the switcher (None if it never chose one)."""

from __future__ import annotations

from django.conf import settings

from wargame.models import AccountLanguage


def account_language(user) -> str | None:
    """The account's stored language, if it is still one this server speaks."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    language = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else None
