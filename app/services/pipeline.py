"""Import → suggest → align, on a project. Used by the command line and the window's worker."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from claimdesk.core.facts import AttributeWords, compute_facts, links_from_facts
from claimdesk.core.importer import ImportProblem, ImportResult, read_article
from claimdesk.core.model import Article, Claim
from claimdesk.core.nlptext import nlp_view
from claimdesk.core.ports import Repository
from claimdesk.paths import resource

if TYPE_CHECKING:  # the NLP stack is heavy; load it only when suggesting
    from claimdesk.nlp.suggest import Suggester

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# The stages, in order: "import" (reading files), "model" (loading the language model, once per
# process), "suggest" (finding claims, per article), "align" (comparing articles). Each starts at 0.


class Cancelled(Exception):
    """The user cancelled; what was committed before stays."""


_suggesters: dict[str | None, "Suggester"] = {}


def default_suggester(model: str | None = None) -> "Suggester":
    """One Suggester per model and process (loading spaCy takes a moment).

    ``model`` is the spaCy pipeline's package name; None means the project
    default (the ``CLAIMDESK_MODEL`` environment variable, else English).
    """
    from claimdesk.nlp.models import allowed_model

    model = allowed_model(model)
    if model not in _suggesters:
        from claimdesk.nlp.suggest import Suggester

        _suggesters[model] = Suggester(model)
    return _suggesters[model]


def import_paths(
    project: Repository,
    paths: Sequence[str | Path],
    *,
    suggester: "Suggester | None" = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    suggest: bool = True,
) -> list[ImportResult]:
    """Import files; suggest claims for the new articles; re-align the project.

    Each article is committed on its own, so a failure or a cancel never
    leaves a half-imported article behind.
    """
    results: list[ImportResult] = []
    created_ids: list[int] = []
    total = len(paths)
    if progress:
        progress("import", 0, total)
    for n, path in enumerate(paths):
        if cancelled and cancelled():
            raise Cancelled()
        try:
            article = read_article(path)
        except ImportProblem as exc:
            results.append(ImportResult(str(path), error=str(exc)))
        else:
            article_id, created = project.add_article(article)
            results.append(ImportResult(str(path), article_id=article_id, created=created, title=article.title))
            if created:
                created_ids.append(article_id)
        if progress:
            progress("import", n + 1, total)
    if suggest:
        # An article stored by an import that was killed or cancelled before
        # its suggestions has no claims; importing it again finishes the job.
        pending = created_ids + [
            r.article_id for r in results
            if r.article_id is not None and not r.created and r.article_id not in created_ids
            and not project.claims(r.article_id, with_values=False)
        ]
        if pending:
            suggest_articles(project, pending, suggester=suggester, progress=progress, cancelled=cancelled)
            if cancelled and cancelled():
                raise Cancelled()
            if progress:
                progress("align", 0, 1)
            realign(project)
            if progress:
                progress("align", 1, 1)
    return results


#: The NLP reads articles in pieces of whole paragraphs of about this many characters, so that
#: memory stays bounded for any article and Cancel is noticed within a second (a piece takes
#: 0.3-0.7 s at the measured prose rate, see README).
PIECE_CHARS = 8_000


def _pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text``, each whole paragraphs, about ``limit`` long."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + limit, n)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
            else:  # one paragraph longer than the limit: it goes whole (the suggester chunks it)
                nl = text.find("\n", end)
                end = n if nl < 0 else nl + 1
        out.append((start, end))
        start = end
    return out


def _shift_back(claim: "Claim", text: str, offset: int) -> "Claim":
    """A claim found in a piece of the NLP's view, with offsets and wording of the article's text."""
    claim.start += offset
    claim.end += offset
    claim.text = text[claim.start:claim.end]
    values = []
    for v in claim.values:
        moved = v.shifted(offset)
        moved.equivalents = list(v.equivalents)
        moved.text = text[moved.start:moved.end]
        values.append(moved)
    claim.values = values
    return claim


def suggest_texts(
    suggester: "Suggester",
    articles: Sequence[Article],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[list["Claim"]]:
    """The suggester's claims for each article, read through :func:`nlp_view` in bounded pieces.

    ``cancelled`` is asked before each batch of pieces (about :data:`PIECE_CHARS`
    characters) and raises :class:`Cancelled`.
    """
    jobs: list[tuple[int, int, Article]] = []  # (article index, offset, piece)
    for n, article in enumerate(articles):
        view = nlp_view(article.text)
        for start, end in _pieces(view):
            jobs.append((n, start, replace(article, text=view[start:end])))
    out: list[list[Claim]] = [[] for _ in articles]

    def run(batch: list[tuple[int, int, Article]]) -> None:
        if cancelled and cancelled():
            raise Cancelled()
        for (n, offset, _), claims in zip(batch, suggester.suggest([p for _, _, p in batch])):
            out[n].extend(_shift_back(c, articles[n].text, offset) for c in claims)

    batch: list[tuple[int, int, Article]] = []
    size = 0
    for job in jobs:
        if batch and size + len(job[2].text) > PIECE_CHARS:
            run(batch)
            batch, size = [], 0
        batch.append(job)
        size += len(job[2].text)
    if batch:
        run(batch)
    return out


def suggest_articles(
    project: Repository,
    article_ids: Sequence[int],
    *,
    suggester: "Suggester | None" = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """(Re)suggest claims for articles; a reviewer's decisions are never overwritten.

    Each article's suggestions are stored as soon as the article is read whole;
    a cancel keeps those and stops within one piece (:data:`PIECE_CHARS`).
    """
    if suggester is None:
        model = project.setting("model")
        loading = model not in _suggesters
        if progress and loading:
            progress("model", 0, 1)
        suggester = default_suggester(model)
        if progress and loading:
            progress("model", 1, 1)
    stored = 0
    total = len(article_ids)
    # A few articles go one at a time, so progress moves with each; many go in batches (faster).
    batch = max(1, min(16, total // 8))
    if progress:
        progress("suggest", 0, total)
    for i in range(0, total, batch):
        ids = article_ids[i:i + batch]
        if cancelled and cancelled():
            raise Cancelled()
        articles = [project.article(a) for a in ids]
        per_article = suggest_texts(suggester, articles, cancelled=cancelled)
        for article, claims in zip(articles, per_article):
            stored += len(project.replace_suggestions(article.id, claims))
        if progress:
            progress("suggest", min(i + batch, total), total)
    return stored


@lru_cache(maxsize=1)
def attribute_words() -> AttributeWords:
    """The shipped attribute rules (``resources/patterns/attributes.jsonl``) as the facts' grouping reads them."""
    rows: list[dict] = []
    try:
        with open(resource("patterns", "attributes.jsonl"), encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    except OSError:
        pass
    return AttributeWords.from_rules(rows)


def refresh_facts(project: Repository) -> list:
    """Regroup the project's facts (decided facts stay); returns the fresh suggestion."""
    facts = compute_facts(project.claims(), project.articles(), attributes=attribute_words())
    project.replace_suggested_facts(facts)
    return facts


def realign(project: Repository) -> int:
    """Recompute the facts of the whole project and the suggested links a reviewer steps through.

    Links come from the facts (one per mention at most), so they grow with the
    number of values, not with the square of the articles. Reviewed links stay.
    """
    facts = compute_facts(project.claims(), project.articles(), attributes=attribute_words())
    with project.transaction():
        project.replace_suggested_facts(facts)
        return project.replace_suggested_links(links_from_facts(facts))
