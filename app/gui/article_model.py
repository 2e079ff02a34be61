"""The article list's Qt item model: each article with its review figures."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from claimdesk.gui.roles import ACCESSIBLE as _ACCESSIBLE
from claimdesk.gui.roles import ALIGNMENT as _ALIGNMENT
from claimdesk.gui.roles import CUSTOM as _CUSTOM
from claimdesk.gui.roles import DISPLAY as _DISPLAY
from claimdesk.gui.roles import FOREGROUND as _FOREGROUND
from claimdesk.gui.roles import RIGHT as _RIGHT
from claimdesk.gui.roles import TOOLTIP as _TOOLTIP
from claimdesk.gui.roles import ArticleIdRole
from claimdesk.gui.state import ArticleInfo, ProjectState
from claimdesk.gui.style import status_colour

_ARTICLE_ROLES = frozenset({_DISPLAY, _ALIGNMENT, _TOOLTIP, _ACCESSIBLE, _FOREGROUND} | _CUSTOM)
_CONFLICT_TEXT = status_colour("conflicting").darker(250)


class ArticleTableModel(QAbstractTableModel):
    """The project's articles with their review figures."""

    COLUMNS = ("Article", "Outlet", "Date", "Reviewed", "Conflicts")
    COL_TITLE, COL_OUTLET, COL_DATE, COL_REVIEWED, COL_CONFLICTS = range(5)
    ArticleIdRole = ArticleIdRole

    def __init__(self, state: ProjectState | None = None, parent=None):
        super().__init__(parent)
        self.state = state

    def set_state(self, state: ProjectState | None) -> None:
        self.beginResetModel()
        self.state = state
        self.endResetModel()

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _articles(self) -> list[ArticleInfo]:
        return self.state.articles if self.state else []

    def article_changed(self, article_id: int) -> None:
        if self.state is None:
            return
        pos = self.state.article_pos.get(article_id)
        if pos is not None:
            for col in (self.COL_REVIEWED, self.COL_CONFLICTS):
                self.dataChanged.emit(self.index(pos, col), self.index(pos, col))

    def row_of(self, article_id: int) -> int | None:
        return self.state.article_pos.get(article_id) if self.state else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._articles())

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.COLUMNS):
                return self.COLUMNS[section]
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section == self.COL_CONFLICTS):
            return "Facts in conflict the article takes part in, not yet settled"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index, role=_DISPLAY):
        if role not in _ARTICLE_ROLES:
            return None
        articles = self._articles()
        row = index.row()
        if not 0 <= row < len(articles):
            return None
        a = articles[row]
        col = index.column()
        if role == _DISPLAY:
            if col == self.COL_TITLE:
                return a.title
            if col == self.COL_OUTLET:
                return a.outlet or ""
            if col == self.COL_DATE:
                return a.published or ""
            if col == self.COL_REVIEWED:
                return f"{a.reviewed} / {a.claims}"
            if col == self.COL_CONFLICTS:
                return str(a.conflicts) if a.conflicts else ""
            return None
        if role == _ALIGNMENT:
            return _RIGHT if col in (self.COL_REVIEWED, self.COL_CONFLICTS) else None
        if role == _FOREGROUND:
            return _CONFLICT_TEXT if col == self.COL_CONFLICTS and a.conflicts else None
        if role == ArticleIdRole:
            return a.id
        if role == _TOOLTIP:
            lines = [a.title]
            if a.outlet:
                lines.append(a.outlet)
            if a.published:
                lines.append(f"Published {a.published}")
            lines.append(f"{a.reviewed} of {a.claims} claims reviewed; {a.conflicts} facts in conflict to settle")
            if a.url:
                lines.append(a.url)
            elif a.source_path:
                lines.append(a.source_path)
            return "\n".join(lines)
        if role == _ACCESSIBLE:
            return (f"{a.title}, {a.outlet or 'unknown outlet'}, {a.published or 'no date'}, "
                    f"{a.reviewed} of {a.claims} reviewed, {a.conflicts} facts in conflict")
        return None
