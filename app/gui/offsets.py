"""Python (code point) offsets <-> Qt document (UTF-16) positions.

The project stores offsets as Python string indices. A ``QTextDocument``
counts UTF-16 code units, so every character outside the Basic Multilingual
Plane (emoji such as "💶", some CJK, mathematical letters) takes two Qt
positions; and ``setPlainText`` folds a "\\r\\n" pair into one paragraph break,
so the "\\r" of such a pair takes none. Everything else is one position each
("\\r", "\\u2028" and "\\u2029" alone also become one paragraph break).

:class:`OffsetMap` is built once per text (one pass, then a binary search per
conversion), so converting the thousand claim spans of a long article costs
next to nothing; an all-BMP text without "\\r\\n" is the identity map.
Positions inside a surrogate pair round down to the character's start.
"""

from __future__ import annotations

import re
from bisect import bisect_left

# Characters whose Qt length is not 1: astral characters (2) and the "\r" of "\r\n" (0).
_SPECIAL = re.compile("[\U00010000-\U0010FFFF]|\r(?=\n)")


class OffsetMap:
    """Converts between offsets in ``text`` and positions in a Qt document holding it."""

    __slots__ = ("_pos", "_qpos", "_len", "_cum", "py_length", "qt_length")

    def __init__(self, text: str):
        pos: list[int] = []
        qpos: list[int] = []
        lens: list[int] = []
        cum: list[int] = []
        delta = 0
        for m in _SPECIAL.finditer(text):
            i = m.start()
            width = 0 if text[i] == "\r" else 2
            pos.append(i)
            qpos.append(i + delta)
            lens.append(width)
            delta += width - 1
            cum.append(delta)
        self._pos, self._qpos, self._len, self._cum = pos, qpos, lens, cum
        self.py_length = len(text)
        self.qt_length = len(text) + delta

    @property
    def identity(self) -> bool:
        return not self._pos

    def to_qt(self, index: int) -> int:
        """Qt position of Python offset ``index`` (clamped to the text)."""
        index = min(max(index, 0), self.py_length)
        if not self._pos:
            return index
        k = bisect_left(self._pos, index)  # special characters strictly before index
        return index + (self._cum[k - 1] if k else 0)

    def to_py(self, position: int) -> int:
        """Python offset of Qt position ``position`` (clamped; mid-surrogate rounds down)."""
        position = min(max(position, 0), self.qt_length)
        if not self._pos:
            return position
        n = bisect_left(self._qpos, position)  # special characters starting before position
        if n == 0:
            return position
        k = n - 1
        if position < self._qpos[k] + self._len[k]:
            return self._pos[k]
        return position - self._cum[k]

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_to_py(self, start: int, end: int) -> tuple[int, int]:
        return self.to_py(start), self.to_py(end)
