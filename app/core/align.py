"""Line up claims about the same fact across articles; call conflicts and corroborations.

Two values are candidates for the same fact when they are in different
articles, of the same kind of quantity in comparable units, and measure the
same attribute (investment, death toll, capacity, ...). Candidates are blocked
by (dimension, attribute), so the work grows with the size of each block, not
with the square of all claims; a large block is split further by subject.

Within each pair of articles, candidates are matched one-to-one, best first,
and agreeing pairs are preferred: if "$13 billion" in one article matches
"$13 billion" in the other, it is not also set against another figure. A
matched pair becomes a corroboration when the values agree (bounds taken into
account: "at least 120" agrees with 134) and a conflict when they cannot both
be true, unless the text marks a figure as changed over time ("rose to").

Money is compared across currencies only when an article itself gives both
("15 million euros—about $16 million"); no exchange rate is ever assumed.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimdesk.core.model import (
    EXACT,
    APPROX,
    AT_LEAST,
    AT_MOST,
    CONFLICT,
    CORROBORATION,
    REJECTED,
    ROLE_PRIMARY,
    Article,
    Claim,
    Link,
    Value,
)

if TYPE_CHECKING:
    from claimdesk.core.facts import AttributeWords

# Relative tolerance of an exact figure (rounding in copy) and of an approximate one.
EXACT_TOLERANCE = 0.01
APPROX_TOLERANCE = 0.12
MIN_SCORE = 0.55
LARGE_BLOCK = 400

_DURATION_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7,
                  "month": 30.44, "year": 365.25, "decade": 3652.5, "century": 36525}
_AGE_MONTHS = {"day": 1 / 30.44, "week": 7 / 30.44, "month": 1, "year": 12}
_STOP = set(
    "a an the and or of to in on at for with by from as is was were are be been has had have that which "
    "who it its their his her they this these those will would could can said says also than more over "
    "about after before since while into during up down out new".split()
)
_PERSON_NOUNS = {"person", "people", "driver", "resident", "worker", "passenger", "child", "man", "woman",
                 "student", "patient", "victim", "employee", "staff", "fan", "spectator", "member",
                 "player", "officer", "soldier", "civilian", "tourist", "visitor", "user", "customer",
                 "adult", "pupil", "teacher", "doctor", "nurse", "miner", "climber", "migrant", "refugee"}
# Attributes that news copy uses for one another ("paid £35m" / "the move cost £40m").
# They share a block; a match across them scores a little lower.
ATTRIBUTE_FAMILY = {"cost": "price", "investment": "price"}
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*)")


@dataclass
class _Item:
    article_id: int
    claim: Claim
    value: Value
    dim: str
    norm: float | None  # amount in the dimension's base unit
    words: frozenset[str]
    names: frozenset[str]


def _dimension(v: Value) -> tuple[str, float | None] | None:
    """(comparable dimension, amount in its base unit), or None when not comparable."""
    if v.type == "money":
        return f"money:{v.unit}", v.amount
    if v.type == "percent":
        return f"percent:{v.unit}", v.amount
    if v.type == "count":
        return "count", v.amount
    if v.type == "measure":
        return f"measure:{v.unit}", v.amount
    if v.type == "duration" and v.unit in _DURATION_DAYS and v.amount is not None:
        return "duration", v.amount * _DURATION_DAYS[v.unit]
    if v.type == "age" and v.unit in _AGE_MONTHS and v.amount is not None:
        return "age", v.amount * _AGE_MONTHS[v.unit]
    if v.type == "time" and v.amount is not None:
        return _time_dimension(v)
    if v.type == "date" and v.date and re.match(r"\d{4}", v.date):
        return "date", None
    return None


# Fixed offsets from UTC, in hours, of the zones the value reader keeps as a time's unit. Zones that
# change with the season or name several places ("ET", "PT", "IST") are compared only with themselves.
ZONE_OFFSETS = {"GMT": 0, "UTC": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "WEST": 1, "CEST": 2, "EET": 2,
                "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
                "PST": -8, "PDT": -7, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11}


def _time_dimension(v: Value) -> tuple[str, float]:
    """A time of day: in UTC when its zone is known ("22:00 GMT" = "17:00 EST"), else as written."""
    zone = v.unit if v.unit not in (None, "hour") else None
    if zone is None:
        return "time", v.amount
    if zone in ZONE_OFFSETS:
        return "time", (v.amount - ZONE_OFFSETS[zone]) % 24
    return f"time:{zone}", v.amount


def _interval(v: Value, amount: float) -> tuple[float, float]:
    """The figures ``v`` allows, with ``amount`` its (low) amount in the dimension's base unit.

    A range ("40 to 41 hours", "3-5%": ``v.high`` set) allows everything between its ends,
    so it agrees with any figure inside it; a bound opens one side.
    """
    lo = hi = amount
    if v.high is not None:
        high = v.high * (amount / v.amount) if v.amount else v.high
        lo, hi = min(amount, high), max(amount, high)
    if v.bound == APPROX:
        return lo - abs(lo) * APPROX_TOLERANCE, hi + abs(hi) * APPROX_TOLERANCE
    if v.bound == AT_LEAST:
        return lo, math.inf
    if v.bound == AT_MOST:
        return -math.inf if lo < 0 else 0.0, hi
    return lo - abs(lo) * EXACT_TOLERANCE, hi + abs(hi) * EXACT_TOLERANCE


def _date_interval(v: Value) -> tuple[str, str]:
    d = v.date or ""
    lo = d + "-00-00"[len(d) - 4:] if len(d) < 10 else d
    hi = d + "-99-99"[len(d) - 4:] if len(d) < 10 else d
    if v.bound == AT_MOST:
        lo = "0000"
    elif v.bound == AT_LEAST:
        hi = "9999"
    return lo[:10], hi[:10]


def _amounts_in(item: _Item, dim: str) -> float | None:
    if item.dim == dim:
        return item.norm
    if dim.startswith("money:"):
        for amount, unit in item.value.equivalents:
            if f"money:{unit}" == dim:
                return amount
    return None


def agreement(a: _Item, b: _Item) -> bool | None:
    """True if both values can be true together, False if not, None if not comparable."""
    if a.dim == "date":
        if b.dim != "date":
            return None
        (alo, ahi), (blo, bhi) = _date_interval(a.value), _date_interval(b.value)
        return alo <= bhi and blo <= ahi
    x, y = a.norm, _amounts_in(b, a.dim)
    if y is None:
        x, y = _amounts_in(a, b.dim), b.norm
    if x is None or y is None:
        return None
    if a.value.type == "time" and a.value.bound == b.value.bound == EXACT:
        return abs(x - y) < 1 / 120  # the same minute
    lo_a, hi_a = _interval(a.value, x)
    lo_b, hi_b = _interval(b.value, y)
    return lo_a <= hi_b and lo_b <= hi_a


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP)


def _names(text: str) -> frozenset[str]:
    out = set()
    for m in _NAME.finditer(text):
        name = m.group(1).lower().replace("’s", "").replace("'s", "")
        if name.split()[0] not in _STOP:
            out.update(name.split())
    return frozenset(out)


def _different_bounds_same_way(a: _Item, b: _Item) -> bool:
    if a.value.bound != b.value.bound or a.value.bound not in (AT_LEAST, AT_MOST):
        return False
    x, y = a.norm, _amounts_in(b, a.dim)
    if x is None or y is None:
        return False
    return abs(x - y) > EXACT_TOLERANCE * max(abs(x), abs(y))


def _restated_in_other_units(a: Value, b: Value) -> bool:
    return a.type in ("age", "duration") and a.unit != b.unit


def _block_key(dim: str) -> str:
    return "money" if dim.startswith("money:") else dim


def _items(claims: Iterable[Claim]) -> list[_Item]:
    items = []
    for claim in claims:
        if claim.status == REJECTED:
            continue
        words, names = _words(claim.text), _names(claim.text)
        for v in claim.values:
            if v.role != ROLE_PRIMARY or not v.attribute:
                continue
            if v.type == "date" and (not v.date or len(v.date) < 4):
                continue
            dim = _dimension(v)
            if dim is None:
                continue
            items.append(_Item(claim.article_id, claim, v, dim[0], dim[1], words, names))
    return items


def different_subjects(a: _Item, b: _Item) -> bool:
    """Both figures belong to a named subject, and neither sentence names the other's."""
    sa, sb = (a.value.subject or "").lower(), (b.value.subject or "").lower()
    if not (sa and sb) or sa == sb:
        return False
    return not (set(sa.split()) & (b.names | set(sb.split()))) and not (set(sb.split()) & a.names)


def _pair_score(a: _Item, b: _Item, agrees: bool) -> float:
    score = 0.5
    if a.value.subject and b.value.subject and a.value.subject.lower() == b.value.subject.lower():
        score += 0.15
    # Context: the words around each figure.
    union = a.words | b.words
    if union:
        score += 0.4 * len(a.words & b.words) / len(union)
    if a.value.type == "count" and a.value.unit and b.value.unit:
        same = a.value.unit == b.value.unit
        both_people = a.value.unit in _PERSON_NOUNS and b.value.unit in _PERSON_NOUNS
        if same or both_people:
            score += 0.1
        elif (a.value.unit in _PERSON_NOUNS) != (b.value.unit in _PERSON_NOUNS):
            score -= 0.2
    if a.dim == b.dim:
        score += 0.05
    if a.value.attribute != b.value.attribute:
        score -= 0.05
    if agrees:
        score += 0.2
    return score


_LABEL = {"funds_raised": "funds raised", "water_level": "water level", "previous_record": "previous record",
          "production_start": "production start", "context_window": "context window",
          "homes_affected": "homes affected", "contract_length": "contract length"}


def _fmt_amount(x: float) -> str:
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(x) >= scale:
            return f"{x / scale:,.6g} {word}"
    return f"{x:,.10g}"


def describe_value(v: Value) -> str:
    """A value in words a reviewer reads: "at least 2 billion USD"."""
    bound = {APPROX: "about ", AT_LEAST: "at least ", AT_MOST: "at most "}.get(v.bound, "")
    if v.type in ("date", "time") and v.date:
        zone = f" {v.unit}" if v.type == "time" and v.unit not in (None, "hour") else ""
        return f"{bound}{v.date}{zone}"
    if v.amount is None:
        return v.text
    unit = v.unit or ""
    amount = v.amount
    if unit == "m" and abs(amount) >= 1000:
        unit, amount = "km", amount / 1000
    if unit and unit.isalpha() and unit.islower() and len(unit) > 2 and v.amount != 1:
        unit = _plural(unit)
    unit = unit if unit in ("%", "") else f" {unit}"
    if v.high is not None and v.amount:
        return f"{bound}{_fmt_amount(amount)}–{_fmt_amount(v.high * amount / v.amount)}{unit}"
    return f"{bound}{_fmt_amount(amount)}{unit}"


def _plural(noun: str) -> str:
    irregular = {"person": "people", "man": "men", "woman": "women", "child": "children", "magnitude": "magnitude",
                 "staff": "staff", "police": "police", "century": "centuries"}
    if noun in irregular:
        return irregular[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def _reason(a: _Item, b: _Item, kind: str) -> str:
    attr = _LABEL.get(a.value.attribute, a.value.attribute or "value").replace("_", " ")
    subject = a.value.subject or b.value.subject
    if a.value.subject and b.value.subject and a.value.subject.lower() != b.value.subject.lower():
        subject = None
    what = f"{subject}{chr(39) if subject.endswith('s') else chr(39) + 's'} {attr}" if subject else attr.capitalize()
    sep = "vs" if kind == CONFLICT else "agrees with"
    return f"{what}: {describe_value(a.value)} {sep} {describe_value(b.value)}"


def align(claims: Sequence[Claim], articles: Sequence[Article] | None = None, *,
          attributes: AttributeWords) -> list[Link]:
    """Suggested links between claims of different articles, derived from facts.

    Claims are grouped into facts first (:func:`claimdesk.core.facts.compute_facts`);
    the links are each fact's mentions tied to the first source of their
    version, and the first sources of two versions of a conflicting fact tied
    as a conflict: at most about one link per mention, never a link per pair.
    """
    from claimdesk.core.facts import compute_facts, links_from_facts

    links = links_from_facts(compute_facts(claims, articles, attributes=attributes))
    links.sort(key=lambda l: (l.claim_a, l.claim_b))
    return links


def pairwise_align(claims: Sequence[Claim], articles: Sequence[Article] | None = None) -> list[Link]:
    """The earlier pairwise alignment (every pair of articles, one-to-one matching); kept for comparison
    in the benchmarks. Its links grow with the square of the articles that state a fact."""
    blocks: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for item in _items(claims):
        attribute = item.value.attribute or ""
        blocks[(_block_key(item.dim), ATTRIBUTE_FAMILY.get(attribute, attribute))].append(item)
    links: list[Link] = []
    for key, items in blocks.items():
        groups = [items]
        if len(items) > LARGE_BLOCK:
            by_subject: dict[str, list[_Item]] = defaultdict(list)
            for it in items:
                by_subject[it.value.subject or it.claim.subject or ""].append(it)
            groups = list(by_subject.values())
        for group in groups:
            links.extend(_align_block(group))
    links.sort(key=lambda l: (l.claim_a, l.claim_b))
    return links


def _align_block(items: list[_Item]) -> list[Link]:
    by_article: dict[int, list[_Item]] = defaultdict(list)
    for it in items:
        by_article[it.article_id].append(it)
    ids = sorted(by_article)
    out = []
    for i, aid in enumerate(ids):
        for bid in ids[i + 1:]:
            candidates = []
            for a in by_article[aid]:
                for b in by_article[bid]:
                    agrees = agreement(a, b)
                    if agrees is None or different_subjects(a, b):
                        continue  # not comparable, or one company's figure against another's
                    score = _pair_score(a, b, agrees)
                    if score >= MIN_SCORE:
                        candidates.append((score, agrees, a, b))
            candidates.sort(key=lambda c: -c[0])
            used_a: set[int] = set()
            used_b: set[int] = set()
            for score, agrees, a, b in candidates:
                if id(a) in used_a or id(b) in used_b:
                    continue
                used_a.add(id(a))
                used_b.add(id(b))
                if not agrees and (a.value.changing or b.value.changing):
                    continue  # "the toll rose to": a figure that moved is not a contradiction
                if agrees and _restated_in_other_units(a.value, b.value):
                    continue  # "a little less than a year" vs "10 months": consistent, not a second source
                if agrees and _different_bounds_same_way(a, b):
                    continue  # "more than 300" vs "more than 400": both may be true, neither confirms the other
                kind = CORROBORATION if agrees else CONFLICT
                out.append(Link(
                    claim_a=a.claim.id, claim_b=b.claim.id, kind=kind,
                    a_span=(a.value.start, a.value.end), b_span=(b.value.start, b.value.end),
                    reason=_reason(a, b, kind), confidence=round(min(score, 1.0), 3),
                ))
    return out
