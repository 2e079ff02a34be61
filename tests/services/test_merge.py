"""Two reviewers, one story: merging their files, agreement, curation (issue 17).

Real project files: a base story is copied to two reviewers, each decides
through ReviewService, and the files are merged with ``merge_into`` in both
orders and twice.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk.cli import main
from claimdesk.services.agreement import agreement, cohen_kappa
from claimdesk.services.merge import MERGE_ACTION, MergeError, event_fingerprint, merge_into
from claimdesk.core.model import SUGGESTED, Article, Claim, parse_dispute
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project

TEXTS = (
    "The dam cost 15 million euros. It opened in 2021. Two towns lie below it. The river rose 3 metres.",
    "Officials said 12 people died. The flood hit 400 homes. Repairs will take two years.",
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch == ".":
            spans.append((start, i + 1))
            start = i + 2
    return spans


def make_base(path: Path, texts=TEXTS) -> Path:
    with Project(path) as p:
        for n, text in enumerate(texts):
            aid, _ = p.add_article(Article(text=text, title=f"article {n}",
                                           content_hash=hashlib.sha256(text.encode()).hexdigest()))
            for s, e in _sentences(text):
                p.add_claim(Claim(article_id=aid, start=s, end=e, text=text[s:e], kind="fact", score=0.5))
    return path


def apply(path: Path, reviewer: str, actions) -> None:
    with Project(path) as p:
        svc = ReviewService(p, actor=reviewer)
        ids = [c.id for c in p.claims()]
        for i, what in actions:
            cid = ids[i % len(ids)]
            if what == "confirm":
                svc.confirm(cid)
            elif what == "reject":
                svc.reject(cid)
            elif what == "reset":
                svc.reset(cid)
            elif what.startswith("edit"):
                svc.edit(cid, text=f"edited {what[-1]}")
            elif what == "note":
                svc.note(f"{reviewer}'s note", claim_id=cid)
            elif what == "undo" and svc.can_undo:
                svc.undo()


def state(path: Path) -> dict:
    """What a merge must make the same whatever the order: decisions, disputes, history, notes."""
    with Project(path, readonly=True) as p:
        hashes = {a.id: a.content_hash for a in p.articles()}
        key = {r["id"]: (hashes[r["article_id"]], r["start"], r["end"]) for r in p.claim_decision_rows()}
        # an undecided claim keeps each file's own wording (an edit taken back by a reset leaves its text)
        claims = {
            key[r["id"]]: (r["status"], r["text"] if r["status"] != SUGGESTED or r["disputed"] else None,
                           r["decided_by"], r["decided_at"],
                           json.loads(r["disputed"]) if r["disputed"] else None)
            for r in p.claim_decision_rows()
        }
        note_key = {i: (key.get(c), text, author, at) for i, c, _l, text, author, at in p.note_rows()}
        ids = {"claim": key, "note": note_key}
        events = sorted(
            (at, actor, action, entity, ids[entity].get(eid) if entity in ids else eid,
             _without_local_ids(before), _without_local_ids(after))
            for _id, _op, at, actor, action, entity, eid, before, after, _o in p.event_rows()
            if action != MERGE_ACTION
        )
        notes = sorted((key.get(c), text, author, at) for _i, c, _l, text, author, at in p.note_rows())
    return {"claims": claims, "events": events, "notes": notes}


def _without_local_ids(snapshot: str | None) -> str | None:
    """A history snapshot without the row ids each file numbers for itself (a note's id depends on
    which file's notes were inserted first); what the record says stays."""
    if snapshot is None:
        return None
    record = json.loads(snapshot)
    if isinstance(record, dict):
        for k in ("id", "claim_id", "link_id"):
            record.pop(k, None)
    return json.dumps(record, sort_keys=True)


def two_reviewers(tmp_path: Path, ana, ben, texts=TEXTS) -> tuple[Path, Path]:
    base = make_base(tmp_path / "base.claimdesk", texts)
    a, b = tmp_path / "ana.claimdesk", tmp_path / "ben.claimdesk"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    apply(a, "ana", ana)
    apply(b, "ben", ben)
    return a, b


ACTIONS = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["confirm", "reject", "reset", "edit1", "edit2", "note", "undo"])),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ana=ACTIONS, ben=ACTIONS)
@pytest.mark.slow
def test_merging_in_either_order_and_twice_gives_one_result_and_loses_nothing(tmp_path_factory, ana, ben):
    tmp = tmp_path_factory.mktemp("merge")
    a, b = two_reviewers(tmp, ana, ben)
    ab, ba = tmp / "ab.claimdesk", tmp / "ba.claimdesk"
    shutil.copyfile(a, ab)
    shutil.copyfile(b, ba)
    sha_a, sha_b = _sha(a), _sha(b)
    with Project(ab) as p:
        merge_into(p, b)
    once = state(ab)
    with Project(ab) as p:
        again = merge_into(p, b)
    assert again.events_added == 0 and not again.disputed
    assert state(ab) == once  # idempotent
    with Project(ba) as p:
        merge_into(p, a)
        merge_into(p, a)
    assert state(ba) == once  # order-independent
    assert (_sha(a), _sha(b)) == (sha_a, sha_b)  # the other file is never written

    # nothing lost: every event of both files, and every reviewer's last decision is the claim's or listed
    merged = state(ab)
    for source, reviewer in ((a, "ana"), (b, "ben")):
        mine = state(source)
        assert set(mine["events"]) <= set(merged["events"])
        assert set(mine["notes"]) <= set(merged["notes"])
        for k, (status, text, *_rest) in mine["claims"].items():
            if status == SUGGESTED:
                continue
            m_status, m_text, _by, _at, disputed = merged["claims"][k]
            if disputed:
                listed = [d for d in disputed if d["reviewer"] == reviewer]
                assert listed and listed[0]["decision"][0] == status
            else:
                assert (m_status, m_text) == (status, text)


@pytest.fixture(scope="module")
def story_with_facts(tmp_path_factory) -> tuple[Path, list[int]]:
    """The sample story through the real pipeline: facts with one and with several versions."""
    from claimdesk.services.pipeline import import_paths
    from claimdesk.paths import sample_articles

    path = tmp_path_factory.mktemp("facts") / "base.claimdesk"
    with Project(path) as p:
        import_paths(p, sample_articles())
        ids = [f.id for f in p.facts() if len(f.articles) > 1]
    assert len(ids) >= 3
    return path, ids


FACT_ACTIONS = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["confirm", "confirm0", "reject", "resolve0", "resolve1", "undo"])),
    max_size=6,
)


def apply_facts(path: Path, reviewer: str, ids: list[int], actions) -> None:
    with Project(path) as p:
        svc = ReviewService(p, actor=reviewer)
        for i, what in actions:
            fact = p.fact(ids[i % len(ids)])
            versions = [v.k for v in fact.versions]
            if what == "confirm":
                svc.confirm_fact(fact.id)
            elif what == "confirm0":
                svc.confirm_fact(fact.id, versions[0])
            elif what == "reject":
                svc.reject_fact(fact.id)
            elif what.startswith("resolve"):
                svc.resolve_fact(fact.id, versions[int(what[-1]) % len(versions)], f"{reviewer} says {what}")
            elif svc.can_undo:
                svc.undo()


def fact_state(path: Path) -> dict:
    """Each fact's decision and dispute, and the fact history without the merge's own entries."""
    with Project(path, readonly=True) as p:
        facts = {r["id"]: (r["review"], r["preferred_version"], r["resolution"], r["decided_by"], r["decided_at"],
                           json.loads(r["disputed"]) if r["disputed"] else None) for r in p.fact_decision_rows()}
        events = sorted((at, actor, action, eid, before, after)
                        for _i, _op, at, actor, action, entity, eid, before, after, _o in p.event_rows()
                        if entity == "fact" and action != MERGE_ACTION)
    return {"facts": facts, "events": events}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ana=FACT_ACTIONS, ben=FACT_ACTIONS)
def test_fact_decisions_merged_in_either_order_and_twice_give_one_result_and_lose_nothing(
        tmp_path_factory, story_with_facts, ana, ben):
    base, ids = story_with_facts
    tmp = tmp_path_factory.mktemp("factmerge")
    a, b = tmp / "ana.claimdesk", tmp / "ben.claimdesk"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    apply_facts(a, "ana", ids, ana)
    apply_facts(b, "ben", ids, ben)
    ab, ba = tmp / "ab.claimdesk", tmp / "ba.claimdesk"
    shutil.copyfile(a, ab)
    shutil.copyfile(b, ba)
    sha = (_sha(a), _sha(b))
    with Project(ab) as p:
        merge_into(p, b)
    once = fact_state(ab)
    with Project(ab) as p:
        assert not merge_into(p, b).facts_disputed
    assert fact_state(ab) == once  # idempotent
    with Project(ba) as p:
        merge_into(p, a)
        merge_into(p, a)
    assert fact_state(ba) == once  # order-independent
    assert (_sha(a), _sha(b)) == sha  # the other files are only read
    for source, reviewer in ((a, "ana"), (b, "ben")):
        mine = fact_state(source)
        assert set(mine["events"]) <= set(once["events"])  # every history entry kept
        for fid, (review, version, *_rest) in mine["facts"].items():
            if review == "open":
                continue
            m_review, m_version, _res, _by, _at, disputed = once["facts"][fid]
            if disputed:  # a differing decision is listed with the reviewer's name
                listed = [d for d in disputed if d["reviewer"] == reviewer]
                assert listed and listed[0]["decision"][0] == review
            else:
                assert (m_review, m_version) == (review, version)


def test_disputed_claims_list_both_decisions_with_notes_and_agreement_counts_them(tmp_path):
    a, b = two_reviewers(tmp_path, [(0, "confirm"), (1, "confirm"), (2, "reject"), (2, "note")],
                         [(0, "confirm"), (1, "reject"), (2, "confirm")])
    with Project(a) as p:
        report = merge_into(p, b)
        assert len(report.disputed) == 2 and report.agreed == 1
        claims = p.claims()
        assert claims[0].status == "confirmed"
        disputed = parse_dispute(p.claim(claims[2].id).disputed)
        assert [(d["reviewer"], d["decision"][0], d["note"]) for d in disputed] == [
            ("ana", "rejected", "ana's note"), ("ben", "confirmed", None)]
        assert all(d["at"] for d in disputed)
        assert p.claim(claims[2].id).status == SUGGESTED
        got = agreement(p)["pairs"]
        assert [(x["a"], x["b"], x["items"], x["agreement"]) for x in got] == [("ana", "ben", 3, pytest.approx(1 / 3))]

        # the curator decides: the dispute is settled, as an event; undo brings it back
        svc = ReviewService(p, actor="cleo")
        svc.reject(claims[2].id)
        assert p.claim(claims[2].id).status == "rejected" and not parse_dispute(p.claim(claims[2].id).disputed)
        svc.undo()
        assert len(parse_dispute(p.claim(claims[2].id).disputed)) == 2
        # imported events are history, not this file's undo steps
        assert svc.undo_target().actor in ("ana", "cleo")


def test_new_articles_come_with_their_claims_and_decisions(tmp_path):
    extra = "A third report says 13 people died."
    base = make_base(tmp_path / "mine.claimdesk")
    other = make_base(tmp_path / "theirs.claimdesk", TEXTS + (extra,))
    apply(other, "ben", [(7, "reject")])
    with Project(base) as p:
        report = merge_into(p, other)
        assert report.articles_added == 1 and report.claims_added == 1
        new = [c for c in p.claims() if c.text == extra]
        assert new and new[0].status == "rejected" and new[0].decided_by == "ben"
        assert any(e.entity_id == new[0].id and e.actor == "ben" for e in p.events(entity="claim"))


def test_a_newer_damaged_or_same_file_is_refused_and_nothing_changes(tmp_path):
    mine = make_base(tmp_path / "mine.claimdesk")
    before = _sha(mine)
    bad = tmp_path / "bad.claimdesk"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    newer = tmp_path / "newer.claimdesk"
    shutil.copyfile(mine, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with Project(mine) as p:
        for other, words in ((bad, "damaged"), (newer, "newer"), (mine, "itself")):
            with pytest.raises(MergeError, match=words):
                merge_into(p, other)
    assert _sha(mine) == before
    assert main(["merge", "--db", str(mine), str(newer)]) == 1


def test_kappa_against_a_hand_computed_table():
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = .5*.6 + .5*.4 = 0.5, kappa = 0.4
    table = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(table) == {"items": 50, "agreement": 0.7, "kappa": pytest.approx(0.4)}
    assert cohen_kappa([("y", "y")] * 3)["kappa"] is None  # one category only: not defined
    assert cohen_kappa([]) == {"items": 0, "agreement": None, "kappa": None}


def test_agreement_of_a_project_and_the_cli(tmp_path, capsys):
    # the same table, decided by two reviewers on copies of one story, then merged
    text = " ".join(f"S{i}." for i in range(50))
    table = [("confirm", "confirm")] * 20 + [("confirm", "reject")] * 5 + [("reject", "confirm")] * 10 \
        + [("reject", "reject")] * 15
    a, b = two_reviewers(tmp_path, [(i, pair[0]) for i, pair in enumerate(table)],
                         [(i, pair[1]) for i, pair in enumerate(table)], texts=(text,))
    with Project(a) as p:
        merge_into(p, b)
    path = a
    assert main(["agreement", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (pair,) = out["pairs"]
    assert (pair["a"], pair["b"], pair["items"], pair["agreement"]) == ("ana", "ben", 50, 0.7)
    assert pair["kappa"] == pytest.approx(0.4)
    assert pair["articles"][0]["items"] == 50


def test_cli_merge_and_reviewer_default(tmp_path, monkeypatch, capsys):
    a, b = two_reviewers(tmp_path, [(0, "confirm")], [(0, "reject")])
    assert main(["merge", "--db", str(a), str(b)]) == 0
    assert "1 claims" in capsys.readouterr().out
    monkeypatch.setenv("CLAIMDESK_REVIEWER", "dora")
    with Project(a) as p:
        cid = p.claims()[0].id
    assert main(["review", "--db", str(a), "--claim", str(cid), "confirm"]) == 0
    with Project(a) as p:
        assert p.claim(cid).decided_by == "dora" and not parse_dispute(p.claim(cid).disputed)


def test_event_fingerprints_name_shared_history_alike(tmp_path):
    a, b = two_reviewers(tmp_path, [(0, "confirm")], [])
    with Project(a, readonly=True) as p:
        rows = p.event_rows()
    assert len({event_fingerprint(r) for r in rows}) == len(rows)


def test_fact_decisions_merge_by_mentions_and_differing_ones_are_disputed(tmp_path):
    from claimdesk.services.pipeline import import_paths
    from claimdesk.paths import sample_articles

    base = tmp_path / "base.claimdesk"
    with Project(base) as p:
        import_paths(p, sample_articles())
        facts = p.facts()
    conflict = next(f for f in facts if f.status == "conflicting" and len(f.versions) == 2)
    agreed = next(f for f in facts if f.status == "agreed")
    a, b = tmp_path / "ana.claimdesk", tmp_path / "ben.claimdesk"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    for path, who, k in ((a, "ana", conflict.versions[0].k), (b, "ben", conflict.versions[1].k)):
        with Project(path) as p:
            svc = ReviewService(p, actor=who)
            svc.resolve_fact(conflict.id, k, f"{who} read the filing")
            svc.confirm_fact(agreed.id)
    results = []
    for mine, theirs in ((a, b), (b, a)):
        target = tmp_path / f"merged-{mine.stem}.claimdesk"
        shutil.copyfile(mine, target)
        with Project(target) as p:
            report = merge_into(p, theirs)
            assert report.facts_disputed == [conflict.id]
            assert not merge_into(p, theirs).facts_disputed
            got = p.fact(conflict.id)
            listed = parse_dispute(p.fact(conflict.id).disputed)
            results.append(((got.review, got.preferred_version), listed, p.fact(agreed.id).review))
            pair = agreement(p)["pairs"][0]
            assert (pair["facts"]["items"], pair["facts"]["agreement"]) == (2, 0.5)
            # per article: the facts it states (a fact of two articles counts in both)
            per = {art["article_id"]: art for art in pair["articles"]}
            assert set(per) == conflict.articles | agreed.articles
            for aid, art in per.items():
                want = [(aid in conflict.articles, "d"), (aid in agreed.articles, "s")]
                assert art["facts"]["items"] == sum(w for w, _ in want) == art["items"]
                assert art["facts"]["agreement"] == (0.5 if all(w for w, _ in want) else 0.0 if want[0][0] else 1.0)
    assert results[0] == results[1]
    (review, listed, agreed_review) = results[0]
    assert review == ("open", None) and agreed_review == "confirmed"
    assert [(d["reviewer"], d["decision"][0], d["note"]) for d in listed] == [
        ("ana", "resolved", "ana read the filing"), ("ben", "resolved", "ben read the filing")]
    with Project(tmp_path / "merged-ana.claimdesk") as p:
        svc = ReviewService(p, actor="cleo")
        svc.resolve_fact(conflict.id, conflict.versions[1].k, "the curator sides with ben")
        assert not parse_dispute(p.fact(conflict.id).disputed)
        svc.undo()
        assert len(parse_dispute(p.fact(conflict.id).disputed)) == 2
        # a re-alignment (after an import) keeps a disputed fact like a decided one: no decision is lost
        from claimdesk.services.pipeline import realign

        realign(p)
        assert len(parse_dispute(p.fact(conflict.id).disputed)) == 2
        assert {m.key for m in p.fact(conflict.id).mentions} == {m.key for m in conflict.mentions}
        assert p.fact(conflict.id).disputed


def test_initials_travel_with_the_file_and_the_json_export_lists_each_reviewers_fact_decision(tmp_path):
    from claimdesk.services.pipeline import import_paths
    from claimdesk.services.reviewers import initials, record_initials
    from claimdesk.paths import sample_articles

    base = tmp_path / "base.claimdesk"
    with Project(base) as p:
        import_paths(p, sample_articles())
        conflict = next(f for f in p.facts() if f.status == "conflicting" and len(f.versions) == 2)
        cid = p.claims()[0].id
    a, b = tmp_path / "ana.claimdesk", tmp_path / "ben.claimdesk"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    for path, who, short, k in ((a, "ana", "AR", 0), (b, "ben", None, 1)):
        with Project(path) as p:
            svc = ReviewService(p, actor=who)
            svc.resolve_fact(conflict.id, conflict.versions[k].k, f"{who} read the filing")
            svc.confirm(cid) if who == "ana" else svc.reject(cid)
            record_initials(p, who, short)
    with Project(b) as p:
        record_initials(p, "ana", "AnR")  # two files that know one reviewer by different initials
        assert not record_initials(p, "ana", "AnR")  # nothing written when the file already says so
    merged = []
    for mine, theirs in ((a, b), (b, a)):
        target = tmp_path / f"m-{mine.stem}.claimdesk"
        shutil.copyfile(mine, target)
        with Project(target) as p:
            merge_into(p, theirs)
            merged.append(initials(p))
    assert merged[0] == merged[1] == {"ana": "AR"}  # the same whichever way round

    out = tmp_path / "sheet.json"
    assert main(["export", "--db", str(tmp_path / "m-ana.claimdesk"), "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    fact = next(f for f in doc["facts"] if f["id"] == conflict.id)
    assert (fact["review"], fact["preferred_version"], fact["decided_by"]) == ("open", None, None)
    assert [(d["reviewer"], d.get("initials"), d["decision"], d["preferred_version"]) for d in fact["decisions"]] == [
        ("ana", "AR", "resolved", conflict.versions[0].k), ("ben", None, "resolved", conflict.versions[1].k)]
    assert [(d["reviewer"], d.get("initials"), d["note"]) for d in fact["disputed"]] == [
        ("ana", "AR", "ana read the filing"), ("ben", None, "ben read the filing")]
    claim = next(c for c in doc["claims"] if c["id"] == cid)
    assert [(d["reviewer"], d.get("initials"), d["decision"]) for d in claim["decisions"]] == [
        ("ana", "AR", "confirmed"), ("ben", None, "rejected")]
    assert [d.get("initials") for d in claim["disputed"]] == ["AR", None]


def test_a_file_whose_dispute_record_is_not_a_list_is_refused(tmp_path):
    a, b = two_reviewers(tmp_path, [(0, "confirm")], [(0, "reject")])
    conn = sqlite3.connect(b)
    conn.execute("UPDATE claims SET disputed = '{\"not\": \"a list\"}' WHERE id = 1")
    conn.commit()
    conn.close()
    with Project(a) as p:
        with pytest.raises(MergeError, match="disputed claim"):
            merge_into(p, b)
