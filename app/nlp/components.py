"""Claimdesk's spaCy components.

- ``claimdesk_values``: every value in the text (money, counts, dates, ...) as
  ``doc.spans["claimdesk_values"]``, with the plain :class:`Value` objects in
  ``doc.user_data["claimdesk_values"]``.
- ``claimdesk_cues``: cue phrases (attribution, ranking, comparison, event,
  change over time, boilerplate) from ``resources/patterns/cues.jsonl`` as
  ``doc.spans["claimdesk_cues"]``; each span's ``id_`` names the rule.
- ``claimdesk_attributes``: for each value, what it measures (from
  ``resources/patterns/attributes.jsonl``), whose value it is, and whether the
  text marks it as changed over time. Uses the dependency parse when the
  pipeline has one, word distance otherwise.

Nothing here leaves the NLP package as a spaCy object: :mod:`claimdesk.nlp.suggest`
turns the results into plain dataclasses.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from claimdesk.core.model import Value
from claimdesk.nlp.values import read_values
from claimdesk.paths import resource

VALUES_KEY = "claimdesk_values"
CUES_KEY = "claimdesk_cues"


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@lru_cache(maxsize=1)
def attribute_lexicon() -> dict[str, list[tuple[str, frozenset[str] | None]]]:
    """lemma -> [(attribute, value types it applies to or None for any)], in file order."""
    out: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
    for row in load_jsonl(resource("patterns", "attributes.jsonl")):
        types = frozenset(row["types"]) if row.get("types") else None
        for lemma in row["lemmas"]:
            out.setdefault(lemma.lower(), []).append((row["attribute"], types))
    return out


def lookup_attribute(lexicon, word: str, value_type: str) -> str | None:
    for attribute, types in lexicon.get(word, ()):
        if types is None or value_type in types:
            return attribute
    return None


def naive_lemmas(word: str) -> list[str]:
    """Candidate lemmas for pipelines without a lemmatizer (rules-only mode), likeliest first."""
    w = word.lower()
    out = [w]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""),
                         ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            out.append(w[: -len(suffix)] + repl)
    return out


def naive_lemma(word: str) -> str:
    return naive_lemmas(word)[-1]


def token_lemma(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else naive_lemma(tok.text)


# -- claimdesk_values ----------------------------------------------------------------


def set_doc_values(doc: Doc, values: list[Value]) -> None:
    """Keep values on the Doc as plain dicts, so Docs can cross process boundaries (n_process)."""
    doc.user_data[VALUES_KEY] = [v.to_dict() for v in values]


def doc_values(doc: Doc) -> list[Value]:
    return [Value.from_dict(d) for d in doc.user_data.get(VALUES_KEY, [])]


@Language.factory("claimdesk_values", default_config={})
def make_values(nlp: Language, name: str) -> "ValuesComponent":
    return ValuesComponent()


class ValuesComponent:
    """Reads values with :func:`claimdesk.nlp.values.read_values`; offsets are the Doc's."""

    def __call__(self, doc: Doc) -> Doc:
        values = read_values(doc.text, published=doc.user_data.get("published"))
        spans = []
        for v in values:
            span = doc.char_span(v.start, v.end, label=v.type, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[VALUES_KEY] = spans
        set_doc_values(doc, values)
        return doc


# -- claimdesk_cues ------------------------------------------------------------------------


@Language.factory("claimdesk_cues", default_config={"patterns_path": None})
def make_cues(nlp: Language, name: str, patterns_path: str | None) -> "CuesComponent":
    return CuesComponent(nlp, Path(patterns_path) if patterns_path else resource("patterns", "cues.jsonl"))


class CuesComponent:
    def __init__(self, nlp: Language, path: Path):
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.labels: dict[str, str] = {}
        for row in load_jsonl(path):
            self.matcher.add(row["id"], [row["pattern"]])
            self.labels[row["id"]] = row["label"]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            rule = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label=self.labels[rule], span_id=rule))
        doc.spans[CUES_KEY] = spans
        return doc


# -- claimdesk_attributes -------------------------------------------------------------------


@Language.factory("claimdesk_attributes", default_config={"max_distance": 8})
def make_attributes(nlp: Language, name: str, max_distance: int) -> "AttributesComponent":
    return AttributesComponent(max_distance)


def _ancestors_path(tok: Token) -> list[Token]:
    path = [tok]
    while path[-1].head.i != path[-1].i and len(path) < 64:
        path.append(path[-1].head)
    return path


def tree_distance(a: Token, b: Token) -> float:
    """Edges between two tokens in the parse; crossing into a coordinated clause costs more."""
    pa, pb = _ancestors_path(a), _ancestors_path(b)
    index_a = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in index_a:
            below = pa[: index_a[t.i]] + pb[:n]
            clauses = sum(1 for x in below if x.dep_ == "conj" and x.pos_ in ("VERB", "AUX"))
            return index_a[t.i] + n + 2 * clauses
    return abs(a.i - b.i) + 10


class AttributesComponent:
    def __init__(self, max_distance: int):
        self.max_distance = max_distance

    def __call__(self, doc: Doc) -> Doc:
        values = doc_values(doc)
        if not values:
            return doc
        lexicon = attribute_lexicon()
        parsed = doc.has_annotation("DEP")
        change_tokens = {
            t.i for span in doc.spans.get(CUES_KEY, []) if span.label_ == "change" for t in span
        }
        value_tokens: set[int] = set()
        spans = []
        for v in values:
            span = doc.char_span(v.start, v.end, alignment_mode="expand")
            spans.append(span)
            if span is not None:
                value_tokens.update(range(span.start, span.end))
        for v, span in zip(values, spans):
            if span is None:
                continue
            sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
            root = span.root
            # The noun a count belongs to: "1,500 construction jobs" counts jobs.
            if v.type == "count" and parsed and root.dep_ == "nummod" and root.head.pos_ in ("NOUN", "PROPN"):
                v.unit = token_lemma(root.head)
            v.attribute = self._attribute(v, span, sent, root, lexicon, parsed, value_tokens)
            v.subject = _agent_subject(span, root) if parsed else None  # whose figure: needs the parse
            v.changing = any(
                i in change_tokens for i in range(max(sent.start, span.start - 4), span.start)
            )
        set_doc_values(doc, values)
        return doc

    def _attribute(self, v, span, sent, root, lexicon, parsed, value_tokens) -> str | None:
        if v.unit == "magnitude":
            return "magnitude"
        if v.type == "age":
            return "age"
        if v.type == "time":
            return "event_time"  # a time of day in a story is when its event happened
        best: tuple[float, str] | None = None
        for tok in sent:
            if tok.i in value_tokens and not (span.start <= tok.i < span.end and v.type == "count"):
                continue
            if tok.lemma_:
                attr = lookup_attribute(lexicon, tok.lemma_.lower(), v.type)
            else:
                attr = next(filter(None, (lookup_attribute(lexicon, w, v.type) for w in naive_lemmas(tok.text))), None)
            if attr is None:
                continue
            if parsed:
                dist = tree_distance(root, tok) + abs(tok.i - root.i) / 100
                if _of_related(root, tok):
                    dist = min(dist, 1 - 0.5 / (1 + abs(tok.i - root.i)))
                if v.type == "count" and tok.i == root.i:
                    # The counted noun ("1,200 workers") says less than the verb
                    # governing it ("will employ 1,200 workers"), more than anything further.
                    dist = 1.5
            else:
                dist = abs(tok.i - root.i) * 0.5
            if dist > self.max_distance:
                continue
            if attr == "workforce" and _future(tok):
                attr = "jobs"  # "the plant will employ 900": jobs to come, not today's staff
            if best is None or dist < best[0]:
                best = (dist, attr)
        return best[1] if best else None


def _future(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    verb = tok
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "to") for c in verb.children)


def _of_related(a: Token, b: Token) -> bool:
    """ "120mm of rain", "an investment of 15 million": tied by "of"."""
    for x, y in ((a, b), (b, a)):
        if x.dep_ == "pobj" and x.head.lower_ == "of" and x.head.head.i == y.i:
            return True
    return False


def name_span(tok: Token) -> Span | None:
    """The name a token is part of: the run of proper nouns around it ("Eastfield City Council").

    The pipeline runs without NER (suggest.build_pipeline excludes it), so names come from the
    tagger's proper nouns."""
    doc = tok.doc
    if tok.pos_ != "PROPN":
        return None
    start, end = tok.i, tok.i + 1
    sent_start = tok.sent.start if doc.has_annotation("SENT_START") else 0
    while start > sent_start and doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _entity_of(tok: Token) -> str | None:
    span = name_span(tok)
    if span is not None:
        return entity_key(span.text)
    # "the Nordvik plant": a head noun whose compound modifier is a name
    for child in tok.children:
        if child.dep_ == "compound" and name_span(child) is not None:
            return _entity_of(child)
    return None


def _agent_subject(span: Span, root: Token) -> str | None:
    """Whose figure it is: the named subject of the verb the value hangs on,
    else a named possessor ("Microsoft's investment"), else None.

    Pronouns and generic nouns ("the startup") stay unresolved: a wrong
    subject would hide a real conflict, an unknown one only weakens a match.
    """
    tok = root
    for _ in range(6):
        for child in tok.children:
            if child.dep_ == "poss" and not (span.start <= child.i < span.end):
                ent = _entity_of(child)
                if ent:
                    return ent
        if tok.pos_ in ("VERB", "AUX"):
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return _entity_of(child)
            if tok.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl"):
                return None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def entity_key(name: str) -> str:
    """A name as it reads, without a possessive or article: "the Microsoft’s" -> "Microsoft"."""
    key = name.strip().replace("’", "'")
    for suffix in ("'s", "'"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    key = key.removeprefix("the ").removeprefix("The ")
    return " ".join(key.split())
