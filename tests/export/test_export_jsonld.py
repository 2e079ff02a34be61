"""The ClaimReview and Web Annotation exports, parsed and checked field by field.

Both are checked with plain JSON: every object's type and properties against
the vocabulary (schema.org's ClaimReview family; the W3C Web Annotation
model), and the annotations by re-anchoring every highlight in another copy
of the article whose offsets differ.
"""

from __future__ import annotations

import datetime as _dt
import json
import re

from export_fixture import NOW, REVIEWER, URL, new_project, sample_texts

from claimdesk.export import render
from claimdesk.export.sheet import RATING_EXPLANATIONS, build_sheet

# schema.org properties each type may carry here (https://schema.org/ClaimReview, /Claim, /Rating, ...).
SCHEMA = {
    "ClaimReview": {"@type", "@id", "url", "claimReviewed", "reviewRating", "reviewBody", "itemReviewed",
                    "author", "datePublished"},
    "Rating": {"@type", "alternateName", "ratingExplanation"},
    "Claim": {"@type", "appearance"},
    "CreativeWork": {"@type", "headline", "url", "datePublished", "publisher", "identifier"},
    "Organization": {"@type", "name"},
    "Person": {"@type", "name"},
}
# The Web Annotation data model (https://www.w3.org/TR/annotation-model/).
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}
ANNO = {
    "AnnotationCollection": {"@context", "id", "type", "label", "total", "first"},
    "AnnotationPage": {"id", "type", "startIndex", "items"},
    "Annotation": {"id", "type", "motivation", "body", "target", "creator", "modified", "generated"},
    "TextualBody": {"type", "value", "purpose", "format", "language"},
    "SpecificResource": {"type", "source", "purpose"},
    "Person": {"type", "name"},
    "TextQuoteSelector": {"type", "exact", "prefix", "suffix"},
    "TextPositionSelector": {"type", "start", "end"},
}


def _objects(node, key):
    """Every dict in a JSON tree that has ``key`` (its type)."""
    if isinstance(node, dict):
        if key in node:
            yield node
        for v in node.values():
            yield from _objects(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v, key)


# -- ClaimReview --------------------------------------------------------------------------------------


def test_claimreview_fields(golden):
    project, ids = golden
    doc = json.loads(render(project, "claimreview", now=NOW))
    assert doc["@context"] == "https://schema.org"
    reviews = doc["@graph"]
    for obj in _objects(doc, "@type"):
        assert set(obj) <= SCHEMA[obj["@type"]], obj
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    for r in reviews:
        assert r["claimReviewed"].strip()
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] in RATING_EXPLANATIONS
        assert rating["ratingExplanation"] == RATING_EXPLANATIONS[rating["alternateName"]]
        assert r["itemReviewed"]["@type"] == "Claim" and r["itemReviewed"]["appearance"]
        assert r["author"] == {"@type": "Person", "name": REVIEWER}
        assert _dt.date.fromisoformat(r["datePublished"]) == NOW.date()
        assert r["url"] == r["@id"] and re.fullmatch(re.escape(URL) + r"#(fact-\d+|fact-of-\d+|conflict-(fact-)?\d+-claim-\d+|claim-\d+)", r["url"])
        assert r["reviewBody"].strip()
    assert len({r["url"] for r in reviews}) == len(reviews)

    by_claim = {}
    for r in reviews:
        by_claim.setdefault(r["claimReviewed"], []).append(r)
    rating_of = {text: rs[0]["reviewRating"]["alternateName"] for text, rs in by_claim.items()}
    claim = lambda name: project.claim(ids[name])  # noqa: E731

    # one ClaimReview per verified fact and per version of a conflicting fact; a corroborated fact is
    # one review with two appearances. TechTarget's funds-raised sentence states two facts (funds raised,
    # valuation): one review for each.
    assert len(reviews) == 8
    assert sorted(r["reviewBody"].split(". Stated")[0] for r in by_claim[claim("raised_2").text]) == [
        "Funds raised: 650 million USD", "Valuation: at least 2 billion USD"]
    corroborated = by_claim[claim("openai_1").text][0]
    assert rating_of[claim("openai_1").text] == "Corroborated"
    assert [a["publisher"]["name"] for a in corroborated["itemReviewed"]["appearance"]] == ["Tech Brew", "TechTarget"]
    assert claim("openai_2").text not in by_claim
    assert rating_of[claim("investment_1").text] == rating_of[claim("investment_2").text] == "Conflicting"
    assert rating_of[claim("gemma_2").text] == "Confirmed"
    assert rating_of[claim("raised_1").text] == "Incorrect"
    assert "judged the version of [2] TechTarget right" in by_claim[claim("raised_1").text][0]["reviewBody"]
    # a corrected claim is reviewed as the article worded it, with the correction in the body
    context = project.claim(ids["context_2"])
    wording = project.article(context.article_id).text[context.start:context.end]
    assert rating_of[wording] == "Corrected"
    assert "Corrected to: “Mistral Large has a 32k-token context window.”" in by_claim[wording][0]["reviewBody"]
    # rejected and unreviewed claims are not reviewed
    for name in ("newsletter_1", "aws_1", "bedrock_2"):
        assert claim(name).text not in by_claim
    # appearances name the article, never a local path
    appearance = by_claim[claim("gemma_2").text][0]["itemReviewed"]["appearance"][0]
    assert appearance["headline"] == "Microsoft invests in Mistral AI, OpenAI competitor"
    assert appearance["datePublished"] == "2024-02-26"
    assert "resources/samples" not in json.dumps(doc)


def test_claimreview_url_only_when_the_project_has_one(tmp_path):
    text = "Acme raised $10 million in March."
    for url in (None, "https://news.example.net/acme?x=1#top"):
        settings = {"story": "Acme"} | ({"url": url} if url else {})
        project, (a,) = new_project(tmp_path / f"p{bool(url)}.claimdesk", text, **settings)
        project.conn.execute("UPDATE articles SET url = 'https://paper.example.com/acme', outlet = 'Paper' "
                             "WHERE id = ?", [a])
        project.conn.commit()
        from claimdesk.services.review import ReviewService
        from export_fixture import add_claim

        ReviewService(project, actor="Kim").confirm(add_claim(project, a, text))
        (review,) = json.loads(render(project, "claimreview", now=NOW))["@graph"]
        assert review["itemReviewed"]["appearance"][0]["url"] == "https://paper.example.com/acme"
        if url:
            assert review["url"] == review["@id"] == "https://news.example.net/acme?x=1#fact-1"
        else:
            assert "url" not in review and "@id" not in review
        project.close()


# -- Web Annotations -------------------------------------------------------------------------------


def reanchor(text: str, quote: dict, position: dict) -> int | None:
    """Where a TextQuoteSelector lands in ``text``: the occurrence of ``exact`` whose prefix and suffix
    match, the nearest to the old position when several do (the usual strategy of annotation tools)."""
    exact, prefix, suffix = quote["exact"], quote.get("prefix", ""), quote.get("suffix", "")
    found = [m.start() for m in re.finditer(re.escape(exact), text)]
    fits = [i for i in found if text[:i].endswith(prefix) and text[i + len(exact):].startswith(suffix)]
    if not fits:
        return None
    return min(fits, key=lambda i: abs(i - position["start"]))


def test_annotations_fields(golden):
    project, ids = golden
    doc = json.loads(render(project, "annotations", now=NOW))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["first"]["type"] == "AnnotationPage"
    items = doc["first"]["items"]
    assert doc["total"] == len(items)
    for obj in _objects(doc, "type"):
        assert set(obj) <= ANNO[obj["type"]], obj
    texts = {f"urn:sha256:{a.content_hash}": a.text for a in project.articles()}
    ids_seen = set()
    for anno in items:
        assert anno["type"] == "Annotation" and anno["motivation"] in MOTIVATIONS
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", anno["id"]) and anno["id"] not in ids_seen
        ids_seen.add(anno["id"])
        quote, position = anno["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        text = texts[anno["target"]["source"]]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert quote["prefix"] == text[max(0, start - 32):start] and quote["suffix"] == text[end:end + 32]
        assert all(b["purpose"] in MOTIVATIONS for b in anno["body"])
        assert anno["generated"] == "2024-02-28T12:00:00Z"
    claims = [a for a in items if a["motivation"] in ("assessing", "highlighting")]
    # every claim but the rejected one, each value of those claims
    kept = [c for c in project.claims() if c.status != "rejected"]
    assert len(claims) == len(kept) and len(items) == len(kept) + sum(len(c.values) for c in kept)
    rejected = project.claim(ids["newsletter_1"])
    assert all(a["target"]["selector"][1]["start"] != rejected.start for a in claims)
    ratings = {a["target"]["selector"][0]["exact"]: a["body"][0]["value"] for a in claims}
    context = project.claim(ids["context_2"])
    wording = project.article(context.article_id).text[context.start:context.end]
    assert ratings[wording] == "Corrected"
    assert ratings[project.claim(ids["aws_1"]).text] == "Suggested claim, not reviewed"
    edited = next(a for a in claims if a["target"]["selector"][0]["exact"] == wording)
    assert {"type": "TextualBody", "value": "Mistral Large has a 32k-token context window.", "purpose": "editing",
            "format": "text/plain", "language": "en"} in edited["body"]
    assert edited["creator"] == {"type": "Person", "name": REVIEWER}
    assert edited["modified"] == "2024-02-28T09:06:00Z"
    # value highlights point at their claim's annotation
    values = [a for a in items if a["motivation"] == "describing"]
    assert all(a["body"][-1]["source"] in {c["id"] for c in claims} for a in values)


def test_annotations_reanchor_in_another_copy(golden):
    project, _ = golden
    doc = json.loads(render(project, "annotations", now=NOW))
    (name, original), _ = sample_texts()
    source = f"urn:sha256:{project.articles()[0].content_hash}"
    # Another copy: a syndication header, an edited sentence, and a decoy that repeats a quoted figure.
    copy = ("Republished with permission. Correction: an earlier version misstated the 15 million euros "
            "figure.\n\n" + original.replace("Still, bringing", "Even so, bringing"))
    assert copy != original
    items = [a for a in doc["first"]["items"] if a["target"]["source"] == source]
    assert len(items) > 8
    shift = copy.index(original[:50])
    for anno in items:
        quote, position = anno["target"]["selector"]
        at = reanchor(copy, quote, position)
        assert at is not None, quote["exact"]
        assert copy[at:at + len(quote["exact"])] == quote["exact"]
        if position["start"] < original.index("Still, bringing"):
            assert at == position["start"] + shift  # the same passage, not the decoy in the header
    # the decoy really is a trap for a search by text alone
    decoy = next(a for a in items if a["target"]["selector"][0]["exact"] == "15 million euros")
    assert copy.index("15 million euros") != reanchor(copy, *decoy["target"]["selector"])


def test_annotation_ids_are_stable(golden):
    project, _ = golden
    first = json.loads(render(project, "annotations", now=NOW))
    again = json.loads(render(project, "annotations", now=NOW + _dt.timedelta(days=3)))
    ids = lambda d: [a["id"] for a in d["first"]["items"]]  # noqa: E731
    assert ids(first) == ids(again) and first["id"] == again["id"]


def test_annotation_source_prefers_the_article_url(tmp_path):
    project, (a, b) = new_project(tmp_path / "p.claimdesk", "One $1 claim here.", "Two $2 claim there.")
    project.conn.execute("UPDATE articles SET url = 'https://paper.example.com/one' WHERE id = ?", [a])
    project.conn.execute("UPDATE articles SET source_path = '/srv/articles/two words.txt' WHERE id = ?", [b])
    project.conn.commit()
    from export_fixture import add_claim

    add_claim(project, a, "One $1 claim here.")
    add_claim(project, b, "Two $2 claim there.")
    sources = [x["target"]["source"] for x in json.loads(render(project, "annotations", now=NOW))["first"]["items"]]
    assert sources == ["https://paper.example.com/one", "file:///srv/articles/two%20words.txt"]
    project.close()


def test_sheet_and_claimreview_agree(golden):
    """The ratings ClaimReview publishes are the ones on the sheet."""
    project, _ = golden
    sheet = build_sheet(project, now=NOW)
    reviews = json.loads(render(project, "claimreview", now=NOW))["@graph"]
    fact_ratings = sorted(f.rating for f in sheet.facts)
    assert sorted(r["reviewRating"]["alternateName"] for r in reviews if "#fact-" in r["url"]) == fact_ratings


def test_claimreview_urls_point_at_places_on_the_html_sheet(golden):
    project, _ = golden
    html = render(project, "html", now=NOW).decode("utf-8")
    anchors = re.findall(r'\sid="([^"]+)"', html)
    assert len(anchors) == len(set(anchors))  # ids are unique
    reviews = json.loads(render(project, "claimreview", now=NOW))["@graph"]
    assert {r["url"].split("#", 1)[1] for r in reviews} <= set(anchors)
