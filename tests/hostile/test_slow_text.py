"""Issue 16, finding 2: text that made spaCy slow (symbol runs, emoji, long unbroken stretches).

The NLP reads a same-length view of the text (``claimdesk.core.nlptext.nlp_view``)
in pieces of about ``PIECE_CHARS`` characters, and Cancel is asked between
pieces.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_strategies import hostile_text, symbol_run_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk.core.model import Article
from claimdesk.core.nlptext import SYMBOL_RUN, WORD_LIMIT, nlp_view
from claimdesk.services.pipeline import PIECE_CHARS, Cancelled, suggest_texts

ROOT = Path(__file__).resolve().parents[2]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(hostile_text, symbol_run_text))
def test_nlp_view_keeps_offsets_and_bounds_every_run(text):
    view = nlp_view(text)
    assert len(view) == len(text)
    # every character is kept or became a space
    assert all(v == t or v == " " for v, t in zip(view, text))
    assert not re.search(r"(?:[^\w\s]|_){%d,}" % (SYMBOL_RUN + 1), view)
    assert not re.search(r"\S{%d,}" % (WORD_LIMIT + 1), view)


def test_ordinary_prose_is_read_as_written():
    text = ("Microsoft will invest 15 million euros (about $16 million) in Mistral AI, the company said. "
            "See https://example.com/news/2024/02/26/microsoft-mistral-deal for details!!! 😀😀")
    assert nlp_view(text) == text


def _analyze(paths, timeout):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "claimdesk.cli", "analyze", "--json", *map(str, paths)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


@pytest.mark.slow
def test_symbol_and_emoji_runs_do_not_hang_analyze(tmp_path):
    # Today's main spent minutes on each of these (a 10,000-character run costs spaCy ~50 s).
    euro = tmp_path / "euro.txt"
    euro.write_text("The council spent €12m on roads.\n" + "\n".join("€" * 10_000 for _ in range(6)), encoding="utf-8")
    emoji = tmp_path / "emoji.txt"
    emoji.write_text("More than 2,000 homes were evacuated.\n" + "\n".join("😀👍🏽" * 4_000 for _ in range(4)),
                     encoding="utf-8")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("The river peaked at 5.2 metres.\n" + "a:a::1:" * 3_000, encoding="utf-8")
    done = _analyze([euro, emoji, mixed], timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    assert len(texts) == 3
    for claim in report["claims"]:
        assert texts[claim["article"]][claim["start"]:claim["end"]] == claim["text"]
    assert any("€12m" in c["text"] for c in report["claims"])


class _Spy:
    """Stands in for the Suggester: records how much text it was given."""

    def __init__(self):
        self.chars = 0

    def suggest(self, articles):
        self.chars += sum(len(a.text) for a in articles)
        return [[] for _ in articles]


def test_cancel_is_noticed_within_one_piece():
    para = "The council spent £12m on roads in 2023, officials said. " * 20
    article = Article(id=1, text="\n".join([para] * 300), title="t", content_hash="x")  # ~350 KB
    spy = _Spy()
    with pytest.raises(Cancelled):
        suggest_texts(spy, [article], cancelled=lambda: spy.chars > 0)
    assert 0 < spy.chars <= PIECE_CHARS + len(para) + 1


def test_pieces_give_the_claims_of_the_whole_article():
    from claimdesk.services.pipeline import default_suggester

    suggester = default_suggester()
    paras = ["The council spent £12m on roads in 2023, officials said.",
             "More than 2,000 homes were evacuated on Saturday night, police said.",
             "€" * 300 + " The river peaked at 5.2 metres in Skelby, the agency said."]
    text = "\n\n".join(paras * 60)  # several pieces
    article = Article(id=1, text=text, title="t", content_hash="x", published="2024-02-26")
    claims = suggest_texts(suggester, [article])[0]
    assert len(claims) == 180
    for c in claims:
        assert text[c.start:c.end] == c.text
        for v in c.values:
            assert text[v.start:v.end] == v.text
