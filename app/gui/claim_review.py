"""Review by claim: the keys A, X, U, E, C, N, Enter, Ctrl+Z and Ctrl+Shift+Z.

Mixed into :class:`claimdesk.gui.main_window.MainWindow`. Each key asks what it needs (a dialog, the text
selected in the article) and hands the decision to :meth:`MainWindow.decide`, which passes it to the
controller (:mod:`claimdesk.gui.controller`, the only caller of the review service); the panes redraw from
the controller's ``changed`` signal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from claimdesk.core.model import Claim
from claimdesk.gui.dialogs import ConflictDialog, EditClaimDialog, NoteDialog, read_values_at


class ClaimReviewMixin:
    def _need_claim(self) -> Claim | None:
        claim = self.current_claim()
        if claim is None:
            self.statusBar().showMessage("Select a claim first (J / K or the claim list)", 4000)
        return claim

    def confirm(self) -> None:
        claim = self._need_claim()
        if claim:
            self.decide("confirm", claim.id, advance=True)

    def reject(self) -> None:
        claim = self._need_claim()
        if claim:
            self.decide("reject", claim.id, advance=True)

    def reset_claim(self) -> None:
        claim = self._need_claim()
        if claim:
            self.decide("reset", claim.id)

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
        if self.decide("edit", claim.id, **changes) is not None:
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
        self.decide("mark_conflict", claim.id, dialog.chosen(), note, advance=True)

    def add_note(self) -> None:
        claim = None
        if self.tabs.currentIndex() == 1 and self.compare.focus_claim is not None and self.compare.fact is not None:
            claim = self.project.claim(self.compare.focus_claim)  # the claim the reviewer came from
        claim = claim or self._need_claim()
        if claim is None:
            return
        dialog = NoteDialog(self, f"claim #{claim.id}")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.decide("note", dialog.text.toPlainText().strip(), claim_id=claim.id)

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
        result = self.decide("add_claim", self.view_article, start, end, values=values)
        if result is not None:
            new_id, _ = result
            self.article_view.clear_selection()
            self.select_claim(new_id)
            self.statusBar().showMessage(f"Added claim #{new_id}", 4000)

    def undo(self) -> None:
        self._undo_redo("undo")

    def redo(self) -> None:
        self._undo_redo("redo")

    def _undo_redo(self, name: str) -> None:
        if self.state is None:
            return
        changes = self.decide(name)
        if changes is None:
            return
        current = self.current_claim_id
        if current in changes.claims:
            return
        for cid in sorted(changes.claims):
            if self.project.has_claim(cid) and self.select_claim(cid):
                break
