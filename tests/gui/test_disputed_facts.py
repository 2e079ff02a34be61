"""Two reviewers decided one fact differently (issue 17): the merged file in the real window, the fact curated
with the keyboard, the project file read back after each step (also after a restart)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gui_helpers import Stored, copy_project
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_fact_review import fact_row
from test_window import press

from claimdesk.cli import main
from claimdesk.services.review import ReviewService
from claimdesk.services.reviewers import record_initials
from claimdesk.gui.main_window import MainWindow
from claimdesk.gui.models import ClaimIdRole
from claimdesk.storage.project import Project


def _open(qtbot, path: Path, actor: str) -> MainWindow:
    w = MainWindow(path, actor=actor)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def listed(w) -> list[int]:
    return [w.claim_proxy.data(w.claim_proxy.index(r, 0), ClaimIdRole) for r in range(w.claim_proxy.rowCount())]


@pytest.fixture
def disputed(sample_project_file, tmp_path):
    """Ana and Ben each review a copy of the sample story (real coverage of one deal, through the real
    pipeline) and pick different versions of its main conflict; Ana's file then takes in Ben's with
    ``claimdesk merge``."""
    base = copy_project(sample_project_file, tmp_path / "base.claimdesk")
    with Project(base, readonly=True) as p:
        fact = max((f for f in p.facts() if f.status == "conflicting" and len(f.versions) >= 2),
                   key=lambda f: (len(f.articles), -f.id))
    ana = copy_project(base, tmp_path / "ana.claimdesk")
    ben = copy_project(base, tmp_path / "ben.claimdesk")
    with Project(ana) as p:
        ReviewService(p, actor="Ana Ruiz").resolve_fact(fact.id, fact.versions[0].k, "Ana read the council minutes")
        record_initials(p, "Ana Ruiz", "AR")
    with Project(ben) as p:
        ReviewService(p, actor="Ben Okafor").resolve_fact(fact.id, fact.versions[1].k, "Ben called the press office")
    ben_bytes = ben.read_bytes()
    assert main(["merge", "--db", str(ana), str(ben)]) == 0
    assert ben.read_bytes() == ben_bytes  # the colleague's file is only read
    return ana, fact


def test_curating_a_disputed_fact_with_the_keyboard(qtbot, disputed):
    path, fact = disputed
    stored = Stored(path)
    row = fact_row(stored, fact.id)
    assert row["review"] == "open" and row["disputed"] is not None
    w = _open(qtbot, path, "Cleo")
    # the agreement panel: the two reviewers decided one fact, differently
    w.show_agreement()
    rows = w.agreement_panel.rows()
    assert rows[0] == ["Ana Ruiz (AR) / Ben Okafor"] and rows[1][:3] == ["overall", "1", "0.0 %"]
    assert rows[3][:3] == ["facts", "1", "0.0 %"]

    # the Disputed filter lists the claims whose fact the reviewers decided differently
    claim = next(m.claim_id for m in fact.mentions)
    assert w.select_claim(claim)
    w.status_filter.setCurrentIndex(w.status_filter.findData("__disputed__"))
    mine = {m.claim_id for m in fact.mentions if m.article_id == w.view_article}
    assert set(listed(w)) == mine
    w.select_claim(claim)
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_V)
    cmp = w.compare
    assert w.tabs.currentWidget() is cmp and cmp.fact.id == fact.id
    assert cmp.dispute_box.isVisibleTo(w) and "disputed" in cmp.reason.text()
    shown = [cmp.disputes.item(i).text() for i in range(cmp.disputes.count())]
    v1, v2 = fact.versions[0], fact.versions[1]
    assert shown[0].startswith(f"Ana Ruiz (AR): version 1 ({v1.text}) is right · ")
    assert "why: Ana read the council minutes" in shown[0]
    assert shown[1].startswith(f"Ben Okafor: version 2 ({v2.text}) is right · ")
    assert "why: Ben called the press office" in shown[1]
    # the inspector lists the same decisions under the claim's facts
    links = [w.inspector.links.item(i).text() for i in range(w.inspector.links.count())]
    assert any("Reviewers disagree — Ben Okafor: version 2" in t for t in links)

    # side with Ben: Alt+D goes to the reviewers' decisions, Down to Ben's, Enter
    events = len(stored.events())
    press(qtbot, w, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is cmp.disputes
    press(qtbot, w, Qt.Key.Key_Down)
    press(qtbot, w, Qt.Key.Key_Return)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"], row["resolution"], row["decided_by"], row["disputed"]) == (
        "resolved", v2.k, "Ben called the press office", "Cleo", None)
    ev = stored.events()[-1]
    assert len(stored.events()) == events + 1
    assert (ev["entity"], ev["entity_id"], ev["actor"], ev["action"]) == ("fact", fact.id, "Cleo", "resolve fact")
    assert json.loads(ev["before"]["disputed"])[0]["reviewer"] == "Ana Ruiz"
    assert not cmp.dispute_box.isVisibleTo(w) and "version 2 is right" in cmp.reason.text()
    assert listed(w) == []  # nothing disputed is left in this article

    # undo: the dispute is back; decide anew with the usual keys (a version, R, why, Enter)
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"], row["decided_by"]) == ("open", None, None)
    assert len(json.loads(row["disputed"])) == 2
    assert cmp.dispute_box.isVisibleTo(w) and cmp.disputes.count() == 2
    assert set(listed(w)) == mine
    # the list had emptied (nothing left disputed): the curator picks the claim again and compares
    w.select_claim(claim)
    w.claim_list.setFocus()
    press(qtbot, w, Qt.Key.Key_V)
    assert cmp.fact.id == fact.id and cmp.disputes.count() == 2
    press(qtbot, w, Qt.Key.Key_1)
    press(qtbot, w, Qt.Key.Key_R)
    assert QApplication.focusWidget() is cmp.note
    cmp.note.clear()
    qtbot.keyClicks(cmp.note, "The budget paper settles it")
    qtbot.keyClick(cmp.note, Qt.Key.Key_Return)
    row = fact_row(stored, fact.id)
    assert (row["review"], row["preferred_version"], row["resolution"], row["decided_by"], row["disputed"]) == (
        "resolved", v1.k, "The budget paper settles it", "Cleo", None)
    w.close()

    # after a restart Ctrl+Z still takes the curator's decision back: the reviewers' decisions are listed again
    w2 = _open(qtbot, path, "Cleo")
    press(qtbot, w2, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = fact_row(stored, fact.id)
    assert row["review"] == "open" and [d["reviewer"] for d in json.loads(row["disputed"])] == ["Ana Ruiz",
                                                                                              "Ben Okafor"]
    assert w2.state.facts.by_id[fact.id].disputed
    w2.close()
