"""The review window: article list, claim list, article text, inspector, compare view.

Every decision goes through :meth:`MainWindow.run_decision`, which calls the
core's :class:`~app.services.review.ReviewService` (one committed transaction per
decision: there is no Save), turns a :class:`ReviewError` or a project error
into one readable message, and redraws only what the returned
:class:`~app.core.model.Changes` names: the changed claims' rows and
highlights, the articles whose figures moved, the status bar, the inspector.
Undo and redo live in the core; the window mirrors ``can_undo``/``undo_text``
onto its actions.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, QSize, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.model import CLAIM_STATUSES, VALUE_TYPES, Changes, Claim
from app.services.review import ReviewError
from app.gui.article_view import ArticleView
from app.gui.compare import FactCompareView
from app.gui.fact_review import FactReviewMixin, facts_may_change
from app.gui.dialogs import (
    AgreementDialog,
    ConflictDialog,
    EditClaimDialog,
    ExportDialog,
    KeysDialog,
    NoteDialog,
    ProjectSettingsDialog,
    ReviewerDialog,
    read_values_at,
)
from app.gui.inspector import ClaimInspector
from app.gui.models import ArticleTableModel, ClaimFilterProxy, ClaimIdRole, ClaimTableModel, search_text
from app.gui.settings import (
    gui_settings,
    last_export_dir,
    recent_projects,
    remember_export_dir,
    remember_project,
    remember_reviewer,
    reviewer_initials,
    reviewer_name,
)
from app.gui.state import ProjectState
from app.gui.style import STATUS_ACCENTS, STATUS_COLOURS, STATUS_LABELS, status_label
from app.gui.worker import BackgroundJob, export_job, import_job
from app.services.projects import ProjectError, Repository, StorageError, open_project

log = logging.getLogger(__name__)

OTHER_KINDS = ("attribution", "ranking", "comparison", "event", "statement", "manual")
IMPORT_FILTER = "Articles (*.txt *.text *.md *.markdown *.html *.htm *.xhtml *.docx);;All files (*)"
PROJECT_FILTER = "Claimdesk projects (*.claimdesk);;All files (*)"
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")
# The window's size when the screen has room for it; smaller screens get what they have.
PREFERRED_SIZE = QSize(1280, 800)
# What each stage of a background job is called in the status bar.
JOB_STAGES = {
    "import": "Reading files",
    "model": "Loading the language model",
    "suggest": "Finding claims",
    "align": "Comparing articles",
    "export": "Exporting",
}


def _elide(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class MainWindow(FactReviewMixin, QMainWindow):
    """The Claimdesk review window on one project file."""

    def __init__(self, project_path: str | Path | None = None, *, actor: str | None = None,
                 create: bool = False):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Claimdesk")
        self.setAccessibleName("Claimdesk")
        self.actor = actor or reviewer_name()  # the user's name (asked on first start); the project's is a fallback
        self.state: ProjectState | None = None
        self.view_article: int | None = None  # the article in the article view
        self._article_claims: dict[int, Claim] = {}
        self._search_index: dict[int, tuple[str, Claim]] | None = None
        self.job: BackgroundJob | None = None
        self.last_problem: str | None = None
        self.last_import_results: list | None = None
        self._problem_box: QMessageBox | None = None
        self._switching_tab = False
        self._sizes_before_compare: list[int] | None = None
        self.export_dialog: ExportDialog | None = None
        self.job_stage: str | None = None

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._restore_layout()
        if project_path is None or not self.open_project(project_path, create=create):
            # Nothing open (or the file was refused, with a message): only Open and New work.
            self._show_empty()

    # ------------------------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        # Left: articles above claims.
        self.article_model = ArticleTableModel(None, self)
        self.article_list = QTableView(self)
        self.article_list.setObjectName("articleList")
        self.article_list.setAccessibleName("Articles")
        self.article_list.setAccessibleDescription("Title, outlet, date, reviewed claims and conflicts per article")
        self.article_list.setModel(self.article_model)
        self._setup_table(self.article_list)
        header = self.article_list.horizontalHeader()
        header.setSectionResizeMode(ArticleTableModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        fm = self.fontMetrics()
        self._article_widths: dict[int, int] = {}
        for col, sample in ((1, "Outlet name"), (2, "2024-02-26"), (3, "999 / 999"), (4, "Conflicts")):
            header.resizeSection(col, fm.horizontalAdvance(sample) + 18)
            self._article_widths[col] = header.sectionSize(col)
        self.article_list.selectionModel().currentRowChanged.connect(self._article_row_changed)
        self.article_list.viewport().installEventFilter(self)

        self.search = QLineEdit(self)
        self.search.setObjectName("claimSearch")
        self.search.setAccessibleName("Search claims in all articles")
        self.search.setPlaceholderText("Search all articles (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(180)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._search_return)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName("Show claims with status")
        self.status_filter.addItem("All statuses", None)
        self.status_filter.addItem("Unreviewed", ClaimFilterProxy.UNREVIEWED)
        self.status_filter.addItem("Disputed", ClaimFilterProxy.DISPUTED)
        for s in CLAIM_STATUSES:
            self.status_filter.addItem(status_label(s), s)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.setAccessibleName("Show claims of kind")
        self.kind_filter.addItem("All kinds", None)
        for k in (*VALUE_TYPES, *OTHER_KINDS):
            self.kind_filter.addItem(k, k)
        self.kind_filter.currentIndexChanged.connect(self._filters_changed)

        self.claim_model = ClaimTableModel(None, self)
        self.claim_proxy = ClaimFilterProxy(self)
        self.claim_proxy.setSourceModel(self.claim_model)
        self.claim_list = QTableView(self)
        self.claim_list.setObjectName("claimList")
        self.claim_list.setAccessibleName("Claims")
        self.claim_list.setAccessibleDescription("Claims of the article, in review order; J and K move through them")
        self.claim_list.setModel(self.claim_proxy)
        self._setup_table(self.claim_list)
        self.claim_list.setSortingEnabled(True)
        self.claim_list.sortByColumn(ClaimTableModel.COL_ORDER, Qt.SortOrder.AscendingOrder)
        ch = self.claim_list.horizontalHeader()
        ch.setSectionResizeMode(ClaimTableModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, sample in ((0, "99999"), (1, "Conflicting"), (3, "2.1 billion USD"), (4, "duration"),
                            (5, "Score"), (6, "conflict"), (7, "An article title")):
            ch.resizeSection(col, fm.horizontalAdvance(sample) + (34 if col == 1 else 14))
        self._status_widths = (ch.sectionSize(ClaimTableModel.COL_STATUS), 30)
        self._values_width = ch.sectionSize(ClaimTableModel.COL_VALUES)
        for col in (ClaimTableModel.COL_KIND, ClaimTableModel.COL_SCORE, ClaimTableModel.COL_LINKS,
                    ClaimTableModel.COL_ARTICLE):
            self.claim_list.setColumnHidden(col, True)
        ch.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        ch.customContextMenuRequested.connect(self._claim_columns_menu)
        self.claim_list.selectionModel().currentRowChanged.connect(self._claim_row_changed)
        self.claim_list.doubleClicked.connect(lambda _: self.show_compare())
        # A narrow list gives the claim's text the room: the values column steps aside.
        self._values_auto_hidden = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(lambda: (self._fit_claim_columns(), self._fit_article_columns()))
        self.claim_list.viewport().installEventFilter(self)

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(4, 4, 0, 4)
        articles_label = QLabel("&Articles", left)
        articles_label.setBuddy(self.article_list)
        lv.addWidget(articles_label)
        split_left = QSplitter(Qt.Orientation.Vertical, left)
        split_left.setObjectName("leftSplitter")
        self.left_splitter = split_left
        split_left.addWidget(self.article_list)
        claims_box = QWidget(split_left)
        cv = QVBoxLayout(claims_box)
        cv.setContentsMargins(0, 0, 0, 0)
        self.claims_label = QLabel("C&laims", claims_box)
        self.claims_label.setBuddy(self.claim_list)
        cv.addWidget(self.claims_label)
        cv.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        cv.addLayout(filters)
        cv.addWidget(self.claim_list, 1)
        split_left.addWidget(claims_box)
        split_left.setStretchFactor(0, 1)
        split_left.setStretchFactor(1, 3)
        split_left.setSizes([190, 560])
        lv.addWidget(split_left, 1)

        # Centre: the article, or the compare view.
        self.article_header = QLabel(self)
        self.article_header.setObjectName("articleHeader")
        self.article_header.setAccessibleName("Article")
        self.article_header.setWordWrap(True)
        self.article_header.setTextFormat(Qt.TextFormat.RichText)
        self.article_header.setOpenExternalLinks(True)
        # A fixed height (two lines of title, one of details): changing articles re-lays nothing out.
        line = self.article_header.fontMetrics().lineSpacing()
        self.article_header.setFixedHeight(int(line * 1.3 * 2 + line + 6))
        self.article_header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
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
        self.article_view = ArticleView(self)
        self.article_view.claimClicked.connect(self.select_claim)
        article_page = QWidget(self)
        av = QVBoxLayout(article_page)
        av.setContentsMargins(6, 4, 6, 0)
        av.addWidget(self.article_header)
        av.addWidget(self.legend)
        av.addWidget(self.article_view, 1)
        self.compare = FactCompareView(self)
        self.connect_fact_compare()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("centerTabs")
        self.tabs.setAccessibleName("Article or comparison")
        self.tabs.addTab(article_page, "Article")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.currentChanged.connect(self._tab_changed)

        # Right: the inspector.
        self.inspector = ClaimInspector(self)
        self.inspector.factActivated.connect(self.show_compare)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("mainSplitter")
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.addWidget(self.inspector)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 0)
        split.setSizes([420, 560, 300])
        # On a small screen the claim lists and the inspector can be dragged shut; the article stays.
        split.setChildrenCollapsible(True)
        split.setCollapsible(1, False)
        self.setCentralWidget(split)
        self.splitter = split

        # Status bar: review progress, conflicts, and the background job.
        bar = self.statusBar()
        self.review_label = QLabel(self)
        self.review_label.setObjectName("reviewCount")
        self.review_label.setAccessibleName("Claims reviewed")
        self.review_progress = QProgressBar(self)
        self.review_progress.setObjectName("reviewProgress")
        self.review_progress.setAccessibleName("Review progress")
        self.review_progress.setTextVisible(False)
        self.review_progress.setFixedWidth(fm.horizontalAdvance("0") * 14)
        self.review_progress.setFixedHeight(fm.height())
        self.conflict_label = QLabel(self)
        self.conflict_label.setObjectName("conflictCount")
        self.conflict_label.setAccessibleName("Conflicts open")
        self.conflict_label.setToolTip("Conflicts not yet resolved or rejected")
        self.job_label = QLabel(self)
        self.job_label.setObjectName("jobLabel")
        self.job_label.setAccessibleName("Background work: stage and progress")
        self.job_bar = QProgressBar(self)
        self.job_bar.setObjectName("jobProgress")
        self.job_bar.setAccessibleName("Background work")
        self.job_bar.setMaximumWidth(220)
        self.job_cancel = QPushButton("Cancel", self)
        self.job_cancel.setObjectName("cancelJob")
        self.job_cancel.setAccessibleName("Cancel the background work")
        self.job_cancel.clicked.connect(self.cancel_job)
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.hide()
            bar.addPermanentWidget(w)
        bar.addPermanentWidget(self.conflict_label)
        bar.addPermanentWidget(self.review_label)
        bar.addPermanentWidget(self.review_progress)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == event.Type.Resize and watched in (self.claim_list.viewport(),
                                                              self.article_list.viewport()):
            self._fit_timer.start()  # once the layout has settled
        return super().eventFilter(watched, event)

    def _fit_claim_columns(self) -> None:
        """Keep the claim's text at least ~26 characters wide: hide the values column while the list is
        narrow (it comes back when there is room; the inspector shows the values anyway)."""
        view, col = self.claim_list, ClaimTableModel.COL_VALUES
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

    def _fit_article_columns(self) -> None:
        """A narrow article list keeps the titles readable: the outlet and date columns step aside."""
        view = self.article_list
        header = view.horizontalHeader()
        articles = self.state.articles if self.state else []
        has_outlet = any(a.outlet for a in articles)
        has_date = any(a.published for a in articles)
        # The room the title would have with every useful column shown (no flip-flopping at the edge).
        widths = self._article_widths  # a hidden section's size reads 0
        fixed = widths[3] + widths[4] + (widths[ArticleTableModel.COL_OUTLET] if has_outlet else 0) + \
            (widths[ArticleTableModel.COL_DATE] if has_date else 0)
        narrow = view.viewport().width() - fixed < view.fontMetrics().horizontalAdvance("x" * 18)
        for col, useful in ((ArticleTableModel.COL_OUTLET, has_outlet), (ArticleTableModel.COL_DATE, has_date)):
            if view.isColumnHidden(col) != (narrow or not useful):
                view.setColumnHidden(col, narrow or not useful)
                if not view.isColumnHidden(col):
                    header.resizeSection(col, widths[col])

    def _claim_columns_menu(self, pos) -> None:
        menu = QMenu(self)
        for col, name in enumerate(ClaimTableModel.COLUMNS):
            if col in (ClaimTableModel.COL_ORDER, ClaimTableModel.COL_TEXT):
                continue
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(not self.claim_list.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: self._set_claim_column(c, on))
        menu.exec(self.claim_list.horizontalHeader().mapToGlobal(pos))

    def _set_claim_column(self, col: int, shown: bool) -> None:
        self.claim_list.setColumnHidden(col, not shown)
        if col == ClaimTableModel.COL_VALUES:
            self._values_auto_hidden = False  # the reviewer's choice wins

    @staticmethod
    def _setup_table(view: QTableView) -> None:
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

    def _action(self, text: str, slot: Callable, keys: str | list | QKeySequence.StandardKey | None = None,
                *, name: str, tip: str | None = None, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys is not None:
            if isinstance(keys, list):
                action.setShortcuts([QKeySequence(k) for k in keys])
            else:
                action.setShortcut(QKeySequence(keys))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new = a("&New project…", self.new_project, QKeySequence.StandardKey.New, name="actNew",
                         tip="Create an empty project file")
        self.act_open = a("&Open project…", self.choose_project, "Ctrl+O", name="actOpen",
                          tip="Open another project file")
        self.act_import = a("&Import articles…", self.choose_import, "Ctrl+I", name="actImport",
                            tip="Import .txt, .md, .html or .docx articles; claims are suggested in the background")
        self.act_export = a("&Export fact sheet…", self.choose_export, "Ctrl+E", name="actExport",
                            tip="Export the verified fact sheet")
        self.act_settings = a("Project &settings…", self.edit_project_settings, None, name="actProjectSettings",
                              tip="Story title and reviewer name, as the fact sheet prints them")
        self.act_merge = a("&Merge a colleague's project…", self.choose_merge, None, name="actMerge",
                           tip="Bring another reviewer's file of the same story into this one; differing "
                               "decisions become disputed")
        self.act_reviewer = a("Your reviewer &name…", self.ask_reviewer, None, name="actReviewer",
                              tip="The name recorded with your decisions (kept on this computer)")
        self.act_agreement = a("A&greement between reviewers…", self.show_agreement, None, name="actAgreement",
                               tip="Percent agreement and Cohen's kappa per pair of reviewers")
        self.act_quit = a("&Quit", self.close, "Ctrl+Q", name="actQuit")
        self.act_undo = a("&Undo", self.undo, "Ctrl+Z", name="actUndo", tip="Undo the last decision")
        self.act_redo = a("&Redo", self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], name="actRedo",
                          tip="Redo the decision undone last")
        self.act_find = a("&Find claims…", self.focus_search, "Ctrl+F", name="actFind",
                          tip="Search the claims of every article")
        self.act_next = a("&Next claim", self.next_claim, "J", name="actNext",
                          tip="Next claim (on to the next article at the end)")
        self.act_prev = a("&Previous claim", self.previous_claim, "K", name="actPrevious", tip="Previous claim")
        self.act_confirm = a("&Confirm claim", self.confirm, "A", name="actConfirm",
                             tip="The claim is check-worthy and right as suggested")
        self.act_reject = a("&Reject claim", self.reject, "X", name="actReject", tip="Not a claim worth checking")
        self.act_edit = a("&Edit claim…", self.edit, "E", name="actEdit",
                          tip="Change the span (select it in the article first), the text or the values")
        self.act_conflict = a("Mark c&onflicting…", self.mark_conflict, "C", name="actConflict",
                              tip="Pick the claim it conflicts with and add a note")
        self.act_link = a("Confirm the &fact", self.confirm_link, "L", name="actConfirmLink",
                          tip="The articles that give this claim's figure state one fact, as grouped")
        self.act_reject_link = a("Reject the fact (not one fact)", self.reject_link, "Shift+L",
                                 name="actRejectLink", tip="The grouped figures are not about the same fact")
        self.act_resolve = a("Record which version is &right…", self.resolve, "R", name="actResolve",
                             tip="In the comparison: choose the version (1-9), say why, Enter")
        self.act_split = a("Move the mention &out of the fact", self.split_mention, "S", name="actSplit",
                           tip="In the comparison: the chosen mention is about something else")
        self.act_merge = a("Move the mention into another fact…", self.merge_mention, "M", name="actMerge",
                           tip="In the comparison: the chosen mention belongs to the fact chosen beside it")
        self.act_note = a("Add a &note…", self.add_note, "N", name="actNote", tip="Note on the claim (or link)")
        self.act_reset = a("Back to &suggested", self.reset_claim, "U", name="actReset",
                           tip="Undecide the claim (the history keeps the decision)")
        self.act_add = QAction("&Add selection as a claim", self)
        self.act_add.setObjectName("actAddClaim")
        self.act_add.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.act_add.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_add.setToolTip("Select text in the article, then press Enter: a claim the suggester missed")
        self.act_add.triggered.connect(lambda _=False: self.add_claim_from_selection())
        self.article_view.addAction(self.act_add)

        self.act_article = a("&Article", lambda: self.tabs.setCurrentIndex(0), "Ctrl+1", name="actShowArticle")
        self.act_compare = a("&Compare the articles of the fact", self.show_compare, ["V", "Ctrl+2"],
                             name="actCompare", tip="Every article that gives the claim's figure, side by side")
        self.act_escape = a("Back", self.escape, "Escape", name="actEscape")
        self.act_doc_order = a("&Document order", self.set_document_order, "Ctrl+D", name="actDocOrder",
                               checkable=True,
                               tip="Claims in the order of the text instead of conflicts first")
        self.act_advance = a("Move on after a &decision", lambda on: None, None, name="actAdvance",
                             checkable=True, tip="After A, X or C select the next claim")
        self.act_advance.setChecked(True)
        self.act_zoom_in = a("Zoom &in", lambda: self.zoom(1), ["Ctrl++", "Ctrl+="], name="actZoomIn")
        self.act_zoom_out = a("Zoom &out", lambda: self.zoom(-1), "Ctrl+-", name="actZoomOut")
        self.act_next_pane = a("Next pane", lambda: self.cycle_pane(1), "F6", name="actNextPane")
        self.act_prev_pane = a("Previous pane", lambda: self.cycle_pane(-1), "Shift+F6", name="actPrevPane")
        self.act_keys = a("&Keyboard…", self.show_keys, "F1", name="actKeys")
        self.act_about = a("&About Claimdesk", self.about, None, name="actAbout")

        self.review_actions = [self.act_confirm, self.act_reject, self.act_edit, self.act_conflict, self.act_link,
                               self.act_reject_link, self.act_resolve, self.act_split, self.act_merge,
                               self.act_note, self.act_reset]
        group = QActionGroup(self)
        group.setExclusive(False)
        for act in self.review_actions:
            group.addAction(act)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        for act in (self.act_new, self.act_open):
            m.addAction(act)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        for act in (self.act_import, self.act_merge, self.act_export, None, self.act_settings, self.act_reviewer):
            m.addSeparator() if act is None else m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("&Edit")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        m.addAction(self.act_find)
        m = mb.addMenu("&Review")
        for act in (self.act_next, self.act_prev, None, self.act_confirm, self.act_reject, self.act_edit,
                    self.act_conflict, self.act_note, self.act_reset, self.act_add, None, self.act_link,
                    self.act_reject_link, self.act_resolve, self.act_split, self.act_merge, None,
                    self.act_agreement):
            m.addSeparator() if act is None else m.addAction(act)
        m = mb.addMenu("&View")
        for act in (self.act_article, self.act_compare, None, self.act_doc_order, self.act_advance, None,
                    self.act_zoom_in, self.act_zoom_out, None, self.act_next_pane, self.act_prev_pane):
            m.addSeparator() if act is None else m.addAction(act)
        m = mb.addMenu("&Help")
        m.addAction(self.act_keys)
        m.addAction(self.act_about)

        tb = QToolBar("Review", self)
        tb.setObjectName("reviewToolbar")
        tb.setAccessibleName("Review actions")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.setMovable(False)
        tb.setIconSize(QSize(16, 16))
        for act in (self.act_prev, self.act_next, None, self.act_confirm, self.act_reject, self.act_edit,
                    self.act_conflict, self.act_note, None, self.act_compare, self.act_link, None,
                    self.act_undo, self.act_redo, None, self.act_import, self.act_export):
            if act is None:
                tb.addSeparator()
            else:
                tb.addAction(act)
        self.addToolBar(tb)
        short = {self.act_prev: "Previous", self.act_next: "Next", self.act_confirm: "Confirm",
                 self.act_reject: "Reject", self.act_edit: "Edit", self.act_conflict: "Conflict",
                 self.act_note: "Note", self.act_compare: "Compare", self.act_link: "Confirm fact",
                 self.act_undo: "Undo", self.act_redo: "Redo", self.act_import: "Import",
                 self.act_export: "Export"}
        for act, text in short.items():
            act.setIconText(text)
        for act in self.findChildren(QAction):
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if not keys:
                continue
            tip = act.toolTip() if act.toolTip() != act.iconText() else act.text().replace("&", "").rstrip("…")
            if f"({keys})" not in tip:
                act.setToolTip(f"{tip} ({keys})")

    # ------------------------------------------------------------------------------------
    # project
    # ------------------------------------------------------------------------------------

    @property
    def service(self):
        return self.state.service if self.state else None

    @property
    def project(self) -> Repository | None:
        return self.state.project if self.state else None

    def open_project(self, path: str | Path, *, create: bool = False) -> bool:
        """Open a project file; on failure say why and keep the one that was open."""
        if self.job is not None and self.job.running:
            self.show_problem("Wait for the import to finish (or cancel it) before opening another project.")
            return False
        try:
            project = open_project(path, create=create)
        except ProjectError as exc:
            self.show_problem(str(exc), title="Cannot open the project")
            return False
        try:
            state = ProjectState(project, actor=self.actor)
        except (StorageError, ReviewError) as exc:
            project.close()
            self.show_problem(f"{path}: cannot be read: {exc}", title="Cannot open the project")
            return False
        old = self.state
        self.state = state
        if old is not None:
            old.project.close()
        self._search_index = None
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.claim_model.set_state(state)
        self.article_model.set_state(state)
        self._update_article_columns()
        self._update_title()
        try:
            remember_project(project.path)
        except OSError:  # the settings file cannot be written: not worth a message
            pass
        self.compare.show_nothing()
        self.tabs.setCurrentIndex(0)
        self._update_totals()
        self._update_undo_actions()
        start = state.first_unreviewed_article()
        if start is None:
            self._show_empty("This project has no articles yet: import some with File → Import (Ctrl+I).")
        else:
            self.open_article(start, select="first-unreviewed")
        self.claim_list.setFocus()
        return True

    def _update_title(self) -> None:
        if self.state is None:
            self.setWindowTitle("Claimdesk")
            return
        story = self.project.setting("story")
        # Qt adds the application display name ("— Claimdesk") itself.
        self.setWindowTitle(f"{story + ' — ' if story else ''}{self.project.path.name}")

    def edit_project_settings(self) -> None:
        """File → Project settings: story title, reviewer name, web address (the project's settings table)."""
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        project = self.project
        current = {key: project.setting(key) for key, _, _ in ProjectSettingsDialog.FIELDS}
        if not current.get("reviewer"):
            current["reviewer"] = self.service.actor if self.actor is None else self.actor
        dialog = ProjectSettingsDialog(self, current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        try:
            with project.transaction():
                for key, value in values.items():
                    project.set_setting(key, value)
        except (StorageError, ProjectError) as exc:
            self.show_problem(f"The settings could not be stored in {project.path.name}: {exc}")
            return
        if self.actor is None and values.get("reviewer"):
            self.service.actor = values["reviewer"]  # decisions from now on carry the name
        self._update_title()
        self.statusBar().showMessage("Project settings saved", 4000)

    def ask_reviewer(self, *, wait: bool = True) -> bool:
        """Ask for the user's reviewer name (first start, or File -> Your reviewer name).

        With ``wait`` False the dialog opens without blocking (first start) and the name is taken when
        it is accepted; returns whether a name was given (False while it is still open).
        """
        self.reviewer_dialog = dialog = ReviewerDialog(self, reviewer_name() or self.actor, reviewer_initials())
        if not wait:
            dialog.accepted.connect(lambda: self._take_reviewer(dialog))
            dialog.open()
            return False
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._take_reviewer(dialog)
        return True

    def _take_reviewer(self, dialog: ReviewerDialog) -> None:
        name, initials = dialog.values()
        try:
            remember_reviewer(name, initials)
        except OSError:
            pass
        self.actor = name
        if self.state is not None:
            self.service.actor = name
        self.statusBar().showMessage(f"Decisions are now recorded as {name}", 4000)

    def choose_merge(self) -> None:
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        path, _ = QFileDialog.getOpenFileName(self, "Merge a colleague's project", str(self.project.path.parent),
                                              PROJECT_FILTER)
        if path:
            self.merge_from(path)

    def merge_from(self, path: str | Path) -> bool:
        """Merge another project file into the open one (the other file is only read)."""
        from app.services.merge import MergeError, merge_into

        if self.state is None:
            return False
        if self.job is not None and self.job.running:
            self.show_problem("Wait for the import to finish before merging.")
            return False
        try:
            report = merge_into(self.project, path, actor=self.service.actor)
        except (MergeError, ProjectError, StorageError) as exc:
            self.show_problem(f"Nothing was merged: {exc}", title="Cannot merge")
            return False
        self._reload_after_job()
        self.service._rebuild_stacks()
        self._update_undo_actions()
        self.last_merge = report
        self.statusBar().showMessage(f"Merged {Path(path).name}: {report.summary()}", 8000)
        return True

    def show_agreement(self) -> None:
        from app.services.agreement import agreement, describe

        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        self.agreement_dialog = AgreementDialog(self, describe(agreement(self.project)))
        self.agreement_dialog.open()

    def _update_article_columns(self) -> None:
        """No outlet or date column when no article has one, or the list is narrow: the title gets the room."""
        articles = self.state.articles if self.state else []
        self.article_list.setColumnHidden(ArticleTableModel.COL_OUTLET, not any(a.outlet for a in articles))
        self.article_list.setColumnHidden(ArticleTableModel.COL_DATE, not any(a.published for a in articles))
        self._fit_article_columns()

    def _show_empty(self, message: str = "Open a project (Ctrl+O) or import articles (Ctrl+I).") -> None:
        self.view_article = None
        self._article_claims = {}
        self.claim_model.set_claims([])
        self._update_claims_label()
        self.article_view.clear_article()
        self.article_header.setText(f"<i>{html.escape(message, quote=False)}</i>")
        self.inspector.show_nothing()
        self._update_totals()
        self._update_enabled()

    # ------------------------------------------------------------------------------------
    # articles and claims
    # ------------------------------------------------------------------------------------

    @property
    def search_mode(self) -> bool:
        return self.claim_model.search_mode

    @property
    def current_claim_id(self) -> int | None:
        index = self.claim_list.currentIndex()
        return index.data(ClaimIdRole) if index.isValid() else None

    def current_claim(self) -> Claim | None:
        cid = self.current_claim_id
        return self.claim_model.claim(cid) if cid is not None else None

    def _load_view(self, article_id: int, claims: list[Claim] | None = None) -> bool:
        try:
            article = self.project.article(article_id)
        except KeyError:
            self.show_problem(f"Article {article_id} is no longer in the project.")
            return False
        if claims is None:
            claims = self.project.claims(article_id)
        self.view_article = article_id
        self._article_claims = {c.id: c for c in claims}
        self.article_view.show_text(article.text)
        self.article_view.set_claims(claims)
        self._update_article_header()
        row = self.article_model.row_of(article_id)
        if row is not None:
            sm = self.article_list.selectionModel()
            sm.blockSignals(True)
            sm.setCurrentIndex(self.article_model.index(row, 0),
                               QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
            sm.blockSignals(False)
            self.article_list.viewport().update()
            self.article_list.scrollTo(self.article_model.index(row, 0))
        return True

    def _update_article_header(self) -> None:
        info = self.state.article_info(self.view_article) if self.state and self.view_article else None
        if info is None:
            self.article_header.setText("")
            return
        meta = [x for x in (info.outlet, info.published) if x]
        link = (f" · <a href='{html.escape(info.url)}'>{html.escape(_elide(info.url, 50), quote=False)}</a>"
                if info.url else "")
        text = (
            f"<span style='font-size:large'><b>{html.escape(_elide(info.title, 140), quote=False)}</b></span><br>"
            f"{html.escape(' · '.join(meta) or 'outlet and date unknown', quote=False)}{link}"
        )
        if text != self.article_header.text():
            self.article_header.setText(text)

    def open_article(self, article_id: int, *, select: int | str | None = "first-unreviewed") -> None:
        """Show an article and its claims; ``select`` a claim id, "first", "last" or "first-unreviewed"."""
        if self.state is None:
            return
        if self.search_mode:
            self._leave_search()
        claims = self.project.claims(article_id)
        if not self._load_view(article_id, claims):
            return
        self.claim_model.set_claims(claims)
        self.claim_list.setColumnHidden(ClaimTableModel.COL_ARTICLE, True)
        self._update_claims_label()
        if isinstance(select, int):
            self.select_claim(select)
        elif self.claim_proxy.rowCount():
            row = 0
            if select == "last":
                row = self.claim_proxy.rowCount() - 1
            elif select == "first-unreviewed":
                for r in range(self.claim_proxy.rowCount()):
                    cid = self.claim_proxy.claim_id_at(r)
                    if self.claim_model.claim(cid).status == "suggested":
                        row = r
                        break
            self._select_row(row)
        else:
            self.inspector.show_nothing("No claims in this article" if not claims else
                                        "No claim matches the filters")
        self._update_enabled()

    def _select_row(self, row: int) -> None:
        index = self.claim_proxy.index(row, 0)
        if not index.isValid():
            return
        self.claim_list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.claim_list.scrollTo(index)

    def select_claim(self, claim_id: int) -> bool:
        """Select a claim anywhere in the project (opening its article, clearing filters that hide it)."""
        if self.state is None:
            return False
        row = self.claim_proxy.row_of(claim_id)
        if row is None and self.claim_model.row_of(claim_id) is not None:
            self._clear_filters()
            row = self.claim_proxy.row_of(claim_id)
        if row is None:
            try:
                claim = self.project.claim(claim_id)
            except KeyError:
                return False
            self.open_article(claim.article_id, select=None)
            row = self.claim_proxy.row_of(claim_id)
            if row is None:
                self._clear_filters()
                row = self.claim_proxy.row_of(claim_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _clear_filters(self) -> None:
        for combo in (self.status_filter, self.kind_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.claim_proxy.set_status_filter(None)
        self.claim_proxy.set_kind_filter(None)
        self._update_claims_label()
        self.statusBar().showMessage("Filters cleared to show the claim", 4000)

    def _claim_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        cid = current.data(ClaimIdRole) if current.isValid() else None
        self._show_claim(cid)

    def _show_claim(self, cid: int | None) -> None:
        claim = self.claim_model.claim(cid) if cid is not None else None
        if claim is None:
            self.article_view.select_claim(None)
            self.inspector.show_nothing()
            self._update_enabled()
            return
        if claim.article_id != self.view_article:
            self._load_view(claim.article_id)
        self.article_view.select_claim(claim.id)
        self.inspector.show_claim(self.state, claim)
        if self.tabs.currentIndex() == 1:
            self._compare_current(quiet=True)
        self._update_enabled()

    def _article_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid() or self.state is None:
            return
        aid = current.data(ArticleTableModel.ArticleIdRole)
        if aid != self.view_article or self.search_mode:
            self.open_article(aid, select="first-unreviewed")

    # -- moving ---------------------------------------------------------------------------

    def _step(self, step: int, from_row: int | None = None) -> None:
        if self.state is None:
            return
        row = self.claim_list.currentIndex().row() if from_row is None else from_row
        n = self.claim_proxy.rowCount()
        target = row + step
        if 0 <= target < n:
            self._select_row(target)
            return
        if row < 0 and n:
            self._select_row(0 if step > 0 else n - 1)
            return
        if self.search_mode:
            self.statusBar().showMessage("No more search results", 3000)
            return
        aid = self.state.neighbour_article(self.view_article, step) if self.view_article else None
        if aid is None:
            self.statusBar().showMessage(
                "That was the last claim of the last article" if step > 0 else "This is the first claim", 4000)
            return
        self.open_article(aid, select="first" if step > 0 else "last")
        info = self.state.article_info(aid)
        self.statusBar().showMessage(f"On to the next article: {info.title}" if step > 0
                                     else f"Back to the previous article: {info.title}", 4000)

    def next_claim(self) -> None:
        self._step(1)

    def previous_claim(self) -> None:
        self._step(-1)

    # ------------------------------------------------------------------------------------
    # decisions
    # ------------------------------------------------------------------------------------

    def run_decision(self, fn: Callable, *args, advance: bool = False, **kwargs) -> Changes | None:
        """Make one decision through the review service, report a problem, redraw what changed."""
        if self.state is None:
            return None
        before_id = self.current_claim_id
        before_row = self.claim_list.currentIndex().row()
        renders = self.inspector.renders
        try:
            result = fn(*args, **kwargs)
        except (ReviewError, ProjectError) as exc:
            self.show_problem(str(exc))
            return None
        except StorageError as exc:
            self.show_problem(f"The decision could not be stored in {self.project.path.name}: {exc}")
            return None
        changes = result[1] if isinstance(result, tuple) else result
        advance = advance and self.act_advance.isChecked()
        self.apply_changes(changes, inspect=not advance, facts=facts_may_change(fn))
        self._update_undo_actions()
        if advance:
            row = self.claim_proxy.row_of(before_id) if before_id is not None else None
            if row is not None:
                self._step(1, from_row=row)
            elif 0 <= before_row < self.claim_proxy.rowCount():
                self._select_row(before_row)
            else:
                self._step(1, from_row=self.claim_proxy.rowCount() - 1)
        elif before_id is not None and self.claim_proxy.row_of(before_id) is None:
            # The decided claim left the filtered list: stay at the same place in it.
            n = self.claim_proxy.rowCount()
            if n:
                self._select_row(min(max(before_row, 0), n - 1))
        self._sync_inspector(renders)
        return result

    def _sync_inspector(self, renders_before: int) -> None:
        """The inspector shows what the file holds now: redrawn unless a decision's own redraw or a
        move to another claim already drew it (at the end of the list a decision moves nowhere)."""
        current = self.current_claim()
        if current is None:
            if self.inspector.claim_id is not None:
                self.inspector.show_nothing()
        elif self.inspector.renders == renders_before or self.inspector.claim_id != current.id:
            self.inspector.show_claim(self.state, current)

    def apply_changes(self, changes: Changes, *, inspect: bool = True, facts: bool = True) -> None:
        """Redraw what a decision changed: rows, highlights, figures, inspector (unless moving on)."""
        state = self.state
        project = state.project
        touched = state.refresh_links(changes.links) | self._refresh_facts(changes.claims, reload=facts)
        articles: set[int] = set()
        recount_all = False
        for cid in changes.claims:
            try:
                claim = project.claim(cid)
            except KeyError:
                claim = None
            if claim is None:
                old = self.claim_model.claim(cid) or self._article_claims.get(cid)
                self.claim_model.remove(cid)
                if self._article_claims.pop(cid, None) is not None:
                    self.article_view.remove_claim(cid)
                if self._search_index is not None:
                    self._search_index.pop(cid, None)
                if old is not None:
                    articles.add(old.article_id)
                else:
                    recount_all = True
                continue
            articles.add(claim.article_id)
            in_model = self.claim_model.row_of(cid) is not None
            if in_model or (not self.search_mode and claim.article_id == self.view_article):
                self.claim_model.upsert(claim)
            if claim.article_id == self.view_article:
                self._article_claims[cid] = claim
                self.article_view.update_claim(claim)
            if self._search_index is not None:
                info = state.article_info(claim.article_id)
                self._search_index[cid] = (search_text(claim, info.title if info else ""), claim)
        for cid in touched - changes.claims:
            # Links or facts changed, not the claim: its Links column; the articles' counts of facts in
            # conflict were set when the facts were read again.
            self.claim_model.refresh_links(cid)
        for aid in state.recounted - articles:
            self.article_model.article_changed(aid)
        state.recounted = set()
        for aid in articles:
            claims = self._article_claims.values() if aid == self.view_article else None
            state.recount(aid, claims)
            self.article_model.article_changed(aid)
        if recount_all:
            state.recount_all()
            self.article_model.reset()
        self._update_totals()
        self._update_claims_label()
        current = self.current_claim()
        if current is not None and inspect:
            self.inspector.show_claim(state, current)
        self._update_enabled()

    def _need_claim(self) -> Claim | None:
        claim = self.current_claim()
        if claim is None:
            self.statusBar().showMessage("Select a claim first (J / K or the claim list)", 4000)
        return claim

    def confirm(self) -> None:
        claim = self._need_claim()
        if claim:
            self.run_decision(self.service.confirm, claim.id, advance=True)

    def reject(self) -> None:
        claim = self._need_claim()
        if claim:
            self.run_decision(self.service.reject, claim.id, advance=True)

    def reset_claim(self) -> None:
        claim = self._need_claim()
        if claim:
            self.run_decision(self.service.reset, claim.id)

    def edit(self) -> None:
        claim = self._need_claim()
        if claim is None:
            return
        article = self.project.article(claim.article_id)
        span = self.article_view.selection_span() if self.view_article == claim.article_id else None
        dialog = EditClaimDialog(self, claim, article.text, span=span, published=article.published)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        if not changes:
            self.statusBar().showMessage("Nothing changed", 3000)
            return
        if self.run_decision(self.service.edit, claim.id, **changes) is not None:
            self.article_view.clear_selection()
            self.article_view.select_claim(claim.id)

    def mark_conflict(self) -> None:
        claim = self._need_claim()
        if claim is None:
            return
        dialog = ConflictDialog(self, self.state, claim)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note = dialog.note.toPlainText().strip() or None
        self.run_decision(self.service.mark_conflict, claim.id, dialog.chosen(), note, advance=True)

    def add_note(self) -> None:
        claim = None
        if self.tabs.currentIndex() == 1 and self.compare.focus_claim is not None and self.compare.fact is not None:
            claim = self.project.claim(self.compare.focus_claim)  # the claim the reviewer came from
        claim = claim or self._need_claim()
        if claim is None:
            return
        dialog = NoteDialog(self, f"claim #{claim.id}")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.run_decision(self.service.note, dialog.text.toPlainText().strip(), claim_id=claim.id)

    def add_claim_from_selection(self) -> None:
        if self.state is None or self.view_article is None:
            return
        span = self.article_view.selection_span()
        if span is None:
            self.statusBar().showMessage("Select the text of the claim in the article, then press Enter", 5000)
            return
        article = self.project.article(self.view_article)
        start, end = span
        # Trim the blanks a mouse selection picks up at its edges.
        while start < end and article.text[start].isspace():
            start += 1
        while end > start and article.text[end - 1].isspace():
            end -= 1
        values = read_values_at(article.text, start, end, article.published)
        if self.search_mode:
            self._leave_search()
        result = self.run_decision(self.service.add_claim, self.view_article, start, end, values=values)
        if result is not None:
            new_id, _ = result
            self.article_view.clear_selection()
            self.select_claim(new_id)
            self.statusBar().showMessage(f"Added claim #{new_id}", 4000)

    def undo(self) -> None:
        self._undo_redo(self.service.undo if self.service else None)

    def redo(self) -> None:
        self._undo_redo(self.service.redo if self.service else None)

    def _undo_redo(self, fn) -> None:
        if fn is None:
            return
        changes = self.run_decision(fn)
        if changes is None:
            return
        current = self.current_claim_id
        if current in changes.claims:
            return
        for cid in sorted(changes.claims):
            if self.project.has_claim(cid) and self.select_claim(cid):
                break

    # ------------------------------------------------------------------------------------
    # compare view
    # ------------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        # Two articles side by side need the width: the inspector makes room while comparing.
        if index == 1:
            if self.inspector.isVisible():
                self._sizes_before_compare = self.splitter.sizes()
                self.inspector.hide()
            if self.state is not None and self.compare.fact is None and not self._switching_tab:
                self._compare_current(quiet=True)
        elif not self.inspector.isVisible():
            self.inspector.show()
            if self._sizes_before_compare:
                self.splitter.setSizes(self._sizes_before_compare)

    def escape(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.tabs.setCurrentIndex(0)
        elif self.search.text() or self.search_mode:
            self._leave_search()
            self.claim_list.setFocus()
        elif self.article_view.textCursor().hasSelection():
            self.article_view.clear_selection()

    # ------------------------------------------------------------------------------------
    # search, filters, order
    # ------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_return(self) -> None:
        self._search_timer.stop()
        self._run_search()
        self.claim_list.setFocus()
        if self.claim_proxy.rowCount() and not self.claim_list.currentIndex().isValid():
            self._select_row(0)

    def _build_search_index(self) -> dict[int, tuple[str, Claim]]:
        index: dict[int, tuple[str, Claim]] = {}
        for c in self.project.claims():
            info = self.state.article_info(c.article_id)
            index[c.id] = (search_text(c, info.title if info else ""), c)
        return index

    def _run_search(self) -> None:
        if self.state is None:
            return
        words = self.search.text().lower().split()
        if not words:
            if self.search_mode:
                self._leave_search()
            return
        if self._search_index is None:
            self._search_index = self._build_search_index()
        keep = self.current_claim_id
        matches = [c for hay, c in self._search_index.values() if all(w in hay for w in words)]
        matches.sort(key=lambda c: (self.state.article_pos.get(c.article_id, 0), c.start, c.id))
        self.claim_model.set_claims(matches, search_mode=True)
        self.claim_list.setColumnHidden(ClaimTableModel.COL_ARTICLE, False)
        self._update_claims_label()
        row = self.claim_proxy.row_of(keep) if keep is not None else None
        if row is not None:
            self._select_row(row)
        elif self.claim_proxy.rowCount():
            self._select_row(0)
        else:
            self.inspector.show_nothing("No claim matches the search")

    def _leave_search(self) -> None:
        keep = self.current_claim_id
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()
        self.claim_model.set_claims(list(self._article_claims.values()))
        self.claim_list.setColumnHidden(ClaimTableModel.COL_ARTICLE, True)
        self._update_claims_label()
        if keep is not None and self.claim_proxy.row_of(keep) is not None:
            self._select_row(self.claim_proxy.row_of(keep))
        elif self.claim_proxy.rowCount():
            self._select_row(0)

    def _update_claims_label(self) -> None:
        """"Claims (9)": the claims of the article (or the search), "shown of all" while filtered."""
        total = self.claim_model.rowCount()
        shown = self.claim_proxy.rowCount()
        count = f"{shown} of {total}" if shown != total else f"{total}"
        if self.search_mode:
            text = f"C&laims matching “{_elide(self.search.text(), 30)}” ({count}, all articles)"
        else:
            text = f"C&laims ({count})"
        if text != self.claims_label.text():
            self.claims_label.setText(text)

    def _filters_changed(self, *_: object) -> None:
        keep = self.current_claim_id
        self.claim_proxy.set_status_filter(self.status_filter.currentData())
        self.claim_proxy.set_kind_filter(self.kind_filter.currentData())
        self._update_claims_label()
        row = self.claim_proxy.row_of(keep) if keep is not None else None
        if row is not None:
            self._select_row(row)
        elif self.claim_proxy.rowCount():
            self._select_row(0)
        else:
            self._show_claim(None)

    def set_document_order(self, on: bool) -> None:
        self.claim_model.set_document_order(on)
        self.claim_list.sortByColumn(ClaimTableModel.COL_ORDER, Qt.SortOrder.AscendingOrder)
        cid = self.current_claim_id
        if cid is not None:
            self.claim_list.scrollTo(self.claim_list.currentIndex())
        self.statusBar().showMessage("Claims in document order" if on else
                                     "Claims in review order: conflicts, then single-source figures, then the rest",
                                     4000)

    # ------------------------------------------------------------------------------------
    # files: open, import, export
    # ------------------------------------------------------------------------------------

    def _start_dir(self) -> str:
        """The project's folder, unless it is Claimdesk's own (hidden) data folder: then Documents."""
        if self.project is not None:
            from app.paths import user_data_dir

            folder = self.project.path.resolve().parent
            try:
                hidden = folder == user_data_dir().resolve()
            except OSError:
                hidden = False
            if not hidden:
                return str(folder)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return docs if docs and Path(docs).is_dir() else str(Path.home())

    def _export_dir(self) -> str:
        return last_export_dir() or self._start_dir()

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._start_dir(), PROJECT_FILTER)
        if path:
            self.open_or_import(path)

    def open_or_import(self, path: str) -> bool:
        """Open a project file; an article file chosen by mistake is offered for import instead."""
        if Path(path).suffix.lower() in ARTICLE_SUFFIXES:
            if self.state is None:
                self.show_problem(f"{Path(path).name} is an article, not a project: create a project "
                                  f"(Ctrl+N), then import it (Ctrl+I).", title="Open project")
                return False
            answer = QMessageBox.question(
                self, "Import the article?",
                f"{Path(path).name} is an article, not a Claimdesk project.\n\n"
                f"Import it into {self.project.path.name}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                return self.import_files([path]) is not None
            return False
        return self.open_project(path)

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        current = str(self.project.path.resolve()) if self.project is not None else None
        paths = [p for p in recent_projects() if p != current]
        for n, path in enumerate(paths, 1):
            act = menu.addAction(f"&{n} {Path(path).name}" if n < 10 else Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.setData(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not paths:
            empty = menu.addAction("No other recent projects")
            empty.setEnabled(False)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path(self._start_dir()) / "story.claimdesk"),
                                              PROJECT_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".claimdesk"
            self.open_project(path, create=True)

    def choose_import(self) -> None:
        if self.state is None:
            self.show_problem("Open or create a project first (Ctrl+O, Ctrl+N).")
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", self._start_dir(), IMPORT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> BackgroundJob | None:
        """Import in the background; the window stays usable and shows progress with Cancel."""
        return self._start_job("Importing", import_job([str(p) for p in paths]), self._import_done)

    def _import_done(self, results) -> None:
        self.last_import_results = results
        self._reload_after_job()
        ok = [r for r in results if r.error is None]
        new = [r for r in ok if r.created]
        bad = [r for r in results if r.error is not None]
        summary = f"Imported {len(new)} new article{'s' if len(new) != 1 else ''}"
        if len(ok) > len(new):
            summary += f" ({len(ok) - len(new)} already in the project)"
        self.statusBar().showMessage(summary, 8000)
        if bad:
            lines = "\n".join(f"• {Path(r.path).name}: {r.error}" for r in bad)
            self.show_problem(f"{summary}.\n\n{len(bad)} file{'s' if len(bad) != 1 else ''} could not be "
                              f"imported:\n{lines}", title="Import")
        if new and (self.view_article is None or not self._article_claims):
            self.open_article(new[0].article_id)

    def choose_export(self) -> None:
        if self.state is None:
            self.show_problem("Open a project first (Ctrl+O).")
            return
        try:
            import app.export as export
        except ImportError as exc:
            self.show_problem(f"Export is not available in this installation ({exc}).", title="Export")
            return
        choices = [(f, export.DESCRIPTIONS[f], export.SUFFIXES[f]) for f in export.FORMATS]
        story = (self.project.setting("story") or "").strip()
        stem = "-".join("".join(ch if ch.isalnum() else " " for ch in story).split()).lower()[:60] \
            if story else self.project.path.stem
        dialog = ExportDialog(self, self._export_dir(), f"{stem}-fact-sheet", choices,
                              selected=gui_settings().value("lastExportFormat"))
        self.export_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            chosen = dialog.chosen()
        finally:
            self.export_dialog = None
            dialog.deleteLater()
        if chosen is None:
            return
        fmt, path = chosen
        settings = gui_settings()
        settings.setValue("lastExportFormat", fmt)
        remember_export_dir(Path(path).parent)
        self.export_to(fmt, path)

    def export_to(self, fmt: str, path: str) -> BackgroundJob | None:
        missing = [what for key, what in (("story", "story title"), ("reviewer", "reviewer name"))
                   if not (self.project.setting(key) or "").strip()]
        hint = (f"; the sheet has no {' or '.join(missing)} of its own: set them in File → Project settings"
                if missing else "")
        return self._start_job("Exporting", export_job(fmt, path),
                               lambda out: self.statusBar().showMessage(f"Exported {fmt} to {out}{hint}", 15000))

    def _start_job(self, title: str, fn, on_done: Callable) -> BackgroundJob | None:
        if self.state is None:
            return None
        if self.job is not None and self.job.running:
            self.show_problem(f"{self.job.title} is still running; wait for it or cancel it first.")
            return None
        job = BackgroundJob(self.project.path, fn, title, self)
        self.job = job
        self.job_label.setText(f"{title}…")
        self.job_bar.setRange(0, 0)
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.show()
        self.job_cancel.setEnabled(True)
        self.act_open.setEnabled(False)
        self.act_new.setEnabled(False)
        job.progress.connect(self._job_progress)
        job.finished.connect(on_done)
        job.failed.connect(lambda msg: self._job_failed(title, msg))
        job.cancelled.connect(lambda: self._job_cancelled(title))
        job.ended.connect(self._job_ended)
        job.start()
        return job

    def _job_progress(self, stage: str, done: int, total: int) -> None:
        """One phase at a time, each with its own progress: reading files, loading the language model,
        finding claims, comparing articles. A phase whose length is unknown shows a busy bar."""
        phases = [k for k in ("import", "model", "suggest", "align") if k in JOB_STAGES]
        name = JOB_STAGES.get(stage, stage.capitalize())
        step = f" (step {phases.index(stage) + 1} of {len(phases)})" if stage in phases else ""
        count = f" {done}/{total}" if total > 1 else ""
        self.job_label.setText(f"{name}{count}{step}…" if done < total else f"{name}{count}{step}")
        self.job_stage = stage
        if total <= 1 and done < total:
            self.job_bar.setRange(0, 0)  # busy: no way to say how far it is
        else:
            self.job_bar.setRange(0, max(total, 1))
            self.job_bar.setValue(done)
        self.job_bar.setAccessibleDescription(self.job_label.text())

    def _job_failed(self, title: str, message: str) -> None:
        self._reload_after_job()
        self.show_problem(f"{title} failed: {message}", title=title)

    def _job_cancelled(self, title: str) -> None:
        self._reload_after_job()
        self.statusBar().showMessage(f"{title} cancelled; what was finished is kept", 8000)

    def _job_ended(self) -> None:
        for w in (self.job_label, self.job_bar, self.job_cancel):
            w.hide()
        self.act_open.setEnabled(True)
        self.act_new.setEnabled(True)

    def cancel_job(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job_cancel.setEnabled(False)
            self.job_label.setText("Cancelling…")

    def _reload_after_job(self) -> None:
        """Re-read what a background job may have changed, keeping the reviewer's place."""
        if self.state is None:
            return
        keep_claim, keep_article = self.current_claim_id, self.view_article
        was_searching = self.search_mode
        try:
            self.state.reload()
        except StorageError as exc:
            self.show_problem(f"The project could not be re-read: {exc}")
            return
        self._search_index = None
        self.article_model.reset()
        self._update_article_columns()
        self._update_totals()
        if was_searching:
            self._run_search()
            return
        if keep_article is not None and self.state.article_info(keep_article) is not None:
            self.open_article(keep_article, select=keep_claim if keep_claim is not None else "first-unreviewed")
            if keep_claim is not None and self.current_claim_id != keep_claim:
                self.open_article(keep_article)
        else:
            start = self.state.first_unreviewed_article()
            if start is not None:
                self.open_article(start)

    # ------------------------------------------------------------------------------------
    # size and place: fit the screen, remember the reviewer's layout
    # ------------------------------------------------------------------------------------

    def available_geometry(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def _restore_layout(self) -> None:
        """The size and splitters the reviewer left, if they still fit this screen; else fit the screen."""
        settings = gui_settings()
        geometry = settings.value("window/geometry")
        restored = bool(geometry) and self.restoreGeometry(geometry)
        for splitter, key in ((self.splitter, "window/mainSplitter"), (self.left_splitter, "window/leftSplitter")):
            state = settings.value(key)
            if state:
                splitter.restoreState(state)
        if not restored or not self.available_geometry().contains(self.geometry()):
            self.fit_to_screen(keep_splitters=restored)

    def fit_to_screen(self, available: QRect | None = None, *, keep_splitters: bool = False) -> None:
        """As large as the preferred 1280x800 where the screen has room, never larger than the screen
        (minus the window frame), centred; the panes shared out in proportion."""
        area = available or self.available_geometry()
        frame_w = max(self.frameGeometry().width() - self.geometry().width(), 0)
        frame_h = max(self.frameGeometry().height() - self.geometry().height(), 0)
        if frame_h == 0:
            frame_h, frame_w = 32, 8  # not shown yet: leave room for a typical title bar
        width = min(PREFERRED_SIZE.width(), area.width() - frame_w)
        height = min(PREFERRED_SIZE.height(), area.height() - frame_h)
        self.setMinimumSize(0, 0)
        self.resize(width, height)
        x = area.x() + max((area.width() - width - frame_w) // 2, 0)
        y = area.y() + max((area.height() - height - frame_h) // 2, 0)
        self.move(x, y)
        if not keep_splitters:
            self.share_panes(width)

    def share_panes(self, width: int) -> None:
        """Claim lists a third, the inspector a quarter, the article the rest (at 1280: 420/560/300)."""
        left = max(int(width * 0.33), 260)
        right = max(int(width * 0.23), 220)
        self.splitter.setSizes([left, max(width - left - right, 200), right])

    def save_layout(self) -> None:
        settings = gui_settings()
        if self.tabs.currentIndex() == 1 and self._sizes_before_compare:
            self.splitter.setSizes(self._sizes_before_compare)  # the inspector's width, not the compare view's
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/mainSplitter", self.splitter.saveState())
        settings.setValue("window/leftSplitter", self.left_splitter.saveState())
        settings.sync()

    # ------------------------------------------------------------------------------------
    # chrome
    # ------------------------------------------------------------------------------------

    def _update_totals(self) -> None:
        if self.state is None:
            self.review_progress.setRange(0, 1)
            self.review_progress.setValue(0)
            self.review_label.setText("")
            self.conflict_label.setText("")
            return
        reviewed, total, conflicts = self.state.totals()
        if (self.review_progress.maximum(), self.review_progress.value()) != (max(total, 1), reviewed):
            self.review_progress.setRange(0, max(total, 1))
            self.review_progress.setValue(reviewed)
            self.review_label.setText(f"{reviewed} / {total} claims reviewed")
            self.review_progress.setAccessibleDescription(f"{reviewed} of {total} claims reviewed")
        text = f"{conflicts} fact{'s' if conflicts != 1 else ''} in conflict"
        if text != self.conflict_label.text():
            self.conflict_label.setText(text)

    def _update_undo_actions(self) -> None:
        service = self.service
        can_undo = bool(service and service.can_undo)
        can_redo = bool(service and service.can_redo)
        self.act_undo.setEnabled(can_undo)
        self.act_redo.setEnabled(can_redo)
        self.act_undo.setText(f"&Undo {service.undo_text}" if can_undo else "&Undo")
        self.act_redo.setText(f"&Redo {service.redo_text}" if can_redo else "&Redo")

    def _update_enabled(self) -> None:
        has_project = self.state is not None
        has_claim = self.current_claim_id is not None
        for act in self.review_actions:
            act.setEnabled(has_claim)
        for act in (self.act_import, self.act_export, self.act_find, self.act_next, self.act_prev,
                    self.act_compare, self.act_settings, self.act_doc_order):
            act.setEnabled(has_project)
        for widget in (self.search, self.status_filter, self.kind_filter):
            widget.setEnabled(has_project)
        self.act_add.setEnabled(has_project and self.view_article is not None)

    def show_problem(self, message: str, *, title: str = "Claimdesk") -> None:
        """One readable message; the window stays usable."""
        log.info("%s: %s", title, message)
        self.last_problem = message
        self.statusBar().showMessage(message.splitlines()[0], 10000)
        if self._problem_box is not None:
            self._problem_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("problemMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "_problem_box", None))
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            focus = self.claim_list
        box.finished.connect(lambda *_: self._back_from_message(focus))
        self._problem_box = box
        box.open()

    def _back_from_message(self, focus: QWidget) -> None:
        # The keyboard goes back where it was, without a click.
        self.activateWindow()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def zoom(self, step: int) -> None:
        self.article_view.zoomIn(step)
        self.compare.zoom(step)

    def cycle_pane(self, step: int) -> None:
        panes = [self.article_list, self.search, self.claim_list,
                 self.article_view if self.tabs.currentIndex() == 0 or not self.compare.panes
                 else self.compare.panes[0].view,
                 self.inspector.links]
        focus = QApplication.focusWidget()
        i = next((n for n, w in enumerate(panes) if w is focus or (focus and w.isAncestorOf(focus))), -1)
        panes[(i + step) % len(panes)].setFocus(Qt.FocusReason.TabFocusReason)

    def show_keys(self) -> None:
        actions = [a for a in self.findChildren(QAction) if a.shortcuts()]
        KeysDialog(self, actions, [("Choose the version (in the comparison)", "1 … 9")]).exec()

    def about(self) -> None:
        from app import __version__

        QMessageBox.about(self, "About Claimdesk",
                          f"Claimdesk {__version__}\nCheck a story against its sources.\n\n"
                          "Every decision is saved in the project file as you make it.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job.wait(15_000)
        try:
            self.save_layout()
        except Exception:  # settings that cannot be written never keep the window from closing
            log.exception("could not save the window layout")
        if self.state is not None:
            self.state.project.close()
        super().closeEvent(event)

