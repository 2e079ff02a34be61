"""Moving through the project: open an article, select a claim, J/K, the search and the filters.

Mixed into :class:`claimdesk.gui.main_window.MainWindow`. Needs: ``self.state``, ``self.project``, the panes
(``self.claims_pane``, ``self.article_pane``, ``self.articles_pane``), ``self.inspector``, ``self.tabs``,
``self.compare``, ``show_problem``, ``_update_enabled`` and the fact review's ``_compare_current``.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from claimdesk.core.model import Claim
from claimdesk.gui.article_model import ArticleTableModel
from claimdesk.gui.models import ClaimIdRole, ClaimTableModel


class NavigationMixin:
    # -- where the reviewer is ------------------------------------------------------------------

    @property
    def search_mode(self) -> bool:
        return self.claims_pane.search_mode

    @property
    def view_article(self) -> int | None:
        """The article in the article view."""
        return self.article_pane.article_id

    @property
    def current_claim_id(self) -> int | None:
        index = self.claim_list.currentIndex()
        return index.data(ClaimIdRole) if index.isValid() else None

    def current_claim(self) -> Claim | None:
        cid = self.current_claim_id
        return self.claim_model.claim(cid) if cid is not None else None

    # -- articles -------------------------------------------------------------------------------

    def _load_view(self, article_id: int, claims: list[Claim] | None = None) -> bool:
        try:
            article = self.project.article(article_id)
        except KeyError:
            self.show_problem(f"Article {article_id} is no longer in the project.")
            return False
        if claims is None:
            claims = self.project.claims(article_id)
        self.article_pane.show_article(article, claims)
        self.claims_pane.article_id = article_id
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

    def open_article(self, article_id: int, *, select: int | str | None = "first-unreviewed") -> None:
        """Show an article and its claims; ``select`` a claim id, "first", "last" or "first-unreviewed"."""
        if self.state is None:
            return
        if self.search_mode:
            self._leave_search()
        claims = self.project.claims(article_id)
        if not self._load_view(article_id, claims):
            return
        self.claims_pane.show_claims(claims)
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

    def _article_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid() or self.state is None:
            return
        aid = current.data(ArticleTableModel.ArticleIdRole)
        if aid != self.view_article or self.search_mode:
            self.open_article(aid, select="first-unreviewed")

    # -- claims ---------------------------------------------------------------------------------

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
        self.claims_pane.clear_filters()
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

    # -- J and K --------------------------------------------------------------------------------

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

    # -- D: the next disputed item, in any article ------------------------------------------

    def _disputed_row(self, start: int) -> int | None:
        """The first row of the claim list from ``start`` whose claim is disputed (its own decision or a fact's)."""
        proxy = self.claim_proxy
        for row in range(max(start, 0), proxy.rowCount()):
            src = proxy.mapToSource(proxy.index(row, 0)).row()
            if self.claim_model.row_data(src).disputed:
                return row
        return None

    def next_disputed(self) -> None:
        """D: the next claim the reviewers decided differently (or one of whose facts they did): further down
        the open article's list, else in the next article that has one (round to the first)."""
        if self.state is None:
            return
        if self.disputes.total == 0:
            self.statusBar().showMessage("Nothing is disputed in this story", 4000)
            return
        if self.search_mode:
            self._leave_search()
        row = None
        if self.view_article is not None:
            row = self._disputed_row(self.claim_list.currentIndex().row() + 1)
        if row is None:
            aid = self.disputes.next_article(self.state.article_pos, self.view_article)
            if aid is None:
                self.statusBar().showMessage("Nothing is disputed in this story", 4000)
                return
            if aid != self.view_article:
                self.open_article(aid, select=None)
            row = self._disputed_row(0)
            if row is None and self.claim_proxy.rowCount() < self.claim_model.rowCount():
                self._clear_filters()  # the kind filter hid it
                row = self._disputed_row(0)
        if row is None:
            self.statusBar().showMessage("Nothing is disputed in this story", 4000)
            return
        self._select_row(row)
        here = self.disputes.in_article(self.view_article)
        self.statusBar().showMessage(f"Disputed: {here} in this article, {self.disputes.total} in the story", 5000)

    # -- search, filters, order -----------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_return(self) -> None:
        self.claims_pane.search_timer.stop()
        self._run_search()
        self.claim_list.setFocus()
        if self.claim_proxy.rowCount() and not self.claim_list.currentIndex().isValid():
            self._select_row(0)

    def _run_search(self) -> None:
        if self.state is None:
            return
        if not self.search.text().split():
            if self.search_mode:
                self._leave_search()
            return
        keep = self.current_claim_id
        self.claims_pane.show_claims(self.claims_pane.claim_search.find(self.search.text()), search=True)
        if not self._reselect(keep):
            self.inspector.show_nothing("No claim matches the search")

    def _leave_search(self) -> None:
        keep = self.current_claim_id
        self.claims_pane.clear_search()
        self.claims_pane.show_claims(list(self.article_pane.claims.values()))
        self._reselect(keep)

    def _filters_changed(self, *_: object) -> None:
        keep = self.current_claim_id
        self.claims_pane.apply_filters()
        if not self._reselect(keep):
            self._show_claim(None)
            self._no_more_disputes()

    def _reselect(self, keep: int | None) -> bool:
        """After the list changed: select claim ``keep`` again if it is still listed, else the first row;
        False when the list is empty."""
        row = self.claim_proxy.row_of(keep) if keep is not None else None
        if row is None and self.claim_proxy.rowCount():
            row = 0
        if row is None:
            return False
        self._select_row(row)
        return True

    def set_document_order(self, on: bool) -> None:
        self.claim_model.set_document_order(on)
        self.claim_list.sortByColumn(ClaimTableModel.COL_ORDER, Qt.SortOrder.AscendingOrder)
        cid = self.current_claim_id
        if cid is not None:
            self.claim_list.scrollTo(self.claim_list.currentIndex())
        self.statusBar().showMessage("Claims in document order" if on else
                                     "Claims in review order: conflicts, then single-source figures, then the rest",
                                     4000)

    def escape(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.tabs.setCurrentIndex(0)
        elif self.search.text() or self.search_mode:
            self._leave_search()
            self.claim_list.setFocus()
        elif self.article_view.textCursor().hasSelection():
            self.article_view.clear_selection()
