"""The core never reaches for Qt, no spaCy object leaves the NLP package, and imports run one way (the
import-linter contracts of pyproject.toml)."""

import ast
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_MODULES = [
    "claimdesk", "claimdesk.paths", "claimdesk.cli", "claimdesk.core.model", "claimdesk.core.importer", "claimdesk.services.review",
    "claimdesk.core.align", "claimdesk.core.ports", "claimdesk.services.pipeline", "claimdesk.services.projects",
    "claimdesk.services.report", "claimdesk.storage.safety", "claimdesk.storage.project", "claimdesk.nlp.values",
    "claimdesk.nlp.components", "claimdesk.nlp.suggest", "claimdesk.nlp.checkworthy", "claimdesk.export", "claimdesk.selftest",
]

IMPORT_ARGS = """
for m in sys.argv[1:]:
    importlib.import_module(m)
"""


def existing(modules):
    """The modules that exist (found by import name: the package's folders are not named after it)."""
    out = []
    for m in modules:
        try:
            found = importlib.util.find_spec(m) is not None
        except ModuleNotFoundError:  # a parent package that does not exist
            found = False
        if found:
            out.append(m)
    return out


def test_core_imports_with_qt_blocked(qt_blocker):
    modules = existing(CORE_MODULES)
    assert "claimdesk.storage.project" in modules and "claimdesk.nlp.suggest" in modules
    proc = subprocess.run([sys.executable, "-c", qt_blocker + IMPORT_ARGS, *modules], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_core_runs_a_whole_analysis_with_qt_blocked(tmp_path, qt_blocker):
    code = qt_blocker + """
from claimdesk.cli import main
raise SystemExit(main(["analyze", "--json", *sys.argv[-2:]]))
"""
    samples = sorted((ROOT / "resources" / "samples" / "mistral-2024").glob("*.txt"))
    proc = subprocess.run([sys.executable, "-c", code, *[str(s) for s in samples]],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '"links"' in proc.stdout


def test_the_blocker_really_blocks(qt_blocker):
    proc = subprocess.run([sys.executable, "-c", qt_blocker + IMPORT_ARGS, "PySide6.QtCore"],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "not allowed" in proc.stderr


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "app").rglob("*.py") if "gui" not in p.parts))
def test_no_qt_import_statement_outside_gui(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            if name.startswith("PySide6"):
                # Only lazy, function-level imports are tolerated (PDF export, GUI benchmarks).
                assert path.name in ("pdf.py", "bench_gui.py"), f"{path} imports {name}"


def test_no_spacy_outside_nlp():
    for path in (ROOT / "app").rglob("*.py"):
        if "nlp" in path.parts or "bench" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "import spacy" not in text and "from spacy" not in text, path


# -- the layers (import-linter contracts in pyproject.toml) ------------------------------------------

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package ``claimdesk`` found in ``where``, with the contracts of its pyproject.toml."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True)


def test_the_import_contracts_hold():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout
    # every contract in pyproject.toml was checked
    assert proc.stdout.count(" KEPT") == 4


@pytest.mark.parametrize("module, back_arrow, broken", [
    ("app/core/model.py", "from claimdesk.storage import project as _back", "claimdesk.core.model -> claimdesk.storage.project"),
    ("app/core/priority.py", "import claimdesk.services.review as _back", "claimdesk.core.priority -> claimdesk.services.review"),
    # the core is the bottom: even where the shipped files are is its caller's business
    ("app/core/facts.py", "from claimdesk.paths import resource as _back", "claimdesk.core.facts -> claimdesk.paths"),
    ("app/storage/project.py", "from claimdesk.services import pipeline as _back", "claimdesk.storage.project -> claimdesk.services"),
    ("app/services/review.py", "from claimdesk.storage.project import Project as _back",
     "claimdesk.services.review -> claimdesk.storage.project"),
    ("app/gui/style.py", "import sqlite3 as _back", "claimdesk.gui.style -> sqlite3"),
    ("app/export/csvout.py", "from claimdesk.gui import state as _back", "claimdesk.export.csvout -> claimdesk.gui.state"),
])
def test_an_arrow_that_runs_back_fails(tmp_path, module, back_arrow, broken):
    """The contracts catch a forbidden import: the same check on a copy of the package with one added."""
    # the source folder app/ is the import package claimdesk: the copy is named as it is imported
    shutil.copytree(ROOT / "app", tmp_path / "claimdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "claimdesk" / module.removeprefix("app/")
    target.write_text(target.read_text(encoding="utf-8") + f"\n{back_arrow}  # noqa\n", encoding="utf-8")
    proc = lint_imports(tmp_path)
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert broken in proc.stdout.replace("\n", " "), proc.stdout[-4000:]


def test_every_module_of_the_app_is_in_a_layer():
    """A new top-level module or package must be placed in the layers, or the contract says nothing of it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    present = {f"claimdesk.{p.stem}" for p in (ROOT / "app").glob("*.py") if p.stem != "__init__"}
    present |= {f"claimdesk.{p.parent.name}" for p in (ROOT / "app").glob("*/__init__.py")}
    assert present <= placed, sorted(present - placed)


def test_the_storage_implements_the_repository_interface():
    """Every method the services may call (claimdesk.core.ports.Repository) exists on the project file, with the
    same parameters."""
    import inspect

    from claimdesk.core.ports import Repository
    from claimdesk.storage.project import Project

    wanted = [n for n, v in vars(Repository).items() if callable(v) and not n.startswith("_")]
    assert len(wanted) > 30
    for name in wanted:
        have = getattr(Project, name, None)
        assert have is not None, f"Project has no {name}"
        assert list(inspect.signature(have).parameters) == list(inspect.signature(getattr(Repository, name)).parameters), name
