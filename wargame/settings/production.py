"""Production: the base settings, hardened so that `manage.py check --deploy` is clean.

Behind a TLS-terminating proxy that sets X-Forwarded-Proto. DJANGO_SECURE_SSL_REDIRECT=0 turns
the redirect off when the proxy already does it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from . import *  # noqa: F403
from . import env_bool, secret_key_problem

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(f"Production needs DJANGO_SECRET_KEY: {problem}.")

DEBUG = False

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", "1")
if not SECURE_SSL_REDIRECT:
    # DJANGO_SECURE_SSL_REDIRECT=0 says the TLS proxy in front redirects plain HTTP to
    # HTTPS (docker-compose.yml's case): the redirect is done, by the proxy, so Django's
    # reminder to do it here (security.W008) is answered. Every other check still runs.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W008"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Hashed, compressed static files, served by WhiteNoise from STATIC_ROOT (run collectstatic).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
