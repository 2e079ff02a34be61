"""Reviewer decisions, the event history and undo/redo — in the core, on a real file."""

import sqlite3

import pytest

from claimdesk.core.importer import content_hash
from claimdesk.core.model import Article, Claim, Link, Value
from claimdesk.services.review import UNDO_LIMIT, ReviewError, ReviewService
from claimdesk.storage.project import Project

TEXT_A = "The bridge will cost €84 million, the ministry said. Work starts in May."
TEXT_B = "Officials put the cost of the bridge at €96 million."


@pytest.fixture
def project(tmp_path):
    p = Project(tmp_path / "p.claimdesk")
    a, _ = p.add_article(Article(text=TEXT_A, content_hash=content_hash(TEXT_A), title="A"))
    b, _ = p.add_article(Article(text=TEXT_B, content_hash=content_hash(TEXT_B), title="B"))
    ca = p.add_claim(Claim(article_id=a, start=0, end=52, text=TEXT_A[:52], kind="money", score=0.9,
                           values=[Value(start=21, end=32, text="€84 million", type="money", amount=84e6, unit="EUR")]))
    cb = p.add_claim(Claim(article_id=b, start=0, end=len(TEXT_B), text=TEXT_B, kind="money", score=0.9,
                           values=[Value(start=39, end=50, text="€96 million", type="money", amount=96e6, unit="EUR")]))
    p.add_link(Link(claim_a=ca, claim_b=cb, kind="conflict", a_span=(21, 32), b_span=(39, 50),
                    reason="Cost: 84 million EUR vs 96 million EUR", confidence=0.8))
    yield p
    p.close()


def stored(project, sql):
    # a second connection sees only what is committed
    with sqlite3.connect(project.path) as conn:
        return conn.execute(sql).fetchall()


def test_each_decision_is_committed_with_its_event(project):
    svc = ReviewService(project, actor="ana")
    changes = svc.confirm(1)
    assert changes.claims == {1}
    assert stored(project, "SELECT status, decided_by FROM claims WHERE id=1") == [("confirmed", "ana")]
    ev = stored(project, "SELECT actor, action, entity, entity_id, json_extract(before,'$.status'), "
                         "json_extract(after,'$.status') FROM events")
    assert ev == [("ana", "confirm", "claim", 1, "suggested", "confirmed")]


def test_undo_redo_across_articles_and_reopen(project, tmp_path):
    svc = ReviewService(project)
    svc.confirm(1)
    svc.reject(2)
    assert svc.undo_text == "Reject"
    svc.undo()
    assert stored(project, "SELECT status FROM claims ORDER BY id") == [("confirmed",), ("suggested",)]
    assert svc.can_redo and svc.redo_text == "Reject"
    # the stacks are rebuilt from the events table after a restart
    project.close()
    again = Project(project.path)
    svc2 = ReviewService(again)
    assert svc2.can_undo and svc2.undo_text == "Confirm" and svc2.redo_text == "Reject"
    svc2.redo()
    assert stored(again, "SELECT status FROM claims ORDER BY id") == [("confirmed",), ("rejected",)]
    svc2.undo()
    svc2.undo()
    assert stored(again, "SELECT status FROM claims ORDER BY id") == [("suggested",), ("suggested",)]
    with pytest.raises(ReviewError, match="nothing to undo"):
        svc2.undo()
    # the history only grows
    assert stored(again, "SELECT count(*) FROM events")[0][0] == 6
    again.close()


def test_a_new_decision_clears_redo_and_undo_is_bounded(project):
    svc = ReviewService(project)
    svc.confirm(1)
    svc.undo()
    svc.reject(1)
    assert not svc.can_redo
    for n in range(UNDO_LIMIT + 5):
        svc.note(f"note {n}", claim_id=1)
    undone = 0
    while svc.can_undo:
        svc.undo()
        undone += 1
    assert undone == UNDO_LIMIT


def test_conflict_with_note_and_resolution(project):
    svc = ReviewService(project)
    svc.mark_conflict(1, 2, "ministry figure is from 2022")
    assert stored(project, "SELECT kind, status, origin, resolution FROM links") == [
        ("conflict", "confirmed", "confirmed", "ministry figure is from 2022")]
    assert stored(project, "SELECT status FROM claims ORDER BY id") == [("conflicting",), ("conflicting",)]
    svc.resolve_link(1, 2, "the tender documents say €96 million")
    assert stored(project, "SELECT status, preferred_claim FROM links") == [("resolved", 2)]
    assert stored(project, "SELECT status FROM claims ORDER BY id") == [("conflicting",), ("confirmed",)]
    with pytest.raises(ReviewError):
        svc.resolve_link(1, 99, "x")


def test_edit_span_reads_text_from_the_article(project):
    svc = ReviewService(project)
    svc.edit(1, span=(0, 32))
    assert stored(project, "SELECT status, text, start, [end] FROM claims WHERE id=1") == [
        ("edited", "The bridge will cost €84 million", 0, 32)]
    with pytest.raises(ReviewError, match="outside the article"):
        svc.edit(1, span=(10, 10_000))
    svc.undo()
    assert stored(project, "SELECT status, start, [end] FROM claims WHERE id=1") == [("suggested", 0, 52)]


def test_added_claim_and_undo_removes_it(project):
    svc = ReviewService(project)
    new_id, changes = svc.add_claim(1, 53, 72)
    assert changes.structure
    assert stored(project, f"SELECT text, origin, status FROM claims WHERE id={new_id}") == [
        ("Work starts in May.", "manual", "confirmed")]
    svc.undo()
    assert stored(project, f"SELECT count(*) FROM claims WHERE id={new_id}") == [(0,)]
    svc.redo()
    assert stored(project, f"SELECT count(*) FROM claims WHERE id={new_id}") == [(1,)]


def test_undo_refuses_when_another_program_changed_the_claim(project):
    svc = ReviewService(project)
    svc.confirm(1)
    other = Project(project.path)
    ReviewService(other).reject(1)
    other.close()
    with pytest.raises(ReviewError, match="changed since"):
        svc.undo()
    assert stored(project, "SELECT status FROM claims WHERE id=1") == [("rejected",)]


def test_resuggesting_never_overwrites_a_decision(project):
    svc = ReviewService(project)
    svc.confirm(1)
    fresh = Claim(article_id=1, start=0, end=20, text=TEXT_A[:20], kind="money", score=0.5)
    other = Claim(article_id=1, start=53, end=72, text=TEXT_A[53:72], kind="date", score=0.6)
    project.replace_suggestions(1, [fresh, other])
    assert stored(project, "SELECT id, status, text FROM claims WHERE article_id=1 ORDER BY start") == [
        (1, "confirmed", TEXT_A[:52]), (3, "suggested", TEXT_A[53:72])]


def test_a_conflict_inside_one_article_counts_once(project):
    svc = ReviewService(project)
    new_id, _ = svc.add_claim(1, 53, 72)
    before = project.article_stats()[1]["conflicts"]
    svc.mark_conflict(1, new_id, "the article contradicts itself")
    assert project.article_stats()[1]["conflicts"] == before + 1
