"""The window's panes: each builds its widgets and redraws itself from the controller's ``changed``.

* :class:`ArticleListPane` — the articles with their figures (top left);
* :class:`ClaimListPane` — the search field, the filters, the claim list and its "Claims (9)" label;
* :class:`ArticlePane` — the open article: header, colour legend, the text with its claims;
* :class:`StatusPane` — the status bar's review progress and count of facts in conflict.

Every ``on_changes(applied)`` takes an :class:`~claimdesk.gui.controller.Applied`: the claims, links,
facts and article figures one operation changed, already re-read by the controller.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from claimdesk.core.model import CLAIM_STATUSES, VALUE_TYPES, Claim
from claimdesk.gui.article_view import ArticleView
from claimdesk.gui.controller import Applied, ReviewController
from claimdesk.gui.article_model import ArticleTableModel
from claimdesk.gui.models import ClaimFilterProxy, ClaimTableModel
from claimdesk.gui.search import ClaimSearch
from claimdesk.gui.style import STATUS_ACCENTS, STATUS_COLOURS, STATUS_LABELS, status_label

OTHER_KINDS = ("attribution", "ranking", "comparison", "event", "statement", "manual")


def elide(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def setup_table(view: QTableView) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # "St…", not "tatu", when narrow
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class _FitOnResize(QObject):
    """Calls ``fit`` once the layout has settled after the table's viewport was resized."""

    def __init__(self, view: QTableView, fit):
        super().__init__(view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(fit)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False


class ArticleListPane(QObject):
    def __init__(self, parent: QWidget, controller: ReviewController):
        super().__init__(parent)
        self.controller = controller
        self.model = ArticleTableModel(None, parent)
        self.view = view = QTableView(parent)
        view.setObjectName("articleList")
        view.setAccessibleName("Articles")
        view.setAccessibleDescription("Title, outlet, date, reviewed claims and conflicts per article")
        view.setModel(self.model)
        setup_table(view)
        header = view.horizontalHeader()
        header.setSectionResizeMode(ArticleTableModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        fm = parent.fontMetrics()
        self.widths: dict[int, int] = {}
        for col, sample in ((1, "Outlet name"), (2, "2024-02-26"), (3, "999 / 999"), (4, "Conflicts")):
            header.resizeSection(col, fm.horizontalAdvance(sample) + 18)
            self.widths[col] = header.sectionSize(col)
        self._fitter = _FitOnResize(view, self.fit_columns)

    def set_state(self, state) -> None:
        self.model.set_state(state)
        self.update_columns()

    def reset(self) -> None:
        self.model.reset()
        self.update_columns()

    def on_changes(self, applied: Applied) -> None:
        for aid in applied.articles:
            self.model.article_changed(aid)
        if applied.all_articles:
            self.model.reset()

    def update_columns(self) -> None:
        """No outlet or date column when no article has one, or the list is narrow: the title gets the room."""
        state = self.controller.state
        articles = state.articles if state else []
        self.view.setColumnHidden(ArticleTableModel.COL_OUTLET, not any(a.outlet for a in articles))
        self.view.setColumnHidden(ArticleTableModel.COL_DATE, not any(a.published for a in articles))
        self.fit_columns()

    def fit_columns(self) -> None:
        """A narrow article list keeps the titles readable: the outlet and date columns step aside."""
        view = self.view
        header = view.horizontalHeader()
        state = self.controller.state
        articles = state.articles if state else []
        has_outlet = any(a.outlet for a in articles)
        has_date = any(a.published for a in articles)
        # The room the title would have with every useful column shown (no flip-flopping at the edge).
        widths = self.widths  # a hidden section's size reads 0
        fixed = widths[3] + widths[4] + (widths[ArticleTableModel.COL_OUTLET] if has_outlet else 0) + \
            (widths[ArticleTableModel.COL_DATE] if has_date else 0)
        narrow = view.viewport().width() - fixed < view.fontMetrics().horizontalAdvance("x" * 18)
        for col, useful in ((ArticleTableModel.COL_OUTLET, has_outlet), (ArticleTableModel.COL_DATE, has_date)):
            if view.isColumnHidden(col) != (narrow or not useful):
                view.setColumnHidden(col, narrow or not useful)
                if not view.isColumnHidden(col):
                    header.resizeSection(col, widths[col])


class ClaimListPane(QWidget):
    """Search field, filters and the claim list (the open article's claims, or the search's)."""

    def __init__(self, parent: QWidget, controller: ReviewController):
        super().__init__(parent)
        self.controller = controller
        self.claim_search = ClaimSearch()  # the one search (Ctrl+F)
        self.article_id: int | None = None  # the open article (upserts outside a search go to it)

        self.search = QLineEdit(self)
        self.search.setObjectName("claimSearch")
        self.search.setAccessibleName("Search claims in all articles")
        self.search.setPlaceholderText("Search all articles (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(180)
        self.search.textChanged.connect(lambda _: self.search_timer.start())

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName("Show claims with status")
        self.status_filter.addItem("All statuses", None)
        self.status_filter.addItem("Unreviewed", ClaimFilterProxy.UNREVIEWED)
        self.status_filter.addItem("Disputed", ClaimFilterProxy.DISPUTED)
        for s in CLAIM_STATUSES:
            self.status_filter.addItem(status_label(s), s)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.setAccessibleName("Show claims of kind")
        self.kind_filter.addItem("All kinds", None)
        for k in (*VALUE_TYPES, *OTHER_KINDS):
            self.kind_filter.addItem(k, k)

        self.model = ClaimTableModel(None, self)
        self.proxy = ClaimFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = view = QTableView(self)
        view.setObjectName("claimList")
        view.setAccessibleName("Claims")
        view.setAccessibleDescription("Claims of the article, in review order; J and K move through them")
        view.setModel(self.proxy)
        setup_table(view)
        view.setSortingEnabled(True)
        view.sortByColumn(ClaimTableModel.COL_ORDER, Qt.SortOrder.AscendingOrder)
        ch = view.horizontalHeader()
        ch.setSectionResizeMode(ClaimTableModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        fm = parent.fontMetrics()
        for col, sample in ((0, "99999"), (1, "Conflicting"), (3, "2.1 billion USD"), (4, "duration"),
                            (5, "Score"), (6, "conflict"), (7, "An article title")):
            ch.resizeSection(col, fm.horizontalAdvance(sample) + (34 if col == 1 else 14))
        self._status_widths = (ch.sectionSize(ClaimTableModel.COL_STATUS), 30)
        self._values_width = ch.sectionSize(ClaimTableModel.COL_VALUES)
        for col in (ClaimTableModel.COL_KIND, ClaimTableModel.COL_SCORE, ClaimTableModel.COL_LINKS,
                    ClaimTableModel.COL_ARTICLE):
            view.setColumnHidden(col, True)
        ch.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        ch.customContextMenuRequested.connect(self._columns_menu)
        # A narrow list gives the claim's text the room: the values column steps aside.
        self._values_auto_hidden = False
        self._fitter = _FitOnResize(view, self.fit_columns)

        cv = QVBoxLayout(self)
        cv.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("C&laims", self)
        self.label.setBuddy(view)
        cv.addWidget(self.label)
        cv.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        cv.addLayout(filters)
        cv.addWidget(view, 1)

    @property
    def search_mode(self) -> bool:
        return self.model.search_mode

    def set_state(self, state) -> None:
        self.claim_search.set_state(state)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_state(state)

    def show_claims(self, claims: list[Claim], *, search: bool = False) -> None:
        self.model.set_claims(claims, search_mode=search)
        self.view.setColumnHidden(ClaimTableModel.COL_ARTICLE, not search)
        self.update_label()

    def clear_search(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.search_timer.stop()

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.kind_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.proxy.set_status_filter(None)
        self.proxy.set_kind_filter(None)
        self.update_label()

    def apply_filters(self) -> None:
        self.proxy.set_status_filter(self.status_filter.currentData())
        self.proxy.set_kind_filter(self.kind_filter.currentData())
        self.update_label()

    def on_changes(self, applied: Applied) -> None:
        for cid in applied.removed:
            self.model.remove(cid)
            self.claim_search.claim_removed(cid)
        for cid, claim in applied.claims.items():
            in_model = self.model.row_of(cid) is not None
            if in_model or (not self.search_mode and claim.article_id == self.article_id):
                self.model.upsert(claim)
            self.claim_search.claim_changed(claim)
        for cid in applied.links_only:
            # Links or facts changed, not the claim: its Links column.
            self.model.refresh_links(cid)
        self.update_label()

    def update_label(self) -> None:
        """"Claims (9)": the claims of the article (or the search), "shown of all" while filtered."""
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        count = f"{shown} of {total}" if shown != total else f"{total}"
        if self.search_mode:
            text = f"C&laims matching “{elide(self.search.text(), 30)}” ({count}, all articles)"
        else:
            text = f"C&laims ({count})"
        if text != self.label.text():
            self.label.setText(text)

    def fit_columns(self) -> None:
        """Keep the claim's text at least ~26 characters wide: hide the values column while the list is
        narrow (it comes back when there is room; the inspector shows the values anyway)."""
        view, col = self.view, ClaimTableModel.COL_VALUES
        header = view.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c in range(header.count())
                    if c != ClaimTableModel.COL_TEXT and not view.isColumnHidden(c))
        room = view.viewport().width() - fixed
        want = view.fontMetrics().horizontalAdvance("x" * 26)
        if not view.isColumnHidden(col) and room < want:
            self._values_width = header.sectionSize(col) or self._values_width
            room += self._values_width
            view.setColumnHidden(col, True)
            self._values_auto_hidden = True
        elif self._values_auto_hidden and room - self._values_width >= want * 1.5:
            view.setColumnHidden(col, False)
            header.resizeSection(col, self._values_width)
            self._values_auto_hidden = False
            room -= self._values_width
        # Still narrow: the status column shows its colour only (the name is in the tooltip and inspector).
        status = ClaimTableModel.COL_STATUS
        wide, narrow = self._status_widths
        if header.sectionSize(status) == wide and room < want:
            header.resizeSection(status, narrow)
        elif header.sectionSize(status) == narrow and room - (wide - narrow) >= want * 1.3:
            header.resizeSection(status, wide)

    def _columns_menu(self, pos) -> None:
        menu = QMenu(self)
        for col, name in enumerate(ClaimTableModel.COLUMNS):
            if col in (ClaimTableModel.COL_ORDER, ClaimTableModel.COL_TEXT):
                continue
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(not self.view.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: self.set_column(c, on))
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def set_column(self, col: int, shown: bool) -> None:
        self.view.setColumnHidden(col, not shown)
        if col == ClaimTableModel.COL_VALUES:
            self._values_auto_hidden = False  # the reviewer's choice wins


class ArticlePane(QWidget):
    """The open article: its header, the colour legend and the text with its claims."""

    def __init__(self, parent: QWidget, controller: ReviewController):
        super().__init__(parent)
        self.controller = controller
        self.article_id: int | None = None
        self.claims: dict[int, Claim] = {}  # the open article's claims, as drawn
        self.header = QLabel(self)
        self.header.setObjectName("articleHeader")
        self.header.setAccessibleName("Article")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setOpenExternalLinks(True)
        # A fixed height (two lines of title, one of details): changing articles re-lays nothing out.
        line = self.header.fontMetrics().lineSpacing()
        self.header.setFixedHeight(int(line * 1.3 * 2 + line + 6))
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.legend = QLabel(self)
        self.legend.setObjectName("statusLegend")
        self.legend.setAccessibleName("Colour legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)  # on a narrow screen it takes two lines instead of widening the window
        self.legend.setText(" ".join(
            f"<span style='background:{STATUS_COLOURS[s]}; color:#000; border:1px solid {STATUS_ACCENTS[s]}'>"
            f"&nbsp;{html.escape(STATUS_LABELS[s], quote=False)}&nbsp;</span>"
            for s in CLAIM_STATUSES
        ) + " &nbsp;<u>value</u> &nbsp;selected claim outlined")
        self.view = ArticleView(self)
        av = QVBoxLayout(self)
        av.setContentsMargins(6, 4, 6, 0)
        av.addWidget(self.header)
        av.addWidget(self.legend)
        av.addWidget(self.view, 1)

    def show_article(self, article, claims: list[Claim]) -> None:
        self.article_id = article.id
        self.claims = {c.id: c for c in claims}
        self.view.show_text(article.text)
        self.view.set_claims(claims)
        self.update_header()

    def show_message(self, message: str) -> None:
        self.article_id = None
        self.claims = {}
        self.view.clear_article()
        self.header.setText(f"<i>{html.escape(message, quote=False)}</i>")

    def on_changes(self, applied: Applied) -> None:
        for cid in applied.removed:
            if self.claims.pop(cid, None) is not None:
                self.view.remove_claim(cid)
        for cid, claim in applied.claims.items():
            if claim.article_id == self.article_id:
                self.claims[cid] = claim
                self.view.update_claim(claim)

    def update_header(self) -> None:
        state = self.controller.state
        info = state.article_info(self.article_id) if state and self.article_id else None
        if info is None:
            self.header.setText("")
            return
        meta = [x for x in (info.outlet, info.published) if x]
        link = (f" · <a href='{html.escape(info.url)}'>{html.escape(elide(info.url, 50), quote=False)}</a>"
                if info.url else "")
        text = (
            f"<span style='font-size:large'><b>{html.escape(elide(info.title, 140), quote=False)}</b></span><br>"
            f"{html.escape(' · '.join(meta) or 'outlet and date unknown', quote=False)}{link}"
        )
        if text != self.header.text():
            self.header.setText(text)


class StatusPane(QObject):
    """Review progress and facts in conflict, at the right of the status bar."""

    def __init__(self, parent: QWidget, bar: QStatusBar, controller: ReviewController):
        super().__init__(parent)
        self.controller = controller
        fm = parent.fontMetrics()
        self.review_label = QLabel(parent)
        self.review_label.setObjectName("reviewCount")
        self.review_label.setAccessibleName("Claims reviewed")
        self.review_progress = QProgressBar(parent)
        self.review_progress.setObjectName("reviewProgress")
        self.review_progress.setAccessibleName("Review progress")
        self.review_progress.setTextVisible(False)
        self.review_progress.setFixedWidth(fm.horizontalAdvance("0") * 14)
        self.review_progress.setFixedHeight(fm.height())
        self.conflict_label = QLabel(parent)
        self.conflict_label.setObjectName("conflictCount")
        self.conflict_label.setAccessibleName("Conflicts open")
        self.conflict_label.setToolTip("Conflicts not yet resolved or rejected")
        bar.addPermanentWidget(self.conflict_label)
        bar.addPermanentWidget(self.review_label)
        bar.addPermanentWidget(self.review_progress)

    def on_changes(self, applied: Applied | None = None) -> None:
        state = self.controller.state
        if state is None:
            self.review_progress.setRange(0, 1)
            self.review_progress.setValue(0)
            self.review_label.setText("")
            self.conflict_label.setText("")
            return
        reviewed, total, conflicts = state.totals()
        if (self.review_progress.maximum(), self.review_progress.value()) != (max(total, 1), reviewed):
            self.review_progress.setRange(0, max(total, 1))
            self.review_progress.setValue(reviewed)
            self.review_label.setText(f"{reviewed} / {total} claims reviewed")
            self.review_progress.setAccessibleDescription(f"{reviewed} of {total} claims reviewed")
        text = f"{conflicts} fact{'s' if conflicts != 1 else ''} in conflict"
        if text != self.conflict_label.text():
            self.conflict_label.setText(text)
