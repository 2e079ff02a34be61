"""Facts in the project file: the schema-1 migration, recomputing after import, decisions with undo,
and a value the reviewer edits or adds joining the facts at once. Real SQLite files throughout."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from claimdesk.core.facts import AGREED, CONFLICTING, SINGLE
from claimdesk.core.model import EXACT, Value
from claimdesk.services.pipeline import import_paths, realign
from claimdesk.services.review import ReviewError, ReviewService
from claimdesk.paths import sample_articles
from claimdesk.storage.project import Project

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_1 = ROOT / "db" / "fixtures" / "schema-1.claimdesk"


def reviewed_links(path: Path) -> list[dict]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(
            "SELECT * FROM links WHERE status != 'open' OR origin != 'suggested' ORDER BY id")]
    finally:
        conn.close()


def test_schema_1_reviewed_links_become_facts_with_their_decisions(tmp_path):
    path = tmp_path / "old.claimdesk"
    shutil.copyfile(SCHEMA_1, path)
    links = reviewed_links(path)
    assert len(links) >= 3 and any(l["resolution"] for l in links) and any(l["preferred_claim"] for l in links)
    with Project(path) as project:
        facts = {f.mentions[0].claim_id: f for f in project.facts() if f.origin == "migrated"}
        assert len(facts) == len(links)
        for link in links:
            f = facts[link["claim_a"]]
            want = {"confirmed": "confirmed", "rejected": "rejected", "resolved": "resolved"}[link["status"]]
            assert f.review == want and f.resolution == link["resolution"]
            assert f.decided_at == link["decided_at"] and f.decided_by == link["decided_by"]
            assert f.status == (CONFLICTING if link["kind"] == "conflict" else AGREED)
            a, b = f.mentions if f.mentions[0].claim_id == link["claim_a"] else f.mentions[::-1]
            assert (a.claim_id, a.start, a.end) == (link["claim_a"], link["a_start"], link["a_end"])
            assert (b.claim_id, b.start, b.end) == (link["claim_b"], link["b_start"], link["b_end"])
            if link["kind"] == "conflict":
                assert a.version != b.version
                if link["preferred_claim"]:
                    preferred = a if link["preferred_claim"] == link["claim_a"] else b
                    assert f.preferred_version == preferred.version
            else:
                assert a.version == b.version
        # the links themselves are still there, untouched
        assert len(project.links()) >= len(links)
        # recomputing the facts keeps every decided fact
        realign(project)
        after = {f.id: f for f in project.facts()}
        for f in facts.values():
            assert after[f.id].review == f.review and after[f.id].resolution == f.resolution


@pytest.fixture
def sample_project(tmp_path):
    with Project(tmp_path / "s.claimdesk") as project:
        import_paths(project, sample_articles())
        yield project


def conflicting_fact(project):
    return next(f for f in project.facts() if f.status == CONFLICTING and len(f.versions) == 2)


def test_import_stores_facts_and_the_report_uses_them(sample_project):
    facts = sample_project.facts()
    assert any(f.status == CONFLICTING for f in facts) and any(f.status == AGREED for f in facts)
    texts = {a.id: a.text for a in sample_project.articles()}
    f = conflicting_fact(sample_project)
    assert {texts[m.article_id][m.start:m.end] for m in f.mentions} == {m.text for m in f.mentions}
    # links are derived from facts: at most about one per mention
    mentions = sum(len(f.mentions) for f in facts)
    assert len(sample_project.links()) <= mentions


def test_a_fact_decision_is_one_event_and_undo_restores_it(sample_project):
    review = ReviewService(sample_project, actor="desk")
    f = conflicting_fact(sample_project)
    review.resolve_fact(f.id, f.versions[1].k, "the filing says so")
    got = sample_project.fact(f.id)
    assert (got.review, got.preferred_version, got.resolution, got.decided_by) == (
        "resolved", f.versions[1].k, "the filing says so", "desk")
    assert [e.entity for e in sample_project.events(entity="fact", entity_id=f.id)] == ["fact"]
    review.undo()
    assert sample_project.fact(f.id).review == "open"
    # undo survives a restart: a new service rebuilds the stack from the events
    again = ReviewService(sample_project, actor="desk")
    again.redo()
    assert sample_project.fact(f.id).review == "resolved"
    with pytest.raises(ReviewError):
        again.resolve_fact(f.id, 99, "no such version")
    with pytest.raises(ReviewError):
        again.confirm_fact(123456)


def test_split_and_merge_move_one_mention_and_undo_puts_it_back(sample_project):
    review = ReviewService(sample_project)
    f = conflicting_fact(sample_project)
    moved = f.mentions[-1]
    n_facts = len(sample_project.facts())
    review.split_mention(f.id, moved.claim_id, (moved.start, moved.end))
    facts = sample_project.facts()
    assert len(facts) == n_facts + 1
    alone = next(x for x in facts if any(m.key == moved.key for m in x.mentions))
    assert alone.id != f.id and alone.status == SINGLE and alone.origin == "manual"
    assert sample_project.fact(f.id).status != CONFLICTING or len(sample_project.fact(f.id).versions) > 1
    review.merge_mention(moved.claim_id, (moved.start, moved.end), f.id, moved.version)
    assert any(m.key == moved.key for m in sample_project.fact(f.id).mentions)
    review.undo()  # the merge
    review.undo()  # the split
    restored = sample_project.fact(f.id)
    assert sorted(m.key for m in restored.mentions) == sorted(m.key for m in f.mentions)
    assert restored.status == f.status
    assert len(sample_project.facts()) == n_facts


def test_an_edited_value_joins_the_facts_at_once(sample_project):
    review = ReviewService(sample_project)
    f = conflicting_fact(sample_project)
    m = f.mentions[0]
    claim = sample_project.claim(m.claim_id)
    other = next(x for x in f.mentions if x.version != m.version)
    other_value = next(v for v in sample_project.claim(other.claim_id).values if v.start == other.start)
    # the reviewer corrects the figure to the other version's: the fact becomes agreed at once
    values = []
    for v in claim.values:
        if v.start == m.start:
            v = Value(v.start, v.end, v.text, v.type, other_value.amount, other_value.unit, EXACT)
        values.append(v)
    review.edit(claim.id, values=values)
    regrouped = next(x for x in sample_project.facts() if any(y.key == m.key for y in x.mentions))
    mine = next(y for y in regrouped.mentions if y.key == m.key)
    theirs = next((y for y in regrouped.mentions if y.key == other.key), None)
    assert theirs is not None and mine.version == theirs.version


def test_a_value_typed_in_by_hand_joins_the_facts(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Date: 2024-03-04\n\nThe European Commission fined Apple €1.8 billion on Monday.\n", encoding="utf-8")
    b.write_text("Date: 2024-03-04\n\nRegulators said Apple's fine of €1.8 billion was the first.\n",
                 encoding="utf-8")
    with Project(tmp_path / "p.claimdesk") as project:
        import_paths(project, [a, b])
        art = next(x for x in project.articles() if "Regulators" in x.text)
        # the reviewer rejects the suggestion and adds the sentence again by hand with its value
        review = ReviewService(project)
        for c in project.claims(art.id):
            review.reject(c.id)
        start = art.text.index("Regulators")
        end = art.text.index("first.") + len("first.")
        i = art.text.index("€1.8 billion")
        new_id, _ = review.add_claim(art.id, start, end, values=[
            Value(i, i + len("€1.8 billion"), "€1.8 billion", "money", 1.8e9, "EUR", EXACT)])
        f = next(x for x in project.facts() if any(m.claim_id == new_id for m in x.mentions))
        assert len({m.article_id for m in f.mentions}) == 2 and f.status == AGREED
