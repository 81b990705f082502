"""Repository.find searches all paths in one pass; it must find exactly what a search of each path finds, for
every pattern the checks use."""

import subprocess

from os2hub.scanner.checks import run_checks
from os2hub.scanner.repository import Repository

PATHS = [
    "README.md", "Dockerfile", "docker/Dockerfile.prod", "deploy/compose.yaml", "charts/app/Chart.yaml",
    "tests/test_app.py", "src/test/java/AppTest.java", "web/app.test.ts", "pkg/thing_test.go", "test_top.py",
    "notests/x.py", "latest/readme.txt", "docs/Drift og vedligehold.md", "docs/sikkerhed.md", "SECURITY.md",
    ".github/workflows/ci.yml", ".github/ISSUE_TEMPLATE/bug.md", ".gitlab-ci.yml", "Makefile", "install.sh",
    "ansible/site.yml", "CHANGELOG.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", ".editorconfig",
    "frontend/.eslintrc.json", "pyproject.toml", "publiccode.yml", "LICENSE", "LICENSES/MPL-2.0.txt",
    "src/test_dir/not_a_test.txt", "a/b/c/d/e/f/test_deep.py", "Æble/ændringslog.md", "x/.well-known/security.txt",
    "spec/models/user_spec.rb", "src/__tests__/a.js", "mytest_/x.py", "docs/test_plan.docx",
]  # fmt: skip


def build(root, paths):
    for path in paths:
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("x\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)  # noqa: S603, S607
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)  # noqa: S603, S607


def patterns_used_by_the_checks(repo):
    seen = []
    original = Repository.find

    def recording(self, pattern):
        seen.append(pattern)
        return original(self, pattern)

    Repository.find = recording
    try:
        run_checks(repo)
    finally:
        Repository.find = original
    return seen


def one_by_one(repo, pattern):
    return [original for lower, original in repo.lower_paths if pattern.search(lower)]


def test_one_pass_finds_what_one_search_per_path_finds(tmp_path):
    build(tmp_path, PATHS)
    repo = Repository(tmp_path)
    patterns = patterns_used_by_the_checks(repo)
    assert len({p.pattern for p in patterns}) >= 10
    for pattern in patterns:
        assert repo.find(pattern) == one_by_one(repo, pattern), pattern.pattern


def test_a_name_with_a_line_break_falls_back_to_one_search_per_path(tmp_path):
    build(tmp_path, [*PATHS, "odd\nname/test_x.py"])
    repo = Repository(tmp_path)
    assert repo._joined_paths is None
    for pattern in patterns_used_by_the_checks(repo):
        assert repo.find(pattern) == one_by_one(repo, pattern)
    assert any(e.path == "odd\nname/test_x.py" for e in run_checks(repo, only={"tests"})[0].evidence)
