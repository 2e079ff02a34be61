"""Disputes across the story (issue 17's leftovers): the count of disputed claims and facts in every article, D to
the next one in any article, the Disputed list after an article's last dispute is settled, and the agreement
panel following the decisions. Two reviewers' real project files merged with ``claimdesk merge``, the merged
file opened in the real window and read back after each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Stored, copy_project
from PySide6.QtCore import Qt
from test_disputed_facts import _open, listed
from test_fact_review import fact_row
from test_window import press

from claimdesk.cli import main
from claimdesk.gui.disputes import DisputeIndex
from claimdesk.gui.models import ClaimFilterProxy
from claimdesk.services.review import ReviewService
from claimdesk.services.reviewers import record_initials
from claimdesk.storage.project import Project


@pytest.fixture
def story(sample_project_file, tmp_path):
    """The sample story (two articles of one deal, through the real pipeline). Ana and Ben pick different
    versions of its main conflict (a fact stated by both articles), and decide one claim of the second article
    differently (Ana confirms it, Ben rejects it); Ana alone confirms another claim. Ana's file takes in Ben's."""
    base = copy_project(sample_project_file, tmp_path / "base.claimdesk")
    with Project(base, readonly=True) as p:
        fact = max((f for f in p.facts() if f.status == "conflicting" and len(f.versions) >= 2),
                   key=lambda f: (len(f.articles), -f.id))
        in_facts = {m.claim_id for f in p.facts() for m in f.mentions}
        second = max(fact.articles)
        others = [c.id for c in p.claims(second) if c.id not in in_facts]
    assert len(fact.articles) == 2 and len(others) >= 2
    claim_x, claim_y = others[:2]
    ana = copy_project(base, tmp_path / "ana.claimdesk")
    ben = copy_project(base, tmp_path / "ben.claimdesk")
    with Project(ana) as p:
        s = ReviewService(p, actor="Ana Ruiz")
        s.resolve_fact(fact.id, fact.versions[0].k, "Ana read the council minutes")
        s.confirm(claim_x)
        s.confirm(claim_y)
        record_initials(p, "Ana Ruiz", "AR")
    with Project(ben) as p:
        s = ReviewService(p, actor="Ben Okafor")
        s.resolve_fact(fact.id, fact.versions[1].k, "Ben called the press office")
        s.reject(claim_x)
    assert main(["merge", "--db", str(ana), str(ben)]) == 0
    return ana, fact, claim_x, claim_y


def _filter_text(w) -> str:
    return w.status_filter.itemText(w.status_filter.findData(ClaimFilterProxy.DISPUTED))


def test_the_story_s_disputes_are_counted_and_d_visits_each_in_every_article(qtbot, story):
    path, fact, claim_x, _ = story
    stored = Stored(path)
    assert stored.claim(claim_x)["disputed"] is not None and fact_row(stored, fact.id)["disputed"] is not None
    w = _open(qtbot, path, "Cleo")
    # one disputed fact (two articles) and one disputed claim: 2 in the story, whichever article is open
    assert _filter_text(w) == "Disputed (2 in the story)"
    assert w.dispute_label.isVisibleTo(w) and w.dispute_label.text() == "2 disputed in the story (D: next)"
    assert w.act_next_disputed.isEnabled()
    first_article = min(fact.articles)
    w.open_article(first_article, select="first")
    w.claim_list.setFocus()

    # D goes through every claim the reviewers disagree on (the fact's mentions and the disputed claim), article
    # after article, then round to the first again
    expected = {m.claim_id for m in fact.mentions} | {claim_x}
    seen, articles = [], []
    for _ in range(len(expected)):
        press(qtbot, w, Qt.Key.Key_D)
        seen.append(w.current_claim_id)
        articles.append(w.view_article)
    assert set(seen) == expected and len(seen) == len(set(seen))
    assert articles == sorted(articles) and articles[0] == first_article and articles[-1] != first_article
    assert "in the story" in w.statusBar().currentMessage()
    press(qtbot, w, Qt.Key.Key_D)
    assert w.current_claim_id == seen[0] and w.view_article == first_article

    # settling the claim's dispute (A, in the curator's name) leaves 1 in the story: the file says so too
    assert w.select_claim(claim_x)
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_A)
    row = stored.claim(claim_x)
    assert (row["status"], row["decided_by"], row["disputed"]) == ("confirmed", "Cleo", None)
    assert _filter_text(w) == "Disputed (1 in the story)"
    assert w.dispute_label.text() == "1 disputed in the story (D: next)"
    # undo brings the dispute back, and the count
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.claim(claim_x)["disputed"] is not None
    assert _filter_text(w) == "Disputed (2 in the story)"
    w.close()


def test_after_an_article_s_last_dispute_the_window_says_where_the_others_are(qtbot, story):
    path, fact, claim_x, _ = story
    stored = Stored(path)
    w = _open(qtbot, path, "Cleo")
    first_article = min(fact.articles)
    mention = next(m.claim_id for m in fact.mentions if m.article_id == first_article)
    assert w.select_claim(mention)
    w.status_filter.setCurrentIndex(w.status_filter.findData(ClaimFilterProxy.DISPUTED))
    assert listed(w) == [mention]
    w.claim_list.setFocus()

    # the fact is compared and confirmed (L): the article's list empties, the compare view still shows the fact,
    # and the keys that decide it stay usable; the message says the other dispute is elsewhere
    press(qtbot, w, Qt.Key.Key_V)
    assert w.tabs.currentWidget() is w.compare and w.compare.fact.id == fact.id
    press(qtbot, w, Qt.Key.Key_L)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["decided_by"], row["disputed"]) == ("confirmed", "Cleo", None)
    assert listed(w) == [] and w.current_claim_id is None
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == (
        f"Fact {fact.id} confirmed · No more disputes in this article — 1 in other articles (D goes to the next)"))
    for act in (w.act_link, w.act_reject_link, w.act_resolve, w.act_split, w.act_merge, w.act_note):
        assert act.isEnabled(), act.objectName()
    assert not w.act_confirm.isEnabled() and not w.act_reject.isEnabled()  # no claim to decide
    assert w.act_next_disputed.isEnabled()

    # back in the article view: the inspector says it too; D takes the reviewer to the next dispute
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.tabs.currentIndex() == 0
    assert not w.act_link.isEnabled()  # no claim selected and no fact on screen
    assert "No more disputes in this article — 1 in other articles" in w.inspector.heading.text()
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_D)
    assert w.current_claim_id == claim_x and w.view_article == max(fact.articles)
    assert listed(w) == [claim_x]  # the Disputed filter stays on
    assert w.act_confirm.isEnabled() and w.act_reject.isEnabled()

    # X settles it (Ben's side): nothing is disputed anywhere now
    press(qtbot, w, Qt.Key.Key_X)
    row = stored.claim(claim_x)
    assert (row["status"], row["decided_by"], row["disputed"]) == ("rejected", "Cleo", None)
    assert listed(w) == []
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().endswith("No more disputes in the story"))
    assert _filter_text(w) == "Disputed (none in the story)"
    assert not w.dispute_label.isVisibleTo(w) and not w.act_next_disputed.isEnabled()
    assert not w.act_confirm.isEnabled()
    w.close()


def test_the_dispute_index_follows_claims_and_facts(story):
    path, fact, claim_x, _ = story
    from claimdesk.gui.state import ProjectState

    with Project(path) as p:
        state = ProjectState(p, ReviewService(p, actor="Cleo"))
        index = DisputeIndex()
        index.load(p, state.facts)
        assert index.claims == {claim_x: p.claim(claim_x).article_id} and index.facts == {fact.id}
        assert index.total == 2 and index.articles() == fact.articles
        second = max(fact.articles)
        assert index.in_article(second) == 2 and index.in_article(min(fact.articles)) == 1
        order = state.article_pos
        assert index.next_article(order, min(fact.articles)) == second
        assert index.next_article(order, second) == min(fact.articles)  # round to the first
        state.service.confirm(claim_x)
        index.claims_changed([p.claim(claim_x)])
        assert index.total == 1 and index.in_article(second) == 1
        index.claims_changed([], removed=[claim_x])
        assert index.total == 1


def test_moving_on_under_the_disputed_filter_stays_with_the_article_s_disputes(qtbot, story):
    path, fact, claim_x, _ = story
    w = _open(qtbot, path, "Cleo")
    second = max(fact.articles)
    mention = next(m.claim_id for m in fact.mentions if m.article_id == second)
    assert w.select_claim(claim_x)
    w.status_filter.setCurrentIndex(w.status_filter.findData(ClaimFilterProxy.DISPUTED))
    assert set(listed(w)) == {claim_x, mention}
    assert w.select_claim(claim_x)
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_A)  # Move on after a decision is on: the article's other dispute, not the next article
    assert Stored(path).claim(claim_x)["disputed"] is None
    assert listed(w) == [mention] and w.current_claim_id == mention and w.view_article == second
    assert w.act_link.isEnabled() and w.act_resolve.isEnabled()


def test_the_agreement_panel_follows_decisions_while_shown(qtbot, story):
    path, _, claim_x, claim_y = story
    w = _open(qtbot, path, "Cleo")
    w.show_agreement()
    panel = w.agreement_panel
    reads = panel.reads
    pairs = [r[0] for r in panel.rows() if len(r) == 1]
    assert pairs == ["Ana Ruiz (AR) / Ben Okafor"]

    # a note decides nothing: the figures are not read again
    w.service.actor = "Cleo"
    assert w.select_claim(claim_y)
    w.decide("note", "checked the wire copy", claim_id=claim_y)
    qtbot.wait(30)
    assert panel.reads == reads

    # Cleo rejects a claim Ana confirmed: the panel reads the history again (once) and lists the new pair
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_X)
    assert Stored(path).claim(claim_y)["status"] == "rejected"
    qtbot.waitUntil(lambda: panel.reads == reads + 1)
    pairs = [r[0] for r in panel.rows() if len(r) == 1]
    assert "Ana Ruiz (AR) / Cleo" in pairs
    cleo = panel.rows()[panel.rows().index(["Ana Ruiz (AR) / Cleo"]) + 1]
    assert cleo[:3] == ["overall", "1", "0.0 %"]

    # two decisions in one go (no event loop between them): read once
    n = panel.reads
    w.decide("confirm", claim_x)
    w.decide("reset", claim_x)
    qtbot.waitUntil(lambda: panel.reads == n + 1)
    qtbot.wait(30)
    assert panel.reads == n + 1
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.reads > n + 1)
    assert Stored(path).claim(claim_x)["disputed"] is not None
    qtbot.wait(30)
    n = panel.reads

    # a closed panel reads nothing
    panel.close()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert Stored(path).claim(claim_y)["status"] == "confirmed"
    qtbot.wait(30)
    assert panel.reads == n
    # shown again: fresh figures (Cleo has had a word on both claims since: the closed panel missed it)
    w.show_agreement()
    assert panel.reads == n + 1
    rows = panel.rows()
    assert rows[rows.index(["Ana Ruiz (AR) / Cleo"]) + 1][:2] == ["overall", "2"]
    w.close()


def test_file_merge_in_the_window_brings_the_count(qtbot, story, sample_project_file, tmp_path):
    merged, fact, claim_x, _ = story
    mine = copy_project(sample_project_file, tmp_path / "cleo.claimdesk")
    w = _open(qtbot, mine, "Cleo")
    assert _filter_text(w) == "Disputed (none in the story)" and not w.act_next_disputed.isEnabled()
    assert not w.dispute_label.isVisibleTo(w)
    assert w.merge_from(merged)  # File -> Merge a colleague's project, past the file dialog
    stored = Stored(mine)
    assert stored.claim(claim_x)["disputed"] is not None and fact_row(stored, fact.id)["disputed"] is not None
    assert _filter_text(w) == "Disputed (2 in the story)" and w.act_next_disputed.isEnabled()
    assert w.dispute_label.isVisibleTo(w)
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_D)
    assert w.current_claim_id in {m.claim_id for m in fact.mentions} | {claim_x}
