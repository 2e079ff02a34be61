"""The unit table the value reader reads is the one pint's registry gives, and it reads as news needs."""

from __future__ import annotations

import pytest

from claimdesk.nlp.build_units import build, render
from claimdesk.nlp.values import read_values, unit_table
from claimdesk.paths import resource


def test_the_shipped_unit_table_is_what_pint_gives_today():
    pytest.importorskip("pint")
    shipped = resource("patterns", "units_pint.json").read_text(encoding="utf-8")
    assert shipped == render(build()), "run python -m claimdesk.nlp.build_units"


def test_english_words_and_clashing_symbols_are_not_units():
    table = unit_table()
    for word in ("in", "at", "a", "point", "points", "line", "league", "hand", "bar", "pint", "s", "h"):
        assert word not in table["names"] and word not in table["symbols"], word
    for symbol in ("T", "B", "G", "A", "K", "C", "M"):
        assert symbol not in table["symbols"], symbol


@pytest.mark.parametrize("text, amount, unit", [
    ("16,000 metric tons", 16_000_000, "kg"),
    ("50 mg", 5e-5, "kg"),
    ("660 square metres", 660, "m2"),
    ("30 Degrees Celsius", 30, "degC"),
    ("2 Hectares", 20_000, "m2"),
    ("12 knots", 12 * 1.852, "km/h"),
    ("40 km/h", 40, "km/h"),
    ("3 gallons", 3 * 3.785411784, "l"),
    ("5 MB", 0.005, "GB"),
    ("a 1,000-square-foot flat", 1000 * 0.09290304, "m2"),
])
def test_units_are_read_without_case_where_case_means_nothing(text, amount, unit):
    values = [v for v in read_values(text) if v.type == "measure"]
    assert len(values) == 1, values
    assert values[0].unit == unit and values[0].amount == pytest.approx(amount, rel=1e-6)


def test_symbols_keep_their_case():
    assert [v.unit for v in read_values("a 5 mm gap")] == ["m"]
    assert [v.type for v in read_values("the app has 12M users")] == ["count"]
