"""The value reader on its labelled table (tests/data/values_table.jsonl), category by category.

The floors are what the reader reaches today (a category falls below its floor when a change
breaks it); the table is scored the way ``python -m claimdesk.bench bench_values`` scores it, pint
converting both sides to base units.
"""

from __future__ import annotations

import json

import pytest

from claimdesk.bench.bench_values import load_table, ours, score
from claimdesk.core.align import _interval, describe_value
from claimdesk.core.model import Article, Claim, Value
from claimdesk.nlp.values import read_values

ROWS = load_table()
SCORES = score(ROWS, ours)

# category -> lowest share of figures read with the right number and unit
FLOORS = {
    "fractions": 0.85, "ranges": 0.9, "two_part": 0.85, "units_length": 0.9, "times": 0.9,
}
DEFAULT_FLOOR = 0.95
MAX_SPURIOUS = {"not_values": 2, "no_figures": 4}


def test_the_table_is_broad():
    categories = {r["category"] for r in ROWS}
    assert len(ROWS) >= 400 and len(categories) >= 30
    assert all(r["span"] is None or r["sentence"][r["span"][0]:r["span"][1]] for r in ROWS)


@pytest.mark.parametrize("category", sorted({r["category"] for r in ROWS if r["expect"] != "none"}))
def test_each_category_reaches_its_floor(category):
    sc = SCORES[category]
    floor = FLOORS.get(category, DEFAULT_FLOOR)
    assert sc.unit / sc.rows >= floor, f"{category}: {sc.unit}/{sc.rows}; missed: {sc.misses}"
    assert sc.number >= sc.unit


@pytest.mark.parametrize("category", sorted(MAX_SPURIOUS))
def test_few_spurious_readings(category):
    sc = SCORES[category]
    assert sc.spurious <= MAX_SPURIOUS[category], sc.misses


def test_bounds_are_read_where_the_table_states_them():
    sc = SCORES["all"]
    assert sc.bound / sc.bound_rows >= 0.97


def test_overall():
    sc = SCORES["all"]
    assert sc.number / sc.rows >= 0.95 and sc.unit / sc.rows >= 0.9


def _one(text):
    values = [v for v in read_values(text) if v.role == "primary"]
    assert len(values) == 1, [(v.text, v.type, v.amount) for v in values]
    return values[0]


@pytest.mark.parametrize("text, vtype, low, high, unit", [
    ("40 to 41 hours", "duration", 40, 41, "hour"),
    ("between 3 and 5 million euros", "money", 3e6, 5e6, "EUR"),
    ("3-5%", "percent", 3, 5, "%"),
    ("$10-15 million", "money", 10e6, 15e6, "USD"),
    ("200-300 people", "count", 200, 300, "person"),
    ("20-25C", "measure", 20, 25, "degC"),
])
def test_a_range_is_one_value_with_both_ends(text, vtype, low, high, unit):
    v = _one(text)
    assert (v.type, v.unit) == (vtype, unit)
    assert v.amount == pytest.approx(low) and v.high == pytest.approx(high)
    assert v.text == text


@pytest.mark.parametrize("text", ["a 2-2 draw", "they won 3-1 at half time", "the Three Lions", "the band Maroon 5 split",
                                  "section 4.2", "call 0800 123 456", "%2020%20", "a 1-2 defeat at home"])
def test_not_figures(text):
    assert [v.text for v in read_values(text) if v.type not in ("date",)] == []


def test_a_change_from_one_figure_to_another_is_not_a_range():
    values = read_values("Inflation rose from 3% to 5% in a year")
    assert [(v.amount, v.high) for v in values if v.type == "percent"] == [(3, None), (5, None)]


@pytest.mark.parametrize("text", ["Shares fell $25.16 to $233.65 on Tuesday.",
                                  "The stock dropped by $28.98 to $228.83 in early trading.",
                                  "Output rose 2% to 40% of capacity."])
def test_a_change_then_the_level_it_reached_is_not_a_range(text):
    assert all(v.high is None for v in read_values(text))
    assert len([v for v in read_values(text) if v.type in ("money", "percent")]) == 2


def test_time_keeps_its_zone_and_bound():
    v = _one("at 22:00 GMT")
    assert (v.type, v.date, v.unit) == ("time", "22:00", "GMT")
    v = _one("the bar closes after 11pm")
    assert (v.date, v.bound, v.unit) == ("23:00", "at_least", "hour")


def test_a_range_agrees_with_any_figure_inside_it():
    rng = Value(0, 5, "3-5%", "percent", 3.0, "%", high=5.0)
    assert _interval(rng, 3.0) == pytest.approx((3.0, 5.0), rel=0.02)
    assert describe_value(rng) == "3–5%"
    from claimdesk.core.align import align
    from claimdesk.services.pipeline import attribute_words

    claims = [
        Claim(article_id=1, start=0, end=30, text="Prices rose 3-5% last year.", kind="stat", score=1, id=1,
              values=[Value(12, 16, "3-5%", "percent", 3.0, "%", high=5.0, attribute="price")]),
        Claim(article_id=2, start=0, end=30, text="Prices rose 4% last year.", kind="stat", score=1, id=2,
              values=[Value(12, 14, "4%", "percent", 4.0, "%", attribute="price")]),
        Claim(article_id=3, start=0, end=30, text="Prices rose 9% last year.", kind="stat", score=1, id=3,
              values=[Value(12, 14, "9%", "percent", 9.0, "%", attribute="price")]),
    ]
    articles = [Article(text=c.text, id=c.article_id, outlet=f"o{c.article_id}") for c in claims]
    kinds = {frozenset((link.claim_a, link.claim_b)): link.kind for link in align(claims, articles, attributes=attribute_words())}
    assert kinds.get(frozenset((1, 2))) == "corroboration"
    assert kinds.get(frozenset((1, 3))) == "conflict"


def test_a_range_survives_the_project_file(tmp_path):
    from claimdesk.storage.project import Project

    project = Project(tmp_path / "p.claimdesk")
    try:
        article_id, _ = project.add_article(Article(text="Prices rose 3-5% last year.", title="t", content_hash="h1"))
        claim = Claim(article_id=article_id, start=0, end=27, text="Prices rose 3-5% last year.", kind="stat",
                      score=1.0, values=[Value(12, 16, "3-5%", "percent", 3.0, "%", high=5.0),
                                         Value(0, 1, "x", "count", 1.0, equivalents=[(2.0, "USD")])])
        claim_id = project.add_claim(claim)
        stored = project.claim(claim_id).values
    finally:
        project.close()
    assert [(v.amount, v.high, v.equivalents) for v in stored] == [(1.0, None, [(2.0, "USD")]), (3.0, 5.0, [])] \
        or [(v.amount, v.high, v.equivalents) for v in stored] == [(3.0, 5.0, []), (1.0, None, [(2.0, "USD")])]
    assert json.loads(json.dumps([v.to_dict() for v in stored]))


@pytest.mark.parametrize("text, expected", [
    # forms met in debate transcripts (ClaimBuster), where the reader before issue 13 read pieces
    ("a half a billion dollars", [("money", 5e8, "USD")]),
    ("seven hundred and fifty dollars", [("money", 750, "USD")]),
    ("ten and a half million jobs", [("count", 10.5e6, "job")]),
    ("21 and a half percent", [("percent", 21.5, "%")]),
    ("a billion and a half dollars", [("money", 1.5e9, "USD")]),
    ("six point eight billion dollars", [("money", 6.8e9, "USD")]),
    ("sixty-one and two and three", [("count", 61, None), ("count", 2, None), ("count", 3, None)]),
    ("Nineteen fifty-three was good", []),
    ("7-Eleven stores", [("count", 7, None)]),
    ("the 9/11 attacks", []),
    ("weigh 250 pounds and run", [("measure", 250 * 0.45359237, "kg")]),
    ("paid 250 pounds in fines", [("money", 250, "GBP")]),
])
def test_forms_from_real_transcripts(text, expected):
    got = [(v.type, v.amount, v.unit) for v in read_values(text) if v.role == "primary"]
    assert [(t, u) for t, _, u in got] == [(t, u) for t, _, u in expected]
    assert [a for _, a, _ in got] == pytest.approx([a for _, a, _ in expected])


def test_ranges_need_both_ends_to_be_one_figure():
    assert [(v.amount, v.high) for v in read_values("five to seven billion dollars")] == [(5e9, 7e9)]
    assert [v.high for v in read_values("13 years, and 19 years")] == [None, None]
    assert [v.high for v in read_values("from 6 to 7,000 people")] == [None, None]
    assert [(v.amount, v.high) for v in read_values("three to four hundred jobs")] == [(300, 400)]


def test_times_with_zones_compare_in_utc():
    from claimdesk.core.align import _time_dimension

    gmt, est, unzoned = (_one(t) for t in ("at 22:00 GMT", "at 5pm EST", "at 22:00"))
    assert _time_dimension(gmt) == _time_dimension(est) == ("time", 22.0)
    assert _time_dimension(unzoned) == ("time", 22.0)
    assert _time_dimension(_one("at 10 p.m. ET"))[0] == "time:ET"  # summer or winter: not converted
    assert describe_value(gmt) == "22:00 GMT"


@pytest.mark.parametrize("text, vtype, amount, unit", [
    ("The app has 12m users", "count", 12e6, "user"),
    ("It has 5m people", "count", 5e6, "person"),
    ("1.2m jobs were lost", "count", 1.2e6, "job"),
    ("the 400m hurdles", "measure", 400, "m"),
    ("a 10m wall", "measure", 10, "m"),
])
def test_a_lower_case_m_is_millions_before_counted_things_and_metres_otherwise(text, vtype, amount, unit):
    v = _one(text)
    assert (v.type, v.unit) == (vtype, unit) and v.amount == pytest.approx(amount)
