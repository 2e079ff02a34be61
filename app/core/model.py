"""Domain dataclasses shared by storage, NLP, comparison, export and the GUI.

Offsets are Python string indices (code points) into the stored article text.
Nothing here knows about SQL, spaCy or Qt.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field, fields, replace
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
# A conflict link is *open* (unsettled) until the reviewer resolves or rejects it: a conflict the
# reviewer confirmed is still open. The one definition, used by storage, the window and the exports.
OPEN_LINK_STATUSES = (LINK_OPEN, LINK_CONFIRMED)

# The reviewer's decision on a whole fact (claimdesk.core.facts.Fact.review).
FACT_REVIEW_OPEN = "open"
FACT_REVIEW_CONFIRMED = "confirmed"
FACT_REVIEW_RESOLVED = "resolved"
FACT_REVIEW_REJECTED = "rejected"
FACT_REVIEWS = (FACT_REVIEW_OPEN, FACT_REVIEW_CONFIRMED, FACT_REVIEW_RESOLVED, FACT_REVIEW_REJECTED)

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

#: The rule that reads a match minute as sports copy writes it after the scorer ("Oyarzabal 87'").
RULE_MINUTE_MARK = "minute_mark"
_MINUTE_AFTER = re.compile(r"\s*\)?\s*(?:-\s*)?minutes?\b", re.I)


def is_match_minute(v: "Value", after: str) -> bool:
    """An ordinal that is a minute of a match: "in the 86th minute", "Oyarzabal (86th) minute", "Oyarzabal 87'".
    ``after`` is the text right after the value."""
    return v.type == "ordinal" and v.amount is not None and (
        v.rule == RULE_MINUTE_MARK or bool(_MINUTE_AFTER.match(after)))
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

    def to_dict(self, only: tuple[str, ...] | None = None) -> dict[str, Any]:
        """Every field (or the fields ``only`` names, in that order) as plain JSON data (``equivalents``
        as ``[amount, unit]`` lists).

        The one serialisation of a value: storage, the JSON documents and the
        spaCy component all go through this and :meth:`from_dict`.
        """
        d = {f: getattr(self, f) for f in (only or _VALUE_FIELDS)}
        if "equivalents" in d:
            d["equivalents"] = [[a, u] for a, u in self.equivalents]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Value":
        """A value from :meth:`to_dict`'s dict (unknown keys ignored; a missing or null field takes its
        default: text "", bound exact, role primary, no equivalents)."""
        kw = {f: d[f] for f in _VALUE_FIELDS if f in d}
        kw["text"] = kw.get("text") or ""
        kw["bound"] = kw.get("bound") or EXACT
        kw["role"] = kw.get("role") or ROLE_PRIMARY
        kw["changing"] = bool(kw.get("changing"))
        kw["equivalents"] = [(e[0], e[1]) for e in kw.get("equivalents") or ()]
        kw.setdefault("amount", None)
        return cls(**kw)


_VALUE_FIELDS = tuple(f.name for f in fields(Value))
#: The fields of a value in ``analyze --json`` and the JSON export (``high``: a range's upper end, else null).
REPORT_VALUE_FIELDS = ("start", "end", "text", "type", "amount", "high", "unit", "bound", "date", "attribute", "role")


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


def is_open_conflict(link: Link) -> bool:
    """A conflict link the reviewer has not settled (resolved) or rejected."""
    return link.kind == CONFLICT and link.status in OPEN_LINK_STATUSES


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


def now_iso() -> str:
    """The time of a decision or an import: UTC, to the millisecond."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def parse_dispute(text: Any) -> list[dict[str, Any]]:
    """The decisions of a ``disputed`` field (JSON text): a list of records, or [] for None or anything
    malformed."""
    if not isinstance(text, str):
        return []
    try:
        items = json.loads(text)
    except ValueError:
        return []
    return [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []
