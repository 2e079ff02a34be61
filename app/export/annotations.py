"""Every highlight as a W3C Web Annotation (JSON-LD), so it can be re-anchored in another copy.

The file is an ``AnnotationCollection`` with one ``AnnotationPage``. Each claim
the sheet keeps (every claim except rejected ones) is an annotation on its
span, and each of its values an annotation on the value's span:

- ``target.source``: the article's URL, else a ``file:`` URI of the imported
  file, else ``urn:sha256:<hash of the article text>``;
- ``target.selector``: a ``TextQuoteSelector`` (``exact`` text with 32
  characters of ``prefix`` and ``suffix``) and a ``TextPositionSelector``
  (``start``/``end`` in Unicode code points of the article text), so a tool
  can find the passage in a copy whose offsets differ;
- ``motivation``: ``assessing`` for reviewed claims, ``highlighting`` for
  unreviewed suggestions, ``describing`` for values;
- ``body``: ``TextualBody`` items: the rating (purpose ``assessing``), the
  figures (``describing``), the corrected wording (``editing``), notes
  (``commenting``).

Annotation ids are ``urn:uuid:`` UUIDs derived from the article text and the
claim or value, so re-exporting gives the same ids.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from claimdesk.core.model import REJECTED, SUGGESTED
from claimdesk.export.jsonsafe import html_safe
from claimdesk.export.sheet import ProjectData, build_sheet, claim_values, one_line, parse_time, value_text, web_url

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # characters of prefix and suffix
_NS = uuid.UUID("6f1c1e0c-3b1e-4a55-9d52-c1a1de5c0000")  # namespace of Claimdesk's annotation ids


def _source_iri(url: str | None, path: str | None, content_hash: str | None) -> str:
    link = web_url(url)
    if link:
        return link
    if path:
        p = Path(path)
        if p.is_absolute():
            try:
                return p.as_uri()
            except ValueError:
                pass
    return f"urn:sha256:{content_hash}" if content_hash else "urn:claimdesk:unknown-article"


def _target(source: str, text: str, start: int, end: int) -> dict[str, Any] | None:
    if not (0 <= start < end <= len(text)):
        return None  # a span outside the article cannot be anchored
    return {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - QUOTE_CONTEXT):start],
                "suffix": text[end:end + QUOTE_CONTEXT],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _w3c_time(t: _dt.datetime) -> str:
    """xsd:dateTime in UTC with a Z, as the Web Annotation model asks."""
    return t.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _body(value: str, purpose: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain", "language": "en"}


def annotation_document(project, *, now: _dt.datetime) -> dict[str, Any]:
    project = ProjectData.of(project)
    sheet = build_sheet(project, now=now)
    articles = {a.id: a for a in project.articles()}
    notes_of: dict[int, list[str]] = defaultdict(list)
    for n in project.notes():
        if n.claim_id is not None and n.link_id is None:
            notes_of[n.claim_id].append(one_line(n.text))
    seed = ":".join(a.content_hash or str(a.id) for a in articles.values())
    collection_id = f"urn:uuid:{uuid.uuid5(_NS, 'collection:' + seed)}"
    generated = _w3c_time(now)

    items: list[dict[str, Any]] = []
    for c in project.claims():
        article = articles.get(c.article_id)
        if article is None or c.status == REJECTED:
            continue
        source = _source_iri(article.url, article.source_path, article.content_hash)
        target = _target(source, article.text, c.start, c.end)
        if target is None:
            continue
        key = f"{article.content_hash}:{c.id}"
        rating = sheet.ratings.get(c.id)
        bodies = [_body(rating if rating else "Suggested claim, not reviewed", "assessing" if rating else "tagging")]
        values = claim_values(c)
        if values:
            bodies.append(_body("; ".join(values), "describing"))
        if one_line(c.text) != one_line(article.text[c.start:c.end]):
            bodies.append(_body(one_line(c.text), "editing"))
        bodies.extend(_body(n, "commenting") for n in notes_of.get(c.id, []))
        anno: dict[str, Any] = {
            "id": f"urn:uuid:{uuid.uuid5(_NS, 'claim:' + key)}",
            "type": "Annotation",
            "motivation": "highlighting" if c.status == SUGGESTED else "assessing",
            "body": bodies,
            "target": target,
        }
        if c.decided_by:
            anno["creator"] = {"type": "Person", "name": c.decided_by}
        decided = parse_time(c.decided_at)
        if decided is not None:
            anno["modified"] = _w3c_time(decided)
        anno["generated"] = generated
        items.append(anno)
        claim_anno = anno["id"]
        for v in sorted(c.values, key=lambda v: (v.start, v.end)):
            vt = _target(source, article.text, v.start, v.end)
            if vt is None:
                continue
            body = [_body(value_text(v), "describing")]
            if v.attribute:
                body.append(_body(v.attribute.replace("_", " "), "classifying"))
            body.append({"type": "SpecificResource", "source": claim_anno, "purpose": "linking"})
            items.append({
                "id": f"urn:uuid:{uuid.uuid5(_NS, f'value:{key}:{v.start}:{v.end}:{v.type}')}",
                "type": "Annotation",
                "motivation": "describing",
                "body": body,
                "target": vt,
                "generated": generated,
            })
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Claimdesk highlights: {sheet.story}",
        "total": len(items),
        "first": {
            "id": f"urn:uuid:{uuid.uuid5(_NS, 'page:1:' + seed)}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def render_annotations(project, *, now: _dt.datetime) -> bytes:
    doc = annotation_document(project, now=now)
    return (html_safe(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n").encode("utf-8")
