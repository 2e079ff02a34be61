"""The compare view: every article that states one fact, side by side.

A fact is one thing measured (claimdesk.core.facts); its mentions are the values the
articles give, grouped into versions. The view shows one pane per article,
each scrolled to its mention with the value emphasised and the version named
above it, and says in words what is measured, whose it is, and the versions
with their sources. The reviewer decides once for the whole fact: confirm it,
reject the grouping, record which version is right and why, move a wrongly
grouped mention out (split) or into another fact (merge). The view only asks;
the window makes the decision through the review service.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from claimdesk.core.facts import CONFLICTING, Fact, Mention
from claimdesk.gui.article_view import ArticleView
from claimdesk.services.reviewers import label as reviewer_label
from claimdesk.gui.fact_state import (
    REVIEW_WORDS,
    STATUS_WORDS,
    ReviewerDecision,
    decision_words,
    fact_dispute,
    fact_summary,
    version_sources,
)
from claimdesk.gui.state import ProjectState
from claimdesk.gui.style import STATUS_COLOURS

PANE_MIN_WIDTH = 300
VERSION_COLOURS = ("#ffd27a", "#9fd0ff", "#c8e6a0", "#f4b6c2", "#d5c4f0", "#ffe9a8")


def version_colour(k: int) -> str:
    return VERSION_COLOURS[k % len(VERSION_COLOURS)]


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def source_name(state: ProjectState, article_id: int, n: int = 32) -> str:
    """An article as a source: its outlet, else the start of its title."""
    info = state.article_info(article_id)
    if info is None:
        return f"article {article_id}"
    name = info.outlet or info.title
    return name if len(name) <= n else name[: n - 1].rstrip() + "…"


class _Pane(QWidget):
    """One article of the fact, at its mention(s)."""

    def __init__(self, index: int, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel(self)
        self.header.setObjectName(f"factPaneHeader{index}")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.header)
        self.view = ArticleView(self, name=f"factPane{index}", accessible_name=f"Article {index + 1} text")
        layout.addWidget(self.view, 1)
        self.setMinimumWidth(PANE_MIN_WIDTH)
        self.article_id: int | None = None
        self.mentions: list[Mention] = []

    def show_mentions(self, state: ProjectState, fact: Fact, mentions: list[Mention]) -> None:
        project = state.project
        aid = mentions[0].article_id
        if self.article_id != aid:
            self.view.show_text(project.article(aid).text)
            self.article_id = aid
        self.mentions = mentions
        self.view.strong_background = version_colour(mentions[0].version)
        strong: dict[int, list[tuple[int, int]]] = {}
        for m in mentions:
            strong.setdefault(m.claim_id, []).append((m.start, m.end))
        self.view.set_claims(project.claims(aid), strong)
        self.view.select_claim(mentions[0].claim_id)
        info = state.article_info(aid)
        meta = " · ".join(x for x in (info.outlet, info.published) if x) if info else ""
        texts = {v.k: v.text for v in fact.versions}
        says = "; ".join(
            f"<span style='background:{version_colour(m.version)}; color:#000'>&nbsp;version {m.version + 1}"
            f"&nbsp;</span> <b>{_e(m.text)}</b>"
            + (f" ({_e(texts.get(m.version))})" if texts.get(m.version) and texts[m.version] != m.text else "")
            + f" · claim #{m.claim_id}"
            for m in mentions
        )
        self.header.setText(
            f"<b>{_e(info.title if info else '')}</b>" + (f"<br>{_e(meta)}" if meta else "") + f"<br>{says}"
        )
        self.header.setAccessibleName(f"{info.title if info else 'Article'}: " + ", ".join(m.text for m in mentions))

    def rescroll(self) -> None:
        if self.mentions and self.view.has_claim(self.mentions[0].claim_id):
            self.view.select_claim(self.mentions[0].claim_id)

    def reset(self) -> None:
        self.article_id = None
        self.mentions = []
        self.view.clear_article()
        self.header.setText("")


class FactCompareView(QWidget):
    """All the articles of one fact; asks the window to decide through signals."""

    confirmRequested = Signal(int, int)  # fact id, version (-1: none named)
    rejectRequested = Signal(int)
    resolveRequested = Signal(int, int, str)  # fact id, version, note
    splitRequested = Signal(int, int, int, int)  # fact id, claim id, start, end
    mergeRequested = Signal(int, int, int, int)  # claim id, start, end, into fact
    takeRequested = Signal(int, int)  # fact id, which reviewer's decision (its row in the dispute)
    factChosen = Signal(int)
    #: Keys of this view that are not window actions (listed by F1).
    KEYS = [("Choose the version (in the comparison)", "1 … 9"),
            ("Go to the reviewers' decisions on a disputed fact (in the comparison)", "Alt+D"),
            ("Side with the chosen reviewer (their list, or the inspector's for a claim)", "Enter")]

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setAccessibleName("Compare the articles of one fact")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        top = QHBoxLayout()
        self.reason = QLabel(self)
        self.reason.setObjectName("compareReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setAccessibleName("What is measured and what each article says")
        top.addWidget(self.reason, 1)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("factChooser")
        self.chooser.setAccessibleName("Fact to compare")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(24)
        self.chooser.activated.connect(self._chosen)
        top.addWidget(self.chooser, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        # A disputed fact (two reviewers' files merged, their decisions differ): each reviewer's decision.
        self.dispute_box = QWidget(self)
        self.dispute_box.setObjectName("factDisputeBox")
        box = QVBoxLayout(self.dispute_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.dispute_label = QLabel(
            "Reviewers &disagree — side with one (Enter), or decide anew below (L, Shift+L, 1-9 and R):",
            self.dispute_box)
        self.dispute_label.setObjectName("factDisputeLabel")
        font = self.dispute_label.font()
        font.setBold(True)
        self.dispute_label.setFont(font)
        self.dispute_label.setWordWrap(True)
        box.addWidget(self.dispute_label)
        row0 = QHBoxLayout()
        self.disputes = QListWidget(self.dispute_box)
        self.disputes.setObjectName("factDisputes")
        self.disputes.setAccessibleName("Each reviewer's decision on the fact; press Enter to side with one")
        self.disputes.setWordWrap(True)
        self.disputes.itemActivated.connect(lambda _item: self.request_take())
        self.dispute_label.setBuddy(self.disputes)
        row0.addWidget(self.disputes, 1)
        self.take_button = self._button("&Side with this reviewer", "takeDecisionButton",
                                        "Side with the chosen reviewer",
                                        "Make the chosen reviewer's decision the fact's (Enter in the list)")
        self.take_button.clicked.connect(self.request_take)
        row0.addWidget(self.take_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(row0)
        self.dispute_box.setVisible(False)
        layout.addWidget(self.dispute_box)
        self.dispute: list[ReviewerDecision] = []

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("factPanes")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.strip = QWidget(self.scroll)
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll.setWidget(self.strip)
        layout.addWidget(self.scroll, 1)
        self.panes: list[_Pane] = []
        self.zoom_steps = 0  # Ctrl+± so far: a pane made later reads at the same size

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        row1 = QHBoxLayout()
        row1.addWidget(QLabel("Is this one fact?", self))
        self.confirm_button = self._button("&Confirm fact", "confirmFactButton",
                                           "Confirm the fact as grouped", "The articles state the same fact (L)")
        self.reject_button = self._button("&Not one fact", "rejectFactButton", "Reject the fact",
                                          "The mentions are not one fact: no conflict, no agreement (Shift+L)")
        row1.addWidget(self.confirm_button)
        row1.addWidget(self.reject_button)
        row1.addStretch(1)
        layout.addLayout(row1)
        row1 = QHBoxLayout()
        mention_label = QLabel("&Mention:", self)
        self.mention_chooser = QComboBox(self)
        self.mention_chooser.setObjectName("mentionChooser")
        self.mention_chooser.setAccessibleName("Mention to move")
        self.mention_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mention_chooser.setMinimumContentsLength(8)
        mention_label.setBuddy(self.mention_chooser)
        self.split_button = self._button("Move &out", "splitButton", "Move the mention out of this fact",
                                         "The chosen mention is about something else: a fact of its own (S)")
        self.target_chooser = QComboBox(self)
        self.target_chooser.setObjectName("mergeTargetChooser")
        self.target_chooser.setAccessibleName("Fact to move the mention into")
        self.target_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_chooser.setMinimumContentsLength(8)
        self.merge_button = self._button("Move into &fact", "mergeButton", "Move the mention into the chosen fact",
                                         "The chosen mention belongs to another fact (M)")
        row1.addWidget(mention_label)
        row1.addWidget(self.mention_chooser, 1)
        row1.addWidget(self.split_button)
        layout.addLayout(row1)
        row1 = QHBoxLayout()
        into_label = QLabel("Move it in&to:", self)
        into_label.setBuddy(self.target_chooser)
        row1.addWidget(into_label)
        row1.addWidget(self.target_chooser, 1)
        row1.addWidget(self.merge_button)
        layout.addLayout(row1)

        row2 = QHBoxLayout()
        version_label = QLabel("&Version:", self)
        self.version_chooser = QComboBox(self)
        self.version_chooser.setObjectName("versionChooser")
        self.version_chooser.setAccessibleName("Version that is right")
        self.version_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.version_chooser.setMinimumContentsLength(14)
        version_label.setBuddy(self.version_chooser)
        self.note = QLineEdit(self)
        self.note.setObjectName("resolutionNote")
        self.note.setAccessibleName("Why this version is right")
        self.note.setPlaceholderText("Why is this version right? (needed to resolve)")
        note_label = QLabel("&Why:", self)
        note_label.setBuddy(self.note)
        self.resolve_button = self._button("This version is &right", "resolveFactButton",
                                           "The chosen version is right",
                                           "Record the chosen version as right, with the reason (R; 1-9 choose)")
        for w in (version_label, self.version_chooser, note_label):
            row2.addWidget(w)
        row2.addWidget(self.note, 1)
        row2.addWidget(self.resolve_button)
        layout.addLayout(row2)
        self.note.returnPressed.connect(self.request_resolve)

        self.confirm_button.clicked.connect(self.request_confirm)
        self.reject_button.clicked.connect(lambda: self.fact and self.rejectRequested.emit(self.fact.id))
        self.resolve_button.clicked.connect(self.request_resolve)
        self.split_button.clicked.connect(self.request_split)
        self.merge_button.clicked.connect(self.request_merge)
        for n in range(1, 10):
            sc = QShortcut(QKeySequence(str(n)), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda n=n: self.choose_version(n - 1))
        self.fact: Fact | None = None
        self.focus_claim: int | None = None
        self.show_nothing()

    def _button(self, text: str, name: str, accessible: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setAccessibleName(accessible)
        b.setToolTip(tip)
        return b

    def _controls(self) -> list[QWidget]:
        return [self.confirm_button, self.reject_button, self.resolve_button, self.split_button, self.merge_button,
                self.note, self.version_chooser, self.mention_chooser, self.target_chooser]

    # -- requests ------------------------------------------------------------------------------

    def chosen_version(self) -> int | None:
        k = self.version_chooser.currentData()
        return int(k) if k is not None else None

    def chosen_mention(self) -> tuple[int, int, int] | None:
        key = self.mention_chooser.currentData()
        return tuple(key) if key is not None else None

    def choose_version(self, k: int) -> bool:
        i = self.version_chooser.findData(k)
        if i >= 0:
            self.version_chooser.setCurrentIndex(i)
        return i >= 0

    def request_confirm(self) -> None:
        if self.fact is not None:
            versions = {m.version for m in self.fact.mentions}
            k = next(iter(versions)) if len(versions) == 1 else -1
            self.confirmRequested.emit(self.fact.id, k)

    def request_resolve(self) -> None:
        k = self.chosen_version()
        if self.fact is not None and k is not None:
            self.resolveRequested.emit(self.fact.id, k, self.note.text())

    def request_split(self) -> None:
        key = self.chosen_mention()
        if self.fact is not None and key is not None:
            self.splitRequested.emit(self.fact.id, *key)

    def request_merge(self) -> None:
        key, target = self.chosen_mention(), self.target_chooser.currentData()
        if self.fact is not None and key is not None and target is not None:
            self.mergeRequested.emit(*key, int(target))

    def request_take(self) -> None:
        row = self.disputes.currentRow()
        if self.fact is not None and 0 <= row < len(self.dispute):
            self.takeRequested.emit(self.fact.id, row)

    def _chosen(self, index: int) -> None:
        fact_id = self.chooser.itemData(index)
        if fact_id is not None and (self.fact is None or fact_id != self.fact.id):
            self.factChosen.emit(int(fact_id))

    # -- content -------------------------------------------------------------------------------

    def show_nothing(self, message: str = "Select a claim whose figure other articles also give, "
                                          "then press V to compare.") -> None:
        self.fact = None
        self.reason.setText(_e(message))
        self.chooser.clear()
        self.chooser.setVisible(False)
        for pane in self.panes:
            pane.reset()
            pane.hide()
        for w in self._controls():
            w.setEnabled(False)
        self.dispute = []
        self.disputes.clear()
        self.dispute_box.setVisible(False)

    def _pane(self, i: int) -> _Pane:
        while len(self.panes) <= i:
            pane = _Pane(len(self.panes), self.strip)
            if self.zoom_steps:
                pane.view.zoomIn(self.zoom_steps)
            self.strip_layout.addWidget(pane, 1)
            self.panes.append(pane)
        return self.panes[i]

    def show_fact(self, state: ProjectState, fact: Fact, focus_claim: int | None = None, *,
                  panes: bool = True) -> None:
        """Show a fact; ``panes=False`` redraws only the words and the choices (the same fact, only its
        decision changed: the articles stay as they are)."""
        same = self.fact is not None and self.fact.id == fact.id
        self.fact = fact
        if focus_claim is None or all(m.claim_id != focus_claim for m in fact.mentions):
            focus_claim = fact.mentions[0].claim_id if fact.mentions else None
        self.focus_claim = focus_claim
        if not (same and not panes):
            self._show_panes(state, fact, focus_claim)
        self.reason.setText(self._reason(state, fact))
        self._fill_disputes(state, fact, same)
        self._fill_choosers(state, fact, same)
        for w in self._controls():
            w.setEnabled(bool(fact.mentions))
        self.resolve_button.setEnabled(len(fact.versions) > 0)
        self.merge_button.setEnabled(self.target_chooser.count() > 0)
        self.target_chooser.setEnabled(self.target_chooser.count() > 0)
        if not (same and not panes):
            QTimer.singleShot(0, self._rescroll)

    def _show_panes(self, state: ProjectState, fact: Fact, focus_claim: int | None) -> None:
        # One pane per article, the reviewer's own article first.
        by_article: dict[int, list[Mention]] = {}
        for m in sorted(fact.mentions, key=lambda m: (m.claim_id != focus_claim, m.article_id, m.start)):
            by_article.setdefault(m.article_id, []).append(m)
        for i, mentions in enumerate(by_article.values()):
            pane = self._pane(i)
            pane.show()
            pane.show_mentions(state, fact, mentions)
        for pane in self.panes[len(by_article):]:
            pane.reset()
            pane.hide()

    def _fill_disputes(self, state: ProjectState, fact: Fact, same: bool) -> None:
        """Each reviewer's decision, note and time when the fact is disputed; hidden otherwise."""
        keep = self.disputes.currentRow() if same else 0
        self.dispute = fact_dispute(fact)
        self.disputes.clear()
        fm = self.disputes.fontMetrics()
        height = 2 * self.disputes.frameWidth() + 4
        for d in self.dispute:
            text = f"{reviewer_label(d.reviewer, state.initials)}: {decision_words(d)}"
            if d.at:
                text += f" · {d.at[:16].replace('T', ' ')}"
            if d.note:
                text += f"\nwhy: {d.note}"
            item = QListWidgetItem(text, self.disputes)
            item.setToolTip("Press Enter to make this reviewer's decision the fact's")
            height += fm.lineSpacing() * (text.count("\n") + 1) + 8
        if self.dispute:
            self.disputes.setCurrentRow(min(max(keep, 0), len(self.dispute) - 1))
        self.disputes.setFixedHeight(min(height, 8 * fm.lineSpacing()))
        self.dispute_box.setVisible(bool(self.dispute))

    def _reason(self, state: ProjectState, fact: Fact) -> str:
        colour = STATUS_COLOURS["conflicting" if fact.status == CONFLICTING else "confirmed"]
        what = fact.attribute or fact.label or "a figure"
        whose = f" of <b>{_e(fact.subject)}</b>" if fact.subject else ""
        n = len(fact.articles)
        text = (f"<span style='background:{colour}; color:#000'>&nbsp;<b>{_e(STATUS_WORDS.get(fact.status, fact.status))}"
                f"</b>&nbsp;</span> &nbsp;<big>What is measured: <b>{_e(what)}</b>{whose}</big>"
                f" — {n} article{'s' if n != 1 else ''}<br>")
        sources = version_sources(fact)
        parts = []
        for v in fact.versions:
            outlets = [source_name(state, aid) for aid in sorted(sources.get(v.k, ()))]
            count = len(sources.get(v.k, ()))
            mark = " ✔" if fact.preferred_version == v.k else ""
            parts.append(
                f"<span style='background:{version_colour(v.k)}; color:#000'>&nbsp;{v.k + 1}&nbsp;</span> "
                f"<b>{_e(v.text)}</b>{mark} — {count} article{'s' if count != 1 else ''}"
                + (f" ({_e(', '.join(outlets))})" if outlets else "")
            )
        text += "Versions: " + " &nbsp;·&nbsp; ".join(parts)
        if fact.disputed:
            text += f"<br>Fact {fact.id}, <b>disputed</b>: the reviewers' decisions differ"
        else:
            text += f"<br>Fact {fact.id}, {_e(REVIEW_WORDS.get(fact.review, fact.review))}"
        if fact.decided_by:
            text += f" by {_e(reviewer_label(fact.decided_by, state.initials))}"
        if fact.preferred_version is not None:
            text += f"; version {fact.preferred_version + 1} is right"
        if fact.resolution:
            text += f": {_e(fact.resolution)}"
        return text

    def _fill_choosers(self, state: ProjectState, fact: Fact, same: bool) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if self.focus_claim is not None:
            for f in state.facts.shared_of_claim(self.focus_claim) or state.facts.of_claim(self.focus_claim):
                self.chooser.addItem(fact_summary(f), f.id)
        if self.chooser.findData(fact.id) < 0:
            self.chooser.addItem(fact_summary(fact), fact.id)
        self.chooser.setCurrentIndex(self.chooser.findData(fact.id))
        self.chooser.blockSignals(False)
        self.chooser.setVisible(self.chooser.count() > 1)

        keep_version = self.chosen_version() if same else None
        self.version_chooser.clear()
        sources = version_sources(fact)
        for v in fact.versions:
            n = len(sources.get(v.k, ()))
            self.version_chooser.addItem(f"{v.k + 1}: {v.text} ({n} article{'s' if n != 1 else ''})", v.k)
        want = keep_version if keep_version is not None else fact.preferred_version
        if want is None or not self.choose_version(want):
            self.version_chooser.setCurrentIndex(0)
        if not same:
            self.note.setText(fact.resolution or "")

        keep_mention = self.chosen_mention() if same else None
        self.mention_chooser.clear()
        for m in sorted(fact.mentions, key=lambda m: (m.claim_id != self.focus_claim, m.article_id, m.start)):
            where = source_name(state, m.article_id, 24)
            self.mention_chooser.addItem(f"{m.text} ({where}, claim #{m.claim_id})", [m.claim_id, m.start, m.end])
        i = self.mention_chooser.findData(list(keep_mention)) if keep_mention else -1
        self.mention_chooser.setCurrentIndex(max(i, 0))

        self.target_chooser.clear()
        others = [f for f in state.facts.by_id.values() if f.id != fact.id and f.review != "rejected" and f.mentions]
        others.sort(key=lambda f: (f.kind != fact.kind, -len(f.articles), f.id))
        for f in others:
            self.target_chooser.addItem(f"fact {f.id}, {fact_summary(f)}", f.id)

    def zoom(self, step: int) -> None:
        self.zoom_steps += step
        for pane in self.panes:
            pane.view.zoomIn(step)

    def _rescroll(self) -> None:
        for pane in self.panes:
            if pane.isVisible():
                pane.rescroll()
