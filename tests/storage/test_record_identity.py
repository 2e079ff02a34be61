"""Issue 16, finding 1: a decision never lands on another record than the one the reviewer saw.

Ids of claims and links are never given to another record, an unchanged
suggestion keeps its id across imports, and a link decision carries the pair
of claims the reviewer saw and is refused when the link joins others now.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3

import pytest

from claimdesk.cli import main
from claimdesk.core.model import CONFLICT, CORROBORATION, Article, Claim, Link
from claimdesk.services.review import ReviewError, ReviewService
from claimdesk.storage.project import Project

TEXT = " ".join(f"Sentence {n} says {n} million euros were spent." for n in range(10))


@pytest.fixture
def project(tmp_path):
    p = Project(tmp_path / "p.claimdesk")
    aid, _ = p.add_article(Article(text=TEXT, title="t", content_hash="h1"))
    p.article_id = aid
    yield p
    p.close()


def _claims(project, n):
    step = len(TEXT) // n
    return [project.add_claim(Claim(article_id=project.article_id, start=i * step, end=i * step + 10,
                                    text=TEXT[i * step:i * step + 10], kind="money", score=0.9)) for i in range(n)]


def _link(a, b, kind=CONFLICT):
    return Link(claim_a=a, claim_b=b, kind=kind, a_span=None, b_span=None, reason=f"{a} vs {b}", confidence=0.8)


def _pairs(project):
    return {l.id: (l.claim_a, l.claim_b) for l in project.links()}


def test_an_import_keeps_the_ids_of_unchanged_links_and_never_reuses_one(project):
    c = _claims(project, 8)
    project.replace_suggested_links([_link(c[0], c[1]), _link(c[2], c[3]), _link(c[4], c[5])])
    first = _pairs(project)
    shown_id = next(i for i, p in first.items() if p == (c[2], c[3]))
    gone_id = next(i for i, p in first.items() if p == (c[0], c[1]))
    # another import: the first pair is no longer suggested, a new one is
    project.replace_suggested_links([_link(c[2], c[3]), _link(c[4], c[5]), _link(c[6], c[7])])
    after = _pairs(project)
    assert after[shown_id] == (c[2], c[3])            # the id the window shows names the same pair
    assert gone_id not in after                       # a vanished link's id names nothing ...
    assert min(i for i, p in after.items() if p == (c[6], c[7])) > max(first)  # ... and is never handed out again


def test_a_kind_change_is_a_new_link(project):
    c = _claims(project, 2)
    project.replace_suggested_links([_link(c[0], c[1], CONFLICT)])
    (old,) = _pairs(project)
    project.replace_suggested_links([_link(c[0], c[1], CORROBORATION)])
    (new,) = _pairs(project)
    assert new != old and project.link(new).kind == CORROBORATION


def test_claim_ids_are_never_reused(project):
    c = _claims(project, 3)
    project.replace_suggestions(project.article_id, [])  # undecided suggestions replaced by none
    assert not project.claims()
    new = _claims(project, 1)
    assert new[0] > max(c)


def test_link_decision_refused_when_the_link_joins_other_claims_now(project):
    c = _claims(project, 4)
    project.replace_suggested_links([_link(c[0], c[1])])
    (lid,) = _pairs(project)
    service = ReviewService(project, actor="alice")
    # another program changes what the link joins (a later merge of facts, a crafted file...)
    other = sqlite3.connect(project.path)
    other.execute("UPDATE links SET claim_a = ?, claim_b = ? WHERE id = ?", [c[2], c[3], lid])
    other.commit()
    other.close()
    before = project.snapshot("link", lid), project.claim(c[2]).status
    for decide in (lambda: service.confirm_link(lid, expect=(c[0], c[1])),
                   lambda: service.reject_link(lid, expect=(c[0], c[1])),
                   lambda: service.resolve_link(lid, None, "why", expect=(c[0], c[1]))):
        with pytest.raises(ReviewError, match=f"now joins claims {c[2]} and {c[3]}"):
            decide()
    assert (project.snapshot("link", lid), project.claim(c[2]).status) == before
    service.confirm_link(lid, expect=(c[3], c[2]))  # what is there now, in either order
    assert project.link(lid).status == "confirmed"


def test_review_link_with_the_pair_seen(project):
    c = _claims(project, 4)
    project.replace_suggested_links([_link(c[0], c[1]), _link(c[2], c[3])])
    ids = _pairs(project)
    lid = next(i for i, p in ids.items() if p == (c[2], c[3]))
    path = project.path

    def cli(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(list(map(str, args))), err.getvalue()

    status, err = cli("review", "--db", path, "--link", lid, "--pair", f"{c[0]},{c[1]}", "confirm")
    assert status == 1 and "now joins claims" in err and len(err.strip().splitlines()) == 1
    assert project.link(lid).status == "open"
    status, err = cli("review", "--db", path, "--link", lid, "--pair", f"{c[2]},{c[3]}", "confirm")
    assert status == 0, err
    assert project.link(lid).status == "confirmed"


def test_a_note_taken_back_by_undo_leaves_its_id_unused(project):
    # the history of the undone note names its id; a later note must not inherit it (nor a merged one)
    (claim,) = _claims(project, 1)
    service = ReviewService(project, actor="ana")
    service.note("first", claim_id=claim)
    first = max(n.id for n in project.notes(claim_id=claim))
    service.undo()
    assert project.notes(claim_id=claim) == []
    service.note("second", claim_id=claim)
    (second,) = project.notes(claim_id=claim)
    assert second.id > first and second.text == "second"
