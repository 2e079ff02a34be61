"""Read quantities, dates and times out of text into comparable numbers.

``read_values(text)`` finds every value in a text and returns
:class:`~claimdesk.core.model.Value` objects with character offsets, a type, an
amount, a normalised unit and a bound::

    "over $2 billion"       -> money, 2e9, USD, at_least
    "15 million euros"      -> money, 1.5e7, EUR, exact
    "10-month-old"          -> age, 10, month, exact
    "40 to 41 hours"        -> duration, 40, hour, high=41 (a range is one value with both ends)
    "5 feet 2 inches"       -> measure, 1.5748, m (two-part amounts are added up)
    "22:00 GMT"             -> time, 22.0, GMT (the zone is the unit; "hour" when none is given)

Measures are stored in one unit per dimension (m, kg, m2, l, km/h, kWh, MW, Pa,
Hz, Sv, V, A, ohm, GB, Mbit/s; rates such as l/min); temperatures keep their
scale (degC, degF, K). It is plain
Python (regular expressions around anchors, then table look-ups), so it works
with or without a statistical spaCy model; the spaCy component
``claimdesk_values`` wraps it. Its tables live in ``resources/patterns``:
``units.json`` (bound words, nouns that are not counted things),
``units_pint.json`` (units, generated from pint's registry by
``claimdesk.nlp.build_units``) and ``currencies.json`` (ISO 4217 codes, symbols,
names, sub-units). Numbers in digits and words are read by ``claimdesk.nlp.numbers``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import json
import re
from functools import lru_cache

from claimdesk.core.model import (
    APPROX,
    AT_LEAST,
    AT_MOST,
    EXACT,
    ROLE_CONVERSION,
    RULE_MINUTE_MARK,
    Value,
)
from claimdesk.nlp.numbers import DIGITS, FRACTIONS, UNICODE_FRACTIONS, WORDS, parse_number
from claimdesk.paths import resource

# -- lexicon -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with open(resource("patterns", "units.json"), encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def unit_table() -> dict:
    with open(resource("patterns", "units_pint.json"), encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def currencies() -> dict:
    with open(resource("patterns", "currencies.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100, "thousandth": 1000,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12, "t": 1e12, "lakh": 1e5, "lac": 1e5,
    "crore": 1e7, "lakh crore": 1e12, "dozen": 12, "dozens": 12, "hundred": 100,
}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
ZONES = ("GMT", "UTC", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "EST", "EDT", "ET", "CST", "CDT", "CT",
         "MST", "MDT", "MT", "PST", "PDT", "PT", "IST", "JST", "KST", "AEST", "AEDT", "HKT", "SGT", "MSK", "Z")
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2629800,
            "year": 31557600, "decade": 315576000, "century": 3155760000}
_DURATION_UNITS = {
    "second": "second", "seconds": "second", "sec": "second", "secs": "second", "s": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
    "year": "year", "years": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
}

# A written number, in digits or words; "neg" is a minus sign that is not a hyphen between two numbers.
_NEG = r"(?P<neg>(?<![\w.,%)/\-–])(?:[-−]|minus\s+|negative\s+))?"
_NUMBER = rf"(?:(?P<num>{DIGITS})|(?P<word>{WORDS}))"
_SCALE = (r"(?:[ \u00a0-]?(?P<scale>thousand|million|billion|trillion|lakh\s+crore|lakh|lac|crore|dozens?)\b"
          r"|(?P<short>k|K|m|M|mn|mln|bn|Bn|BN|b|B|tn|T)(?![A-Za-z0-9])"
          r"|[ \u00a0](?P<short_sp>mn|mln|bn|tn)(?![A-Za-z0-9]))")
_ZONE = r"(?-i:{})(?![A-Za-z])".format("|".join(ZONES))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    lx = lexicon()
    cx = currencies()
    bound_words = {w: b for b, words in lx["bounds"].items() for w in words}
    codes_before = [c for c in cx["codes"] if c not in cx["codes_not_before_numbers"]]
    sym_before = {k for k in cx["symbols_before"] if k != "R"} | set(cx["aliases"])
    first = "".join(sorted({re.escape(c[0]) for c in sym_before | set(codes_before)}))
    cur_before = rf"(?-i:(?=[{first}]){_alt(sym_before | set(codes_before))}|R(?=\d))"
    names = {*cx["names"], *cx["subunits"]} - {"p"}
    cur_after = (rf"(?:(?-i:{_alt(set(cx['codes']) | set(cx['aliases']))})(?![A-Za-z])"
                 rf"|(?:{_alt(names)})\b|(?-i:{_alt(cx['symbols_after'])})(?![A-Za-z])|(?-i:p)(?![\w'.]))")
    bound = _alt(bound_words)
    number = _NUMBER
    money_pre = rf"{_NEG}(?P<cur>{cur_before})\s?{number}{_SCALE}?"
    money_post = (rf"{_NEG}{number}{_SCALE}?[ \u00a0]?(?P<curw>{cur_after})"
                  rf"(?:[ \u00a0](?P<scale2>thousand|million|billion|trillion|mn|bn)\b)?")
    percent = rf"{_NEG}{number}\s*(?P<pct>%|percent\b|per\s+cent\b|percentage\s+points?\b|pc\b|pct\b)"
    scales = _alt([w for w in _TEMPERATURE_SCALES if len(w) > 1])
    temperature = (
        rf"{_NEG}{number}(?:\s?°\s?(?P<t1>(?-i:[CFK]))(?![\w])|\s?(?:degrees?|deg\.?)\s+(?P<t2>{scales}"
        rf"|[CF])\b(?!\.\w)|(?P<t3>(?-i:[CF]))(?![\w.'’])|\s(?P<t4>(?-i:[CF]))(?![\w.'’&])"
        rf"|\s?(?P<t5>{scales})\b|\s?°(?![\w°])|\s?(?P<t7>(?-i:[cf]))(?![\w.'’&])"
        rf"|\s(?P<t6>degrees?|deg\.|deg\b)(?!\s+(?:of|north|south|east|west|latitude|longitude|angle|turn|rotation)))"
    )
    magnitude = (
        r"(?:magnitude(?:\s+of)?[ -]+(?P<mag1>\d{1,2}(?:\.\d{1,3})?)(?![\d.]\d)"
        r"|(?P<mag2>(?<![\d.])\d{1,2}(?:\.\d{1,3})?)[ -]magnitude"
        r"|(?P<mag3>(?<![\d.])\d{1,2}(?:\.\d{1,3})?)\s+on\s+the\s+Richter\s+scale"
        r"|(?<![\w.])(?-i:M)(?P<mag4>\d\.\d)(?![\d.]))"
    )
    age = (
        rf"(?:\baged\s+(?P<aged>\d{{1,3}}|{WORDS})(?![\d.,]\d)"
        rf"|(?P<agen>(?<![\d.,])\d{{1,3}}(?:\.\d{{1,2}})?|{WORDS}|a|an)[ -](?P<ageu>year|month|week|day)s?[ -]old"
        rf"|(?P<agen2>(?<![\d.,])\d{{1,3}}(?:\.\d{{1,2}})?|{WORDS}|a|an)\s+(?P<ageu2>year|month|week|day|century|centuries)s?"
        rf"\s+(?:old|of\s+age))"
    )
    time = (
        rf"(?<![\d.,])(?P<hh>\d{{1,2}})(?:[:.](?P<mm>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am\b|pm\b)"
        rf"(?:\s*(?P<zone1>{_ZONE}))?"
        rf"|(?<![\d.:,])(?P<hh24>[01]?\d|2[0-3]):(?P<mm24>[0-5]\d)(?![\d:])(?:\s*(?:(?P<zone2>{_ZONE})|local\s+time))?"
        rf"|(?<![\d.,:])(?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)\s*(?P<zone3>{_ZONE})"
        rf"|(?P<oc>\b\d{{1,2}}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))\s+o['’]clock\b"
    )
    duration = (rf"{_NEG}{number}(?:[ -]|(?=[hmsdy]))(?P<durunit>{_alt(_DURATION_UNITS)})\b(?!-old| old|-year|[./]\w)")
    duration_a = r"\b(?P<adur>a|an|one)\s+(?P<adurunit>second|minute|hour|day|week|month|year|decade|century)\b(?!-old| old)"
    month = _alt(MONTHS)
    date = (
        rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}})(?!\d)"
        rf"|\b(?P<m2>{month})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y2>\d{{4}})(?!\d))?"
        rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m3>{month})\b\.?"
        rf"|\b(?P<m4>{month})\.?,?\s+(?P<y4>\d{{4}})(?!\d)"
        rf"|(?<![\d.,/])(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?!\d)"
        rf"|\b(?P<wd>(?:last |next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
        rf"|(?<![\d.,%$€£#/])(?P<year>(?:1[6-9]|20)\d{{2}})(?![\d,.]\d)(?!\d)(?!s\b)(?![- ]?%)"
    )
    ordinal = rf"\b(?P<ordw>{_alt(ORDINAL_WORDS)})\b|(?P<ordn>(?<![\d.,])\d{{1,6}})(?:st|nd|rd|th)\b"
    count = rf"{_NEG}{number}(?:{_SCALE})?(?P<plus>\+|-plus)?(?:[ -](?P<noun>(?-i:[a-z][a-z]+)))?"
    measure = rf"{_NEG}{number}(?:[ \u00a0-]?(?P<scale>thousand|million|billion)\b)?(?P<sep>[ \u00a0-]?)(?=[^\W\d_]|[µ°²³ℓ])"
    flags = re.I
    return {
        "bound": re.compile(rf"(?:(?P<bound>\b(?:{bound}))\s+|(?P<sym>>=|<=|≥|≤|>|<)\s*)$", flags),
        "money": re.compile(money_pre, flags),
        "money_post": re.compile(money_post, flags),
        "percent": re.compile(percent, flags),
        "temperature": re.compile(temperature, flags),
        "magnitude": re.compile(magnitude, flags),
        "age": re.compile(age, flags),
        "time": re.compile(time, flags),
        "measure": re.compile(measure, flags),
        "duration": re.compile(duration, flags),
        "duration_a": re.compile(duration_a, flags),
        "number": re.compile(rf"{_NEG}{number}", flags),
        "date": re.compile(date, flags),
        "ordinal": re.compile(ordinal, flags),
        "count": re.compile(count, flags),
        "_bound_words": bound_words,  # type: ignore[dict-item]
    }


# -- number parsing ------------------------------------------------------------------


def word_number(word: str) -> float | None:
    if word.lower().strip() in ("a", "an", "one"):
        return 1.0
    return parse_number(word)


def _number(m: re.Match) -> float | None:
    gd = m.groupdict()
    if gd.get("num"):
        value = parse_number(gd["num"])
    elif gd.get("word"):
        value = parse_number(gd["word"])
    else:
        return None
    if value is not None and gd.get("neg"):
        value = -value
    return value


def _scale(m: re.Match, *, money: bool) -> float:
    gd = m.groupdict()
    if gd.get("scale"):
        return SCALES[re.sub(r"\s+", " ", gd["scale"].lower())]
    if gd.get("short_sp"):
        return SCALES[gd["short_sp"].lower()]
    short = gd.get("short")
    if short:
        s = short.lower()
        if s in ("m", "b", "t") and not money:
            return 1.0 if s in ("m", "t") else 1e9  # "120m" is metres unless it is money
        return SCALES.get(s, 1.0)
    return 1.0


# -- the reader ------------------------------------------------------------------------

# "GPT-4", "Mistral 7B", "8x7B", "COVID-19", "%2020": digits glued to a name are part of the name
_NAME_GLUE = re.compile(r"[A-Za-z][\w]*-$|[A-Za-z]\d*$|x$|%$|%[0-9A-Fa-f]{2}$|#$")
# "Boeing 737", "Windows 11", "Chapter 7": a number right after a capitalised name (not the
# first word of a sentence, nor a word that goes with numbers) names a thing.
_NAME_BEFORE = re.compile(r"(?:^|(?<=[\s(]))([a-z]{0,3}[A-Z][a-zA-Z]+|[A-Z]{2,})\s$")
_CAPITALISED_NUMBER_NAME = re.compile(
    rf"\b(?-i:[A-Z][a-z]+)\s+(?-i:(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Twenty|"
    rf"Thirty|Forty|Fifty|Hundred|Thousand)(?:[ -](?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine))?)\b"
    rf"|\b(?-i:(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Twenty|Thirty|Forty|Fifty|"
    rf"Hundred|Thousand)(?:[ -](?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine))?)\s+(?-i:[A-Z][a-z]+)\b"
)
_NUMBER_FRIENDS = {w.lower() for w in (*MONTHS, *WEEKDAYS)} | {
    "some", "about", "around", "nearly", "almost", "over", "under", "only", "just", "all", "in", "on", "at", "by",
    "the", "and", "of", "to", "from", "since", "until", "between", "with", "for", "aged", "age", "top", "rs",
    "approximately", "roughly", "more", "less", "than", "up", "as", "many", "much", "least", "most", "no", "at",
    "a", "an", "its", "their", "his", "her", "our", "those", "these", "after", "before", "during", "around",
    "nearly", "exactly", "estimated", "another", "killed", "injured", "said", "says", "were", "was", "are",
}
# Hyphenated pairs that are scores, not ranges: "a 2-2 draw", "3-1 at half time", "won 4-0"
_SCORE = re.compile(r"(?<![\w.,\-–])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\w.,%\-–]|\s*(?:%|percent|per cent))")
_SCORE_WORDS = re.compile(
    r"\s+(?:draw|win|victory|defeat|loss|lead|scoreline|home win|away win|at half|at the break|aggregate|"
    r"thrashing|drubbing|in the final|in extra time|on penalties|vote|decision|ruling|majority)\b", re.I)
_SCORE_BEFORE = re.compile(r"\b(?:won|lost|drew|beat\s+\w+|beaten|score(?:d|line)?(?: was| of)?|ended|finished"
                           r"|trailing|trailed|led|leading|lead|victory|defeat|win|draw)\s+(?:by\s+)?$", re.I)
# "section 4.2", "number 10 shirt", "Chapter 7": a number after these labels a thing, it counts nothing
_LABEL_BEFORE = re.compile(
    r"\b(?:number|no\.|nos?\.|#|section|sections|chapter|article|clause|paragraph|page|pages|rule|room|gate|"
    r"platform|route|flight|level|phase|stage|round|grade|version|model|series|type|class|category|tier|"
    r"division|district|ward|zone|block|lot|unit|apartment|apt\.|suite|floor|lane|exit|bus|line|channel|"
    r"episode|season|volume|vol\.|issue|part|step|figure|fig\.|table|item|box|code|form|route|highway|"
    r"interstate|sector|bay|pier|terminal|door|seat|row|bed|ward|level|world war|act|verse|psalm|"
    r"article|amendment|title|schedule|annex|appendix|proposition|prop\.)\s*$", re.I)
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?\(?0\d{2,4}\)?[\s.-]?\d{3}[\s.-]?\d{3,4}(?!\d)")
# "192.168.1.2", "v2.3.1", "12.05.2020": dotted runs are addresses, versions or dates, not amounts
_FORMATION = re.compile(r"(?<![\w.,-])\d(?:-\d){2,4}(?![\w.,-]*\d)")
_DOTTED = re.compile(r"(?<![\w.])v?\d{1,4}\.\d{1,4}\.\d{1,4}(?:\.\d{1,4})*(?![\w.]\w)")
# "30 litres per minute", "500 cubic feet per second", "2 million barrels a day": a rate
_PER_UNITS = {"second": "s", "sec": "s", "s": "s", "minute": "min", "min": "min", "hour": "h", "hr": "h", "h": "h",
              "day": "day", "d": "day", "week": "week", "month": "month", "year": "year", "yr": "year", "annum": "year"}
_PER_TIME = re.compile(r"(?:\s+(?:per|a|an|each|every)\s+|\s?/\s?)(second|sec|minute|min|hour|hr|day|week|month|year|"
                       r"yr|annum|s|h|d)\b(?![-/]\w)", re.I)
_YEAR_WORDS = {"in", "since", "by", "from", "of", "until", "till", "before", "after", "during", "early", "late",
               "mid", "the", "year", "spring", "summer", "autumn", "winter", "fall", "'s", "s", "its", "until",
               "between", "and", "to", "through", "on", "for", "with", "a", "an", "this", "that", "fiscal", "budget",
               "his", "her", "their", "our", "my", "your"}
_APPOSITION_AGE = re.compile(
    r"(?:\b[A-Z][a-z]+|\b(?:man|woman|driver|victim|boy|girl|father|mother|son|daughter|wife|husband|"
    r"resident|student|teacher|officer|soldier|nurse|doctor|pilot|passenger|worker|suspect|defendant|"
    r"owner|mayor|founder|singer|actor|actress|player|star))\s*,\s+(\d{1,3}),\s")
_ANGLE_CONTEXT = re.compile(r"\b(?:angle|angles|tilt\w*|rotat\w*|turn\w*|slope\w*|inclin\w*|incline|arc|bearing|"
                            r"latitude|longitude|heading|pitch|degree turn|u-turn|bank\w*|swivel\w*|lean\w*|"
                            r"pivot\w*|spin\w*)\b", re.I)
# the scales, with the misspellings people write ("celcius", "farenheit")
_TEMPERATURE_SCALES = {"c": "degC", "celsius": "degC", "celcius": "degC", "celsuis": "degC", "centigrade": "degC",
                       "centigrate": "degC", "f": "degF", "fahrenheit": "degF", "farenheit": "degF",
                       "fahrenheight": "degF", "farenhiet": "degF", "fahrenhiet": "degF", "k": "K", "kelvin": "K",
                       "kelvins": "K"}
_TEMPERATURE_CONTEXT = re.compile(r"\b(?:temperature\w*|temps?|thermostat|hot|hotter|heat\w*|cold|colder|warm\w*|cool\w*|weather|"
                                  r"celsius|fahrenheit|thermometer|forecast\w*|degrees? (?:c|f)\b|°|fever|oven|"
                                  r"freez\w*|boil\w*|melt\w*|climate|summer|winter|high of|low of|highs|lows)\b", re.I)
_FEET_INCHES = re.compile(r"(?<![\w.])(?P<ft>\d{1,2})\s?(?:'|’|′|ft\.?|feet|foot)\s?(?P<inch>\d{1,2}(?:\.\d)?)\s?"
                          r"(?:\"|”|″|''|in\b\.?|inch(?:es)?\b)")
_AGE_OF = re.compile(rf"\b(?:at\s+the\s+age\s+of|at\s+age|(?:the\s+)?age\s+of|age[ds]?|ages)\s+(?P<n>\d{{1,3}}|{WORDS})"
                     r"(?![\d.,]\d|\s*(?:%|percent))", re.I)
_ORDINAL_COMPOUND = re.compile(r"\b(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
                               r"(?P<unit>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b", re.I)
# plural nouns that follow a distance in metres ("the 400m hurdles"), unlike "12m users"
_METRE_NOUNS = {"hurdles", "races", "heats", "finals", "sprints", "lengths", "intervals", "dashes", "relays",
                "walls", "waves", "drops", "falls", "cliffs", "towers", "depths", "heights", "runs", "swims",
                "metres", "meters", "yachts", "boats", "ships", "vessels", "rockets"}
_NOT_NAMES = {"and", "but", "so", "then", "now", "well", "yes", "no", "or", "also", "first", "second", "third",
              "finally", "number", "point", "item", "step", "still", "today", "yesterday", "however", "again",
              "page", "chapter", "section", "article", "figure", "table", "rule", "part", "phase", "look", "okay"}
_BAD_TIME = re.compile(r"(?<![\d.])\d{1,2}\.\d(?!\d)\s*(?:a\.?m\.?|p\.?m\.?)(?![A-Za-z])", re.I)


def _bound_before(text: str, start: int) -> tuple[int, str]:
    """A bound phrase just before ``start`` ("more than ", "about ", "> "), if any."""
    pats = _patterns()
    window = text[max(0, start - 40):start]
    m = pats["bound"].search(window)
    if not m:
        return start, EXACT
    if m.group("sym"):
        sym = m.group("sym")
        return start - (len(window) - m.start()), AT_LEAST if sym in (">", ">=", "≥") else AT_MOST
    word = re.sub(r"\s+", " ", m.group("bound").lower())
    return start - (len(window) - m.start()), pats["_bound_words"][word]


_BOUND_AFTER = re.compile(
    r"\s*,?\s*(?:(?P<more>or\s+(?:more|above|over|greater|higher|later|longer)|and\s+(?:above|over|up)|at\s+least|"
    r"minimum|at\s+the\s+least)"
    r"|(?P<less>or\s+(?:less|fewer|below|under|lower|earlier|shorter)|and\s+(?:below|under)|at\s+most|at\s+the\s+most"
    r"|maximum|tops)|(?P<about>or\s+so|or\s+thereabouts|give\s+or\s+take))\b", re.I)


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
        r"(?:a|one|\d{1,3}|%s) (year|month|week)s? old\b" % WORDS, re.I)


@lru_cache(maxsize=1)
def _anchor() -> re.Pattern:
    """What every value contains: a digit, a number, fraction or ordinal word, a weekday or a unit of time."""
    # Months are not anchors: every date pattern with a month also has digits.
    from claimdesk.nlp.numbers import DOZEN, FRACTIONS, HUNDRED, SCALE_WORDS, TENS, UNITS

    words = {*UNITS, *TENS, *HUNDRED, *SCALE_WORDS, *DOZEN, *FRACTIONS, *ORDINAL_WORDS, *WEEKDAYS}
    words |= {"second", "minute", "hour", "day", "week", "month", "year", "decade", "centur"}
    return re.compile(r"\d|[%s]|\b(?:%s)" % ("".join(UNICODE_FRACTIONS), _alt(words)), re.I)


WINDOW_MARGIN = 48


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


# -- units ------------------------------------------------------------------------------

_UNIT_TOKEN = re.compile(r"[^\s,;:!?()\[\]\"“”'’\-–—]+(?:-[^\s,;:!?()\[\]\"“”'’\-–—]+)*")


def _unit_at(text: str, pos: int) -> tuple[int, str, float] | None:
    """The unit written at ``pos`` ("km", "square metres", "Nautical Miles"): (end, unit, factor)."""
    table = unit_table()
    symbols, names = table["symbols"], table["names"]
    tokens: list[int] = []
    i = pos
    n = len(text)
    limit = min(n, pos + 48)  # no unit is longer: a long run of letters is tried once, not per number
    for _ in range(4):
        m = _UNIT_TOKEN.match(text, i, limit)
        if not m:
            break
        tokens.append(m.end())
        j = m.end()
        if j < n and text[j] == " " and j + 1 < n and not text[j + 1].isspace():
            i = j + 1
        else:
            break
    candidates = [text[pos:end] for end in reversed(tokens)]
    if candidates:
        first = candidates[-1]
        for sep in ("-", "/"):  # "km-long", "mg/kg": the unit before the hyphen or slash
            if sep in first:
                candidates.append(first.split(sep)[0])
    for cand in candidates:
        for c in (cand, cand.rstrip(".")):
            if not c:
                continue
            hit = symbols.get(c) or names.get(c.lower()) or names.get(c.lower().replace("-", " "))
            if hit:
                e = pos + len(c)
                if e < n and (text[e].isalnum() or text[e] in "²³"):
                    continue
                return e, hit[0], hit[1]
    return None


_WEIGHT_CONTEXT = re.compile(
    r"\b(?:weigh\w*|heav(?:y|ier|iest)|light(?:er)?|ounces?|oz|lbs?|kg|kilos?|stones?|pack|bag|sack|fish|catch|"
    r"baby|born|birth|lost|gained|obese|load|cargo|payload|vessel|truck|lift\w*|pound-|weight\w*)\b", re.I)
_MONEY_CONTEXT = re.compile(
    r"\b(?:pa(?:y|id|ys)|cost\w*|fine[ds]?|spen[dt]\w*|pric\w*|worth|salar\w*|wages?|budget\w*|rais\w*|bills?|"
    r"rent|fees?|owe[ds]?|debts?|earn\w*|sterling|bonus\w*|funding|fund\w*|invest\w*|loans?|tax\w*|"
    r"revenue|profit\w*|sold|sell\w*|buy\w*|bought|deal|contract|award\w*|compensation|donat\w*|charg\w*)\b", re.I)


def _pounds_are_weight(text: str, s: int, e: int, scaled: bool) -> bool:
    """ "weighs 23,000 pounds" is weight; "paid 50 million pounds" is sterling."""
    if scaled:
        return False
    before = text[max(0, s - 60):s]
    after = text[e:e + 30]
    of = re.match(r"\s+of\s+(\w+)", after)
    if of and not _MONEY_CONTEXT.match(of.group(1)) and of.group(1).lower() not in (
            "public", "taxpayers", "cash", "money", "funding", "savings", "debt", "investment", "spending"):
        return True  # "five pounds of flour"
    weight = _WEIGHT_CONTEXT.search(before) or _WEIGHT_CONTEXT.search(after)
    money = _MONEY_CONTEXT.search(before[-30:]) or _MONEY_CONTEXT.search(after)
    return bool(weight) and not money


def _kr_code(text: str, s: int) -> str:
    cx = currencies()
    around = text[max(0, s - 200):s + 200].lower()
    for code, words in cx["kr_by_country"].items():
        if any(w in around for w in words):
            return code
    return "SEK"


# -- reading -----------------------------------------------------------------------------


_MINUTE_MARK = re.compile(r"\b[A-Z][A-Za-z'’.-]*\s(?P<min>\d{1,3})(?:\+\d{1,2})?['’′](?![\w'’])")


def read_values(text: str, *, published: str | None = None) -> list[Value]:
    """Every value in ``text``, in text order, with offsets into ``text``."""
    pats = _patterns()
    lx = lexicon()
    cx = currencies()
    out: list[Value] = []
    taken = _Taken()
    windows = _windows(text)
    # per value (by id): (written number, scale factor, unit factor, bare) for merging ranges and parts
    meta: dict[int, tuple[float | None, float, float, bool]] = {}

    def scan(pattern: re.Pattern, needs: tuple[str, ...] = ()):
        """Matches in the windows; with ``needs``, only in windows that contain one of those words."""
        for lo, hi in windows:
            if needs:
                low = text[lo:hi].lower()
                if not any(w in low for w in needs):
                    continue
            yield from pattern.finditer(text, lo, hi)

    # Where numbers start: the patterns that begin with a number are tried only there.
    number_starts = [m.start() for m in scan(pats["number"])]

    def at_numbers(pattern: re.Pattern):
        last_end = -1
        for s in number_starts:
            if s < last_end:
                continue
            m = pattern.match(text, s)
            if m and m.end() > m.start():
                last_end = m.end()
                yield m

    def add(s: int, e: int, vtype: str, amount, unit=None, bound=EXACT, date=None, rule=None, bs=None,
            number=None, scale=1.0, factor=1.0, bare=False):
        start = bs if bs is not None else s
        if not taken.free(start, e):
            return None
        if amount is not None:
            if not abs(amount) < 1e300:
                return None
            amount = float(f"{amount:.12g}")  # 16.4 * 1e6 is 16,400,000, not 16,399,999.999999998
        taken.take(start, e)
        v = Value(start=start, end=e, text=text[start:e], type=vtype, amount=amount, unit=unit,
                  bound=bound, date=date, rule=rule)
        out.append(v)
        meta[id(v)] = (number, scale, factor, bare)
        return v

    def block(s: int, e: int) -> None:
        if taken.free(s, e):
            taken.take(s, e)

    def glued(s: int) -> bool:
        before = text[max(0, s - 12):s]
        return bool(_NAME_GLUE.search(before)) and not before.endswith((" ", "\n", "(", "$", "€", "£", "−", "~"))

    def named(s: int) -> bool:
        """A number that is part of a name: "Boeing 737", "Windows 11" (not "In 2019", "Some 3,000")."""
        lo = max(0, s - 30)
        window = text[lo:s]
        m = _NAME_BEFORE.search(window)
        if not m or m.group(1).lower() in _NUMBER_FRIENDS or m.group(1) in cx["codes"]:
            return False
        pre = window[:m.start()]
        if not pre.strip():
            return False  # the first word of a text ("Expect 10 to 20 cm"), or too far back to tell
        return not re.search(r"[.!?:;\"“(—–]\s*$", pre)

    # -- what is not a value: scores, "2.1 pm", names made of number words
    for lo, hi in windows:
        for m in _SCORE.finditer(text, lo, hi):
            a, b = int(m.group(1)), int(m.group(2))
            context = _SCORE_WORDS.match(text, m.end()) or _SCORE_BEFORE.search(text[max(0, m.start() - 30):m.start()])
            if not context:
                if a < b:
                    continue  # "200-300 people", "3-5 years": a range
                if text[m.end():m.end() + 1] == " " and _unit_at(text, m.end() + 1):
                    continue
            block(m.start(), m.end())
        for m in _BAD_TIME.finditer(text, lo, hi):
            block(m.start(), m.end())
        for m in _PHONE.finditer(text, lo, hi):
            block(m.start(), m.end())
        for m in _FORMATION.finditer(text, lo, hi):
            block(m.start(), m.end())  # "Spain (4-3-3, right to left)": a team's shape, not a range
        for m in _DOTTED.finditer(text, lo, hi):
            block(m.start(), m.end())
        for m in _CAPITALISED_NUMBER_NAME.finditer(text, lo, hi):
            word_start = m.start()
            first = m.group(0).split()[0]
            # "Three ministers" at the start of a sentence is a count; "the Three Lions" is a name
            sentence_start = word_start == 0 or re.search(r"[.!?\"“]\s*$", text[max(0, word_start - 3):word_start])
            if sentence_start and first.lower() in {"one", "two", "three", "four", "five", "six", "seven", "eight",
                                                    "nine", "ten", "eleven", "twelve", "twenty", "thirty",
                                                    "forty", "fifty", "hundred", "thousand"}:
                continue
            block(m.start(), m.end())

    # -- money
    money_matches = sorted([*scan(pats["money"]), *at_numbers(pats["money_post"])], key=lambda m: (m.start(), -m.end()))
    for m in money_matches:
        gd = m.groupdict()
        num_start = m.start("num") if gd.get("num") else m.start("word")
        if glued(m.start()) or (gd.get("cur") is None and glued(num_start)):
            continue
        amount = _number(m)
        if amount is None:
            continue
        scale = _scale(m, money=True)
        if gd.get("scale2"):
            scale = SCALES[gd["scale2"].lower()]
        cur = gd.get("cur") or gd.get("curw")
        factor = 1.0
        if gd.get("cur"):
            code = cx["symbols_before"].get(cur) or cx["aliases"].get(cur) or cur
            if cur == "R" and (not gd.get("num") or scale == 1.0 and "," not in gd["num"] and len(gd["num"]) < 3):
                continue  # "R2" is more often a name than two rand
        else:
            low = re.sub(r"\s+", " ", cur.lower())
            if cur in cx["symbols_after"]:
                code = cx["symbols_after"][cur]
                if cur.startswith("kr"):
                    code = _kr_code(text, m.start())
            elif low in cx["subunits"]:
                if cur == "p" and (not gd.get("num") or text[m.start("curw") - 1] in " \u00a0"):
                    continue
                code, factor = cx["subunits"][low]
                if low in ("cent", "cents") and re.search(r"€|\beuros?\b", text[max(0, m.start() - 80):m.end() + 40]):
                    code = "EUR"
            elif cur in cx["codes"] or cur in cx["aliases"]:
                code = cx["aliases"].get(cur, cur)
            else:
                code = cx["names"].get(low)
                if code is None:
                    continue
                if low in ("pound", "pounds") and _pounds_are_weight(text, m.start(), m.end(), scale != 1.0):
                    continue
                if low in ("won", "real", "dong", "rand", "lei") and not gd.get("num") and scale == 1.0:
                    continue  # "one won", "a real": words, not money
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "money", amount * scale * factor, code, bound, rule="money", bs=bs,
            number=amount, scale=scale, factor=factor)
    # -- percent
    for m in at_numbers(pats["percent"]):
        if glued(m.start()):
            continue
        amount = _number(m)
        if amount is None:
            continue
        bs, bound = _bound_before(text, m.start())
        unit = "pp" if "point" in m.group("pct").lower() else "%"
        add(m.start(), m.end(), "percent", amount, unit, bound, rule="percent", bs=bs, number=amount)
    # -- temperature
    for m in at_numbers(pats["temperature"]):
        if glued(m.start()):
            continue
        amount = _number(m)
        if amount is None:
            continue
        scale_letter = next((m.group(g) for g in ("t1", "t2", "t3", "t4", "t5", "t7") if m.group(g)), "c").lower()
        if m.group("t7") and not _TEMPERATURE_CONTEXT.search(text[max(0, m.start() - 60):m.start()]):
            continue  # "30 c" is a temperature only where the words before speak of one
        if m.group("t3") or m.group("t4"):
            # "25C", "14 F": a bare letter is a temperature only where it could be one
            if amount > 150 or not gd_num_plain(m) or named(m.start()):
                continue
        unit = _TEMPERATURE_SCALES.get(scale_letter, "degC")
        if m.group("t6") or (not any(m.group(g) for g in ("t1", "t2", "t3", "t4", "t5", "t7"))):
            # "40 degrees", "10°": a temperature unless the words around speak of angles
            around = text[max(0, m.start() - 60):m.end() + 40]
            if _ANGLE_CONTEXT.search(around) and not _TEMPERATURE_CONTEXT.search(around):
                bs, bound = _bound_before(text, m.start())
                add(m.start(), m.end(), "measure", amount, "deg", bound, rule="angle", bs=bs, number=amount)
                continue
        end = m.end()
        below = re.match(r"\s+below\s+(?:zero|freezing)\b", text[end:end + 20], re.I)
        if below and amount > 0:
            amount, end = -amount, end + below.end()
        bs, bound = _bound_before(text, m.start())
        add(m.start(), end, "measure", amount, unit, bound, rule="temperature", bs=bs, number=amount)
        continue
    # -- magnitude
    for m in scan(pats["magnitude"], ("magnitude", "richter", "m")):
        amount = float(m.group("mag1") or m.group("mag2") or m.group("mag3") or m.group("mag4"))
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "measure", amount, "magnitude", bound, rule="magnitude", bs=bs)
    # -- age
    for m in scan(pats["age"], ("old", "aged", "age")):
        if m.group("aged"):
            n, unit = m.group("aged"), "year"
        elif m.group("agen"):
            n, unit = m.group("agen"), m.group("ageu").lower()
        else:
            n, unit = m.group("agen2"), m.group("ageu2").lower()
        unit = {"centuries": "century"}.get(unit, unit)
        if unit == "century":
            amount = word_number(n)
            if amount is None:
                continue
            add(m.start(), m.end(), "age", amount * 100, "year", rule="age")
            continue
        amount = float(n) if n.replace(".", "", 1).isdigit() else word_number(n)
        if amount is None:
            continue
        bs, bound = _bound_before(text, m.start())
        add(m.start(), m.end(), "age", amount, unit, bound, rule="age", bs=bs)
    # -- 5'11", 6 ft 2 in: a height
    for lo, hi in windows:
        for m in _FEET_INCHES.finditer(text, lo, hi):
            ft, inch = int(m.group("ft")), float(m.group("inch"))
            if inch < 12:
                bs, bound = _bound_before(text, m.start())
                add(m.start(), m.end(), "measure", ft * 0.3048 + inch * 0.0254, "m", bound, rule="measure_parts", bs=bs)
    # -- "at the age of 25", "aged 30"
    for m in scan(_AGE_OF, ("age",)):
        bs, bound = _bound_before(text, m.start())
        n = parse_number(m.group("n"))
        if n is not None and 0 < n < 130:
            add(m.start(), m.end(), "age", n, "year", bound, rule="age", bs=bs)
    # -- "twenty-first"
    for m in scan(_ORDINAL_COMPOUND, ("first", "second", "third", "th")):
        tens = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                "ninety": 90}[m.group("tens").lower()]
        add(m.start(), m.end(), "ordinal", float(tens + ORDINAL_WORDS[m.group("unit").lower()]), None, rule="ordinal")
    # -- "John Smith, 64, said": an age in apposition
    for lo, hi in windows:
        for m in _APPOSITION_AGE.finditer(text, lo, hi):
            n = int(m.group(1))
            word = re.match(r"\w+", m.group(0)).group(0).lower()
            if 1 <= n <= 115 and word not in _NOT_NAMES:
                add(m.start(1), m.end(1), "age", float(n), "year", rule="age_apposition")
    # -- time of day
    for m in at_numbers(pats["time"]):
        zone = m.group("zone1") or m.group("zone2") or m.group("zone3")
        if m.group("hh"):
            hh, mm = int(m.group("hh")), int(m.group("mm") or 0)
            if hh > 12 or hh == 0 and m.group("ampm"):
                continue
            pm = m.group("ampm").lower().startswith("p")
            hh = (hh % 12) + (12 if pm else 0)
        elif m.group("hh24"):
            if glued(m.start()):
                continue
            hh, mm = int(m.group("hh24")), int(m.group("mm24"))
        elif m.group("mil"):
            if glued(m.start()):
                continue
            hh, mm = int(m.group("mil")), int(m.group("milm"))
        else:
            n = m.group("oc")
            hh = int(n) if n.isdigit() else int(word_number(n) or 0)
            mm = 0
            if not 1 <= hh <= 12:
                continue
        bs, bound = _bound_before(text, m.start())
        dm = _DATE_BOUND.search(text[max(0, m.start() - 12):m.start()])
        if bound == EXACT and dm:
            bs = m.start() - len(dm.group(0))
            bound = AT_MOST if dm.group(1).lower() in ("by", "before", "until", "no later than") else AT_LEAST
        add(m.start(), m.end(), "time", hh + mm / 60, zone.upper() if zone else "hour", bound,
            date=f"{hh:02d}:{mm:02d}", rule="time", bs=bs)
    # -- measures: a number, then a unit from the table
    for m in at_numbers(pats["measure"]):
        if glued(m.start()):
            continue
        found = _unit_at(text, m.end())
        if found is None:
            continue
        end, unit, factor = found
        per = _PER_TIME.match(text, end)
        if per and unit not in ("km/h", "Hz", "rpm", "Mbit/s"):
            unit = f"{unit}/{_PER_UNITS[per.group(1).lower()]}"
            end = per.end()
        amount = _number(m)
        if amount is None:
            continue
        raw = text[m.end():end]
        if raw == "m" and not m.group("sep"):
            counted = re.match(r"\s+([a-z]+)", text[end:end + 30])
            if counted and (counted.group(1).endswith("s") or counted.group(1) in _IRREGULAR) \
                    and counted.group(1) not in _METRE_NOUNS:
                continue  # "12m users", "1.2m jobs": millions of things, read as a count below
        if raw.lower() in ("pound", "pounds") and not _pounds_are_weight(text, m.start(), end, False) and \
                m.group("sep") != "-":
            continue  # sterling, read above unless the context says weight
        scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1.0
        bs, bound = _bound_before(text, m.start())
        add(m.start(), end, "measure", amount * scale * factor, unit, bound, rule="measure", bs=bs,
            number=amount, scale=scale, factor=factor)
    # -- dates
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
            if g["m4"].lower() == "may" and not g["m4"][0].isupper():
                continue
            date = _iso(int(g["y4"]), MONTHS[g["m4"].lower()], None, published)
        elif g["wd"]:
            if not g["wd"][0].isupper() and not g["wd"].lower().startswith(("last", "next", "this")):
                continue
            date = _resolve_weekday(g["wd"], published)
        elif g["year"]:
            if glued(m.start()) or named(m.start()) or _LABEL_BEFORE.search(text, max(0, m.start() - 16), m.start()) \
                    or text[max(0, m.start() - 1):m.start()] in ("$", "€", "£", "#"):
                continue
            if _unit_at(text, m.end() + 1) and text[m.end():m.end() + 1] == " ":
                continue  # "2000 metres", "1800 tonnes"
            nxt = re.match(r"[ -]([a-z]+)", text[m.end():m.end() + 20])
            prev = re.search(r"([A-Za-z']+)\W*$", text[max(0, m.start() - 20):m.start()])
            if nxt and nxt.group(1) not in lx["count_stop_nouns"] and not (
                    prev and prev.group(1).lower() in _YEAR_WORDS) and nxt.group(1).endswith("s"):
                continue  # "2000 jobs", "some 1500 pupils": a count, not "in 2019 sales"
            date = g["year"]
        bs, bound = m.start(), EXACT
        dm = _DATE_BOUND.search(text[max(0, m.start() - 12):m.start()])
        if dm:
            bs = m.start() - len(dm.group(0))
            bound = AT_MOST if dm.group(1).lower() in ("by", "before", "until", "no later than") else AT_LEAST
        add(m.start(), m.end(), "date", None, "date", bound, date=date, rule="date", bs=bs)
    # -- durations
    for m in sorted([*at_numbers(pats["duration"]), *scan(pats["duration_a"])], key=lambda m: m.start()):
        if m.groupdict().get("adur"):
            amount, unit = 1.0, m.group("adurunit").lower()
        else:
            if glued(m.start()):
                continue
            amount = _number(m)
            written = m.group("durunit")
            unit = _DURATION_UNITS[written.lower()]
            if written in ("s", "h", "min") and text[m.end("num") if m.group("num") else m.end("word")] == "-":
                continue
            if written == "s" and text[m.start("durunit") - 1:m.start("durunit")] != " ":
                continue  # "1990s"
        if amount is None:
            continue
        bs, bound = _bound_before(text, m.start())
        if bound == AT_LEAST and text[bs:m.start()].strip().lower() == "over":
            bs, bound = m.start(), EXACT  # "over four years" is a span of time, not a bound
        add(m.start(), m.end(), "duration", amount, unit, bound, rule="duration", bs=bs, number=amount)
    # -- "a little less than a year old" and other vague ages
    for m in scan(_vague_age(), ("old",)):
        if taken.free(m.start(), m.end()):
            inner = re.search(r"(a|one|\d+|%s) (year|month|week)" % WORDS, m.group(0), re.I)
            amount = word_number(inner.group(1)) if not inner.group(1).isdigit() else float(inner.group(1))
            low = m.group(0).lower()
            bound = AT_MOST if any(w in low for w in ("less than", "under", "nearly", "almost")) else (
                AT_LEAST if any(w in low for w in ("more than", "over")) else APPROX)
            add(m.start(), m.end(), "age", amount, inner.group(2).lower(), bound, rule="age_vague")
    # -- a match minute as sports copy writes it after the scorer: "Oyarzabal 87'", "Palmer 73’", "Kane 90+2'"
    for lo, hi in windows:
        for m in _MINUTE_MARK.finditer(text, lo, hi):
            if int(m.group("min")) <= 130:
                add(m.start("min"), m.end(), "ordinal", float(m.group("min")), None, EXACT, rule=RULE_MINUTE_MARK)
    # -- ordinals ("first", "3rd")
    for m in scan(pats["ordinal"]):
        if m.group("ordw"):
            word = m.group("ordw").lower()
            if word in FRACTIONS and re.search(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a)[\s-]$",
                                               text[max(0, m.start() - 7):m.start()], re.I):
                continue  # "one-third" is a fraction, read as a number below
            amount = float(ORDINAL_WORDS[word])
        else:
            if glued(m.start()):
                continue
            amount = float(m.group("ordn"))
        add(m.start(), m.end(), "ordinal", amount, None, EXACT, rule="ordinal")
    # -- counts: whatever numbers are left
    stop_nouns = set(lx["count_stop_nouns"])
    for m in at_numbers(pats["count"]):
        if glued(m.start()):
            continue
        s, e = m.start(), m.end()
        number_end = m.end("num") if m.group("num") else m.end("word")
        if not taken.free(s, number_end):
            continue
        if ((m.group("num") and named(s)) or _LABEL_BEFORE.search(text, max(0, s - 16), s)) \
                and not m.group("scale") and not m.group("plus"):
            continue
        if m.group("word") and m.group("word")[0].isupper() and not _sentence_start(text, s):
            continue  # "7-Eleven", "Ocean's Eleven": a capitalised number word inside a sentence is a name
        if m.group("word") and m.group("word").lower() == "one" and text[number_end:number_end + 1] == "-":
            continue  # "one-off", "one-way", "one-two": adjectives
        short = m.group("short") or m.group("short_sp")
        noun_ok = m.group("noun") and m.group("noun").lower() not in stop_nouns
        if short and (short in ("B", "b", "BN", "Bn", "T") or (short in ("M", "K") and not noun_ok)):
            continue  # "Mistral 7B" is a name; "12M users" is a count
        after = m.end("short") if m.group("short") else (
            m.end("short_sp") if m.group("short_sp") else (m.end("scale") if m.group("scale") else number_end))
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
        if word in ("one", "zero", "a dozen", "dozen", "half a", "a half", "half an", "a quarter") and not noun:
            continue  # "one of the", "one day": too vague to be a count
        bs, bound = _bound_before(text, s)
        if m.group("plus"):
            bound = AT_LEAST
        unit = _singular(noun.lower()) if noun else None
        scale = _scale(m, money=True)
        add(s, e, "count", amount * scale, unit, bound, rule="count", bs=bs, number=amount, scale=scale,
            bare=noun is None)

    out.sort(key=lambda v: (v.start, v.end))
    out = _merge_parts(text, out, meta)
    out = _merge_ranges(text, out, meta)
    _bounds_after(text, out)
    _accounting_negatives(text, out)
    _mark_conversions(text, out)
    return out


def _sentence_start(text: str, s: int) -> bool:
    before = text[max(0, s - 4):s]
    return s == 0 or not before.strip() and s < 4 or bool(re.search(r"(?:[.!?:;\"“”(\[—–]|^)\s*$", before))


def gd_num_plain(m: re.Match) -> bool:
    """A number in digits (not words) before a bare C or F."""
    return bool(m.group("num"))


# -- putting pieces together ---------------------------------------------------------------

_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|grew|grow\w*|jump\w*|climb\w*|"
    r"drop\w*|declin\w*|cut|rais\w*|slump\w*|surg\w*|soar\w*|went|gone|moved?|shifted|changed|up|down)\b"
    r"[^.;]{0,40}\bfrom\s+$",
    re.I)
# "fell $25.16 to $233.65", "dropped by 5% to 40%": the first figure is the change, the second the level
# reached; "to" after a figure of change is not a range.
_CHANGED_BY = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|grew|grow\w*|jump\w*|climb\w*|"
    r"drop\w*|declin\w*|cut|rais\w*|slump\w*|surg\w*|soar\w*|gain\w*|lost|los(?:e|es|ing)|shed\w*|"
    r"plung\w*|plummet\w*|tumbl\w*|slid\w*|sank|sink\w*|slipp?\w*|add\w*|trimm?\w*|down|up)"
    r"\s+(?:(?:by|about|around|roughly|nearly|almost|some|another|a\s+further|\w+ly)\s+){0,2}$",
    re.I)
_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|~|to|through|till|and)\s*$", re.I)
_PART_GAP = re.compile(r"^(?:\s+|,\s*|\s+and\s+|\s*,\s+and\s+)$", re.I)


def _merge_ranges(text: str, values: list[Value], meta: dict) -> list[Value]:
    """ "40 to 41 hours", "between 3 and 5 million", "3-5%": one value with both ends."""
    out: list[Value] = []
    i = 0
    while i < len(values):
        v = values[i]
        if i + 1 < len(values):
            w = values[i + 1]
            gap = text[v.end:w.start]
            merged = _range(text, v, w, gap, meta)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        out.append(v)
        i += 1
    return out


def _range(text: str, v: Value, w: Value, gap: str, meta: dict) -> Value | None:
    if not (_RANGE_GAP.match(gap) or re.match(r"^\s*(?:,\s*)?(?:and|but)\s*$", gap)) or w.type in ("date", "time", "ordinal") or v.type in ("date", "time", "ordinal"):
        return None
    if v.amount is None or w.amount is None:
        return None
    # "more than 20 and less than 30", "less than 10 but more than 5"
    opened = {v.bound, w.bound} == {AT_LEAST, AT_MOST}
    if opened and re.match(r"^\s*(?:,\s*)?(?:and|but)\s*$", gap) and v.type == w.type \
            and (v.unit == w.unit or v.type == "count" and v.unit is None):
        low, high = (v.amount, w.amount) if v.bound == AT_LEAST else (w.amount, v.amount)
        if not low < high:
            return None
        merged = Value(start=v.start, end=w.end, text=text[v.start:w.end], type=w.type, amount=low,
                       unit=w.unit, bound=EXACT, date=w.date, rule=f"{w.rule}_range", high=high)
        meta[id(merged)] = meta.get(id(w), (None, 1.0, 1.0, False))
        return merged
    if w.bound != EXACT and w.bound != APPROX:
        return None
    between = re.search(r"\bbetween\s+$", text[max(0, v.start - 10):v.start], re.I)
    gap_word = gap.strip(" ,").lower()
    if gap_word in ("and", "but") and not (between and gap.strip() == "and" or opened):
        return None
    if w.text[:1].isupper() and not _sentence_start(text, w.start):
        return None  # "7-Eleven"
    if _CHANGE_BEFORE.search(text[max(0, v.start - 40):v.start]) and not between:
        return None  # "rose from 3% to 5%": two values, a change
    if gap.strip().lower() == "to" and re.search(r"\bby\s+(?:[a-z]+\s+){0,2}$", text[max(0, v.start - 30):v.start], re.I) \
            and v.amount and w.amount and abs(w.amount) > 3 * abs(v.amount) and not between:
        return None  # "lifting its value by over $110 billion to $3.335 trillion": a change, then the level reached
    if gap.strip().lower() == "to" and _CHANGED_BY.search(text[max(0, v.start - 40):v.start]) and not between:
        return None  # "fell $25.16 to $233.65": the change, then the level it reached
    vn, vs, vf, vbare = meta.get(id(v), (None, 1.0, 1.0, False))
    wn, ws, wf, wbare = meta.get(id(w), (None, 1.0, 1.0, False))
    if ws == 1.0 and wn is not None:
        ws_words = _scale_in_words(w.text)  # "seven billion dollars": the scale is part of the words
        if ws_words != 1.0 and _scale_in_words(v.text) == 1.0:
            wn, ws = wn / ws_words, ws_words
    vtype, unit, high = w.type, w.unit, w.amount
    if v.type == "count" and vbare:
        if vn is None:
            return None
        low = vn * (vs if vs != 1.0 else ws) * wf
    elif w.type == "count" and wbare and v.type in ("money", "measure", "percent", "duration", "age") \
            and gap in ("-", "–", " to ", " - "[1:2]):
        # "$10-15 million", "5 km to 10": the second end takes the unit of the first
        if wn is None or vn is None:
            return None
        vtype, unit = v.type, v.unit
        low = v.amount if vs != 1.0 or ws == 1.0 else vn * ws * vf
        high = wn * ws * vf
    elif v.type == w.type and v.unit == w.unit:
        low = v.amount if vs != 1.0 or ws == 1.0 or vn is None else vn * ws * vf
    else:
        return None
    if not low < high:
        return None
    if v.type == "count" and vbare and high >= 100 * abs(low) and low != 0:
        return None  # "6 to $7,000", "from 3 to 500": an elided scale or two figures, not a range
    start = v.start - len(between.group(0)) if between else v.start
    bound = v.bound if v.bound != EXACT else w.bound
    merged = Value(start=start, end=w.end, text=text[start:w.end], type=vtype, amount=low, unit=unit,
                   bound=bound, date=w.date, rule=f"{w.rule}_range", high=high)
    meta[id(merged)] = meta.get(id(w), (None, 1.0, 1.0, False))
    return merged


_SCALE_WORD = re.compile(r"\b(hundred|thousand|million|billion|trillion|lakh|crore)\b", re.I)


def _scale_in_words(written: str) -> float:
    m = _SCALE_WORD.search(written)
    return SCALES[m.group(1).lower()] if m else 1.0


def _merge_parts(text: str, values: list[Value], meta: dict) -> list[Value]:
    """ "5 feet 2 inches", "one hour and 45 minutes", "3 dollars 50 cents": one amount."""
    out: list[Value] = []
    for v in values:
        prev = out[-1] if out else None
        if prev is not None and prev.amount is not None and v.amount is not None:
            gap = text[prev.end:v.start]
            merged = None
            if _PART_GAP.match(gap) and prev.bound == EXACT and v.bound == EXACT:
                pf, vf = meta.get(id(prev), (None, 1, 1, False))[2], meta.get(id(v), (None, 1, 1, False))[2]
                if prev.type == v.type == "measure" and prev.unit == v.unit and pf > vf and prev.rule == "measure":
                    merged = (prev.amount + v.amount, prev.unit)
                elif prev.type == v.type == "duration" and _SECONDS[prev.unit] > _SECONDS[v.unit]:
                    merged = (prev.amount * _SECONDS[prev.unit] / _SECONDS[v.unit] + v.amount, v.unit)
                elif prev.type == v.type == "money" and prev.unit == v.unit and pf == 1 and vf < 1:
                    merged = (prev.amount + v.amount, prev.unit)
                elif prev.type == "measure" and prev.unit == "m" and v.type == "count" \
                        and abs(pf - 0.3048) < 1e-6 and gap.strip() == "" and 0 <= v.amount < 12:
                    end = v.end
                    inch = re.match(r"\s*(?:in\b\.?|inch(?:es)?\b|\"|”)", text[v.end:v.end + 8])
                    if inch:
                        end = v.end + inch.end()
                    merged = (prev.amount + v.amount * 0.0254, "m")
                    v = Value(start=v.start, end=end, text=text[v.start:end], type=v.type, amount=v.amount)
            if merged is not None:
                amount, unit = merged
                joined = Value(start=prev.start, end=v.end, text=text[prev.start:v.end], type=prev.type,
                               amount=amount, unit=unit, bound=prev.bound, rule=f"{prev.rule}_parts")
                meta[id(joined)] = (None, 1.0, 1.0, False)
                out[-1] = joined
                continue
        out.append(v)
    return out


def _bounds_after(text: str, values: list[Value]) -> None:
    """ "five hundred or more", "50 and above"."""
    for i, v in enumerate(values):
        if v.bound != EXACT or v.amount is None:
            continue
        m = _BOUND_AFTER.match(text, v.end)
        if not m:
            continue
        end = m.end()
        if i + 1 < len(values) and values[i + 1].start < end:
            continue
        v.bound = AT_LEAST if m.group("more") else (AT_MOST if m.group("less") else APPROX)
        v.end = end
        v.text = text[v.start:end]


def _accounting_negatives(text: str, values: list[Value]) -> None:
    """ "a loss of ($99.99)": an amount in brackets in accounts is negative (not "$1.3bn (€1.2bn)")."""
    for i, v in enumerate(values):
        if v.type != "money" or not v.amount or v.amount < 0:
            continue
        if text[v.start - 1:v.start] != "(" or text[v.end:v.end + 1] != ")":
            continue
        before = text[max(0, v.start - 3):v.start - 1]
        if i > 0 and values[i - 1].end >= v.start - 3:
            continue  # a conversion of the value before
        if re.search(r"[\d%]\s*$", before):
            continue
        v.amount = -v.amount
        v.start -= 1
        v.end += 1
        v.text = text[v.start:v.end]


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
