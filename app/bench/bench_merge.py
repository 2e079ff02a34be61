"""Two reviewers' files of one big story merged: ``merge_into`` on 2,000 articles / 50,000 claims each.

The story is built as in ``bench_storage`` (2,000 articles of 25 claims, one
money value each) and copied to two reviewers. Reviewer A decides 15,000
claims, reviewer B 15,000 (10,000 of them the other way from A, 5,000 that A
left open), each decision a claim update with its history entry (a JSON
snapshot before and after, as ``ReviewService`` writes them), written in bulk
to keep the set-up short. The claims of each pair of neighbouring articles
(article 1's n-th claim and article 2's n-th, ...) are one fact with two
versions (unless the figures are the same): about 25,000 facts. Reviewer A resolves 15,000 of them (version 1 is right,
with a reason), B resolves 15,000 (10,000 with the other version, 5,000 that A
left open): 10,000 differing fact decisions beside the 10,000 differing claim
decisions. Then B's file is merged into A's in a fresh process (wall time and
that process's peak memory, imports included), and merged again (nothing to
do: the idempotent case).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimdesk.bench import Result
from claimdesk.bench.bench_storage import CLAIMS_PER_ARTICLE, N_ARTICLES, build_project

DIFFERING = 10_000
TAKEN_OVER = 5_000
FACT_DIFFERING = 10_000
FACT_TAKEN_OVER = 5_000


def add_facts(path: Path) -> int:
    """One fact per pair of neighbouring articles' n-th claims (two versions: their figures); returns how many."""
    from claimdesk.core.facts import CONFLICTING, Fact, Mention, Version
    from claimdesk.storage.project import Project

    with Project(path) as project, project.transaction():
        by_article: dict[int, list] = {}
        for c in project.claims():
            by_article.setdefault(c.article_id, []).append(c)
        articles = sorted(by_article)
        facts = []
        for a, b in zip(articles[0::2], articles[1::2]):
            for ca, cb in zip(by_article[a], by_article[b]):
                va, vb = ca.values[0], cb.values[0]
                if va.amount == vb.amount:  # the same figure twice is no conflict (about 1 pair in 900)
                    continue
                facts.append(Fact(
                    id=0, label="cost of the council", subject="the council", attribute="cost",
                    status=CONFLICTING, kind="money:USD",
                    versions=[Version(0, va.text, va.amount, "USD", "exact"),
                              Version(1, vb.text, vb.amount, "USD", "exact")],
                    mentions=[Mention(ca.id, a, va.start, va.end, 0, va.text),
                              Mention(cb.id, b, vb.start, vb.end, 1, vb.text)]))
        return project.replace_suggested_facts(facts)


def _decide_facts(path: Path, reviewer: str, decisions: dict[int, tuple[int, str]]) -> None:
    """Resolve facts as ReviewService does (fact row + one event with snapshots): {fact id: (version, why)}."""
    from claimdesk.storage.project import Project, now_iso

    with Project(path) as project, project.transaction():
        op = project.next_op()
        updates, events = [], []
        for n, (fid, (version, why)) in enumerate(sorted(decisions.items())):
            at = now_iso()
            before = project.snapshot("fact", fid)
            after = dict(before, review="resolved", preferred_version=version, resolution=why, decided_at=at,
                         decided_by=reviewer)
            updates.append(("resolved", version, why, at, reviewer, None, fid))
            events.append((op + n, at, reviewer, "resolve fact", "fact", fid, json.dumps(before),
                           json.dumps(after), None))
        project.set_fact_decisions(updates)
        project.add_event_rows(events)


def _decide(path: Path, reviewer: str, decisions: dict[int, str]) -> None:
    """Write decisions as ReviewService does (claim row + one event with snapshots), in one transaction."""
    from claimdesk.core.model import Event
    from claimdesk.storage.project import Project, now_iso

    with Project(path) as project, project.transaction():
        rows = {r["id"]: dict(r) for r in project.claim_decision_rows()}
        op = project.next_op()
        updates, events = [], []
        for n, (cid, status) in enumerate(sorted(decisions.items())):
            at = now_iso()
            before = rows[cid]
            after = dict(before, status=status, decided_at=at, decided_by=reviewer)
            updates.append((status, before["text"], at, reviewer, None, cid))
            events.append(Event(op=op + n, at=at, actor=reviewer, action=status[:-2] if status.endswith("ed")
                                else status, entity="claim", entity_id=cid, before=before, after=after))
        project.set_claim_decisions(updates)
        project.add_event_rows([(e.op, e.at, e.actor, e.action, e.entity, e.entity_id, json.dumps(e.before),
                                 json.dumps(e.after), None) for e in events])


def _peak_mb() -> float:
    """This process's peak resident memory. ``VmHWM`` where Linux gives it: ``ru_maxrss`` after an exec keeps the
    parent's peak when that was higher (a merge started from a 1 GB test process read 1 GB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mine: str, theirs: str) -> None:
    """Run in a fresh process: one merge, then the same again; prints JSON figures."""
    from claimdesk.services.merge import merge_into
    from claimdesk.storage.project import Project

    with Project(mine) as project:
        t = time.perf_counter()
        report = merge_into(project, theirs, actor="bench")
        first = time.perf_counter() - t
        t = time.perf_counter()
        again = merge_into(project, theirs, actor="bench")
        second = time.perf_counter() - t
    peak = _peak_mb()
    print(json.dumps({"first": first, "second": second, "peak_mb": peak, "disputed": len(report.disputed),
                      "facts_disputed": len(report.facts_disputed), "again_facts": len(again.facts_disputed),
                      "taken": report.decisions_taken, "events": report.events_added,
                      "again_events": again.events_added, "again_disputed": len(again.disputed)}))


def run(quick: bool) -> list[Result]:
    n_articles = 200 if quick else N_ARTICLES
    differing = DIFFERING // 10 if quick else DIFFERING
    taken = TAKEN_OVER // 10 if quick else TAKEN_OVER
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-merge-") as tmp:
        base = Path(tmp) / "base.claimdesk"
        n_claims = build_project(base, n_articles, CLAIMS_PER_ARTICLE)
        n_facts = add_facts(base)
        a, b = Path(tmp) / "a.claimdesk", Path(tmp) / "b.claimdesk"
        shutil.copyfile(base, a)
        shutil.copyfile(base, b)
        ids = list(range(1, n_claims + 1))
        agreed = taken  # A and B agree on as many as B takes over from A's open claims
        a_dec = {cid: "confirmed" for cid in ids[: differing + agreed]}
        b_dec = {cid: "rejected" for cid in ids[:differing]}
        b_dec.update({cid: "confirmed" for cid in ids[differing: differing + agreed]})
        b_dec.update({cid: "confirmed" for cid in ids[differing + agreed: differing + agreed + taken]})
        _decide(a, "ana", a_dec)
        _decide(b, "ben", b_dec)
        f_differing = FACT_DIFFERING // 10 if quick else FACT_DIFFERING
        f_taken = FACT_TAKEN_OVER // 10 if quick else FACT_TAKEN_OVER
        fids = list(range(1, n_facts + 1))
        _decide_facts(a, "ana", {fid: (0, "the council's minutes") for fid in fids[: f_differing + f_taken]})
        b_facts = {fid: (1, "the press office") for fid in fids[:f_differing]}
        b_facts.update({fid: (0, "the council's minutes") for fid in fids[f_differing: f_differing + 2 * f_taken]})
        _decide_facts(b, "ben", b_facts)
        proc = subprocess.run([sys.executable, "-c", f"from claimdesk.bench.bench_merge import child; "
                               f"child({str(a)!r}, {str(b)!r})"], capture_output=True, text=True, check=True)
        got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["disputed"] == differing and got["again_events"] == 0 and got["again_disputed"] == 0, got
    assert got["facts_disputed"] == f_differing and got["again_facts"] == 0, got
    size = f"{n_articles:,} articles / {n_claims:,} claims / {n_facts:,} facts each"
    return [
        Result(f"merge two reviewers' files ({size}, {differing:,} differing claim and {f_differing:,} differing "
               "fact decisions)", got["first"], "s",
               "< 5 s", f"{got['events']:,} history entries brought in, {got['taken']:,} decisions taken over, "
                        f"{got['disputed']:,} claims and {got['facts_disputed']:,} facts disputed"),
        Result("the same merge again (nothing new: idempotent)", got["second"], "s", "", "no change"),
        Result("peak memory of the merging process", got["peak_mb"], "MB", "< 500 MB",
               "a fresh process: interpreter and imports included"),
    ]
