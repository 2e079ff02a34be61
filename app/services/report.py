"""The analysis of a project as one JSON document: ``claimdesk analyze --json``, and the base of the
JSON export (:mod:`claimdesk.export.jsonout` adds the reviewer's work)."""

from __future__ import annotations

from claimdesk.core.importer import split_dateline
from claimdesk.core.model import REPORT_VALUE_FIELDS
from claimdesk.core.ports import Repository
from claimdesk.core.priority import priorities


def analysis_report(project: Repository, paths_by_article: dict[int, str] | None = None) -> dict:
    """The ``analyze --json`` document for a project (the JSON export adds reviewer fields)."""
    articles = project.articles()
    paths_by_article = paths_by_article or {}
    claims = project.claims()
    links = project.links()
    prio = priorities(claims, links)
    facts = project.facts()
    return {
        "articles": [
            {
                "id": a.id,
                "path": paths_by_article.get(a.id, a.source_path),
                "title": a.title,
                "published": a.published,
                "outlet": a.outlet,
                "url": a.url,
                "dateline": split_dateline(a.text).as_dict(),
                "text": a.text,
            }
            for a in articles
        ],
        "claims": [
            {
                "id": c.id,
                "article": c.article_id,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "kind": c.kind,
                "score": c.score,
                "priority": prio[c.id].rank if c.id in prio else None,
                "tier": prio[c.id].tier if c.id in prio else None,
                "status": c.status,
                "attribution": c.attribution,
                "values": [v.to_dict(REPORT_VALUE_FIELDS) for v in c.values],
            }
            for c in claims
        ],
        "links": [
            {
                "id": l.id,
                "kind": l.kind,
                "a": {"claim": l.claim_a, "value": list(l.a_span) if l.a_span else None},
                "b": {"claim": l.claim_b, "value": list(l.b_span) if l.b_span else None},
                "reason": l.reason,
                "confidence": l.confidence,
                "status": l.status,
            }
            for l in links
        ],
        "facts": [f.as_dict() for f in facts],
    }
