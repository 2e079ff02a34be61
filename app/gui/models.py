"""Qt item models: the claim list with its sort/filter proxy (the article list: :mod:`claimdesk.gui.article_model`).

The claim model holds the claims of the current article, or, while the
reviewer searches, the matching claims of every article. A decision updates
one row (``dataChanged``), never resets the model.

The default order is fixed when an article is opened: conflicts first, then
claims with figures no other article gives, then the rest, each in document
order. It does not change under the reviewer's cursor as decisions are made;
re-opening the article recomputes it. Document order is a toggle.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from claimdesk.core.align import describe_value
from claimdesk.core.facts import Fact
from claimdesk.core.model import (
    CLAIM_STATUSES,
    ROLE_CONVERSION,
    SUGGESTED,
    Claim,
)
from claimdesk.core.priority import priority_key, stakes
from claimdesk.gui.fact_state import facts_text
from claimdesk.gui.state import GROUP_LABELS, GROUP_REST, ProjectState, claim_group
from claimdesk.gui.roles import ACCESSIBLE as _ACCESSIBLE
from claimdesk.gui.roles import ALIGNMENT as _ALIGNMENT
from claimdesk.gui.roles import CUSTOM as _CUSTOM
from claimdesk.gui.roles import DECORATION as _DECORATION
from claimdesk.gui.roles import DISPLAY as _DISPLAY
from claimdesk.gui.roles import RIGHT as _RIGHT
from claimdesk.gui.roles import TOOLTIP as _TOOLTIP
from claimdesk.gui.roles import ArticleIdRole, ClaimIdRole, SortKeyRole, StatusRole
from claimdesk.gui.style import status_colour, status_label

_STATUS_ORDER = {s: i for i, s in enumerate(CLAIM_STATUSES)}
_CLAIM_ROLES = frozenset({_DISPLAY, _DECORATION, _ALIGNMENT, _TOOLTIP, _ACCESSIBLE} | _CUSTOM)
_COLOURS: dict[str, object] = {}


def _status_colour(status: str):
    colour = _COLOURS.get(status)
    if colour is None:
        colour = _COLOURS[status] = status_colour(status)
    return colour


_ARTICLE_SPAN = 10**9  # positions per article in a sort key (article texts are far shorter)
_GROUP_SPAN = 10.0**15  # x 3 groups stays below 2**53, exact in a double


def values_text(claim: Claim) -> str:
    parts = []
    for v in claim.values:
        text = describe_value(v)
        parts.append(f"({text})" if v.role == ROLE_CONVERSION else text)
    return "; ".join(parts)


class ClaimRow:
    """One row: a claim, where it comes in the review order, and its texts (made when first shown)."""

    __slots__ = ("claim", "position", "group", "priority", "article_pos", "title", "_links", "_links_text",
                 "_values")

    def __init__(self, claim: Claim, position: int, group: int, article_pos: int, links: list[Fact],
                 title: str, priority: tuple | None = None):
        self.claim = claim
        self.position = position  # 1-based, in document order within its article
        self.group = group
        # claimdesk.core.priority's key, fixed when the row is made (the order does not move under the cursor)
        self.priority = priority if priority is not None else priority_key(claim, [])
        self.article_pos = article_pos
        self.title = title
        self._links = links
        self._links_text: str | None = None
        self._values: str | None = None

    @property
    def links(self) -> str:
        if self._links_text is None:
            self._links_text = facts_text(self._links)
        return self._links_text

    @property
    def disputed(self) -> bool:
        """Reviewers' decisions differ on the claim or on one of its facts (after a merge)."""
        return bool(self.claim.disputed) or any(f.disputed for f in self._links)

    def set_links(self, links: list[Fact]) -> None:
        self._links = links
        self._links_text = None

    @property
    def values(self) -> str:
        if self._values is None:
            self._values = values_text(self.claim)
        return self._values


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
        self.sort_column = self.COL_ORDER
        self.sort_order = Qt.SortOrder.AscendingOrder

    # -- content ----------------------------------------------------------------------

    def set_state(self, state: ProjectState | None) -> None:
        self.state = state
        self.set_claims([])

    def _make_row(self, claim: Claim, position: int, group: int | None = None,
                  priority: tuple | None = None) -> ClaimRow:
        state = self.state
        links = state.facts.of_claim(claim.id) if state else []
        info = state.article_info(claim.article_id) if state else None
        if priority is None:  # the priority order weighs the stored links (a star per fact version)
            priority = priority_key(claim, state.links.of_claim(claim.id) if state else [])
        return ClaimRow(
            claim,
            position,
            group if group is not None else (claim_group(claim, state.facts) if state else GROUP_REST),
            state.article_pos.get(claim.article_id, 0) if state else 0,
            links,
            info.title if info else "",
            priority,
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
        self._rows = self._sorted(rows)
        self._row_of = {r.claim.id: i for i, r in enumerate(self._rows)}
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
            at = self._insert_position(row)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, row)
            self._row_of = {r.claim.id: n for n, r in enumerate(self._rows)}
            self.endInsertRows()
            self._renumber(claim.article_id)
            return
        old = self._rows[i]
        new = self._rows[i] = self._make_row(claim, old.position, old.group, old.priority)
        # One cell at a time: a view repaints just those cells (a range would repaint it all).
        for col in self._changed_columns(old, new):
            self.dataChanged.emit(self.index(i, col), self.index(i, col))
        if (old.claim.start, old.claim.end) != (claim.start, claim.end):
            self._renumber(claim.article_id)

    def _changed_columns(self, old: ClaimRow, new: ClaimRow) -> list[int]:
        a, b = old.claim, new.claim
        cols = []
        if a.status != b.status:
            cols.append(self.COL_STATUS)
        if a.text != b.text:
            cols.append(self.COL_TEXT)
        if [v.to_dict() for v in a.values] != [v.to_dict() for v in b.values]:
            cols.append(self.COL_VALUES)
        if a.kind != b.kind:
            cols.append(self.COL_KIND)
        if a.score != b.score:
            cols.append(self.COL_SCORE)
        if old.links != new.links:
            cols.append(self.COL_LINKS)
        return cols or [self.COL_STATUS]

    def refresh_links(self, claim_id: int) -> None:
        i = self._row_of.get(claim_id)
        if i is None:
            return
        self._rows[i].set_links(self.state.facts.of_claim(claim_id))
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
        """Review order (conflicts first) or the order of the text; sorts by the order column."""
        self.document_order = on
        self.sort(self.COL_ORDER, Qt.SortOrder.AscendingOrder)

    # -- sorting (in Python, once per sort: no call back into Python per comparison) --------------

    def _key(self, column: int):
        return lambda r: self.sort_key(r, column)

    def _sorted(self, rows: list[ClaimRow]) -> list[ClaimRow]:
        return sorted(rows, key=self._key(self.sort_column),
                      reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def _insert_position(self, row: ClaimRow) -> int:
        key = self.sort_key(row, self.sort_column)
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        for n, r in enumerate(self._rows):
            other = self.sort_key(r, self.sort_column)
            if (other < key) if descending else (key < other):
                return n
        return len(self._rows)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401 - Qt override
        if not (0 <= column < len(self.COLUMNS)):
            column = self.COL_ORDER
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.claim.id for r in self._rows]
        self._rows = self._sorted(self._rows)
        self._row_of = {r.claim.id: n for n, r in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        moved = [self.index(self._row_of[old_ids[i.row()]], i.column()) if 0 <= i.row() < len(old_ids)
                 else QModelIndex() for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

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
                return ("The claim's number: the same in the inspector, the search results, the fact sheet "
                        "and `claimdesk review --claim`; sorting by this column follows the review order")
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
            return in_doc if self.document_order else (*r.priority, in_doc)
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

    def data(self, index, role=_DISPLAY):
        # Called from C++ for every painted cell and role: answer the roles we have, fast.
        if role not in _CLAIM_ROLES:
            return None
        row = index.row()
        rows = self._rows
        if not 0 <= row < len(rows):
            return None
        r = rows[row]
        c = r.claim
        col = index.column()
        if role == _DISPLAY:
            if col == 2:  # COL_TEXT
                return " ".join(c.text.split())
            if col == 1:
                return status_label(c.status)
            if col == 0:
                return str(c.id)  # one number per claim everywhere (not its position in a list)
            if col == 3:
                return r.values
            if col == 4:
                return c.kind or ""
            if col == 5:
                return f"{c.score:.2f}" if c.score is not None else ""
            if col == 6:
                return r.links
            if col == 7:
                return r.title or str(c.article_id)
            return None
        if role == _DECORATION:
            return _status_colour(c.status) if col == 1 else None
        if role == _ALIGNMENT:
            return _RIGHT if col in (0, 5) else None
        if role == ClaimIdRole:
            return c.id
        if role == ArticleIdRole:
            return c.article_id
        if role == StatusRole:
            return c.status
        if role == SortKeyRole:
            return self.sort_key(r, col)
        if role == _TOOLTIP:
            pairs = self.state.links.of_claim(c.id) if self.state else []
            why = "; ".join(stakes(c, pairs)[1]) or GROUP_LABELS.get(r.group, "")
            lines = [c.text]
            if r.values:
                lines.append(f"Values: {r.values}")
            if c.attribution:
                lines.append(f"Attributed to: {c.attribution}")
            if why and not self.document_order:
                lines.append(f"Early in the review order: {why}")
            return "\n".join(lines)
        if role == _ACCESSIBLE:
            return f"{status_label(c.status)}: {' '.join(c.text.split())}"
        return None


class ClaimFilterProxy(QSortFilterProxyModel):
    """Sorts the claim list and filters it by status and kind (the search is claimdesk.gui.search's)."""

    UNREVIEWED = "__unreviewed__"
    DISPUTED = "__disputed__"  # reviewers' decisions differ on the claim or one of its facts (after a merge)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDynamicSortFilter(True)  # re-filter a row when a decision changes it
        self._status: str | None = None
        self._kind: str | None = None

    def source(self) -> ClaimTableModel:
        return self.sourceModel()  # type: ignore[return-value]

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401 - Qt override
        """Sorting is the source model's (one Python sort); the proxy keeps its order and only filters."""
        self.source().sort(column, order)

    def set_status_filter(self, status: str | None) -> None:
        self._status = status or None
        self.invalidateFilter()

    def set_kind_filter(self, kind: str | None) -> None:
        self._kind = kind or None
        self.invalidateFilter()

    @property
    def status_filter(self) -> str | None:
        return self._status

    @property
    def kind_filter(self) -> str | None:
        return self._kind

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        if self._status is None and self._kind is None:
            return True
        r = self.source().row_data(source_row)
        c = r.claim
        if self._status is not None:
            if self._status == self.UNREVIEWED:
                if c.status != SUGGESTED:
                    return False
            elif self._status == self.DISPUTED:
                if not r.disputed:
                    return False
            elif c.status != self._status:
                return False
        return self._kind is None or c.kind == self._kind

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
