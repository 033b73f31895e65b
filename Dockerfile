# One image for every process of the full stack: web (daphne), worker and beat (celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Pango and fonts for WeasyPrint (the debrief's PDF; Nanum for Korean names and notes);
# without Pango that one URL answers 503.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        fonts-dejavu-core fonts-nanum fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that code changes reuse this layer.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# Static files are baked into the image and served by WhiteNoise, hashed and compressed
# as the production settings serve them (their manifest is made here). The settings need
# no services to import, so this runs in the embedded mode at build time, with a secret
# key made for this step and thrown away (the running containers get theirs from compose).
RUN python manage.py compile_catalogs -v0 \
    && DJANGO_SETTINGS_MODULE=wargame.settings.production \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput -v0 \
    && useradd --create-home --uid 1000 app \
    && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--websocket_connect_timeout", "30", "wargame.asgi:application"]
