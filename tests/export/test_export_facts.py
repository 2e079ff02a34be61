"""The exports by fact: a fact stated by many sources is listed once, with its versions and every source."""

from __future__ import annotations

import csv
import io
import json

from export_fixture import NOW, add_claim, new_project

from claimdesk.core.facts import CHANGED, Fact, Mention, Version
from claimdesk.services.pipeline import refresh_facts
from claimdesk.services.review import ReviewService
from claimdesk.export import render
from claimdesk.export.sheet import RATING_CONFLICTING, RATING_CORROBORATED, RATING_INCORRECT, build_sheet
from claimdesk.nlp.values import read_values
from claimdesk.services.report import analysis_report

A = "The storm killed 12 people in Riverton on Sunday, officials said."
B = "Officials in Riverton said 12 people died when the storm hit on Sunday."
C = "The storm killed 15 people in Riverton on Sunday, the mayor said."
SENTENCES = {0: A, 1: B, 2: C}
FIGURES = {0: "12 people", 1: "12 people", 2: "15 people"}


def deaths(phrase: str, amount: float) -> dict:
    return dict(phrase=phrase, type="count", amount=amount, unit="person", attribute="deaths", subject="riverton")


def storm(tmp_path):
    """Three articles on one death toll: two say 12, one says 15; the facts as Claimdesk groups them."""
    project, arts = new_project(tmp_path / "storm.claimdesk", A, B, C, titles=["Storm kills 12", "Twelve dead",
                                                                               "Mayor: 15 dead"],
                                story="Riverton storm")
    claims = [add_claim(project, aid, SENTENCES[n].rstrip("."), kind="count", subject="riverton",
                        values=[deaths(FIGURES[n], 12 if n < 2 else 15)])
              for n, aid in enumerate(arts)]
    refresh_facts(project)
    return project, arts, claims


def the_fact(project, claims):
    (fact,) = [f for f in project.facts() if {m.claim_id for m in f.mentions} == set(claims)]
    return fact


def test_a_conflicting_fact_is_listed_once_with_every_source_of_each_version(tmp_path):
    project, arts, claims = storm(tmp_path)
    fact = the_fact(project, claims)
    assert fact.status == "conflicting" and len(fact.versions) == 2
    review = ReviewService(project)
    for cid in claims:
        review.confirm(cid)

    sheet = build_sheet(project, now=NOW)
    (conflict,) = sheet.open_conflicts  # one conflict for the fact, not one per pair of claims
    assert conflict.fact_id == fact.id and conflict.sources == 3
    assert [v.claim_ids for v in conflict.versions] == [[claims[0], claims[1]], [claims[2]]]
    assert [v.value for v in conflict.versions] == ["12 people", "15 people"]
    # a claim in an open conflict is never a verified fact
    assert not any(set(f.claim_ids) & set(claims) for f in sheet.facts)
    assert {sheet.ratings[c] for c in claims} == {RATING_CONFLICTING}

    md = render(project, "md", now=NOW).decode("utf-8")
    assert md.count("### ⚠ ") == 1
    assert "**12 people**, stated by 2 sources:" in md and "**15 people**, stated by 1 source:" in md
    for n, sentence in SENTENCES.items():
        assert md.count(f"“{sentence.rstrip('.')}”") == 1  # each source's own words, once
    html = render(project, "html", now=NOW).decode("utf-8")
    assert html.count("OPEN CONFLICT") == 1 and "2 versions from 3 sources" in html
    project.close()


def test_a_resolved_fact_keeps_the_chosen_version_with_all_its_sources(tmp_path):
    project, arts, claims = storm(tmp_path)
    fact = the_fact(project, claims)
    twelve = next(v.k for v in fact.versions if v.amount == 12)
    ReviewService(project).resolve_fact(fact.id, twelve, "The county coroner's list has 12 names.")

    sheet = build_sheet(project, now=NOW)
    assert not sheet.open_conflicts
    (resolved,) = sheet.resolved
    assert resolved.resolution == "The county coroner's list has 12 names."
    assert [v.preferred for v in resolved.versions] == [True, False]
    (verified,) = [f for f in sheet.facts if f.fact_id == fact.id]
    assert verified.claim_ids == claims[:2] and verified.sources_agreeing == 2 and verified.resolved
    assert sheet.ratings[claims[0]] == sheet.ratings[claims[1]] == RATING_CORROBORATED
    assert sheet.ratings[claims[2]] == RATING_INCORRECT

    md = render(project, "md", now=NOW).decode("utf-8")
    assert "12 people, the version of [1] Storm kills 12, [2] Twelve dead, is preferred." in md
    assert "- **✓ 12 people** (preferred), stated by 2 sources:" in md and "The county coroner's list" in md
    assert "- **Deaths: 12 people** · Corroborated, stated by 2 of 3 sources" in md
    assert "### Riverton: deaths" in md
    assert "0 unreviewed suggestions" in md  # the decision on the fact covers its three claims

    doc = json.loads(render(project, "claimreview", now=NOW))
    reviews = doc["@graph"]
    # the fact (two appearances) and the losing version (one): never one review per pair
    assert sorted(len(r["itemReviewed"]["appearance"]) for r in reviews) == [1, 2]
    loser = next(r for r in reviews if r["reviewRating"]["alternateName"] == RATING_INCORRECT)
    assert loser["claimReviewed"] == C.rstrip(".") and "judged the version of" in loser["reviewBody"]

    rows = list(csv.DictReader(io.StringIO(render(project, "csv", now=NOW).decode("utf-8-sig"))))
    assert list(rows[0])[-2:] == ["fact_id", "fact_status"]
    assert {r["fact_id"] for r in rows} == {str(fact.id)}
    assert {r["fact_status"] for r in rows} == {"conflicting (resolved)"}
    project.close()


def test_a_figure_that_changed_is_shown_in_time_order_not_as_a_conflict(tmp_path):
    later = "Rescuers said on Tuesday the toll had risen to 15 people."
    first = "Officials first reported 12 people dead on Sunday."
    project, arts = new_project(tmp_path / "changed.claimdesk", later, first)
    # the later report comes first in the project: the sheet orders by publication date
    project.conn.execute("UPDATE articles SET published = '2024-06-04' WHERE id = ?", [arts[0]])
    project.conn.execute("UPDATE articles SET published = '2024-06-02' WHERE id = ?", [arts[1]])
    project.conn.commit()
    c_later = add_claim(project, arts[0], later.rstrip("."), kind="count", values=[deaths("15 people", 15)])
    c_first = add_claim(project, arts[1], first.rstrip("."), kind="count", values=[deaths("12 people", 12)])
    with project.transaction():
        project.conn.execute("DELETE FROM fact_mentions")
        project.conn.execute("DELETE FROM fact_versions")
        project.conn.execute("DELETE FROM facts")
    spans = {c: next((v.start, v.end) for v in project.claim(c).values) for c in (c_later, c_first)}
    fact_id = project.new_fact(Fact(
        0, "riverton's deaths", "riverton", "deaths", CHANGED, "count:person",
        [Version(0, "15 person", 15, "person", "exact"), Version(1, "12 person", 12, "person", "exact")],
        [Mention(c_later, arts[0], *spans[c_later], 0, "15 people"),
         Mention(c_first, arts[1], *spans[c_first], 1, "12 people")]))
    review = ReviewService(project)
    review.confirm(c_later)
    review.confirm(c_first)

    sheet = build_sheet(project, now=NOW)
    assert not sheet.open_conflicts and not sheet.resolved
    (fact,) = sheet.facts
    assert fact.fact_id == fact_id and fact.changed
    assert [fig for fig, _ in fact.history] == ["12 people", "15 people"]  # earliest first
    assert [s.claim_id for s in fact.statements] == [c_first, c_later]
    assert fact.value == "Deaths: 12 people → 15 people"
    assert sheet.counts.corroborated == 0
    md = render(project, "md", now=NOW).decode("utf-8")
    assert "changed over time (12 people in [2], then 15 people in [1])" in md
    project.close()


def test_confirming_an_agreed_fact_confirms_its_claims_on_the_sheet(tmp_path):
    project, arts = new_project(tmp_path / "agreed.claimdesk", A, B)
    claims = [add_claim(project, aid, text.rstrip("."), kind="count", subject="riverton",
                        values=[deaths("12 people", 12)]) for aid, text in zip(arts, (A, B))]
    refresh_facts(project)
    fact = the_fact(project, claims)
    assert fact.status == "agreed"
    ReviewService(project, actor="Dana").confirm_fact(fact.id)

    sheet = build_sheet(project, now=NOW)
    (verified,) = sheet.facts
    assert verified.claim_ids == claims and verified.sources_agreeing == 2
    assert {sheet.ratings[c] for c in claims} == {RATING_CORROBORATED}
    assert {s.decided_by for s in verified.statements} == {"Dana"}
    assert sheet.counts.unreviewed == 0
    md = render(project, "md", now=NOW).decode("utf-8")
    assert md.count("“The storm killed 12 people") == 1 and "Confirmed by Dana" in md
    project.close()


def test_a_range_keeps_its_high_end_in_the_json_export_and_the_report(tmp_path):
    text = "The city will spend between 10 and 12 million euros on the bridge, the council said."
    other = "The mayor said the bridge would cost 11 million euros."
    project, (aid, bid) = new_project(tmp_path / "range.claimdesk", text, other)
    (v,) = read_values(text)  # the value as the reader leaves it: 10 million, up to 12 million
    assert (v.text, v.amount, v.high, v.unit) == ("between 10 and 12 million euros", 10e6, 12e6, "EUR")
    ranged = add_claim(project, aid, text.rstrip("."),
                       values=[dict(phrase=v.text, type=v.type, amount=v.amount, high=v.high, unit=v.unit)])
    single = add_claim(project, bid, other.rstrip("."),
                       values=[dict(phrase="11 million euros", type="money", amount=11e6, unit="EUR")])
    for doc in (json.loads(render(project, "json", now=NOW)), analysis_report(project)):
        values = {c["id"]: c["values"] for c in doc["claims"]}
        assert [(x["text"], x["amount"], x["high"], x["unit"]) for x in values[ranged]] == [
            ("between 10 and 12 million euros", 10e6, 12e6, "EUR")]
        assert [(x["amount"], x["high"]) for x in values[single]] == [(11e6, None)]
    # a decision keeps the range as it was: no "original" differing by its high end, none in the history
    ReviewService(project, actor="Dana").confirm(ranged)
    (claim,) = [c for c in json.loads(render(project, "json", now=NOW))["claims"] if c["id"] == ranged]
    assert claim["status"] == "confirmed" and claim["original"] is None
    assert [list(h["changes"]) for h in claim["history"]] == [["status"]]
    project.close()
