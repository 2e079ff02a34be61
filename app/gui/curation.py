"""Curation of a disputed claim: side with one reviewer's decision from the inspector.

After a merge a claim whose reviewers decided differently lists each decision
in the inspector ("Reviewers disagree"). The curator either decides anew with
the usual keys (A, X, E, C) or picks one of the listed decisions (Enter on it):
the window makes that decision again, in the curator's name, through the review
service, so it is an event like any other and Ctrl+Z brings the dispute back.
Disputed facts are curated in the compare view (:mod:`claimdesk.gui.fact_review`).
"""

from __future__ import annotations

from claimdesk.core.model import CONFIRMED, EDITED, REJECTED
from claimdesk.services.reviewers import label as reviewer_label
from claimdesk.core.model import parse_dispute


class CurationMixin:
    """Needs: self.state, self.project, decide, statusBar (the main window)."""

    def take_claim_decision(self, claim_id: int, row: int) -> None:
        if self.state is None:
            return
        claim = self.project.claim(claim_id)
        listed = parse_dispute(claim.disputed)
        if not 0 <= row < len(listed):
            return
        d = listed[row]
        status, text = (list(d.get("decision") or []) + [None, None])[:2]
        who = reviewer_label(d.get("reviewer"), self.state.initials)
        if status == CONFIRMED:
            done = self.decide("confirm", claim_id)
            if done is not None and text and text != claim.text:
                self.statusBar().showMessage(f"Claim #{claim_id} confirmed as {who} did; their wording differs: "
                                             "E edits it", 6000)
                return
        elif status == REJECTED:
            done = self.decide("reject", claim_id)
        elif status == EDITED and text:
            done = self.decide("edit", claim_id, text=str(text))
        else:
            self.statusBar().showMessage(f"{who} marked it {status}: decide it with the usual keys "
                                         "(C marks a conflict with another claim)", 6000)
            return
        if done is not None:
            self.statusBar().showMessage(f"Claim #{claim_id}: sided with {who}", 4000)
