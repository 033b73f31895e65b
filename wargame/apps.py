"""App config for the game itself: binds the layers that may not import each other."""

import os
import sys

from django.apps import AppConfig


class WargameConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wargame"
    verbose_name = "Lips and Teeth"

    def ready(self):
        # Every Django process (web, worker, shell) gets the configured Celery app as the
        # current one, so task.delay() uses this mode's broker or runs eagerly.
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in

        from . import celery, checks  # noqa: F401  (the Celery app; our system checks)
        from .jobs.simulations import queue_chunk
        from .jobs.tasks import resolve_turn
        from .services import ports
        from .web import admin  # noqa: F401  (registers the read-only admin)
        from .web.language import apply_account_language

        # An account's chosen language comes back at its login (the switcher stored it).
        user_logged_in.connect(apply_account_language, dispatch_uid="lt-account-language")

        # The services ask for a turn's resolution through a port; the job layer answers.
        ports.bind_resolution(resolve_turn.delay)
        ports.bind_simulation(queue_chunk)

        # runserver's autoreloader loads the app in a watcher and in the server child
        # (RUN_MAIN=true): sweep deadlines only in the one that serves.
        is_watcher = "runserver" in sys.argv and os.environ.get("RUN_MAIN") != "true"
        if settings.LT_MODE == "embedded" and settings.LT_EMBEDDED_SWEEPER and not is_watcher:
            from .jobs.sweeper import start_embedded_sweeper

            start_embedded_sweeper()
        if settings.LT_MODE == "embedded" and settings.LT_EMBEDDED_LAB_THREAD:
            from .jobs.embedded_lab import queue_chunk_in_thread

            ports.bind_simulation(queue_chunk_in_thread)
