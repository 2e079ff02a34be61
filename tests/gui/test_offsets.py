"""Python offsets <-> Qt (UTF-16) positions, checked against a real QTextDocument."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from claimdesk.gui.offsets import OffsetMap

EURO = "💶 15 million euros"


def qt_slice(doc: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


def test_emoji_takes_two_qt_positions():
    m = OffsetMap(EURO)
    assert m.to_qt(0) == 0
    assert m.to_qt(1) == 2  # after the emoji
    assert m.to_qt(2) == 3  # the "1" of "15"
    assert m.to_qt(len(EURO)) == len(EURO) + 1
    assert m.to_py(2) == 1
    assert m.to_py(3) == 2
    assert m.to_py(len(EURO) + 1) == len(EURO)


def test_position_inside_a_surrogate_pair_rounds_down():
    assert OffsetMap(EURO).to_py(1) == 0
    assert OffsetMap("a💶b").to_py(2) == 1


def test_span_of_a_value_after_emoji_selects_the_same_text_in_qt(qapp):
    text = "Prices 💶💶 rose: 💶 15 million euros, then 🇫🇷 2 billion euros."
    doc = QTextDocument()
    doc.setPlainText(text)
    m = OffsetMap(text)
    for needle in ("15 million euros", "2 billion euros", "rose", "🇫🇷"):
        s = text.index(needle)
        e = s + len(needle)
        qs, qe = m.span_to_qt(s, e)
        assert qt_slice(doc, qs, qe) == needle
        assert m.span_to_py(qs, qe) == (s, e)


def test_crlf_counts_once_in_qt(qapp):
    text = "one\r\ntwo 💶\r\nthree"
    doc = QTextDocument()
    doc.setPlainText(text)
    m = OffsetMap(text)
    assert m.qt_length == doc.characterCount() - 1
    s = text.index("three")
    assert qt_slice(doc, m.to_qt(s), m.to_qt(s + 5)) == "three"
    assert m.to_py(m.to_qt(s)) == s


def test_identity_for_plain_bmp_text():
    m = OffsetMap("Plain text — with “quotes” and é.")
    assert m.identity
    assert [m.to_qt(i) for i in range(5)] == list(range(5))


def test_out_of_range_offsets_are_clamped():
    m = OffsetMap(EURO)
    assert m.to_qt(-5) == 0
    assert m.to_qt(10_000) == m.qt_length
    assert m.to_py(10_000) == len(EURO)


_chars = st.one_of(
    st.sampled_from(list("ab €$.,\n") + ["💶", "🇫🇷", "\U0001d400", "\r\n", "é", "\u2014"]),
    st.characters(blacklist_categories=("Cs", "Cc")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_chars, max_size=40).map("".join), st.data())
def test_any_span_round_trips_through_a_qt_document(qapp, text, data):
    doc = QTextDocument()
    doc.setPlainText(text)
    m = OffsetMap(text)
    assert m.qt_length == doc.characterCount() - 1
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    # Never start or end between the "\r" and "\n" of a pair (they are one break in Qt).
    if 0 < s < len(text) and text[s - 1] == "\r" and text[s] == "\n":
        s -= 1
    if 0 < e < len(text) and text[e - 1] == "\r" and text[e] == "\n":
        e += 1
    e = max(e, s)
    expected = text[s:e].replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    expected = expected.replace("\u2029", "\n")
    assert qt_slice(doc, m.to_qt(s), m.to_qt(e)) == expected
    assert m.to_py(m.to_qt(s)) == s
    assert m.to_py(m.to_qt(e)) == e


@pytest.mark.parametrize("text", ["", "x", "💶", "\r\n", "a\r\n💶\r\nb"])
def test_every_qt_position_maps_back_inside_the_text(text):
    m = OffsetMap(text)
    previous = 0
    for q in range(m.qt_length + 1):
        p = m.to_py(q)
        assert 0 <= p <= len(text)
        assert p >= previous  # monotonic
        previous = p
        assert m.to_qt(p) <= q
