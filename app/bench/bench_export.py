"""Export time for a large reviewed project: 50,000 claims (5,000 with ``--quick``).

The synthetic project has 200 articles; each claim has one or two values; about
half the claims are reviewed (confirmed, edited, conflicting, rejected) with a
history event each, and there are confirmed corroborations, open and resolved
conflicts and notes, so every part of the fact sheet and of the JSON is built.
Each figure is the median wall time of ``export_project`` (build + write) over
three runs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
import tempfile
from pathlib import Path

from claimdesk.bench import Result, median_time
from claimdesk.core.model import (
    CONFIRMED,
    CONFLICT,
    CONFLICTING,
    CORROBORATION,
    EDITED,
    LINK_CONFIRMED,
    LINK_OPEN,
    LINK_RESOLVED,
    REJECTED,
    SUGGESTED,
    Article,
    Claim,
    Event,
    Link,
    Note,
    Value,
)
from claimdesk.storage.project import Project

FORMATS = ("md", "html", "json", "csv")
ARTICLES = 200
NOW = _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.timezone.utc)
_SUBJECTS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]
_ATTRS = ["investment", "funds_raised", "valuation", "revenue", "employees"]


def build_project(path: Path, claims: int, seed: int = 6) -> Project:
    rng = random.Random(seed)
    project = Project(path)
    project.set_setting("story", f"Synthetic story, {claims:,} claims")
    project.set_setting("reviewer", "Bench Reviewer")
    per_article = claims // ARTICLES
    at = "2024-03-01T09:00:00.000+00:00"
    ids_by_article: list[list[int]] = []
    with project.transaction():
        op = 0
        for a in range(ARTICLES):
            sentences, spans = [], []
            pos = 0
            for n in range(per_article):
                subject = _SUBJECTS[(a + n) % len(_SUBJECTS)]
                amount = rng.randint(1, 900)
                sentence = (f"{subject} said its {_ATTRS[n % len(_ATTRS)].replace('_', ' ')} reached "
                            f"${amount} million in {2000 + n % 25}, up {rng.randint(1, 60)}% from a year earlier.")
                spans.append((pos, pos + len(sentence), subject, amount))
                sentences.append(sentence)
                pos += len(sentence) + 1
            text = " ".join(sentences)
            article_id, _ = project.add_article(Article(
                text=text, title=f"Synthetic article {a + 1}", outlet=f"Outlet {a % 17}",
                published=f"2024-02-{1 + a % 28:02d}", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source_path=f"/data/articles/{a + 1:04d}.txt"))
            ids = []
            for n, (start, end, subject, amount) in enumerate(spans):
                sentence = text[start:end]
                vs = start + sentence.index("$")
                ve = vs + len(f"${amount} million")
                values = [Value(start=vs, end=ve, text=text[vs:ve], type="money", amount=amount * 1e6, unit="USD",
                                attribute=_ATTRS[n % len(_ATTRS)], subject=subject.lower())]
                if n % 2:
                    ps = start + sentence.index("up ") + 3
                    pe = text.index("%", ps) + 1
                    values.append(Value(start=ps, end=pe, text=text[ps:pe], type="percent",
                                        amount=float(text[ps:pe - 1]), unit="%", attribute="growth",
                                        subject=subject.lower()))
                status = rng.choices([SUGGESTED, CONFIRMED, EDITED, REJECTED, CONFLICTING],
                                     weights=[45, 35, 5, 10, 5])[0]
                decided = status != SUGGESTED
                cid = project.add_claim(Claim(
                    article_id=article_id, start=start, end=end,
                    text=sentence if status != EDITED else sentence.replace(" said its ", " reported its "),
                    kind="money", score=0.9, status=status, subject=subject.lower(), values=values,
                    attribution=subject if n % 3 else None, decided_at=at if decided else None,
                    decided_by="Bench Reviewer" if decided else None))
                if decided:
                    op += 1
                    project.add_event(Event(op=op, at=at, actor="Bench Reviewer", action=status, entity="claim",
                                            entity_id=cid, before={"status": SUGGESTED}, after={"status": status}))
                ids.append(cid)
            ids_by_article.append(ids)
        # Links between neighbouring articles: corroborations, open and resolved conflicts.
        for a in range(ARTICLES - 1):
            left, right = ids_by_article[a], ids_by_article[a + 1]
            for n in range(0, min(len(left), len(right)), 10):
                ca, cb = project.claim(left[n]), project.claim(right[n])
                kind, status, preferred, resolution = CORROBORATION, LINK_CONFIRMED, None, None
                if n % 30 == 10:
                    kind, status = CONFLICT, LINK_OPEN
                elif n % 30 == 20:
                    kind, status, preferred, resolution = CONFLICT, LINK_RESOLVED, cb.id, "Checked the filing."
                link_id = project.add_link(Link(
                    claim_a=ca.id, claim_b=cb.id, kind=kind, a_span=(ca.values[0].start, ca.values[0].end),
                    b_span=(cb.values[0].start, cb.values[0].end), reason="synthetic", confidence=0.8,
                    status=status, preferred_claim=preferred, resolution=resolution,
                    decided_at=at if status != LINK_OPEN else None,
                    decided_by="Bench Reviewer" if status != LINK_OPEN else None))
                if resolution:
                    project.add_note(Note(text=resolution, link_id=link_id, claim_id=preferred,
                                          author="Bench Reviewer", created_at=at))
    return project


def run(quick: bool) -> list[Result]:
    claims = 5_000 if quick else 50_000
    results = []
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-export-") as tmp:
        from claimdesk.export import export_project

        folder = Path(tmp)
        project = build_project(folder / "bench.claimdesk", claims)
        try:
            for fmt in FORMATS:
                out = folder / f"sheet.{fmt}"
                seconds = median_time(lambda fmt=fmt, out=out: export_project(project, fmt, out, now=NOW), repeat=3, warmup=0)
                size_mb = out.stat().st_size / 1e6
                results.append(Result(
                    name=f"export {fmt}, {claims:,} claims", value=seconds, unit="s", target="< 10 s",
                    note=f"median of 3; {size_mb:,.1f} MB written",
                ))
            # The same project grouped into facts (the sheet lists each fact once, with its versions).
            from claimdesk.services.pipeline import realign

            realign(project)
            facts = project.facts()
            conflicting = sum(1 for f in facts if f.status == "conflicting")
            for fmt in ("html", "claimreview"):
                out = folder / f"facts.{fmt}"
                seconds = median_time(lambda fmt=fmt, out=out: export_project(project, fmt, out, now=NOW), repeat=3, warmup=0)
                results.append(Result(
                    name=f"export {fmt} by fact, {claims:,} claims", value=seconds, unit="s", target="< 10 s",
                    note=f"median of 3; {len(facts):,} facts ({conflicting:,} conflicting) after realign; "
                         f"{out.stat().st_size / 1e6:,.1f} MB written",
                ))
        finally:
            project.close()
    return results
