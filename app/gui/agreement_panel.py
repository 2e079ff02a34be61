"""Review -> Agreement between reviewers: a small panel docked in the window.

Per pair of reviewers: the items both decided, percent agreement and Cohen's
kappa, over claims and facts together, then apart, then per article (claims),
as :func:`claimdesk.services.agreement.agreement` computes them. The figures are read
when the panel is shown, after a merge, on Refresh (F5 in the panel) and, while the
panel is shown, after a decision (the controller's ``changed``; not after a note,
which decides nothing): the decisions of one burst (an import's, a quick run of
keys) are read once, when the event loop is idle, and a hidden panel reads nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from claimdesk.services.reviewers import label as reviewer_label

# What the panel shows: the agreement report and the reviewers' initials, or None with no project open
# (the window's controller reads them: ReviewController.agreement).
AgreementSource = Callable[[], "tuple[dict[str, Any], dict[str, str]] | None"]


def _cells(name: str, d: dict[str, Any]) -> list[str]:
    if not d["items"]:
        return [name, "0", "–", "–"]
    kappa = "undefined" if d["kappa"] is None else f"{d['kappa']:.3f}"
    return [name, str(d["items"]), f"{100 * d['agreement']:.1f} %", kappa]


class AgreementPanel(QDockWidget):
    """Percent agreement and Cohen's kappa per pair of reviewers (a dock the reviewer can move or close)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Agreement between reviewers", parent)
        self.setObjectName("agreementPanel")
        self.setAccessibleName("Agreement between reviewers")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        self.summary = QLabel(body)
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTreeWidget(body)
        self.table.setObjectName("agreementTable")
        self.table.setAccessibleName("Agreement per pair of reviewers: claims, facts, per article")
        self.table.setHeaderLabels(["Reviewers", "Items", "Agree", "Kappa"])
        self.table.setUniformRowHeights(True)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(False)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.refresh_button = QPushButton("Re&fresh", body)
        self.refresh_button.setObjectName("agreementRefresh")
        self.refresh_button.setToolTip("Read the figures again from the project's history (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        QShortcut(QKeySequence("F5"), body, context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                  activated=self.refresh)
        self.setWidget(body)
        self.source: AgreementSource | None = None
        self.report: dict[str, Any] | None = None
        self.reads = 0  # how many times the figures were read (tests count them)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._refresh_if_shown)

    def refresh_soon(self) -> None:
        """Read the figures again once the event loop is idle (many calls in a row: one read)."""
        self._soon.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def show_source(self, source: AgreementSource | None) -> None:
        self.source = source
        self.refresh()

    def refresh(self) -> None:
        figures = self.source() if self.source is not None else None
        self.reads += 1
        if figures is None:
            self.report = None
            self.table.clear()
            self.summary.setText("No project open.")
            return
        self.report, known = figures
        self.show_report(self.report, known)

    def show_report(self, report: dict[str, Any], known: dict[str, str] | None = None) -> None:
        self.table.clear()
        pairs = report["pairs"]
        if not pairs:
            self.summary.setText("Fewer than two reviewers have decided anything in this project.")
            return
        self.summary.setText("Items both reviewers decided, the share decided alike, and Cohen's kappa "
                             "(agreement beyond chance).")
        for p in pairs:
            who = f"{reviewer_label(p['a'], known)} / {reviewer_label(p['b'], known)}"
            top = QTreeWidgetItem(self.table, [who])
            top.setFirstColumnSpanned(True)  # the names on a line of their own: never cut off
            top.setToolTip(0, who)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            QTreeWidgetItem(top, _cells("overall", p))
            QTreeWidgetItem(top, _cells("claims", p["claims"]))
            QTreeWidgetItem(top, _cells("facts", p["facts"]))
            for art in p["articles"]:
                QTreeWidgetItem(top, _cells(f"article: {art['title'] or art['article_id']}", art))
            top.setExpanded(True)

    def rows(self) -> list[list[str]]:
        """Every row as shown (a pair's names, then its overall, claims, facts and article rows)."""
        out = []
        for i in range(self.table.topLevelItemCount()):
            top = self.table.topLevelItem(i)
            out.append([top.text(0)])
            out.extend([top.child(j).text(c) for c in range(4)] for j in range(top.childCount()))
        return out


def show_agreement_panel(window: QMainWindow, source: AgreementSource) -> AgreementPanel:
    """The window's agreement panel (made on first use, docked at the bottom right), shown with fresh figures."""
    panel = window.findChild(AgreementPanel, "agreementPanel")
    if panel is None:
        panel = AgreementPanel(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.show_source(source)
    panel.show()
    panel.raise_()
    return panel


def refresh_agreement_panel(window: QMainWindow, source: AgreementSource) -> None:
    """After a merge or another project opened: new figures, if the panel is open."""
    panel = window.findChild(AgreementPanel, "agreementPanel")
    if panel is not None and panel.isVisible():
        panel.show_source(source)


def decisions_changed(applied) -> bool:
    """Whether an operation (a controller ``Applied``) may have changed a reviewer's decision: a claim's,
    a link's or a fact's. A note alone changes none."""
    changes = applied.changes
    facts_moved = bool(applied.facts_touched - set(changes.claims))
    if changes.notes and not changes.links and not facts_moved:
        return False
    return bool(changes.claims or changes.links or facts_moved or changes.structure)


def refresh_agreement_soon(window: QMainWindow, source: AgreementSource) -> None:
    """After a decision: fresh figures, if the panel is open (read once the burst of decisions is over)."""
    panel = window.findChild(AgreementPanel, "agreementPanel")
    if panel is not None and panel.isVisible():
        panel.source = source
        panel.refresh_soon()
