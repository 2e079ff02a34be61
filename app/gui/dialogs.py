"""The reviewer's dialogs: edit a claim, mark it conflicting, add a note.

The project's dialogs (keys, export, settings, reviewer, agreement) are in :mod:`claimdesk.gui.project_dialogs`.

Dialogs only collect what the reviewer wants; the window then makes the
decision through the review service, so every change is stored and undoable
the same way whether it came from a key, a menu, or ``claimdesk review``.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from claimdesk.core.model import BOUNDS, EXACT, VALUE_TYPES, Claim, Link, Value
from claimdesk.gui.state import ProjectState

BOUND_TEXT = {"exact": "exactly", "approx": "about", "at_least": "at least", "at_most": "at most"}
ValueRole = Qt.ItemDataRole.UserRole + 1


def read_values_at(article_text: str, start: int, end: int, published: str | None = None) -> list[Value]:
    """Values of ``article_text[start:end]`` with offsets into the whole article."""
    from claimdesk.nlp.values import read_values  # plain Python, no spaCy

    return [v.shifted(start) for v in read_values(article_text[start:end], published=published)]


def _parse_amount(text: str) -> float | None:
    text = text.strip().replace(",", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    return float(text)


class EditClaimDialog(QDialog):
    """Change a claim's span (from a selection in the article), wording or values."""

    COLUMNS = ("Text", "Type", "Amount or date", "Unit", "Bound")

    def __init__(self, parent: QWidget | None, claim: Claim, article_text: str, *,
                 span: tuple[int, int] | None = None, published: str | None = None):
        super().__init__(parent)
        self.setObjectName("editClaimDialog")
        self.setWindowTitle(f"Edit claim {claim.id}")
        self.setAccessibleName("Edit claim")
        self.claim = claim
        self.article_text = article_text
        self.published = published
        self.span = span if span and span != (claim.start, claim.end) else (claim.start, claim.end)
        new_span = self.span != (claim.start, claim.end)
        layout = QVBoxLayout(self)

        where = f"Characters {self.span[0]}–{self.span[1]} of the article"
        if new_span:
            where += f" (your selection; was {claim.start}–{claim.end})"
        else:
            where += ". To change the span, select the new text in the article and press E again."
        self.span_label = QLabel(where, self)
        self.span_label.setObjectName("editSpan")
        self.span_label.setWordWrap(True)
        layout.addWidget(self.span_label)

        text_label = QLabel("Claim &text:", self)
        layout.addWidget(text_label)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("editText")
        self.text.setAccessibleName("Claim text")
        self.text.setTabChangesFocus(True)
        self.original_text = article_text[self.span[0]:self.span[1]] if new_span else claim.text
        self.text.setPlainText(self.original_text)
        text_label.setBuddy(self.text)
        layout.addWidget(self.text, 1)

        values_label = QLabel("&Values (double-click or F2 to change a cell):", self)
        layout.addWidget(values_label)
        self.values = QTableWidget(0, len(self.COLUMNS), self)
        self.values.setObjectName("editValues")
        self.values.setAccessibleName("Values of the claim")
        self.values.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.values.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.values.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values.setTabKeyNavigation(False)
        values_label.setBuddy(self.values)
        layout.addWidget(self.values, 1)

        row = QHBoxLayout()
        self.reread = QPushButton("&Read values from the text", self)
        self.reread.setObjectName("rereadValues")
        self.reread.clicked.connect(self.read_from_text)
        add = QPushButton("&Add value", self)
        add.setObjectName("addValue")
        add.clicked.connect(lambda: self._add_row(None))
        remove = QPushButton("Re&move value", self)
        remove.setObjectName("removeValue")
        remove.clicked.connect(self._remove_row)
        for b in (self.reread, add, remove):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.original_values = list(claim.values)
        if new_span:
            self._fill(read_values_at(article_text, *self.span, published))
        else:
            self._fill(self.original_values)
        self.resize(720, 460)

    # -- values table ------------------------------------------------------------------------

    def _fill(self, values: list[Value]) -> None:
        self.values.setRowCount(0)
        for v in values:
            self._add_row(v)

    def _add_row(self, v: Value | None) -> None:
        r = self.values.rowCount()
        self.values.insertRow(r)
        text_item = QTableWidgetItem(v.text if v else "")
        text_item.setData(ValueRole, v)
        self.values.setItem(r, 0, text_item)
        vtype = QComboBox(self.values)
        vtype.addItems(list(VALUE_TYPES))
        vtype.setCurrentText(v.type if v else "count")
        vtype.setAccessibleName("Value type")
        self.values.setCellWidget(r, 1, vtype)
        amount = "" if v is None else (v.date or "" if v.type == "date" else
                                       ("" if v.amount is None else f"{v.amount:.12g}"))
        self.values.setItem(r, 2, QTableWidgetItem(amount))
        self.values.setItem(r, 3, QTableWidgetItem((v.unit or "") if v else ""))
        bound = QComboBox(self.values)
        for b in BOUNDS:
            bound.addItem(BOUND_TEXT[b], b)
        bound.setCurrentIndex(max(0, bound.findData(v.bound if v else EXACT)))
        bound.setAccessibleName("Bound")
        self.values.setCellWidget(r, 4, bound)
        if v is None:
            self.values.setCurrentCell(r, 0)
            self.values.editItem(self.values.item(r, 0))

    def _remove_row(self) -> None:
        r = self.values.currentRow()
        if r >= 0:
            self.values.removeRow(r)

    def read_from_text(self) -> None:
        """Re-read the values from the claim text as it stands in the dialog."""
        text = self.text.toPlainText()
        s, e = self.span
        if text == self.article_text[s:e]:
            self._fill(read_values_at(self.article_text, s, e, self.published))
        else:
            from claimdesk.nlp.values import read_values

            self._fill([self._locate(v) for v in read_values(text, published=self.published)])

    def _locate(self, v: Value) -> Value:
        """Put a value read from reworded text at its place in the article, if it is there."""
        s, e = self.span
        found = self.article_text.find(v.text, s, e) if v.text else -1
        if found >= 0:
            return replace(v, start=found, end=found + len(v.text))
        return replace(v, start=s, end=s)

    def edited_values(self) -> list[Value]:
        """The values in the table; raises ValueError naming a bad cell."""
        out = []
        for r in range(self.values.rowCount()):
            text = (self.values.item(r, 0).text() if self.values.item(r, 0) else "").strip()
            original: Value | None = self.values.item(r, 0).data(ValueRole) if self.values.item(r, 0) else None
            vtype = self.values.cellWidget(r, 1).currentText()
            raw = self.values.item(r, 2).text().strip() if self.values.item(r, 2) else ""
            unit = (self.values.item(r, 3).text().strip() if self.values.item(r, 3) else "") or None
            bound = self.values.cellWidget(r, 4).currentData()
            if not text and not raw:
                continue
            date = None
            amount = None
            if vtype == "date":
                date = raw or None
            else:
                try:
                    amount = _parse_amount(raw)
                except ValueError:
                    raise ValueError(f"value {r + 1}: “{raw}” is not a number") from None
            base = original or Value(start=self.span[0], end=self.span[0], text=text, type=vtype, amount=amount,
                                     rule="reviewer")
            v = replace(base, text=text or raw, type=vtype, amount=amount, unit=unit, bound=bound, date=date,
                        id=None, claim_id=None)
            if original is None or original.text != v.text:
                v = self._locate(v)
            out.append(v)
        return out

    @staticmethod
    def _same_values(a: list[Value], b: list[Value]) -> bool:
        key = lambda v: (v.start, v.end, v.text, v.type, v.amount, v.unit, v.bound, v.date)  # noqa: E731
        return [key(v) for v in a] == [key(v) for v in b]

    def accept(self) -> None:
        try:
            self.edited_values()
        except ValueError as exc:
            QMessageBox.warning(self, "Edit claim", str(exc))
            return
        if not self.text.toPlainText().strip():
            QMessageBox.warning(self, "Edit claim", "A claim's text cannot be empty.")
            return
        super().accept()

    def changes(self) -> dict:
        """Keyword arguments for ``ReviewService.edit``: only what changed."""
        out: dict = {}
        if self.span != (self.claim.start, self.claim.end):
            out["span"] = self.span
        text = self.text.toPlainText()
        if text != self.original_text or ("span" in out and text != self.claim.text
                                          and text != self.article_text[self.span[0]:self.span[1]]):
            out["text"] = text
        values = self.edited_values()
        if not self._same_values(values, self.original_values):
            out["values"] = values
        return out


class _CandidateModel(QAbstractListModel):
    def __init__(self, rows: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][1]
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()][0]
        return None


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class ConflictDialog(QDialog):
    """Pick the claim this one conflicts with (suggested links first), and add a note."""

    def __init__(self, parent: QWidget | None, state: ProjectState, claim: Claim):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"Claim #{claim.id} conflicts with…")
        self.setAccessibleName("Mark conflicting")
        self.claim = claim
        layout = QVBoxLayout(self)
        intro = QLabel(f"“{_short(claim.text, 160)}”\n\nconflicts with:", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("conflictFilter")
        self.filter.setAccessibleName("Filter the claims")
        self.filter.setPlaceholderText("Type to filter: words of the claim, the article, a figure")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)

        rows = self._candidates(state, claim)
        self.model = _CandidateModel(rows, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setObjectName("conflictCandidates")
        self.list.setAccessibleName("Claims it could conflict with")
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.doubleClicked.connect(self.accept)
        layout.addWidget(self.list, 1)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)

        note_label = QLabel("&Note (why they conflict, which one is right):", self)
        layout.addWidget(note_label)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("conflictNote")
        self.note.setAccessibleName("Resolution note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        note_label.setBuddy(self.note)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self.list.setFocus()
        self.resize(760, 520)

    @staticmethod
    def _candidates(state: ProjectState, claim: Claim) -> list[tuple[int, str]]:
        project = state.project
        rows: list[tuple[int, str]] = []
        seen = {claim.id}
        link: Link
        for link in state.links.of_claim(claim.id):
            other = link.claim_b if link.claim_a == claim.id else link.claim_a
            if other in seen:
                continue
            try:
                oc = project.claim(other)
            except KeyError:
                continue
            seen.add(other)
            info = state.article_info(oc.article_id)
            rows.append((other, f"Suggested {link.kind}: {link.reason} · “{_short(oc.text, 90)}” · "
                                f"{_short(info.title, 30) if info else ''}"))
        for oc in project.claims(with_values=False):
            if oc.id in seen or oc.article_id == claim.article_id:
                continue
            info = state.article_info(oc.article_id)
            rows.append((oc.id, f"“{_short(oc.text)}” · {_short(info.title, 30) if info else ''}"))
        return rows

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if self.proxy.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - arrows in the filter move the list
        if obj is self.filter and event.type() == event.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.list.keyPressEvent(event)
            return True
        return super().eventFilter(obj, event)

    def chosen(self) -> int | None:
        index = self.list.currentIndex()
        return int(index.data(Qt.ItemDataRole.UserRole)) if index.isValid() else None

    def accept(self) -> None:
        if self.chosen() is None:
            QMessageBox.information(self, "Mark conflicting", "Pick the claim it conflicts with.")
            return
        super().accept()


class NoteDialog(QDialog):
    """A note on a claim or a link."""

    def __init__(self, parent: QWidget | None, what: str):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(f"Note on {what}")
        self.setAccessibleName("Add a note")
        layout = QVBoxLayout(self)
        label = QLabel(f"&Note on {what}:", self)
        layout.addWidget(label)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("noteText")
        self.text.setAccessibleName("Note")
        self.text.setTabChangesFocus(True)
        label.setBuddy(self.text)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok = QAction(self)
        ok.setShortcut(QKeySequence("Ctrl+Return"))
        ok.triggered.connect(self.accept)
        self.addAction(ok)
        self.text.setFocus()
        self.resize(520, 260)

    def accept(self) -> None:
        if not self.text.toPlainText().strip():
            QMessageBox.information(self, "Note", "Write the note first (or press Escape to cancel).")
            return
        super().accept()
