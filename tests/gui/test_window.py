"""The real review window, driven with keys and clicks; the project file is checked after each decision."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWidget

from claimdesk.core.model import CONFLICT, CONFLICTING, CONFIRMED, EDITED, LINK_CONFIRMED, REJECTED, SUGGESTED
from claimdesk.gui.dialogs import ConflictDialog, EditClaimDialog, NoteDialog
from claimdesk.gui.fact_state import in_conflict
from claimdesk.gui.main_window import MainWindow
from claimdesk.gui.models import ClaimIdRole


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press where a reviewer's key would land: the focused widget (or the window)."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def when_dialog(qtbot, kind, handle):
    """Run ``handle(dialog)`` once a modal dialog of ``kind`` is open (the window's exec() blocks)."""
    state = {"done": False, "error": None}

    def poll():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        try:
            handle(dialog)
        except BaseException as exc:  # never leave a modal dialog open: the test would hang
            state["error"] = exc
            dialog.reject()
        finally:
            state["done"] = True

    QTimer.singleShot(0, poll)
    return state


def ok(dialog: QDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def problem_text(window: MainWindow) -> str | None:
    """The message the window shows the user now (a box closed a moment ago may not be deleted yet)."""
    shown = [box for box in window.findChildren(QMessageBox, "problemMessage") if box.isVisible()]
    return shown[-1].text() if shown else None


def close_problem(qtbot, window: MainWindow) -> None:
    """Dismiss the message with Enter, as a reviewer would; the window gets the keyboard back."""
    box = window.findChild(QMessageBox, "problemMessage")
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "problemMessage") is None)
    qtbot.waitUntil(window.isActiveWindow)


def claim_ids_in_list(window: MainWindow) -> list[int]:
    proxy = window.claim_proxy
    return [proxy.index(r, 0).data(ClaimIdRole) for r in range(proxy.rowCount())]


def select_text_with_keyboard(qtbot, window: MainWindow, start: int, length: int) -> None:
    """Put the caret at ``start`` in the article and extend the selection with Shift+Right."""
    view = window.article_view
    view.setFocus()
    caret = view.textCursor()
    caret.setPosition(view.offsets.span_to_qt(start, start)[0])  # a click there, without a mouse
    view.setTextCursor(caret)
    for _ in range(length):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


# -- start-up ---------------------------------------------------------------------------------


def test_window_opens_on_the_first_unreviewed_claim_with_keyboard_focus(window, stored):
    w = window
    for name in ("articleList", "articleView", "claimList", "claimInspector", "compareView"):
        widget = w.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert w.current_claim_id is not None
    first_article = w.state.articles[0].id
    assert w.view_article == first_article
    assert claim_ids_in_list(w)[0] == w.current_claim_id
    assert stored.status(w.current_claim_id) == SUGGESTED
    assert QApplication.focusWidget() is w.claim_list
    assert w.inspector.claim_id == w.current_claim_id
    assert w.article_view.selected == w.current_claim_id
    counts = stored._rows("SELECT count(*) AS n FROM claims")[0]["n"]
    assert w.review_progress.maximum() == counts and w.review_progress.value() == 0
    assert "conflict" in w.conflict_label.text()


def test_every_control_has_an_accessible_name_and_every_action_a_key_or_menu(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit

    for cls in (QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit):
        for widget in window.findChildren(cls):
            if widget.isVisibleTo(window) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                    continue
                assert widget.accessibleName(), f"{cls.__name__} {widget.objectName()} has no accessible name"
    for button in window.compare.findChildren(QAbstractButton):
        assert button.accessibleName() or button.text()
    keys = {a.objectName(): [s.toString() for s in a.shortcuts()] for a in window.actions()}
    assert keys["actNext"] == ["J"] and keys["actPrevious"] == ["K"]
    assert keys["actConfirm"] == ["A"] and keys["actReject"] == ["X"] and keys["actEdit"] == ["E"]
    assert keys["actConflict"] == ["C"] and keys["actConfirmLink"] == ["L"] and keys["actNote"] == ["N"]
    assert keys["actUndo"] == ["Ctrl+Z"] and "Ctrl+Shift+Z" in keys["actRedo"]
    assert keys["actFind"] == ["Ctrl+F"] and keys["actOpen"] == ["Ctrl+O"]
    assert keys["actImport"] == ["Ctrl+I"] and keys["actExport"] == ["Ctrl+E"] and keys["actQuit"] == ["Ctrl+Q"]
    assert [s.toString() for s in window.act_add.shortcuts()][0] == "Return"


# -- decisions ----------------------------------------------------------------------------------


def test_a_confirms_and_moves_on_x_rejects(qtbot, window, stored):
    w = window
    first = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(first) == CONFIRMED
    ev = stored.events()[-1]
    assert (ev["action"], ev["entity"], ev["entity_id"], ev["actor"]) == ("confirm", "claim", first, "tester")
    assert ev["before"]["status"] == SUGGESTED and ev["after"]["status"] == CONFIRMED
    second = w.current_claim_id
    assert second != first, "after a decision the next claim is selected"
    press(qtbot, w, Qt.Key.Key_X)
    assert stored.status(second) == REJECTED
    # What the window shows follows the file.
    assert w.claim_model.claim(first).status == CONFIRMED
    assert w.review_progress.value() == 2
    assert w.state.article_info(w.view_article).reviewed == 2
    assert w.article_model.index(0, 3).data().startswith("2 / ")
    assert "Confirm" in w.act_undo.text() or "Reject" in w.act_undo.text()
    assert w.act_undo.isEnabled() and not w.act_redo.isEnabled()


def test_j_and_k_move_through_claims_and_on_to_the_next_article(qtbot, window):
    w = window
    a1, a2 = w.state.articles[0].id, w.state.articles[1].id
    order = claim_ids_in_list(w)
    assert w.current_claim_id == order[0]
    for expected in order[1:]:
        press(qtbot, w, Qt.Key.Key_J)
        assert w.current_claim_id == expected
    press(qtbot, w, Qt.Key.Key_J)
    assert w.view_article == a2
    assert w.current_claim_id == claim_ids_in_list(w)[0]
    assert w.article_view.selected == w.current_claim_id
    press(qtbot, w, Qt.Key.Key_K)
    assert w.view_article == a1
    assert w.current_claim_id == order[-1]
    press(qtbot, w, Qt.Key.Key_K)
    assert w.current_claim_id == order[-2]


def test_keys_work_while_the_article_text_has_focus(qtbot, window, stored):
    w = window
    w.article_view.setFocus()
    cid = w.current_claim_id
    qtbot.keyClick(w.article_view, Qt.Key.Key_X)
    assert stored.status(cid) == REJECTED
    assert stored.count("claims") == len(stored.claims())


def test_edit_changes_the_span_from_a_selection_and_the_values(qtbot, window, stored):
    w = window
    cid = w.current_claim_id
    claim = w.claim_model.claim(cid)
    article_text = w.project.article(claim.article_id).text
    # Select the claim minus its first word, with the keyboard.
    first_space = article_text.index(" ", claim.start) + 1
    select_text_with_keyboard(qtbot, w, first_space, claim.end - first_space)
    assert w.article_view.selection_span() == (first_space, claim.end)
    seen = {}

    def handle(dialog: EditClaimDialog):
        seen["span"] = dialog.span
        seen["text"] = dialog.text.toPlainText()
        assert dialog.values.rowCount() >= 1
        dialog.values.item(0, 2).setText("99000000")
        ok(dialog)

    state = when_dialog(qtbot, EditClaimDialog, handle)
    press(qtbot, w, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    assert seen["span"] == (first_space, claim.end)
    assert seen["text"] == article_text[first_space:claim.end]
    row = stored.claim(cid)
    assert (row["start"], row["end"], row["status"]) == (first_space, claim.end, EDITED)
    assert row["text"] == article_text[first_space:claim.end]
    values = stored.values(cid)
    assert values[0]["amount"] == 99000000
    assert all(first_space <= v["start"] and v["end"] <= claim.end for v in values)
    assert article_text[values[0]["start"]:values[0]["end"]] == values[0]["text"]
    assert stored.events()[-1]["action"] == "edit"
    assert w.claim_model.claim(cid).status == EDITED
    assert w.article_view.highlights.get(cid).start == first_space


def test_edit_text_only(qtbot, window, stored):
    w = window
    cid = w.current_claim_id

    def handle(dialog: EditClaimDialog):
        dialog.text.setPlainText("Microsoft invests in Mistral (reworded by the reviewer).")
        ok(dialog)

    state = when_dialog(qtbot, EditClaimDialog, handle)
    press(qtbot, w, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    row = stored.claim(cid)
    assert row["text"] == "Microsoft invests in Mistral (reworded by the reviewer)."
    assert row["status"] == EDITED


def test_c_marks_conflicting_with_a_chosen_claim_and_a_note(qtbot, window, stored):
    w = window
    cid = w.current_claim_id
    claim = w.claim_model.claim(cid)
    others = [c for c in stored.claims() if c["article_id"] != claim.article_id]
    target = others[-1]
    words = target["text"].split()[:4]

    def handle(dialog: ConflictDialog):
        qtbot.keyClicks(dialog.filter, " ".join(words))
        assert dialog.proxy.rowCount() >= 1
        dialog.list.setCurrentIndex(dialog.proxy.index(0, 0))
        assert dialog.chosen() == target["id"]
        dialog.note.setFocus()
        qtbot.keyClicks(dialog.note, "Second article gives a different figure")
        ok(dialog)

    state = when_dialog(qtbot, ConflictDialog, handle)
    press(qtbot, w, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    links = stored.links_between(cid, target["id"])
    assert len(links) == 1
    assert (links[0]["kind"], links[0]["status"]) == (CONFLICT, LINK_CONFIRMED)
    assert links[0]["resolution"] == "Second article gives a different figure"
    assert stored.status(cid) == CONFLICTING and stored.status(target["id"]) == CONFLICTING
    assert [n["text"] for n in stored.notes(claim_id=cid)] == ["Second article gives a different figure"]
    assert w.state.links.by_id[links[0]["id"]].status == LINK_CONFIRMED


def test_conflict_dialog_offers_suggested_links_first(qtbot, window):
    w = window
    link = next(l for l in w.state.links.by_id.values() if l.kind == CONFLICT)
    assert w.select_claim(link.claim_a)

    def handle(dialog: ConflictDialog):
        assert dialog.chosen() == link.claim_b
        assert dialog.model.rows[0][1].startswith("Suggested conflict")
        dialog.reject()

    state = when_dialog(qtbot, ConflictDialog, handle)
    press(qtbot, w, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]


def test_n_adds_a_note(qtbot, window, stored):
    w = window
    cid = w.current_claim_id

    def handle(dialog: NoteDialog):
        qtbot.keyClicks(dialog.text, "Check the Azure blog post")
        ok(dialog)

    state = when_dialog(qtbot, NoteDialog, handle)
    press(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: state["done"])
    assert state["error"] is None, state["error"]
    assert [n["text"] for n in stored.notes(claim_id=cid)] == ["Check the Azure blog post"]
    assert "Check the Azure blog post" in w.inspector.notes.item(0).text()


def _uncovered_words(text: str, claims, length: int = 40) -> tuple[int, int]:
    """A stretch of whole words, in a paragraph no claim touches."""
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if len(line) >= length and not any(c.start < end and start < c.end for c in claims):
            cut = line.rfind(" ", 0, length)
            return start, start + (cut if cut > 0 else len(line))
    raise AssertionError("every paragraph of the sample has a claim")


def test_enter_on_a_selection_adds_a_claim_the_suggester_missed(qtbot, window, stored):
    w = window
    article = w.project.article(w.view_article)
    start, end = _uncovered_words(article.text, w.project.claims(w.view_article))
    words = article.text[start:end]
    before = stored.count("claims")
    select_text_with_keyboard(qtbot, w, start, end - start)
    qtbot.keyClick(w.article_view, Qt.Key.Key_Return)
    assert stored.count("claims") == before + 1
    new = stored.claims()[-1]
    assert (new["start"], new["end"], new["text"]) == (start, end, words)
    assert (new["origin"], new["status"]) == ("manual", CONFIRMED)
    assert w.current_claim_id == new["id"]
    assert w.article_view.highlights.get(new["id"]) is not None
    assert not w.article_view.textCursor().hasSelection()


def test_enter_with_a_selection_of_figures_reads_their_values(qtbot, window, stored):
    w = window
    text = w.project.article(w.view_article).text
    start = text.index("Mistral has already raised")
    end = text.index(".", start)
    # The selection covers an existing claim's figures: a manual claim may overlap a suggested one.
    select_text_with_keyboard(qtbot, w, start, end - start)
    qtbot.keyClick(w.article_view, Qt.Key.Key_Enter)
    new = stored.claims()[-1]
    assert new["origin"] == "manual"
    values = stored.values(new["id"])
    assert any(v["amount"] == 563_000_000 for v in values)
    assert all(text[v["start"]:v["end"]] == v["text"] for v in values)


def test_undo_and_redo_across_articles(qtbot, window, stored):
    w = window
    a1, a2 = w.state.articles[0].id, w.state.articles[1].id
    c1 = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(c1) == CONFIRMED
    # Go to the second article with a click in the article list.
    rect = w.article_list.visualRect(w.article_model.index(1, 0))
    qtbot.mouseClick(w.article_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.view_article == a2
    c2 = w.current_claim_id
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_X)
    assert stored.status(c2) == REJECTED
    assert w.act_undo.text().replace("&", "") == "Undo Reject"
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.status(c2) == SUGGESTED
    assert w.current_claim_id == c2
    assert w.act_undo.text().replace("&", "") == "Undo Confirm"
    assert w.act_redo.isEnabled()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.status(c1) == SUGGESTED
    assert w.view_article == a1 and w.current_claim_id == c1, "undo shows the claim it changed"
    assert w.claim_model.claim(c1).status == SUGGESTED
    assert not w.act_undo.isEnabled()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored.status(c1) == CONFIRMED
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored.status(c2) == REJECTED
    assert w.view_article == a2
    assert [e["action"] for e in stored.events()][-4:] == [
        f"undo:{stored.events()[1]['op']}", f"undo:{stored.events()[0]['op']}",
        f"redo:{stored.events()[0]['op']}", f"redo:{stored.events()[1]['op']}"]
    assert w.review_progress.value() == 2


def test_undo_of_an_added_claim_removes_its_row_and_highlight(qtbot, window, stored):
    w = window
    text = w.project.article(w.view_article).text
    start = text.index("To open, or not to open")
    select_text_with_keyboard(qtbot, w, start, len("To open, or not to open"))
    qtbot.keyClick(w.article_view, Qt.Key.Key_Return)
    new_id = stored.claims()[-1]["id"]
    assert w.claim_model.row_of(new_id) is not None
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.claim(new_id) is None
    assert w.claim_model.row_of(new_id) is None
    assert w.article_view.highlights.get(new_id) is None
    press(qtbot, w, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored.claim(new_id) is not None
    assert w.claim_model.row_of(new_id) is not None


def test_ctrl_f_searches_all_articles(qtbot, window, stored):
    w = window
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.search
    qtbot.keyClicks(w.search, "billion")
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.search_mode
    ids = claim_ids_in_list(w)
    articles = {w.claim_model.claim(i).article_id for i in ids}
    assert len(articles) == 2, "matches come from every article"
    expected = {r["id"] for r in stored.claims() if "billion" in r["text"].lower()}
    assert expected <= set(ids)
    assert not w.claim_list.isColumnHidden(7)
    assert QApplication.focusWidget() is w.claim_list
    target = ids[-1]
    w.select_claim(target)
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(target) == CONFIRMED
    assert w.view_article == w.claim_model.claim(target).article_id
    # Escape leaves the search.
    w.search.setFocus()
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.search_mode and w.search.text() == ""


def test_status_filter_and_decisions(qtbot, window, stored):
    w = window
    w.status_filter.setCurrentIndex(w.status_filter.findData("__unreviewed__"))
    n = w.claim_proxy.rowCount()
    cid = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED
    assert w.claim_proxy.rowCount() == n - 1
    assert w.current_claim_id is not None and w.current_claim_id != cid
    assert stored.status(w.current_claim_id) == SUGGESTED
    w.status_filter.setCurrentIndex(w.status_filter.findData(CONFIRMED))
    assert claim_ids_in_list(w) == [cid]


def test_document_order_is_a_toggle(qtbot, window):
    w = window
    press(qtbot, w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert w.act_doc_order.isChecked()
    starts = [w.claim_model.claim(i).start for i in claim_ids_in_list(w)]
    assert starts == sorted(starts)
    press(qtbot, w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not w.act_doc_order.isChecked()


# -- compare view (review by fact: test_fact_review.py) ----------------------------------------------------------------------------------


def _conflict(window):
    return next(l for l in window.state.links.by_id.values() if l.kind == CONFLICT)


def test_inspector_shows_values_links_notes_and_history(qtbot, window, stored):
    w = window
    link = _conflict(w)
    w.select_claim(link.claim_a)
    claim = w.claim_model.claim(link.claim_a)
    ins = w.inspector
    assert ins.text.text() == claim.text
    assert ins.values.topLevelItemCount() == len(claim.values)
    assert ins.values.topLevelItem(0).text(0) == claim.values[0].text
    fact = w.state.facts.shared_of_claim(link.claim_a)[0]
    assert (fact.attribute in ins.links.item(0).text() and
            all(v.text in ins.links.item(0).text() for v in fact.versions)), "the fact, with every version"
    press(qtbot, w, Qt.Key.Key_A)
    w.select_claim(link.claim_a)
    assert "confirm" in ins.history.item(0).text() and "suggested → confirmed" in ins.history.item(0).text()
    # Activating a fact in the inspector opens the comparison.
    ins.links.setCurrentRow(0)
    ins.links.setFocus()
    qtbot.keyClick(ins.links, Qt.Key.Key_Return)
    assert w.tabs.currentIndex() == 1
    assert w.compare.fact.id == fact.id


# -- problems never kill the window -----------------------------------------------------------------


def test_a_decision_that_fails_gives_a_message_and_the_window_keeps_working(qtbot, window, stored, project_file):
    w = window
    gone = w.current_claim_id
    conn = sqlite3.connect(project_file)
    with conn:
        conn.execute("DELETE FROM notes WHERE claim_id = ?", [gone])
        conn.execute("DELETE FROM links WHERE claim_a = ? OR claim_b = ?", [gone, gone])
        conn.execute("DELETE FROM claim_values WHERE claim_id = ?", [gone])
        conn.execute("DELETE FROM claims WHERE id = ?", [gone])
    conn.close()
    press(qtbot, w, Qt.Key.Key_A)
    assert f"no claim {gone}" in problem_text(w)
    close_problem(qtbot, w)
    press(qtbot, w, Qt.Key.Key_J)
    cid = w.current_claim_id
    assert cid != gone
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED


def test_file_open_refuses_a_bad_file_with_a_message_then_opens_a_good_one(qtbot, window, stored, tmp_path,
                                                                        monkeypatch, sample_project_file):
    from PySide6.QtWidgets import QFileDialog

    from gui_helpers import Stored, copy_project

    w = window
    bad = tmp_path / "notes.claimdesk"
    bad.write_text("this is not a project")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    w.menuBar()  # the action is in File → Open
    w.act_open.trigger()
    assert "notes.claimdesk" in problem_text(w) and "not a Claimdesk project" in problem_text(w)
    assert bad.read_text() == "this is not a project", "a refused file is left as it was"
    close_problem(qtbot, w)
    cid = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED, "the open project still works"

    other = copy_project(sample_project_file, tmp_path / "other.claimdesk")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    press(qtbot, w, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert w.project.path == other
    assert "other.claimdesk" in w.windowTitle()
    assert w.review_progress.value() == 0
    assert not w.act_undo.isEnabled()
    cid = w.current_claim_id
    before = stored.status(cid)
    press(qtbot, w, Qt.Key.Key_X)
    assert Stored(other).status(cid) == REJECTED
    assert stored.status(cid) == before != REJECTED, "the first project's file is not touched"


def test_a_file_refused_as_the_window_starts_is_said_once_the_window_shows(qtbot, tmp_path):
    # "claimdesk gui --db damaged.claimdesk": the window is built before it shows; the message must not open on
    # nothing and vanish, leaving an empty window with no word on why
    from claimdesk.gui.main_window import MainWindow

    bad = tmp_path / "notes.claimdesk"
    bad.write_text("this is not a project")
    w = MainWindow(bad, actor="tester")
    qtbot.addWidget(w)
    assert problem_text(w) is None
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: problem_text(w) is not None)
    assert "notes.claimdesk" in problem_text(w) and "not a Claimdesk project" in problem_text(w)
    close_problem(qtbot, w)
    assert w.state is None and bad.read_text() == "this is not a project"


def test_new_project_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_new.trigger()
    assert window.project.path == tmp_path / "fresh.claimdesk"
    assert window.claim_proxy.rowCount() == 0
    assert "import" in window.article_header.text().lower()
    press(qtbot, window, Qt.Key.Key_A)  # no claim: nothing happens, nothing breaks
    assert problem_text(window) is None


@pytest.fixture
def fake_export(monkeypatch):
    """The real claimdesk.export, its writer replaced by one that records calls (and fails on PDF)."""
    import claimdesk.export as export

    calls = []

    def export_project(project, fmt, out_path, **kwargs):
        calls.append((fmt, str(out_path), project.counts()["claims"]))
        if fmt == "pdf":
            raise export.ExportError("PDF needs fonts, which are not installed")
        out_path.write_text(f"{fmt} export of {project.counts()['claims']} claims")

    monkeypatch.setattr(export, "export_project", export_project)
    return calls


def save_in_export_dialog(qtbot, name, fmt=None):
    """Answer the export dialog as a reviewer: pick a type (optional), type a file name, press Enter."""
    from claimdesk.gui.project_dialogs import ExportDialog
    from PySide6.QtWidgets import QComboBox, QLineEdit

    def handle(dialog):
        if fmt is not None:
            combo = dialog.findChild(QComboBox, "fileTypeCombo")
            i = combo.findText(export_filter(fmt))
            assert i >= 0
            combo.setCurrentIndex(i)
            combo.activated.emit(i)  # what a click in the list sends
        dialog.setDirectory(str(Path(name).parent))  # as if the reviewer went to that folder
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.selectAll()
        qtbot.keyClicks(edit, Path(name).name)
        # The Save button (Enter would first go to the file name completer's list).
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    return when_dialog(qtbot, ExportDialog, handle)


def test_ctrl_e_exports_in_the_background(qtbot, window, tmp_path, monkeypatch, fake_export):
    out = tmp_path / "sheet.md"
    answered = save_in_export_dialog(qtbot, out, "md")
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert answered["done"] and answered["error"] is None
    job = window.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20_000)
    assert out.read_text().startswith("md export of")
    assert fake_export[0][0] == "md"
    assert "Exported md" in window.statusBar().currentMessage()


def test_export_failure_is_a_readable_message(qtbot, window, tmp_path, monkeypatch, fake_export):
    out = tmp_path / "sheet"
    answered = save_in_export_dialog(qtbot, out, "pdf")
    window.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    qtbot.waitUntil(lambda: not window.job.running, timeout=20_000)
    assert fake_export[0][:2] == ("pdf", str(out) + ".pdf")
    assert "PDF needs fonts" in problem_text(window)
    close_problem(qtbot, window)
    cid = window.current_claim_id
    press(qtbot, window, Qt.Key.Key_A)
    assert window.claim_model.claim(cid).status == CONFIRMED


def test_quit_closes_the_window(qtbot, window):
    press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_claimdesk_gui_opens_a_window_with_a_message_for_a_file_it_cannot_open(qtbot, tmp_path, monkeypatch):
    """`claimdesk gui --db BAD`: a window that says what is wrong, not a dead start."""
    from claimdesk import cli

    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own; put it back after
    bad = tmp_path / "photo.claimdesk"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    assert cli.main(["gui", "--db", str(bad)]) == 0
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert windows
    w = windows[-1]
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: problem_text(w) is not None)  # said once the window shows
    assert "photo.claimdesk" in problem_text(w) and "not a Claimdesk project" in problem_text(w)
    assert w.state is None
    assert bad.read_bytes().startswith(b"\x89PNG")


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_becomes_a_message_and_the_window_keeps_working(qtbot, window, stored, monkeypatch):
    import sys

    from claimdesk.gui.app import _install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    _install_excepthook(window)
    calls = {"n": 0}
    real = window.inspector.show_claim

    def broken_once(*args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("inspector bug")
        return real(*args)

    monkeypatch.setattr(window.inspector, "show_claim", broken_once)
    press(qtbot, window, Qt.Key.Key_J)
    assert "RuntimeError: inspector bug" in problem_text(window)
    assert "saved" in problem_text(window)
    close_problem(qtbot, window)
    cid = window.current_claim_id
    press(qtbot, window, Qt.Key.Key_A)
    assert stored.status(cid) == CONFIRMED


def test_export_markdown_through_the_real_exporter(qtbot, window, tmp_path, monkeypatch):
    export = pytest.importorskip("claimdesk.export")
    suffix = export.SUFFIXES["md"]
    out = tmp_path / "fact-sheet"
    cid = window.current_claim_id
    press(qtbot, window, Qt.Key.Key_A)
    answered = save_in_export_dialog(qtbot, out, "md")
    window.act_export.trigger()
    assert answered["done"] and answered["error"] is None, answered
    qtbot.waitUntil(lambda: not window.job.running, timeout=60_000)
    assert problem_text(window) is None, problem_text(window)
    written = out.with_suffix(suffix)
    assert written.exists()
    assert window.project.claim(cid).text.split()[0] in written.read_text(encoding="utf-8")


def test_clicking_a_column_header_sorts_the_claim_list(qtbot, window, stored):
    w = window
    press(qtbot, w, Qt.Key.Key_X)  # one rejected claim, the rest suggested
    header = w.claim_list.horizontalHeader()
    x = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    statuses = [w.claim_model.claim(i).status for i in claim_ids_in_list(w)]
    order = ["suggested", "confirmed", "edited", "rejected", "conflicting"]
    keys = [order.index(s) for s in statuses]
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)
    assert len(set(statuses)) == 2
    # Document order puts the list back in the order of the text.
    w.act_doc_order.trigger()
    starts = [w.claim_model.claim(i).start for i in claim_ids_in_list(w)]
    assert starts == sorted(starts)
    assert header.sortIndicatorSection() == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_a_burst_of_keys_keeps_window_and_file_in_step(qtbot, window, stored, seed):
    """Many decisions, moves, undos and redos in a row: what the window shows is what the file holds."""
    import random

    from claimdesk.storage.project import Project

    rng = random.Random(seed)
    keys = [(Qt.Key.Key_J, None), (Qt.Key.Key_K, None), (Qt.Key.Key_A, None), (Qt.Key.Key_X, None),
            (Qt.Key.Key_U, None), (Qt.Key.Key_L, None), (Qt.Key.Key_V, None), (Qt.Key.Key_Escape, None),
            (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
            (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)]
    w = window
    for _ in range(120):
        key, mod = rng.choice(keys)
        press(qtbot, w, key, mod or Qt.KeyboardModifier.NoModifier)
        if problem_text(w):  # e.g. nothing left to undo: a message, then carry on
            close_problem(qtbot, w)
        if QApplication.focusWidget() is None or not w.isAncestorOf(QApplication.focusWidget()):
            w.claim_list.setFocus()
    with Project(stored.path) as project:
        for c in w.claim_model.claims():
            assert project.claim(c.id).status == c.status
            assert w.article_view.highlights.get(c.id).status == c.status
        stats = project.article_stats()
        facts = project.facts()
        assert facts == list(w.state.facts.by_id.values()), "the window's facts are the file's"
        for info in w.state.articles:
            s = stats[info.id]
            in_conflict_here = sum(1 for f in facts if in_conflict(f) and info.id in f.articles)
            assert (info.claims, info.reviewed, info.conflicts) == (s["claims"], s["reviewed"], in_conflict_here)
        counts = project.counts()
        assert w.review_progress.value() == counts["reviewed"]
        for link in project.links():
            assert w.state.links.by_id[link.id].status == link.status
        assert len(w.state.links.by_id) == len(project.links())


def export_filter(fmt):
    """The save dialog's filter for a format, as the window builds it."""
    from claimdesk.export import DESCRIPTIONS, SUFFIXES

    return f"{DESCRIPTIONS[fmt]} (*{SUFFIXES[fmt]})"
