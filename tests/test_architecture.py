"""The core never reaches for Qt, and no spaCy object leaves the NLP package."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_MODULES = [
    "app", "app.paths", "app.cli", "app.core.model", "app.core.importer", "app.services.review",
    "app.core.align", "app.services.pipeline", "app.storage.project", "app.nlp.values",
    "app.nlp.components", "app.nlp.suggest", "app.nlp.checkworthy", "app.export", "app.selftest",
]

IMPORT_ARGS = """
for m in sys.argv[1:]:
    importlib.import_module(m)
"""


def existing(modules):
    out = []
    for m in modules:
        parts = m.split(".")
        path = ROOT.joinpath(*parts)
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            out.append(m)
    return out


def test_core_imports_with_qt_blocked(qt_blocker):
    modules = existing(CORE_MODULES)
    assert "app.storage.project" in modules and "app.nlp.suggest" in modules
    proc = subprocess.run([sys.executable, "-c", qt_blocker + IMPORT_ARGS, *modules], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_core_runs_a_whole_analysis_with_qt_blocked(tmp_path, qt_blocker):
    code = qt_blocker + """
from app.cli import main
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
