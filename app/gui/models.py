"""Qt item models: the article list, and the claim list with its sort/filter proxy.

The claim model holds the claims of the current article, or, while the
reviewer searches, the matching claims of every article. A decision updates
one row (``dataChanged``), never resets the model.

The default order is fixed when an article is opened: conflicts first, then
claims with figures no other article gives, then the rest, each in document
order. It does not change under the reviewer's cursor as decisions are made;
re-opening the article recomputes it. Document order is a toggle.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from app.core.align import describe_value
from app.core.model import (
    CLAIM_STATUSES,
    CONFLICT,
    CORROBORATION,
    LINK_REJECTED,
    LINK_RESOLVED,
    ROLE_CONVERSION,
    SUGGESTED,
    Claim,
    Link,
)
from app.gui.state import GROUP_LABELS, ArticleInfo, ProjectState, claim_group
from app.gui.style import status_colour, status_label

ClaimIdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3
ArticleIdRole = Qt.ItemDataRole.UserRole + 4

_STATUS_ORDER = {s: i for i, s in enumerate(CLAIM_STATUSES)}
_ARTICLE_SPAN = 10**9  # positions per article in a sort key (article texts are far shorter)
_GROUP_SPAN = 10.0**15  # x 3 groups stays below 2**53, exact in a double


def values_text(claim: Claim) -> str:
    parts = []
    for v in claim.values:
        text = describe_value(v)
        parts.append(f"({text})" if v.role == ROLE_CONVERSION else text)
    return "; ".join(parts)


def links_text(links: list[Link]) -> str:
    live = [l for l in links if l.status != LINK_REJECTED]
    conflicts = [l for l in live if l.kind == CONFLICT]
    agree = [l for l in live if l.kind == CORROBORATION]
    parts = []
    if conflicts:
        settled = all(l.status == LINK_RESOLVED for l in conflicts)
        word = "conflict" if len(conflicts) == 1 else f"{len(conflicts)} conflicts"
        parts.append(word + (" (resolved)" if settled else ""))
    if agree:
        parts.append("agrees" if len(agree) == 1 else f"{len(agree)} agree")
    return ", ".join(parts)


@dataclass
class ClaimRow:
    claim: Claim
    position: int  # 1-based, in document order within its article
    group: int
    article_pos: int
    links: str
    values: str
    haystack: str  # lower-case text searched by the filter


def _haystack(claim: Claim, values: str, title: str) -> str:
    return " ".join(
        [claim.text, values, claim.attribution or "", claim.kind or "", title,
         " ".join(v.text for v in claim.values)]
    ).lower()


class ClaimTableModel(QAbstractTableModel):
    """Claims, one per row."""

    COLUMNS = ("#", "Status", "Claim", "Values", "Kind", "Score", "Links", "Article")
    COL_ORDER, COL_STATUS, COL_TEXT, COL_VALUES, COL_KIND, COL_SCORE, COL_LINKS, COL_ARTICLE = range(8)

    def __init__(self, state: ProjectState | None = None, parent=None):
        super().__init__(parent)
        self.state = state
        self._rows: list[ClaimRow] = []
        self._row_of: dict[int, int] = {}
        self.document_order = False
        self.search_mode = False

    # -- content ----------------------------------------------------------------------

    def set_state(self, state: ProjectState | None) -> None:
        self.state = state
        self.set_claims([])

    def _make_row(self, claim: Claim, position: int, group: int | None = None) -> ClaimRow:
        links = self.state.links.of_claim(claim.id) if self.state else []
        info = self.state.article_info(claim.article_id) if self.state else None
        values = values_text(claim)
        return ClaimRow(
            claim=claim,
            position=position,
            group=claim_group(claim, links) if group is None else group,
            article_pos=self.state.article_pos.get(claim.article_id, 0) if self.state else 0,
            links=links_text(links),
            values=values,
            haystack=_haystack(claim, values, info.title if info else ""),
        )

    def set_claims(self, claims: list[Claim], *, search_mode: bool = False) -> None:
        """Show these claims (already in document order within each article)."""
        self.beginResetModel()
        self.search_mode = search_mode
        rows = []
        position: dict[int, int] = {}
        for c in claims:
            position[c.article_id] = position.get(c.article_id, 0) + 1
            rows.append(self._make_row(c, position[c.article_id]))
        self._rows = rows
        self._row_of = {r.claim.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def claims(self) -> list[Claim]:
        return [r.claim for r in self._rows]

    def claim(self, claim_id: int) -> Claim | None:
        i = self._row_of.get(claim_id)
        return self._rows[i].claim if i is not None else None

    def row_of(self, claim_id: int) -> int | None:
        return self._row_of.get(claim_id)

    def row_data(self, row: int) -> ClaimRow:
        return self._rows[row]

    def upsert(self, claim: Claim) -> None:
        """A claim changed (or was added): update its row in place."""
        i = self._row_of.get(claim.id)
        if i is None:
            before = sum(1 for r in self._rows if r.claim.article_id == claim.article_id
                         and (r.claim.start, r.claim.id) < (claim.start, claim.id))
            row = self._make_row(claim, before + 1)
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(row)
            self._row_of[claim.id] = len(self._rows) - 1
            self.endInsertRows()
            self._renumber(claim.article_id)
            return
        old = self._rows[i]
        self._rows[i] = self._make_row(claim, old.position, old.group)
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
        if (old.claim.start, old.claim.end) != (claim.start, claim.end):
            self._renumber(claim.article_id)

    def refresh_links(self, claim_id: int) -> None:
        i = self._row_of.get(claim_id)
        if i is None:
            return
        links = self.state.links.of_claim(claim_id)
        self._rows[i].links = links_text(links)
        self.dataChanged.emit(self.index(i, self.COL_LINKS), self.index(i, self.COL_LINKS))

    def remove(self, claim_id: int) -> None:
        i = self._row_of.get(claim_id)
        if i is None:
            return
        article_id = self._rows[i].claim.article_id
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self._row_of = {r.claim.id: n for n, r in enumerate(self._rows)}
        self.endRemoveRows()
        self._renumber(article_id)

    def _renumber(self, article_id: int) -> None:
        mine = sorted((r.claim.start, r.claim.id, n) for n, r in enumerate(self._rows)
                      if r.claim.article_id == article_id)
        for pos, (_, _, n) in enumerate(mine, start=1):
            if self._rows[n].position != pos:
                self._rows[n].position = pos
                self.dataChanged.emit(self.index(n, 0), self.index(n, 0))

    def set_document_order(self, on: bool) -> None:
        if on != self.document_order:
            self.document_order = on
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0), [SortKeyRole])

    # -- Qt interface ---------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_ORDER:
                return "Position in the article; sorting by this column follows the review order"
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort_key(self, r: ClaimRow, column: int):
        # Numeric keys are floats: PySide hands Qt a Python int above 2**31 as a
        # truncated 32-bit value, which sorts wrongly; doubles are exact to 2**53.
        c = r.claim
        in_doc = float(r.article_pos * _ARTICLE_SPAN + c.start)
        if column == self.COL_ORDER:
            return in_doc if self.document_order else r.group * _GROUP_SPAN + in_doc
        if column == self.COL_STATUS:
            return _STATUS_ORDER.get(c.status, 99) * _GROUP_SPAN + in_doc
        if column == self.COL_SCORE:
            return float(c.score or 0.0)
        if column == self.COL_TEXT:
            return c.text.lower()
        if column == self.COL_VALUES:
            return r.values.lower()
        if column == self.COL_KIND:
            return (c.kind or "").lower()
        if column == self.COL_LINKS:
            return r.links
        if column == self.COL_ARTICLE:
            return in_doc
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        c = r.claim
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_ORDER:
                return str(r.position)
            if col == self.COL_STATUS:
                return status_label(c.status)
            if col == self.COL_TEXT:
                return " ".join(c.text.split())
            if col == self.COL_VALUES:
                return r.values
            if col == self.COL_KIND:
                return c.kind or ""
            if col == self.COL_SCORE:
                return f"{c.score:.2f}" if c.score is not None else ""
            if col == self.COL_LINKS:
                return r.links
            if col == self.COL_ARTICLE:
                info = self.state.article_info(c.article_id) if self.state else None
                return info.title if info else str(c.article_id)
            return None
        if role == ClaimIdRole:
            return c.id
        if role == ArticleIdRole:
            return c.article_id
        if role == StatusRole:
            return c.status
        if role == SortKeyRole:
            return self.sort_key(r, col)
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_STATUS:
            return status_colour(c.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            why = GROUP_LABELS.get(r.group, "")
            lines = [c.text]
            if r.values:
                lines.append(f"Values: {r.values}")
            if c.attribution:
                lines.append(f"Attributed to: {c.attribution}")
            if why and not self.document_order:
                lines.append(f"Early in the review order: {why}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{status_label(c.status)}: {' '.join(c.text.split())}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_ORDER, self.COL_SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ClaimFilterProxy(QSortFilterProxyModel):
    """Sorts the claim list and filters it by status, kind and a search text."""

    UNREVIEWED = "__unreviewed__"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SortKeyRole)
        self.setDynamicSortFilter(True)
        self._status: str | None = None
        self._kind: str | None = None
        self._words: list[str] = []

    def source(self) -> ClaimTableModel:
        return self.sourceModel()  # type: ignore[return-value]

    def set_status_filter(self, status: str | None) -> None:
        self._status = status or None
        self.invalidateFilter()

    def set_kind_filter(self, kind: str | None) -> None:
        self._kind = kind or None
        self.invalidateFilter()

    def set_search(self, text: str) -> None:
        self._words = text.lower().split()
        self.invalidateFilter()

    @property
    def status_filter(self) -> str | None:
        return self._status

    @property
    def kind_filter(self) -> str | None:
        return self._kind

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        r = self.source().row_data(source_row)
        c = r.claim
        if self._status is not None:
            if self._status == self.UNREVIEWED:
                if c.status != SUGGESTED:
                    return False
            elif c.status != self._status:
                return False
        if self._kind is not None and c.kind != self._kind:
            return False
        return all(w in r.haystack for w in self._words)

    def claim_id_at(self, row: int) -> int | None:
        if not (0 <= row < self.rowCount()):
            return None
        return self.data(self.index(row, 0), ClaimIdRole)

    def row_of(self, claim_id: int) -> int | None:
        src = self.source().row_of(claim_id)
        if src is None:
            return None
        index = self.mapFromSource(self.source().index(src, 0))
        return index.row() if index.isValid() else None


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
            self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(self.COLUMNS) - 1))

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
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        articles = self._articles()
        if not index.isValid() or not (0 <= index.row() < len(articles)):
            return None
        a = articles[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
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
        if role == ArticleIdRole:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [a.title]
            if a.outlet:
                lines.append(a.outlet)
            if a.published:
                lines.append(f"Published {a.published}")
            lines.append(f"{a.reviewed} of {a.claims} claims reviewed; {a.conflicts} conflicts to settle")
            if a.url:
                lines.append(a.url)
            elif a.source_path:
                lines.append(a.source_path)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (f"{a.title}, {a.outlet or 'unknown outlet'}, {a.published or 'no date'}, "
                    f"{a.reviewed} of {a.claims} reviewed, {a.conflicts} conflicts")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_REVIEWED, self.COL_CONFLICTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_CONFLICTS and a.conflicts:
            return status_colour("conflicting").darker(250)
        return None

