"""The value reader on hostile text: never a crash; every value inside the text, and what it says it is."""

from __future__ import annotations

import math

from hostile_strategies import hostile_text, published
from hypothesis import HealthCheck, example, given, settings

from claimdesk.core.model import BOUNDS, VALUE_TYPES
from claimdesk.nlp.values import read_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text, published=published)
@example(text="Microsoft will invest 15 million euros—about $16 million—in Mistral.", published="2024-02-26")
@example(text="\u202eover $2 billion\u202c, ١٢٣ مليون, e\u0301 12%\x00 5.2 metres", published=None)
@example(text="👨\u200d👩\u200d👧 3 people, 2,300 homes\u2028on Monday", published="2024-02-29")
@example(text="", published=None)
@example(text="between 3 and 5 million euros, 5'11\", ($99.99), 22:00 GMT, a 2-2 draw, ½½ mile, minus -5C", published=None)
@example(text="£5-£10 or more - 3-5% to - 1 000 000 - one hundred and - and a half - 9/11 - %2020%", published=None)
def test_values_are_inside_the_text(text, published):
    values = read_values(text, published=published)
    last_start = -1
    for v in values:
        assert 0 <= v.start < v.end <= len(text), (v.start, v.end, len(text))
        assert text[v.start:v.end] == v.text
        assert v.type in VALUE_TYPES
        assert v.bound in BOUNDS
        assert v.amount is None or math.isfinite(v.amount)
        assert v.start >= last_start  # in text order
        last_start = v.start
        assert v.high is None or (math.isfinite(v.high) and v.amount is not None and v.amount < v.high)
    spans = sorted((v.start, v.end) for v in values)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), spans  # no overlaps
