"""The inspector: everything about the selected claim.

Its text, values (amount, unit, bound, and what other articles say of each),
attribution and score, the facts it shares with other articles (every version
with its sources; activate one to compare the articles), notes, and its
history from the project's events table.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from claimdesk.core.align import describe_value
from claimdesk.core.facts import Fact
from claimdesk.core.model import ROLE_CONVERSION, Claim, Event
from claimdesk.services.review import REDO_PREFIX, UNDO_PREFIX
from claimdesk.services.reviewers import label as reviewer_label
from claimdesk.gui.fact_state import REVIEW_WORDS, STATUS_WORDS, decision_words, fact_dispute, is_live, version_sources
from claimdesk.gui.state import ProjectState
from claimdesk.core.model import parse_dispute
from claimdesk.gui.style import STATUS_COLOURS, status_label

BOUND_LABELS = {"exact": "exactly", "approx": "about", "at_least": "at least", "at_most": "at most"}
FactIdRole = Qt.ItemDataRole.UserRole + 1


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _when(at: str | None) -> str:
    return (at or "")[:16].replace("T", " ")


def describe_event(ev: Event, initials: dict[str, str] | None = None) -> str:
    """One line of a claim's history, for people (the reviewer with their initials, when known)."""
    action = ev.action
    if action.startswith(UNDO_PREFIX):
        action = "undo"
    elif action.startswith(REDO_PREFIX):
        action = "redo"
    before, after = ev.before or {}, ev.after or {}
    details = []
    if ev.before is None:
        details.append("added")
    elif ev.after is None:
        details.append("removed")
    else:
        if before.get("status") != after.get("status"):
            details.append(f"{before.get('status')} → {after.get('status')}")
        if before.get("text") != after.get("text"):
            details.append("text changed")
        if (before.get("start"), before.get("end")) != (after.get("start"), after.get("end")):
            details.append("span changed")
        if before.get("values") != after.get("values"):
            details.append("values changed")
    tail = f" ({', '.join(details)})" if details else ""
    return f"{_when(ev.at)}  {reviewer_label(ev.actor, initials)}: {action}{tail}"


def value_fates(claim: Claim, facts: list[Fact]) -> dict[tuple[int, int], str]:
    """What other articles say about each value of a claim, by the value's span.

    One sentence can state two figures with different fates: one in a conflict, the other
    agreed by another article. A fact's mention names the value (its span in the article)."""
    fates: dict[tuple[int, int], list[str]] = {}
    for fact in facts:
        n = len(fact.articles)
        if n < 2:
            continue
        if not is_live(fact):
            word = "not one fact (rejected)"
        elif fact.status == "conflicting":
            word = "conflict, resolved" if fact.review == "resolved" else f"conflict, {n} articles"
        elif fact.status == "changed":
            word = f"changed over time, {n} articles"
        else:
            word = f"agreed by {n} articles"
        for m in fact.mentions:
            if m.claim_id == claim.id:
                fates.setdefault((m.start, m.end), []).append(word)
    return {k: ", ".join(dict.fromkeys(v)) for k, v in fates.items()}


def fact_line(state: ProjectState, fact: Fact, claim_id: int) -> str:
    """A fact as the inspector lists it: how the sources stand, what is measured, every version."""
    what = fact.attribute or fact.label or "figure"
    whose = f" of {fact.subject}" if fact.subject else ""
    sources = version_sources(fact)
    own = {m.version for m in fact.mentions if m.claim_id == claim_id}
    versions = []
    for v in fact.versions:
        n = len(sources.get(v.k, ()))
        where = "this article" + (f" and {n - 1} more" if n > 1 else "") if v.k in own else \
            f"{n} article{'s' if n != 1 else ''}"
        right = " ✔" if fact.preferred_version == v.k else ""
        versions.append(f"{v.k + 1}: {v.text}{right} ({where})")
    text = (f"{STATUS_WORDS.get(fact.status, fact.status).capitalize()} "
            f"({REVIEW_WORDS.get(fact.review, fact.review)}): {what}{whose}\n" + "; ".join(versions))
    if fact.resolution:
        text += f"\nWhy: {fact.resolution}"
    for d in fact_dispute(fact):
        text += (f"\nReviewers disagree — {reviewer_label(d.reviewer, state.initials)}: {decision_words(d)}"
                 + (f" ({d.note})" if d.note else "") + (f", {_when(d.at)}" if d.at else ""))
    return text


class _Section(QLabel):
    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(f"<b>{html.escape(text, quote=False)}</b>", parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(0, 8, 0, 0)


class ClaimInspector(QScrollArea):
    """Details of one claim; ``factActivated(fact_id)`` asks for the compare view, ``decisionTaken(claim_id,
    row)`` to side with the reviewer listed at that row of a disputed claim."""

    factActivated = Signal(int)
    decisionTaken = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("claimInspector")
        self.setAccessibleName("Claim inspector")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 8)

        self.heading = QLabel(body)
        self.heading.setObjectName("inspectorHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Claim status")
        layout.addWidget(self.heading)

        self.text = QLabel(body)
        self.text.setObjectName("inspectorText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Claim text")
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.text)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A narrow inspector puts a field under its label instead of cutting it off.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.attribution = QLabel(body)
        self.attribution.setWordWrap(True)
        self.attribution.setAccessibleName("Attribution")
        self.score = QLabel(body)
        self.score.setAccessibleName("Score and kind")
        self.decided = QLabel(body)
        self.decided.setWordWrap(True)
        self.decided.setAccessibleName("Decision")
        form.addRow("Attributed to:", self.attribution)
        form.addRow("Score:", self.score)
        form.addRow("Decided:", self.decided)
        layout.addLayout(form)

        layout.addWidget(_Section("Values", body))
        self.values = QTreeWidget(body)
        self.values.setObjectName("inspectorValues")
        self.values.setAccessibleName("Values of the claim")
        self.values.setHeaderLabels(["Text", "Amount", "Unit", "Bound", "Type", "Measures", "Other articles"])
        self.values.setRootIsDecorated(False)
        self.values.setUniformRowHeights(True)
        self.values.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.values.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        # Its width never widens the inspector past the screen: the table scrolls sideways instead.
        self.values.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.values.setMinimumWidth(60)
        self.values.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout.addWidget(self.values)

        def section_list(title: str, name: str, accessible: str) -> QListWidget:
            layout.addWidget(_Section(title, body))
            widget = QListWidget(body)
            widget.setObjectName(name)
            widget.setAccessibleName(accessible)
            widget.setWordWrap(True)
            widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            layout.addWidget(widget)
            return widget

        self.disputes = section_list("Reviewers disagree (Enter sides with one)", "inspectorDisputes",
                                     "Each reviewer's decision on the claim; Enter sides with one, "
                                     "or decide anew with the usual keys")
        self.disputes.itemActivated.connect(
            lambda _item: self.claim_id is not None and self.decisionTaken.emit(self.claim_id,
                                                                                 self.disputes.currentRow()))
        self.disputes_heading = layout.itemAt(layout.count() - 2).widget()
        self.disputes.setVisible(False)
        self.disputes_heading.setVisible(False)
        self.links = section_list("Facts other articles give", "inspectorLinks",
                                  "Facts this claim shares with other articles; press Enter to compare")
        self.links.itemActivated.connect(self._link_activated)
        self.notes = section_list("Notes", "inspectorNotes", "Notes on the claim")
        self.history = section_list("History", "inspectorHistory", "History of the claim")
        layout.addStretch(1)
        self.setWidget(body)
        self.claim_id: int | None = None
        self.renders = 0  # how many times it was drawn: the window checks it is never left stale
        self._heights: dict[tuple[int, str], int] = {}  # wrapped text heights, by (width, text)
        self.show_nothing()

    def _link_activated(self, item: QListWidgetItem) -> None:
        fact_id = item.data(FactIdRole)
        if fact_id is not None:
            self.factActivated.emit(int(fact_id))

    def show_nothing(self, message: str = "No claim selected") -> None:
        self.renders += 1
        self.claim_id = None
        self.heading.setText(f"<b>{html.escape(message, quote=False)}</b>")
        for w in (self.text, self.attribution, self.score, self.decided):
            w.setText("")
        for w in (self.values, self.links, self.notes, self.history, self.disputes):
            w.clear()
        for w in (self.links, self.notes, self.history, self.disputes):
            self._fit(w)

    def _fit(self, widget: QListWidget) -> None:
        """Make a list as tall as its (wrapped) items, so nothing is cut off and the page scrolls."""
        margins = self.widget().layout().contentsMargins()
        width = max(self.viewport().width() - margins.left() - margins.right() - 2 * widget.frameWidth(), 120)
        fm = widget.fontMetrics()
        height = 0
        cache = self._heights
        if len(cache) > 4096:
            cache.clear()
        for i in range(widget.count()):
            text = widget.item(i).text()
            h = cache.get((width, text))  # a claim's history repeats itself from one key to the next
            if h is None:
                h = cache[(width, text)] = fm.boundingRect(0, 0, width - 8, 10_000, int(Qt.TextFlag.TextWordWrap),
                                                           text).height()
            height += h + 6
        widget.setFixedHeight(height + 2 * widget.frameWidth() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        for w in (self.links, self.notes, self.history, self.disputes):
            self._fit(w)

    def show_claim(self, state: ProjectState, claim: Claim) -> None:
        project = state.project
        self.renders += 1
        self.claim_id = claim.id
        colour = STATUS_COLOURS.get(claim.status, "#ffffff")
        info = state.article_info(claim.article_id)
        self.heading.setText(
            f"<span style='background:{colour}; color:#000'>&nbsp;"
            f"{html.escape(status_label(claim.status), quote=False)}"
            f"&nbsp;</span>&nbsp; <b>Claim #{claim.id}</b>"
            + (f" · {html.escape(_short(info.title, 60), quote=False)}" if info else "")
        )
        self.text.setText(claim.text)
        self.attribution.setText(claim.attribution or "not attributed")
        self.score.setText(f"{claim.score:.2f} · {claim.kind or 'no kind'} · {claim.origin}")
        self.decided.setText(
            f"{reviewer_label(claim.decided_by, state.initials)} at {_when(claim.decided_at)}" if claim.decided_at
            else "not yet"
        )

        self.values.clear()
        shared = state.facts.shared_of_claim(claim.id)
        fates = value_fates(claim, shared)
        for v in claim.values:
            amount = describe_value(v) if v.type != "date" else (v.date or "")
            item = QTreeWidgetItem([
                v.text,
                amount,
                v.unit or "",
                BOUND_LABELS.get(v.bound, v.bound),
                v.type + (" (conversion)" if v.role == ROLE_CONVERSION else ""),
                (v.attribute or "").replace("_", " "),
                fates.get((v.start, v.end), "only in this article" if v.role != ROLE_CONVERSION else ""),
            ])
            self.values.addTopLevelItem(item)
        if not claim.values:
            self.values.addTopLevelItem(QTreeWidgetItem(["no values read"]))

        self.links.clear()
        for fact in shared:
            item = QListWidgetItem(fact_line(state, fact, claim.id))
            item.setData(FactIdRole, fact.id)
            item.setToolTip("Press Enter or double-click to compare the articles")
            self.links.addItem(item)
        if self.links.count() == 0:
            self.links.addItem(QListWidgetItem("no other article gives these figures"))

        self.notes.clear()
        for note in project.notes(claim_id=claim.id):
            self.notes.addItem(QListWidgetItem(f"{note.author or '?'}, {_when(note.created_at)}: {note.text}"))
        if self.notes.count() == 0:
            self.notes.addItem(QListWidgetItem("no notes"))

        self.disputes.clear()
        for d in parse_dispute(claim.disputed):
            status, text = (list(d.get("decision") or []) + [None, None])[:2]
            who = reviewer_label(d.get("reviewer"), state.initials)
            line = f"{who}: {status_label(str(status))}, {_when(d.get('at'))}"
            if text and text != claim.text:
                line += f"\nwording: {_short(str(text))}"
            if d.get("note"):
                line += f"\nnote: {d['note']}"
            self.disputes.addItem(QListWidgetItem(line))
        self.disputes.setVisible(self.disputes.count() > 0)
        self.disputes_heading.setVisible(self.disputes.count() > 0)

        self.history.clear()
        for ev in reversed(state.history(claim.id)):
            self.history.addItem(QListWidgetItem(describe_event(ev, state.initials)))
        if self.history.count() == 0:
            self.history.addItem(QListWidgetItem("no decisions yet"))
        for w in (self.links, self.notes, self.history, self.disputes):
            self._fit(w)
