"""Review by fact (issue 12, part 2): the real window, driven with keys; the project file is read back
after every decision (fact status, chosen version, split, merge, undo — also after a restart)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Stored, copy_project
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from claimdesk.gui.compare import version_colour
from claimdesk.gui.dialogs import EditClaimDialog
from claimdesk.gui.fact_state import in_conflict
from claimdesk.gui.main_window import MainWindow
from claimdesk.gui.models import ClaimIdRole
from test_window import ok, press, when_dialog

BRIDGE = Path(__file__).parent / "data" / "bridge"  # three short articles written for this test


@pytest.fixture(scope="session")
def bridge_file(tmp_path_factory) -> Path:
    from claimdesk.services.pipeline import import_paths
    from claimdesk.storage.project import Project

    path = tmp_path_factory.mktemp("bridge") / "bridge.claimdesk"
    with Project(path) as project:
        results = import_paths(project, sorted(BRIDGE.glob("*.txt")))
    assert all(r.error is None for r in results)
    return path


def _open(qtbot, path: Path) -> MainWindow:
    w = MainWindow(path, actor="tester")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


@pytest.fixture
def bridge(qtbot, bridge_file, tmp_path):
    path = copy_project(bridge_file, tmp_path / "bridge.claimdesk")
    w = _open(qtbot, path)
    yield w, Stored(path)
    w.close()


def fact_row(stored: Stored, fact_id: int):
    rows = stored._rows("SELECT * FROM facts WHERE id = ?", [fact_id])
    return rows[0] if rows else None


def fact_of(stored: Stored, claim_id: int, start: int) -> int:
    return stored._rows("SELECT fact_id FROM fact_mentions WHERE claim_id = ? AND start = ?",
                        [claim_id, start])[0]["fact_id"]


def conflict_fact(w):
    """The fact in conflict that most articles state."""
    facts = [f for f in w.state.facts.by_id.values() if in_conflict(f)]
    return max(facts, key=lambda f: (len(f.articles), -f.id))


def open_compare(qtbot, w, fact):
    claim = next(m.claim_id for m in fact.mentions)
    assert w.select_claim(claim)
    press(qtbot, w, Qt.Key.Key_V)
    assert w.tabs.currentWidget() is w.compare and w.compare.fact.id == fact.id
    return claim


def test_v_shows_every_article_of_the_fact_at_its_mention(qtbot, bridge):
    w, _ = bridge
    fact = conflict_fact(w)
    assert len(fact.articles) == 3, "the three articles give the bridge's cost"
    claim = open_compare(qtbot, w, fact)
    cmp = w.compare
    shown = [p for p in cmp.panes if p.isVisible()]
    assert len(shown) == 3 and {p.article_id for p in shown} == fact.articles
    assert shown[0].mentions[0].claim_id == claim, "the reviewer's own article comes first"
    qtbot.waitUntil(lambda: all(p.view.viewport().rect().contains(
        p.view.cursorRect(p.view.textCursor()).center()) for p in shown))
    for p in shown:
        for m in p.mentions:
            assert (m.start, m.end) in p.view.highlights.get(m.claim_id).strong, "the value is emphasised"
            assert f"version {m.version + 1}" in p.header.text() and m.text in p.header.text()
            assert p.view.strong_background == version_colour(m.version), "coloured like its version's chip"
        assert p.view.selected == p.mentions[0].claim_id
    reason = cmp.reason.text()
    assert "disagree" in reason and f"What is measured: <b>{fact.attribute}" in reason
    for v in fact.versions:
        assert v.text in reason
    assert "2 articles" in reason and "1 article" in reason, "each version says how many sources give it"
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.tabs.currentIndex() == 0


def test_the_article_list_counts_facts_in_conflict_not_links(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    assert len(fact.articles) == 3
    for a in fact.articles:
        assert w.state.article_info(a).conflicts == 1, "each article takes part in one fact in conflict"
        row = w.article_model.index(w.state.article_pos[a], w.article_model.COL_CONFLICTS)
        assert w.article_model.data(row) == "1"
    # Pairwise links would count differently: some article of the fact has no conflict link at all.
    links = {a: stored._rows("SELECT count(*) AS n FROM links l JOIN claims c ON c.id IN (l.claim_a, l.claim_b) "
                             "WHERE l.kind = 'conflict' AND c.article_id = ?", [a])[0]["n"] for a in fact.articles}
    assert sorted(links.values()) != [1, 1, 1]
    assert w.state.totals()[2] == 1
    third = next(m.article_id for m in fact.mentions if m.version == 1)
    # The claim list puts that fact's claims first.
    w.open_article(third)
    first = w.claim_proxy.index(0, 0).data(ClaimIdRole)
    assert any(m.claim_id == first for m in fact.mentions)


def test_l_confirms_and_shift_l_rejects_the_fact_and_ctrl_z_undoes_after_a_restart(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    claim = next(m.claim_id for m in fact.mentions)
    w.select_claim(claim)
    press(qtbot, w, Qt.Key.Key_L)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["decided_by"], row["preferred_version"]) == ("confirmed", "tester", None)
    assert w.state.facts.by_id[fact.id].review == "confirmed"
    assert w.state.totals()[2] == 1, "a confirmed conflict is still to settle"
    press(qtbot, w, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert fact_row(stored, fact.id)["review"] == "rejected"
    assert w.state.totals()[2] == 0
    assert all(w.state.article_info(a).conflicts == 0 for a in fact.articles)
    w.close()
    w2 = _open(qtbot, stored.path)
    assert w2.state.totals()[2] == 0
    press(qtbot, w2, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fact_row(stored, fact.id)["review"] == "confirmed"
    press(qtbot, w2, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fact_row(stored, fact.id)["review"] == "open"
    assert w2.state.totals()[2] == 1 and w2.state.facts.by_id[fact.id].review == "open"
    w2.close()


def test_l_on_an_agreed_fact_confirms_its_version(qtbot, bridge):
    w, stored = bridge
    fact = next(f for f in w.state.facts.by_id.values() if f.status == "agreed" and len(f.articles) == 3)
    open_compare(qtbot, w, fact)
    press(qtbot, w, Qt.Key.Key_L)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"]) == ("confirmed", 0)
    assert "confirmed by tester" in w.compare.reason.text()


def test_r_records_which_version_is_right_with_a_note(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    open_compare(qtbot, w, fact)
    events = len(stored.events())
    press(qtbot, w, Qt.Key.Key_2)
    assert w.compare.chosen_version() == 1
    press(qtbot, w, Qt.Key.Key_R)
    assert QApplication.focusWidget() is w.compare.note, "R asks why first"
    assert len(stored.events()) == events
    qtbot.keyClicks(w.compare.note, "The council's budget paper says 55 million")
    qtbot.keyClick(w.compare.note, Qt.Key.Key_Return)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"]) == ("resolved", 1)
    assert row["resolution"] == "The council's budget paper says 55 million"
    assert w.state.totals()[2] == 0 and all(w.state.article_info(a).conflicts == 0 for a in fact.articles)
    assert "version 2 is right" in w.compare.reason.text()
    w.compare.setFocus()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"], row["resolution"]) == ("open", None, None)


def test_s_moves_the_chosen_mention_out_and_ctrl_z_puts_it_back(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    odd = next(m for m in fact.mentions if m.version == 1)
    assert w.select_claim(odd.claim_id)
    press(qtbot, w, Qt.Key.Key_V)
    assert w.compare.chosen_mention() == (odd.claim_id, odd.start, odd.end), "the reviewer's own mention"
    press(qtbot, w, Qt.Key.Key_S)
    new = fact_of(stored, odd.claim_id, odd.start)
    assert new != fact.id
    assert (fact_row(stored, new)["status"], fact_row(stored, new)["origin"]) == ("single", "manual")
    assert fact_row(stored, fact.id)["status"] == "agreed", "the two articles left agree"
    assert w.state.totals()[2] == 0
    assert w.compare.fact is None or w.compare.fact.id != fact.id or odd.claim_id not in {
        m.claim_id for m in w.compare.fact.mentions}
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fact_of(stored, odd.claim_id, odd.start) == fact.id
    assert fact_row(stored, fact.id)["status"] == "conflicting"
    assert w.state.totals()[2] == 1


def test_m_moves_a_mention_into_the_chosen_fact(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    odd = next(m for m in fact.mentions if m.version == 1)
    target = next(f for f in w.state.facts.by_id.values() if f.id != fact.id and f.status == "agreed")
    assert w.select_claim(odd.claim_id)
    press(qtbot, w, Qt.Key.Key_V)
    press(qtbot, w, Qt.Key.Key_M)
    assert QApplication.focusWidget() is w.compare.target_chooser, "M first asks which fact"
    w.compare.target_chooser.setCurrentIndex(w.compare.target_chooser.findData(target.id))
    press(qtbot, w, Qt.Key.Key_M)
    assert fact_of(stored, odd.claim_id, odd.start) == target.id
    assert fact_row(stored, fact.id)["status"] == "agreed"
    assert fact_row(stored, target.id)["status"] == "conflicting", "a new figure is a new version"
    assert len(stored._rows("SELECT * FROM fact_versions WHERE fact_id = ?", [target.id])) == 2
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fact_of(stored, odd.claim_id, odd.start) == fact.id
    assert fact_row(stored, target.id)["status"] == "agreed"


def test_an_edited_value_joins_the_facts_at_once(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    odd = next(m for m in fact.mentions if m.version == 1)
    agreed = next(v for v in fact.versions if v.k == 0)
    assert w.select_claim(odd.claim_id)

    def handle(dialog: EditClaimDialog):
        dialog.values.item(0, 2).setText(str(int(agreed.amount)))
        ok(dialog)

    state = when_dialog(qtbot, EditClaimDialog, handle)
    press(qtbot, w, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.claim_list.setFocus()
    now = fact_of(stored, odd.claim_id, odd.start)
    assert fact_row(stored, now)["status"] == "agreed"
    assert w.state.totals()[2] == 0 and w.state.article_info(odd.article_id).conflicts == 0
    press(qtbot, w, Qt.Key.Key_V)
    assert w.compare.fact.id == now and len(w.compare.fact.articles) == 3
    assert "agree" in w.compare.reason.text()


def test_f1_lists_the_fact_review_keys(qtbot, bridge):
    from claimdesk.gui.project_dialogs import KeysDialog

    w, _ = bridge
    seen = {}

    def handle(dialog: KeysDialog):
        t = dialog.findChild(QTableWidget, "keysTable")
        seen.update({t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount())})
        dialog.reject()

    state = when_dialog(qtbot, KeysDialog, handle)
    press(qtbot, w, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    assert seen["Confirm the fact"] == "L" and seen["Reject the fact (not one fact)"] == "Shift+L"
    assert seen["Record which version is right…"] == "R"
    assert seen["Move the mention out of the fact"] == "S"
    assert seen["Move the mention into another fact…"] == "M"
    assert seen["Choose the version (in the comparison)"] == "1 … 9"
    assert seen["Compare the articles of the fact"].startswith("V")


def test_a_claim_with_two_shared_figures_switches_between_its_facts(qtbot, bridge):
    w, _ = bridge
    cid, facts = next((c, fs) for c, fs in ((c, w.state.facts.shared_of_claim(c)) for c in w.state.facts.by_claim)
                      if len(fs) >= 2)
    assert w.select_claim(cid)
    press(qtbot, w, Qt.Key.Key_V)
    cmp = w.compare
    assert cmp.chooser.isVisible() and cmp.chooser.count() == len(facts)
    first = cmp.fact.id
    other = next(f for f in facts if f.id != first)
    cmp.chooser.setFocus()
    qtbot.keyClick(cmp.chooser, Qt.Key.Key_Down if cmp.chooser.findData(other.id) > cmp.chooser.currentIndex()
                   else Qt.Key.Key_Up)
    assert cmp.fact.id == other.id
    assert all(v.text in cmp.reason.text() for v in other.versions)


def test_the_mention_to_move_is_chosen_with_the_keyboard(qtbot, bridge):
    w, stored = bridge
    fact = conflict_fact(w)
    first = next(m for m in fact.mentions if m.version == 0)
    assert w.select_claim(first.claim_id)
    press(qtbot, w, Qt.Key.Key_V)
    cmp = w.compare
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is cmp.mention_chooser
    target = next(i for i in range(cmp.mention_chooser.count())
                  if cmp.mention_chooser.itemData(i)[0] != first.claim_id)
    while cmp.mention_chooser.currentIndex() < target:
        qtbot.keyClick(cmp.mention_chooser, Qt.Key.Key_Down)
    moved = cmp.chosen_mention()
    press(qtbot, w, Qt.Key.Key_S)
    assert fact_of(stored, moved[0], moved[1]) != fact.id
    assert fact_of(stored, first.claim_id, first.start) == fact.id


def test_text_size_follows_into_panes_made_later(qtbot, bridge):
    w, _ = bridge
    base = w.article_view.font().pointSizeF()
    press(qtbot, w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    bigger = w.article_view.font().pointSizeF()
    assert bigger > base
    open_compare(qtbot, w, conflict_fact(w))  # its panes are made now, after the zoom
    assert all(p.view.font().pointSizeF() == bigger for p in w.compare.panes if p.isVisible())
