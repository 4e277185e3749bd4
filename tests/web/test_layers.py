"""The page modules parse, authorize, call a service and render: none of them reaches the database layer
itself. The import-linter contract in pyproject.toml says so for CI; this test reads the same contract and
checks every import statement of every page module (also those inside functions or TYPE_CHECKING), and
that no page module is missing from the contract."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "Pages render what services give them: no database layer in the page modules"


def _contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == CONTRACT)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_every_page_module_is_under_the_contract() -> None:
    web = ROOT / "backend" / "web"
    pages = {f"backend.web.{p.stem}" for p in web.glob("*.py") if p.stem == "pages" or p.stem.endswith("_pages")}
    assert pages and pages <= set(_contract()["source_modules"])  # type: ignore[arg-type]


def test_no_page_module_imports_the_database_layer() -> None:
    contract = _contract()
    ignored = {tuple(rule.split(" -> ")) for rule in contract.get("ignore_imports", [])}  # type: ignore[attr-defined]
    forbidden = tuple(contract["forbidden_modules"])  # type: ignore[arg-type]
    offences = []
    for module in contract["source_modules"]:  # type: ignore[attr-defined]
        path = ROOT / Path(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        for name in sorted(_imports(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden) and (module, name) not in ignored:
                offences.append(f"{module} imports {name}")
    assert not offences, "page modules must go through backend.services: " + "; ".join(offences)


def test_the_contract_has_no_exceptions_left() -> None:
    assert not _contract().get("ignore_imports"), "every page module goes through backend.services"


def test_the_check_sees_a_database_import(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("def view():\n    from backend.db import tables\n    from sqlalchemy import select\n")
    assert {"backend.db.tables", "sqlalchemy.select"} <= _imports(page)


CORE = ("design", "floorplan", "configurator", "bom", "booking", "i18n")
UPPER = ("backend.services", "backend.web", "backend.db", "backend.settings", "backend.jobs", "backend.storage")


def test_no_core_package_imports_a_service_or_an_edge() -> None:
    """The core (design, floor plan, configurator, BOM, booking rules, and the translations every layer
    reads) is pure: it imports no service, web, database, settings, job or storage module, not even from
    inside a function."""
    offences = []
    for package in CORE:
        for path in sorted((ROOT / "backend" / package).rglob("*.py")):
            for name in sorted(_imports(path)):
                if any(name == u or name.startswith(u + ".") for u in UPPER):
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offences, "; ".join(offences)


def test_import_linter_contracts_hold() -> None:
    """The same layers as import-linter sees them, indirect imports included (core ← services ← web)."""
    import shutil
    import subprocess
    import sys

    tool = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert tool, "import-linter is a dev dependency"
    run = subprocess.run([tool, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
