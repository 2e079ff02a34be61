"""How far two reviewers agree: percent agreement and Cohen's kappa, per pair of reviewers.

Each reviewer's decision on a claim or fact is their latest word on it in the
history (``events``; an undo counts as the word of whoever undid), so it works
on a merged file and on one file two people took turns on. A curator's
decision on a disputed item (and its undo) does not count: agreement is about
the reviewers' own judgments. A claim's decision
is its status (and the new text of an edit); a fact's is its review and the
figure preferred. Items count when both reviewers decided them (an undecided
claim or open fact does not count); the figures are given over claims, over
facts, over both, and per article (its claims and the facts it states: a fact
several articles state counts in each of them), with claims and facts apart.

Cohen's kappa: (p_o - p_e) / (1 - p_e), where p_o is the share of items
decided alike and p_e the share expected by chance from each reviewer's own
mix of decisions. It is None where it is not defined (both reviewers gave one
and the same kind of decision to everything: p_e = 1).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from typing import Any

from claimdesk.services.merge import MERGE_ACTION
from claimdesk.core.model import EDITED, SUGGESTED
from claimdesk.core.ports import Repository


def cohen_kappa(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    """``{"items", "agreement", "kappa"}`` for a list of (decision of a, decision of b)."""
    n = len(pairs)
    if not n:
        return {"items": 0, "agreement": None, "kappa": None}
    p_o = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    p_e = sum(ca[k] * cb[k] for k in ca) / (n * n)
    kappa = None if p_e >= 1 else (p_o - p_e) / (1 - p_e)
    return {"items": n, "agreement": round(p_o, 6), "kappa": None if kappa is None else round(kappa, 6)}


def _claim_label(after: dict[str, Any] | None) -> str | None:
    if not after:
        return None
    status = after.get("status")
    if status in (None, SUGGESTED):
        return None
    return f"{status}:{after.get('text')}" if status == EDITED else str(status)


def _fact_label(after: dict[str, Any] | None) -> str | None:
    if not after or after.get("review") in (None, "open"):
        return None
    figure = None
    for v in after.get("versions") or []:
        if isinstance(v, dict) and v.get("k") == after.get("preferred_version"):
            figure = [v.get("amount"), v.get("unit")]
    return json.dumps([after.get("review"), figure])


def _latest(project: Repository) -> dict[tuple[str, str, int], tuple[str, int, str | None, dict | None]]:
    """Per (reviewer, entity, id): (time, event id, decision label or None, the record after) of their last word."""
    latest: dict[tuple[str, str, int], tuple[str, int, str | None, dict | None]] = {}
    for _id, _op, at, actor, action, entity, entity_id, before, after, _origin in project.event_rows():
        if entity not in ("claim", "fact") or action == MERGE_ACTION or entity_id is None:
            continue
        key = (actor or "", entity, entity_id)
        stamp = (at or "", _id)
        if key in latest and latest[key][:2] > stamp:
            continue
        try:
            snap = json.loads(after) if after else None
            prior = json.loads(before) if before else None
        except ValueError:
            continue
        if any(isinstance(x, dict) and x.get("disputed") for x in (snap, prior)):
            continue  # a curator settling a dispute (or its undo) is not a reviewer's own judgment
        snap = snap if isinstance(snap, dict) else None
        label = _claim_label(snap) if entity == "claim" else _fact_label(snap)
        latest[key] = (*stamp, label, snap)
    return latest


def decisions(project: Repository) -> dict[str, dict[tuple[str, int], str]]:
    """Per reviewer, their latest decision on each (entity, id) they decided."""
    out: dict[str, dict[tuple[str, int], str]] = defaultdict(dict)
    for (actor, entity, entity_id), (_at, _id, label, _snap) in _latest(project).items():
        if label is not None:
            out[actor][(entity, entity_id)] = label
    return dict(out)


def reviewer_decisions(project: Repository) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """Per (entity, id): every reviewer's latest decision, ``{"reviewer", "decision", "at"}``, by reviewer."""
    out: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for (actor, entity, entity_id), (at, _id, label, snap) in sorted(_latest(project).items()):
        if label is None or snap is None:
            continue
        decision = snap.get("status") if entity == "claim" else snap.get("review")
        item = {"reviewer": actor, "decision": decision, "at": at}
        if entity == "claim" and decision == EDITED:
            item["text"] = snap.get("text")
        if entity == "fact":
            item["preferred_version"] = snap.get("preferred_version")
        out[(entity, entity_id)].append(item)
    return dict(out)


def agreement(project: Repository) -> dict[str, Any]:
    """``{"pairs": [{"a", "b", "items", "agreement", "kappa", "claims", "facts", "articles"}]}``."""
    by_reviewer = decisions(project)
    article_of = {r["id"]: r["article_id"] for r in project.claim_decision_rows()}
    facts = {r["id"] for r in project.fact_decision_rows()}
    decided_facts = {k[1] for d in by_reviewer.values() for k in d if k[0] == "fact"}
    fact_articles = {f.id: sorted(f.articles) for f in project.facts(sorted(decided_facts & facts))} \
        if decided_facts else {}
    titles = {a.id: a.title for a in project.articles()}
    pairs = []
    for a, b in itertools.combinations(sorted(by_reviewer), 2):
        da, db = by_reviewer[a], by_reviewer[b]
        both = sorted(set(da) & set(db))
        claims = [(da[k], db[k]) for k in both if k[0] == "claim" and k[1] in article_of]
        fact_pairs = [(da[k], db[k]) for k in both if k[0] == "fact" and k[1] in facts]
        per_article: dict[int, dict[str, list]] = defaultdict(lambda: {"claim": [], "fact": []})
        for k in both:
            if k[0] == "claim" and k[1] in article_of:
                per_article[article_of[k[1]]]["claim"].append((da[k], db[k]))
            elif k[0] == "fact":
                for aid in fact_articles.get(k[1], ()):
                    per_article[aid]["fact"].append((da[k], db[k]))
        pairs.append({
            "a": a, "b": b,
            **cohen_kappa(claims + fact_pairs),
            "claims": cohen_kappa(claims),
            "facts": cohen_kappa(fact_pairs),
            "articles": [{"article_id": aid, "title": titles.get(aid),
                          **cohen_kappa(per_article[aid]["claim"] + per_article[aid]["fact"]),
                          "claims": cohen_kappa(per_article[aid]["claim"]),
                          "facts": cohen_kappa(per_article[aid]["fact"])}
                         for aid in sorted(per_article)],
        })
    return {"pairs": pairs}


def describe(report: dict[str, Any]) -> str:
    """The agreement report as lines for a terminal or a dialog."""
    if not report["pairs"]:
        return "Fewer than two reviewers have decided anything in this project."

    def fmt(d: dict[str, Any]) -> str:
        if not d["items"]:
            return "no items both decided"
        kappa = "undefined" if d["kappa"] is None else f"{d['kappa']:.3f}"
        return f"{d['items']} items, {100 * d['agreement']:.1f}% agree, kappa {kappa}"

    lines = []
    for p in report["pairs"]:
        lines.append(f"{p['a']} / {p['b']}: {fmt(p)}")
        lines.append(f"  claims: {fmt(p['claims'])}")
        lines.append(f"  facts:  {fmt(p['facts'])}")
        for art in p["articles"]:
            lines.append(f"  article {art['article_id']} ({art['title'] or 'untitled'}): {fmt(art)}")
    return "\n".join(lines)
