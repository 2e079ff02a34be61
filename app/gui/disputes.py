"""Where the reviewers disagree across the whole story (no Qt here).

After a merge a claim or a fact whose reviewers decided differently is *disputed* (``claims.disputed``,
``facts.disputed``). The claim list's "Disputed" filter shows the open article's; this index knows them in
every article, so the window can say how many are left ("Disputed (3 in the story)") and go to the next one
in any article (D). It is read once when a project opens and kept current from each decision's
:class:`~claimdesk.gui.controller.Applied` (the changed claims as stored now; the facts as the window's
:class:`~claimdesk.gui.fact_state.FactIndex` holds them after the decision).
"""

from __future__ import annotations

from collections.abc import Iterable

from claimdesk.core.model import Claim
from claimdesk.gui.fact_state import FactIndex


class DisputeIndex:
    """The disputed claims (by article) and facts of one project."""

    def __init__(self) -> None:
        self.claims: dict[int, int] = {}  # disputed claim -> its article
        self.facts: set[int] = set()
        self._fact_index: FactIndex | None = None

    def load(self, project, facts: FactIndex) -> None:
        """Read the disputed claims from the file (one query; a second only when there are any)."""
        self.claims = {}
        ids = project.disputed_claim_ids()
        if ids:
            self.claims = {r["id"]: r["article_id"] for r in project.claim_decision_rows() if r["id"] in ids}
        self.facts_changed(facts)

    def facts_changed(self, facts: FactIndex) -> None:
        self._fact_index = facts
        self.facts = {f.id for f in facts.by_id.values() if f.disputed}

    def claims_changed(self, claims: Iterable[Claim], removed: Iterable[int] = ()) -> None:
        for cid in removed:
            self.claims.pop(cid, None)
        for c in claims:
            if c.disputed:
                self.claims[c.id] = c.article_id
            else:
                self.claims.pop(c.id, None)

    @property
    def total(self) -> int:
        """Disputed claims plus disputed facts (a fact of three articles counts once)."""
        return len(self.claims) + len(self.facts)

    def articles(self) -> set[int]:
        """The articles with something disputed: a disputed claim, or a mention of a disputed fact."""
        out = set(self.claims.values())
        if self._fact_index is not None:
            for fid in self.facts:
                fact = self._fact_index.by_id.get(fid)
                if fact is not None:
                    out |= fact.articles
        return out

    def in_article(self, article_id: int) -> int:
        """Disputed items the article takes part in (its disputed claims and the disputed facts it states)."""
        n = sum(1 for aid in self.claims.values() if aid == article_id)
        if self._fact_index is not None:
            n += sum(1 for fid in self.facts
                     if fid in self._fact_index.by_id and article_id in self._fact_index.by_id[fid].articles)
        return n

    def next_article(self, order: dict[int, int], after: int | None) -> int | None:
        """The first article (in the article list's ``order``: id -> position) with something disputed that
        comes after ``after``, wrapping round to the first; None when nothing is disputed anywhere."""
        arts = sorted((order[a], a) for a in self.articles() if a in order)
        if not arts:
            return None
        here = order.get(after, -1) if after is not None else -1
        for pos, aid in arts:
            if pos > here:
                return aid
        return arts[0][1]
