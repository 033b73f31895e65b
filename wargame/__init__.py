"""The game package.

`celery_app` is loaded on first use, and by WargameConfig.ready() whenever Django starts (so
@shared_task binds to it), rather than at import: `import wargame.engine` must load neither
Django nor Celery.
"""

__all__ = ("celery_app",)


def __getattr__(name):
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
