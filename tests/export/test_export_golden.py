"""Every format of the reviewed sample project, byte for byte against tests/export/golden/.

The project is built by hand (export_fixture.py) on a fixed clock and exported
with a fixed ``now``, so these files change only when the export changes.
After an intended change: ``CLAIMDESK_UPDATE_GOLDEN=1 pytest tests/export`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
import unicodedata
from pathlib import Path

import pytest
from export_fixture import NOW, build

from claimdesk.export import FORMATS, export_project, render
from claimdesk.storage.project import Project

GOLDEN = Path(__file__).resolve().parent / "golden"
NAMES = {
    "md": "sample.md",
    "html": "sample.html",
    "json": "sample.json",
    "csv": "sample.csv",
    "claimreview": "sample.claimreview.jsonld",
    "annotations": "sample.annotations.jsonld",
}
UPDATE = os.environ.get("CLAIMDESK_UPDATE_GOLDEN") == "1"


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run with CLAIMDESK_UPDATE_GOLDEN=1 once"
    expected = path.read_bytes()
    if data != expected:  # show a readable diff rather than two byte strings
        assert data.decode("utf-8").splitlines() == expected.decode("utf-8").splitlines()
        assert data == expected  # line endings / final newline


def test_every_format_has_a_golden_test():
    assert set(NAMES) | {"pdf"} == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(NAMES))
def test_golden(golden, tmp_path, fmt):
    project, _ = golden
    out = export_project(project, fmt, tmp_path / NAMES[fmt], now=NOW)
    check_golden(NAMES[fmt], out.read_bytes())


def _pdf_words(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    return " ".join(text.split())


def _comparable(text: str) -> str:
    """Where lines break and whether "fi" is a ligature depend on the installed fonts: compare without both."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed")
def test_golden_pdf_text(golden, tmp_path):
    """The PDF's text in reading order (line breaks and ligatures depend on fonts, so they are not compared)."""
    project, _ = golden
    pdf = export_project(project, "pdf", tmp_path / "sheet.pdf", now=NOW)
    words = _pdf_words(pdf)
    if UPDATE:
        (GOLDEN / "sample.pdf.txt").write_text(textwrap.fill(words, 100) + "\n", encoding="utf-8")
    expected = (GOLDEN / "sample.pdf.txt").read_text(encoding="utf-8")
    assert _comparable(words) == _comparable(expected)
    plain = unicodedata.normalize("NFKC", words)
    assert "OPEN CONFLICT" in plain and "Resolved conflicts" in plain
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Fact sheet: Microsoft's 2024 deal with Mistral AI$", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)", info, re.M)


def test_pdf_is_a_pdf(golden):
    project, _ = golden
    data = render(project, "pdf", now=NOW)
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 10_000


def test_exports_are_deterministic_across_builds(tmp_path, monkeypatch):
    """Two separate builds of the project give identical files: no clock, path or random id leaks in."""
    outputs = []
    for n in (1, 2):
        path = tmp_path / f"run{n}" / "sample.claimdesk"
        path.parent.mkdir()
        build(path, monkeypatch)
        with Project(path, create=False) as project:
            outputs.append({fmt: render(project, fmt, now=NOW) for fmt in NAMES})
    assert outputs[0] == outputs[1]


def test_now_is_the_only_moving_part(golden):
    project, _ = golden
    a = render(project, "md", now=NOW)
    b = render(project, "md", now=NOW.replace(year=2025))
    assert a != b
    assert a.replace(b"2024-02-28 12:00 UTC", b"").replace(b"**Date:** 2024-02-28", b"") == \
        b.replace(b"2025-02-28 12:00 UTC", b"").replace(b"**Date:** 2025-02-28", b"")


def test_every_format_has_a_menu_name_and_a_distinct_suffix():
    """The window's save dialog offers DESCRIPTIONS and tells formats apart by SUFFIXES."""
    from claimdesk.export import DESCRIPTIONS, SUFFIXES

    assert set(SUFFIXES) == set(DESCRIPTIONS) == set(FORMATS)
    for fmt, suffix in SUFFIXES.items():
        others = [f for f, s in SUFFIXES.items() if f != fmt and f"x{suffix}".endswith(s)]
        assert others == [], f"a {fmt} file name also ends like {others}"
