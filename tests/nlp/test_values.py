"""The value reader: every form the issue lists, read into comparable numbers."""

import pytest

from claimdesk.nlp.values import read_values


def one(text, **kw):
    values = [v for v in read_values(text, **kw) if v.role == "primary"]
    assert len(values) == 1, [(v.text, v.type) for v in values]
    return values[0]


@pytest.mark.parametrize(
    "text, vtype, amount, unit, bound",
    [
        ("15 million euros", "money", 15e6, "EUR", "exact"),
        ("€1.2bn", "money", 1.2e9, "EUR", "exact"),
        ("£58m", "money", 58e6, "GBP", "exact"),
        ("two billion euros", "money", 2e9, "EUR", "exact"),
        ("over $2 billion", "money", 2e9, "USD", "at_least"),
        ("more than $2 billion", "money", 2e9, "USD", "at_least"),
        ("at least 120 dead", "count", 120, "dead", "at_least"),
        ("about 5,000 people", "count", 5000, "person", "approx"),
        ("around 40 homes", "count", 40, "home", "approx"),
        ("roughly 300 flights", "count", 300, "flight", "approx"),
        ("nearly 30 km", "measure", 30000, "m", "at_most"),
        ("almost 40 pupils", "count", 40, "pupil", "at_most"),
        ("up to 500 jobs", "count", 500, "job", "at_most"),
        ("less than 5%", "percent", 5, "%", "at_most"),
        ("eleven", "count", 11, None, "exact"),
        ("32k-token", "count", 32000, "token", "exact"),
        ("12 percent", "percent", 12, "%", "exact"),
        ("6%", "percent", 6, "%", "exact"),
        ("10-month-old", "age", 10, "month", "exact"),
        ("a little less than a year old", "age", 1, "year", "at_most"),
        ("aged 24", "age", 24, "year", "exact"),
        ("magnitude 6.8", "measure", 6.8, "magnitude", "exact"),
        ("a 6.8-magnitude quake", "measure", 6.8, "magnitude", "exact"),
        ("120mm", "measure", 0.12, "m", "exact"),
        ("120 millimetres", "measure", 0.12, "m", "exact"),
        ("5.2 metres", "measure", 5.2, "m", "exact"),
        ("2,000-plus fans", "count", 2000, "fan", "at_least"),
    ],
)
def test_value_forms(text, vtype, amount, unit, bound):
    v = one(text)
    assert (v.type, v.unit, v.bound) == (vtype, unit, bound)
    assert v.amount == pytest.approx(amount)
    assert text[v.start:v.end] == v.text


def test_time_of_day():
    v = one("The quake struck at 3:42 a.m. local time.")
    assert v.type == "time" and v.date == "03:42" and v.amount == pytest.approx(3.7)
    v = one("Doors open at 7:30pm sharp")
    assert v.date == "19:30"


def test_conversion_in_the_same_article_is_kept_as_an_equivalent():
    values = read_values("$1.3 billion (€1.2bn)")
    primary, conversion = values
    assert (primary.unit, primary.amount) == ("USD", 1.3e9)
    assert conversion.role == "conversion" and conversion.unit == "EUR"
    assert (1.2e9, "EUR") in primary.equivalents
    values = read_values("an investment of 15 million euros—about $16 million—which")
    assert values[0].equivalents == [(16e6, "USD")]
    assert values[1].bound == "approx" and values[1].role == "conversion"


def test_dates_resolve_against_the_article_date():
    v = one("On Monday, the firm said", published="2024-02-26")  # a Monday
    assert v.type == "date" and v.date == "2024-02-26"
    v = one("it closed on Friday", published="2024-02-26")
    assert v.date == "2024-02-23"
    v = one("on Feb. 21 it launched", published="2024-02-26")
    assert v.date == "2024-02-21"
    assert one("due to be completed by 2029").bound == "at_most"
    assert one("records began in 1866").date == "1866"
    assert one("on 12 May 2021").date == "2021-05-12"


def test_names_with_digits_are_not_values():
    assert read_values("GPT-4 and Mistral 7B beat 8x7B on COVID-19 data") == []


def test_a_match_minute_after_the_scorer_is_a_minute_and_a_height_in_feet_is_not():
    vs = read_values("Goal scorers: Spain 2 Williams 47', Oyarzabal 87' England 1 Palmer 90+3’")
    assert [(v.text, v.type, v.amount, v.rule) for v in vs if v.type == "ordinal"] == [
        ("47'", "ordinal", 47.0, "minute_mark"), ("87'", "ordinal", 87.0, "minute_mark"),
        ("90+3’", "ordinal", 90.0, "minute_mark")]
    assert all(v.rule != "minute_mark" for v in read_values("The wall is 6' tall and the fence 200' long."))


def test_a_change_by_a_sum_to_a_level_is_two_values_not_a_range():
    vs = read_values("lifting its market value by over $110 billion to $3.335 trillion on Tuesday")
    assert [(v.text, v.amount, v.high) for v in vs if v.type == "money"] == [
        ("over $110 billion", 110e9, None), ("$3.335 trillion", 3.335e12, None)]


def test_a_teams_formation_is_no_value():
    assert read_values("Spain (4-3-3, right to left) and England (3-4-2-1) lined up.") == []
    assert [(v.amount, v.high) for v in read_values("between 3-5% of revenue")] == [(3.0, 5.0)]


def test_relative_weekday_without_article_date_is_unresolved():
    v = one("Police said on Saturday")
    assert v.type == "date" and v.date is None


def test_over_a_span_of_time_is_not_a_bound():
    v = one("jobs over four years")
    assert v.type == "duration" and v.bound == "exact" and v.text == "four years"


def test_offsets_refer_to_the_given_text_with_emoji():
    text = "💶💶 Funding: €1.2bn, up 6% 🚀"
    for v in read_values(text):
        assert text[v.start:v.end] == v.text


def test_capital_m_is_millions_of_things_not_metres():
    v = one("The app has 12M users")
    assert (v.type, v.amount, v.unit) == ("count", 12e6, "user")
    assert one("The tower is 120m high").unit == "m"


@pytest.mark.parametrize("text", [
    "1" * 200_000, "1/" * 20_000, "$1 " * 10_000, "3:42 " * 10_000, "7th " * 10_000,
    "½" * 50_000, "one " * 20_000, "minus " * 20_000, "5 feet " * 10_000, "3-5% " * 10_000,
    "between 1 and " * 5_000, "a half a " * 10_000, "one hundred and " * 10_000, "Three Lions " * 5_000,
    "0800 123 456 " * 5_000, "1.2.3." * 10_000, "2 - " * 20_000,
    pytest.param("1 000 " * 20_000, marks=pytest.mark.slow), "- " * 50_000 + "one",
    "one" + " " * 100_000 + "x", "12 " + "-" * 100_000, "£5-£10 " * 5_000, "22:00 GMT " * 5_000,
])
def test_reading_grows_linearly_with_the_text(text):
    # Quadratic behaviour here took minutes (a digit run was retried at every position,
    # and every new value was checked against every earlier one). This would time out.
    import time

    start = time.process_time()
    values = read_values(text)
    assert time.process_time() - start < 20
    assert all(text[v.start:v.end] == v.text for v in values)


def test_scanning_only_around_anchors_reads_what_a_full_scan_reads(monkeypatch):
    from pathlib import Path

    from claimdesk.nlp import values

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in root.glob("resources/samples/*/*.txt")]
    texts += [p.read_text(encoding="utf-8") for p in root.glob("tests/data/sets/*/*.txt")]
    texts.append("It is a little less than a year old; a week later, on Monday, one hundred fans and "
                 "twenty-one players came second, at least 3:42 a.m.")
    windowed = [[(v.start, v.end, v.type, v.amount, v.unit, v.bound, v.date) for v in read_values(t)] for t in texts]
    monkeypatch.setattr(values, "_windows", lambda text: [(0, len(text))])
    full = [[(v.start, v.end, v.type, v.amount, v.unit, v.bound, v.date) for v in read_values(t)] for t in texts]
    assert windowed == full
    assert sum(map(len, full)) > 60
