"""A reviewed project built from the two sample articles, without the NLP.

Claims, values and links are placed by hand (spans found in the article
text), and the review is done through ReviewService on a fixed clock, so the
project - and every export of it - is the same on every run and machine.

The review covers each case the fact sheet shows:

- an open conflict the reviewer marked, with a note (the investment: 15 million
  euros vs two billion euros);
- a resolved conflict (funds raised: $563 million vs $650 million, TechTarget preferred);
- a corroboration the reviewer confirmed (the $13 billion investment in OpenAI);
- a single-source fact with a date (Gemma, Feb. 21);
- an edited claim (the context window sentence, reworded, with a value);
- a rejected claim (the newsletter blurb) and two unreviewed suggestions.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from pathlib import Path

from claimdesk.core.model import CONFLICT, CORROBORATION, ORIGIN_SUGGESTED, Article, Claim, Link, Value
from claimdesk.services.review import ReviewService
from claimdesk.storage.project import Project

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "mistral-2024"
NOW = _dt.datetime(2024, 2, 28, 12, 0, tzinfo=_dt.timezone.utc)
REVIEWER = "Dana Reyes"
STORY = "Microsoft's 2024 deal with Mistral AI"
URL = "https://factcheck.example.org/2024/microsoft-mistral"


class Clock:
    """now_iso() for ReviewService: one minute later on every call, from 2024-02-28 09:00 UTC."""

    def __init__(self) -> None:
        self.t = _dt.datetime(2024, 2, 28, 9, 0, tzinfo=_dt.timezone.utc)

    def __call__(self) -> str:
        self.t += _dt.timedelta(minutes=1)
        return self.t.isoformat(timespec="milliseconds")


def sample_texts() -> list[tuple[str, str]]:
    """(file name, text) of the two sample articles, their "date" header line removed."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        text = re.sub(r"^date \d{4}-\d{2}-\d{2}\s+", "", text)
        out.append((path.name, text))
    return out


def _article(name: str, text: str, **meta) -> Article:
    return Article(
        text=text, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source_path=f"resources/samples/mistral-2024/{name}", imported_at="2024-02-28T08:00:00.000+00:00",
        language="en", **meta,
    )


def _span(text: str, phrase: str, within: tuple[int, int] | None = None) -> tuple[int, int]:
    lo = within[0] if within else 0
    start = text.index(phrase, lo)
    if within and start + len(phrase) > within[1]:
        raise ValueError(f"{phrase!r} is not inside the claim")
    return start, start + len(phrase)


def _claim(article_id: int, text: str, sentence: str, kind: str, *, subject: str | None,
           attribution: str | None = None, values: list[dict] = ()) -> Claim:
    start, end = _span(text, sentence)
    vals = []
    for v in values:
        v = dict(v)
        vs, ve = _span(text, v.pop("phrase"), (start, end))
        vals.append(Value(start=vs, end=ve, text=text[vs:ve], rule="golden", **v))
    return Claim(article_id=article_id, start=start, end=end, text=text[start:end], kind=kind, score=0.9,
                 subject=subject, attribution=attribution, values=vals, rule="golden")


def build(path: str | Path, monkeypatch) -> dict[str, int]:
    """Create the reviewed project at ``path``; returns the ids of its claims and links by name."""
    monkeypatch.setattr("claimdesk.services.review.now_iso", Clock())
    (n1, t1), (n2, t2) = sample_texts()
    project = Project(path)
    project.set_setting("story", STORY)
    project.set_setting("reviewer", REVIEWER)
    project.set_setting("url", URL)
    a1, _ = project.add_article(_article(
        n1, t1, title="Microsoft inks deal with Mistral, its first AI partner not named OpenAI",
        outlet="Tech Brew"))
    a2, _ = project.add_article(_article(
        n2, t2, title="Microsoft invests in Mistral AI, OpenAI competitor", outlet="TechTarget",
        published="2024-02-26"))

    ids: dict[str, int] = {}

    def add(name: str, claim: Claim) -> None:
        ids[name] = project.add_claim(claim)

    add("investment_1", _claim(
        a1, t1, "Microsoft is also reportedly making an investment of 15 million euros—about $16 million—which "
        "will convert into equity in Mistral upon its next funding round.", "money", subject="microsoft",
        attribution="unnamed sources (reportedly)", values=[
            dict(phrase="15 million euros", type="money", amount=15e6, unit="EUR", attribute="investment",
                 subject="microsoft"),
            dict(phrase="about $16 million", type="money", amount=16e6, unit="USD", bound="approx",
                 attribute="investment", subject="microsoft", role="conversion"),
        ]))
    add("openai_1", _claim(
        a1, t1, "The partnership could signal a willingness on the part of Microsoft to branch out beyond its "
        "blockbuster partnership with OpenAI, to which it has reportedly committed $13 billion.", "money",
        subject="microsoft", attribution="unnamed sources (reportedly)", values=[
            dict(phrase="$13 billion", type="money", amount=13e9, unit="USD", attribute="investment",
                 subject="openai"),
        ]))
    add("raised_1", _claim(
        a1, t1, "Despite being a little less than a year old, Mistral has already raised a whopping $563 million "
        "at a valuation of over $2 billion, according to Pitchbook.", "money", subject="mistral",
        attribution="Pitchbook", values=[
            dict(phrase="$563 million", type="money", amount=563e6, unit="USD", attribute="funds_raised",
                 subject="mistral"),
            dict(phrase="over $2 billion", type="money", amount=2e9, unit="USD", bound="at_least",
                 attribute="valuation", subject="mistral"),
        ]))
    add("aws_1", _claim(
        a1, t1, "The Microsoft announcement also comes a week after Amazon Web Services said it would be adding "
        "Mistral’s models to its Amazon Bedrock platform", "duration", subject="amazon web services",
        values=[dict(phrase="a week", type="duration", amount=1, unit="week")]))
    add("newsletter_1", _claim(
        a1, t1, "Tech Brew keeps business leaders up-to-date on the latest innovations, automation advances, "
        "policy shifts, and more, so they can make informed decisions about tech.", "other", subject=None))

    add("investment_2", _claim(
        a2, t2, "On Monday, Microsoft revealed it will pump two billion euros, or about $2.1 billion, into the "
        "fast-growing open source AI vendor in the form of Azure AI supercomputing infrastructure.", "money",
        subject="microsoft", attribution="Microsoft", values=[
            dict(phrase="two billion euros", type="money", amount=2e9, unit="EUR", attribute="investment",
                 subject="microsoft"),
            dict(phrase="about $2.1 billion", type="money", amount=2.1e9, unit="USD", bound="approx",
                 attribute="investment", subject="microsoft", role="conversion"),
        ]))
    add("raised_2", _claim(
        a2, t2, "The partnership Microsoft and the AI startup -- which has raised $650 million and achieved a "
        "valuation of more than $2 billion since its founding last year -- will also collaborate on training "
        "purpose-specific models for certain customers such as those in the European public sector, the cloud "
        "vendor said.", "money", subject="mistral", attribution="the cloud vendor (Microsoft)", values=[
            dict(phrase="$650 million", type="money", amount=650e6, unit="USD", attribute="funds_raised",
                 subject="mistral"),
            dict(phrase="more than $2 billion", type="money", amount=2e9, unit="USD", bound="at_least",
                 attribute="valuation", subject="mistral"),
        ]))
    add("openai_2", _claim(
        a2, t2, "The investment in the upstart generative AI vendor, based in Paris, comes as Microsoft faces "
        "scrutiny from officials in the U.S, U.K. and European Union over its $13 billion investment in OpenAI",
        "money", subject="microsoft", values=[
            dict(phrase="$13 billion", type="money", amount=13e9, unit="USD", attribute="investment",
                 subject="openai"),
        ]))
    add("context_2", _claim(
        a2, t2, "It also has a 32k-token context window (the space a generative AI model uses to contain text or "
        "image data).", "count", subject="mistral large", values=[
            dict(phrase="32k-token", type="count", amount=32000, unit="token", attribute="context_window"),
        ]))
    add("gemma_2", _claim(
        a2, t2, "Microsoft's closest competitor in the generative AI race, Google, introduced its open source "
        "model Gemma on Feb. 21.", "date", subject="google", values=[
            dict(phrase="Feb. 21", type="date", amount=None, date="2024-02-21", attribute="release",
                 subject="google"),
        ]))
    add("bedrock_2", _claim(
        a2, t2, "Moreover, on Feb. 23, AWS, another Microsoft rival, revealed that two Mistral models, Mistral 7B "
        "and Mistral 8x7B will soon be available on Amazon Bedrock.", "count", subject="aws", values=[
            dict(phrase="two", type="count", amount=2, unit="model", subject="mistral"),
        ]))

    def link(name: str, a: str, b: str, kind: str, a_phrase: str, b_phrase: str, reason: str, conf: float):
        ca, cb = project.claim(ids[a]), project.claim(ids[b])
        sa = next((v.start, v.end) for v in ca.values if v.text == a_phrase)
        sb = next((v.start, v.end) for v in cb.values if v.text == b_phrase)
        ids[name] = project.add_link(Link(
            claim_a=ca.id, claim_b=cb.id, kind=kind, a_span=sa, b_span=sb, reason=reason, confidence=conf,
            origin=ORIGIN_SUGGESTED))

    link("investment_link", "investment_1", "investment_2", CONFLICT, "15 million euros", "two billion euros",
         "Microsoft's investment: 15 million EUR vs 2 billion EUR", 0.73)
    link("openai_link", "openai_1", "openai_2", CORROBORATION, "$13 billion", "$13 billion",
         "Openai's investment: 13 billion USD agrees with 13 billion USD", 0.93)
    link("raised_link", "raised_1", "raised_2", CONFLICT, "$563 million", "$650 million",
         "Mistral's funds raised: 563 million USD vs 650 million USD", 0.7)

    review = ReviewService(project)
    review.mark_conflict(
        ids["investment_1"], ids["investment_2"],
        "Tech Brew cites unnamed sources for 15 million euros; TechTarget's two billion euros is Azure computing "
        "capacity. Asked Microsoft's press office which figure is the cash investment.")
    review.confirm_link(ids["openai_link"])
    review.note("Both articles give the same figure for the earlier OpenAI deal.", claim_id=ids["openai_1"])
    review.resolve_link(
        ids["raised_link"], ids["raised_2"],
        "Pitchbook's $563 million predates the latest round; TechTarget's $650 million is the newer total.")
    review.confirm(ids["gemma_2"])
    context = project.claim(ids["context_2"])
    vs, ve = context.values[0].start, context.values[0].end
    review.edit(ids["context_2"], text="Mistral Large has a 32k-token context window.", values=[
        Value(start=vs, end=ve, text="32k-token", type="count", amount=32000, unit="token",
              attribute="context_window", subject="mistral large", rule="reviewer"),
    ])
    review.reject(ids["newsletter_1"])
    project.close()
    return ids


# -- small projects for the unit tests ------------------------------------------------------------


def new_project(path: str | Path, *texts: str, titles: list[str] | None = None, **settings: str) -> tuple[Project, list[int]]:
    """A project holding ``texts`` as articles (and ``settings``); returns it open with the article ids."""
    project = Project(path)
    for key, value in settings.items():
        project.set_setting(key, value)
    ids = []
    for n, text in enumerate(texts):
        title = titles[n] if titles else f"Article {n + 1}"
        aid, _ = project.add_article(Article(
            text=text, title=title, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            imported_at="2024-01-01T00:00:00.000+00:00"))
        ids.append(aid)
    return project, ids


def add_claim(project: Project, article_id: int, phrase: str, *, values: list[dict] = (), **fields) -> int:
    """A suggested claim on ``phrase`` in the article; each value dict names its own ``phrase``."""
    text = project.article(article_id).text
    start, end = _span(text, phrase)
    vals = []
    for v in values:
        v = dict(v)
        vs, ve = _span(text, v.pop("phrase"), (start, end))
        vals.append(Value(start=vs, end=ve, text=text[vs:ve], **v))
    fields.setdefault("kind", "money")
    fields.setdefault("score", 0.8)
    return project.add_claim(Claim(article_id=article_id, start=start, end=end, text=text[start:end],
                                   values=vals, **fields))


def add_link(project: Project, a: int, b: int, kind: str, *, status: str = "open") -> int:
    ca, cb = project.claim(a), project.claim(b)
    sa = (ca.values[0].start, ca.values[0].end) if ca.values else None
    sb = (cb.values[0].start, cb.values[0].end) if cb.values else None
    return project.add_link(Link(claim_a=a, claim_b=b, kind=kind, a_span=sa, b_span=sb,
                                 reason=f"{kind} found by the test", confidence=0.8, status=status))
