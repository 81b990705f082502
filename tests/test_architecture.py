"""The floors of docs/architecture.md hold: imports only point down.

- `core` imports no app of OS2hub;
- the scanner imports neither Django nor any other part of OS2hub (it is a library and a command of its own);
- a model module imports no services, views, forms, API or selectors (models are below what uses them).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "os2hub"
ABOVE_MODELS = ("services", "views", "forms", "selectors", "api", "getters")


def imports(path: Path) -> list[str]:
    """Every module a file imports, absolute (relative imports resolved against the file's package)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


def python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", python_files(PACKAGE / "core"), ids=lambda p: p.name)
def test_core_imports_no_app(path):
    upward = [m for m in imports(path) if m.startswith("os2hub.") and not m.startswith("os2hub.core")]
    assert upward == [], f"{path.name} imports {upward}"


@pytest.mark.parametrize("path", python_files(PACKAGE / "scanner"), ids=lambda p: p.name)
def test_the_scanner_imports_neither_django_nor_the_rest_of_os2hub(path):
    outside = [
        m
        for m in imports(path)
        if m.split(".")[0] == "django" or (m.startswith("os2hub.") and not m.startswith("os2hub.scanner"))
    ]
    assert outside == [], f"{path.name} imports {outside}"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*/models.py")), ids=lambda p: p.parent.name)
def test_models_import_nothing_that_uses_them(path):
    upward = [
        m for m in imports(path) if m.startswith("os2hub.") and any(part in ABOVE_MODELS for part in m.split(".")[1:])
    ]
    assert upward == [], f"{path.parent.name}/models.py imports {upward}"


def test_the_checks_see_an_upward_import(tmp_path, monkeypatch):
    # The checks read real import statements, relative ones included.
    sample = PACKAGE / "core" / "money.py"
    assert "django.utils" in " ".join(imports(sample))
    relative = tmp_path / "os2hub" / "core" / "x.py"
    relative.parent.mkdir(parents=True)
    relative.write_text("from ..products import services\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "os2hub")
    assert "os2hub.products.services" in imports(relative)


ROUTERS = {
    "community",
    "development",
    "governance",
    "needs",
    "newsletters",
    "products",
    "questions",
    "scans",
    "service",
    "suppliers",
}


@pytest.mark.parametrize("path", sorted((PACKAGE / "api").glob("*.py")), ids=lambda p: p.name)
def test_api_routers_share_only_public_helpers_and_never_import_each_other(path):
    routers = [m for m in imports(path) if m.startswith("os2hub.api.") and m.split(".")[2] in ROUTERS - {path.stem}]
    if path.stem == "__init__":  # assembles the routers
        return
    assert routers == [], f"{path.name} imports another router: {routers}"


def test_only_the_demo_command_imports_the_demo():
    importers = [
        p.relative_to(PACKAGE).as_posix()
        for p in python_files(PACKAGE)
        if "demo" not in p.relative_to(PACKAGE).parts[:1]
        and any(m == "os2hub.demo" or m.startswith("os2hub.demo.") for m in imports(p))
    ]
    assert importers == ["web/management/commands/load_demo.py"]


def test_every_api_schema_has_its_own_name():
    """Django Ninja names an OpenAPI component after its schema class: two classes of one name in two routers
    would share one component, and one of them would document the other's fields (the fuzz test then finds
    responses that break their schema)."""
    import importlib
    import inspect

    from ninja import Schema

    names: dict[str, list[str]] = {}
    for path in sorted((PACKAGE / "api").glob("*.py")):
        module = importlib.import_module(f"os2hub.api.{path.stem}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                names.setdefault(name, []).append(path.name)
    assert {name: files for name, files in names.items() if len(files) > 1} == {}
