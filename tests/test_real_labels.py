"""Checks of the labelled real-coverage stories (tests/data/real/*/*/): data only, Claimdesk is not run.

Every quote in expected.json must occur verbatim in the article it names (score_links.py finds claims by
the quote's place in the text), every pair must join two different articles, and each article must carry
its Title/Outlet/URL/Date header lines.
"""
import json
from pathlib import Path

import pytest

REAL = Path(__file__).parent / "data" / "real"
STORIES = sorted(p.parent for p in REAL.glob("*/*/expected.json"))
KINDS = ("conflicts", "corroborations", "not_conflict")


def test_stories_found():
    assert len(STORIES) >= 16


@pytest.mark.parametrize("story", STORIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_labels_quote_their_articles(story):
    exp = json.loads((story / "expected.json").read_text(encoding="utf-8"))
    assert set(exp) <= set(KINDS), set(exp) - set(KINDS)
    texts = {p.name: p.read_text(encoding="utf-8") for p in story.glob("*.txt")}
    assert len(texts) >= 3, "a story needs at least three articles"
    for name, text in texts.items():
        head = text.splitlines()[:4]
        assert [h.split(":", 1)[0] for h in head] == ["Title", "Outlet", "URL", "Date"], (name, head)
    seen = set()
    for kind in KINDS:
        for pair in exp.get(kind, []):
            assert len(pair) == 2, (kind, pair)
            (fa, qa), (fb, qb) = pair
            assert fa != fb, f"{kind}: a pair within one article: {pair}"
            for f, q in ((fa, qa), (fb, qb)):
                assert f in texts, f"{kind}: no article {f}"
                assert q.strip() and q in texts[f], f"{kind}: quote not in {f}: {q!r}"
            key = frozenset(((fa, qa), (fb, qb)))
            assert key not in seen, f"pair listed twice: {pair}"
            seen.add(key)


@pytest.mark.parametrize("story", STORIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_label_quotes_do_not_overlap(story):
    """Two different quotes of one article must not share characters: score_links matches a value to every
    labelled quote its span overlaps, so overlapping quotes would let one value stand for two facts."""
    exp = json.loads((story / "expected.json").read_text(encoding="utf-8"))
    quotes = {}
    for kind in KINDS:
        for pair in exp.get(kind, []):
            for f, q in pair:
                quotes.setdefault(f, set()).add(q)
    for f, qs in quotes.items():
        text = (story / f).read_text(encoding="utf-8")
        spans = []
        for q in qs:
            i = text.find(q)
            while i >= 0:
                spans.append((i, i + len(q), q))
                i = text.find(q, i + 1)
        for a in spans:
            for b in spans:
                if a[2] < b[2] and a[0] < b[1] and b[0] < a[1]:
                    pytest.fail(f"{f}: quotes overlap: {a[2]!r} and {b[2]!r}")
