"""Numbers as news copy writes them: digits, number words, fractions, signs and exponents.

``NUMBER`` is a regular expression fragment (no groups of its own) for one
written number; ``parse_number`` turns what it matched into a float.

    "16,000"                   -> 16000        "10 000" (space-separated) -> 10000
    "2e9", "6.022e23"          -> 2e9, 6.022e23
    "1/4", "1 1/2", "1½", "¾"  -> 0.25, 1.5, 1.5, 0.75
    "one hundred and sixteen"  -> 116          "fifteen hundred"          -> 1500
    "two and a half"           -> 2.5          "half a million"           -> 500000
    "two-thirds"               -> 0.6667       "a quarter"                -> 0.25

text2num (``text_to_num``) was considered for the words: its ``alpha2digit``
rewrites a whole text (the offsets a reviewer needs are lost) and its
``text2num`` raises on the forms above that mix words and fractions, so the
reader keeps this small table-driven parser, which works on the span the
pattern found.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
HUNDRED = {"hundred": 100}
SCALE_WORDS = {"thousand": 1e3, "lakh": 1e5, "lac": 1e5, "million": 1e6, "crore": 1e7, "billion": 1e9,
               "trillion": 1e12}
DOZEN = {"dozen": 12}
# fraction words: "one-third", "two-thirds", "three-quarters", "a half"
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
             "fifths": 5, "fourths": 4, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
             "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
# denominators of written fractions ("1/4 mile", "3/8 inch"); "9/11" and "7/7" are dates
FRACTION_DENOMINATORS = {2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100}
UNICODE_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125, "⅕": 0.2, "⅒": 0.1}


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_W = _alt([*UNITS, *TENS, *HUNDRED, *SCALE_WORDS, *DOZEN])
_UF = "".join(UNICODE_FRACTIONS)
# One number in words: "three", "twenty-one", "one hundred and sixteen", "two and a half",
# "a thousand", "half a million", "two-thirds", "one and a half million".
_SCALE_AFTER = "".join(f"(?<={w})" if i == 0 else f"|(?<={w})" for i, w in enumerate([*HUNDRED, *SCALE_WORDS]))
WORDS = (
    rf"\b(?:(?:(?:an?\s+)?half\s+an?\s+(?={_alt([*HUNDRED, *SCALE_WORDS, *DOZEN])}))"
    rf"|an?\s+(?=(?:{_alt([*HUNDRED, *SCALE_WORDS, *DOZEN])})\b))?"
    # "and" joins only after a hundred or a scale: "one hundred and sixteen", not "sixty-one and two"
    rf"(?:{_W})(?:(?:[\s-]+|(?:{_SCALE_AFTER})[\s-]+and[\s-]+)(?:{_W}))*"
    rf"(?:\s+point(?:\s+(?:{_alt(list(UNITS)[:10])}))+\b(?:\s+(?:{_alt(SCALE_WORDS)}))?)?"
    rf"(?:(?:[\s-]+and[\s-]+an?[\s-]+half|[\s-]+(?:{_alt(FRACTIONS)}))(?:\s+(?:{_alt(SCALE_WORDS)}))?)?\b"
    rf"|\bhalf\s+an?(?=\s+[a-z])"
    rf"|\ban?\s+(?:half|quarter)\b(?!\s+an?\s)(?!\s+(?:of\s+an?\s+)?(?:hour|century|mile|dozen|day|year|point|percent|per\s+cent))"
)
# One number in digits: "16,000", "10 000", "2.5", ".5", "2e9", "1 1/2", "3/4", "1½", "¾".
DIGITS = (
    r"(?<![\d.,/])(?:"
    r"\d{1,3}(?:\.\d{1,6})?\s?[×x]\s?10\^[-−]?\d{1,3}(?!\d)"  # 1.2 × 10^9
    r"|"
    rf"\d{{1,3}}\s\d{{1,2}}/\d{{1,2}}(?![\d/])"  # 1 1/2
    r"|\d{1,2}/\d{1,2}(?![\d/])"  # 3/4
    r"|\d{1,3}\s+and\s+a\s+half\b"  # 21 and a half
    rf"|\d{{1,3}}\s?[{_UF}]|[{_UF}]"  # 1½, ½
    r"|\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?(?!,\d)"
    r"|\d{1,2}(?:,\d{2}){1,3},\d{3}(?:\.\d{1,6})?(?!,?\d)"  # Indian grouping: 5,00,000
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,4}(?![\d.,]\d)(?!\s\d)"
    r"|\d{1,15}(?:\.\d{1,6})?(?:[eE][+-]?\d{1,3}(?![\w]))?"
    r"|\.\d{1,6}"
    r")(?![\d/])"
)
_FRACTION_OK = re.compile(r"^(?:(\d{1,3})\s)?(\d{1,2})/(\d{1,2})$")


def parse_digits(s: str) -> float | None:
    s = s.strip()
    half = re.match(r"^(\d+)\s+and\s+a\s+half$", s)
    if half:
        return int(half.group(1)) + 0.5
    m = _FRACTION_OK.match(s)
    if m:
        whole, num, den = m.groups()
        if int(num) >= int(den) or int(den) not in FRACTION_DENOMINATORS:
            return None  # "9/11", "24/7": a date or a name, not a fraction
        return (int(whole) if whole else 0) + int(num) / int(den)
    if s and s[-1] in UNICODE_FRACTIONS:
        head = s[:-1].strip()
        return (float(head) if head else 0.0) + UNICODE_FRACTIONS[s[-1]]
    s = re.sub(r"[,\s\u00a0\u202f]", "", s)
    sci = re.match(r"^(\d+(?:\.\d+)?)[×x]10\^([-−]?\d+)$", s)
    if sci:
        return float(sci.group(1)) * 10.0 ** int(sci.group(2).replace("−", "-"))
    try:
        value = float(s)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e300 else None


def parse_words(s: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", s.lower()) if t]
    if "point" in tokens:  # "three point five (million)"
        i = tokens.index("point")
        head = parse_words(" ".join(tokens[:i]))
        digits = [t for t in tokens[i + 1:] if t in UNITS and UNITS[t] < 10]
        rest = [t for t in tokens[i + 1:] if t in SCALE_WORDS]
        if head is None or not digits:
            return None
        value = head + float("0." + "".join(str(UNITS[t]) for t in digits))
        for t in rest:
            value *= SCALE_WORDS[t]
        return value
    if tokens and tokens[0] in (*HUNDRED, *SCALE_WORDS, *DOZEN):
        return None  # "hundred" of "a few hundred", "million" of "multi-million": no number given
    total = 0.0
    current = 0.0
    since_and = 0.0  # what was added since the last "and": the numerator of "five and three quarters"
    seen = False
    fraction_pending = False
    last_scale = 0.0
    last_small = False  # the previous word was a unit or a teen: "nineteen fifty" is no sum
    for i, tok in enumerate(tokens):
        if tok == "and":
            since_and = 0.0
            continue
        if tok in ("a", "an"):
            continue
        if tok in UNITS:
            if last_small or (current % 100 and current % 10 == 0 and UNITS[tok] >= 10):
                return None  # "nineteen fifty", "two three", "twenty twelve": a year or a list
            current += UNITS[tok]
            since_and += UNITS[tok]
            last_small = True
            seen = True
            continue
        elif tok in TENS:
            if last_small or current % 100:
                return None
            current += TENS[tok]
            since_and += TENS[tok]
        elif tok in DOZEN:
            current = (current or 1) * 12
        elif tok in HUNDRED:
            current = (current or 1) * 100
        elif tok in SCALE_WORDS:
            total += (current or 1) * SCALE_WORDS[tok]
            current = 0.0
            since_and = 0.0
            last_scale = SCALE_WORDS[tok]
        elif tok in FRACTIONS:
            den = FRACTIONS[tok]
            if tok in ("half", "halves") and (i == 0 or tokens[i - 1] in ("a", "an")):
                if i + 1 < len(tokens) and tokens[i + 1] in ("a", "an"):
                    current = 0.5  # "half a million"
                    fraction_pending = True
                    seen = True
                    continue
                # "two and a half", "a half"; "a billion and a half" is half a billion more
                if current == 0 and total and last_scale:
                    total += 0.5 * last_scale
                else:
                    current += 0.5
            else:
                numerator = since_and if since_and else (current or 1)
                current = current - since_and + numerator / den  # "two-thirds", "five and three quarters"
        else:
            return None
        last_small = False
        seen = True
    if not seen:
        return None
    if tokens[0] == "half" and len(tokens) == 2:
        return 0.5  # "half a" (mile)
    if fraction_pending and total == 0 and current == 0.5:
        return 0.5
    return total + current


def parse_number(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if s[0].isdigit() or s[0] in "." or s[0] in UNICODE_FRACTIONS:
        return parse_digits(s)
    return parse_words(s)
