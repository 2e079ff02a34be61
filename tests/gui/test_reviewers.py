"""Two reviewers in the window: merge, the Disputed filter, curating with the keyboard, agreement, who reviews."""

from __future__ import annotations

import json

from gui_helpers import copy_project
from test_window import problem_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from claimdesk.core.model import CONFIRMED, REJECTED, SUGGESTED
from claimdesk.services.review import ReviewService
from claimdesk.gui.project_dialogs import ReviewerDialog
from claimdesk.gui.models import ClaimIdRole
from claimdesk.gui.settings import reviewer_name
from claimdesk.storage.project import Project


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def listed(w) -> list[int]:
    return [w.claim_proxy.data(w.claim_proxy.index(r, 0), ClaimIdRole) for r in range(w.claim_proxy.rowCount())]


def test_curating_a_disputed_claim_with_the_keyboard(qtbot, window, stored, sample_project_file, tmp_path):
    w = window
    cid = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)  # "tester" confirms it here
    assert stored.status(cid) == CONFIRMED
    theirs = copy_project(sample_project_file, tmp_path / "ben.claimdesk")
    with Project(theirs) as p:
        ReviewService(p, actor="ben").reject(cid)
        ReviewService(p, actor="ben").note("The filing says otherwise.", claim_id=cid)
    before = theirs.read_bytes()

    file_menu = next(m for m in w.menuBar().findChildren(QMenu) if m.title() == "&File")
    assert w.act_merge_project in file_menu.actions() and w.act_merge_project.text().startswith("&Merge")
    assert w.merge_from(theirs)
    assert theirs.read_bytes() == before  # the colleague's file is only read
    assert stored.status(cid) == SUGGESTED
    decisions = json.loads(stored.claim(cid)["disputed"])
    assert [(d["reviewer"], d["decision"][0]) for d in decisions] == [("ben", REJECTED), ("tester", CONFIRMED)]

    w.status_filter.setCurrentIndex(w.status_filter.findData("__disputed__"))
    assert listed(w) == [cid]
    w.claim_list.setFocus()
    w.select_claim(cid)
    qtbot.waitUntil(lambda: w.inspector.claim_id == cid)
    shown = [w.inspector.disputes.item(i).text() for i in range(w.inspector.disputes.count())]
    assert len(shown) == 2 and "ben" in shown[0] and "The filing says otherwise." in shown[0]
    assert w.inspector.disputes.isVisibleTo(w.inspector)

    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_X)  # the curator sides with ben
    assert stored.status(cid) == REJECTED and stored.claim(cid)["disputed"] is None
    assert stored.claim(cid)["decided_by"] == "tester"
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: disputed again
    assert stored.status(cid) == SUGGESTED and stored.claim(cid)["disputed"] is not None

    # or side with one of the listed decisions: Enter on it in the inspector
    w.select_claim(cid)
    qtbot.waitUntil(lambda: w.inspector.claim_id == cid and w.inspector.disputes.count() == 2)
    w.inspector.disputes.setFocus()
    w.inspector.disputes.setCurrentRow(1)  # tester's own confirmation
    press(qtbot, w, Qt.Key.Key_Return)
    row = stored.claim(cid)
    assert (row["status"], row["decided_by"], row["disputed"]) == (CONFIRMED, "tester", None)
    assert stored.events()[-1]["action"] == "confirm"
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.status(cid) == SUGGESTED and len(json.loads(stored.claim(cid)["disputed"])) == 2

    w.show_agreement()
    panel = w.agreement_panel
    assert panel.isVisible() and w.dockWidgetArea(panel) != Qt.DockWidgetArea.NoDockWidgetArea
    rows = panel.rows()
    assert rows[:4] == [["ben / tester"], ["overall", "1", "0.0 %", "0.000"],  # p_o = 0, p_e = 0
                        ["claims", "1", "0.0 %", "0.000"], ["facts", "0", "–", "–"]]


def test_the_reviewer_name_is_kept_in_the_users_settings_and_used(qtbot, window):
    w = window
    w.ask_reviewer(wait=False)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ReviewerDialog))
    dialog = QApplication.activeModalWidget()  # the dialog the user sees in front of the window
    dialog.name.setText("  Ana  Ruiz ")
    dialog.initials.setText("AR")
    dialog._accept()
    assert reviewer_name() == "Ana Ruiz"
    assert w.service.actor == "Ana Ruiz"


def test_first_start_asks_for_a_name_without_blocking_and_keeps_initials(qtbot, window, monkeypatch, stored):
    from claimdesk.gui.app import ask_on_first_start
    from claimdesk.gui.settings import needs_reviewer_name, reviewer_initials

    w = window
    monkeypatch.setenv("CLAIMDESK_REVIEWER", "ci-bot")
    assert not needs_reviewer_name() and not ask_on_first_start(w)  # a name from the environment: no question
    monkeypatch.delenv("CLAIMDESK_REVIEWER")
    assert needs_reviewer_name()
    assert ask_on_first_start(w)  # returns at once: the dialog is open, the window is not blocked
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ReviewerDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.isVisible() and dialog.isModal() and dialog.parent() is w
    qtbot.keyClicks(dialog.name, "Ana Ruiz")
    dialog.initials.setFocus()
    qtbot.keyClicks(dialog.initials, "AR")
    qtbot.keyClick(dialog.initials, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (reviewer_name(), reviewer_initials()) == ("Ana Ruiz", "AR")
    assert not needs_reviewer_name() and not ask_on_first_start(w)  # asked once
    # decisions carry the name; the file keeps the initials beside it (a colleague merging it shows them)
    cid = w.current_claim_id
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.claim(cid)["decided_by"] == "Ana Ruiz"
    assert stored._rows("SELECT value FROM settings WHERE key = 'reviewer_initials'")[0]["value"] == \
        '{"Ana Ruiz": "AR"}'
    w.select_claim(cid)
    qtbot.waitUntil(lambda: w.inspector.claim_id == cid)
    assert w.inspector.decided.text().startswith("Ana Ruiz (AR) at ")
    assert "Ana Ruiz (AR): confirm" in w.inspector.history.item(0).text()


def test_review_on_the_command_line_names_the_users_reviewer_before_the_environment(project_file, monkeypatch):
    from claimdesk.cli import main
    from claimdesk.gui.settings import remember_reviewer

    with Project(project_file) as p:
        first, second, third = [c.id for c in p.claims()][:3]
    monkeypatch.setenv("CLAIMDESK_REVIEWER", "env-name")
    assert main(["review", "--db", str(project_file), "--claim", str(first), "confirm"]) == 0
    remember_reviewer("Ana Ruiz", "AR")  # the name given in the window wins over the environment
    assert main(["review", "--db", str(project_file), "--claim", str(second), "reject"]) == 0
    assert main(["review", "--db", str(project_file), "--claim", str(third), "confirm", "--reviewer", "Ben"]) == 0
    with Project(project_file, readonly=True) as p:
        assert [p.claim(c).decided_by for c in (first, second, third)] == ["env-name", "Ana Ruiz", "Ben"]
        assert [e.actor for e in p.events(entity="claim")][-3:] == ["env-name", "Ana Ruiz", "Ben"]


def test_file_merge_refuses_a_damaged_or_newer_file_with_one_message_and_changes_nothing(qtbot, window, stored,
                                                                                          sample_project_file,
                                                                                          tmp_path):
    import hashlib
    import sqlite3

    w = window
    damaged = tmp_path / "damaged.claimdesk"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 300)
    newer = copy_project(sample_project_file, tmp_path / "newer.claimdesk")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    events = len(stored.events())
    before = hashlib.sha256(stored.path.read_bytes()).hexdigest()
    for other, words in ((damaged, "damaged"), (newer, "newer"), (stored.path, "itself")):
        assert not w.merge_from(other)
        said = problem_text(w)
        assert said.startswith("Nothing was merged: ") and words in said
    assert len(stored.events()) == events
    assert hashlib.sha256(stored.path.read_bytes()).hexdigest() == before
