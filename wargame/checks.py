"""System checks of our own: `manage.py check --deploy` refuses a deployment whose secret
key is missing, short or a placeholder, under any settings module (the compose file runs
the base settings with DEBUG off)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_random(app_configs, **kwargs):
    from wargame.settings import secret_key_problem

    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [
        Error(
            f"DJANGO_SECRET_KEY must not sign this deployment's sessions: {problem}.",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="wargame.E001",
        )
    ]
