"""The real pipeline on the sample story, reviewed through the service, exported to every format."""

from __future__ import annotations

import csv
import io
import json


from claimdesk.core.model import CONFLICT
from claimdesk.services.pipeline import import_paths
from claimdesk.services.review import ReviewService
from claimdesk.export import FORMATS, export_project
from claimdesk.paths import sample_articles
from claimdesk.storage.project import Project


def test_pipeline_project_exports_every_format(tmp_path):
    project = Project(tmp_path / "sample.claimdesk")
    project.set_setting("story", "Microsoft and Mistral (pipeline)")
    results = import_paths(project, sample_articles())
    assert all(r.ok for r in results)
    claims, links = project.claims(), project.links()
    assert claims and links  # whatever the NLP finds today, there is something to export
    review = ReviewService(project, actor="Smoke Test")
    for link in links:
        review.confirm_link(link.id)
    linked = {c for l in links for c in (l.claim_a, l.claim_b)}
    unlinked = [c for c in claims if c.id not in linked]
    if unlinked:
        review.confirm(unlinked[0].id)
    if len(unlinked) > 1:
        review.reject(unlinked[-1].id)
    conflicts = [l for l in project.links() if l.kind == CONFLICT]
    if conflicts:
        review.resolve_link(conflicts[0].id, conflicts[0].claim_b, "Checked with the company.")

    outputs = {fmt: export_project(project, fmt, tmp_path / f"sheet.{fmt}") for fmt in FORMATS}
    for fmt, path in outputs.items():
        assert path.stat().st_size > 500, fmt
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert len(doc["claims"]) == len(claims) and len(doc["links"]) == len(links)
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(claims)
    reviews = json.loads(outputs["claimreview"].read_text(encoding="utf-8"))["@graph"]
    assert reviews and all(r["author"]["name"] == "Smoke Test" for r in reviews)
    annotations = json.loads(outputs["annotations"].read_text(encoding="utf-8"))
    assert annotations["total"] >= len(claims) - 1
    html = outputs["html"].read_text(encoding="utf-8")
    assert "Microsoft and Mistral (pipeline)" in html and "Verified facts" in html
    assert outputs["pdf"].read_bytes().startswith(b"%PDF-")
    project.close()
