"""The claim and article models, checked by pytest-qt's qtmodeltester and by hand."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from claimdesk.core.model import CONFLICT, CONFLICTING, SUGGESTED
from claimdesk.gui.article_model import ArticleTableModel
from claimdesk.gui.models import ClaimFilterProxy, ClaimIdRole, ClaimTableModel, values_text
from claimdesk.gui.state import GROUP_CONFLICT, ProjectState, claim_group
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project


@pytest.fixture
def state(project_file):
    project = Project(project_file)
    st = ProjectState(project, ReviewService(project, actor="tester"))
    yield st
    project.close()


def _ids_in_proxy(proxy) -> list[int]:
    return [proxy.index(r, 0).data(ClaimIdRole) for r in range(proxy.rowCount())]


def test_claim_model_passes_qtmodeltester(qtmodeltester, state):
    model = ClaimTableModel(state)
    model.set_claims(state.project.claims(state.articles[1].id))
    assert model.rowCount() > 3
    qtmodeltester.check(model, force_py=True)


def test_claim_proxy_passes_qtmodeltester_while_rows_change(qtmodeltester, state):
    model = ClaimTableModel(state)
    article = state.articles[0].id
    model.set_claims(state.project.claims(article))
    proxy = ClaimFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(ClaimTableModel.COL_ORDER)
    qtmodeltester.check(proxy, force_py=True)
    # Changes while the tester watches: a decision, a filter, a removed and an added row.
    first = model.claims()[0]
    state.service.confirm(first.id)
    model.upsert(state.project.claim(first.id))
    proxy.set_status_filter(ClaimFilterProxy.UNREVIEWED)
    assert first.id not in _ids_in_proxy(proxy)
    proxy.set_status_filter(None)
    model.remove(first.id)
    assert model.row_of(first.id) is None
    model.upsert(state.project.claim(first.id))
    assert model.row_of(first.id) is not None


def test_article_model_passes_qtmodeltester_and_shows_figures(qtmodeltester, state):
    model = ArticleTableModel(state)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    stats = state.project.article_stats()
    for row, info in enumerate(state.articles):
        reviewed = model.index(row, ArticleTableModel.COL_REVIEWED).data()
        assert reviewed == f"0 / {stats[info.id]['claims']}"
        conflicts = model.index(row, ArticleTableModel.COL_CONFLICTS).data()
        facts = state.facts.conflicts_by_article().get(info.id, 0)  # facts in conflict, not pairwise links
        assert facts and conflicts == str(facts)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Article"


def test_default_order_puts_conflicts_first_then_single_source_figures(state):
    # The default order is claimdesk.core.priority's: open conflicts first, then by stakes, ties in document order.
    from claimdesk.core.priority import priority_key

    model = ClaimTableModel(state)
    proxy = ClaimFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(ClaimTableModel.COL_ORDER)
    for info in state.articles:
        claims = state.project.claims(info.id)
        model.set_claims(claims)
        ids = _ids_in_proxy(proxy)
        starts = {c.id: c.start for c in claims}
        keys = [(priority_key(model.claim(cid), state.links.of_claim(cid)), starts[cid]) for cid in ids]
        assert keys == sorted(keys), "review order must follow the priority key, ties in document order"
        groups = [claim_group(model.claim(cid), state.facts) for cid in ids]
        firsts = [g == GROUP_CONFLICT for g in groups]
        assert firsts == sorted(firsts, reverse=True), "conflicts come first"
    # The sample has a conflict: its claims come first in their article.
    conflict = next(l for l in state.links.by_id.values() if l.kind == CONFLICT)
    a = state.project.claim(conflict.claim_a)
    model.set_claims(state.project.claims(a.article_id))
    first = _ids_in_proxy(proxy)[0]
    assert claim_group(model.claim(first), state.facts) == GROUP_CONFLICT


def test_document_order_toggle(state):
    model = ClaimTableModel(state)
    proxy = ClaimFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(ClaimTableModel.COL_ORDER)
    claims = state.project.claims(state.articles[0].id)
    assert len(claims) >= 3  # enough claims that the priority order can differ from the document's
    model.set_claims(claims)
    model.set_document_order(True)
    proxy.sort(ClaimTableModel.COL_ORDER)
    assert _ids_in_proxy(proxy) == [c.id for c in sorted(claims, key=lambda c: c.start)]
    model.set_document_order(False)
    proxy.sort(ClaimTableModel.COL_ORDER)
    assert _ids_in_proxy(proxy) != [c.id for c in sorted(claims, key=lambda c: c.start)]


def test_filters_by_status_kind_and_words(state):
    model = ClaimTableModel(state)
    proxy = ClaimFilterProxy()
    proxy.setSourceModel(model)
    claims = state.project.claims()
    model.set_claims(claims, search_mode=True)
    kinds = {c.kind for c in claims}
    kind = sorted(kinds)[0]
    proxy.set_kind_filter(kind)
    assert {model.claim(i).kind for i in _ids_in_proxy(proxy)} == {kind}
    proxy.set_kind_filter(None)
    state.service.reject(claims[0].id)
    model.upsert(state.project.claim(claims[0].id))
    proxy.set_status_filter("rejected")
    assert _ids_in_proxy(proxy) == [claims[0].id]
    proxy.set_status_filter(ClaimFilterProxy.UNREVIEWED)
    assert claims[0].id not in _ids_in_proxy(proxy)
    assert all(model.claim(i).status == SUGGESTED for i in _ids_in_proxy(proxy))


def test_sorting_by_status_column(state):
    model = ClaimTableModel(state)
    proxy = ClaimFilterProxy()
    proxy.setSourceModel(model)
    claims = state.project.claims(state.articles[1].id)
    state.service.confirm(claims[-1].id)
    claims = state.project.claims(state.articles[1].id)
    model.set_claims(claims)
    proxy.sort(ClaimTableModel.COL_STATUS, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, ClaimTableModel.COL_STATUS).data() == "Confirmed"
    proxy.sort(ClaimTableModel.COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, ClaimTableModel.COL_STATUS).data() == "Suggested"


def test_fact_decisions_update_links_column_and_counts(state):
    fact = next(f for f in state.facts.by_id.values() if f.status == "conflicting")
    a = state.project.claim(fact.mentions[0].claim_id)
    model = ClaimTableModel(state)
    model.set_claims(state.project.claims(a.article_id))
    row = model.row_of(a.id)
    assert "conflict, 2 articles" in model.index(row, ClaimTableModel.COL_LINKS).data()
    before = state.totals()[2]
    state.service.reject_fact(fact.id)
    touched = state.refresh_facts()
    assert {m.claim_id for m in fact.mentions} <= touched
    model.refresh_links(a.id)
    assert state.totals()[2] == before - 1
    info = state.recount(a.article_id)
    assert info.conflicts == state.facts.conflicts_by_article().get(a.article_id, 0) == before - 1


def test_recount_matches_the_project_after_decisions(state):
    svc = state.service
    claims = state.project.claims()
    svc.confirm(claims[0].id)
    svc.reject(claims[1].id)
    other = next(c for c in claims if c.article_id != claims[0].article_id)
    changes = svc.mark_conflict(claims[0].id, other.id, "figures differ")
    state.refresh_links(changes.links)
    for info in state.articles:
        state.recount(info.id)
    stats = state.project.article_stats()
    for info in state.articles:
        s = stats[info.id]
        assert (info.claims, info.reviewed) == (s["claims"], s["reviewed"])
        assert info.conflicts == state.facts.conflicts_by_article().get(info.id, 0)
    counts = state.project.counts()
    reviewed, total, _ = state.totals()
    assert (reviewed, total) == (counts["reviewed"], counts["claims"])
    assert state.project.claim(other.id).status == CONFLICTING


def test_one_search_finds_claims_of_every_article_by_wording_values_and_title(state):
    """The window's only search (the proxy filters by status and kind, never by words)."""
    from claimdesk.gui.search import ClaimSearch

    search = ClaimSearch(state)
    claims = state.project.claims()
    found = search.find("billion")
    assert found and all("billion" in c.text.lower() or "billion" in values_text(c).lower() for c in found)
    assert len({c.article_id for c in search.find("microsoft")}) == len(state.articles) > 1
    assert search.find("no-such-word-anywhere") == [] and search.find("  ") == []
    order = [(state.article_pos[c.article_id], c.start) for c in search.find("microsoft")]
    assert order == sorted(order)
    # It follows the decisions without being built again.
    c = claims[0]
    edited = dataclasses.replace(c, text=c.text + " zebracorn")
    search.claim_changed(edited)
    assert [x.id for x in search.find("zebracorn")] == [c.id]
    search.claim_removed(c.id)
    assert search.find("zebracorn") == []
    assert not hasattr(ClaimFilterProxy, "set_search")
