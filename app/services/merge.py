"""Two reviewers, one story: bring another reviewer's project file into this one.

``merge_into(mine, theirs_path)`` reads the other file read-only (it is never
written; a newer-schema or damaged file is refused as on opening) and:

* articles are matched by content hash; an article only the other file has is
  imported with its claims and their values;
* claims are matched by their span (article, start, end); facts by their
  mentions (a shared claim span);
* the other file's events are appended to this file's history, each with its
  reviewer, its operation and a fingerprint of where it came from
  (``events.origin``); an event already here (the two files share a history up
  to the moment one was copied, or the file was merged before) is not added
  again;
* decisions: where only the other file decided, its decision is taken; where
  both decided alike, the decision stays (credited to whoever made it first);
  where they differ, the claim or fact becomes *disputed*: its ``disputed``
  column lists each reviewer's decision, note and time, and the claim goes back
  to undecided (the fact back to open) until a curator decides.

Merging the same file twice changes nothing; merging A into B gives the same
decisions, disputes and history as merging B into A. No decision is lost:
every event of both files is kept and every differing decision is listed.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimdesk.core.model import SUGGESTED, Note, now_iso, parse_dispute
from claimdesk.core.ports import ProjectError, Repository
from claimdesk.services.projects import open_project
from claimdesk.services.reviewers import initials, merged_initials, store_initials

#: The action of history entries a merge writes for the rows it changes.
MERGE_ACTION = "merge"


class MergeError(Exception):
    """A merge that cannot be done; the message is for a person."""


@dataclass
class MergeReport:
    articles_added: int = 0
    claims_added: int = 0
    events_added: int = 0
    notes_added: int = 0
    facts_added: int = 0
    decisions_taken: int = 0
    agreed: int = 0
    disputed: list[int] = field(default_factory=list)
    facts_disputed: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.articles_added} new articles, {self.claims_added} new claims, {self.events_added} history "
                f"entries, {self.decisions_taken} decisions taken over, {self.agreed} agreed, "
                f"{len(self.disputed)} claims and {len(self.facts_disputed)} facts disputed")


def event_fingerprint(row: tuple) -> str:
    """Where an event comes from: its ``origin`` if it was brought in, else a digest of the event itself.

    Two copies of one file hold the same rows for their shared history, so the
    digest of the stored row (time to the millisecond, reviewer, action, record,
    snapshots) names the event in both.
    """
    _id, op, at, actor, action, entity, entity_id, before, after, origin = row
    if origin:
        return origin
    h = hashlib.blake2b(digest_size=12)
    for part in (at, actor, action, entity, entity_id, before, after):
        h.update(b"\x1f" + (str(part) if part is not None else "\x00").encode("utf-8", "surrogatepass"))
    return "ev:" + h.hexdigest()


def _claim_decision(status: str, text: str) -> list[Any]:
    """A claim's decision: its status and the wording decided on (an edit, or a confirmation after one)."""
    return [status, text]


def _order(d: dict[str, Any]) -> tuple[str, str, str, str]:
    """A total order of decisions that does not depend on where they were read from."""
    return (d.get("at") or "", d.get("reviewer") or "", repr(d.get("decision")), repr(d.get("note")))


def _earliest(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return min(entries, key=_order)


def _union(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per reviewer (their latest), in a fixed order."""
    latest: dict[str, dict[str, Any]] = {}
    for d in entries:
        who = d.get("reviewer") or ""
        if who not in latest or _order(d) > _order(latest[who]):
            latest[who] = d
    return [latest[k] for k in sorted(latest)]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def merge_into(mine: Repository, theirs_path: str | Path, *, actor: str = "merge") -> MergeReport:
    """Merge the project at ``theirs_path`` into ``mine`` (one transaction: all of it or nothing)."""
    theirs_path = Path(theirs_path)
    if _same_file(mine.path, theirs_path):
        raise MergeError(f"{theirs_path} is the open project itself: there is nothing to merge")
    try:
        theirs = open_project(theirs_path, create=False, readonly=True)
    except ProjectError as exc:
        raise MergeError(str(exc)) from None
    try:
        with mine.transaction():
            return _merge(mine, theirs, actor)
    finally:
        theirs.close()


def _merge(mine: Repository, theirs: Repository, actor: str) -> MergeReport:
    report = MergeReport()
    # -- history: which of their events are new here ------------------------------------
    known = {event_fingerprint(r) for r in mine.event_rows()}
    t_events = theirs.event_rows()
    t_print = {r[0]: event_fingerprint(r) for r in t_events}
    last_event: dict[tuple[str, int], str] = {}
    for r in t_events:
        if r[6] is not None:
            last_event[(r[5], r[6])] = t_print[r[0]]

    # -- articles ------------------------------------------------------------------------
    m_hash = mine.article_hashes()
    amap: dict[int, int] = {}
    new_articles: set[int] = set()
    for t_hash, t_id in theirs.article_hashes().items():
        if t_hash in m_hash:
            amap[t_id] = m_hash[t_hash]
        else:
            art = theirs.article(t_id)
            art.id = None
            amap[t_id], _ = mine.add_article(art)
            new_articles.add(t_id)
            report.articles_added += 1

    # -- claims --------------------------------------------------------------------------
    m_rows = mine.claim_decision_rows()
    m_by_key = {(r["article_id"], r["start"], r["end"]): r for r in m_rows}
    cmap: dict[int, int] = {}
    pending: list[tuple[Any, Any]] = []
    for t in theirs.claim_decision_rows():
        key = (amap[t["article_id"]], t["start"], t["end"])
        m = m_by_key.get(key)
        if m is None:
            claim = theirs.claim(t["id"])
            original = claim.id
            claim.id, claim.article_id = None, key[0]
            for v in claim.values:
                v.id = v.claim_id = None
            new_id = mine.add_claim(claim)
            mine.update_claim(new_id, disputed=t["disputed"]) if t["disputed"] else None
            cmap[original] = new_id
            report.claims_added += 1
        else:
            cmap[t["id"]] = m["id"]
            pending.append((t, m))

    # -- links (by their claims and value spans), for the notes and history that name them ----------
    def link_key(link, claims):
        if link.claim_a not in claims or link.claim_b not in claims:
            return None
        return (claims[link.claim_a], claims[link.claim_b], link.kind, link.a_span, link.b_span)

    same = {cid: cid for cid in (r["id"] for r in m_rows)}
    m_links = {link_key(l, same): l.id for l in mine.links()}
    lmap = {l.id: m_links[k] for l in theirs.links() if (k := link_key(l, cmap)) is not None and k in m_links}

    # -- notes (each reviewer's note shows in a dispute) -------------------------------------------
    m_notes = {(c, l, text, author, at): nid for nid, c, l, text, author, at in mine.note_rows()}
    nmap: dict[int, int] = {}
    for nid, c, link_id, text, author, at in theirs.note_rows():
        claim_id, link = cmap.get(c) if c is not None else None, lmap.get(link_id) if link_id is not None else None
        if claim_id is None and link is None:
            continue  # about a link this file does not have: the note stays in the imported history
        key = (claim_id, link, text, author, at)
        if key not in m_notes:
            m_notes[key] = mine.add_note(Note(text=text, claim_id=claim_id, link_id=link, author=author,
                                              created_at=at))
            report.notes_added += 1
        nmap[nid] = m_notes[key]
    latest_note: dict[tuple[int, str], str] = {}
    for _, c, _l, text, author, at in sorted(mine.note_rows(), key=lambda n: (n[5] or "", n[0])):
        if c is not None:
            latest_note[(c, author or "")] = text

    # -- claim decisions -------------------------------------------------------------------
    updates = []
    merge_events = []
    for t, m in pending:
        seen = last_event.get(("claim", t["id"]))
        if seen is not None and seen in known:
            continue  # their last word on this claim is already here
        if t["status"] == SUGGESTED and not t["disputed"]:
            continue  # they did not decide it
        entries = parse_dispute(m["disputed"]) + parse_dispute(t["disputed"])
        for row, file_claim in ((m, m["id"]), (t, m["id"])):
            if row["status"] != SUGGESTED:
                who = row["decided_by"] or ""
                entries.append({"reviewer": who, "decision": _claim_decision(row["status"], row["text"]),
                                "at": row["decided_at"], "note": latest_note.get((file_claim, who))})
        entries = _union(entries)
        if not entries:
            continue
        decisions = {repr(d["decision"]) for d in entries}
        if len(decisions) == 1:
            first = _earliest(entries)
            status, text = first["decision"][0], first["decision"][1] or m["text"]
            new = (status, text, first["at"], first["reviewer"] or None, None)
            report.agreed += m["status"] != SUGGESTED
            report.decisions_taken += m["status"] == SUGGESTED
        else:
            first = _earliest(entries)
            text = first["decision"][1] or m["text"]
            new = (SUGGESTED, text, None, None, json.dumps(entries, sort_keys=True))
            report.disputed.append(m["id"])
        old = (m["status"], m["text"], m["decided_at"], m["decided_by"], m["disputed"])
        if new != old:
            updates.append((*new, m["id"]))
            merge_events.append(("claim", m["id"], dict(zip(("status", "text", "decided_at", "decided_by",
                                                               "disputed"), old)),
                                 dict(zip(("status", "text", "decided_at", "decided_by", "disputed"), new))))
    mine.set_claim_decisions(updates)

    # -- facts -----------------------------------------------------------------------------
    fmap = _merge_facts(mine, theirs, cmap, last_event, known, report, merge_events)

    # -- their history, then ours of this merge ------------------------------------------------
    base = mine.next_op()
    ops: dict[int, int] = {}
    rows = []
    maps = {"claim": cmap, "fact": fmap, "link": lmap, "note": nmap}
    for r in t_events:
        fp = t_print[r[0]]
        if fp in known:
            continue
        _id, op, at, who, action, entity, entity_id, before, after, _origin = r
        if entity in maps and entity_id is not None:
            # a record this file does not have keeps the other file's id, negated: it names nothing here
            entity_id = maps[entity].get(entity_id, -abs(entity_id))
        ops.setdefault(op, base + len(ops))
        rows.append((ops[op], at, who, action, entity, entity_id, before, after, fp))
        known.add(fp)
    mine.add_event_rows(rows)
    report.events_added = len(rows)
    # -- each reviewer's initials, so that their decisions are listed with them here too -------------
    m_initials = initials(mine)
    both = merged_initials(m_initials, initials(theirs))
    if both != m_initials:
        store_initials(mine, both)
    if merge_events:
        op, at, token = mine.next_op(), now_iso(), secrets.token_hex(8)
        mine.add_event_rows([
            (op, at, actor, MERGE_ACTION, entity, eid, json.dumps(before), json.dumps(after),
             f"merge:{token}:{entity}:{eid}")
            for entity, eid, before, after in merge_events])
    return report


def _fact_decision(fact, version: int | None) -> list[Any]:
    figure = None
    for v in fact.versions:
        if v.k == version:
            figure = [v.amount, v.unit, v.text]
    return [fact.review, figure]


def _merge_facts(mine, theirs, cmap, last_event, known, report, merge_events) -> dict[int, int]:
    m_facts = mine.facts()
    m_by_id = {f.id: f for f in m_facts}
    by_mention: dict[tuple[int, int, int], Any] = {}
    for f in m_facts:
        for mention in f.mentions:
            by_mention[(mention.claim_id, mention.start, mention.end)] = f
    m_disputes = {r["id"]: r["disputed"] for r in mine.fact_decision_rows()}
    t_disputes = {r["id"]: r["disputed"] for r in theirs.fact_decision_rows()}
    fmap: dict[int, int] = {}
    updates = []
    for t in theirs.facts():
        keys = [(cmap.get(mn.claim_id), mn.start, mn.end) for mn in t.mentions]
        matched = sorted({by_mention[k].id for k in keys if k in by_mention})
        if not matched:
            if any(k[0] is None for k in keys) or not keys:
                continue
            from dataclasses import replace

            copy = replace(t, mentions=[replace(mn, claim_id=cmap[mn.claim_id]) for mn in t.mentions])
            fmap[t.id] = mine.new_fact(copy)
            if t_disputes.get(t.id):
                mine.update_fact(fmap[t.id], disputed=t_disputes[t.id])
            report.facts_added += 1
            continue
        m = m_by_id[matched[0]]
        fmap[t.id] = m.id
        seen = last_event.get(("fact", t.id))
        if seen is not None and seen in known:
            continue
        if t.review == "open" and not t_disputes.get(t.id):
            continue
        entries = parse_dispute(m_disputes.get(m.id)) + parse_dispute(t_disputes.get(t.id))
        for f in (m, t):
            if f.review != "open":
                entries.append({"reviewer": f.decided_by or "", "decision": _fact_decision(f, f.preferred_version),
                                "at": f.decided_at, "note": f.resolution})
        entries = _union(entries)
        if not entries:
            continue
        first = _earliest(entries)
        version = _version_of(m, first["decision"][1])
        if len({repr(d["decision"]) for d in entries}) == 1:
            new = (first["decision"][0], version, first.get("note"), first["at"], first["reviewer"] or None, None)
            report.agreed += m.review != "open"
            report.decisions_taken += m.review == "open"
        else:
            new = ("open", None, None, None, None, json.dumps(entries, sort_keys=True))
            report.facts_disputed.append(m.id)
        old = (m.review, m.preferred_version, m.resolution, m.decided_at, m.decided_by, m_disputes.get(m.id))
        if new != old:
            updates.append((*new, m.id))
            names = ("review", "preferred_version", "resolution", "decided_at", "decided_by", "disputed")
            merge_events.append(("fact", m.id, dict(zip(names, old)), dict(zip(names, new))))
    mine.set_fact_decisions(updates)
    return fmap


def _version_of(fact, figure) -> int | None:
    if figure is None:
        return None
    for v in fact.versions:
        if [v.amount, v.unit, v.text] == figure:
            return v.k
    for v in fact.versions:
        if [v.amount, v.unit] == figure[:2]:
            return v.k
    return None
