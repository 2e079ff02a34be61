"""What the window keeps in memory about an open project (no Qt here).

The window reads the project once when it opens, then keeps these figures
current from the :class:`~claimdesk.core.model.Changes` each decision returns, so a
key press re-reads a handful of rows instead of the whole project:

* the article list with each article's reviewed / total claims and facts in conflict,
* every link, indexed by claim (for the inspector),
* every fact, indexed by claim (for the order, the counts and the compare view),
* the totals shown in the status bar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimdesk.core.model import (
    CONFLICT,
    CONFLICTING,
    LINK_REJECTED,
    REVIEWED_STATUSES,
    Article,
    Claim,
    Link,
    is_open_conflict,
)
from claimdesk.services.reviewers import initials as reviewer_initials
from claimdesk.services.reviewers import record_initials
from claimdesk.gui.fact_state import FactIndex
from claimdesk.core.ports import Repository
from claimdesk.services.projects import STORAGE_ERRORS

if TYPE_CHECKING:
    from claimdesk.services.review import ReviewService

# Value types that are figures (the "single-source claims with figures" of the default order).
FIGURE_TYPES = frozenset({"money", "count", "percent", "measure", "duration", "age"})
# Groups of the default order: conflicts first, then single-source figures, then the rest.
GROUP_CONFLICT, GROUP_SINGLE_FIGURE, GROUP_REST = 0, 1, 2
GROUP_LABELS = {
    GROUP_CONFLICT: "a conflict between articles",
    GROUP_SINGLE_FIGURE: "a figure only this article gives",
    GROUP_REST: "",
}


@dataclass
class ArticleInfo:
    id: int
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    source_path: str | None
    claims: int = 0
    reviewed: int = 0
    conflicts: int = 0

    @classmethod
    def of(cls, article: Article) -> "ArticleInfo":
        title = (article.title or "").strip() or _first_words(article.text) or f"Article {article.id}"
        return cls(article.id, title, article.outlet, article.published, article.url, article.source_path)


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def is_figure_claim(claim: Claim) -> bool:
    return any(v.type in FIGURE_TYPES and v.amount is not None for v in claim.values)


@dataclass
class LinkIndex:
    """Every link of the project, by id and by claim."""

    by_id: dict[int, Link] = field(default_factory=dict)
    by_claim: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def load(self, links: Iterable[Link]) -> None:
        self.by_id.clear()
        self.by_claim.clear()
        for link in links:
            self._add(link)

    def _add(self, link: Link) -> None:
        self.by_id[link.id] = link
        self.by_claim[link.claim_a].add(link.id)
        self.by_claim[link.claim_b].add(link.id)

    def _remove(self, link_id: int) -> Link | None:
        link = self.by_id.pop(link_id, None)
        if link is not None:
            for cid in (link.claim_a, link.claim_b):
                ids = self.by_claim.get(cid)
                if ids is not None:
                    ids.discard(link_id)
                    if not ids:
                        del self.by_claim[cid]
        return link

    def update(self, link_id: int, link: Link | None) -> set[int]:
        """Store a link's new state (None: deleted); returns the claims it touched, before and after."""
        touched: set[int] = set()
        old = self._remove(link_id)
        if old is not None:
            touched |= {old.claim_a, old.claim_b}
        if link is not None:
            self._add(link)
            touched |= {link.claim_a, link.claim_b}
        return touched

    def of_claim(self, claim_id: int) -> list[Link]:
        """A claim's links: conflicts first, then by confidence."""
        links = [self.by_id[i] for i in self.by_claim.get(claim_id, ())]
        links.sort(key=lambda l: (l.status == LINK_REJECTED, l.kind != CONFLICT, -l.confidence, l.id))
        return links

    def unsettled_conflicts(self) -> int:
        return sum(1 for l in self.by_id.values() if is_open_conflict(l))


def claim_group(claim: Claim, facts: FactIndex) -> int:
    """Where a claim comes in the default order: a part of a fact in conflict first, then a figure
    no other article states."""
    if claim.status == CONFLICTING or facts.claim_in_conflict(claim.id):
        return GROUP_CONFLICT
    if not facts.claim_shared(claim.id) and is_figure_claim(claim):
        return GROUP_SINGLE_FIGURE
    return GROUP_REST


class ProjectState:
    """An open project, its review service and the figures the window shows."""

    def __init__(self, project: Repository, service: ReviewService):
        self.project = project
        self.service = service  # the controller's, over the same project
        self.articles: list[ArticleInfo] = []
        self.article_pos: dict[int, int] = {}
        self.links = LinkIndex()
        self.facts = FactIndex()
        self.recounted: set[int] = set()
        self.initials: dict[str, str] = {}  # each reviewer's initials, as the project file keeps them
        self.keep_user_initials()
        self.reload()

    def keep_user_initials(self) -> None:
        """The initials this user gave (File -> Your reviewer name) go into the file beside their name, so a
        colleague who merges it lists their decisions with them. Only for the user's own name; a file that
        cannot be written (read-only, locked) keeps what it has."""
        from claimdesk.gui.settings import reviewer_initials as user_initials
        from claimdesk.gui.settings import reviewer_name

        try:
            name = reviewer_name()
            if name and name == self.service.actor:
                record_initials(self.project, name, user_initials())
        except (*STORAGE_ERRORS, OSError):
            pass
        self.initials = reviewer_initials(self.project)

    @property
    def path(self):
        return self.project.path

    def reload(self) -> None:
        """Read the article list, the statistics and the links again (after an import)."""
        self.articles = [ArticleInfo.of(a) for a in self.project.articles()]
        self.article_pos = {a.id: i for i, a in enumerate(self.articles)}
        self.links.load(self.project.links())
        self.facts.load(self.project.facts())
        self.initials = reviewer_initials(self.project)
        self.recount_all()

    def refresh_facts(self) -> set[int]:
        """Read the facts again (a decision may regroup them); returns the claims whose facts changed.
        Every article's count of facts in conflict follows."""
        touched = self.facts.load(self.project.facts())
        by_article = self.facts.conflicts_by_article()
        self.recounted = set()  # the articles whose count of facts in conflict changed
        for info in self.articles:
            n = by_article.get(info.id, 0)
            if n != info.conflicts:
                info.conflicts = n
                self.recounted.add(info.id)
        return touched

    def history(self, claim_id: int) -> list:
        """The claim's decisions, oldest first (the inspector's History)."""
        return self.service.history(claim_id)

    def article_info(self, article_id: int) -> ArticleInfo | None:
        pos = self.article_pos.get(article_id)
        return self.articles[pos] if pos is not None else None

    def recount(self, article_id: int, claims: Iterable[Claim] | None = None) -> ArticleInfo | None:
        """Recompute one article's figures (from its claims when the caller has them)."""
        info = self.article_info(article_id)
        if info is None:
            return None
        if claims is None:
            claims = self.project.claims(article_id, with_values=False)
        total = reviewed = 0
        ids = []
        for c in claims:
            total += 1
            reviewed += c.status in REVIEWED_STATUSES
            ids.append(c.id)
        info.claims, info.reviewed, info.conflicts = total, reviewed, self.facts.conflicts_in(ids)
        return info

    def recount_all(self) -> None:
        """Every article's figures again, in one query (after a change whose article is unknown)."""
        stats = self.project.article_stats()
        facts = self.facts.conflicts_by_article()
        for info in self.articles:
            s = stats.get(info.id) or {"claims": 0, "reviewed": 0}
            info.claims, info.reviewed, info.conflicts = s["claims"], s["reviewed"], facts.get(info.id, 0)

    def totals(self) -> tuple[int, int, int]:
        """(reviewed claims, all claims, facts in conflict not yet settled)."""
        reviewed = sum(a.reviewed for a in self.articles)
        total = sum(a.claims for a in self.articles)
        return reviewed, total, self.facts.unsettled_conflicts()

    def first_unreviewed_article(self) -> int | None:
        for a in self.articles:
            if a.reviewed < a.claims:
                return a.id
        for a in self.articles:
            if a.claims:
                return a.id
        return self.articles[0].id if self.articles else None

    def neighbour_article(self, article_id: int, step: int) -> int | None:
        """The next (step=1) or previous (-1) article that has claims."""
        pos = self.article_pos.get(article_id)
        if pos is None:
            return None
        pos += step
        while 0 <= pos < len(self.articles):
            if self.articles[pos].claims:
                return self.articles[pos].id
            pos += step
        return None

    def refresh_links(self, link_ids: Iterable[int]) -> set[int]:
        """Re-read changed links; returns every claim whose links changed."""
        touched: set[int] = set()
        for lid in link_ids:
            try:
                link = self.project.link(lid)
            except KeyError:
                link = None
            touched |= self.links.update(lid, link)
        return touched
