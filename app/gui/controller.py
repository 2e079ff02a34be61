"""The window's one door to the services: every decision, open, merge and setting goes through here.

:class:`ReviewController` calls the core (:class:`~claimdesk.services.review.ReviewService` for decisions,
one committed transaction each; merging, agreement, the project's settings), turns a
:class:`~claimdesk.services.review.ReviewError`, a project error or a SQLite error into one readable
``problem`` message, brings the window's figures (:class:`~claimdesk.gui.state.ProjectState`) up to
date, and emits ``changed`` with an :class:`Applied`: the operation's
:class:`~claimdesk.core.model.Changes` and what was re-read for it. Each pane (claim list, article
text, article list, inspector, compare view, status bar) is connected to ``changed`` and redraws
itself from it, in the order they were connected (Anki's ``operation_did_execute`` pattern).

The GUI reaches the services (and through them the project file) only here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from claimdesk.core.model import Changes, Claim
from claimdesk.services.review import ReviewError, ReviewService
from claimdesk.gui.state import ProjectState
from claimdesk.services.projects import ProjectError, StorageError, open_project

# Decisions that never move a value between facts nor decide one: the facts need not be re-read.
FACTS_UNTOUCHED = frozenset({"confirm", "reject", "reset", "note", "mark_conflict", "confirm_link",
                             "reject_link", "resolve_link"})


def facts_may_change(fn) -> bool:
    name = fn if isinstance(fn, str) else getattr(fn, "__name__", "")
    return name not in FACTS_UNTOUCHED


@dataclass
class Applied:
    """One operation's :class:`Changes` with what the controller re-read for the panes."""

    changes: Changes
    claims: dict[int, Claim] = field(default_factory=dict)  # changed claims as stored now
    removed: set[int] = field(default_factory=set)  # changed claims no longer in the project
    touched: set[int] = field(default_factory=set)  # claims whose links or facts changed (and the changed ones)
    facts_touched: set[int] = field(default_factory=set)  # claims whose facts changed (and the changed ones)
    articles: set[int] = field(default_factory=set)  # articles whose figures were counted again
    all_articles: bool = False  # every article's figures were counted again
    facts: bool = True  # the facts were read again
    moving_on: bool = False  # the window selects the next claim next: the inspector waits for that

    @property
    def links_only(self) -> set[int]:
        """Claims whose links or facts changed but not the claim itself."""
        return self.touched - set(self.changes.claims)


class ReviewController(QObject):
    changed = Signal(object)  # Applied
    problem = Signal(str, str)  # message, title

    def __init__(self, parent: QObject | None = None, *,
                 known_claim: Callable[[int], Claim | None] = lambda cid: None,
                 shown: Callable[[], tuple[int | None, dict[int, Claim]]] = lambda: (None, {})):
        super().__init__(parent)
        self.state: ProjectState | None = None
        # The window's own copies: the claim a removed id was (its article), and the open article's claims
        # (an article's figures are counted from them instead of a query).
        self.known_claim = known_claim
        self.shown = shown

    # -- project ------------------------------------------------------------------------------

    @property
    def service(self):
        return self.state.service if self.state else None

    def open(self, path: str | Path, *, create: bool, actor: str | None) -> tuple[ProjectState | None, str]:
        """A new state on the file, or None and why not (the open project is left as it is)."""
        try:
            project = open_project(path, create=create)
        except ProjectError as exc:
            return None, str(exc)
        try:
            state = ProjectState(project, ReviewService(project, actor=actor))
        except (StorageError, ReviewError) as exc:
            project.close()
            return None, f"{path}: cannot be read: {exc}"
        old, self.state = self.state, state
        if old is not None:
            old.project.close()
        return state, ""

    def close(self) -> None:
        if self.state is not None:
            self.state.project.close()

    def reload(self) -> bool:
        """Re-read what a background job or a merge changed; False (with a problem) when it cannot."""
        try:
            self.state.reload()
        except StorageError as exc:
            self.problem.emit(f"The project could not be re-read: {exc}", "Claimdesk")
            return False
        return True

    def undo_redo(self) -> tuple[tuple[bool, str], tuple[bool, str]]:
        """((can undo, what), (can redo, what)) for the Edit menu."""
        service = self.service
        if service is None:
            return (False, ""), (False, "")
        return ((service.can_undo, service.undo_text if service.can_undo else ""),
                (service.can_redo, service.redo_text if service.can_redo else ""))

    @property
    def actor(self) -> str | None:
        """The name the service records with decisions."""
        return self.service.actor if self.service else None

    def set_actor(self, name: str) -> None:
        if self.state is not None:
            self.service.actor = name

    def save_settings(self, values: dict[str, str]) -> bool:
        project = self.state.project
        try:
            with project.transaction():
                for key, value in values.items():
                    project.set_setting(key, value)
        except (StorageError, ProjectError) as exc:
            self.problem.emit(f"The settings could not be stored in {project.path.name}: {exc}", "Claimdesk")
            return False
        return True

    def merge(self, path: str | Path):
        """Merge another reviewer's file into the open one; the report, or None (with a problem)."""
        from claimdesk.services.merge import MergeError, merge_into

        try:
            report = merge_into(self.state.project, path, actor=self.service.actor)
        except (MergeError, ProjectError, StorageError) as exc:
            self.problem.emit(f"Nothing was merged: {exc}", "Cannot merge")
            return None
        self.service._rebuild_stacks()  # the merged decisions can be undone
        return report

    def agreement(self) -> tuple[dict, dict[str, str]] | None:
        """Agreement per pair of reviewers and the reviewers' initials (None with no project open)."""
        from claimdesk.services.agreement import agreement
        from claimdesk.services.reviewers import initials

        if self.state is None:
            return None
        return agreement(self.state.project), initials(self.state.project)

    # -- decisions ----------------------------------------------------------------------------

    def decide(self, name: str, *args, moving_on: bool = False, **kwargs):
        """``ReviewService.<name>(*args, **kwargs)``: the service's result, or None after a problem."""
        return self.run(getattr(self.service, name), *args, moving_on=moving_on, **kwargs)

    def run(self, fn: Callable, *args, moving_on: bool = False, **kwargs):
        """Call ``fn`` (a service method), then bring the figures up to date and emit ``changed``."""
        if self.state is None:
            return None
        try:
            result = fn(*args, **kwargs)
        except (ReviewError, ProjectError) as exc:
            self.problem.emit(str(exc), "Claimdesk")
            return None
        except StorageError as exc:
            self.problem.emit(f"The decision could not be stored in {self.state.project.path.name}: {exc}", "Claimdesk")
            return None
        changes = result[1] if isinstance(result, tuple) else result
        self.apply(changes, facts=facts_may_change(fn), moving_on=moving_on)
        return result

    def apply(self, changes: Changes, *, facts: bool = True, moving_on: bool = False) -> Applied:
        """Re-read the changed links, facts and claims, count the articles again, emit ``changed``."""
        state = self.state
        project = state.project
        applied = Applied(changes, facts=facts, moving_on=moving_on)
        links_touched = state.refresh_links(changes.links)
        applied.facts_touched = (state.refresh_facts() if facts else set()) | set(changes.claims)
        applied.touched = links_touched | applied.facts_touched
        for cid in changes.claims:
            try:
                claim = project.claim(cid)
            except KeyError:
                claim = None
            if claim is None:
                applied.removed.add(cid)
                old = self.known_claim(cid)
                if old is not None:
                    applied.articles.add(old.article_id)
                else:
                    applied.all_articles = True
            else:
                applied.claims[cid] = claim
                applied.articles.add(claim.article_id)
        recounted = state.recounted - applied.articles  # the facts' conflicts moved there
        state.recounted = set()
        view_article, view_claims = self.shown()
        for aid in applied.articles:
            state.recount(aid, self._claims_now(view_article, view_claims, applied) if aid == view_article else None)
        applied.articles |= recounted
        if applied.all_articles:
            state.recount_all()
        self.changed.emit(applied)
        return applied

    @staticmethod
    def _claims_now(article_id: int, view_claims: dict[int, Claim], applied: Applied) -> Iterable[Claim]:
        """The open article's claims after the change (the window's copy is redrawn after the signal)."""
        now = dict(view_claims)
        now.update((cid, c) for cid, c in applied.claims.items() if c.article_id == article_id)
        for cid in applied.removed:
            now.pop(cid, None)
        return now.values()
