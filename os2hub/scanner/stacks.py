"""Automated tests in the stacks OS2's solutions are written in, recognised from the file list as a careful
reviewer would: test files by the conventions of their language and test runner (pytest and Django, JUnit under
src/test/, .NET test projects, PHPUnit, Jest/Vitest/Playwright/Cypress, Go, RSpec), and the set-up of a test
runner. A folder called `test` that holds only fixtures, data or a placeholder is no test, nor are `testdata/`,
`latest/`, `contest/` or `test.txt`.

Speed: one pass of the regular-expression engine over the joined paths finds the candidates (paths with "test",
"spec", ... in them, a small share of a repository); only they are sorted out here, and only small configuration
files (tox.ini, pyproject.toml, setup.cfg, project files of .NET) are read."""

import re
from dataclasses import dataclass, field

# Every path that might be a test or a test set-up. Deliberately wide: the sorting below decides.
CANDIDATES = re.compile(
    r"test|spec|e2e|cypress|jest|karma|playwright|protractor|wdio|nightwatch|phpunit|\.rspec$|\.mocharc|"
    r"(^|/)(tox\.ini|pyproject\.toml|setup\.cfg)$|\.(cs|fs|vb)proj$"
)

# The stack each kind of source file belongs to (the names are those of details["stacks"]).
CODE = {
    ".py": "python",
    ".java": "java", ".groovy": "java", ".scala": "java",
    ".kt": "kotlin", ".kts": "kotlin",
    ".cs": "dotnet", ".fs": "dotnet", ".vb": "dotnet",
    ".php": "php",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "javascript", ".tsx": "javascript", ".vue": "javascript",
    ".go": "go",
    ".rb": "ruby",
    ".rs": "rust",
}  # fmt: skip
# How the stacks are named in a message (product names, the same in every language).
STACK_NAMES = {
    "python": "Python", "java": "Java", "kotlin": "Kotlin", "dotnet": ".NET", "php": "PHP",
    "javascript": "JavaScript/TypeScript", "go": "Go", "ruby": "Ruby", "rust": "Rust",
}  # fmt: skip

# Folders whose code files are tests (per stack where a name is used for other things too: `spec/` also holds
# API specifications, `e2e/` counts only with an end-to-end runner configured, `cypress/` only in its test
# folders).
TEST_FOLDERS = {"test", "tests", "__tests__", "unittests", "unit-tests", "unit_tests", "integration-tests",
                "integration_tests", "integrationtests"}  # fmt: skip
SPEC_FOLDERS = {"spec", "specs"}
ANY_TEST_FOLDER = frozenset(TEST_FOLDERS | SPEC_FOLDERS)
# Nothing under these is the project's own test: code of others kept in the repository, and data of tests.
OTHERS_CODE = frozenset({"node_modules", "bower_components", "vendor", "site-packages", "third_party", "thirdparty",
                         ".venv", "venv"})  # fmt: skip
NOT_TESTS = OTHERS_CODE | {"testdata", "test-data", "test_data", "testfiles", "test-files", "fixtures", "fixture",
                           "__fixtures__", "__snapshots__", "__mocks__"}  # fmt: skip
# ... and inside a test folder, these hold the tests' data, not tests.
TEST_DATA = {"data", "resources", "assets", "samples", "sample", "files", "static", "media", "mocks", "stubs",
             "snapshots", "golden", "expected", "input", "inputs", "output"}  # fmt: skip
PLACEHOLDERS = {"__init__.py"}

# A test file by its name (lower case) or, for the languages whose convention is CamelCase, by its case.
PYTHON_TEST = re.compile(r"^(test_.*|.*_tests?|tests)\.py$")
JS_TEST = re.compile(r"[._-](test|spec)s?\.(m|c)?[jt]sx?$|[._-](test|spec)\.vue$")
JVM_TEST = re.compile(r"^(Test[A-Z0-9_]\w*|\w*[a-z0-9_](Tests?|IT|Spec))\.(java|kt|groovy|scala)$")
DOTNET_TEST = re.compile(r"^\w*[a-z0-9_]Tests?\.(cs|fs|vb)$")
PHP_TEST = re.compile(r"^\w+Test\.php$")
# A .NET project or folder named for tests: Kitos.Tests, MyApp.UnitTests, Tests.Integration.Web, MyAppTests.
DOTNET_TEST_PARTS = {"test", "tests", "unittest", "unittests", "integrationtest", "integrationtests", "specs",
                     "e2etests", "uitests", "acceptancetests", "functionaltests"}  # fmt: skip
DOTNET_CAMEL_TEST = re.compile(r"[a-z0-9](Unit|Integration|Acceptance|Functional|UI|E2E|Api)?Tests?$")

# Configuration of a test runner, by file name (lower case).
JS_RUNNER = re.compile(
    r"^((jest|vitest|playwright|cypress|karma|protractor|wdio|nightwatch)([.-][^/]*)?\.(c|m)?(js|ts|json)|"
    r"\.mocharc(\.[a-z]+)?)$"
)
RUNNER_FILES = {
    "pytest.ini": "python",
    "conftest.py": "python",
    "phpunit.xml": "php",
    "phpunit.xml.dist": "php",
    ".rspec": "ruby",
}
# Configuration files that set up a test runner only when their text says so (read, they are small).
PYTHON_RUNNER_TEXT = {
    "tox.ini": re.compile(r"^\s*\[pytest\]|\b(pytest|py\.test|unittest|nose2?|stestr)\b|manage\.py\s+test", re.M),
    "pyproject.toml": re.compile(r"^\s*\[tool\.pytest", re.M),
    "setup.cfg": re.compile(r"^\s*\[tool:pytest\]", re.M),
}
DOTNET_RUNNER_TEXT = re.compile(r"xunit|nunit|mstest|microsoft\.net\.test\.sdk", re.IGNORECASE)
MAX_CONFIG_READS = 40


@dataclass
class FoundTests:
    """What `find_tests` found: test files and set-up files, each with its stack, in the order of the file list;
    `placeholders`: test folders that hold no test code (fixtures, data, a placeholder), for the message."""

    files: list[tuple[str, str]] = field(default_factory=list)
    set_up: list[tuple[str, str]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    @property
    def stacks(self) -> list[str]:
        return sorted({stack for _path, stack in self.files + self.set_up})

    def examples(self, limit: int) -> list[str]:
        """One test file per folder of tests (the test folder, or the folder of a test named as one), so the
        evidence shows where the tests are rather than ten files of one folder; then the set-up files."""
        seen, examples = set(), []
        for path, _stack in self.files:
            group = _test_root(path)
            if group not in seen:
                seen.add(group)
                examples.append(path)
        examples += [path for path, _stack in self.set_up]
        return examples[:limit]


def _test_root(path: str) -> str:
    parts = path.lower().split("/")
    for i, part in enumerate(parts[:-1]):
        if part in TEST_FOLDERS or part in SPEC_FOLDERS or part == "e2e" or part == "cypress":
            return "/".join(parts[: i + 1])
    return "/".join(parts[:-1])


def _dotnet_test_folder(original_parts: list[str]) -> bool:
    for folder in original_parts:
        for part in folder.split("."):
            if part.lower() in DOTNET_TEST_PARTS or DOTNET_CAMEL_TEST.search(part):
                return True
    return False


def _classify(lower: str, original: str, js_runner: bool, phpunit: bool) -> str | None:
    """The stack of a test file, or None when the path is no test."""
    parts = lower.split("/")
    folders, name = parts[:-1], parts[-1]
    dot = name.rfind(".")
    stack = CODE.get(name[dot:]) if dot > 0 else None
    if stack is None or name in PLACEHOLDERS or not NOT_TESTS.isdisjoint(folders):
        return None
    original_name = original.rsplit("/", 1)[-1]
    # Where the first test folder is, if any; what is below it in a folder of data is no test.
    first = None
    if not ANY_TEST_FOLDER.isdisjoint(folders):
        first = next(i for i, part in enumerate(folders) if part in ANY_TEST_FOLDER)
        if not TEST_DATA.isdisjoint(folders[first + 1 :]):
            return None
    by_name = (
        (stack == "python" and PYTHON_TEST.match(name))
        or (stack == "javascript" and JS_TEST.search(name))
        or (stack == "go" and name.endswith("_test.go"))
        or (stack == "ruby" and name.endswith(("_spec.rb", "_test.rb")))
        or (stack in ("java", "kotlin") and JVM_TEST.match(original_name))
        or (stack == "dotnet" and DOTNET_TEST.match(original_name))
    )
    if by_name:
        return stack
    if stack == "dotnet":
        return stack if _dotnet_test_folder(original.split("/")[:-1]) else None
    if first is not None:
        if folders[first] in SPEC_FOLDERS:
            return stack if stack in ("ruby", "javascript") else None
        if stack == "php":
            return stack if phpunit or PHP_TEST.match(original_name) else None
        return stack
    if stack == "javascript" and js_runner:
        if "e2e" in folders:
            return stack
        if "cypress" in folders:
            below = folders[folders.index("cypress") + 1 :]
            return stack if below and below[0] in ("e2e", "integration", "component") else None
    return None


def find_tests(repo) -> FoundTests:
    found = FoundTests()
    # Code of others kept in the repository (node_modules/, vendor/) is neither a test nor a runner's set-up.
    candidates = [(path.lower(), path) for path in repo.find(CANDIDATES)]
    candidates = [(lower, path) for lower, path in candidates if OTHERS_CODE.isdisjoint(lower.split("/")[:-1])]
    names = [lower.rsplit("/", 1)[-1] for lower, _path in candidates]
    js_runner = any(JS_RUNNER.match(name) for name in names)
    phpunit = any(name in ("phpunit.xml", "phpunit.xml.dist") for name in names)
    reads = 0

    def says(path, pattern) -> bool:
        """Whether a small configuration file's text matches (read for the first MAX_CONFIG_READS only)."""
        nonlocal reads
        reads += 1
        return reads <= MAX_CONFIG_READS and bool(pattern.search(repo.text(path) or ""))

    for (lower, path), name in zip(candidates, names, strict=True):
        if name in RUNNER_FILES:
            found.set_up.append((path, RUNNER_FILES[name]))
        elif JS_RUNNER.match(name):
            found.set_up.append((path, "javascript"))
        elif name.endswith(("csproj", "fsproj", "vbproj")):
            # A test project: named for tests, or referring to a test framework.
            stem_and_folders = [path.rsplit("/", 1)[-1].rsplit(".", 1)[0], *path.split("/")[:-1]]
            if _dotnet_test_folder(stem_and_folders) or says(path, DOTNET_RUNNER_TEXT):
                found.files.append((path, "dotnet"))
        elif name in PYTHON_RUNNER_TEXT:
            if says(path, PYTHON_RUNNER_TEXT[name]):
                found.set_up.append((path, "python"))
        elif (stack := _classify(lower, path, js_runner, phpunit)) is not None:
            found.files.append((path, stack))
    if not found.files and not found.set_up:
        found.placeholders = sorted({root for _lower, path in candidates if (root := _placeholder_root(path))})
    return found


def _placeholder_root(path: str) -> str | None:
    """The test folder a path lies in (test/, tests/, src/test/), when it is one: for the message of a
    repository whose test folders hold no test code."""
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.lower() in TEST_FOLDERS:
            return "/".join(parts[: i + 1]) + "/"
    return None
