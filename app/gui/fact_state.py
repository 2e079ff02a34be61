"""The project's facts as the window keeps them (no Qt here).

A fact groups the values several articles give for one thing measured
(:mod:`claimdesk.core.facts`); the reviewer decides once per fact. The window keeps
every fact in memory, indexed by claim, and reads them again after each
decision (a decision, an edit or an undo may regroup them: the core keeps the
facts current, the window only re-reads).

"In conflict" means: the fact's versions disagree (status ``conflicting``)
and the reviewer has not settled it — not rejected as a wrong grouping, and
no version chosen as the right one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimdesk.core.facts import AGREED, CHANGED, CONFLICTING, SINGLE, Fact
from claimdesk.core.model import FACT_REVIEW_CONFIRMED as REVIEW_CONFIRMED
from claimdesk.core.model import FACT_REVIEW_OPEN as REVIEW_OPEN
from claimdesk.core.model import FACT_REVIEW_REJECTED as REVIEW_REJECTED
from claimdesk.core.model import FACT_REVIEW_RESOLVED as REVIEW_RESOLVED
from claimdesk.core.model import parse_dispute

STATUS_WORDS = {
    AGREED: "sources agree",
    CONFLICTING: "sources disagree",
    CHANGED: "the figure changed over time",
    SINGLE: "one source only",
}
REVIEW_WORDS = {
    REVIEW_OPEN: "not reviewed",
    REVIEW_CONFIRMED: "confirmed",
    REVIEW_RESOLVED: "resolved",
    REVIEW_REJECTED: "rejected (not one fact)",
}


@dataclass(frozen=True)
class ReviewerDecision:
    """One reviewer's decision on a disputed fact, as the merge listed it (``facts.disputed``)."""

    reviewer: str
    review: str  # confirmed, resolved, rejected
    version: int | None  # the version (k) of this fact the reviewer chose, if any and still here
    figure: str | None  # the chosen figure's words as the reviewer saw them
    note: str | None
    at: str | None


def _version_of(fact: Fact, figure) -> int | None:
    """The version of ``fact`` a reviewer's figure ([amount, unit, text]) names: same words, else same amount."""
    if not isinstance(figure, list) or len(figure) < 2:
        return None
    for v in fact.versions:
        if [v.amount, v.unit, v.text] == figure[:3]:
            return v.k
    for v in fact.versions:
        if [v.amount, v.unit] == figure[:2]:
            return v.k
    return None


def fact_dispute(fact: Fact) -> list[ReviewerDecision]:
    """Each reviewer's decision on a disputed fact (empty when the reviewers agree or nobody merged)."""
    out = []
    for d in parse_dispute(fact.disputed):
        decision = d.get("decision")
        decision = list(decision) if isinstance(decision, list) else [decision, None]
        review, figure = (decision + [None, None])[:2]
        words = str(figure[2]) if isinstance(figure, list) and len(figure) > 2 and figure[2] is not None else None
        note = d.get("note")
        out.append(ReviewerDecision(str(d.get("reviewer") or "?"), str(review or "open"), _version_of(fact, figure),
                                    words, str(note) if note else None, d.get("at")))
    return out


def decision_words(d: ReviewerDecision) -> str:
    """What a reviewer decided on a fact, in words."""
    if d.review == REVIEW_REJECTED:
        return "not one fact (rejected)"
    if d.version is not None:
        which = f"version {d.version + 1}" + (f" ({d.figure})" if d.figure else "")
        return f"{which} is right" if d.review == REVIEW_RESOLVED else f"confirmed, {which}"
    if d.figure:  # a figure this fact no longer has (a mention moved since)
        return f"{REVIEW_WORDS.get(d.review, d.review)}, {d.figure} (no longer a version here)"
    return REVIEW_WORDS.get(d.review, d.review)


def is_live(fact: Fact) -> bool:
    """The reviewer has not said the mentions are no fact at all."""
    return fact.review != REVIEW_REJECTED


def in_conflict(fact: Fact) -> bool:
    """Versions disagree and the reviewer has not settled which one is right."""
    return (fact.status == CONFLICTING and fact.review != REVIEW_REJECTED
            and fact.review != REVIEW_RESOLVED and fact.preferred_version is None)


def sources(fact: Fact) -> int:
    return len(fact.articles)


def version_sources(fact: Fact) -> dict[int, set[int]]:
    """Each version's articles."""
    out: dict[int, set[int]] = {v.k: set() for v in fact.versions}
    for m in fact.mentions:
        out.setdefault(m.version, set()).add(m.article_id)
    return out


def fact_summary(fact: Fact) -> str:
    """One line for lists: what is measured and how the sources stand."""
    n = sources(fact)
    what = fact.label or fact.attribute or "figure"
    versions = len({m.version for m in fact.mentions})
    if fact.status == CONFLICTING:
        state = f"{versions} versions in {n} articles"
    elif fact.status == CHANGED:
        state = f"changed over time, {n} articles"
    elif n > 1:
        state = f"{n} articles agree"
    else:
        state = "one article"
    return f"{what}: {state}"


def facts_text(facts: list[Fact]) -> str:
    """The claim list's Links column: how the claim's figures stand against other articles."""
    parts = []
    for f in facts:
        n = sources(f)
        if not is_live(f) or n < 2:
            continue
        if f.disputed:
            parts.append(f"reviewers disagree, {n} articles")
        elif f.status == CONFLICTING:
            settled = not in_conflict(f) and f.review == REVIEW_RESOLVED
            parts.append(f"conflict, {n} articles" + (" (resolved)" if settled else ""))
        elif f.status == CHANGED:
            parts.append(f"changed, {n} articles")
        else:
            parts.append(f"{n} articles agree")
    return "; ".join(parts)


@dataclass
class FactIndex:
    """Every fact of the project, by id and by claim."""

    by_id: dict[int, Fact] = field(default_factory=dict)
    by_claim: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def load(self, facts: Iterable[Fact]) -> set[int]:
        """Store these facts; returns the claims whose facts differ from before."""
        old = self.by_id
        self.by_id = {f.id: f for f in facts}
        self.by_claim = defaultdict(list)
        for f in self.by_id.values():
            for m in f.mentions:
                if f.id not in self.by_claim[m.claim_id]:
                    self.by_claim[m.claim_id].append(f.id)
        touched: set[int] = set()
        for fid in old.keys() | self.by_id.keys():  # each fact compared once
            before, after = old.get(fid), self.by_id.get(fid)
            if before != after:
                for f in (before, after):
                    if f is not None:
                        touched.update(m.claim_id for m in f.mentions)
        return touched

    def of_claim(self, claim_id: int) -> list[Fact]:
        """A claim's facts: conflicts first, then those stated by most articles."""
        facts = [self.by_id[i] for i in self.by_claim.get(claim_id, ())]
        facts.sort(key=lambda f: (not f.disputed, not in_conflict(f), not is_live(f), -sources(f), f.id))
        return facts

    def shared_of_claim(self, claim_id: int) -> list[Fact]:
        """A claim's facts that another article also states (the ones worth comparing)."""
        return [f for f in self.of_claim(claim_id) if sources(f) > 1]

    def conflicts_by_article(self) -> dict[int, int]:
        """Per article: how many facts it takes part in are in conflict."""
        out: dict[int, int] = defaultdict(int)
        for f in self.by_id.values():
            if in_conflict(f):
                for aid in f.articles:
                    out[aid] += 1
        return out

    def conflicts_in(self, claim_ids: Iterable[int]) -> int:
        """How many distinct facts in conflict these claims take part in."""
        ids = {fid for cid in claim_ids for fid in self.by_claim.get(cid, ())}
        return sum(1 for fid in ids if in_conflict(self.by_id[fid]))

    def claim_disputed(self, claim_id: int) -> bool:
        """One of the claim's facts is disputed: reviewers' decisions on it differ."""
        return any(self.by_id[f].disputed for f in self.by_claim.get(claim_id, ()))

    def unsettled_conflicts(self) -> int:
        return sum(1 for f in self.by_id.values() if in_conflict(f))

    def claim_in_conflict(self, claim_id: int) -> bool:
        return any(in_conflict(self.by_id[f]) or (self.by_id[f].status == CONFLICTING and is_live(self.by_id[f]))
                   for f in self.by_claim.get(claim_id, ()))

    def claim_shared(self, claim_id: int) -> bool:
        return any(is_live(self.by_id[f]) and sources(self.by_id[f]) > 1 for f in self.by_claim.get(claim_id, ()))
