"""Group the values of many articles into facts: one thing measured, its versions, its sources.

A *fact* is one thing measured: what (the attribute, in the text's own words
when no rule names it), whose (subject), which part (scope: "initial",
"add-ons", "base"...) and when (a year or season the sentence names). Every
value a claim states about it is a *mention*; mentions whose values can all be
true at once form a *version* (bounds are intervals, a round figure stands for
what rounds to it). A fact is ``agreed`` (one version, two or more articles),
``conflicting`` (two or more versions at the same time), ``changed`` (the text
marks a figure as moved or revised: "rose to", "revised", "initially") or
``single`` (one article).

Precision comes first: a mention joins a fact only with positive evidence that
it measures the same thing (a shared word for what is measured near both
figures, or the same counted noun), nothing that sets them apart (different
named subjects, scopes or years), and, when several facts would take it, only
the one it agrees with; when unsure it starts a fact of its own.

The work grows with the number of values: mentions are blocked by the kind of
quantity and indexed by their key words, and each is compared with the few
facts that share a key, never with every other mention.

Nothing here knows spaCy, SQL or Qt: input is plain :class:`Claim` objects.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import snowballstemmer

from claimdesk.core.align import _LABEL, ZONE_OFFSETS, describe_value
from claimdesk.core.model import (
    APPROX,
    AT_LEAST,
    AT_MOST,
    EXACT,
    REJECTED,
    ROLE_CONVERSION,
    CONFLICT,
    CORROBORATION,
    Article,
    Claim,
    RULE_MINUTE_MARK,
    Link,
    Value,
    is_match_minute,
)

_STEMMER = snowballstemmer.stemmer("english")

AGREED = "agreed"
CONFLICTING = "conflicting"
CHANGED = "changed"
SINGLE = "single"

APPROX_TOLERANCE = 0.08  # "about 5,000" stands for 4,600..5,400
ROUNDING_CAP = 0.03  # a round figure stands for at most ±3 % around it ("$2 billion" for $1.95 billion)
CONVERSION_TOLERANCE = 0.04  # the same sum converted by two outlets at slightly different rates
RATE_OUTLIER = 0.12  # an article whose own exchange rate is this far off the others' uses another currency
OPEN_BOUND_SPAN = 1.5
BROAD_KEY = 48  # a key indexing more facts than this is too general to look a figure up by
WINDOW = 6  # words either side of a figure that may say what it measures
PERIOD_WINDOW = 8
SCOPE_AFTER = 2



_DURATION_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7,
                  "month": 30.44, "year": 365.25, "season": 365.25, "decade": 3652.5, "century": 36525}
_AGE_MONTHS = {"day": 1 / 30.44, "week": 7 / 30.44, "month": 1, "year": 12}

_STOP = frozenset(
    "a an the and or of to in on at for with by from as is was were are be been being has had have having that "
    "which who whom whose it its their his her they them he she we you i this these those will would could can "
    "may might should must said says say also than more over about after before since while into during up down "
    "out new not no but if so such some any all each per only just very much many most least less nearly almost "
    "around roughly approximately some than then there here when where what why how our your my one two three "
    "four five six seven eight nine ten million billion thousand hundred trillion bn m k percent cent per "
    "year years day days week weeks month months time times according reportedly him us me himself herself "
    "itself themselves ourselves".split()
)
# Words that put a figure in one part of a whole; two figures in different parts are different facts.
_SCOPES = {
    "initial": "first", "upfront": "first", "up-front": "first", "guaranteed": "first", "base": "first",
    "basic": "first", "fixed": "first",
    "additional": "extra", "further": "extra", "extra": "extra", "bonus": "extra", "add-on": "extra",
    "add-ons": "extra", "addons": "extra", "lump": "extra", "variable": "extra", "performance-related": "extra",
    "possible": "extra", "attainable": "extra", "potential": "total", "total": "total", "overall": "total",
    "combined": "total", "cumulative": "total", "career": "career", "annual": "year", "yearly": "year",
    "annually": "year", "annualised": "year", "annualized": "year",
    "monthly": "month", "weekly": "week", "daily": "day", "remaining": "rest", "expected": "expected",
    "estimated": None, "average": "average", "median": "median", "maximum": "max", "minimum": "min",
    "record": "record", "previous": "previous", "former": "previous", "per": "rate",
    "worldwide": "world", "global": "world", "globally": "world", "nationwide": "nation", "national": "nation",
    "nationally": "nation", "statewide": "state", "elsewhere": "elsewhere", "regional": "region",
    "locally": "local", "local": "local",
}
_PERIOD_WORDS = re.compile(
    r"\b(last|this|next|previous|current|past)\s+(season|year|month|week|summer|winter|spring|autumn|fall|quarter|decade)\b"
    r"|\b(?:(\w+)[-\s](?:year|season)s?\b)"
    r"|\b((?:19|20)\d\d)\b",
    re.I,
)
_CHANGE_VERBS = {"fell", "rose", "dropped", "climbed", "jumped", "slid", "slipped", "gained", "lost", "declined",
                 "increased", "decreased", "surged", "plunged", "tumbled", "grew", "shrank", "soared", "sank",
                 "falls", "rises", "drops", "climbs", "jumps", "gains", "loses", "closing", "closed", "down", "up"}
# Verbs in -ed after which "by" gives the size of a change ("reduced by 10%"); after others "by" names an agent.
_BY_CHANGE = {"increased", "decreased", "reduced", "lowered", "raised", "boosted", "expanded", "shrunk", "trimmed",
              "slashed", "cut", "widened", "narrowed", "outpaced", "exceeded", "missed", "beat", "topped",
              "undercut", "dropped", "jumped", "climbed", "declined", "rallied", "advanced", "retreated"}
# A sum for a span of time written after it ("per year", "a season", "per annum"), brackets and net/gross between.
_RATE_AFTER = re.compile(r"[-\s]*(?:\([^()]{0,30}\)\s*)?(?:(?:net|gross|before tax|after tax)\s+)?(?:per|an|a|each|every)[-\s]+"
                         r"(hour|second|minute|day|week|month|year|season|annum)\b", re.I)
_RATE_SPANS = {"season": "year", "annum": "year"}
_VOTE_VERBS = {"reject", "approv", "approve", "vot", "vote", "back", "ratify", "pass", "elect", "endors", "endorse",
               "oppos", "oppose", "support", "defeat", "win", "won", "carry", "accept"}  # as _lemma gives them
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a": 1}
_REVISION = re.compile(
    r"\b(initially|originally|previously|earlier|first reported|preliminary|provisional|revised|revising|"
    r"withdrew|withdrawn|retracted|corrected|rejected|updated|up from|down from|now stands|so far|latest|"
    r"risen to|climbed to|rose to|has risen|had risen)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,:]*|[^\sA-Za-z\d]")
_CLAUSE_BREAK = {";", ".", "!", "?", "—", "–", "\"", ",", ":", "and", "but", "while", "whereas", "or", "who",
                 "which", "where", "when"}
# Counted nouns that name the same kind of thing.
_COUNT_CLASSES = {
    "game": "game", "match": "game", "appearance": "game", "fixture": "game", "outing": "game", "cap": "game",
    "person": "person", "people": "person", "resident": "person", "individual": "person", "inhabitant": "person",
    "death": "death", "fatality": "death", "victim": "death", "body": "death",
    "home": "home", "house": "home", "household": "home", "dwelling": "home", "property": "home",
    "job": "job", "role": "job", "position": "job", "post": "job",
    "employee": "staff", "worker": "staff", "staff": "staff", "staffer": "staff",
}
_PERSON_NOUNS = {"person", "people", "driver", "resident", "worker", "passenger", "child", "man", "woman",
                 "student", "patient", "victim", "employee", "staff", "fan", "spectator", "member", "player",
                 "officer", "soldier", "civilian", "tourist", "visitor", "user", "customer", "adult", "pupil",
                 "teacher", "doctor", "nurse", "miner", "climber", "migrant", "refugee", "individual"}
_BASIS_POINTS = {"basis point", "bps", "bp", "bsp", "basis"}
_GENERIC_COUNT_UNITS = {None, "", "time", "number", "total", "figure", "more", "other", "lot"}


@dataclass
class Version:
    k: int
    text: str
    amount: float | None
    unit: str | None
    bound: str
    date: str | None = None


@dataclass
class Mention:
    claim_id: int
    article_id: int
    start: int
    end: int
    version: int
    text: str
    conversion: bool = False
    origin: str = "suggested"

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.claim_id, self.start, self.end)


@dataclass
class Fact:
    id: int
    label: str
    subject: str | None
    attribute: str
    status: str
    kind: str  # the kind of quantity: "money:EUR", "count:game", "date", ...
    versions: list[Version] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # The reviewer's decision on the whole fact (one per fact, not per pair).
    origin: str = "suggested"  # suggested, manual, migrated
    review: str = "open"  # open, confirmed, resolved, rejected
    preferred_version: int | None = None
    resolution: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    # After a merge of two reviewers' files whose decisions on the fact differ: each reviewer's decision
    # (a JSON list, ``facts.disputed``) until a curator decides; None otherwise.
    disputed: str | None = None

    @property
    def articles(self) -> set[int]:
        return {m.article_id for m in self.mentions}

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "subject": self.subject,
            "attribute": self.attribute,
            "status": self.status,
            "versions": [
                {"k": v.k, "text": v.text, "amount": v.amount, "unit": v.unit, "bound": v.bound}
                for v in self.versions
            ],
            "mentions": [
                {"claim": m.claim_id, "article": m.article_id, "value": [m.start, m.end], "version": m.version}
                for m in self.mentions
            ],
        }


# -- reading the words around a figure ----------------------------------------------------------


# Words too general to say what is measured on their own.
_TOO_GENERAL = frozenset((
    "since", "drop", "back", "record", "previous", "deal", "sign", "offer", "run", "point", "win", "member",
    "post", "work", "create", "open", "term", "value", "life", "body", "pull", "save",
    "power", "without", "affect", "cover", "hold", "old", "found", "founding", "support", "aid",
    "stake", "share", "percent", "rate", "increase", "growth", "grow", "jump", "surge", "plunge",
    "round", "capital", "bill", "cap"))


# Too general words that still say what one type of figure is: "a four-year deal" is a contract's length, though
# "deal" beside a sum says nothing (a deal story's price, debt and premium are all the deal's).
_ONLY_FOR = {"deal": frozenset({"duration"}), "term": frozenset({"duration"})}


@dataclass(frozen=True)
class AttributeWords:
    """The words that say what a figure measures: word -> (attribute, the value types it applies to or None).

    Built from the NLP layer's attribute rules (rows ``{"attribute", "lemmas", "types"}``, as in
    ``resources/patterns/attributes.jsonl``); the core reads no file, its caller loads the rules
    (:func:`claimdesk.services.pipeline.attribute_words`) and passes them to :func:`compute_facts`.
    """

    # word -> the attributes it may name, in the rules' order, each with the value types it applies to (None: any)
    typed: dict[str, tuple[tuple[str, frozenset[str] | None], ...]] = field(default_factory=dict)

    @classmethod
    def from_rules(cls, rows: Iterable[dict]) -> "AttributeWords":
        out: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
        for row in rows:
            types = frozenset(row["types"]) if row.get("types") else None
            attr = ATTRIBUTE_FAMILY.get(row["attribute"], row["attribute"])
            for lemma in row["lemmas"]:
                senses = out.setdefault(lemma.lower(), [])
                if all(a != attr for a, _ in senses):
                    senses.append((attr, types))  # "deal": a price for money, a contract's length for a span
        for w in _TOO_GENERAL:
            if w in _ONLY_FOR:
                types = _ONLY_FOR[w]
                out[w] = [(a, types) for a, t in out.get(w, []) if t is None or t & types]
                if not out[w]:
                    del out[w]
            else:
                out.pop(w, None)
        return cls({w: tuple(senses) for w, senses in out.items()})

    @cached_property
    def named(self) -> frozenset[str]:
        """Every attribute name the rules give (worked out once: the grouping asks for it at every figure)."""
        return frozenset(a for senses in self.typed.values() for a, _ in senses)


#: The attribute words of the grouping under way, set by :func:`compute_facts` for its duration.
_WORDS: ContextVar[AttributeWords] = ContextVar("claimdesk_attribute_words", default=AttributeWords())


def _typed_lexicon() -> dict[str, tuple[tuple[str, frozenset[str] | None], ...]]:
    return _WORDS.get().typed


def _NAMED() -> frozenset[str]:
    return _WORDS.get().named


def _lemma(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and stem[-1:] == stem[-2:-1] and stem[-1:] not in "lsz" and len(stem) > 3:
                stem = stem[:-1]  # "stopped" -> "stop", but "added" -> "add", "killed" -> "kill"
            return stem
    return w


_MEASURE_ONLY = {"from", "off", "away", "far", "north", "south", "east", "west", "northeast", "northwest",
                 "southeast", "southwest", "below", "beneath", "underground", "deep", "high", "reach", "rise", "peak",
                 "crest"}
# Attributes whose words also name an event or its harm: they say what is measured only for values of the
# attribute's own type (a quake's magnitude is a measure; homes flooded or without power are a count).
_ATTRIBUTE_TYPES = {"magnitude": frozenset({"measure"}), "homes_affected": frozenset({"count"})}
ATTRIBUTE_FAMILY = {"cost": "price", "investment": "price"}


def _key(word: str, vtype: str | None = None) -> str | None:
    """What a word near a figure says is measured: an attribute name, else the word's own stem."""
    lex = _typed_lexicon()
    low = word.lower()
    if low in _SCOPES:
        return None  # "bonus", "initial", "annual": which part of a sum (the scope), not what is measured
    stem = _lemma(low)
    if (low in _MEASURE_ONLY or stem in _MEASURE_ONLY) and vtype != "measure":
        return None  # "reached 94.7%": a level reached, not a water level
    cands = [low, stem, stem + "e"]
    for suffix in ("ed", "ing"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            cands.append(low[: -len(suffix)])  # "killed" -> "kill"
    for cand in cands:
        if cand in lex:
            event_word = False
            for attr, types in lex[cand]:
                types = types or _ATTRIBUTE_TYPES.get(attr)
                if types is None or vtype is None or vtype in types:
                    return attr
                event_word = event_word or attr in _ATTRIBUTE_TYPES
            if event_word or cand in _ONLY_FOR:
                break  # "the earthquake left 48 dead": the event's word, not its magnitude; an ordinary word here
            return None
    if low in _STOP or len(low) < 3 or not low.isalpha():
        return None
    return _stem(re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", low))  # "finalised" = "finalized"


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """The word's stem (Snowball's English stemmer): "cancellation", "cancelled" and "cancel" are one word."""
    return _STEMMER.stemWord(_lemma(word)) if len(word) > 3 else word


@dataclass
class _M:
    """One mention being grouped."""

    article_id: int
    published: str | None
    claim: Claim
    value: Value
    kind: str  # block: "money:EUR", "count", "percent", "measure:m", "duration", "age", "time", "date"
    norm: float | None
    lo: float
    hi: float
    keys: frozenset[str]
    names: frozenset[str]
    scope: frozenset[str]
    periods: frozenset[str]
    count_class: str | None = None
    revised: bool = False
    conversion: bool = False
    primary: "_M | None" = None
    version: int = 0
    order: int = 0
    # An exact or hedged figure is a point known to its written precision or hedge (±tol): two of them agree
    # when one lies within the other's (one rounds to, or is "about", the other), not when their intervals
    # merely touch or overlap ("9:07" / "9:08", "412" / "413", "about 30 miles" / "about 35 miles").
    point: bool = False
    tol: float = 0.0
    surface: dict[str, str] = field(default_factory=dict)
    owner: str | None = None  # "Microsoft Corp., which has already invested $13 billion": whose figure


def _tokens(claim: Claim) -> list[tuple[int, int, str]]:
    return [(claim.start + m.start(), claim.start + m.end(), m.group()) for m in _WORD.finditer(claim.text)]


_SKIP = {"(", ")", "[", "]", "'", "’", "$", "€", "£", "¥", "%"}


def _window(tokens, v: Value, width: int, *, stop_at_clause: bool = True, skip: bool = True) -> tuple[list[str], list[str]]:
    """Words before and after a value, nearest first, within its clause."""
    before, after = [], []
    idx = [i for i, (s, e, _) in enumerate(tokens) if s < v.end and v.start < e]
    if not idx:
        return before, after
    i0, i1 = idx[0], idx[-1]
    for j in range(i0 - 1, -1, -1):
        t = tokens[j][2]
        if stop_at_clause and t in _CLAUSE_BREAK:
            break
        if skip and (t in _SKIP or t[0].isdigit() or t.lower() in ("million", "billion", "m", "bn", "pounds", "euros", "dollars")):
            continue
        before.append(t)
        if len(before) >= width:
            break
    for j in range(i1 + 1, len(tokens)):
        t = tokens[j][2]
        if stop_at_clause and t in _CLAUSE_BREAK:
            break
        if skip and (t in _SKIP or t[0].isdigit() or t.lower() in ("million", "billion", "m", "bn", "pounds", "euros", "dollars")):
            continue
        after.append(t)
        if len(after) >= width:
            break
    return before, after


_RELATIVE = {"which", "who", "whose"}
_COMPANY_SUFFIXES = {"corp", "corporation", "inc", "co", "ltd", "plc", "llc", "group", "sa", "ag", "nv"}


def _antecedent(tokens, v: Value) -> str | None:
    """The name a relative clause holding the figure is about: "Microsoft Corp., which has already invested
    $13 billion", "Nvidia, which invested about $100 million" (a comma, "which" or "who", the figure within
    eight words after it, no other clause break between)."""
    i0 = next((i for i, (s, e, _) in enumerate(tokens) if s < v.end and v.start < e), None)
    if i0 is None:
        return None
    for j in range(i0 - 1, max(-1, i0 - 10), -1):
        t = tokens[j][2]
        if t.lower() in _RELATIVE:
            if j < 2 or tokens[j - 1][2] != ",":
                return None
            words: list[str] = []
            for k in range(j - 2, max(-1, j - 8), -1):
                w = tokens[k][2]
                if w == ".":
                    continue  # "Corp."
                if not w[:1].isupper() or w.lower() in _STOP:
                    break
                words.append(w)
            names = [w.lower().removesuffix("'s").removesuffix("’s") for w in reversed(words)
                     if w.lower() not in _COMPANY_SUFFIXES]
            return " ".join(names[-3:]) or None
        if t in _CLAUSE_BREAK:
            return None
    return None


# People who act in a story: with the word before them ("rescue workers", "health officials") they say who did
# something, not what a figure near them measures.
_AGENT_NOUNS = {"worker", "workers", "official", "officials", "crew", "crews", "team", "teams", "personnel",
                "volunteer", "volunteers", "authorities", "service", "services", "firefighter", "firefighters"}


def _agent_words(tokens, v: Value) -> set[str]:
    """Words of the claim that name an actor ("rescue workers", "aid officials") or a phrasal verb ("cut off"),
    unless the figure counts them itself ("1,500 construction workers")."""
    out: set[str] = set()
    for (s1, _, a), (s2, e2, b) in zip(tokens, tokens[1:]):
        low_a, low_b = a.lower(), b.lower()
        if low_b in _AGENT_NOUNS and a.isalpha() and a.islower() and not (v.start <= s1 < v.end or v.start <= s2 < v.end) \
                and not (v.end <= s1 and s1 - v.end <= 1):
            out |= {low_a, low_b}
        elif low_a == "cut" and low_b in ("off", "short"):
            out.add(low_a)  # "400 people cut off in a hotel": stranded, not jobs cut
    return out


def _names_in(words: Iterable[str]) -> set[str]:
    return {w.lower().removesuffix("'s").removesuffix("’s") for w in words
            if w[:1].isupper() and w.lower() not in _STOP and len(w) > 1}


def _precision(v: Value) -> float:
    """Half the unit of the last significant digit of the figure as written, in the value's units.

    A figure stands for what rounds to it at the precision it is written in: "94.6%" for 94.55..94.65,
    "412" for 411.5..412.5, "2,400" (a round figure) for 2,350..2,450. A round figure stands for at most
    ±3 % (ROUNDING_CAP): "$2 billion" covers $1.95 billion, not $1.5 billion. A figure in words ("six",
    "ten million") has no digits to read a precision from: it gets the cap.
    """
    if v.amount is None:
        return 0.0
    a = abs(v.amount)
    m = re.search(r"\d[\d,]*(?:\.\d+)?", v.text)
    if not m:
        return a * ROUNDING_CAP
    digits = m.group().replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return a * ROUNDING_CAP
    if written == 0:
        return 0.0
    scale = v.amount / written if written else 1.0
    if "." in digits:
        unit = 10 ** -len(digits.split(".")[1])
    else:
        stripped = digits.rstrip("0")
        unit = 10 ** (len(digits) - len(stripped)) if stripped else 1
    half = abs(0.5 * unit * scale)
    return min(half, a * ROUNDING_CAP)


def _interval(v: Value, amount: float, conversion: bool) -> tuple[float, float]:
    a = abs(amount)
    if v.type == "time":
        minute = 1 / 120 if v.unit in (None, "hour", "h") or amount < 25 else 30.0
        if v.bound == AT_LEAST:
            return amount, amount + 12 * minute * 60
        if v.bound == AT_MOST:
            return amount - 12 * minute * 60, amount
        if v.bound == APPROX:
            return amount - 10 * minute, amount + 10 * minute
        if minute < 1 and not re.search(r"\d[:.h]?\d\d", v.text):
            minute = 0.25  # "9 p.m.", written to the hour: a round figure for the quarter hour around it
        return amount - minute, amount + minute
    tol = _precision(v)
    if v.amount and v.amount != amount:  # amount in another unit than written
        tol = tol * abs(amount / v.amount)
    if conversion:  # "about $63 million" after "£50 million": the "about" is the rate's, covered here
        tol = max(tol, a * CONVERSION_TOLERANCE)
        if v.bound in (EXACT, APPROX):
            return amount - tol, amount + tol
    if v.bound == APPROX:
        return amount - max(tol, a * APPROX_TOLERANCE), amount + max(tol, a * APPROX_TOLERANCE)
    # An open bound is read as near its figure: "more than 2,000" agrees with 2,300, not with 15,000;
    # "up to 20" is not a confirmation of 10.
    if v.bound == AT_LEAST:
        return amount - tol, (amount * OPEN_BOUND_SPAN if amount > 0 else math.inf)
    if v.bound == AT_MOST:
        return (amount / OPEN_BOUND_SPAN * 1.1 if amount > 0 else -math.inf), amount + tol
    return amount - tol, amount + tol


_BARE_WEEKDAY = re.compile(r"(?:(?:on|last|this|next|from|since|by|until)\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
                           r"(?:\s+(?:morning|afternoon|evening|night))?", re.I)


def _shift_day(day: float, by: int) -> float:
    """A day written yyyymmdd moved by whole days."""
    if not math.isfinite(day):
        return day
    d = int(day)
    try:
        moved = datetime.date(d // 10000, d // 100 % 100, d % 100) + datetime.timedelta(days=by)
    except ValueError:
        return day
    return moved.year * 10000 + moved.month * 100 + moved.day


def _date_interval(v: Value) -> tuple[float, float]:
    d = (v.date or "")[:10]
    parts = d.split("-")
    try:
        y = int(parts[0])
        mo = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return -math.inf, math.inf
    lo = y * 10000 + (mo or 1) * 100 + (day or 1)
    hi = y * 10000 + (mo or 12) * 100 + (day or 31)
    if v.bound == AT_LEAST:
        hi = math.inf
    elif v.bound == AT_MOST:
        lo = -math.inf
    return lo, hi


# North American zones written without "standard" or "daylight" ("8:25 a.m. ET"): which one the article's
# date falls in decides the offset (daylight time from the second Sunday of March to the first of November).
_US_ZONES = {"ET": (-5, -4), "CT": (-6, -5), "MT": (-7, -6), "PT": (-8, -7)}


def _zone_offset(zone: str, published: str | None) -> float | None:
    if zone in ZONE_OFFSETS:
        return ZONE_OFFSETS[zone]
    if zone in _US_ZONES and published and re.match(r"\d{4}-\d{2}-\d{2}", published):
        y, mth, d = int(published[:4]), int(published[5:7]), int(published[8:10])
        try:
            day = datetime.date(y, mth, d)
        except ValueError:
            return None
        march = datetime.date(y, 3, 1)
        start = march + datetime.timedelta(days=(6 - march.weekday()) % 7 + 7)  # second Sunday of March
        november = datetime.date(y, 11, 1)
        end = november + datetime.timedelta(days=(6 - november.weekday()) % 7)  # first Sunday of November
        standard, daylight = _US_ZONES[zone]
        return daylight if start <= day < end else standard
    return None


def _kind(v: Value, published: str | None = None) -> tuple[str, float | None] | None:
    if v.type == "money" and v.unit and v.amount is not None:
        return f"money:{v.unit}", v.amount
    if v.type == "percent" and v.amount is not None:
        return f"percent:{v.unit or '%'}", v.amount
    if v.type == "count" and v.amount is not None:
        return "count", v.amount
    if v.type == "measure" and v.amount is not None:
        return f"measure:{v.unit}", v.amount
    if v.type == "duration" and v.unit in _DURATION_DAYS and v.amount is not None:
        return "duration", v.amount * _DURATION_DAYS[v.unit]
    if v.type == "age" and v.unit in _AGE_MONTHS and v.amount is not None:
        return "age", v.amount * _AGE_MONTHS[v.unit]
    if v.type == "time" and v.amount is not None:
        # The reader gives the zone as the unit ("GMT", "EDT"; "hour" when none is written): times in two
        # different zones are not one clock reading, so they are never set against each other.
        # A zone with a fixed offset is read in UTC ("22:00 GMT" = "18:00 EDT").
        zone = v.unit if v.unit and v.unit not in ("hour", "h") else ""
        offset = _zone_offset(zone, published) if zone else None
        if offset is not None:
            return "time:UTC", (v.amount - offset) % 24
        return f"time:{zone}", v.amount
    if v.type == "date" and v.date and re.match(r"\d{4}", v.date):
        return "date", None
    return None


def _same_class(a: str | None, b: str | None) -> bool:
    """The same counted noun, or one a compound of the other ("gunshots" / "shots", "airplanes" / "planes":
    the head of an English compound is its last part)."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.endswith(short) and " " not in long_


def _count_class(v: Value) -> str | None:
    unit = (v.unit or "").lower()
    if "basis" in v.text.lower():
        return "basis point"
    if unit in _GENERIC_COUNT_UNITS:
        return None
    if unit in _COUNT_CLASSES:
        return _COUNT_CLASSES[unit]
    if re.search(r"(?:ing|ed)$", unit) and unit not in _PERSON_NOUNS \
            and not re.search(rf"\b{re.escape(unit)}s\b", v.text.lower()):  # "27 buildings": a plural noun
        return None  # "200 million watched", "120.0 million watching": a verb, not what is counted
    return unit


_SUBORDINATORS = {"after", "before", "since", "while", "when", "although", "though", "despite", "following", "as",
                  "because", "once", "until", "if", "unless", "whereas", "having", "with"}
_YEAR_WHEN = re.compile(r"\b((?:19|20)\d{2}),?\s+when\b[^.;:!?]*$")


def _periods(claim: Claim, tokens, v: Value, article_year: str | None) -> frozenset[str]:
    """Years and seasons the words near a figure put it in ("last season", "in 2019", "in two years")."""
    before, after = _window(tokens, v, PERIOD_WINDOW, skip=False)
    # A sentence's opening phrase frames all its figures ("Last season, he scored 19 goals in 54 games").
    lead = claim.text.split(",", 1)[0] if "," in claim.text[: v.start - claim.start] else ""
    # (not a clause of its own: "After sustaining a 23-year high for over a year, the Fed cut ..." says how long
    # the high lasted, not when the cut's figures are)
    if len(lead.split()) <= 9 and lead.split()[:1] and lead.split()[0].lower() not in _SUBORDINATORS:
        before = before + list(reversed(lead.split()))
    for i, w in enumerate(after):
        if w.lower() in ("since", "after", "before", "until", "when", "who", "which"):
            after = after[:i]  # "worth $2 billion since its founding last year": the year of another event
            break
    for i, w in enumerate(before):
        if w.lower() in ("since", "until", "who", "which", "when"):
            before = before[:i]
            break
    near = " ".join(reversed(before)) + " " + v.text + " " + " ".join(after)
    out = set()
    # "the strongest since 2004, when a magnitude 6.8 tremor killed 120 people": the clause is that year's
    when = _YEAR_WHEN.search(claim.text, 0, v.start - claim.start)
    if when and when.group(1) != article_year:
        out.add(when.group(1))
    for m in _PERIOD_WORDS.finditer(near):
        if m.group(1):
            rel, unit = m.group(1).lower(), m.group(2).lower()
            if unit == "year" and article_year and article_year.isdigit() and rel in ("last", "next"):
                # "at the end of last year" in a 2024 article is 2023, as another article may write it
                # ("this year" stays a period of its own: it may frame a figure another article gives for longer)
                out.add(str(int(article_year) + (1 if rel == "next" else -1)))
                continue
            out.add(f"{rel} {unit}")
        elif m.group(3):
            n = _NUMBER_WORDS.get(m.group(3).lower()) or (int(m.group(3)) if m.group(3).isdigit() else None)
            pre = near[max(0, m.start() - 12):m.start()].lower().split()
            post = near[m.end():m.end() + 12].lower().split()
            framed = (pre and pre[-1] in ("in", "during", "over", "across", "within", "his", "her", "their"))\
                or (post and post[0] in ("stint", "spell", "span", "period", "career"))
            if n and framed and m.group(0) != v.text and m.group(0) not in v.text and v.text not in m.group(0):
                out.add(f"span {n}")
        elif m.group(4):
            y = m.group(4)
            pre = near[max(0, m.start() - 7):m.start()].lower()
            if "since" in pre or "until" in pre or y in v.text:
                continue
            if y != article_year:
                out.add(y)
    return frozenset(out)


# "in" and a name after a figure, with at most three lower-case words between and no clause break: the place
# (or body) the figure is counted in ("32 deaths were confirmed in Wajima", "22 in Suzu").
_PLACE_AFTER = re.compile(r"(?:\s+[a-z][a-z'’-]*){0,3}?\s+in\s+(?:the\s+)?([A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)*)")
_NOT_PLACES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
               "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "spring", "summer", "autumn", "fall", "winter", "total", "all"}
_CLAUSE_WORDS = {"and", "but", "or", "while", "whereas", "who", "which", "where", "when", "that", "after",
                 "before", "since", "than", "as", "from", "to", "of"}


def _place_after(claim: Claim, v: Value) -> str | None:
    """The place a figure is counted in, when the words right after it name one ("in Wajima")."""
    m = _PLACE_AFTER.match(claim.text, v.end - claim.start)
    if not m:
        return None
    between = claim.text[v.end - claim.start:m.start(1)].split()[:-1]
    if any(w.lower() in _CLAUSE_WORDS for w in between):
        return None  # "killed 30 people and injured 12 in Suzu": the place belongs to the later clause
    name = m.group(1)
    first = name.split()[0].lower()
    if first in _NOT_PLACES or re.fullmatch(r"[QH]\d|FY\d*", name.split()[0]):
        return None  # "in January", "in Q2": a time, not a place
    return "in:" + name.lower()


def _mentions(claims: Iterable[Claim], articles: dict[int, Article]) -> list[_M]:
    out: list[_M] = []
    order = 0
    lower_words: dict[int, frozenset[str]] = {}
    for claim in claims:
        if claim.status == REJECTED:
            continue
        art = articles.get(claim.article_id)
        published = art.published if art else None
        year = published[:4] if published else None
        tokens = _tokens(claim)
        # Words that open a sentence are capitalised without being names: one the article also writes in
        # lower case ("Turnout was 94.6%" ... "the turnout") is a common word.
        initial = {t for i, (_, _, t) in enumerate(tokens) if t[:1].isupper()
                   and (i == 0 or tokens[i - 1][2] in (".", "!", "?", '"', "“", ":"))}
        if initial:
            if claim.article_id not in lower_words:
                text = art.text if art and art.text else claim.text
                lower_words[claim.article_id] = frozenset(re.findall(r"\b[a-z][a-z'-]+", text))
            common = {t for t in initial if t.lower() in lower_words[claim.article_id]}
        else:
            common = set()
        by_span: list[_M] = []
        for v in sorted(claim.values, key=lambda x: x.start):
            if is_match_minute(v, claim.text[v.end - claim.start:]):
                k = ("minute", v.amount)  # "in the 87th minute", "Oyarzabal 87'": a time in a match, in minutes
            elif v.type not in ("money", "count", "percent", "measure", "duration", "age", "time", "date"):
                continue
            elif v.type == "date" and (not v.date or len(v.date) < 4):
                continue
            elif v.type == "date" and _BARE_WEEKDAY.fullmatch(v.text.strip()):
                continue  # "officials said on Monday", "air left on Tuesday": when a report or a reading was made
            else:
                k = _kind(v, published)
            if k is None:
                continue
            rate = _RATE_AFTER.match(claim.text[v.end - claim.start:])
            per = None
            if rate and v.type == "money":
                # "15 million euros per year", "£12.8m (€15m) a year", "€15 million net per season": a salary or
                # a fee for a span of time, one fact however the span is written
                per = _RATE_SPANS.get(rate.group(1).lower(), rate.group(1).lower())
            elif rate:
                continue  # "115 miles per hour": a rate the reader took for a distance
            kind, norm = k
            if v.high is not None and v.amount and abs(v.high / v.amount) > 10:
                continue  # "by over $110 billion to $3.335 trillion": a change and a level, not one range
            count_class = _count_class(v) if v.type == "count" else None
            if count_class in ("percent", "per cent", "percentage"):
                kind, count_class = "percent:%", None  # "a seven-percent increase": a percentage
            if count_class in _BASIS_POINTS:
                # "50 basis points", "50-bps": a hundredth of a percentage point, one family with "half a
                # percentage point"
                kind, norm, count_class = "percent:pp", norm / 100, None
            before, after = _window(tokens, v, WINDOW)
            keys = set()
            surface: dict[str, str] = {}  # a key (a word's stem) -> the word as the text writes it, for labels
            unit_lemma = _lemma(v.unit) if v.type == "count" and v.unit else None
            agents = _agent_words(tokens, v)
            for w in before + after:
                if unit_lemma and _lemma(w) == unit_lemma:
                    continue  # the counted noun itself ("six construction [workers]") is the class, not a key
                if w.lower() in agents:
                    continue  # "rescue workers reached 400 people": who acted, not what is counted
                if w[:1].isupper() and w.lower() not in _SCOPES:
                    if w not in common:
                        continue  # a name says whose, not what
                    w = w.lower()  # "Turnout was 94.6%": a common word that opens the sentence
                for part in sorted({w, *w.split("-")}) if "-" in w else (w,):
                    k2 = _key(part, v.type)
                    if k2:
                        keys.add(k2)
                        surface.setdefault(k2, part.lower())
            tail = re.match(r"[-A-Za-z]*", claim.text[v.end - claim.start:]).group()
            for part in tail.split("-"):  # "50-foot[-deep]": what the figure measures, glued to it
                k2 = _key(part, v.type) if part else None
                if k2:
                    keys.add(k2)
                    surface.setdefault(k2, part.lower())
            if v.type == "age":
                keys.add("@age")  # an age in a story is a person's age: the same figure agrees
            words_in_value = [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", v.text)]
            scope = {_SCOPES[w.lower()] for w in before[:3] + after[:SCOPE_AFTER] + words_in_value
                     if w.lower() in _SCOPES and _SCOPES[w.lower()]
                     and not (w.lower() == "per" and w in words_in_value)}  # "miles per hour": the unit
            # (A quake's magnitude is one figure wherever the copy says it struck: "a 7.4 magnitude earthquake in
            # Taiwan" names the event's place, not a part of a whole.)
            place = _place_after(claim, v) if v.type in ("count", "money", "percent", "measure") \
                and kind != "measure:magnitude" else None
            if place:
                scope.add(place)  # "32 deaths were confirmed in Wajima": one place's part of a toll
            if v.type == "time":
                scope.discard("local")  # "4:52 p.m. local time": the clock's zone, not a part of a whole
            if per:
                scope.discard("rate")
                scope.add(per)
            if v.type == "percent" and re.search(r"\bper\s*cent", claim.text[v.start - claim.start:v.end - claim.start + 8], re.I):
                scope.discard("rate")  # "half a per cent": the unit, not "per" of a rate
            # "fell $25.16 to $233.65": the first figure is the change, the second the level reached
            raw_before = [t for st, _, t in tokens if st < v.start and t not in _SKIP and not t[0].isdigit()][-4:]
            prev = raw_before[-1].lower() if raw_before else ""
            by_agent = prev == "by" and len(raw_before) > 1 and raw_before[-2].lower().endswith("ed") \
                and raw_before[-2].lower() not in _CHANGE_VERBS | _BY_CHANGE
            # "rejected the contract by 94.2%", "approved by 60 votes": a vote's margin, not a change
            by_vote = prev == "by" and any(_lemma(w) in _VOTE_VERBS for w in raw_before[:-1])
            if prev in _CHANGE_VERBS or (prev == "by" and not by_agent and not by_vote):  # "followed by 22": who
                scope.add("change")
            elif prev in ("to", "at") and any(w.lower() in _CHANGE_VERBS for w in raw_before[:-1]):
                scope.add("level")
            near_before = " ".join(reversed(before))
            revision = _REVISION.search(near_before)
            if revision and revision.group(1).lower() == "rejected" and (by_vote or "vote" in near_before.lower()):
                revision = None  # "rejected the contract by 94.2%": the vote's own word, not a figure withdrawn
            revised = bool(revision) or v.changing
            owner = _antecedent(tokens, v)
            names = _names_in(before + after) | set((v.subject or "").lower().split()) | set((owner or "").split())
            if v.rule == RULE_MINUTE_MARK and before:
                # "Williams 47', Oyarzabal 87'": the minute is the scorer's, the name right before it
                owner = before[0].lower()
                names = frozenset({owner})
            if v.type == "date":
                lo, hi = _date_interval(v)
                if v.bound == EXACT and len(v.date) >= 10 and any(x.type == "time" for x in claim.values):
                    # "at 22:00 GMT on Monday" and "at 1:11 a.m. local time on Tuesday": a day told with a time of
                    # day may be the next or the last in another zone
                    lo, hi = _shift_day(lo, -1), _shift_day(hi, 1)
                kind = f"date:{v.date[:4]}"
            else:
                lo, hi = _interval(v, norm, v.role == ROLE_CONVERSION)
                if v.high is not None and v.amount and norm is not None and v.high > v.amount:
                    # a range ("3-5%", "$10 to $15 million"): any figure between its ends agrees with it
                    _, hi = _interval(v, v.high * norm / v.amount, v.role == ROLE_CONVERSION)
            periods = _periods(claim, tokens, v, year)
            if v.type == "duration":
                days = {w.lower() for w in re.findall(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", claim.text)}
                if len(days) == 1:
                    # "41 hours of air left on Tuesday" / "about 70 hours on Monday": a span that runs down is
                    # told for a day; two days are two moments
                    periods = periods | {"on " + days.pop()}
            m = _M(claim.article_id, published, claim, v, kind, norm, lo, hi, frozenset(keys),
                   frozenset(names), frozenset(scope), periods, count_class,
                   revised, v.role == ROLE_CONVERSION, order=order, surface=surface, owner=owner)
            if v.type != "date" and norm is not None and v.bound in (EXACT, APPROX) \
                    and (v.high is None or not v.amount or v.high <= v.amount):
                m.point, m.tol = True, (hi - lo) / 2
            order += 1
            by_span.append(m)
        # "about 30 miles (50 km)": a measure restated in brackets in another unit is a conversion the
        # article gives, as "€1.8 billion ($1.95 billion)" is for money.
        for prev, m in zip(by_span, by_span[1:]):
            if m.kind.startswith("measure:") and m.kind == prev.kind and not prev.conversion \
                    and re.fullmatch(r"\s*[(\[]\s*", claim.text[prev.value.end - claim.start:m.value.start - claim.start]) \
                    and _written_unit(m.value) != _written_unit(prev.value) and prev.norm and m.norm \
                    and abs(m.norm / prev.norm - 1) <= 2 * CONVERSION_TOLERANCE:
                m.conversion = True
                m.point = False
                m.lo, m.hi = _interval(m.value, m.norm, True)
        # A conversion restates its primary: it measures what the primary measures.
        for i, m in enumerate(by_span):
            if m.conversion and m.kind.startswith(("money:", "measure:")):
                fam = m.kind.split(":")[0] + ":"
                prim = next((p for p in reversed(by_span[:i]) if not p.conversion and p.kind.startswith(fam)), None)
                if prim is not None:
                    m.primary = prim
                    m.keys = m.keys | prim.keys
                    m.scope = m.scope | prim.scope
                    m.periods = m.periods | prim.periods
                    m.names = m.names | prim.names
                    m.revised = m.revised or prim.revised
                    prim.scope = m.scope
                    prim.keys = m.keys
        out.extend(by_span)
    return out


def _drop_odd_conversions(ms: list[_M]) -> list[_M]:
    """'$' is not always US dollars: an article whose own rate is far off the others' uses another currency."""
    rates: dict[tuple[str, str], list[tuple[_M, float]]] = defaultdict(list)
    for m in ms:
        if m.primary is not None and m.primary.norm and m.norm:
            rates[(m.primary.kind, m.kind)].append((m, m.norm / m.primary.norm))
    odd: set[int] = set()
    for pair, rs in rates.items():
        arts = {m.article_id for m, _ in rs}
        if len(arts) < 2:
            continue
        values = sorted(r for _, r in rs)
        median = values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
        for m, r in rs:
            if abs(r / median - 1) > RATE_OUTLIER:
                odd.add(id(m))
        if len(values) == 2 and abs(values[0] / values[1] - 1) > RATE_OUTLIER:
            odd.update(id(m) for m, _ in rs)  # two rates that disagree: neither can be trusted
    return [m for m in ms if id(m) not in odd]


# -- grouping -------------------------------------------------------------------------------------


class _Group:
    __slots__ = ("mentions", "keys", "core", "names", "subjects", "subject_words", "owners", "scope", "periods", "count_class", "kind", "articles",
                 "reps")

    def __init__(self, m: _M):
        self.mentions: list[_M] = []
        self.keys: dict[str, int] = defaultdict(int)
        self.names: set[str] = set()
        self.subjects: set[str] = set()
        self.subject_words: set[str] = set()
        self.owners: set[str] = set()
        self.scope: set[str] = set()
        self.periods: set[str] = set()
        self.count_class = m.count_class
        self.kind = m.kind
        self.articles: dict[int, list[_M]] = defaultdict(list)
        self.reps: dict[tuple, _M] = {}  # one mention per distinct figure: most facts repeat a few figures
        self.add(m)

    def add(self, m: _M) -> None:
        self.mentions.append(m)
        if len(self.mentions) == 1:
            self.core = set(m.keys)
        elif m.article_id in self.articles:  # another figure of an article already in: what it adds counts
            pass
        else:
            self.core = self.core & m.keys
        for k in m.keys:
            self.keys[k] += 1
        self.names |= m.names
        if m.value.subject:
            self.subjects.add(m.value.subject.lower())
            self.subject_words.update(m.value.subject.lower().split())
        if m.owner:
            self.owners.add(m.owner)
        self.scope |= m.scope
        self.periods |= m.periods
        self.count_class = self.count_class or m.count_class
        self.articles[m.article_id].append(m)
        self.reps.setdefault((m.lo, m.hi, m.norm, m.value.bound, m.scope, m.periods, m.count_class), m)


def _agree(a: _M, b: _M) -> bool:
    """Both figures can be true at once. Two exact or hedged figures: one is within the other's precision or
    hedge (the coarser one decides: "2,400" covers 2,412, "about 1:30 a.m." covers 1:27; "94.6%" and "94.7%"
    are two figures, and so are "about 30" and "about 35"). Bounds and ranges are intervals, and agree
    when the intervals meet."""
    if a.point and b.point:
        d = a.norm - b.norm
        t = (a.tol if a.tol > b.tol else b.tol) * (1 + 1e-9) + 1e-12 * (abs(a.norm) + 1)
        return -t <= d <= t
    return a.lo <= b.hi and b.lo <= a.hi


def _rounds_to(exact: _M, bound: _M) -> bool:
    """An exact figure that the bound's own figure is, rounded at the bound's written precision ("$35.9
    billion" and "nearly $36 billion", "140,473" and "more than 140,000")."""
    if exact.value.bound != EXACT or not exact.point or exact.norm is None or bound.norm is None \
            or not bound.value.amount:
        return False
    unit = abs(bound.norm / bound.value.amount)
    return abs(exact.norm - bound.norm) <= _precision(bound.value) * unit * (1 + 1e-9)


def _same_figure(a: _M, b: _M) -> bool:
    """Two figures of one article are one figure repeated: an article that writes "123.4 million" and
    "120 million" gives two figures, even though the rounder one could stand for the other."""
    if a.norm is None or b.norm is None:
        return True
    if a.point and b.point and not (a.conversion or b.conversion):
        return abs(a.norm - b.norm) <= min(a.tol, b.tol) * (1 + 1e-9) + 1e-12 * max(abs(a.norm), 1)
    if a.value.bound in (AT_LEAST, AT_MOST) or b.value.bound in (AT_LEAST, AT_MOST):
        return abs(a.norm - b.norm) <= max(_precision(a.value), _precision(b.value), 1e-9) * 1.01 \
            or a.conversion or b.conversion
    return True


def _different_subject(m: _M, g: _Group) -> bool:
    subj = (m.value.subject or "").lower()
    if not subj or not g.subjects or subj in g.subjects:
        return False
    words = set(subj.split())
    if words & g.subject_words or words & g.names:
        return False
    return not (g.subject_words & m.names)


def _player(m: _M) -> set[str]:
    """Whose minute: the scorer written before a minute mark, or the last word of the sentence's subject."""
    if m.owner:
        return {m.owner}
    return {m.value.subject.lower().split()[-1]} if m.value.subject else set()


def _different_owner(m: _M, g: _Group) -> bool:
    """Both sides name whose figure it is in a relative clause, and the names differ ("Microsoft, which has
    invested $13 billion" / "Nvidia, which invested about $100 million"). A clause may hang on a place
    ("bound for Ontario, California, which took off at 5:07 p.m."), so one side's owner alone says nothing."""
    if not m.owner or not g.owners:
        return False
    words = set(m.owner.split())
    return not any(words & set(o.split()) for o in g.owners)


def _scope_of(scope, other_names) -> frozenset[str]:
    """A scope with the places the other side names beside its own figure left out: "5.2 metres in Skelby"
    and "5.8 metres at Skelby" are one place's level; "32 deaths in Wajima" and a toll with no place are not."""
    return frozenset(s for s in scope if not (s.startswith("in:") and set(s[3:].split()) <= other_names))


def _same_scope(m: _M, g: _Group) -> bool:
    return _scope_of(m.scope, g.names) == _scope_of(frozenset(g.scope), m.names)


def _fits(m: _M, g: _Group) -> bool:
    """Nothing sets the mention apart from the fact."""
    if m.kind != g.kind:
        return False
    if m.count_class and g.count_class and not _same_class(m.count_class, g.count_class):
        people = _PERSON_NOUNS | {"job", "staff", "person"}
        if not (m.count_class in people and g.count_class in people):
            return False  # (people of different kinds may agree; only the same noun is set against itself)
    if m.scope and g.scope and not _same_scope(m, g) and not any(_identical(m, o) for o in g.reps.values()):
        return False  # an unscoped figure may be any part; a scoped one only its own part
    if m.periods and g.periods and not (m.periods & g.periods) and not any(_identical(m, o) for o in g.reps.values()):
        return False
    same_article = g.articles.get(m.article_id)
    if same_article and not all(_agree(m, o) and _same_figure(m, o) for o in same_article):
        return False  # an article repeats its own figure: two figures there are two facts
    return True


def _sure_same(m: _M, g: _Group) -> bool:
    """Strong enough to set two different figures against each other: every signal agrees."""
    if not _same_scope(m, g) or m.periods != g.periods or _different_subject(m, g) or _different_owner(m, g):
        return False
    if m.kind == "count" or m.kind.startswith("time") or m.kind.startswith("date"):
        if m.kind == "count" and not _same_class(m.count_class, g.count_class):
            return False
    if m.kind == "duration" and any(o.value.unit != m.value.unit for o in g.mentions):
        return False  # "14 months" vs "a 40-year high": not one span of time told two ways
    if m.kind.startswith("measure") and any(_written_unit(o.value) != _written_unit(m.value) for o in g.mentions
                                            if not o.conversion):
        return False  # "25 feet" under water vs "two miles" south: copy gives one distance in one unit
    return any(_sure_pair(m, o) for o in g.mentions if o.article_id != m.article_id)


# A measure's unit already says what kind of thing it is: every figure in km/h is a speed, so "speed" (from
# "winds", "gusts") does not say two of them are the same speed (sustained winds vs a gust vs a design limit).
# (Lengths keep "distance": it sets "40 km west of" a place apart from a depth or a water level.)
_DIMENSION_ATTRS = {"km/h": {"speed"}, "m/s": {"speed"}, "mph": {"speed"}, "kn": {"speed"},
                    "degC": {"temperature"}, "degF": {"temperature"}, "K": {"temperature"}}


def _named_for(kind: str) -> frozenset[str]:
    """The attribute names that tell two figures of this kind apart."""
    if kind.startswith("measure:"):
        return _NAMED() - _DIMENSION_ATTRS.get(kind.split(":", 1)[1], set())
    return _NAMED()


def _sure_pair(m: _M, o: _M) -> bool:
    """The words near two figures say they measure one thing (the group's separators are checked already)."""
    if m.kind == "minute" and (_player(m) & o.names or _player(o) & m.names):
        return True  # a minute of a match is a goal's (or a card's) by its player: the scorer named beside both
    named = _named_for(m.kind)
    named_m, named_o = m.keys & named, o.keys & named
    if named_m and named_o and not (named_m & named_o):
        return False  # "six workers dead" vs a crew of eight: what each measures is named, and differs
    if _twin(m, o) or _sole_count(m, o):
        return True
    if (named_m or named_o) and not (named_m & named_o):
        return False  # one is named and the other is not: the words do not say they are one
    shared_all = m.keys & o.keys
    near = 1 if _close(m, o) else 0
    if m.kind == "count":
        if m.norm and o.norm and not (1 / MAX_VERSION_RATIO <= abs(m.norm / o.norm) <= MAX_VERSION_RATIO):
            # "six people" plucked from a mine and "more than 700 people" trapped: counts of different sizes
            # are one count only when a named attribute says so
            return any(k in named for k in shared_all)
        # the same counted noun, a word for what is counted in common, the same scope and period
        return bool(shared_all)
    # A word that an article uses for two different figures does not say which one a figure is.
    sc = "/" + sorted(m.scope)[0] if m.scope else ""
    shared = [k for k in shared_all if (m.article_id, _unit_kind(m), k + sc) not in _AMBIGUOUS
              and (o.article_id, _unit_kind(o), k + sc) not in _AMBIGUOUS]
    # Both "the level reached" ("fell ... to $233.65"): a level on a day is one fact. A change ("fell 9.7%")
    # depends on the window it is measured over (close, intraday low, since the outage), so it earns nothing.
    same_part = 1 if m.scope == o.scope == {"level"} else 0
    if m.norm and o.norm and not (1 / MAX_VERSION_RATIO <= abs(m.norm / o.norm) <= MAX_VERSION_RATIO):
        # figures of different sizes ($135.58 a share, $3.3 trillion in all) are one thing only when the
        # same named attribute says so ("an investment of 15 million euros" / "two billion euros")
        return any(k in named for k in shared)
    return any(k in named for k in shared) or len(shared) + same_part + near >= 2 or (
        bool(shared) and any(k in named for k in shared_all))


MAX_VERSION_RATIO = 5.0  # two versions of one figure are of one size: 135 and 3.3 trillion are two things
CLOSE = 0.05  # two exact figures this near ("94.6%" / "94.7%", "412" / "413") are one figure told twice
CLOSE_TIME = 0.25  # hours: "9:07 p.m." / "9:08 p.m."


def _close(m: _M, o: _M) -> bool:
    """Two figures so near each other that, with a word for what is measured in common, they are one
    figure stated twice (and if they differ, a conflict), rather than two things that happen to share a word."""
    if m.norm is None or o.norm is None or not (m.point and o.point):
        return False
    if m.kind.startswith("time"):
        d = abs(m.norm - o.norm)
        return min(d, 24 - d) <= CLOSE_TIME
    return abs(m.norm - o.norm) <= CLOSE * max(abs(m.norm), abs(o.norm))


def _significant(v: Value) -> int:
    """Significant digits of the figure as written ("948" 3, "2,400" 2, "94.6" 3)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", v.text)
    if not m:
        return 0
    digits = m.group().replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.strip("0"))


SOLE_RATIO = 1.5  # two sole counts of one noun this near may be one count told two ways ("15,000" / "18,000 jobs")


def _sole_count(m: _M, o: _M) -> bool:
    """Each article counts this noun once (figures that agree with it aside), the noun is specific (not a plain
    "people"), the counts are of nearly one size and at least one is an estimate ("around 15,000 jobs"): what
    else could the two articles be counting? (Two exact figures that differ, "120.0 million viewers" and
    "123.3 million viewers", are more often two measures of one noun: on one channel, on all platforms.)"""
    if EXACT == m.value.bound == o.value.bound:
        return False
    cls = m.count_class
    if not cls or cls in _GENERIC_COUNT_UNITS or cls in ("person", "people") or not _same_class(cls, o.count_class):
        return False
    if not (m.norm and o.norm) or max(m.norm, o.norm) > SOLE_RATIO * min(m.norm, o.norm):
        return False
    for x in (m, o):
        if any(z is not x and not z.conversion and _same_class(z.count_class, cls) and not _agree(z, x)
               for z in _SAME_KIND.get((x.article_id, x.kind), ())):
            return False
    return True


def _twin(m: _M, o: _M) -> bool:
    """Two distinctive figures (three significant digits or more) of one sum or measure, in the same
    written unit, a few per cent apart ("948-foot" / "984 feet" of one ship): one figure told twice even
    when no word beside them is shared. Round figures, counts, percentages and times do not qualify: a
    story has many of them for different things."""
    if m.kind != o.kind or m.norm == o.norm:
        return False
    if m.kind == "count":
        # counts only of one specific noun, next to one name ("412 seats" / "411 seats" for Labour)
        if not (m.count_class and _same_class(m.count_class, o.count_class) and m.count_class not in ("person", "people")
                and m.names & o.names):
            return False
    elif not m.kind.startswith(("money:", "measure:")):
        return False
    if not _close(m, o) or _significant(m.value) < 3 or _significant(o.value) < 3:
        return False
    if (m.scope | o.scope) & {"level", "change"}:
        return False  # "fell ... to $228.83": a level in a series that moves; close levels are the series
    if m.kind.startswith("measure:") and _written_unit(m.value) != _written_unit(o.value):
        return False
    # Each must be the other's only near figure: an article that lists several close figures (three
    # companies worth $3.27, $3.32 and $3.34 trillion) gives no way to tell which one a twin would be.
    for x, y in ((m, o), (o, m)):
        if any(z is not x and not z.conversion and _close(z, y) for z in _SAME_KIND.get((x.article_id, x.kind), ())):
            return False
    return True


_UNIT_WORDS = {"feet": "ft", "foot": "ft", "ft": "ft", "mile": "mi", "miles": "mi", "mi": "mi", "km": "km",
               "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km", "m": "m",
               "metre": "m", "metres": "m", "meter": "m", "meters": "m", "mm": "mm", "millimetre": "mm",
               "millimetres": "mm", "millimeter": "mm", "millimeters": "mm", "cm": "cm", "centimetre": "cm",
               "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "inch": "in", "inches": "in",
               "yard": "yd", "yards": "yd", "yd": "yd", "kg": "kg", "kilogram": "kg", "kilograms": "kg",
               "kilo": "kg", "kilos": "kg", "g": "g", "gram": "g", "grams": "g", "lb": "lb", "lbs": "lb",
               "tonne": "t", "tonnes": "t", "ton": "ton", "tons": "ton", "l": "l", "litre": "l", "litres": "l",
               "liter": "l", "liters": "l", "ml": "ml", "millilitre": "ml", "millilitres": "ml",
               "gallon": "gal", "gallons": "gal"}


def _unit_kind(m: "_M") -> str:
    """The kind a figure is compared in, with the unit the copy wrote for a measure: the reader gives all
    lengths in metres, but an article that writes "4.1 metres" of river and "80mm" of rain gives two things."""
    return f"{m.kind}|{_written_unit(m.value)}" if m.kind.startswith("measure") else m.kind


def _written_unit(v: Value) -> str:
    for w in re.findall(r"[A-Za-z]+", v.text):
        if w.lower() in _UNIT_WORDS:
            return _UNIT_WORDS[w.lower()]
    return v.unit or ""


def _nested(x: frozenset[str], y: frozenset[str]) -> bool:
    return x <= y or y <= x


def _identical(a: _M, b: _M) -> bool:
    """The same distinctive figure stated the same way in two articles ("at 1:24 a.m.", "115.1 million")."""
    if a.kind != b.kind or a.norm is None or b.norm is None or a.value.bound != b.value.bound:
        return False
    distinctive = _significant(a.value) >= 4
    if (a.scope != b.scope or a.periods != b.periods) and not (
            distinctive and _nested(a.scope, b.scope) and _nested(a.periods, b.periods)):
        # "€1.8 billion" in all and an "additional €1.8 billion" are two things; "the previous record of
        # 115.1 million" and "last year's record of 115.1 million" are one (a figure of four significant
        # digits, one description within the other)
        return False
    if a.value.high is not None and b.value.high is not None and a.value.amount and b.value.amount:
        # a range is two figures that coincide ("4.75 to 5.00 percent" / "4.75%-5%"): distinctive of any kind
        ha, hb = a.value.high * a.norm / a.value.amount, b.value.high * b.norm / b.value.amount
        return abs(a.norm - b.norm) <= 1e-9 * max(abs(a.norm), 1) and abs(ha - hb) <= 1e-9 * max(abs(ha), 1)
    if a.kind.startswith(("percent", "date", "duration", "age")):
        return False  # "2%" of one thing and "2%" of another are common; dates and spans have their own keys
    if a.kind == "count" and not _same_class(a.count_class, b.count_class) and not (
            distinctive and not (a.count_class and b.count_class)):
        return False
    if abs(a.norm - b.norm) > 1e-9 * max(abs(a.norm), 1):
        return False
    if a.kind.startswith("time"):
        return True
    digits = re.sub(r"\D", "", re.search(r"\d[\d,.]*", a.value.text).group()) if re.search(r"\d", a.value.text) else ""
    return len(digits.strip("0")) >= 2


def _lone_same(a: _M, b: _M) -> bool:
    """The same figure in the same unit ("6 acres" / "six acres"), and each article's only figure of that unit
    (or counted noun): a story that gives one area in acres gives it for one thing."""
    if a.kind != b.kind or a.norm is None or b.norm is None or a.value.bound != b.value.bound \
            or abs(a.norm - b.norm) > 1e-9 * max(abs(a.norm), 1) or a.conversion or b.conversion:
        return False
    if a.kind.startswith("measure:"):
        unit = _written_unit(a.value)
        if unit != _written_unit(b.value):
            return False
        same = lambda z: z.kind == a.kind and _written_unit(z.value) == unit  # noqa: E731
    elif a.kind == "count" and a.count_class and a.count_class not in ("person", "people") \
            and a.count_class not in _GENERIC_COUNT_UNITS and _same_class(a.count_class, b.count_class):
        same = lambda z: _same_class(z.count_class, a.count_class)  # noqa: E731
    else:
        return False
    for x in (a, b):
        if any(z is not x and not z.conversion and same(z) and not _agree(z, x)
               for z in _SAME_KIND.get((x.article_id, x.kind), ())):
            return False
    return True


def _evidence(m: _M, g: _Group) -> int:
    shared = sum(1 for k in m.keys if k in g.core)
    if _same_class(m.count_class, g.count_class):
        shared += 1
    elif m.kind == "count" and bool(m.count_class) != bool(g.count_class):
        # "92 deaths" and "the deaths ... 92": the counted noun on one side, its word on the other
        attr = _key(m.count_class or g.count_class, "count")
        if attr and attr in (m.keys if g.count_class else g.core):
            shared += 1
    return shared


_AMBIGUOUS: set[tuple[int, str, str]] = set()
_SAME_KIND: dict[tuple[int, str], list[_M]] = {}


def _ambiguous_keys(ms: list[_M]) -> set[tuple[int, str, str]]:
    """(article, kind, key) where the article gives two different figures near the same word."""
    seen: dict[tuple[int, str, str], list[_M]] = defaultdict(list)
    for m in ms:
        if m.conversion:
            continue
        kind = _unit_kind(m)
        for k in m.keys:
            seen[(m.article_id, kind, k)].append(m)
            for sc in m.scope:
                seen[(m.article_id, kind, f"{k}/{sc}")].append(m)
    # (figures of different years are not two candidates for one: "a magnitude 7.2 earthquake" today and "a
    # magnitude 6.8 tremor" in 2004 leave "magnitude" telling which figure of this year's quake it is)
    return {key for key, lst in seen.items()
            if any(not _agree(a, b) and a.periods == b.periods for a in lst for b in lst)}


def group(ms: list[_M]) -> list[_Group]:
    global _AMBIGUOUS, _SAME_KIND
    _AMBIGUOUS = _ambiguous_keys(ms)
    _SAME_KIND = defaultdict(list)
    for m in ms:
        _SAME_KIND[(m.article_id, m.kind)].append(m)
    groups: list[_Group] = []
    index: dict[tuple[str, str], dict[int, _Group]] = defaultdict(dict)  # (kind, key) -> groups
    # Scoped figures first: they set up the parts a plain figure may belong to; conversions after primaries.
    # (A place a figure is counted in does not make it a part that others must fit: "12 people in Riverton" is
    # met in article order like a figure with no place.)
    ms = sorted(ms, key=lambda m: (m.conversion, not any(not s.startswith("in:") for s in m.scope),
                                   m.value.bound in (AT_LEAST, AT_MOST), m.published or "", m.article_id, m.order))
    home: dict[int, _Group] = {}  # id(mention) -> its fact
    for m in ms:
        if m.conversion and m.primary is not None and id(m.primary) in home \
                and _fits(m, home[id(m.primary)]):
            home[id(m.primary)].add(m)  # "(64 km)" after "about 40 miles": it restates its primary, there
            home[id(m)] = home[id(m.primary)]
            continue
        cands: dict[int, _Group] = {}
        # Names only help a figure that agrees: probe them with the figure's size (5 % steps), so a story's
        # main name does not make every figure of the story a candidate.
        bucket = round(math.log10(abs(m.norm)) * 40) if m.norm else None
        probe_set = set(m.keys) | {f"@n:{n}:{bucket + d}" for n in m.names for d in (-1, 0, 1)
                                   if bucket is not None}
        if m.norm is not None:
            probe_set.add(f"@v:{m.norm:.6g}:{m.value.bound}")
        if m.count_class:
            probe_set.add("#" + m.count_class)
        if bucket is not None and m.point and m.kind.startswith(("money:", "measure:")) \
                and _significant(m.value) >= 3:
            probe_set |= {f"@t:{bucket + d}" for d in (-1, 0, 1)}  # a distinctive figure's near twins
        # Sorted: the order candidates are met in breaks ties between facts, so it must not depend on how
        # Python happens to hash strings in this run (PYTHONHASHSEED).
        probe = sorted(probe_set)
        # A key that already indexes many facts is too general to find one ("company", "officials"): the
        # figure is looked up by its other keys; only when all its keys are that general are they all used.
        lists = [index.get((m.kind, k), {}) for k in probe]
        narrow = [lst for lst in lists if len(lst) <= BROAD_KEY]
        for lst in (narrow if narrow else lists):
            for g in lst.values():
                cands[id(g)] = g
        agreeing, other = [], []
        for g in cands.values():
            if not _fits(m, g):
                continue
            ev = _evidence(m, g)
            reps = g.reps.values()
            agrees_some = any(_agree(m, o) for o in reps)
            if not ev and any(_identical(m, o) or _lone_same(m, o) for o in reps):
                ev = 1  # the same distinctive figure, stated the same way ("at 1:24 a.m.", "over 176,000")
            if not ev and m.names & g.names and m.value.bound in (EXACT, APPROX) and agrees_some:
                ev = 1  # the same figure next to the same name ("Diaz ... £62 million" / "Diaz ... £62m")
            if not ev and m.names & g.names and any(_rounds_to(o, m) for o in reps):
                ev = 1  # "nearly $36 billion" beside Kellanova / "$35.9 billion" beside Kellanova
            # agreeing means agreeing with the fact's exact figures too: "101 mph" agrees with "up to 115 mph"
            # but not with the "115-mph" beside it, so it would be a second version and needs sure evidence
            agrees = agrees_some and all(_agree(m, o) for o in reps if o.point)
            if ev <= 0 and not agrees:
                # a different figure: the words near it are checked against each mention (_sure_pair)
                ev = sum(1 for k in m.keys if k in g.keys)
                if ev <= 0 and any(_twin(m, o) for o in reps):
                    ev = 1
                if ev <= 0 and m.kind == "minute" and any(_sure_pair(m, o) for o in reps):
                    ev = 1  # "Oyarzabal 87'" / "Oyarzabal ... in the 86th minute": the scorer's goal
            if ev <= 0:
                continue
            if agrees:
                open_bound = m.value.bound in (AT_LEAST, AT_MOST)
                named = any(k in _named_for(m.kind) for k in m.keys if k in g.core)
                same_words = any(_identical(m, o) for o in reps) or (m.kind == "count" and any(
                    o.norm == m.norm and _same_class(m.count_class, o.count_class) for o in reps))
                # ("over 15,000 jobs" / "around 15,000 jobs": the bound's own figure of the same counted noun)
                # ("nearly $36 billion" / "$35.9 billion": the bound's own figure is the exact figure rounded)
                rounded = open_bound and any(_rounds_to(o, m) for o in reps)
                if not open_bound or ev >= 2 or named or same_words or rounded:
                    agreeing.append((ev, len(g.articles), g))
            else:
                other.append((ev, len(g.articles), g))
        chosen = None
        if agreeing:
            chosen = max(agreeing, key=lambda s: (s[0], s[1]))[2]
        elif other:
            # only facts the figure could surely belong to compete; of those, one must be clearly best
            # (checked from the strongest down, so the costly check runs on few candidates)
            other.sort(key=lambda s: (-s[0], -s[1]))
            best = next((o for o in other if _sure_same(m, o[2])), None)
            if best is not None and not any(o is not best and o[0] == best[0] and _sure_same(m, o[2])
                                            for o in other):
                chosen = best[2]
        if chosen is None:
            chosen = _Group(m)
            groups.append(chosen)
        else:
            chosen.add(m)
        home[id(m)] = chosen
        for k in probe:
            index[(m.kind, k)][id(chosen)] = chosen
    return groups


def _versions(g: _Group) -> list[list[_M]]:
    """Mentions that can all be true at once; exact figures first, a bound joins the nearest version."""
    order = sorted(g.mentions, key=lambda m: (m.conversion, {EXACT: 0, APPROX: 1}.get(m.value.bound, 2), m.order))
    versions: list[tuple[list[_M], list[float]]] = []
    for m in order:
        if m.conversion and m.primary is not None:
            home = next((vs for vs in versions if any(o is m.primary for o in vs[0])), None)
            if home is not None:
                home[0].append(m)  # a conversion states its primary's figure: it is that version, no other
                continue
        best = None
        for members, box in versions:
            if m.lo <= box[1] and box[0] <= m.hi and all(_agree(m, o) for o in members):
                centre = (max(box[0], -1e300) + min(box[1], 1e300)) / 2
                dist = abs((m.norm if m.norm is not None else (m.lo + m.hi) / 2) - centre) if math.isfinite(centre) else 0
                if best is None or dist < best[0]:
                    best = (dist, members, box)
        if best is None:
            versions.append(([m], [m.lo, m.hi]))
        else:
            best[1].append(m)
            best[2][0], best[2][1] = max(best[2][0], m.lo), min(best[2][1], m.hi)
    return [members for members, _ in versions]


def _hard(vs: list[_M]) -> tuple[float, float]:
    """What all mentions of a version allow, open bounds left open ("more than 300" allows 400)."""
    lo, hi = -math.inf, math.inf
    for m in vs:
        a, b = m.lo, m.hi
        if m.value.bound == AT_LEAST:
            b = math.inf
        elif m.value.bound == AT_MOST:
            a = -math.inf
        lo, hi = max(lo, a), min(hi, b)
    return lo, hi


def _status(g: _Group, versions: list[list[_M]]) -> str:
    if len(g.articles) < 2:
        return SINGLE
    if len(versions) == 1:
        return AGREED
    if any(m.revised for m in g.mentions):
        return CHANGED  # the text itself says a figure moved: "rose to", "revised", "initially"
    boxes = [_hard(vs) for vs in versions]

    def apart(i: int, j: int) -> bool:
        a, b = boxes[i], boxes[j]
        if a[1] < b[0] or b[1] < a[0]:
            return True
        # exact figures on both sides that do not round to each other ("412" / "413" meet at 412.5)
        pi, pj = [m for m in versions[i] if m.point], [m for m in versions[j] if m.point]
        return bool(pi and pj) and not any(_agree(x, y) for x in pi for y in pj)

    pairs = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if apart(i, j)]
    if not pairs:
        # "at least 95" and "more than 150": both can be true (a toll that grew); neither confirms the other
        return CHANGED
    if _is_toll(g) and all(_apart_in_time(versions[i], versions[j]) for i, j in pairs):
        # a toll is a running count: articles of different days give it at different moments (a later article
        # may also quote an earlier count: "the death of 120 people has been confirmed"), so the figures are
        # the count moving, not sources disagreeing
        return CHANGED
    return CONFLICTING


# Counts that move while a story unfolds (a toll): figures of different days are the count at different moments.
_TOLLS = {"death", "dead", "injury", "injured", "casualty", "missing", "evacuee", "arrest", "case", "victim"}
_TOLL_KEYS = {"deaths", "injured", "missing", "evacuated", "rescued", "arrests", "trap", "strand"}


def _is_toll(g: _Group) -> bool:
    """A count of people harmed, missing, rescued or held: by its counted noun or a word beside it."""
    return g.kind == "count" and (g.count_class in _TOLLS or any(k in _TOLL_KEYS for k in g.keys))


def _apart_in_time(a: list[_M], b: list[_M]) -> bool:
    """Every mention of one version comes from an article published on an earlier day than every mention of the
    other (dates as the articles give them; undated articles prove nothing)."""
    da, db = [m.published for m in a], [m.published for m in b]
    if not all(da) or not all(db):
        return False
    return max(da)[:10] < min(db)[:10] or max(db)[:10] < min(da)[:10]


# -- describing ------------------------------------------------------------------------------------

def _version_text(v: Value) -> str:
    """A version's figure as stored and shown beside the fact (its first mention's value): worded as
    everywhere else in the app (:func:`claimdesk.core.align.describe_value`: ranges, zones, plurals)."""
    return describe_value(v)


def _attribute(g: _Group) -> str:
    """What is measured: the key most mentions share, in the text's own words when no rule names it."""
    if g.count_class:
        return _plural_noun(g.count_class)
    if g.kind == "age":
        return "age"
    if g.kind == "minute":
        return "minute"  # "the 86th minute", "Oyarzabal 87'": when in the match, whatever the sentence says
    ranked = sorted(((k, n) for k, n in g.keys.items() if not k.startswith("@")), key=lambda kv: (-kv[1], kv[0]))
    lex_attrs = _NAMED()
    for k, n in ranked:
        if k in lex_attrs:
            # a family name ("price" for cost, investment, price): the rule's own word where the text has one
            own = [m.value.attribute for m in g.mentions
                   if m.value.attribute and ATTRIBUTE_FAMILY.get(m.value.attribute, m.value.attribute) == k]
            if own:
                k = max(dict.fromkeys(own), key=own.count)  # ties: the first said
            # "a loss of £18 million" is measured by the profit rule, but it is a loss: the text's word says so
            words = [m.surface[k] for m in g.mentions if k in m.surface]
            word = max(dict.fromkeys(words), key=words.count) if words else None
            if word and word in _OPPOSITE.get(k, ()):
                return word
            return _LABEL.get(k, k).replace("_", " ")
    if not ranked:
        return g.kind.split(":")[0]
    k = ranked[0][0]
    return next((m.surface[k] for m in sorted(g.mentions, key=lambda m: m.order) if k in m.surface), k)


# Words of an attribute's rule that name its opposite: the label says the text's word, not the rule's name.
_OPPOSITE = {"profit": {"loss", "losses", "deficit", "deficits"},
             "growth": {"fall", "falls", "drop", "drops", "decline", "declines", "decrease", "decreases"}}


def _plural_noun(noun: str) -> str:
    if noun in ("person", "people"):
        return "people"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun if noun.endswith("s") or noun == "staff" else noun + "s"


def _subject(g: _Group) -> str | None:
    subs = [m.value.subject for m in g.mentions if m.value.subject]
    if not subs:
        return None
    return max(dict.fromkeys(subs), key=subs.count)  # ties: the first said, whatever the hash seed


def compute_facts(claims: Sequence[Claim], articles: Sequence[Article] | None = None, *,
                  attributes: AttributeWords) -> list[Fact]:
    """Facts of a project: every value of every claim not rejected, grouped.

    ``articles`` give each claim's publication date and their whole text: a capitalised word that opens a
    sentence is a common word, not a name, when its article also writes it in lower case ("Turnout was
    94.6%" ... "the turnout"), so the text is read, not only the article's record.

    ``attributes`` are the words that say what a figure measures (:class:`AttributeWords`).
    """
    token = _WORDS.set(attributes)
    try:
        return _compute_facts(claims, articles)
    finally:
        _WORDS.reset(token)


def _compute_facts(claims: Sequence[Claim], articles: Sequence[Article] | None) -> list[Fact]:
    arts = {a.id: a for a in (articles or []) if a.id is not None}
    ms = _drop_odd_conversions(_mentions(claims, arts))
    facts: list[Fact] = []
    parts: list[tuple[_Group, list[list[_M]]]] = []
    for g in group(ms):
        versions = _versions(g)
        if len(versions) > 1 and all(m.conversion for m in g.mentions):
            # Only second currencies, at different figures: the disagreement (if any) is the first
            # currency's, said there; here each figure is a fact of its own (rates differ between outlets).
            for vs in versions:
                sub = _Group(vs[0])
                for m in vs[1:]:
                    sub.add(m)
                parts.append((sub, [vs]))
        else:
            parts.append((g, versions))
    for g, versions in parts:
        status = _status(g, versions)
        # versions in order of first appearance, the most sourced first
        versions.sort(key=lambda vs: (-len({m.article_id for m in vs}), min(m.order for m in vs)))
        vlist = []
        mentions = []
        for k, vs in enumerate(versions):
            rep = min(vs, key=lambda m: ({EXACT: 0, APPROX: 1}.get(m.value.bound, 2), m.conversion, m.order))
            v = rep.value
            vlist.append(Version(k, _version_text(v), v.amount, v.unit, v.bound, v.date))
            for m in vs:
                mentions.append(Mention(m.claim.id, m.article_id, m.value.start, m.value.end, k, m.value.text,
                                        m.conversion))
        mentions.sort(key=lambda x: (x.article_id, x.start))
        attribute = _attribute(g)
        subject = _subject(g)
        label = f"{subject}{chr(39) if subject.endswith('s') else chr(39) + 's'} {attribute}" if subject else attribute.capitalize()
        facts.append(Fact(0, label, subject, attribute, status, g.kind, vlist, mentions))
    facts.sort(key=lambda f: (min((m.article_id, m.start) for m in f.mentions)))
    for i, f in enumerate(facts, 1):
        f.id = i
    return facts


def links_from_facts(facts: Sequence[Fact]) -> list[Link]:
    """Pairwise links a reviewer can step through, one per mention at most (a star per version).

    Each mention is linked to its version's first source (corroboration); the
    first source of each other version of a conflicting fact is linked to the
    first source of version 0 (conflict). A fact that changed over time or has
    one source gives no conflict link.
    """
    out: list[Link] = []
    for f in facts:
        if f.status == SINGLE or f.review == "rejected":
            continue
        if f.mentions and all(m.conversion for m in f.mentions):
            continue  # a second currency the articles give: the reviewer decides on the first
        if f.status == SINGLE:
            continue
        by_version: dict[int, list[Mention]] = defaultdict(list)
        for m in f.mentions:
            by_version[m.version].append(m)
        anchors: dict[int, Mention] = {}
        for k, ms in sorted(by_version.items()):
            anchor = ms[0]
            anchors[k] = anchor
            for m in ms[1:]:
                if m.article_id == anchor.article_id or m.claim_id == anchor.claim_id:
                    continue
                out.append(Link(anchor.claim_id, m.claim_id, CORROBORATION, (anchor.start, anchor.end),
                                (m.start, m.end), f"{f.label}: {f.versions[k].text} agrees with {f.versions[k].text}",
                                0.8))
        if f.status != CONFLICTING or 0 not in anchors:
            continue
        first = anchors[0]
        for k, anchor in anchors.items():
            if k == 0:
                continue
            other = next((m for m in by_version[k] if m.article_id != first.article_id), None)
            if other is None:
                continue
            out.append(Link(first.claim_id, other.claim_id, CONFLICT, (first.start, first.end),
                            (other.start, other.end), f"{f.label}: {f.versions[0].text} vs {f.versions[k].text}",
                            0.8))
    return out
