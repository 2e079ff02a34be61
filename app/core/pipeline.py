"""Import → suggest → align, on a project. Used by the command line and the window's worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.facts import compute_facts, links_from_facts
from app.core.importer import ImportProblem, ImportResult, read_article
from app.storage.project import Project

if TYPE_CHECKING:  # the NLP stack is heavy; load it only when suggesting
    from app.nlp.suggest import Suggester

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
    if model not in _suggesters:
        from app.nlp.suggest import Suggester

        _suggesters[model] = Suggester(model)
    return _suggesters[model]


def import_paths(
    project: Project,
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


def suggest_articles(
    project: Project,
    article_ids: Sequence[int],
    *,
    suggester: "Suggester | None" = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = 16,
) -> int:
    """(Re)suggest claims for articles; a reviewer's decisions are never overwritten."""
    if suggester is None:
        model = project.setting("model")
        loading = model not in _suggesters
        if progress and loading:
            progress("model", 0, 1)
        suggester = default_suggester(model)
        if progress and loading:
            progress("model", 1, 1)
    stored = 0
    # A few articles go one at a time, so progress moves with each; many go in batches (faster).
    batch = max(1, min(batch, len(article_ids) // 8))
    if progress:
        progress("suggest", 0, len(article_ids))
    for i in range(0, len(article_ids), batch):
        if cancelled and cancelled():
            raise Cancelled()
        ids = article_ids[i:i + batch]
        articles = [project.article(a) for a in ids]
        for article, claims in zip(articles, suggester.suggest(articles)):
            stored += len(project.replace_suggestions(article.id, claims))
        if progress:
            progress("suggest", min(i + batch, len(article_ids)), len(article_ids))
    return stored


def refresh_facts(project: Project) -> list:
    """Regroup the project's facts (decided facts stay); returns the fresh suggestion."""
    facts = compute_facts(project.claims(), project.articles())
    project.replace_suggested_facts(facts)
    return facts


def realign(project: Project) -> int:
    """Recompute the facts of the whole project and the suggested links a reviewer steps through.

    Links come from the facts (one per mention at most), so they grow with the
    number of values, not with the square of the articles. Reviewed links stay.
    """
    facts = compute_facts(project.claims(), project.articles())
    with project.transaction():
        project.replace_suggested_facts(facts)
        return project.replace_suggested_links(links_from_facts(facts))
