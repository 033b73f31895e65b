"""The Celery app; reads CELERY_* Django settings so each mode picks its broker (or eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")

app = Celery("wargame")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks live in the job layer (wargame/jobs/), not in an app's tasks module.
app.conf.imports = ("wargame.jobs.tasks", "wargame.jobs.simulations")
