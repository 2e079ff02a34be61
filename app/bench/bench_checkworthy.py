"""Check-worthiness classifier: scoring speed, load time and size of the shipped model.

Sentences are the ones the suggester scores: the sentences of the benchmark corpus
(``bench_suggest.corpus``: the sample story, fixtures and dev sets, figures varied),
scored with ``CheckworthyModel.score`` (normalisation included), batch 256.
"""

from __future__ import annotations

import re
import time

from claimdesk.bench import Result, median_time

TARGET_SPEED = 700  # sentences/s (issue 14: at least as fast as the earlier model)
TARGET_SIZE_MB = 30


def run(quick: bool) -> list[Result]:
    from claimdesk.bench.bench_suggest import QUICK_WORDS, corpus
    from claimdesk.nlp.checkworthy import CheckworthyModel, default_model_path

    t0 = time.perf_counter()
    model = CheckworthyModel()
    load = time.perf_counter() - t0
    if not model.available:
        return [Result("check-worthiness model", 0.0, "", "", model.error or "not available")]
    articles = corpus(QUICK_WORDS if quick else 20_000)
    sentences = [s for a in articles for p in a.text.split("\n") for s in re.split(r"(?<=[.!?])\s+", p) if s.strip()]
    model.score(sentences[:100])
    repeat = 1 if quick else 5
    t = median_time(lambda: model.score(sentences), repeat=repeat, warmup=0)
    size = sum(p.stat().st_size for p in default_model_path().rglob("*") if p.is_file())
    members = len(model._keys)
    return [
        Result("check-worthiness scoring", len(sentences) / t, "sentences/s", f"≥ {TARGET_SPEED}",
               f"{len(sentences):,} corpus sentences, batch 256, {members} member(s); median of {repeat}"),
        Result("check-worthiness model load", load * 1000, "ms", "", "spacy.load of the shipped pipeline"),
        Result("check-worthiness model size", size / 1e6, "MB", f"≤ {TARGET_SIZE_MB}", str(default_model_path().name)),
    ]
