"""The controller applies a decision and emits one ``changed``; every pane redraws itself from it."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt

from claimdesk.core.model import CONFIRMED, REJECTED
from claimdesk.gui.controller import Applied
from claimdesk.gui.style import status_label
from test_window import press, problem_text

GUI = Path(__file__).resolve().parents[2] / "app" / "gui"


def test_a_decision_made_through_the_controller_alone_redraws_every_pane(qtbot, window, stored):
    """No key, no window method: the panes follow the signal by themselves."""
    w = window
    seen: list[Applied] = []
    w.controller.changed.connect(seen.append)
    cid = w.current_claim_id
    row = w.claim_proxy.row_of(cid)
    before_reviewed = w.review_progress.value()
    renders = w.inspector.renders

    changes = w.controller.decide("reject", cid)

    assert stored.status(cid) == REJECTED
    assert len(seen) == 1 and seen[0].changes is changes and cid in seen[0].claims
    assert w.claim_proxy.index(row, 1).data() == status_label(REJECTED)  # claim list
    assert w.article_view.highlights.get(cid) is not None  # article text, redrawn with the new status
    assert w.article_pane.claims[cid].status == REJECTED
    assert w.review_progress.value() == before_reviewed + 1  # status bar
    assert w.article_model.index(w.article_model.row_of(w.view_article), 3).data().startswith(
        f"{w.state.article_info(w.view_article).reviewed} / ")  # article list
    assert w.inspector.renders > renders and w.inspector.claim_id == cid  # inspector
    # A decision that changes nothing in the file records nothing and still comes back as one signal.
    w.controller.decide("reject", cid)
    assert len(seen) == 2 and not seen[1].changes.claims


def test_a_key_goes_through_the_controller_once(qtbot, window, stored):
    w = window
    seen: list[Applied] = []
    w.controller.changed.connect(seen.append)
    first = w.current_claim_id
    press(qtbot, w, Qt.Key.Key_A)
    assert stored.status(first) == CONFIRMED
    assert len(seen) == 1 and seen[0].moving_on  # the inspector waited for the move to the next claim
    assert w.current_claim_id != first and w.inspector.claim_id == w.current_claim_id


def test_a_failed_decision_emits_nothing_and_says_why(qtbot, window):
    w = window
    seen: list[Applied] = []
    w.controller.changed.connect(seen.append)
    assert w.controller.decide("confirm", 10**9) is None
    assert seen == [] and problem_text(w)


def test_undo_comes_back_through_the_same_signal(qtbot, window, stored):
    w = window
    cid = w.current_claim_id
    w.controller.decide("confirm", cid)
    seen: list[Applied] = []
    w.controller.changed.connect(seen.append)
    press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored.status(cid) != CONFIRMED
    assert len(seen) == 1 and cid in seen[0].claims
    assert w.claim_model.claim(cid).status == stored.status(cid)


def test_only_the_controller_calls_the_review_service_and_catches_storage_errors():
    """The window's modules name service methods (``decide("confirm", …)``) but call none of them,
    and none but the controller imports sqlite3 or opens a Project."""
    allowed = {"controller.py", "state.py", "worker.py", "screenshots.py"}
    for path in GUI.glob("*.py"):
        if path.name in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert "sqlite3" not in names, f"{path.name} imports sqlite3"
                assert "Project" not in names and "ReviewService" not in names, f"{path.name} opens the project"
            # a call (``self.service.confirm(…)``) or a method handed on (``run(self.service.confirm_fact, …)``)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "service":
                raise AssertionError(f"{path.name}:{node.lineno} reaches the service's {node.attr} directly")
