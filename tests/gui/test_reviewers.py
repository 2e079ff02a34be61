"""Two reviewers in the window: merge, the Disputed filter, curating with the keyboard, agreement, who reviews."""

from __future__ import annotations

import json

from gui_helpers import copy_project
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.model import CONFIRMED, REJECTED, SUGGESTED
from app.services.review import ReviewService
from app.gui.dialogs import ReviewerDialog
from app.gui.models import ClaimIdRole
from app.gui.settings import reviewer_name
from app.storage.project import Project


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

    w.show_agreement()
    text = w.agreement_dialog.text.toPlainText()
    assert "ben / tester: 1 items, 0.0% agree" in text


def test_the_reviewer_name_is_kept_in_the_users_settings_and_used(qtbot, window):
    w = window
    w.ask_reviewer(wait=False)
    dialog = w.reviewer_dialog
    assert isinstance(dialog, ReviewerDialog)
    dialog.name.setText("  Ana  Ruiz ")
    dialog.initials.setText("AR")
    dialog._accept()
    assert reviewer_name() == "Ana Ruiz"
    assert w.service.actor == "Ana Ruiz"
