"""`manage.py check --deploy` is clean under production settings (docs/architecture.md)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings():
    """No warnings or errors from Django's deployment checklist."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wargame.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_development_secret_key():
    """Deploying with the insecure dev key fails loudly at start-up."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wargame.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
