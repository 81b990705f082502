# OS2hub web and worker image. One image; the command chooses the role:
#   web (default):  gunicorn os2hub.wsgi:application ...
#   worker:         python manage.py db_worker
# See docs/installation.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    MEDIA_ROOT=/data/media

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

WORKDIR /app
COPY . /app

# collectstatic imports the settings, which refuse to load without SECRET_KEY when DEBUG is off. This key is
# used for this one command only and does not exist in the running container; the real key comes from the
# environment at run time.
RUN pip install --no-cache-dir --no-deps --editable /app \
    && chmod 0755 /app/docker/entrypoint.sh \
    && DJANGO_COLLECTSTATIC=1 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput

USER os2hub
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "os2hub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
