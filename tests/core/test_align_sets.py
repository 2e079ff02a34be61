"""Whole article pairs written for these tests, grouped into facts.

A conflict is only ever raised where the labels have one (precision first),
and the listed pairs a fact grouping must find are found.
"""

from pathlib import Path

import pytest

from claimdesk.core.facts import CONFLICTING, compute_facts
from claimdesk.services.pipeline import attribute_words, import_paths
from claimdesk.storage.project import Project

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
    # the traps in one story: an earlier quake's figures in a "2004, when ..." clause, a toll that rose,
    # air left on two days, the same sum in two currencies, "two dams" / "two rival governments", a depth of
    # sea floor / a wave's height, a time in GMT / a local time, "one expert"
    "traps": {
        ("conflict", "magnitude 7.2", "7.4 magnitude"),
        ("conflict", "7.2-magnitude", "7.4 magnitude"),
        ("corroboration", "magnitude 7.2", "7.2-magnitude"),
        ("corroboration", "At least 48 people", "At least 48 people"),
        ("corroboration", "120 people", "120 people"),
        ("corroboration", "$250,000", "$250,000"),
    },
    # a transfer: this fee and the 2020 fee, a season's and a career's goals, "after 11pm" / "at 23:00", a
    # parent company's staff / a plant's jobs, a withdrawn loss, "a four-year deal" / "a five-year contract"
    "transfer": {
        ("conflict", "five-year", "four-year"),
        ("corroboration", "£40 million", "£40 million"),
        ("corroboration", "£12 million", "£12 million"),
    },
    # a city's toll inside the region's, the same sum in euros and in the dollars one article converts it to
    "floods": {
        ("conflict", "6.1 metres", "6.4 metres"),
        ("conflict", "30 people", "35 people"),
        ("conflict", "30", "35 people"),
        ("corroboration", "30 people", "30"),
        ("corroboration", "€50 million", "€50 million"),
        ("corroboration", "about $54 million", "$54 million"),
        ("corroboration", "About 8,000 people", "Some 8,000 residents"),
    },
}
# Pairs the grouping does not find yet (recall it still lacks; never a wrong call).
NOT_YET = {
    ("quake", ("conflict", "3:42 a.m.", "3:44 a.m.")),
    ("factory", ("corroboration", "1,800 jobs", "about 1,800 people")),
    # "In Marrow alone, 35 people were killed": the 35 could be the city's toll or the region's 42, so it is kept
    # apart (the opening "In Marrow" is not read as the figure's place)
    ("floods", ("conflict", "30 people", "35 people")),
    ("floods", ("conflict", "30", "35 people")),
}


def fact_pairs(project):
    texts = {a.id: a.text for a in project.articles()}
    claims = {c.id: c for c in project.claims()}
    got = set()
    for fact in compute_facts(list(claims.values()), project.articles(), attributes=attribute_words()):
        ms = fact.mentions
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if a.article_id == b.article_id:
                    continue
                if a.version == b.version:
                    kind = "corroboration"
                elif fact.status == CONFLICTING:
                    kind = "conflict"
                else:
                    continue
                if a.article_id > b.article_id:
                    a, b = b, a
                got.add((kind, texts[a.article_id][a.start:a.end], texts[b.article_id][b.start:b.end]))
    return got


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_article_pair(tmp_path, name):
    with Project(tmp_path / "p.claimdesk") as project:
        import_paths(project, sorted((SETS / name).glob("*.txt")))
        got = fact_pairs(project)
    conflicts = {p for p in got if p[0] == "conflict"}
    assert conflicts <= EXPECTED[name], "a conflict the labels do not have"
    want = {p for p in EXPECTED[name] if (name, p) not in NOT_YET}
    assert want <= got
    for p in EXPECTED[name] - want:
        assert p not in got, f"{p} is found now: take it off NOT_YET"
