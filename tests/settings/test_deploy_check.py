"""`manage.py check --deploy` is clean under production settings (docs/architecture.md)."""

import json
import os
import re
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


def _check_deploy(key: str, module: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": key}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_placeholder_or_short_secret_key_fails_check_deploy():
    """The key once written in docker-compose.yml, a short key and a repetitive one all fail
    `check --deploy`, under the production settings (at start-up) and under the base
    settings (our system check wargame.E001)."""
    for key in (
        "insecure-compose-secret-set-DJANGO_SECRET_KEY",
        secrets.token_urlsafe(20),
        "ab" * 40,
    ):
        production = _check_deploy(key, "wargame.settings.production")
        assert production.returncode != 0
        assert "DJANGO_SECRET_KEY" in production.stderr
        base = _check_deploy(key, "wargame.settings")
        assert base.returncode != 0
        assert "wargame.E001" in base.stderr + base.stdout


def test_compose_never_ships_a_secret_key_nor_listens_beyond_this_machine():
    """docker-compose.yml asks for DJANGO_SECRET_KEY (no default) and publishes the web
    ports on 127.0.0.1 only."""
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?" in compose
    assert '- "127.0.0.1:8000-8009:8000"' in compose
    assert '- "8000-8009:8000"' not in compose


def compose_app_environment(key: str) -> dict[str, str]:
    """The environment docker-compose.yml gives every app container (the `x-app` block),
    with `${VAR:?...}` filled by `key` (only DJANGO_SECRET_KEY asks) and `${VAR:-d}` by d."""
    lines = (ROOT / "docker-compose.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  environment: &app-env") + 1
    env: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, value = (part.strip() for part in text.split(":", 1))
        if value.startswith("${") and ":?" in value:
            value = key
        elif value.startswith("${") and ":-" in value:
            value = value[value.index(":-") + 2 : -1]
        env[name] = value.strip("\"'")
    return env


def test_check_deploy_is_clean_under_the_compose_settings():
    """`check --deploy` with exactly the environment docker-compose.yml runs the app with
    (its settings module, hosts, services' URLs; a fresh secret key as the operator must
    set): no warnings. (The services' host names need not resolve for the checks.)"""
    env = compose_app_environment(secrets.token_urlsafe(50))
    assert env["DJANGO_SETTINGS_MODULE"] == "wargame.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_tests_run_the_web_server_as_compose_runs_it():
    """The full-stack tests and benchmarks start the web server with compose's command
    line (tests/support/stack.py), so what they measure is what is deployed."""
    from tests.support.stack import UVICORN_ARGS

    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    line = next(x for x in compose.splitlines() if x.strip().startswith('command: ["uvicorn"'))
    command = json.loads(line.split("command:", 1)[1])
    assert command[0] == "uvicorn" and command[-1] == "wargame.asgi:application"
    options = command[1:-1]
    assert options[:4] == ["--host", "0.0.0.0", "--port", "8000"]
    assert options[4:] == UVICORN_ARGS


def test_compose_runs_a_worker_for_each_queue():
    """docker-compose.yml's worker services between them consume the live queue and the
    lab queue, each its own (so a job's chunks never hold up a turn), with values the
    settings accept."""
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    services = re.findall(r"^  ([\w-]+):\n((?:    .*\n|\n)+)", compose, flags=re.MULTILINE)
    queues = {
        name: re.search(r"LT_WORKER_QUEUES: (\S+)", body)
        for name, body in services
        if '"celery", "-A", "wargame", "worker"' in body
    }
    assert {name: match and match[1] for name, match in queues.items()} == {
        "worker": "live",
        "lab-worker": "lab",
    }
