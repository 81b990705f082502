"""Failed logins are throttled per address and per (account, address), in a cache every web process shares."""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.forms.forms import NON_FIELD_ERRORS
from django.test import Client
from django.urls import reverse

from .personas import UserFactory

ROOT = Path(__file__).resolve().parent.parent
GUESSER = "203.0.113.7"
OWNER = "198.51.100.20"
THROTTLED = "too_many_login_attempts"


@pytest.fixture
def limits(settings):
    """The production rate limits (the rest of the suite runs without any)."""
    settings.ACCOUNT_RATE_LIMITS = settings.OS2HUB_LOGIN_RATE_LIMITS
    cache.clear()
    yield settings.ACCOUNT_RATE_LIMITS
    cache.clear()


def attempt(client, email, password):
    """Post the login form; 'in', 'throttled' or 'failed'."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    if "_auth_user_id" in client.session:
        return "in"
    return "throttled" if response.context["form"].has_error(NON_FIELD_ERRORS, THROTTLED) else "failed"


def test_failures_from_one_address_throttle_that_address_but_do_not_lock_the_owner_out(db, limits, password):
    owner = UserFactory(email="ejer@example.dk")
    guesser = Client(REMOTE_ADDR=GUESSER)

    assert [attempt(guesser, owner.email, f"guess-{n}") for n in range(5)] == ["failed"] * 5

    assert attempt(guesser, owner.email, password) == "throttled"
    assert attempt(Client(REMOTE_ADDR=OWNER), owner.email, password) == "in"


def test_failures_from_many_addresses_hit_a_ceiling_per_account(db, limits, settings, password):
    settings.ACCOUNT_RATE_LIMITS = {**limits, "login_failed_account": "3/h/key"}
    owner = UserFactory(email="ejer@example.dk")
    other = UserFactory(email="anden@example.dk")

    for n in range(3):
        assert attempt(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), owner.email, "wrong") == "failed"

    assert attempt(Client(REMOTE_ADDR="203.0.113.99"), owner.email, password) == "throttled"
    assert attempt(Client(REMOTE_ADDR="203.0.113.99"), other.email, password) == "in"


def test_a_password_reset_lifts_the_ceiling_for_the_owner(db, limits, settings, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {**limits, "login_failed_account": "3/h/key"}
    owner = UserFactory(email="ejer@example.dk")
    for n in range(3):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), owner.email, "wrong")
    client = Client(REMOTE_ADDR=OWNER)
    assert attempt(client, owner.email, "Nyt-og-langt-2026") == "throttled"

    client.post(reverse("account_reset_password"), {"email": owner.email})
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+", mailoutbox[-1].body).group()
    form = client.get(urlsplit(link).path, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "Nyt-og-langt-2026", "password2": "Nyt-og-langt-2026"})
    client.logout()

    assert attempt(client, owner.email, "Nyt-og-langt-2026") == "in"


def test_a_successful_login_does_not_count_against_the_ceiling(db, limits, settings, password):
    settings.ACCOUNT_RATE_LIMITS = {**limits, "login_failed_account": "2/h/key"}
    owner = UserFactory(email="ejer@example.dk")

    for n in range(3):
        assert attempt(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), owner.email, password) == "in"


def test_the_cache_is_shared_by_all_processes():
    assert not isinstance(caches["default"], LocMemCache)
    assert caches["default"].__class__.__name__ == "DatabaseCache"


def settings_in_a_new_process(**environ) -> dict:
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "os2hub.settings", "DEBUG": "1", **environ}
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_cache_url_selects_redis():
    default = settings_in_a_new_process(CACHE_URL="")
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    redis = settings_in_a_new_process(CACHE_URL="redis://cache.internal:6379/2")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"


# One web worker: a separate Python process with the site's own settings (not the test settings) that posts the
# login form for each (address, password) and prints what happened.
WORKER = """
import json, sys
import django
django.setup()
from django.forms.forms import NON_FIELD_ERRORS
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
email, attempts = json.loads(sys.argv[1])
results = []
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    for address, password in attempts:
        client = Client(REMOTE_ADDR=address)
        response = client.post("/konto/login/", {"login": email, "password": password})
        if "_auth_user_id" in client.session:
            results.append("in")
        elif response.context["form"].has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            results.append("throttled")
        else:
            results.append("failed")
print(json.dumps(results))
"""


@pytest.fixture
def shared_database_url(transactional_db, tmp_path):
    """A DATABASE_URL through which other processes see this test's data (and its cache table)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":

        def copy():
            # The test database lives in this process's memory: hand the other processes a file copy of it.
            connection.ensure_connection()
            target = sqlite3.connect(tmp_path / "shared.sqlite3")
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{tmp_path / 'shared.sqlite3'}"

        return copy
    assert connection.vendor == "postgresql"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return lambda: url


@pytest.fixture(params=["database", "redis"])
def cache_url(request, tmp_path):
    """The CACHE_URL the workers run with: unset (the database cache) or a Redis server of this test's own."""
    if request.param == "database":
        yield ""
        return
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 (a fixed program and arguments)
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_worker(database_url, cache_url, email, attempts):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "os2hub.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "CACHE_URL": cache_url,
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", WORKER, json.dumps([email, attempts])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_failed_logins_on_two_workers_count_together(shared_database_url, cache_url, password):
    owner = UserFactory(email="ejer@example.dk")
    database_url = shared_database_url()

    first = run_worker(
        database_url, cache_url, owner.email, [(GUESSER, "wrong-1"), (GUESSER, "wrong-2"), (GUESSER, "wrong-3")]
    )
    second = run_worker(
        database_url,
        cache_url,
        owner.email,
        [(GUESSER, "wrong-4"), (GUESSER, "wrong-5"), (GUESSER, "wrong-6"), (GUESSER, password), (OWNER, password)],
    )

    assert first == ["failed", "failed", "failed"]
    assert second == ["failed", "failed", "throttled", "throttled", "in"]
