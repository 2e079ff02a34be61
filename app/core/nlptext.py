"""The copy of a text that the NLP reads: same length, same offsets, no input that makes spaCy slow.

spaCy's tokenizer strips prefixes and suffixes one character at a time and
copies the rest of the whitespace-free chunk each time, so a chunk with many
affix characters costs the square of its length: six lines of ``€`` (180 KB)
took 344 s, 2.5 MB of emoji 168 s. The stored text is never changed (the
reviewer sees it as written, every offset points into it); the NLP reads a
view of it in which

* a run of more than :data:`SYMBOL_RUN` characters that are neither letters,
  digits nor blanks (``€€€…``, ``!!!…``, emoji, ``____``) keeps its first
  :data:`SYMBOL_RUN` characters and the rest become spaces, and
* a whitespace-free stretch longer than :data:`WORD_LIMIT` characters
  (``a:a::a…``, a pasted hash) gets a space in place of every
  :data:`WORD_LIMIT`-th character.

Both keep every offset, so spans found in the view are spans of the text.
Nothing a claim could be about is lost: no figure, name or word is that long.
The work per character is then bounded, and the time to read a text grows
linearly with its length whatever it contains (see ``app/bench/bench_hostile.py``).
"""

from __future__ import annotations

import re

#: Longest run of symbols (not letters, digits or blanks) the NLP reads as it is.
SYMBOL_RUN = 16
#: Longest whitespace-free stretch the NLP reads as one piece.
WORD_LIMIT = 64

_SYMBOL_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (SYMBOL_RUN + 1))
_LONG_WORD = re.compile(r"\S{%d,}" % (WORD_LIMIT + 1))


def _blank_tail(m: re.Match) -> str:
    run = m.group()
    return run[:SYMBOL_RUN] + " " * (len(run) - SYMBOL_RUN)


def _space_out(m: re.Match) -> str:
    chars = list(m.group())
    for i in range(WORD_LIMIT - 1, len(chars) - 1, WORD_LIMIT):
        chars[i] = " "
    return "".join(chars)


def nlp_view(text: str) -> str:
    """``text`` as the NLP should read it: the same length, long symbol runs and long stretches broken."""
    text = _SYMBOL_RUN.sub(_blank_tail, text)
    return _LONG_WORD.sub(_space_out, text)
