#!/bin/sh
# Container entry point: optionally apply database migrations, then run the given command
# (gunicorn by default, or e.g. `python manage.py db_worker`).
# Set RUN_MIGRATIONS=1 on one service only (the one-shot `migrate` service of compose.yaml), so two containers
# do not migrate at once.
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
    python manage.py createcachetable
fi

exec "$@"
