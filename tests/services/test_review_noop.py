"""A decision that changes nothing is not an event and not an undo step (issue 15, item 3)."""

from claimdesk.core.model import Article, Claim
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project


def _project(tmp_path):
    project = Project(tmp_path / "p.claimdesk")
    text = "Mistral raised 385 million euros. The deal is worth 15 million euros."
    aid, _ = project.add_article(Article(text=text, title="t", content_hash="h1"))
    cid = project.add_claim(Claim(article_id=aid, start=0, end=33, text=text[:33], kind="money", score=0.9))
    return project, cid


def test_repeating_a_decision_records_nothing(tmp_path):
    project, cid = _project(tmp_path)
    service = ReviewService(project, actor="r")
    first = service.confirm(cid)
    assert first.claims == {cid}
    events = project.events()
    decided_at = project.claim(cid).decided_at
    for _ in range(5):
        again = service.confirm(cid)
        assert not again.claims and not again.links and not again.notes
    assert project.events() == events
    assert project.claim(cid).decided_at == decided_at
    assert service.undo_text == "Confirm"
    service.undo()
    assert project.claim(cid).status == "suggested"
    assert not service.can_undo  # one confirm, one undo step
    assert not service.reset(cid).claims  # already a suggestion: nothing recorded
    service.reject(cid)
    n = len(project.events())
    assert not service.reject(cid).claims and len(project.events()) == n
    # a restart rebuilds the same stacks
    project.close()
    with Project(tmp_path / "p.claimdesk") as again:
        s2 = ReviewService(again, actor="r")
        assert s2.undo_text == "Reject"
        s2.undo()
        assert not s2.can_undo
