"""Domain dataclasses shared by storage, NLP, comparison, export and the GUI.

Offsets are Python string indices (code points) into the stored article text.
Nothing here knows about SQL, spaCy or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Claim statuses, in the order a reviewer meets them.
SUGGESTED = "suggested"
CONFIRMED = "confirmed"
EDITED = "edited"
REJECTED = "rejected"
CONFLICTING = "conflicting"
CLAIM_STATUSES = (SUGGESTED, CONFIRMED, EDITED, REJECTED, CONFLICTING)
REVIEWED_STATUSES = (CONFIRMED, EDITED, REJECTED, CONFLICTING)

# Where a claim or link came from.
ORIGIN_SUGGESTED = "suggested"
ORIGIN_MANUAL = "manual"
ORIGIN_CONFIRMED = "confirmed"

# Link kinds and review states.
CONFLICT = "conflict"
CORROBORATION = "corroboration"
LINK_KINDS = (CONFLICT, CORROBORATION)
LINK_OPEN = "open"
LINK_CONFIRMED = "confirmed"
LINK_REJECTED = "rejected"
LINK_RESOLVED = "resolved"
LINK_STATUSES = (LINK_OPEN, LINK_CONFIRMED, LINK_REJECTED, LINK_RESOLVED)

# Value types and bounds.
VALUE_TYPES = ("money", "count", "percent", "measure", "date", "time", "duration", "age", "ordinal")
EXACT = "exact"
APPROX = "approx"
AT_LEAST = "at_least"
AT_MOST = "at_most"
BOUNDS = (EXACT, APPROX, AT_LEAST, AT_MOST)

# A value that only restates another one in a second currency or unit
# ("15 million euros—about $16 million") has this role; comparison skips it.
ROLE_PRIMARY = "primary"
ROLE_CONVERSION = "conversion"


@dataclass
class Value:
    """One quantity, date or time read from a claim."""

    start: int
    end: int
    text: str
    type: str
    amount: float | None
    unit: str | None = None
    bound: str = EXACT
    date: str | None = None  # ISO date for type "date" when it can be resolved
    attribute: str | None = None  # what the value measures: "investment", "death_toll", ...
    subject: str | None = None  # whose value it is, as a name: "Mistral AI"
    role: str = ROLE_PRIMARY
    equivalents: list[tuple[float, str]] = field(default_factory=list)  # same value, other units
    changing: bool = False  # the text marks it as changed over time ("rose to")
    rule: str | None = None  # which pattern read it
    id: int | None = None
    claim_id: int | None = None
    # A range ("40 to 41 hours", "3-5%") is one value: ``amount`` is its low end and ``high`` its
    # high end, both in ``unit``; None for a single figure.
    high: float | None = None

    def shifted(self, delta: int) -> "Value":
        return replace(self, start=self.start + delta, end=self.end + delta)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "amount": self.amount,
            "unit": self.unit,
            "bound": self.bound,
            "date": self.date,
            "attribute": self.attribute,
            "subject": self.subject,
            "role": self.role,
            "high": self.high,
        }


@dataclass
class Claim:
    """A check-worthy sentence or clause in one article."""

    article_id: int
    start: int
    end: int
    text: str
    kind: str
    score: float
    status: str = SUGGESTED
    attribution: str | None = None
    origin: str = ORIGIN_SUGGESTED
    rule: str | None = None
    subject: str | None = None  # the main entity the claim is about, when known
    values: list[Value] = field(default_factory=list)
    decided_at: str | None = None
    decided_by: str | None = None
    id: int | None = None
    # While reviewers disagree (after a merge): a JSON list of each reviewer's decision, note and time.
    disputed: str | None = None


@dataclass
class Article:
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date
    language: str | None = None
    content_hash: str | None = None
    source_path: str | None = None
    imported_at: str | None = None
    id: int | None = None


@dataclass
class Link:
    """Two claims in different articles that state the same fact."""

    claim_a: int
    claim_b: int
    kind: str
    a_span: tuple[int, int] | None
    b_span: tuple[int, int] | None
    reason: str
    confidence: float
    origin: str = ORIGIN_SUGGESTED
    status: str = LINK_OPEN
    resolution: str | None = None  # the reviewer's note on which version is right and why
    preferred_claim: int | None = None  # the claim the reviewer judged right, for a resolved conflict
    decided_at: str | None = None
    decided_by: str | None = None
    id: int | None = None


@dataclass
class Note:
    text: str
    claim_id: int | None = None
    link_id: int | None = None
    author: str | None = None
    created_at: str | None = None
    id: int | None = None


@dataclass
class Event:
    """One row of the append-only history."""

    op: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    id: int | None = None


@dataclass(frozen=True)
class Changes:
    """What a mutating call changed, so a view can redraw just that."""

    claims: frozenset[int] = frozenset()
    links: frozenset[int] = frozenset()
    articles: frozenset[int] = frozenset()
    notes: bool = False
    structure: bool = False  # rows were added or removed

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            self.claims | other.claims,
            self.links | other.links,
            self.articles | other.articles,
            self.notes or other.notes,
            self.structure or other.structure,
        )
