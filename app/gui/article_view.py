"""The article text with its claims highlighted.

The text sits in a read-only ``QPlainTextEdit`` and is never changed after it
is loaded (no formatting is applied to the document, nothing enters its undo
stack). Claims are drawn as ``ExtraSelection``s managed by
:class:`HighlightManager`, keyed by claim id, so a decision re-creates one
claim's selections and hands Qt the list again; Qt repaints only what
differs. Only the claims around the visible part of the document get
selections (a window of a few screens, moved as the view scrolls), so the cost
of opening or redrawing does not grow with the length of the article.

The selected claim is outlined by :meth:`ArticleView.paintEvent`, on top of
the text, line by line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from claimdesk.core.model import REJECTED, Claim
from claimdesk.gui.offsets import OffsetMap
from claimdesk.gui.style import (
    LINK_VALUE_BACKGROUND,
    SELECTED_OUTLINE,
    reading_font,
    status_accent,
    status_colour,
)

Span = tuple[int, int]


@dataclass(frozen=True)
class Highlight:
    """What to draw for one claim, in Python offsets (converted to Qt positions when drawn)."""

    start: int
    end: int
    status: str
    values: tuple[Span, ...] = ()
    strong: tuple[Span, ...] = ()  # values a link compares (compare view)


def make_highlight(claim: Claim, strong: Iterable[Span] = ()) -> Highlight:
    """The highlight of a claim; ``strong`` spans are values to emphasise more."""
    values = tuple(
        (v.start, v.end) for v in claim.values
        if v.end > v.start and claim.start <= v.start and v.end <= claim.end
    )
    return Highlight(claim.start, claim.end, claim.status, values, tuple((s, e) for s, e in strong if e > s))


class HighlightManager:
    """Keyed ``ExtraSelection``s of one view, given to Qt for the region around the viewport only.

    Claims are kept as Python spans; their Qt cursors are made the first time
    they come near the viewport and cached until the claim changes.
    """

    #: Characters highlighted beyond each edge of the viewport.
    MARGIN = 1500

    def __init__(self, view: "ArticleView"):
        self.view = view
        self._items: dict[int, Highlight] = {}
        self._cache: dict[int, tuple[list[QTextEdit.ExtraSelection], list[QTextEdit.ExtraSelection]]] = {}
        self._window: Span | None = None  # Qt positions covered by the selections handed to Qt
        self._formats: dict[tuple[str, str, str], QTextCharFormat] = {}
        # The selections Qt holds now. PySide ties the C++ side of an ExtraSelection to its Python
        # object, so each one stays referenced here for as long as Qt may look at it (Qt compares
        # the old list with the new one in setExtraSelections); dropping them early crashes Qt.
        self._handed: list[QTextEdit.ExtraSelection] = []

    # -- content ------------------------------------------------------------------

    def reset(self, items: dict[int, Highlight]) -> None:
        self._items = dict(items)
        self._cache.clear()
        self._window = None

    def hand(self, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Give Qt a new list of selections, keeping the Python objects alive while Qt uses them."""
        previous = self._handed
        self.view.setExtraSelections(selections)
        self._handed = selections
        del previous  # Qt has compared and let go of the old list only now

    def set(self, key: int, item: Highlight | None) -> None:
        if item is None:
            self._items.pop(key, None)
        else:
            self._items[key] = item
        self._cache.pop(key, None)

    def get(self, key: int) -> Highlight | None:
        return self._items.get(key)

    def __contains__(self, key: int) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    # -- formats ---------------------------------------------------------------------

    def _format(self, role: str, status: str) -> QTextCharFormat:
        strong = self.view.strong_background
        key = (role, status, strong if role == "strong" else "")
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setForeground(QColor("#000000"))
            if role == "claim":
                fmt.setBackground(status_colour(status))
                if status == REJECTED:
                    fmt.setFontStrikeOut(True)
            elif role == "value":
                fmt.setBackground(status_colour(status).darker(112))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(status_accent(status))
                fmt.setFontUnderline(True)
                if status == REJECTED:
                    fmt.setFontStrikeOut(True)
            else:  # "strong": a value a link compares
                fmt.setBackground(QColor(strong))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor("#000000"))
                fmt.setFontUnderline(True)
            fmt.setProperty(QTextFormat.Property.UserProperty, role)
            self._formats[key] = fmt
        return fmt

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        to_qt = self.view.offsets.to_qt
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(to_qt(start))
        cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def _selections(self, key: int) -> tuple[list, list]:
        cached = self._cache.get(key)
        if cached is None:
            h = self._items[key]
            base = [self._selection(h.start, h.end, self._format("claim", h.status))]
            over = [self._selection(s, e, self._format("value", h.status)) for s, e in h.values]
            over += [self._selection(s, e, self._format("strong", h.status)) for s, e in h.strong]
            cached = self._cache[key] = (base, over)
        return cached

    # -- applying ----------------------------------------------------------------------

    def visible_range(self) -> Span:
        """Qt positions of the first and last characters in the viewport."""
        view = self.view
        vp = view.viewport()
        start = view.cursorForPosition(QPoint(0, 0)).position()
        end = view.cursorForPosition(QPoint(vp.width() - 1, vp.height() - 1)).position()
        return start, max(end, start)

    def needs_apply(self) -> bool:
        if self._window is None:
            return True
        start, end = self.visible_range()
        return start < self._window[0] or end > self._window[1]

    def apply(self) -> int:
        """Hand Qt the selections of the claims around the viewport; returns how many claims."""
        vis_start, vis_end = self.visible_range()
        offsets = self.view.offsets
        lo, hi = max(0, offsets.to_py(vis_start) - self.MARGIN), offsets.to_py(vis_end) + self.MARGIN
        self._window = (offsets.to_qt(lo), offsets.to_qt(hi) if hi < offsets.py_length else sys.maxsize)
        keys = sorted((h.start, k) for k, h in self._items.items() if h.start < hi and h.end > lo)
        base: list[QTextEdit.ExtraSelection] = []
        over: list[QTextEdit.ExtraSelection] = []
        for _, k in keys:
            b, o = self._selections(k)
            base += b
            over += o
        self.hand(base + over)
        return len(keys)

    def qt_span(self, key: int) -> Span | None:
        h = self._items.get(key)
        return None if h is None else self.view.offsets.span_to_qt(h.start, h.end)


class ArticleView(QPlainTextEdit):
    """Read-only article text; claims highlighted by status, the selected claim outlined."""

    claimClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, name: str = "articleView",
                 accessible_name: str = "Article text"):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(reading_font())
        self.document().setDocumentMargin(14)
        self.strong_background = LINK_VALUE_BACKGROUND  # the compare view colours a value by its version
        self.highlights = HighlightManager(self)
        self.offsets = OffsetMap("")
        self.text = ""
        self._spans: dict[int, Span] = {}  # claim id -> Python span, for clicks
        self.selected: int | None = None
        self._loading = False
        self.verticalScrollBar().valueChanged.connect(self._maybe_apply)

    # -- content ------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        """Load an article's text (clears every highlight)."""
        self.text = text
        self.offsets = OffsetMap(text)
        self._spans.clear()
        self.selected = None
        self.highlights.hand([])
        self.highlights.reset({})
        # While Qt swaps the document, the scroll bar moves and the layout is half-built: asking
        # it for positions then (cursorForPosition) crashes Qt, so highlights wait until it is done.
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False

    def clear_article(self) -> None:
        self.show_text("")

    def set_claims(self, claims: Iterable[Claim], strong: dict[int, list[Span]] | None = None) -> None:
        strong = strong or {}
        items = {}
        self._spans = {}
        for c in claims:
            items[c.id] = make_highlight(c, strong.get(c.id, ()))
            self._spans[c.id] = (c.start, c.end)
        self.highlights.reset(items)
        self.highlights.apply()
        self.viewport().update()

    def update_claim(self, claim: Claim, strong: Iterable[Span] = ()) -> None:
        old_outline = self._outline_rect(claim.id) if claim.id == self.selected else None
        self.highlights.set(claim.id, make_highlight(claim, strong))
        self._spans[claim.id] = (claim.start, claim.end)
        self.highlights.apply()
        if old_outline is not None:  # the span may have moved: repaint where the outline was and is
            self.viewport().update(old_outline.united(self._outline_rect(claim.id)))

    def remove_claim(self, claim_id: int) -> None:
        outline = self._outline_rect(claim_id) if claim_id == self.selected else QRect()
        self.highlights.set(claim_id, None)
        self._spans.pop(claim_id, None)
        if self.selected == claim_id:
            self.selected = None
        self.highlights.apply()
        if not outline.isNull():
            self.viewport().update(outline)

    def has_claim(self, claim_id: int) -> bool:
        return claim_id in self._spans

    # -- selection ----------------------------------------------------------------------------

    def select_claim(self, claim_id: int | None, *, scroll: bool = True) -> None:
        old = self._outline_rect(self.selected)
        self.selected = claim_id
        before = self.verticalScrollBar().value()
        if claim_id is not None and scroll and claim_id in self._spans:
            self.scroll_to_span(*self._spans[claim_id])
        if self.verticalScrollBar().value() == before:
            # No scroll: repaint just where the outline was and where it is now.
            self.viewport().update(old.united(self._outline_rect(claim_id)))

    def _outline_rect(self, claim_id: int | None) -> QRect:
        span = self.highlights.qt_span(claim_id) if claim_id is not None else None
        if span is None:
            return QRect()
        rect = QRectF()
        for r in self._span_rects(*span):
            rect = rect.united(r)
        return rect.toAlignedRect().adjusted(-6, -4, 6, 4) if not rect.isNull() else QRect()

    def scroll_to_span(self, start: int, end: int) -> None:
        """Bring a span (Python offsets) into view, centred when it was out of sight."""
        qs, qe = self.offsets.span_to_qt(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(qs, self.document().characterCount() - 1))
        top = self.cursorRect(cursor)
        cursor_end = QTextCursor(self.document())
        cursor_end.setPosition(min(qe, self.document().characterCount() - 1))
        bottom = self.cursorRect(cursor_end)
        vp = self.viewport().rect()
        self.setTextCursor(cursor)
        if not (vp.contains(top.topLeft()) and vp.contains(bottom.bottomLeft())):
            self.centerCursor()
        self._maybe_apply()

    def selection_span(self) -> Span | None:
        """The reviewer's text selection in Python offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        s, e = self.offsets.span_to_py(cursor.selectionStart(), cursor.selectionEnd())
        return (s, e) if e > s else None

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def claim_at(self, offset: int) -> int | None:
        """The claim covering a Python offset (the shortest, when claims overlap)."""
        best = None
        for cid, (s, e) in self._spans.items():
            if s <= offset < e and (best is None or e - s < best[1]):
                best = (cid, e - s)
        return best[0] if best else None

    # -- events ----------------------------------------------------------------------------------

    def _maybe_apply(self, *_: object) -> None:
        if self._loading:
            return
        if self.highlights.needs_apply():
            self.highlights.apply()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._maybe_apply()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.highlights.apply()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            claim_id = self.claim_at(self.offsets.to_py(position))
            if claim_id is not None:
                self.claimClicked.emit(claim_id)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.selected is None or self.selected not in self.highlights:
            return
        rects = self._span_rects(*self.highlights.qt_span(self.selected))
        if not rects:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(SELECTED_OUTLINE))
        pen.setWidthF(max(2.0, self.fontMetrics().height() / 9))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for r in rects:
            painter.drawRoundedRect(r.adjusted(-1.5, -0.5, 1.5, 0.5), 3, 3)
        painter.end()

    def _span_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles (viewport coordinates) of the visible lines of a span."""
        height = self.viewport().height()
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        rects = []
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            bpos = block.position()
            if bpos + block.length() > start and bpos < end and block.isVisible():
                layout = block.layout()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    ls = bpos + line.textStart()
                    le = ls + line.textLength()
                    s, e = max(start, ls), min(end, le)
                    if s >= e and not (s == e == ls and start < ls < end):
                        continue
                    x1 = line.cursorToX(s - bpos)[0]
                    x2 = line.cursorToX(e - bpos)[0]
                    rects.append(QRectF(x1, line.y(), max(x2 - x1, 2.0), line.height())
                                 .translated(geometry.topLeft()))
            if bpos >= end:
                break
            block = block.next()
        return rects
