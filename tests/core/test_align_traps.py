"""Cross-article alignment on short articles written for these tests.

Each test is one trap from the alignment issue: the same attribute of
different subjects, different attributes of one subject, agreeing bounds,
figures marked as changed over time, currencies, and plain conflicts.
"""

import pytest

from claimdesk.core.align import align
from claimdesk.services.pipeline import attribute_words
from claimdesk.core.model import Article
from claimdesk.nlp.suggest import Suggester


@pytest.fixture(scope="module")
def suggester():
    return Suggester(checkworthy=False)


@pytest.fixture
def links(suggester):
    def run(*texts):
        articles = [Article(text=t, id=n + 1) for n, t in enumerate(texts)]
        claims = []
        for article, found in zip(articles, suggester.suggest(articles)):
            for c in found:
                c.id = len(claims) + 1
                c.article_id = article.id
                claims.append(c)
        by_id = {c.id: c for c in claims}
        out = []
        for link in align(claims, attributes=attribute_words()):
            a = by_id[link.claim_a]
            b = by_id[link.claim_b]
            ta = texts[a.article_id - 1][link.a_span[0]:link.a_span[1]]
            tb = texts[b.article_id - 1][link.b_span[0]:link.b_span[1]]
            out.append((link.kind, ta, tb))
        return out

    return run


def test_plain_conflict_on_a_money_figure(links):
    got = links(
        "The ministry said the new bridge over the Tarn will cost €84 million.",
        "Officials put the cost of the Tarn bridge at €96 million on Tuesday.",
    )
    assert ("conflict", "€84 million", "€96 million") in got


def test_same_figure_in_other_words_corroborates(links):
    got = links(
        "The plant will employ 1,200 workers when it opens, the company said.",
        "Around 1,200 people will be employed at the plant, according to the firm.",
    )
    assert [k for k, *_ in got] == ["corroboration"]


def test_bounds_that_agree_are_not_a_conflict(links):
    got = links(
        "At least 120 people were killed in the earthquake, officials said.",
        "The earthquake killed 134 people, according to the civil protection agency.",
    )
    assert all(kind != "conflict" for kind, *_ in got)
    assert ("corroboration", "At least 120 people", "134 people") in got


def test_more_than_agrees_with_over(links):
    got = links(
        "The startup is now valued at over $4 billion.",
        "Investors valued the startup at more than $4 billion.",
    )
    assert [k for k, *_ in got] == ["corroboration"]


def test_figures_marked_as_changed_over_time_are_not_a_conflict(links):
    got = links(
        "The storm killed 12 people on Sunday, police said.",
        "By Tuesday the death toll had risen to 19, police said.",
    )
    assert all(kind != "conflict" for kind, *_ in got)


def test_regional_contribution_is_not_the_national_subsidy(links):
    got = links(
        "The regional government will contribute €40 million to the battery factory.",
        "The national government is granting a €150 million subsidy for the battery factory.",
    )
    assert got == []


def test_company_staff_is_not_the_jobs_at_a_new_plant(links):
    got = links(
        "Nordvik, which employs 14,000 people worldwide, will open a plant in Ostrava.",
        "The new Nordvik plant in Ostrava will create 900 jobs.",
    )
    assert got == []


def test_distance_from_the_coast_is_not_the_depth(links):
    got = links(
        "The quake struck 30 km off the coast of Hokkaido at a depth of 10 km.",
        "The epicentre lay 45 km from the coast, at a depth of 10 km.",
    )
    kinds = {(ta, tb): kind for kind, ta, tb in got}
    assert kinds.get(("30 km", "10 km")) is None and kinds.get(("10 km", "45 km")) is None
    assert ("corroboration", "10 km", "10 km") in got
    assert ("conflict", "30 km", "45 km") in got


def test_money_in_two_currencies_only_with_the_article_own_conversion(links):
    got = links(
        "The club agreed a fee of £50 million, about $63 million, for the striker.",
        "The striker's transfer fee was $70 million.",
    )
    assert ("conflict", "about $63 million", "$70 million") in got  # the article's own conversion
    got = links(
        "The club agreed a fee of £50 million for the striker.",
        "The striker's transfer fee was $70 million.",
    )
    assert got == []  # no exchange rate is ever assumed


def test_different_measures_of_one_event_stay_apart(links):
    got = links(
        "The river peaked at 4.1 metres after 80mm of rain fell overnight.",
        "The river reached 4.1 metres; forecasters recorded 95 millimetres of rain.",
    )
    assert ("corroboration", "4.1 metres", "4.1 metres") in got
    assert ("conflict", "80mm", "95 millimetres") in got
    assert len(got) == 2


def test_one_player_fee_is_not_another_player_fee(links):
    got = links(
        "United signed Diaz for £62 million on Friday. Rivals City paid £35 million for the defender Okafor.",
        "Diaz joined United in a £62m deal. Okafor's move to City cost £40 million.",
    )
    assert ("corroboration", "£62 million", "£62m") in got
    assert ("conflict", "£35 million", "£40 million") in got
    assert len(got) == 2


def test_two_named_companies_figures_are_not_compared(links):
    got = links(
        "Acme Motors will invest $1.2 billion in the new plant, the company said on Monday.",
        "Helios Energy will invest $3 billion in the new plant, the company said on Monday.",
    )
    assert got == []
