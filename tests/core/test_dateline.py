"""Datelines and agency tags are read as metadata and never become claims (issue 14)."""

import pytest

from claimdesk.core.importer import split_dateline


@pytest.mark.parametrize("text, place, agency, story", [
    ("RABAT, September 9. /TASS/. Morocco said 2,012 people died.", "RABAT", "TASS", "Morocco said"),
    ("Sept 9 (Reuters) - A strong earthquake hit Morocco.", None, "Reuters", "A strong"),
    ("WASHINGTON (AP) \u2014 The Senate voted 70-29.", "WASHINGTON", "AP", "The Senate"),
    ("LONDON, Sept 9 (Reuters) - Shares fell 2%.", "LONDON", "Reuters", "Shares fell"),
    ("KYIV, Ukraine (AP) \u2014 Russia launched 40 drones.", "KYIV, Ukraine", "AP", "Russia launched"),
    ("BERLIN \u2014 Germany said on Monday it would spend more.", "BERLIN", None, "Germany said"),
    ("New Delhi [India], March 3 (ANI): Floods killed 40 people.", "New Delhi [India]", "ANI", "Floods killed"),
    ("Quake kills 2,000\nMOSCOW, September 9 (Interfax) - A quake hit.", "MOSCOW", "Interfax", "A quake"),
])
def test_datelines_are_found_with_place_and_agency(text, place, agency, story):
    d = split_dateline(text)
    assert d and d.place == place and d.agency == agency
    assert text[d.end:].startswith(story)
    assert d.as_dict()["end"] == d.end


@pytest.mark.parametrize("text", [
    "NATO said on Monday it would send 300 troops.",
    "A 6.8 magnitude quake hit Morocco (the USGS said) - a rare event.",
    "US President Joe Biden said the deal was worth $2 billion.",
    "UK inflation fell to 3% in May.",
    "",
    "The US (AP) said",
    "Madrid, the capital, said on March 3 (local time): 40 died.",
    "In Paris, March 3 (Monday) was the coldest day.",
])
def test_ordinary_sentences_are_not_datelines(text):
    assert not split_dateline(text)
    assert split_dateline(text).as_dict() is None
