"""schema.org ClaimReview JSON-LD: what the reviewer concluded, in the form fact-check tools read.

One ``ClaimReview`` per verified fact (its claims share the review, with one
``appearance`` per article stating it) and one per version of a conflicting
fact (every source stating that figure is an ``appearance``). Unreviewed suggestions and rejected claims get none.

- ``claimReviewed``: the claim as the article words it;
- ``reviewRating``: a ``Rating`` whose ``alternateName`` is the sheet's rating
  ("Confirmed", "Corroborated", "Corrected", "Conflicting", "Incorrect",
  "Unverified") and whose ``ratingExplanation`` says what that means;
- ``reviewBody``: the figures, the sources and the reviewer's resolution or note;
- ``itemReviewed``: a ``Claim`` with an ``appearance`` (a ``CreativeWork``:
  headline, publisher, date, URL when the article has one) per article;
- ``author``: the reviewer who decided; ``datePublished``: the export date;
- ``url`` (and ``@id``): the project's URL with the fact's anchor in the HTML
  sheet, when the project has a URL (setting ``url``).

Local file paths are never written here: this file is meant to be published.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from typing import Any

from claimdesk.export.jsonsafe import html_safe
from claimdesk.export.sheet import RATING_EXPLANATIONS, Conflict, FactSheet, Source, Statement, build_sheet, web_url

CONTEXT = "https://schema.org"


def _appearance(src: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": src.title}
    if src.link:
        work["url"] = src.link
    if src.published:
        work["datePublished"] = src.published
    if src.outlet:
        work["publisher"] = {"@type": "Organization", "name": src.outlet}
    if src.content_hash:
        work["identifier"] = f"sha256:{src.content_hash}"
    return work


def _appearances(statements: list[Statement]) -> list[dict[str, Any]]:
    seen: dict[int, Source] = {}
    for st in statements:
        seen.setdefault(st.source.article_id, st.source)
    return [_appearance(src) for src in seen.values()]


def _said(st: Statement, value: str | None = None) -> str:
    what = value if value is not None else st.value
    return f"[{st.source.number}] {st.source.name}" + (f": {what}" if what else "")


def _review(sheet: FactSheet, *, claimed: str, rating: str, body: str, statements: list[Statement],
            anchor: str) -> dict[str, Any]:
    review: dict[str, Any] = {"@type": "ClaimReview"}
    base = web_url(sheet.url)
    if base:
        url = f"{base.split('#', 1)[0]}#{anchor}"
        review["@id"] = url
        review["url"] = url
    who = next((st.decided_by for st in statements if st.decided_by), None) or sheet.reviewer
    review.update({
        "claimReviewed": claimed,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": rating,
            "ratingExplanation": RATING_EXPLANATIONS[rating],
        },
        "reviewBody": body,
        "itemReviewed": {"@type": "Claim", "appearance": _appearances(statements)},
        "datePublished": sheet.date,
    })
    if who:
        review["author"] = {"@type": "Person", "name": who}
    return review


def _said_version(v) -> str:
    names = ", ".join(f"[{st.source.number}] {st.source.name}" for st in v.statements)
    return f"{names}: {v.value}" if v.value else names


def _conflict_body(c: Conflict, mine) -> str:
    others = [v for v in c.versions if v is not mine]
    parts = [f"Sources disagree on {c.title}: " + "; ".join(_said_version(v) for v in [mine, *others]) + "."]
    if c.resolved:
        chosen = next((v for v in c.versions if v.preferred), None)
        if chosen is mine:
            parts.append("The reviewer judged this version right.")
        elif chosen is not None:
            names = ", ".join(f"[{st.source.number}] {st.source.name}" for st in chosen.statements)
            parts.append(f"The reviewer judged the version of {names} right ({chosen.value}).")
        else:
            parts.append("The reviewer could confirm no version.")
    if c.resolution:
        label = "Resolution" if c.resolved else "Reviewer's note"
        parts.append(f"{label}: {c.resolution}")
    return " ".join(parts)


def claimreview_document(sheet: FactSheet) -> dict[str, Any]:
    graph: list[dict[str, Any]] = []
    covered: set[int] = set()
    for fact in sheet.facts:
        first = fact.statements[0]
        names = ", ".join(f"[{s.source.number}] {s.source.name}" for s in
                          {s.source.article_id: s for s in fact.statements}.values())
        body = [f"{fact.value}." if fact.value else "",
                f"Stated by {fact.sources_agreeing} of {fact.sources_total} sources: {names}."]
        for st in fact.statements:
            if st.article_wording:
                body.append(f"Corrected to: “{st.text}”")
        if fact.disputed:
            body.append("Another source disagrees: see the open conflict.")
        graph.append(_review(
            sheet, claimed=first.article_wording or first.text, rating=fact.rating,
            body=" ".join(b for b in body if b), statements=fact.statements, anchor=fact.anchor))
        covered.update(fact.claim_ids)

    # One review per version of a conflicting fact (all the sources that state it are its appearances),
    # for the claims no verified fact above already covers.
    done: set[int] = set()
    for c in [*sheet.open_conflicts, *sheet.resolved]:
        for v in c.versions:
            stmts = [st for st in v.statements if st.claim_id not in covered and st.claim_id not in done
                     and st.rating is not None]
            if not stmts:
                continue
            done.update(st.claim_id for st in stmts)
            rating = Counter(st.rating for st in stmts).most_common(1)[0][0]
            first = stmts[0]
            graph.append(_review(sheet, claimed=first.article_wording or first.text, rating=rating,
                                 body=_conflict_body(c, v), statements=stmts, anchor=v.anchor))
    for st in sheet.disputed:
        if st.rating is None or st.claim_id in done:
            continue
        body = (f"{_said(st)}. " if st.value else "") + "The reviewer marked this claim as conflicting with " \
            "other reporting."
        notes = " ".join(n.text for n in st.notes)
        graph.append(_review(sheet, claimed=st.article_wording or st.text, rating=st.rating,
                             body=f"{body} {notes}".strip(), statements=[st], anchor=st.anchor))
    return {"@context": CONTEXT, "@graph": graph}


def render_claimreview(project, *, now: _dt.datetime) -> bytes:
    doc = claimreview_document(build_sheet(project, now=now))
    return (html_safe(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n").encode("utf-8")
