"""Settings for every mode, chosen by the environment (docs/operations.md, "Modes").

No DATABASE_URL and no REDIS_URL: the embedded default (SQLite, in-memory channel layer,
Celery tasks run eagerly), so the demo runs on a bare machine. Both set: the full stack
(PostgreSQL, channels-redis, Redis broker with separate workers and beat). Setting only one
is refused: half a stack would, e.g., silently keep the channel layer per process.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
if bool(DATABASE_URL) != bool(REDIS_URL):
    raise ImproperlyConfigured(
        "Set both DATABASE_URL and REDIS_URL (full stack) or neither (embedded default); "
        f"only {'DATABASE_URL' if DATABASE_URL else 'REDIS_URL'} is set."
    )
LT_MODE = "fullstack" if DATABASE_URL else "embedded"

# Deployments that share one Redis server must not hear each other: Redis pub/sub ignores
# the database number, so the channel-layer prefix, the cache prefix and the Celery queue
# are named after the deployment. By default that is a digest of its database URL (two
# deployments with one database are one deployment); LT_DEPLOYMENT_ID names it outright.
DEPLOYMENT_ID = (
    os.environ.get("LT_DEPLOYMENT_ID") or hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12]
)
DEPLOYMENT_PREFIX = f"lt-{DEPLOYMENT_ID}"

DEV_SECRET_KEY = "django-insecure-lips-and-teeth-dev-only-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
SECRET_KEY_MIN_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why a secret key must not sign a deployment's sessions, or None. Refuses what is
    short or repetitive, and any key that says it is a placeholder: one copied from a
    README or a compose file is known to everyone who read it."""
    if not key:
        return "it is not set; use 50 or more random characters"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; use {SECRET_KEY_MIN_LENGTH} or more random ones"
    if len(set(key)) < 10:
        return "it repeats a few characters; use random ones"
    if key == DEV_SECRET_KEY or any(w in key.lower() for w in ("insecure", "change", "secret")):
        return "it is a placeholder, known to anyone who has read this project; use a random one"
    return None


DEBUG = env_bool("DJANGO_DEBUG", "1" if LT_MODE == "embedded" else "0")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000"
)

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` serves ASGI and WebSockets
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",
    "wargame",
    "players",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "wargame.web.language.AccountLanguageMiddleware",
    "wargame.web.api_fallbacks.ApiFallbackErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wargame.web.urls"
ASGI_APPLICATION = "wargame.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if LT_MODE == "fullstack":
    # Web processes are ASGI, where Django advises against persistent connections (each
    # request runs in a thread of its own, whose connection would never be reused): they
    # run with DJANGO_CONN_MAX_AGE=0 and a psycopg connection pool instead,
    # DJANGO_DB_POOL_SIZE=N connections per process (requests beyond N wait for one).
    # Workers keep persistent connections (one thread each) and no pool.
    DB_POOL_SIZE = int(os.environ.get("DJANGO_DB_POOL_SIZE", "0"))
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if DB_POOL_SIZE else int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
    if DB_POOL_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DB_POOL_SIZE),
            "max_size": DB_POOL_SIZE,
            "timeout": 30,
        }
    # The channel layer: Redis pub/sub by default. An event is one PUBLISH; each web process
    # reads it once from its one subscribed connection and hands it to its own sockets in
    # memory. The list-based layer (LT_CHANNEL_LAYER=core) fetches messages one at a time,
    # two Redis round trips each, in turn; with 30 games resolving at once, while the same
    # process answered their lock requests, that put up to ~0.7 s between a commit and the
    # last socket (bench/README.md, fan-out). Pub/sub keeps nothing for a process that is
    # not subscribed at that moment (e.g. while its Redis connection is being re-made):
    # each socket then fills the gap from the event log at the game's next event, or on
    # resume (wargame/ws/consumer.py).
    CHANNEL_LAYER_BACKENDS = {
        "pubsub": "wargame.realtime.layer.DecodeOnceChannelLayer",  # channels-redis pub/sub
        "core": "channels_redis.core.RedisChannelLayer",
    }
    LT_CHANNEL_LAYER = os.environ.get("LT_CHANNEL_LAYER", "pubsub")
    if LT_CHANNEL_LAYER not in CHANNEL_LAYER_BACKENDS:
        raise ImproperlyConfigured(
            f"LT_CHANNEL_LAYER is {LT_CHANNEL_LAYER!r}; "
            f"use one of {sorted(CHANNEL_LAYER_BACKENDS)}."
        )
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[LT_CHANNEL_LAYER],
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, which races the core
                # layer's own 5 s blocking BZPOPMIN: an idle socket's consumer then dies with
                # "Timeout reading from Redis". Give reads a margin over the blocking wait.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", DEPLOYMENT_PREFIX),
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # No result backend: every task ignores its result and nothing reads one. With one,
    # each .delay() built a Redis backend (its client and its redis-py DriverInfo, a lookup
    # in the installed packages' metadata) for the thread it ran on, and under ASGI every
    # request runs on a thread of its own: 3.5 ms of the last lock's request, on every turn
    # (bench/README.md, 2026-12-05 morning).
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = False
    # One cache for every web process (the debrief's PDF takes seconds to make; a class
    # downloading it should make it once, not once per process).
    CACHES = {
        "default": {
            "BACKEND": "wargame.cache_backend.SharedPoolRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CHANNEL_LAYER_PREFIX", DEPLOYMENT_PREFIX),
            # A Redis out of reach is given up on quickly: the cache then answers from
            # the process's memory (wargame.cache_backend), and requests go on.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # LT_SQLITE_PATH: another file (a throwaway database for a script).
            "NAME": os.environ.get("LT_SQLITE_PATH") or BASE_DIR / "var" / "db.sqlite3",
            # One process, several threads (ASGI, eager tasks): wait for the lock instead of
            # failing, and take the write lock at BEGIN so transactions never deadlock.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://localhost/"  # never used: tasks run in-process
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# Celery: a killed worker's task goes back to the queue; one task at a time per process; the
# Redis visibility timeout outlasts any countdown (else delayed tasks are redelivered twice).
# Workers keep their database connections between tasks (wargame/jobs/connections.py).
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("LT_VISIBILITY_TIMEOUT", "3600")),
    # How often a worker looks for messages a dead worker left unacknowledged (kombu scans
    # every interval * throttle seconds); tests shorten both to recover within seconds.
    "unacked_restore_interval": int(os.environ.get("LT_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(os.environ.get("LT_UNACKED_RESTORE_THROTTLE", "10")),
    # A worker killed while it scans holds kombu's scan mutex until this expires (seconds):
    # no other worker restores anything meanwhile. Tests, which kill workers and scan
    # every second, shorten it.
    "unacked_mutex_expire": int(os.environ.get("LT_UNACKED_MUTEX_EXPIRE", "300")),
    # BRPOP asks the queues in the order given, never rotated: live before lab (below).
    "queue_order_strategy": "priority",
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues: "live" for what people in a game wait for (turn resolutions, the deadline
# sweep, bots standing in) and "lab" for Monte Carlo chunks. One queue put a live turn
# behind every chunk of an analyst's job queued before it: minutes, for a 10,000-run job
# (bench/README.md, "A live turn during a lab job"). A worker consumes the queues that
# LT_WORKER_QUEUES names ("live,lab" by default; compose runs one worker service for
# each), live first: with `priority`, a worker serving both always takes a waiting live
# task before the next chunk.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("LT_CELERY_QUEUE", DEPLOYMENT_PREFIX)
LAB_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-lab"
WORKER_QUEUE_NAMES = {"live": CELERY_TASK_DEFAULT_QUEUE, "lab": LAB_QUEUE}
WORKER_QUEUES = env_list("LT_WORKER_QUEUES", "live,lab")
if not WORKER_QUEUES or set(WORKER_QUEUES) - set(WORKER_QUEUE_NAMES):
    raise ImproperlyConfigured(
        f"LT_WORKER_QUEUES={os.environ.get('LT_WORKER_QUEUES')!r}: name the queues this "
        "worker consumes, among: live, lab (for example 'live' or 'live,lab')."
    )
CELERY_TASK_QUEUES = [
    Queue(WORKER_QUEUE_NAMES[name], routing_key=WORKER_QUEUE_NAMES[name])
    for name in sorted(WORKER_QUEUES, key=list(WORKER_QUEUE_NAMES).index)
]
CELERY_TASK_ROUTES = {"wargame.tasks.simulation_chunk": {"queue": LAB_QUEUE}}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "wargame.tasks.sweep_deadlines",
        "schedule": 5.0,
        # A sweep that waited longer than the next one is worthless; don't pile them up.
        "options": {"expires": 5.0},
    },
    # Bots play the seats of students away past their class's timeout (issue 12).
    "class-bots": {
        "task": "wargame.tasks.class_bots_stand_in",
        "schedule": 10.0,
        "options": {"expires": 10.0},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files from the app folders too when they have not been collected (dev
# servers, test stacks); production images run collectstatic at build time.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Replaces Django's own "django" handlers, which would print every line a second time.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Limits on what a client may send (bad input gets a clear error, never a truncation).
LT_MAX_RATIONALE_CHARS = 2000
LT_MAX_MESSAGE_CHARS = 4000
# Imported logs (CLI, /import/, POST /api/games/import): refused above this, before parsing.
LT_MAX_LOG_BYTES = int(os.environ.get("LT_MAX_LOG_BYTES", "5000000"))

# A claimed ("resolving") turn whose worker died is re-queued by the sweep after this long;
# the claim token makes a late original worker's commit a no-op, so this is safe. A claim
# whose process is known dead (same host) is taken over at once (services/resolution.py).
LT_RESOLVE_LEASE_SECONDS = int(os.environ.get("LT_RESOLVE_LEASE_SECONDS", "60"))
# Test hook: sleep this long inside resolution (to kill a worker mid-turn). Never set in prod.
LT_RESOLVE_DELAY_SECONDS = float(os.environ.get("LT_RESOLVE_DELAY_SECONDS", "0"))
LT_MAX_NAME_CHARS = 80
# Embedded mode has no beat: `scripts/run` sets this so the web process sweeps deadlines
# itself (wargame/jobs/sweeper.py). Never set it where beat runs.
LT_EMBEDDED_SWEEPER = env_bool("LT_EMBEDDED_SWEEPER", "0")
# Embedded mode: play the lab's chunks on a background thread (wargame/jobs/embedded_lab.py).
LT_EMBEDDED_LAB_THREAD = env_bool("LT_EMBEDDED_LAB_THREAD", "0")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "facilitate"
LOGOUT_REDIRECT_URL = "home"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("en", "English"), ("ko", "한국어")]
# The switcher (templates/base.html, /i18n/setlang/) stores the choice in this cookie for a
# year; Accept-Language decides until then. A signed-in account's choice is stored too
# (wargame.models.AccountLanguage) and set in the cookie at its next login.
LANGUAGE_COOKIE_NAME = "lt_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Hardening (issue 9): throttling, CSP and other headers ----------------------------
# Client addresses: REMOTE_ADDR, or behind N trusted reverse proxies the address the
# outermost one saw (wargame.throttle.client_ip). Never more than the proxies you run:
# the leftmost X-Forwarded-For entries are the client's to forge.
LT_TRUSTED_PROXIES = int(os.environ.get("LT_TRUSTED_PROXIES", "0"))
# Guessing limits, per client address, counting failures only (wargame/throttle.py).
LT_RATE_JOIN_FAILURES = os.environ.get("LT_RATE_JOIN_FAILURES", "20/m")
LT_RATE_TOKEN_FAILURES = os.environ.get("LT_RATE_TOKEN_FAILURES", "20/m")
# django-ratelimit's counters use the default cache (Redis on the full stack). It is not
# an installed app: its system check refuses LocMemCache, which is right for the embedded
# mode's one process.
RATELIMIT_USE_CACHE = "default"

# Logins (the site's and the admin's): django-axes, counting in the cache of each mode.
# Locked out for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT wrong passwords from one
# address, or for one username from anywhere (a spread-out guess at the facilitator's
# password); the right password is refused too while locked. A lock ends by itself, or
# at once with `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# Pages answer 503, not the 500 page, when no database connection could be had.
MIDDLEWARE += ["wargame.web.busy.DatabaseBusyMiddleware"]
AUTHENTICATION_BACKENDS = [
    "wargame.web.login_backend.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = int(os.environ.get("LT_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_IP_CALLABLE = "wargame.throttle.client_ip"
AXES_VERBOSE = False
if LT_MODE == "embedded":
    # One process: its own memory is the whole cache (axes warns that it is not shared).
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site
# only; no inline script or style (the pages' data is inline JSON, which never runs), no
# plugins, no framing, forms post only here. connect-src 'self' covers the socket (ws/wss
# on the same host and port).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "wargame.web.headers.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("wargame.web.headers.SecurityHeadersMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
LT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
