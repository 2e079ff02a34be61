"""What the fact sheet says: sections, grouping, counts and ratings."""

from __future__ import annotations

import json
import math

import pytest
from export_fixture import NOW, add_claim, add_link, new_project

from claimdesk.core.model import CONFLICT, CORROBORATION
from claimdesk.services.review import ReviewService
from claimdesk.export import FORMATS, export_project, render
from claimdesk.export.sheet import (
    RATING_CONFIRMED,
    RATING_CONFLICTING,
    RATING_CORRECTED,
    RATING_CORROBORATED,
    RATING_INCORRECT,
    RATING_UNVERIFIED,
    build_sheet,
    display_name,
)

A = "Acme raised $10 million in March. The plant employs 300 people. Shares rose 5% on Friday."
B = "Acme raised $12 million this spring, filings show. About 300 people work at the plant."
TEXT_FORMATS = [f for f in FORMATS if f != "pdf"]


def money(phrase, amount, **kw):
    return dict(phrase=phrase, type="money", amount=amount, unit="USD", attribute="funds_raised",
                subject="acme", **kw)


def people(phrase, amount, **kw):
    return dict(phrase=phrase, type="count", amount=amount, unit="person", attribute="employees",
                subject="acme", **kw)


@pytest.fixture
def pair(tmp_path):
    project, (a, b) = new_project(tmp_path / "p.claimdesk", A, B, story="Acme", reviewer="Kim")
    ids = {
        "raised_a": add_claim(project, a, "Acme raised $10 million in March.", subject="acme",
                              values=[money("$10 million", 10e6)]),
        "staff_a": add_claim(project, a, "The plant employs 300 people.", subject="acme",
                             values=[people("300 people", 300)]),
        "shares_a": add_claim(project, a, "Shares rose 5% on Friday.", subject="acme",
                              values=[dict(phrase="5%", type="percent", amount=5, unit="%")]),
        "raised_b": add_claim(project, b, "Acme raised $12 million this spring, filings show.", subject="acme",
                              values=[money("$12 million", 12e6)], attribution="filings"),
        "staff_b": add_claim(project, b, "About 300 people work at the plant.", subject="acme",
                             values=[people("About 300 people", 300, bound="approx")]),
    }
    yield project, ids
    project.close()


# -- the reviewed sample project ---------------------------------------------------------------------


def test_sample_sheet_sections(golden):
    project, ids = golden
    sheet = build_sheet(project, now=NOW)
    assert sheet.story == "Microsoft's 2024 deal with Mistral AI" and sheet.reviewer == "Dana Reyes"
    assert [s.name for s in sheet.sources] == ["Tech Brew", "TechTarget"]
    assert sheet.last_decision == "2024-02-28 09:07 UTC"

    (conflict,) = sheet.open_conflicts
    assert conflict.fact_id is not None and conflict.reviewed  # the reviewer's mark on the link stands
    assert conflict.link_id == ids["investment_link"]
    assert conflict.title == "Microsoft: investment"
    assert [v.value for v in conflict.versions] == ["15 million EUR (about 16 million USD)",
                                                   "2 billion EUR (about 2.1 billion USD)"]
    assert [v.claim_ids for v in conflict.versions] == [[ids["investment_1"]], [ids["investment_2"]]]
    assert "press office" in conflict.resolution

    (resolved,) = sheet.resolved
    assert resolved.preferred_claim == ids["raised_2"] and resolved.b.preferred and not resolved.a.preferred
    assert (resolved.a.value, resolved.b.value) == ("563 million USD", "650 million USD")

    # each fact once: a sentence stating two facts (funds raised, valuation) is under both
    facts = {(f.statements[0].claim_id, f.attribute): f for f in sheet.facts}
    assert set(facts) == {(ids["openai_1"], "investment"), (ids["raised_2"], "funds raised"),
                          (ids["raised_2"], "valuation"), (ids["context_2"], "context window"),
                          (ids["gemma_2"], "release")}
    corroborated = facts[ids["openai_1"], "investment"]
    assert [s.claim_id for s in corroborated.statements] == [ids["openai_1"], ids["openai_2"]]
    assert (corroborated.sources_agreeing, corroborated.sources_total) == (2, 2)
    assert corroborated.value == "Investment: 13 billion USD"
    assert facts[ids["raised_2"], "funds raised"].resolved
    assert facts[ids["raised_2"], "funds raised"].value == "Funds raised: 650 million USD"
    assert not facts[ids["raised_2"], "valuation"].resolved
    corrected = facts[ids["context_2"], "context window"]
    assert corrected.corrected and corrected.statements[0].text == "Mistral Large has a 32k-token context window."
    assert corrected.statements[0].article_wording.startswith("It also has a 32k-token context window")
    assert [g.name for g in sheet.subjects] == ["Google", "Mistral", "Mistral Large", "OpenAI"]

    assert sheet.ratings == {
        ids["investment_1"]: RATING_CONFLICTING, ids["investment_2"]: RATING_CONFLICTING,
        ids["openai_1"]: RATING_CORROBORATED, ids["openai_2"]: RATING_CORROBORATED,
        ids["raised_1"]: RATING_INCORRECT, ids["raised_2"]: RATING_CONFIRMED,
        ids["context_2"]: RATING_CORRECTED, ids["gemma_2"]: RATING_CONFIRMED,
    }
    c = sheet.counts
    assert (c.articles, c.claims, c.verified, c.facts, c.corroborated) == (2, 11, 5, 5, 1)
    assert (c.open_conflicts, c.resolved_conflicts, c.rejected, c.unreviewed) == (1, 1, 1, 2)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_people_formats_leave_out_rejected_and_count_unreviewed(golden, fmt):
    project, ids = golden
    text = render(project, fmt, now=NOW).decode("utf-8")
    for name in ("newsletter_1", "aws_1", "bedrock_2"):
        sentence = project.claim(ids[name]).text
        assert sentence[:40] not in text, name
    assert "2 unreviewed suggestions" in text and "1 rejected claim" in text
    # open conflicts come first, then the facts, then the resolved conflicts
    assert text.index("Open conflicts") < text.index("Verified facts") < text.index("Resolved conflicts")
    assert text.index("15 million") < text.index("Verified facts")


def test_data_formats_keep_every_claim(golden):
    project, ids = golden
    doc = json.loads(render(project, "json", now=NOW))
    statuses = {c["id"]: c["status"] for c in doc["claims"]}
    assert statuses[ids["newsletter_1"]] == "rejected" and statuses[ids["aws_1"]] == "suggested"
    csv_text = render(project, "csv", now=NOW).decode("utf-8-sig")
    assert ",rejected," in csv_text and ",suggested," in csv_text


def test_json_has_the_analyze_schema_and_the_review(golden):
    from claimdesk.services.report import analysis_report

    project, ids = golden
    doc = json.loads(render(project, "json", now=NOW))
    base = analysis_report(project)
    for key in ("articles", "claims", "links"):
        assert [{k: item[k] for k in ref} for item, ref in zip(doc[key], base[key], strict=True)] == base[key]
    claims = {c["id"]: c for c in doc["claims"]}
    edited = claims[ids["context_2"]]
    assert edited["status"] == "edited" and edited["text"] == "Mistral Large has a 32k-token context window."
    assert edited["original"]["text"].startswith("It also has a 32k-token")
    assert edited["decided_by"] == "Dana Reyes" and edited["decided_at"] == "2024-02-28T09:06:00.000+00:00"
    assert [h["action"] for h in edited["history"]] == ["edit"]
    assert edited["history"][0]["changes"]["status"] == {"from": "suggested", "to": "edited"}
    assert claims[ids["gemma_2"]]["original"] is None
    assert claims[ids["openai_1"]]["notes"][0]["text"].startswith("Both articles give the same figure")
    links = {l["id"]: l for l in doc["links"]}
    resolved = links[ids["raised_link"]]
    assert resolved["status"] == "resolved" and resolved["preferred_claim"] == ids["raised_2"]
    assert resolved["resolution"].startswith("Pitchbook's $563 million")
    assert doc["export"] == {"format": "claimdesk-export", "version": 1, "exported_at": "2024-02-28T12:00:00+00:00",
                             "story": "Microsoft's 2024 deal with Mistral AI", "reviewer": "Dana Reyes",
                             "url": "https://factcheck.example.org/2024/microsoft-mistral"}
    assert doc["summary"]["open_conflicts"] == 1


# -- the rules, one at a time --------------------------------------------------------------------------


def test_confirmed_corroboration_joins_claims_into_one_fact(pair):
    project, ids = pair
    link = add_link(project, ids["staff_a"], ids["staff_b"], CORROBORATION)
    ReviewService(project).confirm_link(link)
    (fact,) = build_sheet(project, now=NOW).facts
    assert fact.claim_ids == [ids["staff_a"], ids["staff_b"]]
    assert fact.rating == RATING_CORROBORATED and fact.sources_agreeing == 2
    assert [s.value for s in fact.statements] == ["Employees: 300 people", "Employees: about 300 people"]


def test_an_unconfirmed_corroboration_is_not_agreement(pair):
    project, ids = pair
    add_link(project, ids["staff_a"], ids["staff_b"], CORROBORATION)
    review = ReviewService(project)
    review.confirm(ids["staff_a"])
    review.confirm(ids["staff_b"])
    facts = build_sheet(project, now=NOW).facts
    assert [f.sources_agreeing for f in facts] == [1, 1]
    assert {f.rating for f in facts} == {RATING_CONFIRMED}


def test_a_suggested_conflict_is_listed_as_not_yet_reviewed(pair):
    project, ids = pair
    add_link(project, ids["raised_a"], ids["raised_b"], CONFLICT)
    review = ReviewService(project)
    review.confirm(ids["raised_a"])
    sheet = build_sheet(project, now=NOW)
    (conflict,) = sheet.open_conflicts
    assert not conflict.reviewed
    assert sheet.ratings[ids["raised_a"]] == RATING_CONFLICTING  # never "Confirmed" while sources disagree
    assert sheet.facts == []  # never a verified fact while the sources disagree (issue 15)
    md = render(project, "md", now=NOW).decode()
    assert "not yet reviewed" in md and "Verified facts (0)" in md
    assert ids["raised_b"] not in sheet.ratings  # the other side is still an unreviewed suggestion


def test_a_conflict_with_a_rejected_claim_is_dropped(pair):
    project, ids = pair
    add_link(project, ids["raised_a"], ids["raised_b"], CONFLICT)
    ReviewService(project).reject(ids["raised_b"])
    sheet = build_sheet(project, now=NOW)
    assert sheet.open_conflicts == [] and not sheet.has_open_conflicts


def test_resolved_without_a_preferred_version(pair):
    project, ids = pair
    review = ReviewService(project)
    review.mark_conflict(ids["raised_a"], ids["raised_b"], "The two figures disagree.")
    (link,) = project.links()
    review.resolve_link(link.id, None, "Neither figure is in the filings.")
    sheet = build_sheet(project, now=NOW)
    assert not sheet.open_conflicts and len(sheet.resolved) == 1
    assert sheet.ratings[ids["raised_a"]] == sheet.ratings[ids["raised_b"]] == RATING_UNVERIFIED
    assert "neither version could be confirmed" in render(project, "md", now=NOW).decode()
    assert sheet.facts == []


def test_a_claim_marked_conflicting_stays_open_when_its_link_is_rejected(pair):
    project, ids = pair
    review = ReviewService(project)
    review.mark_conflict(ids["raised_a"], ids["raised_b"])
    (link,) = project.links()
    review.reject_link(link.id)
    sheet = build_sheet(project, now=NOW)
    assert [s.claim_id for s in sheet.disputed] == [ids["raised_a"], ids["raised_b"]]
    assert sheet.has_open_conflicts and sheet.counts.disputed == 2
    html = render(project, "html", now=NOW).decode()
    assert "CLAIM MARKED CONFLICTING" in html
    reviews = json.loads(render(project, "claimreview", now=NOW))["@graph"]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [RATING_CONFLICTING] * 2


def test_undo_takes_a_fact_off_the_sheet(pair):
    project, ids = pair
    review = ReviewService(project)
    review.confirm(ids["shares_a"])
    assert len(build_sheet(project, now=NOW).facts) == 1
    review.undo()
    sheet = build_sheet(project, now=NOW)
    assert sheet.facts == [] and sheet.counts.unreviewed == 5


def test_facts_are_grouped_by_subject_with_the_articles_spelling(tmp_path):
    project, (a,) = new_project(tmp_path / "p.claimdesk", "OpenAI earned $3 billion. It rained 20 mm in Oslo.")
    review = ReviewService(project, actor="Kim")
    c1 = add_claim(project, a, "OpenAI earned $3 billion.", subject="openai",
                   values=[dict(phrase="$3 billion", type="money", amount=3e9, unit="USD", attribute="revenue")])
    c2 = add_claim(project, a, "It rained 20 mm in Oslo.",
                   values=[dict(phrase="20 mm", type="measure", amount=20, unit="mm")])
    review.confirm(c1)
    review.confirm(c2)
    sheet = build_sheet(project, now=NOW)
    assert [(g.name, [f.claim_ids for f in g.facts]) for g in sheet.subjects] == \
        [("OpenAI", [[c1]]), ("Other facts", [[c2]])]
    assert sheet.reviewer == "Kim"  # no reviewer setting: the people who decided
    assert sheet.story == "p"  # no story setting: the project file's name
    project.close()


def test_display_name():
    assert display_name("openai", ["A deal with OpenAI."]) == "OpenAI"
    assert display_name("gpt-4 turbo", ["Meanwhile, GPT-4 Turbo boasts"]) == "GPT-4 Turbo"
    assert display_name("mistral", ["no mention"]) == "Mistral"
    assert display_name("McKinsey", []) == "McKinsey"


# -- bad data ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_project_exports(tmp_path, fmt):
    project, _ = new_project(tmp_path / "empty.claimdesk")
    out = export_project(project, fmt, tmp_path / f"out.{fmt}", now=NOW)
    assert out.stat().st_size > 0
    if fmt == "md":
        assert "No articles in this project." in out.read_text()
    project.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_damaged_claims_do_not_stop_an_export(pair, tmp_path, fmt):
    """Spans past the end of the text, NaN and huge amounts, empty strings: exported, not crashed."""
    project, ids = pair
    project.update_claim(ids["raised_a"], start=500, end=900, text="", status="confirmed")
    project.update_claim(ids["staff_a"], status="confirmed", values=[])
    project.conn.execute("UPDATE claim_values SET amount = ? WHERE claim_id = ?", [math.nan, ids["raised_b"]])
    project.conn.execute("UPDATE claim_values SET amount = 1e308, unit = NULL WHERE claim_id = ?",
                         [ids["staff_b"]])
    project.conn.commit()
    ReviewService(project).confirm(ids["raised_b"])
    ReviewService(project).confirm(ids["staff_b"])
    data = export_project(project, fmt, tmp_path / f"out.{fmt}", now=NOW).read_bytes()
    assert data.strip(), "an export with content, not an empty file"
    if fmt == "json":
        doc = json.loads(data)  # strict: no NaN
        amounts = [v["amount"] for c in doc["claims"] if c["id"] == ids["raised_b"] for v in c["values"]]
        assert amounts == [None]
    if fmt == "annotations":
        texts = {f"urn:sha256:{a.content_hash}": a.text for a in project.articles()}
        doc = json.loads(data)
        assert doc["total"] == len(doc["first"]["items"]) > 0
        for item in doc["first"]["items"]:  # the claim whose span is outside the text is left out
            quote, pos = item["target"]["selector"]
            assert texts[item["target"]["source"]][pos["start"]:pos["end"]] == quote["exact"] != ""


def test_source_names(tmp_path):
    from claimdesk.export.sheet import Source, shorten

    def src(**kw):
        return Source(number=1, article_id=1, title=kw.pop("title", "A title"), outlet=kw.pop("outlet", None),
                      published=None, url=kw.pop("url", None), path=None)

    assert src(outlet="Tech Brew", url="https://www.techbrew.com/x").name == "Tech Brew"
    assert src(url="https://www.techbrew.com/x").name == "techbrew.com"
    assert src(url="javascript:alert(1)", title="Short title").name == "Short title"
    long = "Microsoft has inked a “multi-year partnership” with the buzzy French company Mistral in what…"
    assert src(title=long).name == "Microsoft has inked a “multi-year…"
    assert shorten("word " * 3, 40) == "word word word"
    assert len(shorten("x" * 100, 40)) == 40


def test_json_by_line_is_json():
    from claimdesk.export.jsonout import dumps_by_line

    doc = {"a": [], "b": [{"x": 1, "y": "é\n"}, {"x": [2, None]}], "c": {"d": True}, "e": "s"}
    text = dumps_by_line(doc)
    assert json.loads(text) == doc
    assert text.splitlines()[2:5] == ['"b":[', '{"x":1,"y":"é\\n"},', '{"x":[2,null]}']
    with pytest.raises(ValueError):
        dumps_by_line({"n": [math.nan]})
