"""Priority top-10 on labelled real coverage: how many of a story's 10 highest-priority claims
hold a figure that the labels pair across outlets.

usage: python training/measure_priority.py [--json-dir DIR] [--show] STORY_DIR [STORY_DIR ...]

Each STORY_DIR holds articles (*.txt) and expected.json (the format of ../shared/score_links.py).
A claim counts when its span overlaps a quote of a labelled corroboration or conflict (a figure
another outlet also gives, or contradicts). ``not_conflict`` quotes are different facts and do
not count. Also lists suggested lines that look like a dateline, a question or a promo line.
Run it on tests/data/real/dev only: the hold-out stories are never tuned on (``--held-out`` scores them
for a report, the figures alone: never with ``--show``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

TOP = 10
DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Za-z .]{1,30})?\s*(?:\([A-Za-z/ ]+\)|/[A-Z]+/)\s*[-\u2013\u2014:.]|\(Reuters\)|/TASS/|\bAP\)\s*[-\u2014]")
PROMO = re.compile(r"\b(?:subscribe|sign up|newsletter|click here|follow us|read more|download (?:the|our) app|watch:)\b", re.I)


def analyze(files: list[Path]) -> dict:
    cmd = [sys.executable, "-m", "claimdesk", "analyze", "--json", *map(str, files)]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def labelled_spans(story: Path, texts: dict[str, str]) -> dict[str, list[tuple[int, int]]]:
    exp = json.loads((story / "expected.json").read_text(encoding="utf-8"))
    out: dict[str, list[tuple[int, int]]] = {}
    for key in ("corroborations", "conflicts"):
        for pair in exp.get(key, []):
            for f, quote in pair:
                text = texts.get(f, "")
                i = text.find(quote)
                while i >= 0:
                    out.setdefault(f, []).append((i, i + len(quote)))
                    i = text.find(quote, i + 1)
    return out


def score_story(story: Path, rep: dict, show: bool = False) -> dict:
    name = {a["id"]: Path(a["path"]).name for a in rep["articles"]}
    texts = {Path(a["path"]).name: a["text"] for a in rep["articles"]}
    spans = labelled_spans(story, texts)
    claims = [c for c in rep["claims"] if c.get("priority") is not None]
    claims.sort(key=lambda c: c["priority"])
    top = claims[:TOP]

    def paired(c) -> bool:
        return any(c["start"] < e and s < c["end"] for s, e in spans.get(name[c["article"]], ()))

    hits = sum(paired(c) for c in top)
    bad = [c["text"] for c in claims
           if c["text"].rstrip().endswith("?") or DATELINE.search(c["text"]) or PROMO.search(c["text"])]
    if show:
        print(f"== {story.name}: {hits}/{len(top)}")
        for c in top:
            print(f"  {'+' if paired(c) else '-'} {c['priority']:>3} {c['tier']:<11} {name[c['article']]} {c['text'][:110]!r}")
        for t in bad:
            print(f"  ! {t[:110]!r}")
    return {"story": story.name, "top10_paired": hits, "top": len(top), "claims": len(claims), "suspect_lines": bad}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stories", nargs="+", type=Path)
    ap.add_argument("--json-dir", type=Path, help="reuse/keep analyze reports here")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--held-out", action="store_true",
                    help="score hold-out stories too: for the integrator's report only, never while tuning (no --show)")
    a = ap.parse_args(argv)
    rows = []
    for story in a.stories:
        if any(part.startswith("holdout") for part in story.parts) and (not a.held_out or a.show):
            print(f"{story}: hold-out stories are never measured while tuning (the integrator's report: "
                  f"--held-out, without --show)", file=sys.stderr)
            return 2
        cache = a.json_dir / f"{story.name}.json" if a.json_dir else None
        if cache and cache.is_file():
            rep = json.loads(cache.read_text(encoding="utf-8"))
        else:
            rep = analyze(sorted(story.glob("*.txt")))
            if cache:
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps(rep), encoding="utf-8")
        rows.append(score_story(story, rep, a.show))
    mean = sum(r["top10_paired"] for r in rows) / len(rows)
    for r in rows:
        print(f"{r['story']}: top-10 paired {r['top10_paired']}/{r['top']}, {r['claims']} claims, {len(r['suspect_lines'])} suspect lines")
    print(json.dumps({"mean_top10_paired": round(mean, 2), "stories": len(rows),
                      "claims": sum(r["claims"] for r in rows),
                      "suspect_lines": sum(len(r["suspect_lines"]) for r in rows)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
