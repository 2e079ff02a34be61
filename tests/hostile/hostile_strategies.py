"""Hypothesis strategies for hostile text: random Unicode, and text made of the pieces values are read from."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
_UNITS = json.loads((ROOT / "resources" / "patterns" / "units_pint.json").read_text(encoding="utf-8"))
_CURRENCIES = json.loads((ROOT / "resources" / "patterns" / "currencies.json").read_text(encoding="utf-8"))

UNUSUAL = [
    "\u0301", "\u0316", "e\u0301", "\u0300" * 40,          # combining marks, alone and in a long run
    "\u200f", "\u200e", "\u202e", "\u202c", "\u2066", "\u2069",  # right-to-left marks and overrides
    "\u200b", "\u200d", "\ufeff", "\u00ad", "\u034f",       # zero-width, soft hyphen, CGJ
    "\x00", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\r", "\r\n", "\t",
    "👨\u200d👩\u200d👧", "🇫🇷", "👍🏽", "𝟙𝟚𝟛", "\U0010ffff", "\ufffd", "\ufffe",
    "مليون", "١٢٣", "٫", "١٬٠٠٠", "שקל", "₪", "ملايين دولار", "五百万", "ทศ",
    "\u00a0", "\u2009", "\u202f", "\u3000",                 # no-break and thin spaces
    "−", "–", "—", "½", "²", "ⅻ", "‰", "°", "µ", "Ω",
]

VALUE_PIECES = [
    "1", "12", "2024", "1,000", "1,234,567", "1.5", "0.5", ".5", "3.", "007", "1e9", "12,34", "1 000",
    "2.3bn", "12m", "£58m", "$1.3 billion", "US$", "€", "£", "$", "¥", "₹", "C$", "EUR", "USD",
    "million", "billion", "trillion", "thousand", "m", "bn", "k", "mln",
    "percent", "per cent", "%", "percentage points", "pp",
    "metres", "meters", "mm", "km", "kg", "tonnes", "miles", "feet", "degrees", "magnitude", "hectares",
    "years", "year-old", "-month-old", "aged", "days", "hours", "minutes", "decades", "weeks",
    "about", "over", "nearly", "almost", "at least", "at most", "up to", "more than", "less than",
    "around", "some", "roughly", "fewer than", "between", "and", "to", "from", "rose to", "fell to",
    "January", "Feb.", "Sept", "May", "26", "1st", "22nd", "Monday", "last week", "yesterday", "on",
    "two", "twenty-one", "a dozen", "dozens", "half a", "hundred", "hundreds", "a thousand", "one",
    "first", "third", "tenth", "No. 1", "#2", "a.m.", "pm", "10:30", "noon", "midnight",
    "people", "homes", "workers", "deaths", "of", "the", "in", "said", "police", "Mistral AI",
    " ", " ", " ", ", ", ". ", "-", "/", "(", ")", "\n", "\n\n", "'", "’", "\"", "“", "”", ":", ";",
    *sorted(_CURRENCIES["names"])[::4], *sorted(_CURRENCIES["symbols_before"]), *_CURRENCIES["codes"][::8],
    *sorted(_UNITS["symbols"]), *sorted(_UNITS["names"])[::3],
    "½", "1/4", "1 1/2", "-", "minus", "(", ")", "$(", "°C", "°F", "degrees", "GMT", "22:00", "2211", "o'clock",
    "lakh", "crore", "Rs", "HK$", "bn", "tn", "or more", "to", "between", "and", "feet", "inches", "2-2", "×", "10^9",
]

piece = st.one_of(st.sampled_from(VALUE_PIECES), st.sampled_from(UNUSUAL), st.text(max_size=4))

#: Random text, from plain random Unicode to sentences built of value pieces and odd characters.
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(piece, max_size=60).map("".join),
    st.lists(st.sampled_from(VALUE_PIECES), min_size=1, max_size=40).map(" ".join),
)

published = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.sampled_from(["", "not a date", "2024-13-45"]))

#: Long runs of one symbol or emoji, and unbroken stretches of symbols and letters: what made spaCy slow.
SYMBOLS = ["€", "$", "!", ".", "(", ")", "\"", "'", "_", "-", "*", "=", "#", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷",
           "\u0301", "\u200d", "‰", "°", ":", "/"]
symbol_run_text = st.one_of(
    st.tuples(st.sampled_from(SYMBOLS), st.integers(1, 3000)).map(lambda t: t[0] * t[1]),
    st.lists(st.sampled_from(SYMBOLS + ["a", "1", " ", "x", "\n"]), max_size=400).map("".join),
    st.lists(st.tuples(st.sampled_from(SYMBOLS + ["a1", "word"]), st.integers(1, 200)), max_size=8).map(
        lambda parts: "".join(s * n for s, n in parts)),
)
