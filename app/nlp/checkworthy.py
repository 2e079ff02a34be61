"""Check-worthiness scoring of sentences (runtime API).

Loads the spaCy ``textcat`` pipeline trained by :mod:`claimdesk.nlp.train_checkworthy`
on the ClaimBuster benchmark (Arslan et al., ICWSM 2020) and scores sentences
with the probability that they are *check-worthy factual sentences*.

This module has no Qt dependency and can be imported when the model is absent:
``CheckworthyModel.available`` is then ``False`` and :meth:`CheckworthyModel.score`
raises :class:`RuntimeError`.

Example::

    from claimdesk.nlp.checkworthy import load_default

    model = load_default()
    if model.available:
        for res in model.classify(["Unemployment rose by 12 percent in 2023."]):
            print(res.score, res.checkworthy)
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

log = logging.getLogger(__name__)

#: Label of the check-worthy class. The shipped pipeline is an ensemble of textcat
#: components (``textcat``, ``textcat_1``, ...) whose check-worthy labels are
#: ``CHECKWORTHY_0``, ``CHECKWORTHY_1``, ...; a single-model pipeline uses ``CHECKWORTHY``.
#: The score is the mean of those probabilities.
POSITIVE_LABEL = "CHECKWORTHY"
#: Label of the CheckThat! head: "fact-checkers chose this line" (absent from older models).
CHECKTHAT_LABEL = "CHECKTHAT"
#: Score factor of speech broken off at its end.
CUT_OFF_FACTOR = 0.5
#: Threshold used when metrics.json is missing or has none.
DEFAULT_THRESHOLD = 0.5

#: Where the shipped model lives among the resources (see :func:`default_model_path`).
MODEL_RESOURCE = ("models", "checkworthy")

# -- text normalisation (shared by training and scoring) -------------------------------------
# A speaker tag opening a transcript line: "HOLT:", "MR. TRUMP:", "Q:", "SEN. SANDERS (D-VT):".
_SPEAKER_TAG = re.compile(r"""^\s*(?:Q|A|(?:[A-Z][A-Z.'\-]*\s){0,3}[A-Z][A-Z.'\-]+(?:\s*\([^)]{0,30}\))?)\s*:\s+(?=[A-Z0-9"'\u201c\u2018(]|$)""")
# An interruption: two or more hyphens, or an en/em dash, where speech breaks off.
_DASH = re.compile(r"\s*(?:-{2,}|[\u2013\u2014])\s*")
# Speech that trails off or is cut off at the end: "We need--", "But it...", "Look \u2014".
_CUT_OFF = re.compile(r"(?:-{2,}|[\u2013\u2014]|\.\.\.|\u2026)[\s\"'\u201d\u2019)]*$")


def _join(before: str, after: str) -> str:
    """Join the pieces around an interruption; a restart keeps only its second try.

    "I" + "I worked hard" -> "I worked hard"; "They left" + "fired 1,400" -> "They left, fired 1,400".
    """
    bw, aw = before.split(), after.split()
    key = lambda ws: [w.lower().strip(",.;:") for w in ws]  # noqa: E731
    for n in (3, 2, 1):
        if len(bw) >= n and len(aw) >= n and key(bw[-n:]) == key(aw[:n]):
            return " ".join(bw[:-n] + aw)
    if not before:
        return after
    if not after:
        return before
    return f"{before}, {after}" if before[-1].isalnum() else f"{before} {after}"


def normalize(text: str) -> str:
    """The text the classifier scores: no speaker tag, no interruption dashes, no restarts.

    "HOLT: And-- but--" -> "And, but"; "I -- I worked hard" -> "I worked hard";
    "15 million euros\u2014about $16 million" -> "15 million euros, about $16 million".
    """
    if not isinstance(text, str):
        text = str(text)
    text = _SPEAKER_TAG.sub("", text, count=1)
    out = ""
    for part in _DASH.split(text):
        out = _join(out, part.strip())
    out = re.sub(r"(?:\.\.\.|\u2026)+", " ", out)
    return re.sub(r"\s+", " ", out).strip(" ,;")


def is_cut_off(text: str) -> bool:
    """True for speech broken off at its end ("We need--", "If I could..."): an unfinished sentence."""
    return bool(_CUT_OFF.search(text or ""))


def default_model_path() -> Path:
    """Location of the shipped model (repo checkout or PyInstaller bundle): the one definition of it."""
    from claimdesk.paths import resource

    return resource(*MODEL_RESOURCE)


@dataclass(frozen=True)
class CheckworthyResult:
    """Score of one sentence: probability of being check-worthy, and the decision."""

    score: float
    checkworthy: bool


class CheckworthyModel:
    """Thin wrapper around the trained spaCy pipeline.

    Never raises on construction: if the directory is missing or cannot be loaded,
    :attr:`available` is ``False`` and :attr:`error` says why.

    The score of a sentence is ``(mean P(CHECKWORTHY_i) + w * mean P(CHECKTHAT_i)) / (1 + w)`` over
    the pipeline's members (``w`` = ``checkthat_weight``; a weighted mean, so it stays in 0..1 and
    never saturates), computed on :func:`normalize`'d text; both the
    weight and the threshold come from ``metrics.json`` unless given.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        threshold: float | None = None,
        checkthat_weight: float | None = None,
    ) -> None:
        self.path: Path = Path(path) if path is not None else default_model_path()
        self.available: bool = False
        self.threshold: float = DEFAULT_THRESHOLD
        self.checkthat_weight: float = 0.0
        self.metrics: dict[str, Any] = {}
        self.error: str | None = None
        self._nlp: Any = None
        self._keys: list[str] = []
        self._ct_keys: list[str] = []
        self._load()
        if threshold is not None:
            self.threshold = float(threshold)
        if checkthat_weight is not None:
            self.checkthat_weight = float(checkthat_weight)

    def _load(self) -> None:
        if not (self.path / "config.cfg").is_file():
            self.error = f"check-worthiness model not found at {self.path}"
            return
        try:
            import spacy  # imported lazily: keeps `import claimdesk.nlp.checkworthy` cheap

            register_spacy_functions()
            nlp = spacy.load(self.path)
            self._keys = positive_labels(nlp)
            self._ct_keys = positive_labels(nlp, CHECKTHAT_LABEL, required=False)
        except Exception as exc:  # noqa: BLE001 - any load failure means "unavailable"
            self.error = f"check-worthiness model at {self.path} could not be loaded: {exc}"
            log.warning(self.error)
            return
        metrics_file = self.path / "metrics.json"
        if metrics_file.is_file():
            try:
                self.metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
                self.threshold = float(self.metrics.get("threshold", DEFAULT_THRESHOLD))
                self.checkthat_weight = float(self.metrics.get("checkthat_weight", 0.0))
            except (ValueError, TypeError, OSError) as exc:
                log.warning("unreadable %s (%s); using threshold %s", metrics_file, exc, DEFAULT_THRESHOLD)
        self._nlp = nlp
        self.available = True

    def _require(self) -> Any:
        if not self.available or self._nlp is None:
            msg = f"check-worthiness model not found at {self.path}"
            if self.error and self.error != msg:
                msg += f" ({self.error})"
            raise RuntimeError(msg)
        return self._nlp

    def label_scores(self, texts: Sequence[str], batch_size: int = 256) -> tuple[list[float], list[float]]:
        """Mean P(CHECKWORTHY_i) and mean P(CHECKTHAT_i) of each text (0 when the pipeline has none).

        Texts are :func:`normalize`'d first; a text with nothing left scores 0.
        """
        nlp = self._require()
        if isinstance(texts, str):
            texts = [texts]
        clean = [normalize(t) for t in texts]
        todo = [i for i, t in enumerate(clean) if t]
        cw = [0.0] * len(clean)
        ct = [0.0] * len(clean)
        keys, ct_keys = self._keys, self._ct_keys
        for i, doc in zip(todo, nlp.pipe((clean[i] for i in todo), batch_size=batch_size)):
            cats = doc.cats
            cw[i] = sum(cats[k] for k in keys) / len(keys)
            if ct_keys:
                ct[i] = sum(cats[k] for k in ct_keys) / len(ct_keys)
        return cw, ct

    def score(self, texts: Sequence[str], batch_size: int = 256) -> list[float]:
        """Probability-like score (0..1) that each text is a check-worthy factual claim.

        Speech broken off at its end ("We need--", "And-- but--") is an unfinished sentence:
        its score is halved, so such fragments never outrank the sentences they interrupt.
        """
        if isinstance(texts, str):
            texts = [texts]
        raw = [t if isinstance(t, str) else str(t) for t in texts]
        cw, ct = self.label_scores(raw, batch_size=batch_size)
        w = self.checkthat_weight
        out = []
        for text, a, b in zip(raw, cw, ct):
            s = min(1.0, max(0.0, (a + w * b) / (1.0 + w)))
            if is_cut_off(text):
                s *= CUT_OFF_FACTOR
            out.append(s)
        return out

    def classify(self, texts: Sequence[str] | Iterable[str], batch_size: int = 256) -> list[CheckworthyResult]:
        """Score texts and apply the threshold chosen on the dev split."""
        seq = [texts] if isinstance(texts, str) else list(texts)
        return [
            CheckworthyResult(score=s, checkworthy=s >= self.threshold)
            for s in self.score(seq, batch_size=batch_size)
        ]

    def __repr__(self) -> str:
        state = "available" if self.available else "unavailable"
        return f"CheckworthyModel({str(self.path)!r}, {state}, threshold={self.threshold:.3f})"


def positive_labels(nlp: Any, label: str = POSITIVE_LABEL, *, required: bool = True) -> list[str]:
    """``label`` (or ``label_i``) of every text classifier in the pipeline."""
    keys: list[str] = []
    for name in nlp.pipe_names:
        for lab in getattr(nlp.get_pipe(name), "labels", ()):
            if lab == label or lab.startswith(label + "_"):
                keys.append(lab)
    if not keys and required:
        raise ValueError(f"no {label!r} label in pipeline components {nlp.pipe_names}")
    return keys


# -- the dev score spaCy's trainer selects the checkpoint by ----------------------------------
#: Name of the scorer in spaCy's registry (a member's ``scorer`` in the training config).
SCORER_NAME = "claimdesk.checkworthy_scorer.v1"
#: Threshold grid of the ensemble's best F1 (what ``spacy find-threshold`` searches).
THRESHOLD_GRID = tuple(round(0.01 * i, 2) for i in range(101))


def best_f1(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """(F1, threshold) of the grid threshold with the highest F1 of the positive class (ties: lowest)."""
    positives = sum(1 for g in gold if g)
    best = (0.0, 0.5)
    for t in THRESHOLD_GRID:
        tp = fp = 0
        for g, s in zip(gold, scores):
            if s >= t:
                if g:
                    tp += 1
                else:
                    fp += 1
        f1 = 2 * tp / (tp + fp + positives) if tp else 0.0
        if f1 > best[0]:
            best = (f1, t)
    return best


def ensemble_dev_scores(examples: Iterable[Any]) -> dict[str, float]:
    """The ensemble's check-worthy F1 on the ClaimBuster sentences of ``examples``.

    A ClaimBuster sentence is one whose gold cats have a ``CHECKWORTHY`` label and no
    ``CHECKTHAT`` label; its score is the mean of the predicted ``CHECKWORTHY_i`` (the score
    :class:`CheckworthyModel` gives with ``checkthat_weight`` 0, before the cut-off rule).
    Returns ``cats_checkworthy_f1`` (at the best grid threshold) and that threshold, and
    ``cats_checkthat_map``: the mean average precision, per debate (``user_data["group"]`` of the gold
    doc), of the mean predicted ``CHECKTHAT_i`` on the lines with a CheckThat label.
    """
    gold: list[bool] = []
    scores: list[float] = []
    ranked: dict[str, list[tuple[float, bool]]] = {}
    for eg in examples:
        ref = eg.reference.cats
        ct_gold = [k for k in ref if k == CHECKTHAT_LABEL or k.startswith(CHECKTHAT_LABEL + "_")]
        ct_pred = [k for k in eg.predicted.cats if k == CHECKTHAT_LABEL or k.startswith(CHECKTHAT_LABEL + "_")]
        if ct_gold and ct_pred:
            group = str(eg.reference.user_data.get("group", "")) if eg.reference.user_data else ""
            ranked.setdefault(group, []).append(
                (sum(eg.predicted.cats[k] for k in ct_pred) / len(ct_pred), ref[ct_gold[0]] >= 0.5))
        keys = [k for k in ref if k == POSITIVE_LABEL or k.startswith(POSITIVE_LABEL + "_")]
        if not keys or any(k == CHECKTHAT_LABEL or k.startswith(CHECKTHAT_LABEL + "_") for k in ref):
            continue
        pred = eg.predicted.cats
        pk = [k for k in pred if k == POSITIVE_LABEL or k.startswith(POSITIVE_LABEL + "_")]
        if not pk:
            continue
        gold.append(ref[keys[0]] >= 0.5)
        scores.append(sum(pred[k] for k in pk) / len(pk))
    f1, t = best_f1(gold, scores) if gold else (0.0, 0.5)
    aps = []
    for lines in ranked.values():
        positives = sum(1 for _, g in lines if g)
        if not positives:
            continue
        hits, total = 0, 0.0
        for rank, (_, g) in enumerate(sorted(lines, key=lambda x: -x[0]), 1):
            if g:
                hits += 1
                total += hits / rank
        aps.append(total / positives)
    return {"cats_checkworthy_f1": f1, "cats_checkworthy_threshold": t,
            "cats_checkthat_map": sum(aps) / len(aps) if aps else 0.0}


def checkworthy_score(examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
    """A ``textcat_multilabel`` member's scores (as spaCy's own scorer) plus :func:`ensemble_dev_scores`."""
    from spacy.scorer import Scorer

    examples = list(examples)
    out = Scorer.score_cats(examples, "cats", multi_label=True, **kwargs)
    out.update(ensemble_dev_scores(examples))
    return out


def _make_checkworthy_scorer():
    return checkworthy_score


def register_spacy_functions() -> None:
    """Put :data:`SCORER_NAME` in spaCy's registry (``spacy train --code`` and loading need it)."""
    from spacy.util import registry

    if SCORER_NAME not in registry.scorers.get_all():
        registry.scorers.register(SCORER_NAME, func=_make_checkworthy_scorer)


@functools.lru_cache(maxsize=1)
def load_default() -> CheckworthyModel:
    """The shipped model, loaded once per process."""
    return CheckworthyModel()


__all__ = [
    "CheckworthyModel",
    "CheckworthyResult",
    "POSITIVE_LABEL",
    "CHECKTHAT_LABEL",
    "normalize",
    "is_cut_off",
    "default_model_path",
    "positive_labels",
    "load_default",
    "register_spacy_functions",
    "ensemble_dev_scores",
]
