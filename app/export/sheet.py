"""The verified fact sheet as plain data, built once from a project.

What goes on the sheet:

- **Sources**: every article, numbered [1], [2], ... in project order.
- **Open conflicts**: each conflicting fact (``claimdesk.core.facts``: one thing
  measured, two or more versions) once, with every source stating each
  version, unless it is resolved: by the reviewer's decision on the fact, or,
  when the fact is undecided, by the decisions on the conflict links between
  its claims (any link still open keeps it open). Conflict links no fact
  covers are conflicts of two versions; claims the reviewer marked conflicting
  that are in no conflict are listed too. They come first.
- **Verified facts**: each stored fact once, with the verified claims stating
  it (all of them when the reviewer confirmed the whole fact) and how many
  sources agree; of a resolved fact, the chosen version. A fact that
  ``changed`` lists its versions earliest first. A claim in an open conflict
  is never here. Verified claims that no fact covers are joined by the
  corroborations the reviewer confirmed. Facts are grouped by subject.
- **Resolved conflicts**: every version with its sources, which one the
  reviewer preferred and the resolution note.
- **Counts**: unreviewed suggestions are counted, not listed; rejected claims
  are left out everywhere (and counted).

Each reviewed claim also gets a *rating* ("Confirmed", "Corroborated",
"Corrected", "Conflicting", "Incorrect", "Unverified") that the CSV, ClaimReview
and annotation exports share.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from claimdesk.core.align import describe_value
from claimdesk.core.model import (
    CONFIRMED,
    CONFLICT,
    CONFLICTING,
    CORROBORATION,
    EDITED,
    LINK_CONFIRMED,
    LINK_OPEN,
    LINK_RESOLVED,
    OPEN_LINK_STATUSES,
    REJECTED,
    ROLE_CONVERSION,
    SUGGESTED,
    Article,
    Claim,
    Link,
    Note,
    Value,
)
from claimdesk.core.facts import CHANGED as FACT_CHANGED
from claimdesk.core.facts import CONFLICTING as FACT_CONFLICTING

RATING_CONFIRMED = "Confirmed"
RATING_CORROBORATED = "Corroborated"
RATING_CORRECTED = "Corrected"
RATING_CONFLICTING = "Conflicting"
RATING_INCORRECT = "Incorrect"
RATING_UNVERIFIED = "Unverified"

#: What each rating means, in the words the sheet and ClaimReview use.
RATING_EXPLANATIONS = {
    RATING_CONFIRMED: "The reviewer checked the claim and confirmed it.",
    RATING_CORROBORATED: "Confirmed, and stated alike by more than one source.",
    RATING_CORRECTED: "Confirmed after the reviewer corrected its wording or figures.",
    RATING_CONFLICTING: "Sources disagree and the conflict is not resolved.",
    RATING_INCORRECT: "Another source's version was judged right in a resolved conflict.",
    RATING_UNVERIFIED: "In a resolved conflict where neither version could be confirmed.",
}

VERIFIED_STATUSES = (CONFIRMED, EDITED)
OTHER_SUBJECT = "Other facts"


# -- small formatting helpers shared by the writers ---------------------------------


def parse_time(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    try:
        t = _dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone(_dt.timezone.utc)


def show_time(value: str | _dt.datetime | None) -> str:
    """ "2024-02-28 09:03 UTC"; an unreadable stamp is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _show_stamp(value)
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@functools.lru_cache(maxsize=4096)
def _show_stamp(value: str) -> str:
    t = parse_time(value)
    if t is None:
        return str(value)
    return t.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def web_url(url: str | None) -> str | None:
    """The URL if it is one a reader can safely follow (http or https), else None."""
    if not url:
        return None
    url = url.strip()
    if re.match(r"(?i)^https?://[^\s<>\"'`]+$", url):
        return url
    return None


def value_text(v: Value) -> str:
    """A value as people read it ("at least 2 billion USD", "2024-02-21")."""
    if (v.type == "date" and not v.date) or v.type == "ordinal":
        return v.text
    try:
        return describe_value(v)
    except (TypeError, ValueError, OverflowError):
        return v.text


def attribute_label(attribute: str | None) -> str | None:
    if not attribute:
        return None
    return attribute.replace("_", " ")


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—“\"'(")
    return (cut or text[: limit - 1]) + "…"


def display_name(key: str, texts: list[str]) -> str:
    """A subject as the articles spell it: "openai" -> "OpenAI" when a text has it so."""
    if not key:
        return key
    pattern = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)", re.IGNORECASE)
    for text in texts:
        m = pattern.search(text)
        if m and m.group(0) != m.group(0).lower():
            return m.group(0)
    return key if key != key.lower() else key.title()


# -- the data -------------------------------------------------------------------------------


@dataclass
class Source:
    number: int
    article_id: int
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str | None
    content_hash: str | None = None
    claims: int = 0
    verified: int = 0

    @property
    def label(self) -> str:
        return f"[{self.number}]"

    @property
    def name(self) -> str:
        """A short name for the source: the outlet, else the web site, else the start of the title."""
        if self.outlet:
            return self.outlet
        host = urlsplit(self.link).hostname if self.link else None
        if host:
            return host.removeprefix("www.")
        return shorten(self.title, 40)

    @property
    def link(self) -> str | None:
        return web_url(self.url)

    @property
    def location(self) -> str:
        return self.url or self.path or ""


@dataclass
class NoteView:
    text: str
    author: str | None
    at: str

    @classmethod
    def of(cls, note: Note) -> "NoteView":
        return cls(text=note.text, author=note.author, at=show_time(note.created_at))


@dataclass
class Statement:
    """One claim as one article states it."""

    claim_id: int
    source: Source
    text: str
    article_wording: str | None  # what the article says at the span, when the reviewer changed the text
    values: list[str]  # "Investment: 15 million EUR (about 16 million USD)"
    attribution: str | None
    status: str
    rating: str | None
    decided_by: str | None
    decided_at: str
    notes: list[NoteView]
    start: int
    end: int
    first: bool = True  # the claim's first place among the verified facts (where its anchor goes)

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim_id}"

    @property
    def value(self) -> str:
        return "; ".join(self.values)

    @property
    def quoted(self) -> str:
        """What the source says, in its own words: the article's text at the claim's span."""
        return self.article_wording or self.text

    @property
    def reading(self) -> str | None:
        """The reviewer's rewording of the claim, when it differs from the source's words."""
        return self.text if self.article_wording else None


@dataclass
class Fact:
    anchor: str
    subject: str | None
    attribute: str | None
    value: str
    statements: list[Statement]
    sources_agreeing: int
    sources_total: int
    rating: str
    corrected: bool = False
    disputed: bool = False  # also in an open conflict
    resolved: bool = False  # the preferred version of a resolved conflict
    fact_id: int | None = None  # the stored fact (claimdesk.core.facts), when there is one
    # A fact whose figure changed over time: (figure, its statements), earliest first.
    history: list[tuple[str, list[Statement]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return len(self.history) > 1

    @property
    def claim_ids(self) -> list[int]:
        return [s.claim_id for s in self.statements]


@dataclass
class Version:
    """One figure of a conflicting fact, with every source that states it."""

    statements: list[Statement]
    value: str
    preferred: bool
    base: str = ""  # the conflict's anchor

    @property
    def statement(self) -> Statement:
        return self.statements[0]

    @property
    def anchor(self) -> str:
        """The version's own place on the HTML sheet (a claim can be in several conflicts)."""
        return f"{self.base}-claim-{self.statement.claim_id}"

    @property
    def claim_ids(self) -> list[int]:
        return [s.claim_id for s in self.statements]


@dataclass
class Conflict:
    """A fact the sources disagree on: what is measured, each version with its sources.

    From a stored fact (``fact_id``) when the project has facts; a conflict link
    between two claims that no fact covers is a conflict of two versions."""

    link_id: int
    title: str
    reason: str
    versions: list[Version]
    reviewed: bool  # False: suggested by Claimdesk, not yet looked at
    resolution: str | None
    decided_by: str | None
    decided_at: str
    notes: list[NoteView]
    preferred_claim: int | None = None
    resolved: bool = False
    fact_id: int | None = None

    @property
    def anchor(self) -> str:
        return f"conflict-fact-{self.fact_id}" if self.fact_id is not None else f"conflict-{self.link_id}"

    @property
    def a(self) -> Version:
        return self.versions[0]

    @property
    def b(self) -> Version:
        return self.versions[1]

    @property
    def claim_ids(self) -> list[int]:
        return [cid for v in self.versions for cid in v.claim_ids]

    @property
    def sources(self) -> int:
        return len({s.source.article_id for v in self.versions for s in v.statements})


@dataclass
class SubjectGroup:
    name: str
    anchor: str
    facts: list[Fact]


@dataclass
class Counts:
    articles: int = 0
    claims: int = 0
    verified: int = 0
    facts: int = 0
    corroborated: int = 0
    corrected: int = 0
    open_conflicts: int = 0
    unreviewed_conflicts: int = 0
    disputed: int = 0
    resolved_conflicts: int = 0
    rejected: int = 0
    unreviewed: int = 0


@dataclass
class FactSheet:
    story: str
    reviewer: str | None
    generated_at: _dt.datetime
    last_decision: str
    url: str | None
    sources: list[Source]
    open_conflicts: list[Conflict]
    disputed: list[Statement]
    subjects: list[SubjectGroup]
    resolved: list[Conflict]
    counts: Counts
    ratings: dict[int, str] = field(default_factory=dict)  # claim id -> rating

    @property
    def generated(self) -> str:
        return show_time(self.generated_at)

    @property
    def date(self) -> str:
        return self.generated_at.date().isoformat()

    @property
    def facts(self) -> list[Fact]:
        return [f for g in self.subjects for f in g.facts]

    @property
    def link(self) -> str | None:
        return web_url(self.url)

    @property
    def has_open_conflicts(self) -> bool:
        return bool(self.open_conflicts or self.disputed)


# -- reading the project once ------------------------------------------------------------------


class ProjectData:
    """What an export reads from a project, read once.

    It answers the read calls the writers (and :func:`claimdesk.services.report.analysis_report`)
    make, ``articles()``, ``claims()``, ``links()``, ``notes()``, ``events()`` and
    ``setting()``, from memory, so a writer that needs the claims twice does not
    read 50,000 of them twice. History events are read on first use only.
    """

    SETTINGS = ("story", "reviewer", "url")

    def __init__(self, project) -> None:
        self.project = project
        self.path = getattr(project, "path", None)
        self._settings = {key: project.setting(key) for key in self.SETTINGS}
        self._articles: list[Article] = project.articles()
        self._claims: list[Claim] = project.claims()
        self._links: list[Link] = project.links()
        self._notes: list[Note] = project.notes()
        self._facts = project.facts() if hasattr(project, "facts") else []
        self._events = None

    @classmethod
    def of(cls, source) -> "ProjectData":
        return source if isinstance(source, cls) else cls(source)

    def setting(self, key: str, default: str | None = None) -> str | None:
        if key not in self._settings:
            self._settings[key] = self.project.setting(key)
        value = self._settings[key]
        return default if value is None else value

    def articles(self) -> list[Article]:
        return list(self._articles)

    def claims(self, article_id: int | None = None, *, status: str | None = None,
               with_values: bool = True) -> list[Claim]:
        return [c for c in self._claims
                if (article_id is None or c.article_id == article_id) and (status is None or c.status == status)]

    def links(self, claim_id: int | None = None, *, kind: str | None = None) -> list[Link]:
        return [l for l in self._links
                if (claim_id is None or claim_id in (l.claim_a, l.claim_b)) and (kind is None or l.kind == kind)]

    def notes(self, *, claim_id: int | None = None, link_id: int | None = None) -> list[Note]:
        return [n for n in self._notes
                if (claim_id is None or n.claim_id == claim_id) and (link_id is None or n.link_id == link_id)]

    def facts(self):
        return list(self._facts)

    def events(self):
        if self._events is None:
            self._events = self.project.events()
        return list(self._events)


# -- building ----------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _value_groups(claim: Claim) -> list[tuple[Value, list[Value]]]:
    """Primary values of a claim, each with the conversions that restate it."""
    groups: list[tuple[Value, list[Value]]] = []
    for v in sorted(claim.values, key=lambda v: (v.start, v.end)):
        if v.role == ROLE_CONVERSION and groups:
            groups[-1][1].append(v)
        elif v.role != ROLE_CONVERSION:
            groups.append((v, []))
    return groups


def _describe_group(primary: Value, conversions: list[Value]) -> str:
    text = value_text(primary)
    if conversions:
        text += " (" + "; ".join(value_text(c) for c in conversions) + ")"
    return text


def _label(primary: Value, described: str) -> str:
    attribute = attribute_label(primary.attribute)
    return f"{attribute.capitalize()}: {described}" if attribute else described


def _values_for(claim: Claim, spans: set[tuple[int, int]] | None = None) -> tuple[list[str], list[Value]]:
    """Descriptions of a claim's values, each with what it measures ("Valuation: at least
    2 billion USD"); only those at ``spans`` when any match."""
    groups = _value_groups(claim)
    if spans:
        chosen = [g for g in groups if (g[0].start, g[0].end) in spans]
        if chosen:
            groups = chosen
    return [_label(p, _describe_group(p, c)) for p, c in groups], [p for p, _ in groups]


def claim_values(claim: Claim) -> list[str]:
    """Every primary value of a claim, labelled, conversions in brackets."""
    return _values_for(claim)[0]


def _value_at(claim: Claim, span: tuple[int, int] | None, article_text: str) -> tuple[str, Value | None]:
    if span is not None:
        for primary, conversions in _value_groups(claim):
            if (primary.start, primary.end) == tuple(span):
                return _describe_group(primary, conversions), primary
        for v in claim.values:
            if (v.start, v.end) == tuple(span):
                return value_text(v), v
        start, end = span
        if 0 <= start < end <= len(article_text):
            return one_line(article_text[start:end]), None
    groups = _value_groups(claim)
    if not groups:
        return "", None
    return "; ".join(_describe_group(p, c) for p, c in groups), groups[0][0]


def _subject_key(claim: Claim, values: list[Value]) -> str:
    if claim.subject and claim.subject.strip():
        return claim.subject.strip()
    for v in values:
        if v.subject and v.subject.strip():
            return v.subject.strip()
    for v in claim.values:
        if v.subject and v.subject.strip():
            return v.subject.strip()
    return ""


def _reviewer(project, claims: list[Claim], links: list[Link]) -> str | None:
    configured = project.setting("reviewer")
    if configured and configured.strip():
        return configured.strip()
    who = Counter(x.decided_by for x in [*claims, *links] if x.decided_by)
    if not who:
        return None
    return ", ".join(name for name, _ in sorted(who.items(), key=lambda kv: (-kv[1], kv[0])))


def _story(project) -> str:
    story = project.setting("story")
    if story and story.strip():
        return story.strip()
    path = getattr(project, "path", None)
    return path.stem if path is not None else "Untitled story"


def build_sheet(project, *, now: _dt.datetime | None = None) -> FactSheet:
    """The fact sheet of a :class:`Project` (or of a :class:`ProjectData` already read)."""
    now = now or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    project = ProjectData.of(project)
    articles: list[Article] = project.articles()
    claims: list[Claim] = project.claims()
    links: list[Link] = project.links()
    notes: list[Note] = project.notes()

    texts = {a.id: a.text for a in articles}
    sources: dict[int, Source] = {}
    for n, a in enumerate(articles, 1):
        sources[a.id] = Source(
            number=n, article_id=a.id, title=one_line(a.title) or f"Article {a.id}",
            outlet=one_line(a.outlet) or None, published=a.published, url=(a.url or "").strip() or None,
            path=a.source_path, content_hash=a.content_hash,
        )
    by_id = {c.id: c for c in claims}
    claim_notes: dict[int, list[NoteView]] = defaultdict(list)
    link_notes: dict[int, list[NoteView]] = defaultdict(list)
    for note in notes:
        if note.link_id is not None:
            link_notes[note.link_id].append(NoteView.of(note))
        elif note.claim_id is not None:
            claim_notes[note.claim_id].append(NoteView.of(note))

    counts = Counts(articles=len(articles), claims=len(claims))
    for c in claims:
        src = sources.get(c.article_id)
        if src is not None:
            src.claims += 1
            if c.status in VERIFIED_STATUSES:
                src.verified += 1
        if c.status == REJECTED:
            counts.rejected += 1
        elif c.status == SUGGESTED:
            counts.unreviewed += 1
        elif c.status in VERIFIED_STATUSES:
            counts.verified += 1
            if c.status == EDITED:
                counts.corrected += 1

    def usable(link: Link) -> bool:
        a, b = by_id.get(link.claim_a), by_id.get(link.claim_b)
        return (
            a is not None and b is not None and a.status != REJECTED and b.status != REJECTED
            and a.article_id in sources and b.article_id in sources
        )

    live = [l for l in links if usable(l)]

    # -- stored facts (claimdesk.core.facts): each thing measured once, with its versions ---------------
    conversion_spans = {(c.id, v.start, v.end) for c in claims for v in c.values if v.role == ROLE_CONVERSION}

    def on_sheet(cid: int) -> bool:
        c = by_id.get(cid)
        return c is not None and c.status != REJECTED and c.article_id in sources

    stored: list[tuple[object, list]] = []
    for f in project.facts():
        if f.review == "rejected":
            continue
        ms = [m for m in f.mentions if on_sheet(m.claim_id) and m.key not in conversion_spans]
        if ms:
            stored.append((f, ms))

    def link_in(l: Link, keys: set, cids: set) -> bool:
        def side(cid: int, span) -> bool:
            return (cid, *tuple(span)) in keys if span else cid in cids
        return side(l.claim_a, l.a_span) and side(l.claim_b, l.b_span)

    conflict_links_of: dict[int, list[Link]] = defaultdict(list)  # claim id -> its conflict links
    for l in live:
        if l.kind == CONFLICT:
            conflict_links_of[l.claim_a].append(l)
    used_links: set[int] = set()
    in_open: set[int] = set()
    resolved_outcome: dict[int, str] = {}
    preferred_in_resolved: set[int] = set()
    fact_decided: set[int] = set()  # claims a decision on their whole fact covers
    plans: dict[int, dict] = {}  # fact id -> how its conflict stands
    for f, ms in stored:
        ks = sorted({m.version for m in ms})
        if f.status != FACT_CONFLICTING or len(ks) < 2:
            continue
        keys, cids = {m.key for m in ms}, {m.claim_id for m in ms}
        flinks = [l for cid in sorted(cids) for l in conflict_links_of.get(cid, ()) if link_in(l, keys, cids)]
        used_links.update(l.id for l in flinks)
        open_l = [l for l in flinks if l.status in OPEN_LINK_STATUSES]
        res_l = [l for l in flinks if l.status == LINK_RESOLVED]
        plan = dict(links=flinks, reviewed=False, resolved=False, preferred=None, resolution=None,
                    by=None, at=None)
        if f.review in ("resolved", "confirmed"):
            pref = f.preferred_version if f.preferred_version in ks else None
            plan.update(reviewed=True, resolved=f.review == "resolved" or pref is not None, preferred=pref,
                        resolution=f.resolution, by=f.decided_by, at=f.decided_at)
            fact_decided.update(cids)
        elif open_l:
            marked = [l for l in open_l if l.status != LINK_OPEN]
            if marked:
                last = max(marked, key=lambda l: l.decided_at or "")
                plan.update(reviewed=True, resolution=last.resolution, by=last.decided_by, at=last.decided_at)
        elif res_l:
            last = max(res_l, key=lambda l: l.decided_at or "")
            plan.update(reviewed=True, resolved=True, resolution=last.resolution, by=last.decided_by,
                        at=last.decided_at)
            if last.preferred_claim is not None:
                span = last.a_span if last.preferred_claim == last.claim_a else last.b_span
                plan["preferred"] = next((m.version for m in ms if m.claim_id == last.preferred_claim
                                          and (not span or (m.start, m.end) == tuple(span))), None)
        plans[f.id] = plan
        if not plan["resolved"]:
            in_open.update(cids)
            continue
        for m in ms:
            if plan["preferred"] is None:
                resolved_outcome.setdefault(m.claim_id, RATING_UNVERIFIED)
            elif m.version == plan["preferred"]:
                preferred_in_resolved.add(m.claim_id)
            else:
                resolved_outcome[m.claim_id] = RATING_INCORRECT

    # Conflict links no fact covers: a conflict of two versions, one source each.
    open_links = [l for l in live if l.kind == CONFLICT and l.status in OPEN_LINK_STATUSES
                  and l.id not in used_links]
    resolved_links = [l for l in live if l.kind == CONFLICT and l.status == LINK_RESOLVED and l.id not in used_links]
    in_open |= {cid for l in open_links for cid in (l.claim_a, l.claim_b)}
    for l in resolved_links:
        if l.preferred_claim is None:
            for cid in (l.claim_a, l.claim_b):
                resolved_outcome.setdefault(cid, RATING_UNVERIFIED)
        else:
            preferred_in_resolved.add(l.preferred_claim)
            loser = l.claim_b if l.preferred_claim == l.claim_a else l.claim_a
            resolved_outcome[loser] = RATING_INCORRECT
    in_any_conflict = in_open | set(resolved_outcome) | preferred_in_resolved | {
        m.claim_id for f, ms in stored if f.id in plans for m in ms}

    # Verified facts from stored facts: the mentions of verified claims (or of a fact the reviewer
    # decided as a whole) that are in no open conflict; of a resolved fact, the chosen version only.
    verified_plans: list[tuple[object, dict[int, list]]] = []  # (fact, claim id -> its mentions)
    covered: set[int] = set()
    agree: dict[int, int] = defaultdict(int)
    for f, ms in stored:
        plan = plans.get(f.id)
        if plan is not None:
            if not plan["resolved"] or plan["preferred"] is None:
                continue
            ms = [m for m in ms if m.version == plan["preferred"]]
        whole = plan is not None or f.review == "confirmed"
        chosen: dict[int, list] = defaultdict(list)
        for m in ms:
            c = by_id[m.claim_id]
            if c.id in in_open:
                continue
            if c.status in VERIFIED_STATUSES or (whole and c.status == SUGGESTED):
                chosen[c.id].append(m)
        if not chosen:
            continue
        verified_plans.append((f, chosen))
        covered.update(chosen)
        if whole:
            fact_decided.update(chosen)
        n = len({by_id[cid].article_id for cid in chosen})
        for cid in chosen:
            agree[cid] = max(agree[cid], n)

    # The rest: verified claims, joined by the corroborations the reviewer confirmed. A claim in an
    # open conflict is not a verified fact while the sources disagree: it is listed with the conflict.
    verified = [c for c in claims if c.status in VERIFIED_STATUSES and c.article_id in sources
                and c.id not in in_open and c.id not in covered]
    verified_ids = {c.id for c in verified}
    uf = _UnionFind()
    spans: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for c in verified:
        uf.find(c.id)
    for l in live:
        if l.kind == CORROBORATION and l.status == LINK_CONFIRMED and \
                l.claim_a in verified_ids and l.claim_b in verified_ids:
            uf.union(l.claim_a, l.claim_b)
            if l.a_span:
                spans[l.claim_a].add(tuple(l.a_span))
            if l.b_span:
                spans[l.claim_b].add(tuple(l.b_span))
    members: dict[int, list[Claim]] = defaultdict(list)
    for c in verified:
        members[uf.find(c.id)].append(c)
    for group in members.values():
        n = len({m.article_id for m in group})
        for c in group:
            agree[c.id] = max(agree[c.id], n)

    ratings: dict[int, str] = {}
    for c in claims:
        if c.status == REJECTED or c.article_id not in sources:
            continue
        if c.status == SUGGESTED and c.id not in fact_decided:
            continue
        if c.id in in_open:
            ratings[c.id] = RATING_CONFLICTING
        elif c.status == CONFLICTING or (c.status == SUGGESTED and c.id in resolved_outcome):
            ratings[c.id] = resolved_outcome.get(c.id, RATING_CONFLICTING)
        elif c.status == EDITED:
            ratings[c.id] = RATING_CORRECTED
        elif c.status == SUGGESTED and c.id not in covered:
            continue
        else:
            ratings[c.id] = RATING_CORROBORATED if agree.get(c.id, 1) > 1 else RATING_CONFIRMED

    def statement(c: Claim, span_set: set[tuple[int, int]] | None = None) -> tuple[Statement, list[Value]]:
        described, primaries = _values_for(c, span_set)
        text = texts.get(c.article_id, "")
        wording = text[c.start:c.end] if 0 <= c.start < c.end <= len(text) else ""
        changed = one_line(wording) != one_line(c.text) and bool(wording.strip())
        return Statement(
            claim_id=c.id, source=sources[c.article_id], text=one_line(c.text),
            article_wording=one_line(wording) if changed else None, values=described,
            attribution=one_line(c.attribution) or None, status=c.status, rating=ratings.get(c.id),
            decided_by=c.decided_by, decided_at=show_time(c.decided_at),
            notes=claim_notes.get(c.id, []), start=c.start, end=c.end,
        ), primaries

    def when_said(c: Claim) -> tuple:
        src = sources[c.article_id]
        return (src.published is None, src.published or "", src.number, c.start, c.id)

    def fact_rating(group: list[Claim], agreeing: int) -> str:
        return (RATING_CORRECTED if any(c.status == EDITED for c in group)
                else RATING_CORROBORATED if agreeing > 1 else RATING_CONFIRMED)

    groups: dict[str, list[Fact]] = defaultdict(list)
    names_seen: dict[str, list[str]] = defaultdict(list)

    def add_fact(key: str, fact: Fact) -> None:
        groups[key.casefold()].append(fact)
        names_seen[key.casefold()].append(key)
        names_seen[key.casefold()].extend(s.text for s in fact.statements)

    for f, chosen in verified_plans:
        group = sorted((by_id[cid] for cid in chosen), key=lambda c: (sources[c.article_id].number, c.start, c.id))
        stmts, all_values = [], []
        decision = plans[f.id] if f.id in plans else {"by": f.decided_by, "at": f.decided_at}
        for c in group:
            st, vals = statement(c, {(m.start, m.end) for m in chosen[c.id]})
            if c.status == SUGGESTED:  # confirmed by the decision on the whole fact
                st.decided_by, st.decided_at = decision["by"], show_time(decision["at"])
            stmts.append(st)
            all_values.extend(vals)
        history: list[tuple[str, list[Statement]]] = []
        value = stmts[0].value
        if f.status == FACT_CHANGED:
            by_version: dict[int, list[Claim]] = defaultdict(list)
            for c in group:
                by_version[chosen[c.id][0].version].append(c)
            ordered = sorted(by_version.values(), key=lambda cs: min(when_said(c) for c in cs))
            if len(ordered) > 1:
                st_of = {s.claim_id: s for s in stmts}
                for cs in ordered:
                    cs.sort(key=when_said)
                    m = chosen[cs[0].id][0]
                    figure, _ = _value_at(cs[0], (m.start, m.end), texts.get(cs[0].article_id, ""))
                    history.append((figure, [st_of[c.id] for c in cs]))
                stmts = [s for _, ss in history for s in ss]
                label = attribute_label(f.attribute)
                value = " → ".join(fig for fig, _ in history)
                value = f"{label.capitalize()}: {value}" if label else value
        key = (f.subject or "").strip()
        if not key:
            for c in group:
                key = _subject_key(c, [v for v in all_values if v.claim_id in (None, c.id)])
                if key:
                    break
        agreeing = len({c.article_id for c in group})
        add_fact(key, Fact(
            anchor=f"fact-of-{f.id}", subject=None,
            attribute=next((attribute_label(v.attribute) for v in all_values if v.attribute), None)
            or attribute_label(f.attribute) or None,
            value=value, statements=stmts, sources_agreeing=agreeing, sources_total=len(sources),
            rating=fact_rating(group, 1 if history else agreeing),
            corrected=any(c.status == EDITED for c in group), disputed=False,
            resolved=f.id in plans, fact_id=f.id, history=history,
        ))

    for group in members.values():
        group.sort(key=lambda c: (sources[c.article_id].number, c.start, c.id))
        stmts, all_values = [], []
        for c in group:
            st, vals = statement(c, spans.get(c.id))
            stmts.append(st)
            all_values.extend(vals)
        key = ""
        for c in group:
            key = _subject_key(c, [v for v in all_values if v.claim_id in (None, c.id)])
            if key:
                break
        attribute = next((attribute_label(v.attribute) for v in all_values if v.attribute), None)
        agreeing = len({c.article_id for c in group})
        add_fact(key, Fact(
            anchor=f"fact-{group[0].id}", subject=None, attribute=attribute, value=stmts[0].value,
            statements=stmts, sources_agreeing=agreeing, sources_total=len(sources),
            rating=fact_rating(group, agreeing),
            corrected=any(c.status == EDITED for c in group),
            disputed=False,
            resolved=any(c.id in preferred_in_resolved for c in group),
        ))

    subjects: list[SubjectGroup] = []
    for key in sorted(groups, key=lambda k: (k == "", k)):
        facts = sorted(groups[key], key=lambda f: (f.statements[0].source.number, f.statements[0].start,
                                                   f.statements[0].claim_id, f.anchor))
        name = display_name(names_seen[key][0], names_seen[key][1:]) if key else OTHER_SUBJECT
        for f in facts:
            f.subject = name if key else None
        slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "other"
        subjects.append(SubjectGroup(name=name, anchor=f"subject-{slug}-{len(subjects) + 1}", facts=facts))

    seen_claims: set[int] = set()
    for g in subjects:
        for f in g.facts:
            for st in f.statements:
                st.first = st.claim_id not in seen_claims
                seen_claims.add(st.claim_id)

    def titled(subject_key: str, attribute: str | None, texts_: list[str], fallback: str) -> str:
        subject = display_name(subject_key, texts_) if subject_key else None
        if subject and attribute:
            return f"{subject}: {attribute}"
        if subject or attribute:
            return subject or attribute.capitalize()
        return fallback

    def conflict(l: Link) -> Conflict:
        ca, cb = by_id[l.claim_a], by_id[l.claim_b]
        sa, _ = statement(ca)
        sb, _ = statement(cb)
        va, value_a = _value_at(ca, l.a_span, texts.get(ca.article_id, ""))
        vb, value_b = _value_at(cb, l.b_span, texts.get(cb.article_id, ""))
        subject_key = _subject_key(ca, [v for v in (value_a,) if v]) or _subject_key(cb, [v for v in (value_b,) if v])
        attribute = attribute_label((value_a.attribute if value_a else None) or (value_b.attribute if value_b else None))
        title = titled(subject_key, attribute, [sa.text, sb.text], one_line(l.reason) or "Conflicting claims")
        resolution = one_line(l.resolution) or None
        notes_here = [n for n in link_notes.get(l.id, []) if one_line(n.text) != resolution]
        base = f"conflict-{l.id}"
        return Conflict(
            link_id=l.id, title=title, reason=one_line(l.reason),
            versions=[Version([sa], va, l.preferred_claim == ca.id, base),
                      Version([sb], vb, l.preferred_claim == cb.id, base)],
            reviewed=l.status != LINK_OPEN, resolution=resolution, decided_by=l.decided_by,
            decided_at=show_time(l.decided_at), notes=notes_here, preferred_claim=l.preferred_claim,
            resolved=l.status == LINK_RESOLVED,
        )

    def fact_conflict(f, ms: list) -> Conflict:
        plan = plans[f.id]
        base = f"conflict-fact-{f.id}"
        by_version: dict[int, dict[int, set]] = defaultdict(lambda: defaultdict(set))
        for m in ms:
            by_version[m.version][m.claim_id].add((m.start, m.end))
        versions: list[Version] = []
        all_texts: list[str] = []
        attributes: list[str] = []
        for k, claims_k in by_version.items():
            group = sorted((by_id[cid] for cid in claims_k), key=lambda c: (sources[c.article_id].number, c.start, c.id))
            stmts = [statement(c, claims_k[c.id])[0] for c in group]
            all_texts.extend(s.text for s in stmts)
            first = group[0]
            figure, primary = _value_at(first, min(claims_k[first.id]), texts.get(first.article_id, ""))
            if primary is not None and primary.attribute:
                attributes.append(primary.attribute)
            versions.append(Version(stmts, figure, plan["preferred"] == k, base))
        versions.sort(key=lambda v: (v.statement.source.number, v.statement.start, v.statement.claim_id))
        resolution = one_line(plan["resolution"]) or None
        notes_here = [n for l in plan["links"] for n in link_notes.get(l.id, []) if one_line(n.text) != resolution]
        preferred = next((v.statement.claim_id for v in versions if v.preferred), None)
        attribute = attribute_label(attributes[0] if attributes else f.attribute) or None
        title = titled((f.subject or "").strip(), attribute, all_texts,
                       one_line(f.label) or "Conflicting figures")
        reason = f"{len(versions)} different figures for {one_line(f.label) or 'the same fact'}: " + \
            " vs ".join(v.value for v in versions)
        return Conflict(
            link_id=plan["links"][0].id if plan["links"] else 0, title=title, reason=reason, versions=versions,
            reviewed=plan["reviewed"], resolution=resolution, decided_by=plan["by"],
            decided_at=show_time(plan["at"]), notes=notes_here, preferred_claim=preferred,
            resolved=plan["resolved"], fact_id=f.id,
        )

    def conflict_order(c: Conflict) -> tuple:
        return (c.a.statement.source.number, c.a.statement.start, c.fact_id or 0, c.link_id)

    all_conflicts = [fact_conflict(f, ms) for f, ms in stored if f.id in plans]
    all_conflicts += [conflict(l) for l in open_links]
    all_conflicts += [conflict(l) for l in resolved_links]
    open_conflicts = sorted((c for c in all_conflicts if not c.resolved),
                            key=lambda c: (c.reviewed is False, *conflict_order(c)))
    resolved = sorted((c for c in all_conflicts if c.resolved), key=conflict_order)
    disputed = [
        statement(c)[0] for c in claims
        if c.status == CONFLICTING and c.id not in in_any_conflict and c.article_id in sources
    ]

    counts.unreviewed = sum(1 for c in claims if c.status == SUGGESTED and c.article_id in sources
                            and c.id not in fact_decided and c.id not in covered)
    counts.facts = sum(len(g.facts) for g in subjects)
    counts.corroborated = sum(1 for g in subjects for f in g.facts if f.sources_agreeing > 1 and not f.changed)
    counts.open_conflicts = len(open_conflicts)
    counts.unreviewed_conflicts = sum(1 for c in open_conflicts if not c.reviewed)
    counts.disputed = len(disputed)
    counts.resolved_conflicts = len(resolved)

    stamps = [parse_time(x.decided_at) for x in [*claims, *links, *(f for f, _ in stored)] if x.decided_at]
    stamps = [s for s in stamps if s is not None]
    return FactSheet(
        story=_story(project), reviewer=_reviewer(project, claims, links), generated_at=now,
        last_decision=show_time(max(stamps)) if stamps else "", url=(project.setting("url") or "").strip() or None,
        sources=list(sources.values()), open_conflicts=open_conflicts, disputed=disputed,
        subjects=subjects, resolved=resolved, counts=counts, ratings=ratings,
    )
