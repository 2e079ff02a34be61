"""Each reviewer action is one committed transaction; one that cannot finish leaves nothing behind."""

from __future__ import annotations

import sqlite3

import pytest
from storage_helpers import all_rows, copy_fixture

import claimdesk.storage.safety as project_mod
from claimdesk.core.model import CONFLICT, CORROBORATION, Value
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project, ProjectError


@pytest.fixture
def project(tmp_path):
    p = Project(copy_fixture(tmp_path))
    yield p
    p.close()


def _statements(project):
    seen: list[str] = []
    project.conn.set_trace_callback(lambda sql: seen.append(" ".join(sql.split()).upper()))
    return seen


def _actions(project):
    svc = ReviewService(project, actor="tx-test")
    open_claims = [c for c in project.claims(status="suggested")]
    a, b, c, d = (cl.id for cl in open_claims[:4])
    article = project.articles()[0]
    corroboration = next(l for l in project.links(kind=CORROBORATION) if l.status == "open")
    conflict = next(l for l in project.links(kind=CONFLICT) if l.status == "open")
    return svc, [
        ("confirm", lambda: svc.confirm(a)),
        ("reject", lambda: svc.reject(b)),
        ("reset", lambda: svc.reset(b)),
        ("edit", lambda: svc.edit(c, text="An edited claim.", values=[
            Value(start=0, end=0, text="3 EUR", type="money", amount=3.0, unit="EUR", rule="reviewer")])),
        ("note", lambda: svc.note("ring the press office", claim_id=a)),
        ("mark conflict", lambda: svc.mark_conflict(a, d, "two figures")),
        ("confirm link", lambda: svc.confirm_link(corroboration.id)),
        ("reject link", lambda: svc.reject_link(conflict.id)),
        ("resolve link", lambda: svc.resolve_link(conflict.id, conflict.claim_a, "the filing says so")),
        ("add claim", lambda: svc.add_claim(article.id, 0, 20)),
        ("undo", svc.undo),
        ("redo", svc.redo),
    ]


def test_every_action_is_exactly_one_committed_transaction(project):
    _, actions = _actions(project)
    other = sqlite3.connect(project.path)  # a second program's view: only committed data
    for name, act in actions:
        events_before = other.execute("SELECT count(*) FROM events").fetchone()[0]
        seen = _statements(project)
        act()
        project.conn.set_trace_callback(None)
        begins = [s for s in seen if s.startswith("BEGIN")]
        commits = [s for s in seen if s.startswith("COMMIT")]
        assert begins == ["BEGIN IMMEDIATE"], (name, seen)
        assert commits == ["COMMIT"], (name, seen)
        writes = [i for i, s in enumerate(seen) if s.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))]
        assert writes and seen.index("BEGIN IMMEDIATE") < writes[0] and writes[-1] < seen.index("COMMIT"), name
        assert not project.conn.in_transaction
        assert other.execute("SELECT count(*) FROM events").fetchone()[0] > events_before, name
    other.close()
    assert project.integrity_check() == ["ok"]


def test_an_action_that_fails_half_way_leaves_nothing(project, monkeypatch):
    svc = ReviewService(project, actor="tx-test")
    a, d = (c.id for c in project.claims(status="suggested")[:2])
    before = all_rows(project.path)
    stacks = (svc.undo_text, svc.redo_text)

    def broken_note(note):
        raise RuntimeError("power went out mid-action")

    monkeypatch.setattr(project, "add_note", broken_note)
    # by now the link is created and both claims are marked: all of it must go
    with pytest.raises(RuntimeError):
        svc.mark_conflict(a, d, "two figures")
    assert not project.conn.in_transaction
    assert all_rows(project.path) == before
    assert (svc.undo_text, svc.redo_text) == stacks


def test_a_full_disk_is_one_clear_error_and_nothing_half_written(project):
    svc = ReviewService(project, actor="tx-test")
    claim = project.claims(status="suggested")[0]
    before = all_rows(project.path)
    pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
    project.conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as a full disk
    with pytest.raises(ProjectError) as err:
        svc.note("x" * 200_000, claim_id=claim.id)
    assert "disk is full" in str(err.value) and "not done" in str(err.value)
    assert all_rows(project.path) == before
    project.conn.execute(f"PRAGMA max_page_count = {2**30}")
    svc.note("fits now", claim_id=claim.id)
    assert project.notes(claim_id=claim.id)[-1].text == "fits now"


def test_a_file_held_by_another_program_is_reported_not_corrupted(tmp_path, monkeypatch):
    monkeypatch.setattr(project_mod, "BUSY_TIMEOUT_MS", 300)
    path = copy_fixture(tmp_path)
    project = Project(path)
    svc = ReviewService(project, actor="tx-test")
    claim = project.claims(status="suggested")[0]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, for longer than we wait
    with pytest.raises(ProjectError, match="in use by another program"):
        svc.confirm(claim.id)
    holder.execute("ROLLBACK")
    holder.close()
    assert project.claim(claim.id).status == "suggested"
    svc.confirm(claim.id)  # once it is free, the decision goes through
    assert project.claim(claim.id).status == "confirmed"
    assert project.integrity_check() == ["ok"]
    project.close()
