"""OS2hub installed from its wheel, as the container image installs it (Dockerfile): the wheel carries the
templates, static files, translations and criteria, and the container's commands (the entry point's migrate,
collectstatic, gunicorn, the health check, the scheduler) work from a folder that is not the checkout.

No network: the wheel is built with the virtualenv's own setuptools (`--no-isolation`) and installed without its
dependencies into a fresh virtualenv that sees this one's packages through a .pth file."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "LICENSES", "os2hub"]


def sh(*args, env=None, cwd=None, timeout=120):
    result = subprocess.run(  # noqa: S603
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build from a copy of the sources, so nothing is written into the checkout and no leftover of an earlier
    build (setuptools' build/ folder) can slip into the wheel."""
    tmp = tmp_path_factory.mktemp("packaging")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    sh(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp / "dist", src)
    (built,) = (tmp / "dist").glob("os2hub-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh virtualenv with the wheel installed, and a working folder like the container's /app: manage.py and
    the container scripts, nothing else. Returns (python, app folder, environment)."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    sh(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    site = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    # Only the dependencies come from this virtualenv; a plain path line does not run its .pth files, so the
    # editable install of the checkout stays invisible.
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")

    app = tmp / "app"
    (app / "docker").mkdir(parents=True)
    shutil.copy2(REPO / "manage.py", app / "manage.py")
    for name in ("entrypoint.sh", "healthcheck.py"):
        shutil.copy2(REPO / "docker" / name, app / "docker" / name)
    keep = {"HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env |= {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "os2hub.settings",
        "DEBUG": "0",
        "SECRET_KEY": "packaging-test-" + "x" * 40,
        "ALLOWED_HOSTS": "os2hub.test",
        "DATABASE_URL": f"sqlite:///{app / 'db.sqlite3'}",
        "MEDIA_ROOT": str(app / "media"),
        "STATIC_ROOT": str(app / "staticfiles"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return python, app, env


def test_the_wheel_carries_templates_static_files_translations_and_criteria(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "os2hub/templates/base.html",
        "os2hub/templates/web/home.html",
        "os2hub/static/os2hub/os2hub.css",
        "os2hub/static/dkfds/css/dkfds.min.css",
        "os2hub/locale/da/LC_MESSAGES/django.mo",
        "os2hub/locale/da/LC_MESSAGES/django.po",
        "os2hub/locale/en/LC_MESSAGES/django.mo",
        "os2hub/governance/criteria/governance-criteria-v1.1.0.yaml",
        "os2hub/demo/data/os2-products.yaml",
        "os2hub/settings.py",
    ]:
        assert expected in names
    # Every file of the package in the checkout is in the wheel (caches aside).
    missing = [
        str(p.relative_to(REPO))
        for p in (REPO / "os2hub").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        if str(p.relative_to(REPO)) not in names
    ]
    assert missing == []
    metadata = zipfile.ZipFile(wheel).read("os2hub-0.1.0.dist-info/METADATA").decode()
    assert "Project-URL: Repository, https://github.com/OS2/os2hub" in metadata


def get(port, path, **headers):
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"http://127.0.0.1:{port}{path}", headers={"Host": "os2hub.test", "X-Forwarded-Proto": "https", **headers}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def test_the_installed_wheel_migrates_collects_static_files_and_serves_the_site(installed):
    python, app, env = installed
    where = json.loads(
        sh(python, "-c", "import json, os2hub, sys; print(json.dumps([os2hub.__file__, sys.path]))", env=env, cwd=app)
    )
    assert where[0].startswith(str(python.parent.parent / "lib")) and str(REPO) not in where[1]

    # The container's entry point: migrate (and whatever else it does first), then the command.
    sh(
        "sh",
        app / "docker" / "entrypoint.sh",
        "python",
        "-c",
        "print('ready')",
        env=env | {"RUN_MIGRATIONS": "1"},
        cwd=app,
    )
    # As the Dockerfile runs it: no real key at build time.
    build_env = {k: v for k, v in env.items() if k != "SECRET_KEY"} | {"DJANGO_COLLECTSTATIC": "1"}
    sh(python, "manage.py", "collectstatic", "--noinput", env=build_env | {"SECRET_KEY": "build-only"}, cwd=app)
    assert (app / "staticfiles" / "staticfiles.json").is_file()
    assert "Mondays 07:00  send_digests" in sh(python, "manage.py", "run_schedule", "--list", env=env, cwd=app)

    log = app / "gunicorn.log"
    with log.open("w") as handle:
        server = subprocess.Popen(  # noqa: S603
            [python, "-m", "gunicorn", "os2hub.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"],
            env=env,
            cwd=app,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline and server.poll() is None:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
            port = found and int(found.group(1))
            time.sleep(0.2)
        assert port, log.read_text()

        # The image's health check, against this server.
        sh(python, app / "docker" / "healthcheck.py", env=env | {"PORT": str(port)}, cwd=app)

        status, _, body = get(port, "/")
        page = body.decode()
        assert status == 200
        # Danish from the compiled translations (the template's source text is English).
        assert "her arbejder OS2 sammen" in page and "where OS2 works together" not in page
        css = re.search(r'href="(/static/os2hub/os2hub\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page links the hashed static file that collectstatic wrote"
        status, headers, body = get(port, css.group(1))
        assert status == 200 and headers["Content-Type"].startswith("text/css") and body

        status, _, body = get(port, "/api/v1/criteria")
        criteria = json.loads(body)
        assert status == 200 and criteria["version"] == "1.1.0" and len(criteria["criteria"]) > 10
    finally:
        server.terminate()
        server.wait(timeout=10)

    # With the server gone, the health check says so.
    with pytest.raises(AssertionError):
        sh(python, app / "docker" / "healthcheck.py", env=env | {"PORT": str(port)}, cwd=app)


def test_the_health_check_names_a_host_django_accepts(installed):
    python, app, env = installed
    script = "import healthcheck; print(healthcheck.host_header())"
    for hosts, expected in [("os2hub.example.dk,localhost", "os2hub.example.dk"), (".example.dk", "example.dk")]:
        out = sh(python, "-c", script, env=env | {"ALLOWED_HOSTS": hosts}, cwd=app / "docker")
        assert out.strip() == expected
    assert sh(python, "-c", script, env=env | {"ALLOWED_HOSTS": "*"}, cwd=app / "docker").strip() == "localhost"


def test_an_installed_site_keeps_its_data_in_the_working_folder_not_in_the_package(installed):
    python, app, env = installed
    bare = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT")}
    script = (
        "import json; from django.conf import settings; print(json.dumps([str(settings.BASE_DIR), "
        "settings.DATABASES['default']['NAME'], str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT)]))"
    )
    base, database, media, static = json.loads(sh(python, "-c", script, env=bare, cwd=app))
    assert (base, database, media, static) == (
        str(app),
        str(app / "db.sqlite3"),
        str(app / "media"),
        str(app / "staticfiles"),
    )


def test_compose_runs_the_installed_commands_with_one_migrating_service(installed):
    python, app, env = installed
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    available = set(sh(python, "manage.py", "help", "--commands", env=env, cwd=app).split())
    for name, service in services.items():
        command = service.get("command") or []
        if command[:2] == ["python", "manage.py"]:
            assert command[2] in available, f"{name}: no command {command[2]}"
    assert [n for n, s in services.items() if s.get("environment", {}).get("RUN_MIGRATIONS") == "1"] == ["migrate"]
    assert services["web"]["deploy"]["replicas"] >= 2 and "ports" not in services["web"]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert (REPO / services["proxy"]["volumes"][0].split(":")[0]).is_file()
