"""Read quantities, dates and times out of text into comparable numbers.

``read_values(text)`` finds every value in a text and returns
:class:`~app.core.model.Value` objects with character offsets, a type, an
amount, a normalised unit and a bound::

    "over $2 billion"   -> money, 2e9, USD, at_least
    "15 million euros"  -> money, 1.5e7, EUR, exact
    "10-month-old"      -> age, 10, month, exact

It is plain Python (regular expressions over the text), so it works with or
without a statistical spaCy model; the spaCy component ``claimdesk_values``
wraps it. The word lists it uses live in ``resources/patterns/units.json``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import json
import re
from functools import lru_cache

from app.core.model import (
    APPROX,
    AT_LEAST,
    AT_MOST,
    EXACT,
    ROLE_CONVERSION,
    Value,
)
from app.paths import resource

# -- lexicon -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with open(resource("patterns", "units.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12, "a thousand": 1000,
    "half a": 0.5, "a half": 0.5,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "hundredth": 100,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12,
}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_NUMWORD = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?" \
    r"|" + _alt([w for w in NUMBER_WORDS if not w.startswith(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))])
# A number starts where no digit, comma or point ends (so a long run of digits
# is tried once, not at every position) and is at most 15 digits long.
_DIGITS = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?)(?![\d])"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    lx = lexicon()
    bound_words = {w: b for b, words in lx["bounds"].items() for w in words}
    cur_sym = _alt(lx["currency_symbols"])
    cur_word = _alt(lx["currency_words"])
    units = _alt(lx["measure_units"])
    bound = _alt(bound_words)
    number = rf"(?:(?P<num>{_DIGITS})|(?P<word>{_NUMWORD}))"
    scale = r"(?:[ \u00a0-]?(?P<scale>thousand|million|billion|trillion)\b|(?P<short>k|K|m|M|mn|mln|bn|Bn|BN|b|B|tn)(?![A-Za-z]))"
    pre = rf"(?:(?P<bound>{bound})\s+)?"
    money_pre = rf"(?P<cur>{cur_sym})\s?{number}{scale}?"
    money_post = rf"{number}{scale}?\s*(?P<curw>{cur_word})\b"
    percent = rf"{number}\s*(?P<pct>%|percent\b|per cent\b|percentage points?\b|pc\b)"
    measure = rf"{number}{scale}?[ \u00a0-]?(?P<unit>{units})(?![A-Za-z0-9])"
    magnitude = rf"(?:magnitude[ -](?P<mag1>\d{{1,2}}(?:\.\d{{1,3}})?)|(?P<mag2>(?<![\d.])\d{{1,2}}(?:\.\d{{1,3}})?)[ -]magnitude)"
    age = (
        rf"(?:aged\s+(?P<aged>\d{{1,3}}|{_NUMWORD})"
        rf"|(?P<agen>(?<!\d)\d{{1,3}}|{_NUMWORD}|a|an)[ -](?P<ageu>year|month|week|day)s?[ -]old"
        rf"|(?P<agen2>(?<!\d)\d{{1,3}}|{_NUMWORD}|a|an)\s+(?P<ageu2>year|month|week|day)s?\s+old)"
    )
    time = r"(?P<hh>\d{1,2})(?::(?P<mm>\d{2}))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b)|(?P<hh24>[01]?\d|2[0-3]):(?P<mm24>[0-5]\d)(?:\s*(?:GMT|UTC|BST|CET|local time))?"
    duration = rf"{number}[ -](?P<durunit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)\b(?!-old| old)"
    duration_a = r"(?P<adur>a|an|one)\s+(?P<adurunit>second|minute|hour|day|week|month|year|decade|century)\b(?!-old| old)"
    month = _alt(MONTHS)
    date = (
        rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}})"
        rf"|(?P<m2>{month})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
        rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m3>{month})\b\.?"
        rf"|(?P<m4>{month})\s+(?P<y4>\d{{4}})"
        rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
        rf"|(?P<wd>(?:last |next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
        rf"|(?P<year>(?:1[6-9]|20)\d{{2}})(?![\d,.]\d)(?!s\b)(?![- ]?(?:{units}|%)\b)"
    )
    ordinal = rf"(?P<ordw>{_alt(ORDINAL_WORDS)})\b|(?P<ordn>(?<!\d)\d{{1,6}})(?:st|nd|rd|th)\b"
    count = rf"{number}(?:{scale})?(?P<plus>\+|-plus)?(?:[ -](?P<noun>(?-i:[a-z][a-z]+)))?"
    flags = re.I
    return {
        "bound": re.compile(rf"(?P<bound>{bound})\s+$", flags),
        "money": re.compile(money_pre, flags),
        "money_post": re.compile(money_post, flags),
        "percent": re.compile(percent, flags),
        "magnitude": re.compile(magnitude, flags),
        "age": re.compile(age, flags),
        "time": re.compile(time, flags),
        "measure": re.compile(measure, flags),
        "duration": re.compile(rf"{duration}|{duration_a}", flags),
        "date": re.compile(date, flags),
        "ordinal": re.compile(ordinal, flags),
        "count": re.compile(count, flags),
        "_bound_words": bound_words,  # type: ignore[dict-item]
    }


# -- number parsing ------------------------------------------------------------------


def word_number(word: str) -> float | None:
    w = word.lower().replace("-", " ").strip()
    if w in NUMBER_WORDS:
        return float(NUMBER_WORDS[w])
    parts = w.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    if w in ("a", "an", "one"):
        return 1.0
    return None


def _number(m: re.Match) -> float | None:
    if m.group("num"):
        return float(m.group("num").replace(",", ""))
    if m.group("word"):
        return word_number(m.group("word"))
    return None


def _scale(m: re.Match, *, money: bool) -> float:
    gd = m.groupdict()
    if gd.get("scale"):
        return SCALES[gd["scale"].lower()]
    short = gd.get("short")
    if short:
        s = short.lower()
        if s in ("m", "b") and not money:
            return 1.0 if s == "m" else 1e9  # "120m" is metres unless it is money
        return SCALES.get(s, 1.0)
    return 1.0


# -- the reader ------------------------------------------------------------------------

_WORD_BEFORE = re.compile(r"([A-Za-z][\w.-]*)[ \t]*$")
# "GPT-4", "Mistral 7B", "8x7B", "COVID-19": digits glued to a name are part of the name
_NAME_GLUE = re.compile(r"[A-Za-z][\w]*-$|[A-Za-z]\d*$|x$")


def _bound_before(text: str, start: int) -> tuple[int, str]:
    """A bound phrase just before ``start`` ("more than ", "about "), if any."""
    pats = _patterns()
    window = text[max(0, start - 40):start]
    m = pats["bound"].search(window)
    if not m:
        return start, EXACT
    word = re.sub(r"\s+", " ", m.group("bound").lower())
    return start - (len(window) - m.start()), pats["_bound_words"][word]


def _resolve_weekday(name: str, published: str | None) -> str | None:
    if not published:
        return None
    try:
        ref = _dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    parts = name.lower().split()
    day = WEEKDAYS[parts[-1]]
    if parts[0] == "next":
        delta = (day - ref.weekday()) % 7 or 7
        return (ref + _dt.timedelta(days=delta)).isoformat()
    if parts[0] == "this":
        return (ref + _dt.timedelta(days=day - ref.weekday())).isoformat()
    # "on Monday" in news copy is the most recent such day, the publication day included
    delta = (ref.weekday() - day) % 7
    if parts[0] == "last" and delta == 0:
        delta = 7
    return (ref - _dt.timedelta(days=delta)).isoformat()


def _iso(y: int | None, mo: int, d: int | None, published: str | None) -> str | None:
    if y is None and published:
        try:
            y = int(published[:4])
        except ValueError:
            y = None
    if y is None:
        return None
    try:
        return _dt.date(y, mo, d or 1).isoformat() if d else f"{y:04d}-{mo:02d}"
    except ValueError:
        return None


_DATE_BOUND = re.compile(r"\b(by|before|until|no later than|since|after|from)\s+(?:the end of\s+|early\s+|late\s+|mid-?)?$", re.I)


class _Taken:
    """Character ranges already read, so one stretch of text is one value.

    Kept sorted and disjoint, so a check is a binary search, not a scan.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return False
        return not (i < len(self.starts) and self.starts[i] < e)

    def take(self, s: int, e: int) -> None:
        i = bisect.bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


@lru_cache(maxsize=1)
def _vague_age() -> re.Pattern:
    return re.compile(
        r"\b(?:a little |just |slightly )?(?:less than|under|more than|over|nearly|almost|about) "
        r"(?:a|one|\d{1,3}|%s) (year|month|week)s? old\b" % _NUMWORD, re.I)


@lru_cache(maxsize=1)
def _anchor() -> re.Pattern:
    """What every value contains: a digit, a number or ordinal word, a weekday or a unit of time."""
    # Months are not anchors: every date pattern with a month also has digits.
    words = {w for key in (*NUMBER_WORDS, *ORDINAL_WORDS, *WEEKDAYS) for w in key.split()}
    words -= {"a", "an"}
    words |= {"hundred", "thousand", "second", "minute", "hour", "day", "week", "month", "year", "decade",
              "centur", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
    return re.compile(r"\d|\b(?:%s)" % _alt(words), re.I)


WINDOW_MARGIN = 40


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of the text around anything a value could be made of.

    The value patterns are scanned only there: most of a text is words no
    value can start with, and scanning it cost most of the reading time. Each
    stretch reaches WINDOW_MARGIN characters past its anchors (more than the
    longest bound or unit phrase) and is cut at white space.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    for m in _anchor().finditer(text):
        lo, hi = max(0, m.start() - WINDOW_MARGIN), min(n, m.end() + WINDOW_MARGIN)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    out = []
    for lo, hi in spans:
        if lo > 0:
            cut = max(text.rfind(" ", 0, lo), text.rfind("\n", 0, lo))
            lo = cut + 1 if cut >= 0 else 0
        if hi < n:
            cuts = [i for i in (text.find(" ", hi), text.find("\n", hi)) if i >= 0]
            hi = min(cuts) if cuts else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def read_values(text: str, *, published: str | None = None) -> list[Value]:
    """Every value in ``text``, in text order, with offsets into ``text``."""
    pats = _patterns()
    lx = lexicon()
    out: list[Value] = []
    taken = _Taken()
    windows = _windows(text)

    def scan(pattern: re.Pattern):
        for lo, hi in windows:
            yield from pattern.finditer(text, lo, hi)

    def add(s: int, e: int, vtype: str, amount, unit=None, bound=EXACT, date=None, rule=None, bs=None):
        start = bs if bs is not None else s
        if not taken.free(start, e):
            return None
        taken.take(start, e)
        v = Value(start=start, end=e, text=text[start:e], type=vtype, amount=amount, unit=unit,
                  bound=bound, date=date, rule=rule)
        out.append(v)
        return v

    def glued(s: int) -> bool:
        before = text[max(0, s - 12):s]
        return bool(_NAME_GLUE.search(before)) and not before.endswith((" ", "\n", "(", "$", "€", "£"))

    # money
    money_matches = sorted(
        [*scan(pats["money"]), *scan(pats["money_post"])], key=lambda m: (m.start(), -m.end())
    )
    for m in money_matches:
        if glued(m.start()):
            continue
        amount = _number(m)
        if amount is None:
            continue
        amount *= _scale(m, money=True)
        gd = m.groupdict()
        cur = gd.get("cur") or gd.get("curw")
        code = lx["currency_codes"].get(cur.lower()) or lx["currency_codes"].get(cur) or cur.upper()
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "money", amount, code, bound, rule="money", bs=bs)
    # percent
    for m in scan(pats["percent"]):
        if glued(m.start()):
            continue
        amount = _number(m)
        if amount is None:
            continue
        bs, bound = _bound_before(text, m.start())
        unit = "pp" if "point" in m.group("pct").lower() else "%"
        add(m.start(), m.end(), "percent", amount, unit, bound, rule="percent", bs=bs)
    # magnitude
    for m in scan(pats["magnitude"]):
        amount = float(m.group("mag1") or m.group("mag2"))
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "measure", amount, "magnitude", bound, rule="magnitude", bs=bs)
    # age
    for m in scan(pats["age"]):
        if m.group("aged"):
            n, unit = m.group("aged"), "year"
        elif m.group("agen"):
            n, unit = m.group("agen"), m.group("ageu").lower()
        else:
            n, unit = m.group("agen2"), m.group("ageu2").lower()
        amount = float(n) if n.isdigit() else word_number(n)
        if amount is None:
            continue
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "age", amount, unit, bound, rule="age", bs=bs)
    # time of day
    for m in scan(pats["time"]):
        if m.group("hh"):
            hh, mm = int(m.group("hh")), int(m.group("mm") or 0)
            if hh > 12 or mm > 59:
                continue
            pm = m.group("ampm").lower().startswith("p")
            hh = (hh % 12) + (12 if pm else 0)
        else:
            if glued(m.start()):
                continue
            hh, mm = int(m.group("hh24")), int(m.group("mm24"))
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "time", hh + mm / 60, "hour", bound, date=f"{hh:02d}:{mm:02d}",
            rule="time", bs=bs)
    # measures
    for m in scan(pats["measure"]):
        if glued(m.start()):
            continue
        amount = _number(m)
        if amount is None:
            continue
        amount *= _scale(m, money=False)
        raw_unit = m.group("unit")
        if raw_unit in ("M", "T", "B", "MI", "Mi", "FT", "KM", "Km"):
            continue  # "12M users": a capital M is not metres
        unit, factor = lx["measure_units"].get(raw_unit.lower(), lx["measure_units"].get(raw_unit, [raw_unit, 1]))
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "measure", amount * factor, unit, bound, rule="measure", bs=bs)
    # dates
    for m in scan(pats["date"]):
        g = m.groupdict()
        date = None
        if g["iso"]:
            date = g["iso"]
        elif g["m1"]:
            date = _iso(int(g["y1"]), MONTHS[g["m1"].lower()], int(g["d1"]), published)
        elif g["m2"]:
            date = _iso(int(g["y2"]) if g["y2"] else None, MONTHS[g["m2"].lower()], int(g["d2"]), published)
        elif g["m3"]:
            date = _iso(None, MONTHS[g["m3"].lower()], int(g["d3"]), published)
        elif g["m4"]:
            date = _iso(int(g["y4"]), MONTHS[g["m4"].lower()], None, published)
        elif g["wd"]:
            if not g["wd"][0].isupper() and not g["wd"].lower().startswith(("last", "next", "this")):
                continue
            date = _resolve_weekday(g["wd"], published)
        elif g["year"]:
            if glued(m.start()) or text[max(0, m.start() - 1):m.start()] in ("$", "€", "£", "#"):
                continue
            date = g["year"]
        bs, bound = m.start(), EXACT
        dm = _DATE_BOUND.search(text[max(0, m.start() - 12):m.start()])
        if dm:
            bs = m.start() - len(dm.group(0))
            bound = AT_MOST if dm.group(1).lower() in ("by", "before", "until", "no later than") else AT_LEAST
        add(m.start(), m.end(), "date", None, "date", bound, date=date, rule="date", bs=bs)
    # durations
    for m in scan(pats["duration"]):
        if m.group("adur"):
            amount, unit = 1.0, m.group("adurunit").lower()
        else:
            if glued(m.start()):
                continue
            amount = _number(m)
            unit = m.group("durunit").lower()
        if amount is None:
            continue
        unit = {"centuries": "century"}.get(unit, unit.rstrip("s") if unit != "s" else unit)
        bs, bound = _bound_before(text, m.start())
        if bound == AT_LEAST and text[bs:m.start()].strip().lower() == "over":
            bs, bound = m.start(), EXACT  # "over four years" is a span of time, not a bound
        add(m.start(), m.end(), "duration", amount, unit, bound, rule="duration", bs=bs)
    # "a little less than a year old" and other vague ages
    for m in scan(_vague_age()):
        if taken.free(m.start(), m.end()):
            inner = re.search(r"(a|one|\d+|%s) (year|month|week)" % _NUMWORD, m.group(0), re.I)
            amount = word_number(inner.group(1)) if not inner.group(1).isdigit() else float(inner.group(1))
            low = m.group(0).lower()
            bound = AT_MOST if any(w in low for w in ("less than", "under", "nearly", "almost")) else (
                AT_LEAST if any(w in low for w in ("more than", "over")) else APPROX)
            add(m.start(), m.end(), "age", amount, inner.group(2).lower(), bound, rule="age_vague")
    # ordinals ("first", "3rd")
    for m in scan(pats["ordinal"]):
        if m.group("ordw"):
            word = m.group("ordw").lower()
            amount = float(ORDINAL_WORDS[word])
        else:
            amount = float(m.group("ordn"))
        add(m.start(), m.end(), "ordinal", amount, None, EXACT, rule="ordinal")
    # counts: whatever numbers are left
    stop_nouns = set(lx["count_stop_nouns"])
    for m in scan(pats["count"]):
        if glued(m.start()):
            continue
        s, e = m.start(), m.end()
        number_end = m.end("num") if m.group("num") else m.end("word")
        if not taken.free(s, number_end):
            continue
        short = m.group("short")
        noun_ok = m.group("noun") and m.group("noun").lower() not in stop_nouns
        if short and (short in ("B", "b", "BN", "Bn") or (short == "M" and not noun_ok)):
            continue  # "Mistral 7B" is a name; "12M users" is a count
        after = m.end("short") if short else (m.end("scale") if m.group("scale") else number_end)
        if text[after:after + 1].isalnum() and not m.group("plus") and not (m.group("noun") and text[after] in " -"):
            continue  # "8x7B", "4th" (ordinals are read above), "3D"
        amount = _number(m)
        if amount is None:
            continue
        noun = m.group("noun")
        if noun and (noun.lower() in stop_nouns or noun.lower() in MONTHS or noun.lower() in SCALES):
            e = m.end("plus") if m.group("plus") else after
            noun = None
        word = (m.group("word") or "").lower()
        if word in ("one", "a dozen", "dozen", "half a", "a half") and not noun:
            continue  # "one of the", "one day": too vague to be a count
        bs, bound = _bound_before(text, s)
        if m.group("plus"):
            bound = AT_LEAST
        unit = _singular(noun.lower()) if noun else None
        add(s, e, "count", amount * _scale(m, money=True), unit, bound, rule="count", bs=bs)

    out.sort(key=lambda v: (v.start, v.end))
    _mark_conversions(text, out)
    return out


_CONVERSION_GAP = re.compile(r"^\s*(?:\(|—|–|-|,|/)?\s*(?:or\s+|roughly\s+|about\s+|around\s+|approximately\s+|some\s+|nearly\s+|equivalent to\s+)*$", re.I)


def _mark_conversions(text: str, values: list[Value]) -> None:
    """ "15 million euros—about $16 million": the second restates the first."""
    for first, second in zip(values, values[1:]):
        if first.type == second.type == "money" and first.unit != second.unit:
            gap = text[first.end:second.start]
            if len(gap) <= 16 and _CONVERSION_GAP.match(gap):
                second.role = ROLE_CONVERSION
                first.equivalents.append((second.amount, second.unit))
                second.equivalents.append((first.amount, first.unit))


_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "lives": "life",
              "staff": "staff", "police": "police", "news": "news", "series": "series"}


def _singular(noun: str) -> str:
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("sses", "shes", "ches", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun
