"""What a fact-checker would check first: each claim's priority among the project's claims.

Computed on load from what is stored (claims, their values, links), never stored itself: it
changes with every import and link decision, and costs one sort (50,000 claims: ~0.1 s).

Stakes, in order of weight:

* a figure another source contradicts (a live conflict link), then a figure another source
  also gives (a corroboration: the figure is in play across outlets);
* money and casualties (deaths, injured, missing...);
* a figure with an attribution (someone is on the record for it);
* superlatives and records ("the largest", "the first");
* the claim's own check-worthiness score breaks ties.

``priority`` is a rank: 1 is the claim to check first. The ``check first`` tier holds the
top claims that state a figure or are in conflict; rejected claims come last and are never
in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claimdesk.core.model import (
    CONFLICT,
    CONFLICTING,
    CORROBORATION,
    LINK_OPEN,
    LINK_REJECTED,
    LINK_RESOLVED,
    REJECTED,
    ROLE_PRIMARY,
    Claim,
    Link,
    is_open_conflict,
)

TIER_FIRST = "check first"
TIER_NEXT = "next"
TIER_LATER = "later"
TIERS = (TIER_FIRST, TIER_NEXT, TIER_LATER)

FIGURE_TYPES = frozenset({"money", "count", "percent", "measure", "duration", "age"})
CASUALTY_ATTRIBUTES = frozenset({"deaths", "injured", "missing", "evacuated", "rescued", "arrests"})
MONEY_ATTRIBUTES = frozenset({
    "investment", "funds_raised", "valuation", "cost", "price", "revenue", "profit", "loan",
    "subsidy", "contribution", "fine", "salary",
})

W_CONFLICT = 4.0
W_CORROBORATION = 3.0
W_RESOLVED = 1.0  # a settled conflict still names a contested figure
W_MONEY_CASUALTY = 1.0
W_ATTRIBUTED_FIGURE = 0.75
W_FIGURE = 0.75
W_SUPERLATIVE = 0.5
W_DATE = 0.25
W_MORE_SOURCES = 0.25  # each further live link, up to three

#: The "check first" tier: this many claims per project at least, or this share of them.
FIRST_MIN, FIRST_SHARE = 10, 0.1


@dataclass(frozen=True)
class Priority:
    rank: int  # 1 = check first
    tier: str
    stakes: float
    reasons: tuple[str, ...]


def _figures(claim: Claim):
    return [v for v in claim.values if v.role == ROLE_PRIMARY and v.type in FIGURE_TYPES and v.amount is not None]


def stakes(claim: Claim, links: Sequence[Link]) -> tuple[float, list[str]]:
    """How much rides on a claim, and why (plain words for the window)."""
    live = [l for l in links if l.status != LINK_REJECTED]
    figures = _figures(claim)
    s, why = 0.0, []

    def sure(kind: str, open_only: bool = False) -> float:
        # a link the reviewer confirmed counts fully; a suggested one by its confidence
        c = [1.0 if l.status != LINK_OPEN else max(0.0, min(1.0, l.confidence or 0.0))
             for l in live if l.kind == kind and not (open_only and l.status == LINK_RESOLVED)]
        return max(c, default=0.0)

    conflict = 1.0 if claim.status == CONFLICTING else sure(CONFLICT, open_only=True)
    if conflict:
        s += W_CONFLICT * conflict
        why.append("another source gives a different figure")
    elif sure(CONFLICT):
        s += W_RESOLVED
        why.append("a resolved conflict")
    corroborated = sure(CORROBORATION)
    if corroborated:
        s += W_CORROBORATION * corroborated
        why.append("another source gives the same figure")
    if len(live) > 1:  # the figure is in play in several sources
        s += W_MORE_SOURCES * min(len(live) - 1, 3)
    if figures:
        s += W_FIGURE
        if any(v.type == "money" or v.attribute in MONEY_ATTRIBUTES for v in figures):
            s += W_MONEY_CASUALTY
            why.append("money")
        elif any(v.attribute in CASUALTY_ATTRIBUTES for v in figures):
            s += W_MONEY_CASUALTY
            why.append("casualties")
        if claim.attribution:
            s += W_ATTRIBUTED_FIGURE
            why.append(f"attributed to {claim.attribution}")
    elif any(v.role == ROLE_PRIMARY and v.type == "date" and v.date for v in claim.values):
        s += W_DATE
    if claim.rule and "ranking." in claim.rule:
        s += W_SUPERLATIVE
        why.append("a superlative or record")
    return s, why


def in_conflict(claim: Claim, links: Sequence[Link]) -> bool:
    """A conflict the reviewer has not settled or rejected."""
    return claim.status == CONFLICTING or any(is_open_conflict(l) for l in links)


def priority_key(claim: Claim, links: Sequence[Link]) -> tuple:
    """Sort key of the priority order (smaller first): rejected last, open conflicts first,
    then stakes, then the claim's score. Callers add their own tie-break (article, position)."""
    s, _ = stakes(claim, links)
    return (claim.status == REJECTED, not in_conflict(claim, links), -round(s, 3), -(claim.score or 0.0))


def priorities(claims: Iterable[Claim], links: Iterable[Link]) -> dict[int, Priority]:
    """Rank every claim with an id: :func:`priority_key`, then article and position."""
    claims = [c for c in claims if c.id is not None]
    by_claim: dict[int, list[Link]] = {}
    for l in links:
        by_claim.setdefault(l.claim_a, []).append(l)
        by_claim.setdefault(l.claim_b, []).append(l)
    scored = []
    for c in claims:
        mine = by_claim.get(c.id, ())
        s, why = stakes(c, mine)
        rejected = c.status == REJECTED
        scored.append((priority_key(c, mine), c.article_id, c.start, c.id, rejected, s, why))
    scored.sort()
    first_n = max(FIRST_MIN, round(FIRST_SHARE * len(scored)))
    out: dict[int, Priority] = {}
    for rank, (_, _, _, cid, rejected, s, why) in enumerate(scored, 1):
        if rejected:
            tier = TIER_LATER
        elif rank <= first_n and s >= W_FIGURE:
            tier = TIER_FIRST
        elif s >= W_FIGURE:
            tier = TIER_NEXT
        else:
            tier = TIER_LATER
        out[cid] = Priority(rank, tier, round(s, 3), tuple(why))
    return out


__all__ = ["Priority", "priorities", "priority_key", "in_conflict", "stakes", "TIERS", "TIER_FIRST", "TIER_NEXT", "TIER_LATER"]
