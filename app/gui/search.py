"""The one search of the window (Ctrl+F): the claims of every article that hold all the words typed.

A claim matches when each word (lower case) is in its wording, its values (as written and as read),
its attribution, its kind or its article's title. The text searched per claim is made once, on the
first search, and then follows the decisions (:meth:`ClaimSearch.claim_changed`,
:meth:`ClaimSearch.claim_removed`); :meth:`ClaimSearch.forget` drops it when the project is re-read.
"""

from __future__ import annotations

from claimdesk.core.model import Claim
from claimdesk.gui.models import values_text


def search_text(claim: Claim, title: str = "") -> str:
    """The lower-case text a search matches against: wording, values, attribution, kind, article."""
    return " ".join(
        [claim.text, values_text(claim), claim.attribution or "", claim.kind or "", title,
         " ".join(v.text for v in claim.values)]
    ).lower()


def search_words(text: str) -> list[str]:
    return text.lower().split()


class ClaimSearch:
    def __init__(self, state=None):
        self.state = state
        self._index: dict[int, tuple[str, Claim]] | None = None

    def set_state(self, state) -> None:
        self.state = state
        self._index = None

    def forget(self) -> None:
        """The project was re-read: the next search builds the index again."""
        self._index = None

    @property
    def built(self) -> bool:
        return self._index is not None

    def _entry(self, claim: Claim) -> tuple[str, Claim]:
        info = self.state.article_info(claim.article_id)
        return search_text(claim, info.title if info else ""), claim

    def _build(self) -> dict[int, tuple[str, Claim]]:
        return {c.id: self._entry(c) for c in self.state.project.claims()}

    def find(self, text: str) -> list[Claim]:
        """The matching claims in the order of the articles and the text; none for no words."""
        words = search_words(text)
        if not words or self.state is None:
            return []
        if self._index is None:
            self._index = self._build()
        matches = [c for hay, c in self._index.values() if all(w in hay for w in words)]
        pos = self.state.article_pos
        matches.sort(key=lambda c: (pos.get(c.article_id, 0), c.start, c.id))
        return matches

    def claim_changed(self, claim: Claim) -> None:
        if self._index is not None:
            self._index[claim.id] = self._entry(claim)

    def claim_removed(self, claim_id: int) -> None:
        if self._index is not None:
            self._index.pop(claim_id, None)
