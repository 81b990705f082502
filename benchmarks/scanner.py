"""Speed of the repository scanner (issue 5) against npm repolinter's default ruleset, on synthetic checkouts.

Usage: .venv/bin/python benchmarks/scanner.py [--repos 20] [--files 2000] [--runs 3] [--seed 5] [--write] [--keep]
       [--save-findings FILE] [--compare FILE] [--note TEXT]

Builds N local git repositories that look like OS2 repositories (about --files files of Python, Java,
JavaScript, TypeScript, HTML and CSS; a README with a "Formål" heading; Danish documentation in docs/ with a few
.docx and .odt files; LICENSE, Dockerfile, CI workflow, tests; ~200 commits by a few organisations, written with
`git fast-import`), installs repolinter into /tmp/os2hub-bench/repolinter when it is missing, then measures:

1. whole process, JSON output, one repository a call: `python -m os2hub.scanner REPO --format json` against
   `repolinter lint REPO --format json --dryRun`, interleaved, --runs times over every repository (median, p95,
   checks run: our findings, repolinter's rule results);
2. many targets: one `python -m os2hub.scanner R1 ... RN --format json` process, and the package in-process;
3. the cost of each check in-process and the share of time spent in git (Repository.git and every git
   subprocess are timed; a check's git time is its own git calls and its wait for the git commands the scan
   started ahead in the background, whose own time is reported apart).

--save-findings writes every repository's findings (without the durations) to a JSON file; --compare checks
that the findings are identical to such a file, to show that a change for speed changed no finding. The same
seed gives the same repositories (and, within a day, the same history).

Prints a Markdown section; --write appends it to benchmarks/results.md. Needs git; repolinter needs npm and the
npm registry (without them it is reported as unavailable and the scanner is still measured).
"""

import argparse
import hashlib
import io
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPOLINTER_VERSION = "0.12.0"
REPOLINTER_PREFIX = Path("/tmp/os2hub-bench/repolinter")  # noqa: S108 - a cache the brief puts there
REPOLINTER_BIN = REPOLINTER_PREFIX / "node_modules" / ".bin" / "repolinter"
COMMITS = 200
ZIP_DATE = (2024, 1, 1, 0, 0, 0)

# --- Synthetic OS2 repositories -----------------------------------------------------------------------------

AUTHORS = [
    ("Mette Kristensen", "mkr@magenta.dk"),
    ("Jens Holm", "jens.holm@magenta.dk"),
    ("Anne Sørensen", "anso@aarhus.dk"),
    ("Lars Nielsen", "lani@kk.dk"),
    ("Peter Hansen", "pha@netcompany.com"),
    ("Sofie Larsen", "sofie.larsen@gmail.com"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
]
AUTHOR_WEIGHTS = [30, 20, 15, 10, 10, 5, 10]
WORDS = (
    "borger", "sag", "dokument", "bruger", "kommune", "adresse", "ydelse", "betaling", "journal", "ansøgning",
    "afgørelse", "frist", "status", "organisation", "enhed", "medarbejder", "rolle", "rettighed", "rapport",
    "skabelon", "notifikation", "kalender", "aftale", "opgave",
)  # fmt: skip
MESSAGES = [
    "Ret fejl i {w} ved tom {w2} (#{n})",
    "OS2MO-{n}: Tilføj {w} til {w2}",
    "Opdater afhængigheder",
    "Refaktorér {w}-modulet",
    "Fix {w} validation (#{n})",
    "Tilføj test af {w}",
    "Merge branch 'feature/{w}-{n}' into develop",
    "Dokumentation af {w}",
    "Bump version to 1.{n}",
    "Performance: cache {w} opslag",
]
EXTENSIONS = [".py", ".java", ".js", ".ts", ".html", ".css"]
EXTENSION_WEIGHTS = [30, 22, 16, 14, 11, 7]
# The tags below are data for the synthetic repositories, not this file's own licence information.
# REUSE-IgnoreStart
HEADER = {
    ".py": "# SPDX-FileCopyrightText: {year} {org}\n# SPDX-License-Identifier: MPL-2.0\n",
    ".java": "/*\n * SPDX-FileCopyrightText: {year} {org}\n * SPDX-License-Identifier: MPL-2.0\n */\n",
    ".js": "// SPDX-FileCopyrightText: {year} {org}\n// SPDX-License-Identifier: MPL-2.0\n",
    ".ts": "// SPDX-FileCopyrightText: {year} {org}\n// SPDX-License-Identifier: MPL-2.0\n",
    ".html": "<!-- SPDX-License-Identifier: MPL-2.0 -->\n",
    ".css": "/* SPDX-License-Identifier: MPL-2.0 */\n",
}
# REUSE-IgnoreEnd
LICENSE_TEXT = (
    "Mozilla Public License Version 2.0\n==================================\n\n1. Definitions\n--------------\n\n"
    '1.1. "Contributor"\n    means each individual or legal entity that creates, contributes to the\n'
    "    creation of, or owns Covered Software.\n\n"
)
DOCS_MD = [
    ("docs/drift.md", "Drift", "Sådan drives løsningen: backup, overvågning og opdatering."),
    ("docs/installation.md", "Installation", "Opsætning af serveren og konfiguration af databasen."),
    ("docs/arkitektur.md", "Arkitektur", "Teknisk overblik over moduler og datamodel."),
    ("docs/brugervejledning.md", "Brugervejledning", "Sådan bruger sagsbehandleren systemet."),
    ("docs/sikkerhed.md", "Informationssikkerhed", "Risikovurdering og databeskyttelse (GDPR)."),
    ("docs/udvikling.md", "Udviklerguide", "Sådan bidrager du med kode."),
    ("docs/api.md", "API", "REST-snitfladen og dens endpoints."),
    ("docs/faq.md", "Ofte stillede spørgsmål", "Svar på de hyppigste spørgsmål."),
]
OFFICE_DOCS = [
    ("docs/Brugermanual.docx", "Brugermanual for sagsbehandlere"),
    ("docs/Driftsvejledning.odt", "Driftsvejledning"),
    ("docs/Implementeringsplan.docx", "Implementeringsplan og ibrugtagning"),
    ("docs/Præsentation af løsningen.odt", "Præsentation til styregruppen"),
]


def docx(title: str, text: str) -> bytes:
    """A minimal valid Word document with a title in docProps/core.xml."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + text + "</w:t></w:r></w:p>"
        "</w:body></w:document>",
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>" + title + "</dc:title><dc:creator>OS2</dc:creator></cp:coreProperties>",
    }
    return _zip(parts)


def odt(title: str, text: str) -> bytes:
    """A minimal valid OpenDocument text with a title in meta.xml (mimetype first and stored, as the format asks)."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    parts = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
        'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:'
        'full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path='
        '"meta.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        "content.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} xmlns:text="urn:'
        'oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>'
        + text
        + "</text:p></office:text></office:body></office:document-content>",
        "meta.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {office} xmlns:dc="http://purl.'
        'org/dc/elements/1.1/" office:version="1.2"><office:meta><dc:title>'
        + title
        + "</dc:title></office:meta></office:document-meta>",
    }
    return _zip(parts)


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode())
    return buffer.getvalue()


def source(rng: random.Random, ext: str, name: str, org: str) -> str:
    """A plausible source file of 0.5-9 KB (about 5 KB on average)."""
    lines = [HEADER[ext].format(year=rng.choice((2019, 2021, 2023)), org=org)] if rng.random() < 0.7 else []
    for i in range(rng.randint(8, 120)):
        w, w2 = rng.choice(WORDS), rng.choice(WORDS)
        if ext == ".py":
            lines.append(f"def {w}_{i}({w2}, limit={i}):\n    return [x for x in {w2} if x.{w} < limit]\n")
        elif ext == ".java":
            lines.append(f"    public {w.title()} get{w2.title()}{i}(long id) {{ return repo.find(id, {i}); }}\n")
        elif ext in (".js", ".ts"):
            kind = ": number" if ext == ".ts" else ""
            lines.append(f"export function {w}{i}({w2}{kind}) {{ return {w2} * {i}; }}\n")
        elif ext == ".html":
            lines.append(f'<div class="{w}-{i}"><span>{{{{ {w2}.navn }}}}</span></div>\n')
        else:
            lines.append(f".{w}-{i} {{ margin: {i % 8}px; color: #{i:03x}; }}\n")
    if ext == ".java":
        return f"package dk.os2.{name};\n\npublic class X {{\n" + "".join(lines) + "}\n"
    return "".join(lines)


def repository_files(rng: random.Random, index: int, n_files: int) -> dict[str, bytes]:
    """Path -> content of one synthetic OS2 repository in its final state."""
    product = f"os2{rng.choice(WORDS)}{index:02d}"
    org = rng.choice(["Magenta ApS", "Aarhus Kommune", "Københavns Kommune", "Netcompany"])
    files: dict[str, bytes] = {}
    readme = (
        f"# {product}\n\n## Formål\n\n{product} hjælper kommunens sagsbehandlere med at håndtere "
        f"{rng.choice(WORDS)}sager.\n\n## Installation\n\nSe [docs/installation.md](docs/installation.md).\n\n"
        "## Licens\n\nMozilla Public License 2.0, se LICENSE.\n"
    )
    files["README.md"] = readme.encode()
    files["LICENSE"] = LICENSE_TEXT.encode()
    files["Dockerfile"] = b"FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
    files["docker-compose.yml"] = b"services:\n  app:\n    build: .\n    ports: ['8000:8000']\n"
    files[".github/workflows/ci.yml"] = b"on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    files[".gitignore"] = b"__pycache__/\nnode_modules/\n"
    files["requirements.txt"] = b"django>=4.2\npsycopg>=3.1\n"
    files["package.json"] = json.dumps({"name": product, "version": "1.0.0", "license": "MPL-2.0"}).encode()
    files["pyproject.toml"] = f'[project]\nname = "{product}"\n\n[tool.ruff]\nline-length = 120\n'.encode()
    # Some repositories have the community files, some do not, as in real life.
    if rng.random() < 0.6:
        files["CHANGELOG.md"] = "# Changelog\n\n## 1.0.0\n\n- Første version.\n".encode()
    if rng.random() < 0.5:
        files["CONTRIBUTING.md"] = b"# Bidrag\n\nOpret en issue og en pull request.\n"
    if rng.random() < 0.4:
        files["SECURITY.md"] = "# Sikkerhed\n\nRapportér sårbarheder til sikkerhed@os2.eu.\n".encode()
    if rng.random() < 0.3:
        files["CODE_OF_CONDUCT.md"] = b"# Adfaerdskodeks\n\nVi behandler hinanden ordentligt.\n"
    if rng.random() < 0.3:
        files[".github/ISSUE_TEMPLATE/fejl.md"] = b"---\nname: Fejl\n---\n"
    if rng.random() < 0.4:
        files["publiccode.yml"] = (
            f"publiccodeYmlVersion: '0.4'\nname: {product}\nurl: https://github.com/OS2/{product}\n"
            "platforms: [web]\ncategories: [case-management]\ndevelopmentStatus: stable\nsoftwareType: "
            "standalone/web\ndescription:\n  da:\n    shortDescription: Sagsbehandling\nlegal:\n  license: "
            "MPL-2.0\nmaintenance:\n  type: contract\nlocalisation:\n  localisationReady: true\n  "
            "availableLanguages: [da]\n"
        ).encode()
    if rng.random() < 0.3:  # REUSE set-up, as some OS2 suppliers have (the source headers are SPDX already)
        files["LICENSES/MPL-2.0.txt"] = LICENSE_TEXT.encode()
        # REUSE-IgnoreStart
        files["REUSE.toml"] = (
            b'version = 1\n\n[[annotations]]\npath = "docs/**"\nSPDX-FileCopyrightText = "OS2"\n'
            b'SPDX-License-Identifier = "MPL-2.0"\n'
        )
        # REUSE-IgnoreEnd
    if rng.random() < 0.2:
        files["lib/legacy-client.jar"] = _zip({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n"})
    if rng.random() < 0.5:
        files["static/vendor/jquery.min.js"] = ("!function(e,t){" + "var a=e.b||t;" * 6000 + "}").encode()
    for path, heading, text in DOCS_MD:
        if rng.random() < 0.85:
            files[path] = f"# {heading}\n\n{text}\n\n## Detaljer\n\n{' '.join(rng.choices(WORDS, k=200))}\n".encode()
    for path, title in OFFICE_DOCS:
        if rng.random() < 0.75:
            maker = docx if path.endswith(".docx") else odt
            files[path] = maker(title, " ".join(rng.choices(WORDS, k=60)))
    for i in range(15):
        files[f"docs/images/figur-{i:02d}.txt"] = f"Figurtekst {i}: {rng.choice(WORDS)}\n".encode()
    remaining = max(0, n_files - len(files))
    n_tests = remaining // 12
    for i in range(n_tests):
        files[f"tests/{rng.choice(WORDS)}/test_{rng.choice(WORDS)}_{i}.py"] = source(rng, ".py", product, org).encode()
    modules = [f"{w}{k}" for k, w in enumerate(rng.sample(WORDS, 12))]
    while len(files) < n_files:
        ext = rng.choices(EXTENSIONS, EXTENSION_WEIGHTS)[0]
        module, sub, name = rng.choice(modules), rng.choice(WORDS), f"{rng.choice(WORDS)}_{len(files)}"
        folder = {
            ".py": f"src/{product}/{module}/{sub}",
            ".java": f"backend/src/main/java/dk/os2/{product}/{module}",
            ".js": f"frontend/src/{module}",
            ".ts": f"frontend/src/{module}/{sub}",
            ".html": f"src/{product}/templates/{module}",
            ".css": f"frontend/styles/{module}",
        }[ext]
        files[f"{folder}/{name}{ext}"] = source(rng, ext, f"{product}.{module}", org).encode()
    return files


def fast_import_stream(rng: random.Random, files: dict[str, bytes], end: int) -> bytes:
    """A linear history of COMMITS + 1 commits ending at `end` that leaves `files` as HEAD: about a third of the
    files in the first commit, the rest added along the way, and a few files changed in every commit."""
    paths = sorted(files)
    rng.shuffle(paths)
    first, rest = paths[: len(paths) // 3], paths[len(paths) // 3 :]
    batches = [first] + [rest[i :: COMMITS - 1] for i in range(COMMITS - 1)]
    start = end - 730 * 86400
    out = io.BytesIO()
    added: list[str] = []
    edited: set[str] = set()  # files whose latest version is not their final content
    for n, batch in enumerate(batches, 1):
        name, email = rng.choices(AUTHORS, AUTHOR_WEIGHTS)[0]
        when = start + (end - start) * n // COMMITS
        message = rng.choice(MESSAGES).format(w=rng.choice(WORDS), w2=rng.choice(WORDS), n=rng.randint(1, 999))
        msg = message.encode()
        out.write(b"commit refs/heads/main\nmark :%d\n" % n)
        for role in (b"author", b"committer"):
            out.write(b"%s %s <%s> %d +0100\n" % (role, name.encode(), email.encode(), when))
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        if n > 1:
            out.write(b"from :%d\n" % (n - 1))
        changed = {p: files[p] for p in batch}
        # A few files already added get an intermediate version; the last commit restores their final content.
        if added:
            for path in rng.sample(added, min(3, len(added))):
                changed.setdefault(path, files[path] + f"\n// ændring {n}\n".encode())
        for path, content in changed.items():
            out.write(b'M 100644 inline "%s"\ndata %d\n' % (path.encode(), len(content)))
            out.write(content + b"\n")
            if content == files[path]:
                edited.discard(path)
            else:
                edited.add(path)
        added.extend(batch)
    out.write(b"commit refs/heads/main\nmark :%d\n" % (COMMITS + 1))
    name, email = AUTHORS[0]
    for role in (b"author", b"committer"):
        out.write(b"%s %s <%s> %d +0100\n" % (role, name.encode(), email.encode(), end + 3600))
    msg = b"Release 1.0 (#1000)"
    out.write(b"data %d\n%s\nfrom :%d\n" % (len(msg), msg, COMMITS))
    for path in sorted(edited):
        out.write(b'M 100644 inline "%s"\ndata %d\n%s\n' % (path.encode(), len(files[path]), files[path]))
    return out.getvalue()


def git_env(home: Path) -> dict:
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(home), "GIT_TERMINAL_PROMPT": "0"}


def build_repositories(base: Path, count: int, n_files: int, seed: int) -> list[Path]:
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = git_env(home)
    # Commit times end two days ago (whole days), so the same seed gives the same trees and history all day.
    end = int(time.time()) // 86400 * 86400 - 2 * 86400
    repos = []
    for index in range(count):
        rng = random.Random(f"{seed}-{index}")
        path = base / "repos" / f"os2-repo-{index:02d}"
        path.mkdir(parents=True)
        files = repository_files(rng, index, n_files)
        run = {"cwd": path, "env": env, "check": True, "capture_output": True}
        subprocess.run(["git", "init", "-q", "-b", "main"], **run)  # noqa: S603, S607 - fixed arguments
        subprocess.run(["git", "fast-import", "--quiet"], input=fast_import_stream(rng, files, end), **run)  # noqa: S603, S607
        subprocess.run(["git", "reset", "-q", "--hard", "main"], **run)  # noqa: S603, S607 - fills the work tree
        repos.append(path)
    return repos


def tracked_files(repo: Path, env: dict) -> list[bytes]:
    command = ["git", "ls-files", "-z"]
    out = subprocess.run(command, cwd=repo, env=env, capture_output=True, check=True).stdout  # noqa: S603, S607
    return [name for name in out.split(b"\0") if name]


# --- repolinter ---------------------------------------------------------------------------------------------


def install_repolinter() -> tuple[Path | None, str]:
    """(path of the repolinter command or None, version or the reason it is unavailable)."""
    if not REPOLINTER_BIN.exists():
        npm = shutil.which("npm")
        if not npm:
            return None, "unavailable: npm is not installed"
        REPOLINTER_PREFIX.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                [npm, "install", "--prefix", str(REPOLINTER_PREFIX), f"repolinter@{REPOLINTER_VERSION}"],
                capture_output=True,
                check=True,
                timeout=600,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return None, f"unavailable: npm install failed ({type(exc).__name__})"
        if not REPOLINTER_BIN.exists():
            return None, "unavailable: npm install did not provide the repolinter command"
    try:
        meta = json.loads((REPOLINTER_PREFIX / "node_modules" / "repolinter" / "package.json").read_text())
        return REPOLINTER_BIN, meta["version"]
    except (OSError, ValueError, KeyError):
        return REPOLINTER_BIN, "unknown version"


def repolinter_ruleset() -> dict:
    try:
        path = REPOLINTER_PREFIX / "node_modules" / "repolinter" / "rulesets" / "default.json"
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


# --- Measuring ----------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (as benchmarks/timing.py takes its p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def timed(command: list[str], env: dict, accept=(0,)) -> tuple[float, bytes]:
    """Wall-clock milliseconds of the whole command, and its output; stops the benchmark when it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603
    ms = (time.perf_counter() - start) * 1000
    if result.returncode not in accept:
        tail = result.stderr.decode("utf-8", "replace")[-2000:]
        raise SystemExit(f"{' '.join(command[:4])} ... exited with {result.returncode}:\n{tail}")
    return ms, result.stdout


def installed(env: dict) -> dict:
    """The environment the scanner runs in as an installed tool: with Python's bytecode cache, which pip writes
    at install time. A PYTHONDONTWRITEBYTECODE in the benchmark's own environment (this machine sets it) would
    make every call compile the scanner's modules from source; the warm-up call writes the cache."""
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


def ours_command(targets: list[Path]) -> list[str]:
    return [sys.executable, "-m", "os2hub.scanner", *map(str, targets), "--format", "json"]


def repolinter_command(binary: Path, target: Path) -> list[str]:
    return [str(binary), "lint", str(target), "--format", "json", "--dryRun"]


def count_ours(stdout: bytes) -> int:
    data = json.loads(stdout)
    return len(data["findings"])


def count_repolinter(stdout: bytes) -> tuple[int, dict[str, int]]:
    """(rule results, how many of them by status: PASSED, NOT_PASSED_ERROR, NOT_PASSED_WARN, IGNORED, ERROR)
    from repolinter's JSON output. IGNORED rules did not run (level off, or an axiom such as the language or
    licence did not match)."""
    data = json.loads(stdout)
    statuses: dict[str, int] = {}
    for item in data.get("results", []):
        status = str(item.get("status", "unknown")).lower()
        statuses[status] = statuses.get(status, 0) + 1
    return len(data.get("results", [])), statuses


def has_reuse(repo: Path) -> bool:
    return (repo / "REUSE.toml").exists()


def whole_process(repos: list[Path], runs: int, repolinter: Path | None, env: dict) -> dict:
    """Each tool once per repository per run, interleaved; which tool goes first alternates."""
    ours_ms, theirs_ms, ours_checks, theirs_checks, theirs_status = [], [], set(), set(), {}
    # Split by whether the repository has a REUSE set-up (then the reuse lint reads every file).
    split: dict[tuple[str, bool], list[float]] = {(t, r): [] for t in ("ours", "theirs") for r in (True, False)}
    timed(ours_command([repos[0]]), installed(env))  # warm-up (repolinter's was its trial call)
    for run in range(runs):
        for i, repo in enumerate(repos):
            order = ["ours", "repolinter"] if (run + i) % 2 == 0 else ["repolinter", "ours"]
            for tool in order:
                if tool == "ours":
                    ms, out = timed(ours_command([repo]), installed(env))
                    ours_ms.append(ms)
                    split["ours", has_reuse(repo)].append(ms)
                    ours_checks.add(count_ours(out))
                elif repolinter:
                    ms, out = timed(repolinter_command(repolinter, repo), env, accept=(0, 1))  # 1: a rule failed
                    theirs_ms.append(ms)
                    split["theirs", has_reuse(repo)].append(ms)
                    total, statuses = count_repolinter(out)
                    theirs_checks.add(total)
                    for status, n in statuses.items():
                        theirs_status[status] = theirs_status.get(status, 0) + n
    samples = max(1, len(theirs_ms))
    return {
        "ours": ours_ms,
        "theirs": theirs_ms,
        "split": split,
        "ours_checks": sorted(ours_checks),
        "theirs_checks": sorted(theirs_checks),
        "theirs_status": {k: v / samples for k, v in sorted(theirs_status.items())},
    }


def many_targets(repos: list[Path], runs: int, env: dict) -> list[float]:
    """Repositories per second of one process given every repository."""
    rates = []
    for _ in range(runs):
        ms, out = timed(ours_command(repos), installed(env))
        assert len(json.loads(out)) == len(repos)
        rates.append(len(repos) / (ms / 1000))
    return rates


def in_process(repos: list[Path], runs: int) -> list[float]:
    """Repositories per second of the package called in this process (what a background task does)."""
    from os2hub.scanner.cli import scan
    from os2hub.scanner.targets import parse_target

    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for repo in repos:
            json.dumps(scan(parse_target(str(repo))), ensure_ascii=False)
        rates.append(len(repos) / (time.perf_counter() - start))
    return rates


def findings_of(repos: list[Path]) -> dict[str, list[dict]]:
    """Each repository's findings (by its folder name, without the scan's duration), to compare two versions of
    the scanner on the same repositories."""
    from os2hub.scanner.cli import scan
    from os2hub.scanner.targets import parse_target

    found = {}
    for repo in repos:
        result = scan(parse_target(str(repo)))
        found[repo.name] = {"commit": result["commit"], "findings": result["findings"]}
    return json.loads(json.dumps(found, ensure_ascii=False))  # as a saved file reads back (tuples as lists)


def compare_findings(found: dict, saved: dict) -> list[str]:
    """The differences, one line per repository and check ("" when identical)."""
    differences = []
    for name in sorted(set(found) | set(saved)):
        ours, theirs = found.get(name), saved.get(name)
        if ours is None or theirs is None:
            differences.append(f"{name}: only in {'the saved file' if ours is None else 'this run'}")
            continue
        if ours["commit"] != theirs["commit"]:
            differences.append(f"{name}: commit {theirs['commit']} -> {ours['commit']}")
        by_check = {f["check"]: f for f in ours["findings"]}
        saved_by_check = {f["check"]: f for f in theirs["findings"]}
        for check_id in sorted(set(by_check) | set(saved_by_check)):
            if by_check.get(check_id) != saved_by_check.get(check_id):
                differences.append(f"{name}: {check_id}")
    return differences


class StepTimer:
    """Times every git subprocess (whoever starts it: Repository or a library), the Repository's own git entry
    point (its lowest-level method that exists: `_run_git`, else `git`) and the reading of file texts
    (`files.read_text`, which Repository.text caches), attributing each to the step running at the moment. Git
    output cached by the Repository costs nothing the second time."""

    def __init__(self):
        self.step = "construction"
        self.git_ms: dict[str, float] = {}  # inside git subprocesses
        self.git_calls: dict[str, int] = {}
        self.repository_ms: dict[str, float] = {}  # inside Repository's git method
        self.read_ms: dict[str, float] = {}  # inside files.read_text
        self.read_calls: dict[str, int] = {}
        self.method = ""
        self.background_ms = 0.0  # inside git subprocesses started ahead, in their threads (overlapping the checks)
        self.background_calls = 0

    def __enter__(self):
        from os2hub.scanner import files
        from os2hub.scanner.repository import Repository

        self._files, self._original_read = files, files.read_text
        original_read = files.read_text

        def read_text(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original_read(*args, **kwargs)
            finally:
                self._add(self.read_ms, (time.perf_counter() - start) * 1000)
                self.read_calls[self.step] = self.read_calls.get(self.step, 0) + 1

        files.read_text = read_text

        self.method = "_run_git" if hasattr(Repository, "_run_git") else "git"
        self._cls, self._original_method, self._original_run = Repository, getattr(Repository, self.method), None
        original_method, original_run, timer = self._original_method, subprocess.run, self

        def method(repo_self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original_method(repo_self, *args, **kwargs)
            finally:
                if threading.current_thread() is threading.main_thread():
                    timer._add(timer.repository_ms, (time.perf_counter() - start) * 1000)

        def run(*args, **kwargs):
            command = args[0] if args else kwargs.get("args")
            is_git = isinstance(command, list | tuple) and bool(command) and Path(str(command[0])).name == "git"
            start = time.perf_counter()
            try:
                return original_run(*args, **kwargs)
            finally:
                if is_git and threading.current_thread() is not threading.main_thread():
                    timer.background_ms += (time.perf_counter() - start) * 1000
                    timer.background_calls += 1
                elif is_git:
                    timer._add(timer.git_ms, (time.perf_counter() - start) * 1000)
                    timer.git_calls[timer.step] = timer.git_calls.get(timer.step, 0) + 1

        self._original_run = original_run
        setattr(Repository, self.method, method)
        subprocess.run = run
        # The wait of a check for a git command started ahead counts as that check's git time.
        self._original_collect = getattr(Repository, "_collect", None)
        if self._original_collect is not None:
            original_collect = self._original_collect

            def collect(repo_self, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return original_collect(repo_self, *args, **kwargs)
                finally:
                    timer._add(timer.git_ms, (time.perf_counter() - start) * 1000)

            Repository._collect = collect
        return self

    def __exit__(self, *exc):
        setattr(self._cls, self.method, self._original_method)
        if self._original_collect is not None:
            self._cls._collect = self._original_collect
        subprocess.run = self._original_run
        self._files.read_text = self._original_read

    def _add(self, bucket, ms):
        bucket[self.step] = bucket.get(self.step, 0.0) + ms


def per_check(repos: list[Path]) -> tuple[dict[str, float], StepTimer]:
    """Total ms per step over all repositories: building the Repository (file listing, documentation list),
    each check in the order the scanner runs them, and the commit id. Texts read by one check are cached in the
    Repository for the following ones, so a check's cost depends on what ran before it, as in a real scan."""
    from os2hub.scanner import checks
    from os2hub.scanner.checks import CHECKS
    from os2hub.scanner.repository import Repository

    start_git = getattr(checks, "start_git", None)  # the git commands a scan starts ahead (run_checks does)
    totals: dict[str, float] = {}
    with StepTimer() as timer:
        for path in repos:
            timer.step = "construction"
            start = time.perf_counter()
            repo = Repository(path)
            if start_git is not None:
                start_git(repo, list(CHECKS))
            for name in ("entries", "paths", "lower_paths", "docs"):  # the file listing and what is derived from it
                getattr(repo, name, None)
            totals["construction"] = totals.get("construction", 0.0) + (time.perf_counter() - start) * 1000
            for check_id, (_criteria, function) in CHECKS.items():
                timer.step = check_id
                start = time.perf_counter()
                function(repo)
                totals[check_id] = totals.get(check_id, 0.0) + (time.perf_counter() - start) * 1000
            timer.step = "commit"
            start = time.perf_counter()
            _ = repo.commit
            if hasattr(repo, "close"):
                repo.close()
            totals["commit"] = totals.get("commit", 0.0) + (time.perf_counter() - start) * 1000
    return totals, timer


# --- Report -------------------------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def scanner_fingerprint() -> str:
    """A hash of the scanner's source, to tell when it changed while the benchmark ran."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "os2hub" / "scanner").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def project_version() -> str:
    """The project's commit, and whether the scanner has uncommitted changes (read-only git)."""
    env = git_env(Path(tempfile.gettempdir()))
    run = {"cwd": ROOT, "env": env, "capture_output": True, "check": False}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **run).stdout.decode().strip()  # noqa: S603, S607
    status = subprocess.run(["git", "status", "--porcelain", "--", "os2hub/scanner"], **run).stdout.strip()  # noqa: S603, S607
    if not commit:
        return "outside git"
    return f"commit {commit}" + (" with uncommitted changes to os2hub/scanner/" if status else "")


def counted(values: list[int]) -> str:
    return f"{min(values):,}" if min(values) == max(values) else f"{min(values):,}-{max(values):,}"


def report(
    args, repos, files_per_repo, version, ruleset, measured, rates, in_rates, totals, timer, code, compared=None
) -> str:
    ours, theirs, n = measured["ours"], measured["theirs"], len(repos)
    today = datetime.now(UTC).date().isoformat()
    heading = f"repolinter {version} (default ruleset)" if theirs else "repolinter (unavailable)"
    command = f".venv/bin/python benchmarks/scanner.py --repos {args.repos} --files {args.files} --runs {args.runs}"
    if args.seed != 5:
        command += f" --seed {args.seed}"
    lines = [
        f"## Scanner (issues 5 and 17) — {today}",
        "",
        f"`{command}` on the project's standard machine (2 cores). {n} synthetic OS2-like git repositories of "
        f"{counted(files_per_repo)} files each (Python, Java, JavaScript, TypeScript, HTML, CSS; README with "
        "«Formål», Danish docs/ with .docx/.odt, LICENSE MPL-2.0, Dockerfile, CI, tests; SPDX headers in 70% of the "
        f"source files, a REUSE set-up in {sum(map(has_reuse, repos))} of them) and "
        f"{COMMITS + 1} commits by a few organisations; local checkouts, warm file cache. Whole process = wall clock "
        "of the command from start to exit, JSON output, one repository per call, the scanner with its bytecode "
        "cache as after an install, the two tools interleaved "
        f"(which goes first alternates), {args.runs} runs × {n} repositories = {len(ours)} calls each. "
        f"Scanner at {code}.",
        "",
        f"| Measure | `python -m os2hub.scanner` | {heading} |",
        "|---|---:|---:|",
    ]
    theirs_p50 = fmt(statistics.median(theirs), 0) if theirs else "—"
    theirs_p95 = fmt(percentile(theirs, 0.95), 0) if theirs else "—"
    lines.append(f"| whole process, one repository, median ms | {fmt(statistics.median(ours), 0)} | {theirs_p50} |")
    lines.append(f"| whole process, one repository, p95 ms | {fmt(percentile(ours, 0.95), 0)} | {theirs_p95} |")
    split = measured["split"]
    if split["ours", True] and split["ours", False]:
        for label, reuse in (("without", False), ("with", True)):
            mine, other = split["ours", reuse], split["theirs", reuse]
            other_p50 = fmt(statistics.median(other), 0) if other else "—"
            lines.append(
                f"| … median ms, repositories {label} a REUSE set-up ({len(mine) // args.runs}) | "
                f"{fmt(statistics.median(mine), 0)} | {other_p50} |"
            )
    ours_checks = f"{counted(measured['ours_checks'])} findings, each tied to criteria"
    theirs_checks = "—"
    if theirs:
        statuses = measured["theirs_status"]
        ran = sum(v for k, v in statuses.items() if k != "ignored")
        detail = ", ".join(f"{v:.3g} {k}" for k, v in statuses.items())
        theirs_checks = f"{counted(measured['theirs_checks'])} rule results, {ran:.3g} of them run ({detail})"
    lines.append(f"| checks per repository | {ours_checks} | {theirs_checks} |")
    lines.append(
        f"| one process, all {n} repositories, repos/s (median of {len(rates)}) | {fmt(statistics.median(rates))} | — |"
    )
    lines.append(
        f"| in-process (`scan()` in a loop), repos/s (median of {len(in_rates)}) | {fmt(statistics.median(in_rates))} "
        "| — |"
    )
    lines.append("")
    batch, in_batch = statistics.median(rates), statistics.median(in_rates)
    if theirs:
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratio_p95 = percentile(ours, 0.95) / percentile(theirs, 0.95)
        lines.append(
            f"Whole process: the scanner takes {ratio:.2f}× repolinter's time at the median and {ratio_p95:.2f}× at "
            f"p95 (issue 17's target: ≤ 1/3 = 0.33, {'met' if ratio <= 1 / 3 else 'not met'})."
        )
    else:
        lines.append(f"repolinter was {version}; only the scanner was measured.")
    lines.append(
        f"Many targets in one process: {fmt(batch)} repositories/s from the command line and {fmt(in_batch)} "
        f"in-process (issue 17's target: ≥ 25, {'met' if min(batch, in_batch) >= 25 else 'not met'}; "
        f"{min(batch, in_batch) / 25:.0%} of it)."
    )
    if compared is not None:
        path, differences = compared
        lines.append(
            f"Findings compared with `{path}` (excluding durations): "
            + ("identical." if not differences else f"{len(differences)} differences ({'; '.join(differences[:8])}).")
        )
    if args.note:
        lines += ["", args.note]
    if ruleset:
        rules = ruleset.get("rules", {})
        conditional = sum(1 for r in rules.values() if r.get("where"))
        off = sum(1 for r in rules.values() if r.get("level") == "off")
        lines += [
            "",
            f"repolinter's default ruleset has {len(rules)} rules: {off} are `off` and {conditional} run only when an "
            "axiom matches (the language by `github-linguist`, the licence by `licensee`; without these Ruby gems, "
            "as here and in a plain `npm install`, those rules are reported as ignored). None of them reads Danish "
            "names, headings or office documents or git history.",
        ]

    grand = sum(totals.values())
    git_total = sum(timer.git_ms.values())
    read_total = sum(timer.read_ms.values())
    lines += [
        "",
        f"Per step, in-process, one pass over the {n} repositories: the Repository is built once per repository "
        "(construction = git ls-files, lstat of every file and the derived path lists), then every check in the "
        "scanner's order. Texts are read once and cached in the Repository, so a file's reading is charged to the "
        "first check that reads it. Git = inside git subprocesses; reading = inside `files.read_text`.",
        "",
        "| Step | total ms | mean ms / repo | git ms / repo | git calls / repo | reading ms / repo | files read / repo "
        "| share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step, total in sorted(totals.items(), key=lambda item: -item[1]):
        if total < 0.05 and not timer.git_calls.get(step):
            continue  # nothing left to do (the commit id, say, was already read by an earlier check)
        lines.append(
            f"| `{step}` | {fmt(total)} | {fmt(total / n, 2)} | {fmt(timer.git_ms.get(step, 0.0) / n, 2)} | "
            f"{timer.git_calls.get(step, 0) / n:g} | {fmt(timer.read_ms.get(step, 0.0) / n, 2)} | "
            f"{timer.read_calls.get(step, 0) / n:,.0f} | {total / grand:.1%} |"
        )
    lines += [
        f"| **all** | {fmt(grand)} | {fmt(grand / n, 2)} | {fmt(git_total / n, 2)} | "
        f"{sum(timer.git_calls.values()) / n:g} | {fmt(read_total / n, 2)} | "
        f"{sum(timer.read_calls.values()) / n:,.0f} | 100% |",
        "",
        f"Share of time in git (calls and waits of the checks): **{git_total / grand:.1%}** ({fmt(git_total, 0)} of "
        f"{fmt(grand, 0)} ms; through `Repository.{timer.method}` in the scan's own thread: "
        f"{fmt(sum(timer.repository_ms.values()), 0)} ms). Reading file texts: {read_total / grand:.1%}.",
    ]
    if timer.background_calls:
        lines.append(
            f"Git commands started ahead in the background: {timer.background_calls / n:g} per repository, "
            f"{fmt(timer.background_ms / n, 2)} ms per repository inside them, overlapping the checks (the waits for "
            "them are in the table)."
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=20, help="synthetic repositories (default %(default)s)")
    parser.add_argument("--files", type=int, default=2000, help="files per repository (default %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs over every repository (default %(default)s)")
    parser.add_argument("--seed", type=int, default=5, help="seed of the synthetic repositories")
    parser.add_argument("--write", action="store_true", help="append the section to benchmarks/results.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--save-findings", metavar="FILE", help="write the findings of every repository to FILE")
    parser.add_argument(
        "--compare", metavar="FILE", help="check that the findings are identical to FILE (from --save-findings)"
    )
    parser.add_argument("--note", default="", help="a sentence added to the section (what else ran, say)")
    args = parser.parse_args()
    if shutil.which("git") is None:
        parser.error("git is needed")
    if args.repos < 1 or args.runs < 1 or args.files < 100:
        parser.error("--repos and --runs must be at least 1, --files at least 100")

    base = Path(tempfile.mkdtemp(prefix="os2hub-bench-scanner-"))
    try:
        code, fingerprint = project_version(), scanner_fingerprint()
        start = time.perf_counter()
        repos = build_repositories(base, args.repos, args.files, args.seed)
        env = git_env(base / "home")
        files_per_repo = [len(tracked_files(repo, env)) for repo in repos]
        print(f"built {len(repos)} repositories in {time.perf_counter() - start:.1f} s under {base}", file=sys.stderr)
        repolinter, version = install_repolinter()
        if repolinter:
            try:  # a first call, also a warm-up: repolinter that installs but does not run counts as unavailable
                timed(repolinter_command(repolinter, repos[0]), env, accept=(0, 1))
            except SystemExit as exc:
                repolinter, version = None, f"unavailable: it did not run ({str(exc.code).splitlines()[-1][:200]})"
        print(f"repolinter: {repolinter or '-'} {version}", file=sys.stderr)
        measured = whole_process(repos, args.runs, repolinter, env)
        print("whole-process runs done", file=sys.stderr)
        rates = many_targets(repos, args.runs, env)
        in_rates = in_process(repos, args.runs)
        totals, timer = per_check(repos)
        compared = None
        if args.save_findings or args.compare:
            found = findings_of(repos)
            if args.save_findings:
                Path(args.save_findings).write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
            if args.compare:
                compared = (args.compare, compare_findings(found, json.loads(Path(args.compare).read_text("utf-8"))))
                print(f"findings: {len(compared[1])} differences from {args.compare}", file=sys.stderr)
                for line in compared[1]:
                    print(f"  {line}", file=sys.stderr)
        ruleset = repolinter_ruleset() if repolinter else {}
        if scanner_fingerprint() != fingerprint:
            code += " (**the scanner's source changed while the benchmark ran: these numbers mix versions**)"
            print("warning: os2hub/scanner/ changed during the run; run again", file=sys.stderr)
        section = report(
            args, repos, files_per_repo, version, ruleset, measured, rates, in_rates, totals, timer, code, compared
        )
    finally:
        if args.keep:
            print(f"kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(section)
    if args.write:
        results = ROOT / "benchmarks" / "results.md"
        with results.open("a", encoding="utf-8") as handle:
            handle.write("\n" + section)
        print(f"appended to {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
