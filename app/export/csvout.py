"""One row per claim, for spreadsheets.

Every claim is a row (filter on ``status``; rejected and unreviewed claims are
there too, marked as such). The last two columns name the facts the claim's
figures belong to (``fact_id``, ``fact_status``; several are joined by "; "). Values are written as people read them
("at least 2 billion USD"), one cell per claim, separated by "; ".

Text comes from articles and is untrusted: a cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula by
spreadsheet programs, so it gets a leading apostrophe (OWASP's advice).
The file is UTF-8 with a byte-order mark, which Excel needs to read UTF-8.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections import defaultdict

from claimdesk.core.model import CONFLICT
from claimdesk.core.priority import priorities
from claimdesk.export.sheet import ProjectData, build_sheet, claim_values, one_line

COLUMNS = (
    "claim_id", "status", "rating", "source", "article_id", "article_title", "outlet", "published",
    "article_location", "start", "end", "subject", "kind", "claim_text", "article_wording", "values",
    "attribution", "agreeing_sources", "links", "decided_by", "decided_at", "notes", "priority", "tier",
    "fact_id", "fact_status",
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A string a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _fact_status(f) -> str:
    """The fact's status ("agreed", "conflicting", "changed", "single"), with the reviewer's decision."""
    return f.status if f.review in (None, "", "open") else f"{f.status} ({f.review})"


def render_csv(project, *, now: _dt.datetime) -> bytes:
    project = ProjectData.of(project)
    sheet = build_sheet(project, now=now)
    sources = {s.article_id: s for s in sheet.sources}
    texts = {a.id: a.text for a in project.articles()}
    agreeing = {cid: f.sources_agreeing for f in sheet.facts for cid in f.claim_ids}
    links_of: dict[int, list[str]] = defaultdict(list)
    for l in project.links():
        verb = "conflicts with" if l.kind == CONFLICT else "corroborated by"
        links_of[l.claim_a].append(f"{verb} claim {l.claim_b} ({l.status})")
        links_of[l.claim_b].append(f"{verb} claim {l.claim_a} ({l.status})")
    notes_of: dict[int, list[str]] = defaultdict(list)
    for n in project.notes():
        if n.claim_id is not None:
            notes_of[n.claim_id].append(one_line(n.text))

    facts_of: dict[int, list] = defaultdict(list)  # claim id -> the facts its figures belong to
    for f in project.facts():
        if f.review == "rejected":
            continue
        for cid in dict.fromkeys(m.claim_id for m in f.mentions):
            facts_of[cid].append(f)

    claims = project.claims()
    prio = priorities(claims, project.links())  # rank among the project's claims, 1 = check first
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in claims:
        src = sources.get(c.article_id)
        text = texts.get(c.article_id, "")
        wording = text[c.start:c.end] if 0 <= c.start < c.end <= len(text) else ""
        values = claim_values(c)
        row = (
            c.id, c.status, sheet.ratings.get(c.id, ""), src.label if src else "", c.article_id,
            src.title if src else "", (src.outlet or "") if src else "", (src.published or "") if src else "",
            src.location if src else "", c.start, c.end, c.subject or "", c.kind or "", one_line(c.text),
            one_line(wording) if one_line(wording) != one_line(c.text) else "", "; ".join(values),
            one_line(c.attribution), agreeing.get(c.id, ""), "; ".join(links_of.get(c.id, [])),
            c.decided_by or "", c.decided_at or "", " | ".join(notes_of.get(c.id, [])),
            prio[c.id].rank if c.id in prio else "", prio[c.id].tier if c.id in prio else "",
            "; ".join(str(f.id) for f in facts_of.get(c.id, [])),
            "; ".join(_fact_status(f) for f in facts_of.get(c.id, [])),
        )
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
