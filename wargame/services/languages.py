"""The one write path for an account's language: the switcher stores the choice so the
next login, on any browser, opens in it."""

from __future__ import annotations

from wargame.models import AccountLanguage


def remember_language(user, language: str) -> None:
    """Store `language` (already checked against settings.LANGUAGES) for `user`."""
    AccountLanguage.objects.update_or_create(user=user, defaults={"language": language})
