"""claimdesk export: one file on success; one clear line, a non-zero status and no file on failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.cli import main

CLAIMDESK = Path(sys.executable).with_name("claimdesk")


def _run(*args: str, no_display: bool = False) -> subprocess.CompletedProcess:
    exe = [str(CLAIMDESK)] if CLAIMDESK.exists() else [sys.executable, "-m", "claimdesk"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if no_display:  # as on a server: no Qt platform chosen, no X or Wayland display
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    return subprocess.run([*exe, *args], capture_output=True, text=True, env=env, timeout=120)


def test_export_html_through_the_command(golden_file, tmp_path):
    src, _ = golden_file
    db = tmp_path / "p.claimdesk"
    shutil.copyfile(src, db)
    out = tmp_path / "out.html"
    proc = _run("export", "--db", str(db), "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {out}" and proc.stderr == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "OPEN CONFLICT" in html
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == ["out.html"]


def test_export_pdf_through_the_command(golden_file, tmp_path):
    """Without a window the PDF writer starts Qt on its offscreen platform by itself."""
    src, _ = golden_file
    db = tmp_path / "p.claimdesk"
    shutil.copyfile(src, db)
    proc = _run("export", "--db", str(db), "--format", "pdf", "-o", str(tmp_path / "s.pdf"), "-q", no_display=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "claimreview", "annotations"])
def test_every_format_through_main(golden_file, tmp_path, capsys, fmt):
    src, _ = golden_file
    out = tmp_path / f"sheet.{fmt}"
    assert main(["export", "--db", str(src), "--format", fmt, "-o", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert capsys.readouterr().out == f"wrote {out}\n"


def _one_line_error(proc_or_err: str) -> str:
    lines = proc_or_err.strip().splitlines()
    assert len(lines) == 1, proc_or_err
    assert "Traceback" not in proc_or_err
    return lines[0]


def test_unknown_format(golden_file, tmp_path):
    src, _ = golden_file
    proc = _run("export", "--db", str(src), "--format", "docx", "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 2
    line = _one_line_error(proc.stderr)
    assert line == "claimdesk: unknown format docx (one of: md, html, pdf, json, csv, claimreview, annotations)"
    assert not (tmp_path / "out.docx").exists()


def test_missing_output_folder(golden_file, tmp_path, capsys):
    src, _ = golden_file
    out = tmp_path / "nowhere" / "out.html"
    assert main(["export", "--db", str(src), "--format", "html", "-o", str(out)]) == 1
    line = _one_line_error(capsys.readouterr().err)
    assert line == f"claimdesk: cannot write {out}: the folder {out.parent} does not exist"
    assert not out.parent.exists()


def test_unwritable_output_folder(golden_file, tmp_path):
    """/proc refuses new files even to root; a chmod-ed folder does the same for other users."""
    src, _ = golden_file
    if os.geteuid() == 0:
        out = Path("/proc/claimdesk-out.html")
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        out = folder / "out.html"
    proc = _run("export", "--db", str(src), "--format", "html", "-o", str(out))
    assert proc.returncode == 1
    line = _one_line_error(proc.stderr)
    assert line.startswith(f"claimdesk: cannot write {out}: ")
    assert not out.exists()
    if out.parent != Path("/proc"):
        assert list(out.parent.iterdir()) == []


def test_output_is_the_project(golden_file, tmp_path, capsys):
    src, _ = golden_file
    db = tmp_path / "p.claimdesk"
    shutil.copyfile(src, db)
    before = db.read_bytes()
    assert main(["export", "--db", str(db), "--format", "md", "-o", str(db)]) == 1
    assert "that is the project file itself" in _one_line_error(capsys.readouterr().err)
    assert db.read_bytes() == before


def test_not_a_project(tmp_path, capsys):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    out = tmp_path / "out.md"
    assert main(["export", "--db", str(bogus), "--format", "md", "-o", str(out)]) == 1
    assert "not a Claimdesk project" in _one_line_error(capsys.readouterr().err)
    assert not out.exists()
