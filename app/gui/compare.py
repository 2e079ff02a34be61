"""The compare view: two articles side by side on one conflict or corroboration.

The claim the reviewer came from is on the left, the linked claim on the
right; both texts are scrolled to their claim, the two compared values are
emphasised, and the reason the link was suggested is shown above them. The
buttons confirm the link, reject it, or record which version is right and why.
The view only asks; the window makes the decision through the review service.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.model import CONFLICT, Claim, Link
from app.gui.article_view import ArticleView
from app.gui.state import ProjectState
from app.gui.style import LINK_KIND_LABELS, LINK_STATUS_LABELS, STATUS_COLOURS, status_label


class _Side(QWidget):
    """One article of the pair."""

    def __init__(self, which: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel(self)
        self.header.setObjectName(f"compare{which}Header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setAccessibleName(f"{which} article")
        layout.addWidget(self.header)
        self.view = ArticleView(self, name=f"compare{which}", accessible_name=f"{which} article text")
        layout.addWidget(self.view, 1)
        self.article_id: int | None = None
        self.claim: Claim | None = None

    def show(self, state: ProjectState, claim: Claim, strong: tuple[int, int] | None) -> None:  # type: ignore[override]
        project = state.project
        if self.article_id != claim.article_id:
            self.view.show_text(project.article(claim.article_id).text)
            self.article_id = claim.article_id
        self.claim = claim
        claims = project.claims(claim.article_id)
        self.view.set_claims(claims, {claim.id: [strong]} if strong else None)
        self.view.select_claim(claim.id)
        info = state.article_info(claim.article_id)
        meta = " · ".join(x for x in (info.outlet, info.published) if x) if info else ""
        colour = STATUS_COLOURS.get(claim.status, "#fff")
        self.header.setText(
            f"<b>{html.escape(info.title if info else '', quote=False)}</b>"
            + (f"<br>{html.escape(meta, quote=False)}" if meta else "")
            + f"<br>Claim #{claim.id}: <span style='background:{colour}; color:#000'>&nbsp;"
              f"{html.escape(status_label(claim.status), quote=False)}&nbsp;</span>"
        )

    def reset(self) -> None:
        self.article_id = None
        self.claim = None
        self.view.clear_article()
        self.header.setText("")


class CompareView(QWidget):
    """Side-by-side view of a link; asks the window to decide through signals."""

    confirmRequested = Signal(int)
    rejectRequested = Signal(int)
    resolveRequested = Signal(int, int, str)  # link id, preferred claim id (0: neither), note
    linkChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setAccessibleName("Compare two articles")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        top = QHBoxLayout()
        self.reason = QLabel(self)
        self.reason.setObjectName("compareReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setAccessibleName("Why the two claims are linked")
        top.addWidget(self.reason, 1)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("linkChooser")
        self.chooser.setAccessibleName("Link to compare")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(24)
        self.chooser.activated.connect(self._chosen)
        top.addWidget(self.chooser)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        self.left = _Side("Left", split)
        self.right = _Side("Right", split)
        split.addWidget(self.left)
        split.addWidget(self.right)
        layout.addWidget(split, 1)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        bottom = QHBoxLayout()
        self.confirm_button = QPushButton("&Confirm link", self)
        self.confirm_button.setObjectName("confirmLinkButton")
        self.confirm_button.setAccessibleName("Confirm the link")
        self.confirm_button.setToolTip("The two claims do state the same fact (L)")
        self.reject_button = QPushButton("&Reject link", self)
        self.reject_button.setObjectName("rejectLinkButton")
        self.reject_button.setAccessibleName("Reject the link")
        self.reject_button.setToolTip("The two claims are not about the same fact (Shift+L)")
        self.note = QLineEdit(self)
        self.note.setObjectName("resolutionNote")
        self.note.setAccessibleName("Why one version is right")
        self.note.setPlaceholderText("Which version is right, and why? (needed to resolve)")
        self.left_button = QPushButton("&Left is right", self)
        self.left_button.setObjectName("preferLeftButton")
        self.left_button.setAccessibleName("The left article's version is right")
        self.right_button = QPushButton("Rig&ht is right", self)
        self.right_button.setObjectName("preferRightButton")
        self.right_button.setAccessibleName("The right article's version is right")
        self.neither_button = QPushButton("&Neither", self)
        self.neither_button.setObjectName("preferNeitherButton")
        self.neither_button.setAccessibleName("Neither version is right")
        self.link_label = QLabel("Is this the same fact?", self)
        bottom.addWidget(self.link_label)
        for w in (self.confirm_button, self.reject_button):
            bottom.addWidget(w)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        resolve = QHBoxLayout()
        note_label = QLabel("&Why:", self)
        note_label.setBuddy(self.note)
        resolve.addWidget(note_label)
        resolve.addWidget(self.note, 1)
        for w in (self.left_button, self.right_button, self.neither_button):
            resolve.addWidget(w)
        layout.addLayout(resolve)

        self.confirm_button.clicked.connect(lambda: self._emit(self.confirmRequested))
        self.reject_button.clicked.connect(lambda: self._emit(self.rejectRequested))
        self.left_button.clicked.connect(lambda: self._resolve(self.left))
        self.right_button.clicked.connect(lambda: self._resolve(self.right))
        self.neither_button.clicked.connect(lambda: self._resolve(None))
        self.link: Link | None = None
        self.focus_claim: int | None = None
        self.show_nothing()

    # -- signals ---------------------------------------------------------------------------

    def _emit(self, signal) -> None:
        if self.link is not None:
            signal.emit(self.link.id)

    def _resolve(self, side: _Side | None) -> None:
        if self.link is None:
            return
        preferred = side.claim.id if side is not None and side.claim is not None else 0
        self.resolveRequested.emit(self.link.id, preferred, self.note.text())

    def _chosen(self, index: int) -> None:
        link_id = self.chooser.itemData(index)
        if link_id is not None and (self.link is None or link_id != self.link.id):
            self.linkChosen.emit(int(link_id))

    # -- content -----------------------------------------------------------------------------

    def show_nothing(self, message: str = "Select a claim that has a link, then press V to compare.") -> None:
        self.link = None
        self.reason.setText(html.escape(message, quote=False))
        self.chooser.clear()
        self.left.reset()
        self.right.reset()
        for w in (self.confirm_button, self.reject_button, self.left_button, self.right_button,
                  self.neither_button, self.note, self.chooser):
            w.setEnabled(False)
        self.chooser.setVisible(False)

    def show_link(self, state: ProjectState, link: Link, focus_claim: int | None = None) -> None:
        project = state.project
        if focus_claim not in (link.claim_a, link.claim_b):
            focus_claim = link.claim_a
        same_link = self.link is not None and self.link.id == link.id
        self.link = link
        self.focus_claim = focus_claim
        a, b = project.claim(link.claim_a), project.claim(link.claim_b)
        if focus_claim == link.claim_b:
            (left, lspan), (right, rspan) = (b, link.b_span), (a, link.a_span)
        else:
            (left, lspan), (right, rspan) = (a, link.a_span), (b, link.b_span)
        self.left.show(state, left, lspan)
        self.right.show(state, right, rspan)
        kind = LINK_KIND_LABELS.get(link.kind, link.kind)
        colour = STATUS_COLOURS["conflicting" if link.kind == CONFLICT else "confirmed"]
        status = LINK_STATUS_LABELS.get(link.status, link.status)
        text = (f"<span style='background:{colour}; color:#000'>&nbsp;<b>{html.escape(kind, quote=False)}</b>"
                "&nbsp;</span>"
                f" &nbsp;<big>{html.escape(link.reason, quote=False)}</big><br>"
                f"Link {link.id}, {html.escape(status, quote=False)}; confidence {link.confidence:.2f}")
        if link.resolution:
            text += f"<br>Resolution: {html.escape(link.resolution, quote=False)}"
        if link.preferred_claim:
            side = "left" if link.preferred_claim == left.id else "right"
            text += f" (the {side} version is right)"
        self.reason.setText(text)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for other in state.links.of_claim(focus_claim):
            label = f"{LINK_KIND_LABELS.get(other.kind, other.kind)}: {other.reason}"
            self.chooser.addItem(label, other.id)
        i = self.chooser.findData(link.id)
        self.chooser.setCurrentIndex(max(i, 0))
        self.chooser.blockSignals(False)
        if not same_link:
            self.note.setText(link.resolution or "")
        for w in (self.confirm_button, self.reject_button, self.left_button, self.right_button,
                  self.neither_button, self.note):
            w.setEnabled(True)
        self.chooser.setEnabled(self.chooser.count() > 1)
        self.chooser.setVisible(self.chooser.count() > 1)
        # The view may just have been resized (tab switch, inspector stepping aside): once the
        # layout has settled, bring both claims into view again.
        QTimer.singleShot(0, self._rescroll)

    def _rescroll(self) -> None:
        for side in (self.left, self.right):
            if side.claim is not None and side.view.has_claim(side.claim.id):
                side.view.select_claim(side.claim.id)
