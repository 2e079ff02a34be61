"""Alignment time for a synthetic project of 2,000 articles (target: a few seconds).

The project is generated from templates, deterministically: 50 stories (a
company's deal, a flood, a stadium, a budget, ...), each with its own subject
and its own facts (an investment, a death toll, a river level, a stake, ...),
told by 40 articles each. An article states 5-9 of its story's facts, mostly
as the others do (in other words, rounded, "more than ..."), sometimes with a
different figure (a conflict), plus sentences with only a date in them. Claims
carry their values as the suggester leaves them: type, amount in the base
unit, bound, attribute and subject. What is timed is ``align(claims)`` over
all of them (facts, then the links derived from them, as ``pipeline.realign``
does after an import), and for comparison the pairwise aligner it replaced.

A second figure is the worst case for blocking: one story told by many
articles, so that every value of an attribute is in one block with one subject.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from claimdesk.bench import Result, median_time
from claimdesk.core.model import APPROX, AT_LEAST, AT_MOST, EXACT, Claim, Value

N_ARTICLES = 2_000
N_STORIES = 50
ONE_STORY_ARTICLES = 300


@dataclass(frozen=True)
class Fact:
    attribute: str
    type: str
    unit: str | None
    amount: float
    template: str  # "{s}" the subject, "{v}" the value's text


_SUBJECTS = [
    "Acme Motors", "Skelby Council", "River Aire", "Northgate Stadium", "Mistral AI", "Helios Energy",
    "Port Talbot Works", "Larkfield Hospital", "Brightwater Utilities", "Orion Airlines", "Vexa Pharma",
    "Kestrel Bank", "Delta Rail", "Marlow School", "Fenwick Mine", "Cobalt Telecom", "Harbour Bridge",
    "Saltmarsh Reservoir", "Granite Foods", "Aurora Studios", "Pennine Water", "Redcliffe Port",
    "Summit Insurance", "Willow Care Homes", "Tidewell Ferries", "Quarry Lane Factory", "Beacon Media",
    "Ironbridge Steel", "Lumen Robotics", "Crescent Mall", "Old Vale Prison", "Eastfield Airport",
    "Mossley Wind Farm", "Cedar University", "Foxhall Barracks", "Silverline Buses", "Marina Casino",
    "Glenrock Dam", "Hollins Chemicals", "Nettlebed Festival", "Kingsway Tunnel", "Bramble Bakery",
    "Oakmere Zoo", "Starling Satellites", "Harrow Docks", "Juniper Hotels", "Thistle Distillery",
    "Copperfield Arena", "Riverside Library", "Ashdown Forest",
]

# (attribute, type, unit, low, high, templates)
_KINDS = [
    ("investment", "money", "USD", 1e6, 5e9, ["{s} will invest {v} in the project, the company said.",
                                               "The deal sees {s} commit {v}, according to filings."]),
    ("cost", "money", "EUR", 1e6, 9e8, ["The work at {s} will cost {v}, officials said.",
                                         "{s} put the cost of the scheme at {v}."]),
    ("revenue", "money", "GBP", 1e6, 2e9, ["{s} reported revenue of {v} last year.",
                                            "Sales at {s} reached {v}, the annual report shows."]),
    ("fine", "money", "GBP", 1e4, 5e7, ["Regulators fined {s} {v} on Tuesday.",
                                         "{s} must pay a penalty of {v}, the court ruled."]),
    ("deaths", "count", "person", 2, 400, ["{v} died after the collapse at {s}, police said.",
                                            "The death toll at {s} stands at {v}."]),
    ("evacuated", "count", "home", 20, 5000, ["{v} were evacuated near {s} overnight.",
                                               "Officials ordered {v} near {s} to be cleared."]),
    ("jobs", "count", "job", 10, 8000, ["{s} says the plan will create {v}.",
                                         "The expansion of {s} brings {v} to the area."]),
    ("attendance", "count", "fan", 500, 90000, ["{v} watched the final at {s}.",
                                                 "A crowd of {v} filled {s} on Saturday."]),
    ("water_level", "measure", "m", 1, 9, ["The river peaked at {v} at {s}, the agency said.",
                                            "Water at {s} reached {v} on Sunday."]),
    ("rainfall", "measure", "mm", 20, 300, ["{v} of rain fell on {s} within a day.",
                                             "Forecasters recorded {v} of rain at {s}."]),
    ("share", "percent", "%", 1, 60, ["{s} will hold a {v} stake in the venture.",
                                       "The deal gives {s} {v} of the company."]),
    ("growth", "percent", "%", 1, 30, ["Sales at {s} grew {v} in the quarter.",
                                        "{s} said output rose {v} on the year."]),
]
_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
_NOUN_PLURAL = {"person": "people", "home": "homes", "job": "jobs", "fan": "fans"}
_FILLER = ["The meeting took place on Monday, {s} confirmed.", "{s} first opened in 1987.",
           "A statement from {s} followed on 3 March.", "Talks with {s} resume next week."]


def _money_text(amount: float, unit: str, rng: random.Random) -> str:
    sym = _SYMBOL[unit]
    if amount >= 1e9:
        return f"{sym}{amount / 1e9:.1f} billion" if rng.random() < 0.7 else f"{sym}{amount / 1e9:.1f}bn"
    if amount >= 1e6:
        return f"{sym}{amount / 1e6:.0f} million" if rng.random() < 0.7 else f"{sym}{amount / 1e6:.0f}m"
    return f"{sym}{amount:,.0f}"


def _value_text(fact: Fact, amount: float, rng: random.Random) -> str:
    if fact.type == "money":
        return _money_text(amount, fact.unit or "USD", rng)
    if fact.type == "count":
        return f"{amount:,.0f} {_NOUN_PLURAL[fact.unit or 'person']}"
    if fact.type == "percent":
        return f"{amount:.0f}%" if rng.random() < 0.5 else f"{amount:.0f} per cent"
    if fact.unit == "m":
        return f"{amount:.1f} metres"
    return f"{amount:.0f}mm"


def _rounded(fact: Fact, amount: float) -> float:
    """What the value text says: the amount as written, read back."""
    if fact.type == "money":
        return round(amount / 1e9, 1) * 1e9 if amount >= 1e9 else (
            round(amount / 1e6) * 1e6 if amount >= 1e6 else round(amount))
    if fact.type == "measure" and fact.unit == "m":
        return round(amount, 1)
    return float(round(amount))


def _story_facts(rng: random.Random) -> list[Fact]:
    kinds = rng.sample(_KINDS, 8)
    facts = []
    for attribute, vtype, unit, low, high, templates in kinds:
        amount = low * (high / low) ** rng.random()  # log-uniform
        facts.append(Fact(attribute, vtype, unit, amount, rng.choice(templates)))
    return facts


def generate(n_articles: int = N_ARTICLES, n_stories: int = N_STORIES, *, seed: int = 2024) -> list[Claim]:
    """Claims of a synthetic project: ``n_articles`` articles over ``n_stories`` stories."""
    rng = random.Random(seed)
    stories = [(_SUBJECTS[i % len(_SUBJECTS)] + ("" if i < len(_SUBJECTS) else f" {i // len(_SUBJECTS) + 1}"),
                _story_facts(rng)) for i in range(n_stories)]
    claims: list[Claim] = []
    next_id = 1
    for article_id in range(1, n_articles + 1):
        subject, facts = stories[(article_id - 1) % n_stories]
        offset = 0
        told = rng.sample(facts, rng.randint(5, min(9, len(facts))))
        sentences: list[tuple[str, Value | None]] = []
        for fact in told:
            roll = rng.random()
            bound = EXACT
            amount = fact.amount
            if roll < 0.2:  # another figure: a conflict
                amount *= rng.choice([0.6, 0.75, 1.3, 1.5])
            elif roll < 0.35:
                bound = rng.choice([APPROX, AT_LEAST, AT_MOST])
                amount *= {APPROX: 1.0, AT_LEAST: 0.95, AT_MOST: 1.05}[bound]
            amount = _rounded(fact, amount)
            vtext = _value_text(fact, amount, rng)
            prefix = {APPROX: "about ", AT_LEAST: "more than ", AT_MOST: "up to "}.get(bound, "")
            vtext = prefix + vtext
            text = fact.template.format(s=subject, v=vtext)
            start = text.index(vtext)
            if start == 0:
                vtext = vtext[0].upper() + vtext[1:]
            text = text[0].upper() + text[1:]
            norm = amount * (0.001 if fact.unit == "mm" else 1.0)
            unit = "m" if fact.unit == "mm" else fact.unit
            value = Value(start=start, end=start + len(vtext), text=vtext, type=fact.type, amount=norm, unit=unit,
                          bound=bound, attribute=fact.attribute, subject=subject, rule="bench")
            sentences.append((text, value))
        for _ in range(rng.randint(1, 3)):
            sentences.append((rng.choice(_FILLER).format(s=subject), None))
        rng.shuffle(sentences)
        for text, value in sentences:
            values = [] if value is None else [value.shifted(offset)]
            kind = values[0].type if values else "date"
            claims.append(Claim(article_id=article_id, start=offset, end=offset + len(text), text=text, kind=kind,
                                score=0.8, subject=subject, values=values, id=next_id))
            next_id += 1
            offset += len(text) + 1
    return claims


def run(quick: bool) -> list[Result]:
    from claimdesk.core.align import align, pairwise_align
    from claimdesk.core.facts import compute_facts
    from claimdesk.services.pipeline import attribute_words

    n = N_ARTICLES
    repeat = 1 if quick else 3
    claims = generate(n, N_STORIES)
    links = align(claims, attributes=attribute_words())
    facts = compute_facts(claims, attributes=attribute_words())
    t = median_time(lambda: align(claims, attributes=attribute_words()), repeat=repeat, warmup=0)
    values = sum(len(c.values) for c in claims)
    conflicts = sum(1 for link in links if link.kind == "conflict")
    mentions = sum(len(f.mentions) for f in facts)
    results = [Result(
        f"facts and links, {n:,} articles ({N_STORIES} stories)", t, "s", "a few seconds (< 5 s)",
        f"{len(claims):,} claims, {values:,} values -> {len(facts):,} facts "
        f"({sum(f.status == 'conflicting' for f in facts):,} conflicting), {mentions:,} mentions, "
        f"{len(links):,} links ({conflicts:,} conflicts); median of {repeat}",
    )]
    old = pairwise_align(claims)
    t_old = median_time(lambda: pairwise_align(claims), repeat=repeat, warmup=0)
    results.append(Result(
        "pairwise aligner (before), same claims", t_old, "s", "",
        f"{len(old):,} links ({sum(1 for l in old if l.kind == 'conflict'):,} conflicts): links grow with the "
        f"square of the articles stating a fact; median of {repeat}",
    ))
    m = 100 if quick else ONE_STORY_ARTICLES
    one = generate(m, 1, seed=7)
    t1 = median_time(lambda: align(one, attributes=attribute_words()), repeat=repeat, warmup=0)
    one_links = align(one, attributes=attribute_words())
    results.append(Result(
        f"facts and links, {m:,} articles of one story (worst case)", t1, "s", "",
        f"{len(one):,} claims in one subject per attribute: one block per kind; {len(one_links):,} links; "
        f"median of {repeat}",
    ))
    return results
