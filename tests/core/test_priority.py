"""Priority: what a fact-checker would check first, from stored claims and links."""

from claimdesk.core.model import (
    CONFLICT, CORROBORATION, LINK_OPEN, LINK_REJECTED, LINK_RESOLVED, REJECTED, Claim, Link, Value,
)
from claimdesk.core.priority import TIER_FIRST, TIER_LATER, priorities, priority_key, stakes


def claim(cid, text, *, values=(), attribution=None, rule=None, score=0.5, status="suggested", article=1, start=None):
    return Claim(article_id=article, start=cid * 100 if start is None else start, end=cid * 100 + len(text),
                 text=text, kind="count", score=score, status=status, attribution=attribution, rule=rule,
                 values=list(values), id=cid)


def money(amount):
    return Value(0, 5, f"${amount}", "money", amount, unit="USD")


def count(amount, attribute=None):
    return Value(0, 5, str(amount), "count", amount, attribute=attribute)


def link(a, b, kind, status=LINK_OPEN, confidence=0.9, lid=None):
    return Link(a, b, kind, (0, 1), (0, 1), "", confidence, status=status, id=lid or a * 1000 + b)


def test_contradicted_figure_comes_first_then_corroborated_then_single_source():
    claims = [
        claim(1, "The show was fun.", score=0.9),
        claim(2, "The council spent $12 million.", values=[money(12e6)], score=0.6),
        claim(3, "Police said 3 people died.", values=[count(3, "deaths")], attribution="Police", score=0.4),
        claim(4, "The council spent $15 million.", values=[money(15e6)], article=2, score=0.3),
        claim(5, "Officials said 3 people were killed.", values=[count(3, "deaths")], article=2, score=0.2),
    ]
    links = [link(2, 4, CONFLICT), link(3, 5, CORROBORATION)]
    p = priorities(claims, links)
    order = sorted(p, key=lambda cid: p[cid].rank)
    assert order[:2] == [2, 4]  # the contradicted money figure, both sides
    assert order[2:4] == [3, 5]  # the corroborated casualties
    assert order[-1] == 1  # no figure: last
    assert p[2].tier == TIER_FIRST and p[1].tier == TIER_LATER
    assert [p[c].rank for c in order] == [1, 2, 3, 4, 5]


def test_stakes_name_their_reasons():
    c = claim(1, "Police said 3 people died, the deadliest crash.", values=[count(3, "deaths")],
              attribution="Police", rule="ranking.superlative")
    s, why = stakes(c, [])
    assert s > 0
    assert "casualties" in why and "attributed to Police" in why and "a superlative or record" in why


def test_money_and_attribution_outrank_a_bare_count():
    bare = claim(1, "It has 40 rooms.", values=[count(40)], score=0.9)
    paid = claim(2, "The firm paid $5 million, its filing says.", values=[money(5e6)], attribution="its filing")
    p = priorities([bare, paid], [])
    assert p[2].rank < p[1].rank


def test_rejected_links_and_claims_do_not_count():
    a = claim(1, "Spent $12 million.", values=[money(12e6)])
    b = claim(2, "Spent $15 million.", values=[money(15e6)], article=2)
    c = claim(3, "Spent $9 million.", values=[money(9e6)], article=3, status=REJECTED, score=0.99)
    rejected = [link(1, 2, CONFLICT, status=LINK_REJECTED), link(2, 3, CORROBORATION)]
    p = priorities([a, b, c], rejected)
    assert p[3].rank == 3 and p[3].tier == TIER_LATER
    assert stakes(a, [rejected[0]])[0] == stakes(a, [])[0]


def test_a_resolved_conflict_is_no_longer_in_the_conflict_band():
    a = claim(1, "Spent $12 million.", values=[money(12e6)])
    assert priority_key(a, [link(1, 2, CONFLICT)])[1] is False
    assert priority_key(a, [link(1, 2, CONFLICT, status=LINK_RESOLVED)])[1] is True


def test_a_low_confidence_link_counts_less():
    a = claim(1, "Spent $12 million.", values=[money(12e6)])
    assert stakes(a, [link(1, 2, CORROBORATION, confidence=0.3)])[0] < stakes(a, [link(1, 2, CORROBORATION, confidence=0.95)])[0]


def test_the_first_tier_is_at_least_ten_claims_and_a_tenth_of_a_large_project():
    claims = [claim(i, f"Spent ${i} million.", values=[money(i * 1e6)], start=i) for i in range(1, 301)]
    p = priorities(claims, [])
    assert sum(1 for x in p.values() if x.tier == TIER_FIRST) == 30
    small = priorities(claims[:12], [])
    assert sum(1 for x in small.values() if x.tier == TIER_FIRST) == 10
    assert priorities([], []) == {}


def test_analyze_report_ranks_every_claim_and_names_the_dateline(tmp_path):
    """On a real project file: analyze --json's document has priority, tier and the dateline."""
    from claimdesk.services.report import analysis_report
    from claimdesk.services.pipeline import import_paths
    from claimdesk.storage.project import Project

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Quake kills 2,012\n\nRABAT, September 9. /TASS/. At least 2,012 people were killed in the "
                 "earthquake, the interior ministry said. The quake had a magnitude of 6.8.\n", encoding="utf-8")
    b.write_text("Morocco quake\n\nSept 9 (Reuters) - The earthquake killed 2,012 people, the interior ministry "
                 "said. It had a magnitude of 7.1, the national institute said. Sign up for our newsletter.\n",
                 encoding="utf-8")
    with Project(tmp_path / "p.claimdesk") as project:
        import_paths(project, [a, b])
        doc = analysis_report(project)
    ranks = sorted(c["priority"] for c in doc["claims"])
    assert ranks == list(range(1, len(ranks) + 1))
    assert all(c["tier"] in ("check first", "next", "later") for c in doc["claims"])
    datelines = {a["title"]: a["dateline"] for a in doc["articles"]}
    assert {d["agency"] for d in datelines.values()} == {"TASS", "Reuters"}
    texts = " ".join(c["text"] for c in doc["claims"])
    assert "TASS" not in texts and "Reuters" not in texts and "Sign up" not in texts
    top = min(doc["claims"], key=lambda c: c["priority"])
    linked = {l["a"]["claim"] for l in doc["links"]} | {l["b"]["claim"] for l in doc["links"]}
    assert top["id"] in linked  # a figure another outlet gives comes first
