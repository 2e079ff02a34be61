"""The review window: a shell that puts the panes together and routes the keys.

What lives where:

* :mod:`claimdesk.gui.actions` — the table of actions: names, keys, handlers, menus, toolbar, F1;
* :mod:`claimdesk.gui.controller` — the only caller of the services: a decision (one committed
  transaction, there is no Save) becomes ``changed(Applied)`` with the operation's
  :class:`~claimdesk.core.model.Changes`; undo and redo live in the core;
* :mod:`claimdesk.gui.panes` — article list, claim list, article text, status bar: each connected to
  ``changed`` and redrawing itself; the inspector and the compare view (:mod:`claimdesk.gui.fact_review`)
  are connected here too;
* :mod:`claimdesk.gui.navigation` (articles, claims, J/K, search, filters), :mod:`claimdesk.gui.claim_review`
  (A, X, E, C, N, U, Enter, undo), :mod:`claimdesk.gui.fact_review` (V, L, R, S, M),
  :mod:`claimdesk.gui.project_files` (File menu, background jobs through :mod:`claimdesk.gui.jobs`) and
  :mod:`claimdesk.gui.window_layout` (size, splitters) are mixed into :class:`MainWindow`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from claimdesk.gui.actions import actions_needing, build_actions, build_menus, key_rows
from claimdesk.gui.claim_review import ClaimReviewMixin
from claimdesk.gui.compare import FactCompareView
from claimdesk.gui.controller import Applied, ReviewController
from claimdesk.gui.agreement_panel import decisions_changed, refresh_agreement_panel, refresh_agreement_soon
from claimdesk.gui.curation import CurationMixin
from claimdesk.gui.disputes import DisputeIndex
from claimdesk.gui.project_dialogs import KeysDialog
from claimdesk.gui.fact_review import FactReviewMixin
from claimdesk.gui.inspector import ClaimInspector
from claimdesk.gui.jobs import JobRunner
from claimdesk.gui.models import ClaimFilterProxy
from claimdesk.gui.navigation import NavigationMixin
from claimdesk.gui.panes import ArticleListPane, ArticlePane, ClaimListPane, StatusPane
from claimdesk.gui.project_files import ProjectFilesMixin
from claimdesk.gui.settings import remember_project, reviewer_name
from claimdesk.gui.state import ProjectState
from claimdesk.gui.window_layout import WindowLayoutMixin

log = logging.getLogger(__name__)


class MainWindow(FactReviewMixin, CurationMixin, ClaimReviewMixin, NavigationMixin, ProjectFilesMixin, WindowLayoutMixin,
                 QMainWindow):
    """The Claimdesk review window on one project file."""

    def __init__(self, project_path: str | Path | None = None, *, actor: str | None = None,
                 create: bool = False):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Claimdesk")
        self.setAccessibleName("Claimdesk")
        self.actor = actor or reviewer_name()  # the user's name (asked on first start); the project's is a fallback
        self.last_import_results: list | None = None
        self._problem_box: QMessageBox | None = None
        self._pending_problem: tuple[str, str] | None = None
        self._switching_tab = False
        self._sizes_before_compare: list[int] | None = None
        self.export_dialog = None
        self.disputes = DisputeIndex()  # what the reviewers disagree on across the story

        self.controller = ReviewController(
            self, known_claim=lambda cid: self.claim_model.claim(cid) or self.article_pane.claims.get(cid),
            shown=lambda: (self.article_pane.article_id, self.article_pane.claims))
        self.controller.problem.connect(lambda message, title: self.show_problem(message, title=title))
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect_panes()
        self._restore_layout()
        if project_path is None or not self.open_project(project_path, create=create):
            # Nothing open (or the file was refused, with a message): only Open and New work.
            self._show_empty()

    # ------------------------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        c = self.controller
        # Left: articles above claims.
        self.articles_pane = ArticleListPane(self, c)
        self.article_model, self.article_list = self.articles_pane.model, self.articles_pane.view
        self.article_list.selectionModel().currentRowChanged.connect(self._article_row_changed)

        self.claims_pane = claims = ClaimListPane(self, c)
        self.search, self.status_filter, self.kind_filter = claims.search, claims.status_filter, claims.kind_filter
        self.claim_model, self.claim_proxy, self.claim_list = claims.model, claims.proxy, claims.view
        self.claims_label = claims.label
        claims.search_timer.timeout.connect(self._run_search)
        self.search.returnPressed.connect(self._search_return)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.kind_filter.currentIndexChanged.connect(self._filters_changed)
        self.claim_list.selectionModel().currentRowChanged.connect(self._claim_row_changed)
        self.claim_list.doubleClicked.connect(lambda _: self.show_compare())

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
        split_left.addWidget(claims)
        split_left.setStretchFactor(0, 1)
        split_left.setStretchFactor(1, 3)
        split_left.setSizes([190, 560])
        lv.addWidget(split_left, 1)

        # Centre: the article, or the compare view.
        self.article_pane = ArticlePane(self, c)
        self.article_header, self.legend, self.article_view = (self.article_pane.header, self.article_pane.legend,
                                                               self.article_pane.view)
        self.article_view.claimClicked.connect(self.select_claim)
        self.compare = FactCompareView(self)
        self.connect_fact_compare()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("centerTabs")
        self.tabs.setAccessibleName("Article or comparison")
        self.tabs.addTab(self.article_pane, "Article")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.currentChanged.connect(lambda _: self._update_enabled())  # L, R, S, M act on the fact shown

        # Right: the inspector.
        self.inspector = ClaimInspector(self)
        self.inspector.factActivated.connect(self.show_compare)
        self.inspector.decisionTaken.connect(self.take_claim_decision)

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

        # Status bar: the background job, then conflicts and review progress.
        bar = self.statusBar()
        self.jobs = JobRunner(self, bar)
        self.job_label, self.job_bar, self.job_cancel = self.jobs.label, self.jobs.bar, self.jobs.cancel_button
        self.jobs.busy.connect(lambda busy: (self.act_open.setEnabled(not busy), self.act_new.setEnabled(not busy)))
        self.jobs.failed.connect(self._job_failed)
        self.jobs.cancelled.connect(self._job_cancelled)
        self.status_pane = StatusPane(self, bar, c)
        self.review_label, self.review_progress = self.status_pane.review_label, self.status_pane.review_progress
        self.conflict_label = self.status_pane.conflict_label
        self.dispute_label = QLabel(self)
        self.dispute_label.setObjectName("disputeCount")
        self.dispute_label.setAccessibleName("Disputed items in the story")
        self.dispute_label.setToolTip("Claims and facts the reviewers decided differently, in every article (D: next)")
        self.dispute_label.setVisible(False)
        bar.addPermanentWidget(self.dispute_label)

    def _build_actions(self) -> None:
        """The actions, menus, toolbar and the claim list's context menu, from the table in actions.py."""
        self.actions_by_attr = build_actions(self, self.article_view)
        self.review_actions = actions_needing(self.actions_by_attr, "claim")
        self.project_actions = actions_needing(self.actions_by_attr, "project")
        # The compare view's decisions (L, Shift+L, R, S, M) and N (a note on the claim compared).
        self.fact_actions = [self.act_link, self.act_reject_link, self.act_resolve, self.act_split, self.act_merge,
                             self.act_note]

    def _build_menus(self) -> None:
        self.recent_menu = build_menus(self, self.actions_by_attr, self.claim_list)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()

    def _connect_panes(self) -> None:
        """Every pane redraws itself from the controller's ``changed``, in this order."""
        changed = self.controller.changed
        changed.connect(self._refresh_facts)  # the compare view (fact_review.py)
        changed.connect(self.article_pane.on_changes)
        changed.connect(self.claims_pane.on_changes)
        changed.connect(self.articles_pane.on_changes)
        changed.connect(self.status_pane.on_changes)
        changed.connect(self._disputes_changed)
        changed.connect(self._inspect_changes)
        changed.connect(self._actions_changed)
        changed.connect(self._agreement_changed)

    # ------------------------------------------------------------------------------------
    # project
    # ------------------------------------------------------------------------------------

    @property
    def state(self) -> ProjectState | None:
        return self.controller.state

    @property
    def service(self):
        return self.controller.service

    @property
    def project(self):
        return self.state.project if self.state else None

    def open_project(self, path: str | Path, *, create: bool = False) -> bool:
        """Open a project file; on failure say why and keep the one that was open."""
        if self.jobs.running:
            self.show_problem("Wait for the import to finish (or cancel it) before opening another project.")
            return False
        state, why = self.controller.open(path, create=create, actor=self.actor)
        if state is None:
            self.show_problem(why, title="Cannot open the project")
            return False
        self.claims_pane.set_state(state)
        self.articles_pane.set_state(state)
        self._update_title()
        try:
            remember_project(state.project.path)
        except OSError:  # the settings file cannot be written: not worth a message
            pass
        self.compare.show_nothing()
        self.disputes.load(state.project, state.facts)
        self._show_disputes()
        refresh_agreement_panel(self, self.controller.agreement)
        self.tabs.setCurrentIndex(0)
        self.status_pane.on_changes()
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

    def _show_empty(self, message: str = "Open a project (Ctrl+O) or import articles (Ctrl+I).") -> None:
        self.claims_pane.article_id = None
        self.article_pane.show_message(message)
        self.claim_model.set_claims([])
        self.claims_pane.update_label()
        self.inspector.show_nothing()
        self.status_pane.on_changes()
        self._update_enabled()

    def _reload_after_job(self) -> None:
        """Re-read what a background job may have changed, keeping the reviewer's place."""
        if self.state is None:
            return
        keep_claim, keep_article = self.current_claim_id, self.view_article
        was_searching = self.search_mode
        if not self.controller.reload():
            return
        self.disputes.load(self.project, self.state.facts)
        self._show_disputes()
        self.claims_pane.claim_search.forget()
        self.articles_pane.reset()
        self.status_pane.on_changes()
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
    # decisions: the controller calls the service, the panes redraw, the window moves on
    # ------------------------------------------------------------------------------------

    def decide(self, name: str, *args, advance: bool = False, **kwargs):
        """One decision by the review service's method name (``"confirm"``, ``"edit"``, …)."""
        return self._decided(lambda moving_on: self.controller.decide(name, *args, moving_on=moving_on, **kwargs),
                             advance)

    def _decided(self, call: Callable[[bool], object], advance: bool):
        if self.state is None:
            return None
        before_id = self.current_claim_id
        before_row = self.claim_list.currentIndex().row()
        renders = self.inspector.renders
        advance = advance and self.act_advance.isChecked()
        result = call(advance)
        if result is None:
            return None
        row = self.claim_proxy.row_of(before_id) if before_id is not None else None
        if (advance and row is None and not self.search_mode
                and self.status_filter.currentData() == ClaimFilterProxy.DISPUTED):
            # The dispute settled, its claim left the Disputed list: the article's next dispute (the row that
            # took its place, or the last), else the message below says where the others are.
            n = self.claim_proxy.rowCount()
            if n:
                self._select_row(min(max(before_row, 0), n - 1))
        elif advance:
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
        if self.claim_proxy.rowCount() == 0:
            self._no_more_disputes()
        return result

    def _inspect_changes(self, applied: Applied) -> None:
        """The inspector shows the current claim again, unless the window moves on (that draws it)."""
        current = self.current_claim()
        if current is not None and not applied.moving_on:
            self.inspector.show_claim(self.state, current)

    def _sync_inspector(self, renders_before: int) -> None:
        """The inspector shows what the file holds now: redrawn unless a decision's own redraw or a
        move to another claim already drew it (at the end of the list a decision moves nowhere)."""
        current = self.current_claim()
        if current is None:
            if self.inspector.claim_id is not None:
                self.inspector.show_nothing()
        elif self.inspector.renders == renders_before or self.inspector.claim_id != current.id:
            self.inspector.show_claim(self.state, current)

    # ------------------------------------------------------------------------------------
    # chrome
    # ------------------------------------------------------------------------------------

    def _disputes_changed(self, applied: Applied) -> None:
        self.disputes.claims_changed(applied.claims.values(), applied.removed)
        if applied.facts:
            self.disputes.facts_changed(self.state.facts)
        self._show_disputes()

    def _show_disputes(self) -> None:
        """The count of disputed claims and facts across the story: in the status filter's "Disputed" entry and
        in the status bar (while there are any)."""
        n = self.disputes.total if self.state is not None else 0
        i = self.status_filter.findData(ClaimFilterProxy.DISPUTED)
        text = f"Disputed ({n} in the story)" if n else "Disputed (none in the story)"
        if i >= 0 and self.status_filter.itemText(i) != text:
            self.status_filter.setItemText(i, text)
        self.dispute_label.setText(f"{n} disputed in the story (D: next)")
        self.dispute_label.setVisible(n > 0)

    def _no_more_disputes(self) -> None:
        """The Disputed filter's list emptied (the article's last dispute settled): say where the rest are."""
        if self.state is None or self.search_mode or self.status_filter.currentData() != ClaimFilterProxy.DISPUTED:
            return
        n = self.disputes.total
        message = (f"No more disputes in this article — {n} in other articles (D goes to the next)" if n
                   else "No more disputes in the story")
        self.inspector.show_nothing(message)
        # after what the decision's own handler says ("Fact 4 confirmed"), not instead of it
        QTimer.singleShot(0, lambda: self._say_after(message))

    def _say_after(self, message: str) -> None:
        said = self.statusBar().currentMessage()
        self.statusBar().showMessage(f"{said} · {message}" if said and message not in said else message, 8000)

    def _agreement_changed(self, applied: Applied) -> None:
        """The agreement panel, when shown, reads its figures again after a decision (not after a note)."""
        if decisions_changed(applied):
            refresh_agreement_soon(self, self.controller.agreement)

    def _actions_changed(self, applied: Applied) -> None:
        self._update_undo_actions()
        self._update_enabled()

    def _update_undo_actions(self) -> None:
        (can_undo, undo_text), (can_redo, redo_text) = self.controller.undo_redo()
        self.act_undo.setEnabled(can_undo)
        self.act_redo.setEnabled(can_redo)
        self.act_undo.setText(f"&Undo {undo_text}" if can_undo else "&Undo")
        self.act_redo.setText(f"&Redo {redo_text}" if can_redo else "&Redo")

    def _update_enabled(self) -> None:
        has_project = self.state is not None
        has_claim = self.current_claim_id is not None
        # The compare view's fact can be decided with no claim selected (after the Disputed list emptied).
        fact_shown = has_project and self.tabs.currentIndex() == 1 and self.compare.fact is not None
        for act in self.review_actions:
            act.setEnabled(has_claim or (fact_shown and act in self.fact_actions))
        for act in self.project_actions:
            act.setEnabled(has_project)
        for widget in (self.search, self.status_filter, self.kind_filter):
            widget.setEnabled(has_project)
        self.act_add.setEnabled(has_project and self.view_article is not None)
        self.act_next_disputed.setEnabled(has_project and self.disputes.total > 0)

    def show_problem(self, message: str, *, title: str = "Claimdesk") -> None:
        """One readable message; the window stays usable."""
        log.info("%s: %s", title, message)
        self.statusBar().showMessage(message.splitlines()[0], 10000)
        if not self.isVisible():
            # a file refused while the window is being built ("claimdesk gui --db damaged.claimdesk"): the
            # message waits for the window, or it would open on nothing and never be seen
            self._pending_problem = (message, title)
            return
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

    def show_article(self) -> None:
        self.tabs.setCurrentIndex(0)

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
        KeysDialog(self, key_rows()).exec()

    def about(self) -> None:
        from claimdesk import __version__

        QMessageBox.about(self, "About Claimdesk",
                          f"Claimdesk {__version__}\nCheck a story against its sources.\n\n"
                          "Every decision is saved in the project file as you make it.")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        pending, self._pending_problem = self._pending_problem, None
        if pending is not None:
            QTimer.singleShot(0, lambda: self.show_problem(pending[0], title=pending[1]))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.jobs.stop(15_000)
        try:
            self.save_layout()
        except Exception:  # settings that cannot be written never keep the window from closing
            log.exception("could not save the window layout")
        self.controller.close()
        super().closeEvent(event)
