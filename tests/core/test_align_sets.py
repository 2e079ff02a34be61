"""Whole article pairs written for these tests: every link expected, and nothing else."""

from pathlib import Path

import pytest

from app.core.pipeline import import_paths
from app.storage.project import Project

SETS = Path(__file__).resolve().parents[1] / "data" / "sets"

EXPECTED = {
    "quake": {
        ("conflict", "magnitude 6.8", "magnitude 7.1"),
        ("conflict", "3:42 a.m.", "3:44 a.m."),
        ("conflict", "40 km", "35 km"),
        ("conflict", "12 km", "10 km"),
        ("corroboration", "24-year-old", "aged 24"),
        ("corroboration", "19 hours", "19 hours"),
        ("corroboration", "About 2,000 residents", "2,000 people"),
    },
    "factory": {
        ("conflict", "€2.1 billion", "€2.4 billion"),
        ("corroboration", "1,800 jobs", "about 1,800 people"),
        ("corroboration", "2027", "2027"),
        ("corroboration", "38,000 people", "38,000"),
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_article_pair(tmp_path, name):
    with Project(tmp_path / "p.claimdesk") as project:
        import_paths(project, sorted((SETS / name).glob("*.txt")))
        texts = {a.id: a.text for a in project.articles()}
        claims = {c.id: c for c in project.claims()}
        got = set()
        for link in project.links():
            a, b = claims[link.claim_a], claims[link.claim_b]
            if a.article_id > b.article_id:
                a, b, sa, sb = b, a, link.b_span, link.a_span
            else:
                sa, sb = link.a_span, link.b_span
            got.add((link.kind, texts[a.article_id][slice(*sa)], texts[b.article_id][slice(*sb)]))
    assert got == EXPECTED[name]
