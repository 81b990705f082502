# OS2hub web, worker and scheduler image. One image; the command chooses the role:
#   web (default):  gunicorn os2hub.wsgi:application ...
#   worker:         python manage.py db_worker
#   scheduler:      python manage.py run_schedule
# OS2hub is installed as a wheel, as `pip install` would install it anywhere; /app holds only manage.py and the
# container scripts. See docs/installation.md.

# --- Stage 1: build the wheel (templates, static files, translations and criteria are package data) ------------
FROM python:3.11-slim-bookworm AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# The build tools are the locked, hash-checked ones from requirements-dev.lock (build, its two dependencies and
# setuptools), so the build does not fetch whatever versions are newest today.
COPY requirements-dev.lock /tmp/requirements-dev.lock
RUN awk '/^[a-z]/{keep = ($1 ~ /^(build|packaging|pyproject-hooks|setuptools)==/)} keep' \
        /tmp/requirements-dev.lock > /tmp/build.lock \
    && python -m venv /opt/build \
    && /opt/build/bin/pip install --no-cache-dir --require-hashes --no-deps -r /tmp/build.lock

COPY pyproject.toml README.md LICENSE ./
COPY LICENSES ./LICENSES
COPY os2hub ./os2hub
RUN /opt/build/bin/python -m build --wheel --no-isolation --outdir /dist .

# --- Stage 2: the image that runs -----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=os2hub.settings \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

# git is the repository scanner's only outside tool (clone and log; it never runs code from a repository).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user; the code stays owned by root so it cannot change itself.
RUN groupadd --system --gid 10001 os2hub \
    && useradd --system --uid 10001 --gid os2hub --home-dir /app --shell /usr/sbin/nologin os2hub \
    && mkdir -p /data/media \
    && chown os2hub:os2hub /data/media

# Dependencies first, so a code change does not reinstall them. Every package is pinned and hash-checked;
# all of them ship wheels, so no compiler is needed.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

# Then OS2hub itself: the wheel from stage 1, without dependencies (they are the locked ones above).
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir --no-deps /tmp/dist/os2hub-*.whl \
    && rm -rf /tmp/dist

WORKDIR /app
COPY manage.py /app/manage.py
COPY docker/entrypoint.sh docker/healthcheck.py /app/docker/

# collectstatic imports the settings, which refuse to load without SECRET_KEY when DEBUG is off. This key is
# used for this one command only and does not exist in the running container; the real key comes from the
# environment at run time.
RUN chmod 0755 /app/docker/entrypoint.sh \
    && DJANGO_COLLECTSTATIC=1 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput

USER os2hub
EXPOSE 8000

# The web role's health: /api/v1/health answers 200 when the site and its database work. The worker and the
# scheduler serve no HTTP; compose.yaml switches the check off for them.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "os2hub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
