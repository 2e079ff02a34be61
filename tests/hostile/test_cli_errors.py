"""Issue 16, findings 9 and 10: one line instead of a traceback; undo takes back the reviewer's own decision."""

from __future__ import annotations

import contextlib
import io
import math
import shutil
from pathlib import Path

import pytest


from claimdesk.cli import main
from claimdesk.core.model import Value
from claimdesk.services.review import ReviewError, ReviewService
from claimdesk.storage.project import Project

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(map(str, args)))
    return status, out.getvalue(), err.getvalue()


def _one_line(err):
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) == 1 and lines[0].startswith("claimdesk: "), err
    return lines[0]


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "p.claimdesk"
    shutil.copyfile(ROOT / "db" / "fixtures" / "schema-1.claimdesk", path)
    return path


def _claim(path, claim_id):
    with Project(path) as p:
        return p.claim(claim_id)


def test_a_full_disk_during_import_is_one_line(tmp_path, project_file, monkeypatch):
    original = Project.__init__

    def small_disk(self, *a, **kw):  # SQLite itself reports SQLITE_FULL past max_page_count
        original(self, *a, **kw)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages + 1}")

    monkeypatch.setattr(Project, "__init__", small_disk)
    article = tmp_path / "big.txt"
    article.write_text("The council spent £12m on roads in 2023, officials said.\n\n" * 3000, encoding="utf-8")
    before = Path(project_file).read_bytes()
    status, out, err = _cli("import", "--db", project_file, article)
    assert status == 1
    assert "disk is full" in _one_line(err)
    monkeypatch.undo()
    with Project(project_file) as p:
        assert p.integrity_check() == ["ok"] and len(p.articles()) == 4
    assert before  # the file was not replaced


@pytest.mark.parametrize("args", [
    ["--claim", "99999999999999999999", "confirm"],
    ["--claim", "-99999999999999999999", "reject"],
    ["--link", "99999999999999999999", "confirm"],
    ["--claim", "2", "conflict", "--with", "99999999999999999999"],
    ["--claim", "2", "edit", "--start", "99999999999999999999", "--end", "99999999999999999999"],
])
def test_ids_too_large_for_sqlite_are_one_line(project_file, args):
    status, _, err = _cli("review", "--db", project_file, *args)
    assert status == 1
    _one_line(err)


@pytest.mark.parametrize("value", ["inf USD", "nan EUR", "-inf", "1e999 USD", "abc USD"])
def test_non_finite_values_are_refused(project_file, value):
    before = _claim(project_file, 2)
    status, _, err = _cli("review", "--db", project_file, "--claim", "2", "edit", f"--value={value}")
    assert status == 1
    assert "number" in _one_line(err)
    assert _claim(project_file, 2) == before
    status, _, err = _cli("export", "--db", project_file, "--format", "json", "-o", project_file.with_suffix(".json"))
    assert status == 0, err


def test_edit_refuses_non_finite_amounts_from_any_caller(project_file):
    with Project(project_file) as p:
        service = ReviewService(p, actor="alice")
        for amount in (math.inf, -math.inf, math.nan):
            with pytest.raises(ReviewError, match="finite"):
                service.edit(2, values=[Value(start=0, end=0, text=str(amount), type="count", amount=amount)])


def test_claim_and_link_together_are_refused(project_file):
    before = _claim(project_file, 2)
    status, _, err = _cli("review", "--db", project_file, "--claim", "2", "--link", "1", "confirm")
    assert status == 2
    assert "not both" in _one_line(err)
    assert _claim(project_file, 2) == before


def test_undo_with_a_reviewer_takes_back_that_reviewers_decision(project_file):
    assert _cli("review", "--db", project_file, "--reviewer", "alice", "--claim", "7", "reject")[0] == 0
    assert _cli("review", "--db", project_file, "--reviewer", "bob", "--claim", "8", "reject")[0] == 0
    status, out, err = _cli("review", "--db", project_file, "--reviewer", "alice", "undo")
    assert status == 0, err
    assert "alice" in out and "bob" not in out
    assert _claim(project_file, 8).status == "rejected" and _claim(project_file, 8).decided_by == "bob"
    assert _claim(project_file, 7).status != "rejected"
    # carol has nothing to undo: she is told whose the last decision is, and nothing changes
    status, out, err = _cli("review", "--db", project_file, "--reviewer", "carol", "undo")
    assert status == 1 and "bob" in _one_line(err)
    assert _claim(project_file, 8).status == "rejected"
    # without --reviewer, undo says whose decision it took back
    status, out, _ = _cli("review", "--db", project_file, "undo")
    assert status == 0 and "by bob" in out
    assert _claim(project_file, 8).status != "rejected"


def test_undo_of_an_earlier_decision_survives_a_restart(project_file):
    with Project(project_file) as p:
        alice, bob = ReviewService(p, actor="alice"), ReviewService(p, actor="bob")
        alice.reject(7)
        bob.reject(8)
    with Project(project_file) as p:
        alice = ReviewService(p, actor="alice")
        alice.undo(own=True)
    with Project(project_file) as p:
        service = ReviewService(p, actor="alice")
        assert service.undo_target().actor == "bob"  # alice's undone decision is no longer on the stack
        assert service.redo_text is not None
