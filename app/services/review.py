"""Reviewer decisions, their history and undo — all in the core, none of it in Qt.

Every decision is one *operation*: one transaction that changes some records
and appends one ``events`` row per changed record, with JSON snapshots of the
record before and after. Undo restores the ``before`` snapshots of the newest
operation (as a new operation, so the history stays append-only); redo
re-applies its ``after`` snapshots. The undo and redo stacks are rebuilt from
the events table when a project is opened, so undo survives a restart.
"""

from __future__ import annotations

import contextlib
import getpass
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from claimdesk.core.model import (
    CONFIRMED,
    CONFLICT,
    CONFLICTING,
    EDITED,
    FACT_REVIEW_CONFIRMED,
    FACT_REVIEW_REJECTED,
    FACT_REVIEW_RESOLVED,
    LINK_CONFIRMED,
    LINK_REJECTED,
    LINK_RESOLVED,
    ORIGIN_CONFIRMED,
    ORIGIN_MANUAL,
    REJECTED,
    SUGGESTED,
    Changes,
    Claim,
    Event,
    Link,
    Note,
    Value,
    now_iso,
)
from claimdesk.core.facts import AGREED, CHANGED, SINGLE, Fact, Mention, Version
from claimdesk.core.facts import CONFLICTING as FACT_CONFLICTING
from claimdesk.core.ports import Repository
from claimdesk.services.pipeline import refresh_facts

UNDO_LIMIT = 30
UNDO_PREFIX = "undo:"
REDO_PREFIX = "redo:"


class ReviewError(Exception):
    """A decision that cannot be made; the message is for the reviewer."""


@dataclass
class _Op:
    number: int
    label: str
    actor: str | None = None


@dataclass
class _Recorder:
    project: Repository
    op: int
    actor: str
    action: str
    at: str
    changes: dict[str, set[int]] = field(
        default_factory=lambda: {"claim": set(), "link": set(), "note": set(), "fact": set()})
    structure: bool = False

    def change(self, entity: str, entity_id: int, apply) -> Any:
        before = self.project.snapshot(entity, entity_id)
        result = apply()
        after = self.project.snapshot(entity, entity_id)
        self.record(entity, entity_id, before, after)
        return result

    def record(self, entity: str, entity_id: int, before, after) -> None:
        if before == after:
            return
        if before is None or after is None:
            self.structure = True
        self.project.add_event(
            Event(op=self.op, at=self.at, actor=self.actor, action=self.action, entity=entity,
                  entity_id=entity_id, before=before, after=after)
        )
        self.changes[entity].add(entity_id)


def resolve_actor(project: Repository, given: str | None = None) -> str:
    """Who decides: the name given (the user's setting), then ``CLAIMDESK_REVIEWER``, then the project's
    reviewer, then the login name."""
    import os

    for name in (given, os.environ.get("CLAIMDESK_REVIEWER"), project.setting("reviewer")):
        if name and name.strip():
            return name.strip()
    return default_actor()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "reviewer"


class ReviewService:
    """The reviewer's actions on one open project."""

    def __init__(self, project: Repository, actor: str | None = None):
        self.project = project
        self.last_undone: _Op | None = None
        self.actor = resolve_actor(project, actor)
        self._undo: list[_Op] = []
        self._redo: list[_Op] = []
        self._rebuild_stacks()

    # -- history -------------------------------------------------------------------

    def _rebuild_stacks(self) -> None:
        done: list[_Op] = []
        undone: list[_Op] = []
        # events brought in by a merge are another file's history: not undone here
        for op, action, actor in self.project.local_operations():
            if action.startswith(UNDO_PREFIX):
                # an undo may take back an earlier operation than the last (a reviewer's own)
                target = _op_number(action[len(UNDO_PREFIX):])
                found = [o for o in done if o.number == target]
                if found:
                    done.remove(found[0])
                    undone.append(found[0])
            elif action.startswith(REDO_PREFIX):
                target = _op_number(action[len(REDO_PREFIX):])
                found = [o for o in undone if o.number == target]
                if found:
                    undone.remove(found[0])
                    done.append(found[0])
            else:
                done.append(_Op(op, action, actor))
                undone.clear()
        self._undo = done[-UNDO_LIMIT:]
        self._redo = undone

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_text(self) -> str | None:
        return _describe(self._undo[-1].label) if self._undo else None

    @property
    def redo_text(self) -> str | None:
        return _describe(self._redo[-1].label) if self._redo else None

    def history(self, claim_id: int) -> list[Event]:
        return self.project.events(entity="claim", entity_id=claim_id)

    @contextlib.contextmanager
    def _operation(self, action: str, *, track: bool = True) -> Iterator[_Recorder]:
        with self.project.transaction():
            rec = _Recorder(self.project, self.project.next_op(), self.actor, action, now_iso())
            yield rec
        if track and any(rec.changes.values()):
            self._undo.append(_Op(rec.op, action, self.actor))
            del self._undo[:-UNDO_LIMIT]
            self._redo.clear()

    @staticmethod
    def _changes(rec: _Recorder) -> Changes:
        return Changes(
            claims=frozenset(rec.changes["claim"]),
            links=frozenset(rec.changes["link"]),
            notes=bool(rec.changes["note"]),
            structure=rec.structure,
        )

    def _claim(self, claim_id: int) -> Claim:
        try:
            return self.project.claim(claim_id)
        except (KeyError, OverflowError):
            raise ReviewError(f"there is no claim {claim_id} in this project") from None

    def _link(self, link_id: int) -> Link:
        try:
            return self.project.link(link_id)
        except (KeyError, OverflowError):
            raise ReviewError(f"there is no link {link_id} in this project") from None

    def _set_status(self, rec: _Recorder, claim_id: int, status: str, **extra: Any) -> None:
        rec.change("claim", claim_id, lambda: self.project.update_claim(
            claim_id, status=status, decided_at=rec.at, decided_by=self.actor, disputed=None, **extra))

    # -- claim decisions -------------------------------------------------------------

    def confirm(self, claim_id: int) -> Changes:
        if self._claim(claim_id).status == CONFIRMED:
            return Changes()  # a decision that changes nothing is no event and no undo step
        with self._operation("confirm") as rec:
            self._set_status(rec, claim_id, CONFIRMED)
        return self._changes(rec)

    def reject(self, claim_id: int) -> Changes:
        if self._claim(claim_id).status == REJECTED:
            return Changes()
        with self._operation("reject") as rec:
            self._set_status(rec, claim_id, REJECTED)
        return self._changes(rec)

    def reset(self, claim_id: int) -> Changes:
        """Back to an undecided suggestion (keeps the history)."""
        if self._claim(claim_id).status == SUGGESTED:
            return Changes()
        with self._operation("reset") as rec:
            rec.change("claim", claim_id, lambda: self.project.update_claim(
                claim_id, status=SUGGESTED, decided_at=None, decided_by=None))
        return self._changes(rec)

    def edit(
        self,
        claim_id: int,
        *,
        text: str | None = None,
        span: tuple[int, int] | None = None,
        values: list[Value] | None = None,
        kind: str | None = None,
    ) -> Changes:
        """Change a claim's span, wording or values; its status becomes ``edited``."""
        claim = self._claim(claim_id)
        fields: dict[str, Any] = {}
        if span is not None:
            article = self.project.article(claim.article_id)
            start, end = span
            if not (0 <= start < end <= len(article.text)):
                raise ReviewError(f"span {start}-{end} is outside the article (0-{len(article.text)})")
            fields.update(start=start, end=end)
            if text is None:
                fields["text"] = article.text[start:end]
        if text is not None:
            if not text.strip():
                raise ReviewError("a claim's text cannot be empty")
            fields["text"] = text
        if kind is not None:
            fields["kind"] = kind
        if values is not None:
            for v in values:
                if v.amount is not None and not math.isfinite(v.amount):
                    raise ReviewError(f"the value '{v.text}' is not a finite number")
            fields["values"] = values
        if not fields:
            raise ReviewError("nothing to change: give a new text, span or values")
        with self._operation("edit") as rec:
            rec.change("claim", claim_id, lambda: self.project.update_claim(
                claim_id, status=EDITED, decided_at=rec.at, decided_by=self.actor, disputed=None, **fields))
            if values is not None or span is not None or text is not None:
                self._refresh_facts()  # an edited value joins the facts at once, in the same transaction
        return self._changes(rec)

    def add_claim(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        values: list[Value] | None = None,
        kind: str = "manual",
    ) -> tuple[int, Changes]:
        """A claim the suggester missed, from the reviewer's selection."""
        try:
            article = self.project.article(article_id)
        except KeyError:
            raise ReviewError(f"there is no article {article_id} in this project") from None
        if not (0 <= start < end <= len(article.text)) or not article.text[start:end].strip():
            raise ReviewError("select some text in the article to add it as a claim")
        claim = Claim(
            article_id=article_id, start=start, end=end, text=article.text[start:end], kind=kind,
            score=1.0, status=CONFIRMED, origin=ORIGIN_MANUAL, values=values or [],
        )
        with self._operation("add claim") as rec:
            claim.decided_at, claim.decided_by = rec.at, self.actor
            new_id = self.project.add_claim(claim)
            rec.record("claim", new_id, None, self.project.snapshot("claim", new_id))
            if claim.values:
                self._refresh_facts()  # a value typed in by hand joins the facts at once
        return new_id, self._changes(rec)

    def _refresh_facts(self) -> None:
        """Regroup the facts (not the suggested links: their ids stay valid for an open window)."""
        refresh_facts(self.project)

    def note(self, text: str, *, claim_id: int | None = None, link_id: int | None = None) -> Changes:
        if not text.strip():
            raise ReviewError("a note cannot be empty")
        if claim_id is not None:
            self._claim(claim_id)
        if link_id is not None:
            self._link(link_id)
        with self._operation("note") as rec:
            note_id = self.project.add_note(
                Note(text=text, claim_id=claim_id, link_id=link_id, author=self.actor, created_at=rec.at)
            )
            rec.record("note", note_id, None, self.project.snapshot("note", note_id))
            if claim_id is not None:
                rec.changes["claim"].add(claim_id)
        return self._changes(rec)

    # -- links ---------------------------------------------------------------------------

    def mark_conflict(self, claim_id: int, other_id: int, note: str | None = None) -> Changes:
        """Record that two claims conflict (reusing a suggested link between them)."""
        a, b = self._claim(claim_id), self._claim(other_id)
        if a.id == b.id:
            raise ReviewError("a claim cannot conflict with itself")
        existing = [
            l for l in self.project.links(claim_id)
            if {l.claim_a, l.claim_b} == {claim_id, other_id}
        ]
        with self._operation("mark conflicting") as rec:
            if existing:
                link = existing[0]
                rec.change("link", link.id, lambda: self.project.update_link(
                    link.id, kind=CONFLICT, status=LINK_CONFIRMED, origin=ORIGIN_CONFIRMED
                    if link.origin != ORIGIN_MANUAL else ORIGIN_MANUAL,
                    resolution=note or link.resolution, decided_at=rec.at, decided_by=self.actor))
                link_id = link.id
            else:
                va = _first_value_span(a)
                vb = _first_value_span(b)
                link_id = self.project.add_link(Link(
                    claim_a=a.id, claim_b=b.id, kind=CONFLICT, a_span=va, b_span=vb,
                    reason="marked conflicting by the reviewer", confidence=1.0, origin=ORIGIN_MANUAL,
                    status=LINK_CONFIRMED, resolution=note, decided_at=rec.at, decided_by=self.actor,
                ))
                rec.record("link", link_id, None, self.project.snapshot("link", link_id))
            for cid in (a.id, b.id):
                self._set_status(rec, cid, CONFLICTING)
            if note:
                note_id = self.project.add_note(
                    Note(text=note, claim_id=claim_id, link_id=link_id, author=self.actor, created_at=rec.at)
                )
                rec.record("note", note_id, None, self.project.snapshot("note", note_id))
        return self._changes(rec)

    def _seen_link(self, link_id: int, expect: tuple[int, int] | None) -> Link:
        """The link as stored now, refused if it no longer joins the claims the reviewer saw.

        Called inside the decision's transaction, so no other program can
        change the link between this check and the decision.
        """
        link = self._link(link_id)
        if expect is not None and {link.claim_a, link.claim_b} != set(expect):
            a, b = expect
            raise ReviewError(
                f"link {link_id} now joins claims {link.claim_a} and {link.claim_b}, not {a} and {b} as shown "
                "(the project changed meanwhile); nothing was decided — look at it again"
            )
        return link

    def confirm_link(self, link_id: int, *, expect: tuple[int, int] | None = None) -> Changes:
        """The reviewer agrees with a suggested conflict or corroboration.

        ``expect`` is the pair of claims the reviewer saw the link join; the
        decision is refused if the link joins others now.
        """
        self._link(link_id)
        with self._operation("confirm link") as rec:
            link = self._seen_link(link_id, expect)
            rec.change("link", link_id, lambda: self.project.update_link(
                link_id, status=LINK_CONFIRMED, origin=ORIGIN_CONFIRMED if link.origin != ORIGIN_MANUAL
                else ORIGIN_MANUAL, decided_at=rec.at, decided_by=self.actor))
            for cid in (link.claim_a, link.claim_b):
                status = self.project.claim(cid).status
                if link.kind == CONFLICT:
                    self._set_status(rec, cid, CONFLICTING)
                elif status == SUGGESTED:
                    self._set_status(rec, cid, CONFIRMED)
        return self._changes(rec)

    def reject_link(self, link_id: int, *, expect: tuple[int, int] | None = None) -> Changes:
        self._link(link_id)
        with self._operation("reject link") as rec:
            self._seen_link(link_id, expect)
            rec.change("link", link_id, lambda: self.project.update_link(
                link_id, status=LINK_REJECTED, decided_at=rec.at, decided_by=self.actor))
        return self._changes(rec)

    def resolve_link(self, link_id: int, preferred_claim: int | None, note: str, *,
                     expect: tuple[int, int] | None = None) -> Changes:
        """Record which version of a conflict is right, and why."""
        link = self._link(link_id)
        if preferred_claim is not None and preferred_claim not in (link.claim_a, link.claim_b):
            raise ReviewError("the preferred claim must be one of the two linked claims")
        if not note.strip():
            raise ReviewError("say why: a resolution needs a note")
        with self._operation("resolve conflict") as rec:
            link = self._seen_link(link_id, expect)
            rec.change("link", link_id, lambda: self.project.update_link(
                link_id, status=LINK_RESOLVED, resolution=note, preferred_claim=preferred_claim,
                decided_at=rec.at, decided_by=self.actor))
            for cid in (link.claim_a, link.claim_b):
                self._set_status(rec, cid, CONFIRMED if cid == preferred_claim else CONFLICTING)
            note_id = self.project.add_note(
                Note(text=note, link_id=link_id, claim_id=preferred_claim, author=self.actor, created_at=rec.at)
            )
            rec.record("note", note_id, None, self.project.snapshot("note", note_id))
        return self._changes(rec)

    # -- fact decisions (one per fact, however many sources state it) ---------------------

    def _fact(self, fact_id: int):
        try:
            return self.project.fact(fact_id)
        except KeyError:
            raise ReviewError(f"there is no fact {fact_id} in this project") from None

    def _decide_fact(self, action: str, fact_id: int, **fields: Any) -> Changes:
        self._fact(fact_id)
        with self._operation(action) as rec:
            rec.change("fact", fact_id, lambda: self.project.update_fact(
                fact_id, decided_at=rec.at, decided_by=self.actor, disputed=None, **fields))
        return self._changes(rec)

    def confirm_fact(self, fact_id: int, version: int | None = None) -> Changes:
        """The fact is right as grouped; ``version`` says which figure is right when there are several."""
        fact = self._fact(fact_id)
        if version is not None and version not in {v.k for v in fact.versions}:
            raise ReviewError(f"fact {fact_id} has no version {version}")
        return self._decide_fact("confirm fact", fact_id, review=FACT_REVIEW_CONFIRMED, preferred_version=version)

    def reject_fact(self, fact_id: int) -> Changes:
        """The mentions are not one fact (or not worth checking): no conflict, no corroboration."""
        return self._decide_fact("reject fact", fact_id, review=FACT_REVIEW_REJECTED)

    def resolve_fact(self, fact_id: int, version: int, note: str) -> Changes:
        """Which version is right, and why."""
        fact = self._fact(fact_id)
        if version not in {v.k for v in fact.versions}:
            raise ReviewError(f"fact {fact_id} has no version {version}")
        if not note.strip():
            raise ReviewError("say why this version is right")
        return self._decide_fact("resolve fact", fact_id, review=FACT_REVIEW_RESOLVED, preferred_version=version,
                                 resolution=note.strip())

    def split_mention(self, fact_id: int, claim_id: int, span: tuple[int, int]) -> Changes:
        """Move a wrongly grouped mention out of a fact into a fact of its own."""
        fact = self._fact(fact_id)
        m = next((m for m in fact.mentions if m.claim_id == claim_id and (m.start, m.end) == tuple(span)), None)
        if m is None:
            raise ReviewError(f"fact {fact_id} has no mention of claim {claim_id} at {span[0]}-{span[1]}")
        v = next((v for v in fact.versions if v.k == m.version), None)
        with self._operation("split fact") as rec:
            before = self.project.snapshot("fact", fact_id)
            new = Fact(0, fact.label, fact.subject, fact.attribute, SINGLE, fact.kind,
                       [Version(0, v.text if v else m.text, v.amount if v else None, v.unit if v else None,
                                v.bound if v else "exact")],
                       [Mention(m.claim_id, m.article_id, m.start, m.end, 0, m.text, origin="manual")],
                       origin="manual", review=FACT_REVIEW_CONFIRMED, decided_at=rec.at, decided_by=self.actor)
            self.project.update_fact(fact_id, decided_at=rec.at, decided_by=self.actor)
            self.project.remove_mention(fact_id, (m.claim_id, m.start, m.end))
            self._restatus(fact_id)
            new_id = self.project.new_fact(new)
            rec.record("fact", fact_id, before, self.project.snapshot("fact", fact_id))
            rec.record("fact", new_id, None, self.project.snapshot("fact", new_id))
        return self._changes(rec)

    def merge_mention(self, claim_id: int, span: tuple[int, int], into_fact: int, version: int | None = None) -> Changes:
        """Move a mention into another fact (under ``version``, or a new version of its own)."""
        target = self._fact(into_fact)
        source = self.project.fact_of_mention((claim_id, span[0], span[1]))
        if source is None:
            raise ReviewError(f"claim {claim_id} has no mention at {span[0]}-{span[1]}")
        if source == into_fact:
            raise ReviewError(f"that mention is already in fact {into_fact}")
        if version is not None and version not in {v.k for v in target.versions}:
            raise ReviewError(f"fact {into_fact} has no version {version}")
        with self._operation("merge into fact") as rec:
            befores = {fid: self.project.snapshot("fact", fid) for fid in (source, into_fact)}
            if version is None:
                version = max((v.k for v in target.versions), default=-1) + 1
                claim = self._claim(claim_id)
                value = next((v for v in claim.values if v.start < span[1] and span[0] < v.end), None)
                self.project.add_fact_version(into_fact, Version(
                    version, value.text if value else claim.text[:80], value.amount if value else None,
                    value.unit if value else None, value.bound if value else None))
            self.project.move_mention((claim_id, span[0], span[1]), into_fact, version)
            for fid in (source, into_fact):
                self.project.update_fact(fid, decided_at=rec.at, decided_by=self.actor)
                self._restatus(fid)
                rec.record("fact", fid, befores[fid], self.project.snapshot("fact", fid))
        return self._changes(rec)

    def _restatus(self, fact_id: int) -> None:
        """Status after mentions moved: single, agreed or conflicting (a change over time stays so)."""
        status, articles, versions = self.project.fact_spread(fact_id)
        if len(articles) < 2:
            new = SINGLE
        elif len(versions) == 1:
            new = AGREED
        else:
            new = status if status == CHANGED else FACT_CONFLICTING
        self.project.update_fact(fact_id, status=new)

    # -- undo / redo ----------------------------------------------------------------------

    def _replay(self, target: _Op, prefix: str, use: str) -> Changes:
        events = self.project.events(op=target.number)
        order = reversed(events) if use == "before" else events
        with self._operation(f"{prefix}{target.number}", track=False) as rec:
            for ev in order:
                current = self.project.snapshot(ev.entity, ev.entity_id)
                expected = ev.after if use == "before" else ev.before
                if current != expected:
                    raise ReviewError(
                        f"cannot {prefix[:-1]} '{_describe(target.label)}': "
                        f"the {ev.entity} was changed since (perhaps in another window)"
                    )
                wanted = getattr(ev, use)
                self.project.restore(ev.entity, ev.entity_id, wanted)
                rec.record(ev.entity, ev.entity_id, current, wanted)
        return self._changes(rec)

    def undo(self, *, own: bool = False) -> Changes:
        """Take back the newest operation; with ``own``, the newest one of this reviewer.

        Another reviewer's later decision on the same records makes the undo
        refuse with a message rather than overwrite it. :attr:`last_undone`
        says what was taken back and whose it was.
        """
        target = self.undo_target(own=own)
        changes = self._replay(target, UNDO_PREFIX, "before")
        self._undo.remove(target)
        self._redo.append(target)
        self.last_undone = target
        return changes

    def undo_target(self, *, own: bool = False) -> _Op:
        """The operation :meth:`undo` would take back (ReviewError when there is none)."""
        if not self._undo:
            raise ReviewError("nothing to undo")
        if not own:
            return self._undo[-1]
        mine = [o for o in self._undo if o.actor == self.actor]
        if not mine:
            last = self._undo[-1]
            raise ReviewError(
                f"{self.actor} has no decision to undo (the last one, '{_describe(last.label)}', "
                f"is {last.actor or 'unnamed'}'s)"
            )
        return mine[-1]

    @staticmethod
    def describe_op(op: _Op) -> str:
        return f"'{_describe(op.label)}' by {op.actor or 'an unnamed reviewer'}"

    def redo(self) -> Changes:
        if not self._redo:
            raise ReviewError("nothing to redo")
        target = self._redo[-1]
        changes = self._replay(target, REDO_PREFIX, "after")
        self._undo.append(self._redo.pop())
        return changes


def _op_number(text: str) -> int | None:
    """The operation an undo/redo entry names; None for a malformed entry (it then undoes nothing)."""
    return int(text) if text.isdigit() and len(text) < 19 else None


def _first_value_span(claim: Claim) -> tuple[int, int] | None:
    for v in claim.values:
        if v.role == "primary":
            return (v.start, v.end)
    return None


def _describe(action: str) -> str:
    return action.capitalize()
