"""App config for the game itself."""

from django.apps import AppConfig


class WargameConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wargame"
    verbose_name = "Lips and Teeth"

    def ready(self):
        # Every Django process (web, worker, shell) gets the configured Celery app as the
        # current one, so task.delay() uses this mode's broker or runs eagerly.
        from . import celery  # noqa: F401
