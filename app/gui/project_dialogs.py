"""The project's dialogs: keys (F1), export, project settings, reviewer name, agreement.

Like the claim dialogs (:mod:`claimdesk.gui.dialogs`) they only collect what the reviewer wants; the window
stores it through its controller.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

class KeysDialog(QDialog):
    """Every action with its keys (F1)."""

    def __init__(self, parent: QWidget | None, rows: list[tuple[str, str]]):
        super().__init__(parent)
        self.setObjectName("keysDialog")
        self.setWindowTitle("Keyboard")
        layout = QVBoxLayout(self)
        table = QTableWidget(0, 2, self)
        table.setObjectName("keysTable")
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for text, keys in rows:  # (action, keys) from the window's table of actions
            r = table.rowCount()
            table.insertRow(r)
            table.setItem(r, 0, QTableWidgetItem(text))
            table.setItem(r, 1, QTableWidgetItem(keys))
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 600)



# -- export ---------------------------------------------------------------------------------


def resolve_export(path: str, selected: str, suffixes: dict[str, str]) -> tuple[str, str]:
    """The format and file name of an export: the suffix the reviewer typed wins over the type list.

    ``story.html`` with the type left at Markdown is an HTML export; a name without a known
    suffix gets the chosen type and, when it has no suffix at all, that type's suffix."""
    lower = path.lower()
    by_length = sorted(suffixes.items(), key=lambda kv: -len(kv[1]))
    if lower.endswith(suffixes[selected]):
        return selected, path
    for fmt, suffix in by_length:
        if lower.endswith(suffix):
            return fmt, path
    name = path.rsplit("/", 1)[-1]
    if "." not in name.lstrip("."):
        path += suffixes[selected]
    return selected, path


def strip_known_suffix(name: str, suffixes: dict[str, str]) -> str:
    for suffix in sorted(suffixes.values(), key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


class ExportDialog(QFileDialog):
    """Where and in which format to export. Qt's own file dialog (the same on every desktop),
    the type list and the typed suffix kept in step: choosing a type changes the suffix in the
    name, and typing a known suffix is the format that is written."""

    def __init__(self, parent: QWidget | None, folder: str, stem: str, formats: list[tuple[str, str, str]],
                 selected: str | None = None):
        super().__init__(parent, "Export fact sheet", folder)
        self.setObjectName("exportDialog")
        self.setAccessibleName("Export fact sheet")
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        self.formats = formats
        self.suffixes = {fmt: suffix for fmt, _, suffix in formats}
        self.filters = [f"{label} (*{suffix})" for _, label, suffix in formats]
        self.setNameFilters(self.filters)
        fmt = selected if selected in self.suffixes else formats[0][0]
        self.selectNameFilter(self.filters[[f for f, _, _ in formats].index(fmt)])
        self.selectFile(stem + self.suffixes[fmt])
        self._stem = stem  # the name without its suffix, as last set here
        # After Qt's own handling of the choice (it rewrites the name's last suffix only, so
        # "x.pdf" becomes "x.jsonld" for ClaimReview): then the whole suffix is put right.
        combo = self.findChild(QComboBox, "fileTypeCombo")
        if combo is not None:
            combo.activated.connect(lambda _i: QTimer.singleShot(0, lambda: self._filter_changed(
                self.selectedNameFilter())))
        else:
            self.filterSelected.connect(lambda chosen: QTimer.singleShot(0, lambda: self._filter_changed(chosen)))

    def name_edit(self) -> QLineEdit | None:
        return self.findChild(QLineEdit, "fileNameEdit")

    def selected_format(self) -> str:
        chosen = self.selectedNameFilter()
        return self.formats[self.filters.index(chosen)][0] if chosen in self.filters else self.formats[0][0]

    def _filter_changed(self, chosen: str) -> None:
        if chosen not in self.filters:
            return
        fmt = self.formats[self.filters.index(chosen)][0]
        edit = self.name_edit()
        name = edit.text() if edit is not None else ""
        if name:
            if name.startswith(self._stem + "."):
                stem = self._stem  # only the suffix changed (Qt changes the last part of it)
            else:  # the reviewer typed a new name: take every known suffix off it
                stem = strip_known_suffix(name, self.suffixes)
                for suffix in {s.rsplit(".", 1)[-1] for s in self.suffixes.values()}:
                    stem = stem.removesuffix("." + suffix)
                stem = strip_known_suffix(stem, self.suffixes)
            self._stem = stem
            edit.setText(stem + self.suffixes[fmt])

    def chosen(self) -> tuple[str, str] | None:
        """(format, path) once accepted."""
        files = self.selectedFiles()
        if not files:
            return None
        return resolve_export(files[0], self.selected_format(), self.suffixes)


class ProjectSettingsDialog(QDialog):
    """The story title, the reviewer's name and the story's web address, kept in the project file
    (its settings table) and printed on the fact sheet."""

    FIELDS = (("story", "&Story title:", "What the fact sheet is about"),
              ("reviewer", "&Reviewer name:", "Who is credited with checking the story on the fact sheet"),
              ("url", "&Web address:", "Where the story is published (optional)"))

    def __init__(self, parent: QWidget | None, values: dict[str, str | None]):
        super().__init__(parent)
        self.setObjectName("projectSettingsDialog")
        self.setWindowTitle("Project settings")
        self.setAccessibleName("Project settings")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label, tip in self.FIELDS:
            edit = QLineEdit(values.get(key) or "", self)
            edit.setObjectName(f"setting_{key}")
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.setPlaceholderText(tip)
            edit.setToolTip(tip)
            form.addRow(label, edit)
            self.edits[key] = edit
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.edits["story"].setFocus()
        self.resize(520, 160)

    def values(self) -> dict[str, str | None]:
        return {key: (" ".join(edit.text().split()) or None) for key, edit in self.edits.items()}


class ReviewerDialog(QDialog):
    """Who reviews on this computer: a name (and initials), kept in the user's settings and recorded
    with every decision."""

    def __init__(self, parent: QWidget | None, name: str | None = None, initials: str | None = None):
        super().__init__(parent)
        self.setObjectName("reviewerDialog")
        self.setMinimumWidth(380)
        self.setWindowTitle("Who is reviewing?")
        self.setAccessibleName("Reviewer name")
        layout = QVBoxLayout(self)
        intro = QLabel("Every decision is recorded with your name, so that two reviewers' work on one "
                       "story can be merged and compared.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(name or "", self)
        self.name.setObjectName("reviewerName")
        self.name.setAccessibleName("Your name")
        self.initials = QLineEdit(initials or "", self)
        self.initials.setObjectName("reviewerInitials")
        self.initials.setAccessibleName("Your initials (optional)")
        self.initials.setMaxLength(8)
        form.addRow("Your &name:", self.name)
        form.addRow("&Initials (optional):", self.initials)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name.setFocus()

    def _accept(self) -> None:
        if self.name.text().strip():
            self.accept()
        else:
            self.name.setPlaceholderText("A name is needed")

    def values(self) -> tuple[str, str | None]:
        return " ".join(self.name.text().split()), (self.initials.text().strip() or None)
