"""Review by fact: the window's half of the compare view (keys V, L, Shift+L, R, S, M).

Mixed into :class:`claimdesk.gui.main_window.MainWindow`. Every decision goes through
the core's fact decision API (:class:`claimdesk.services.review.ReviewService`), which
stores it at once and logs it in the events table, so Ctrl+Z undoes it, also
after a restart. After any decision the controller re-reads the facts (a
decision may move mentions between facts) and the compare view redraws itself
from its ``changed`` signal (:meth:`FactReviewMixin._refresh_facts`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from claimdesk.core.facts import Fact
from claimdesk.services.reviewers import label as reviewer_label
from claimdesk.gui.fact_state import REVIEW_CONFIRMED, REVIEW_REJECTED, REVIEW_RESOLVED


class FactReviewMixin:
    """Needs: self.state, self.compare (FactCompareView), self.tabs, decide,
    current_claim, _need_claim, statusBar, claim_model, article_model."""

    _switching_tab = False

    # -- which fact -------------------------------------------------------------------------

    def _fact_for_action(self) -> Fact | None:
        """The fact on screen in the compare view, else the selected claim's first shared fact."""
        if self.state is None:
            return None
        if self.tabs.currentIndex() == 1 and self.compare.fact is not None:
            fact = self.state.facts.by_id.get(self.compare.fact.id)
            if fact is not None:
                return fact
        claim = self._need_claim()
        if claim is None:
            return None
        facts = self.state.facts.shared_of_claim(claim.id)
        if not facts:
            self.statusBar().showMessage("No other article gives this claim's figure: nothing to compare", 5000)
            return None
        return facts[0]

    # -- decisions --------------------------------------------------------------------------

    def confirm_link(self) -> None:
        """L: the fact is right as grouped (with its only version, when the sources agree)."""
        fact = self._fact_for_action()
        if fact is not None:
            versions = {m.version for m in fact.mentions}
            self._confirm_fact(fact.id, next(iter(versions)) if len(versions) == 1 else -1)

    def _confirm_fact(self, fact_id: int, version: int) -> None:
        if self.decide("confirm_fact", fact_id, None if version < 0 else version) is not None:
            self.statusBar().showMessage(f"Fact {fact_id} confirmed", 4000)

    def reject_link(self) -> None:
        """Shift+L: the mentions are not one fact."""
        fact = self._fact_for_action()
        if fact is not None and self.decide("reject_fact", fact.id) is not None:
            self.statusBar().showMessage(f"Fact {fact.id} rejected: not one fact", 4000)

    def resolve(self) -> None:
        """R: in the compare view, record the chosen version as right (asks for the reason first)."""
        if self.tabs.currentIndex() != 1 or self.compare.fact is None:
            if not self._compare_current():
                return
        if self.compare.note.text().strip():
            self.compare.request_resolve()
            return
        self.compare.note.setFocus()
        self.statusBar().showMessage("Choose the version (1-9), write why, then press Enter", 6000)

    def _resolve_fact(self, fact_id: int, version: int, note: str) -> None:
        if not note.strip():
            self.compare.note.setFocus()
            self.statusBar().showMessage("Write why this version is right, then press Enter", 6000)
            return
        if self.decide("resolve_fact", fact_id, version, note) is not None:
            self.statusBar().showMessage(f"Fact {fact_id}: version {version + 1} recorded as right", 4000)

    def _on_compare(self) -> bool:
        if self.tabs.currentIndex() == 1 and self.compare.fact is not None:
            return True
        return self._compare_current()

    def split_mention(self) -> None:
        """S: move the chosen mention out of the fact on screen."""
        if self._on_compare():
            self.compare.request_split()

    def merge_mention(self) -> None:
        """M: move the chosen mention into the fact chosen beside it."""
        if self._on_compare():
            if self.compare.target_chooser.count() == 0:
                self.statusBar().showMessage("There is no other fact to move the mention into", 5000)
                return
            if not self.compare.target_chooser.hasFocus():
                self.compare.target_chooser.setFocus()
                self.statusBar().showMessage("Choose the fact (arrow keys), then press M again", 6000)
                return
            self.compare.request_merge()

    def _split(self, fact_id: int, claim_id: int, start: int, end: int) -> None:
        if self.decide("split_mention", fact_id, claim_id, (start, end)) is not None:
            self.statusBar().showMessage(f"The mention of claim #{claim_id} is a fact of its own now", 4000)

    def _merge(self, claim_id: int, start: int, end: int, into: int) -> None:
        if self.decide("merge_mention", claim_id, (start, end), into) is not None:
            self.statusBar().showMessage(f"The mention of claim #{claim_id} moved into fact {into}", 4000)

    def _take_decision(self, fact_id: int, row: int) -> None:
        """Curation: make one reviewer's decision on a disputed fact the fact's (an event like any other,
        made by the curator; Ctrl+Z brings the dispute back)."""
        c = self.compare
        if c.fact is None or c.fact.id != fact_id or not 0 <= row < len(c.dispute):
            return
        d = c.dispute[row]
        who = reviewer_label(d.reviewer, self.state.initials)
        if d.review == REVIEW_REJECTED:
            done = self.decide("reject_fact", fact_id)
        elif d.review == REVIEW_RESOLVED and d.version is not None:
            done = self.decide("resolve_fact", fact_id, d.version,
                                     d.note or f"as {d.reviewer} decided")
        elif d.review == REVIEW_CONFIRMED:
            done = self.decide("confirm_fact", fact_id, d.version)
        else:
            self.statusBar().showMessage(
                f"{who}'s version is no longer one of this fact's: decide anew (1-9, R)", 6000)
            return
        if done is not None:
            self.statusBar().showMessage(f"Fact {fact_id}: sided with {who}", 4000)

    # -- after any decision -----------------------------------------------------------------

    def _refresh_facts(self, applied) -> None:
        """Redraws the compare view after a change (connected to the controller's ``changed``, which
        has read the facts again unless the decision cannot have changed them)."""
        touched, changed_claims = applied.facts_touched, applied.changes.claims
        if self.tabs.currentIndex() == 1 and self.compare.fact is not None:
            fact = self.state.facts.by_id.get(self.compare.fact.id)
            if fact is None or not fact.mentions:
                focus = self.compare.focus_claim
                others = self.state.facts.shared_of_claim(focus) if focus is not None else []
                if others:
                    self.compare.show_fact(self.state, others[0], focus)
                else:
                    self.compare.show_nothing("The fact is gone (undone, split or merged).")
            elif fact != self.compare.fact or touched:
                # The panes are drawn again only when a mention moved or one of the fact's claims changed.
                claims = {m.claim_id for m in fact.mentions}
                self.compare.show_fact(self.state, fact, self.compare.focus_claim,
                                       panes=bool(claims & set(changed_claims)) or fact.mentions != self.compare.fact.mentions)

    # -- showing ----------------------------------------------------------------------------

    def _compare_current(self, *, quiet: bool = False, fact_id: int | None = None) -> bool:
        if self.state is None:
            return False
        claim = self.current_claim()
        fact = self.state.facts.by_id.get(fact_id) if fact_id else None
        if fact is None and claim is not None:
            facts = self.state.facts.shared_of_claim(claim.id)
            fact = facts[0] if facts else None
        if fact is None:
            self.compare.show_nothing("No other article gives this claim's figure. "
                                      "Press C to mark it conflicting with another claim.")
            if not quiet:
                self.statusBar().showMessage("This claim's figure is in no other article", 4000)
            return False
        if self.tabs.currentIndex() != 1:
            self._switching_tab = True
            try:
                self.tabs.setCurrentIndex(1)
            finally:
                self._switching_tab = False
        self.compare.show_fact(self.state, fact, claim.id if claim else None)
        return True

    def show_compare(self, fact_id: int | None = None) -> None:
        if self.state is not None and self._compare_current(fact_id=fact_id):
            self.tabs.setCurrentIndex(1)
            # The keyboard goes to the comparison: 1-9 choose a version, the window's keys still work.
            self.compare.panes[0].view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _compare_fact_chosen(self, fact_id: int) -> None:
        fact = self.state.facts.by_id.get(fact_id)
        if fact is not None:
            self.compare.show_fact(self.state, fact, self.compare.focus_claim)

    def connect_fact_compare(self) -> None:
        c = self.compare
        c.confirmRequested.connect(self._confirm_fact)
        c.rejectRequested.connect(lambda fid: self.decide("reject_fact", fid))
        c.resolveRequested.connect(self._resolve_fact)
        c.splitRequested.connect(self._split)
        c.mergeRequested.connect(self._merge)
        c.takeRequested.connect(self._take_decision)
        c.factChosen.connect(self._compare_fact_chosen)
