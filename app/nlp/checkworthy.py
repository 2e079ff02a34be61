"""Check-worthiness scoring of sentences (runtime API).

Loads the spaCy ``textcat`` pipeline trained by :mod:`app.nlp.train_checkworthy`
on the ClaimBuster benchmark (Arslan et al., ICWSM 2020) and scores sentences
with the probability that they are *check-worthy factual sentences*.

This module has no Qt dependency and can be imported when the model is absent:
``CheckworthyModel.available`` is then ``False`` and :meth:`CheckworthyModel.score`
raises :class:`RuntimeError`.

Example::

    from app.nlp.checkworthy import load_default

    model = load_default()
    if model.available:
        for res in model.classify(["Unemployment rose by 12 percent in 2023."]):
            print(res.score, res.checkworthy)
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

log = logging.getLogger(__name__)

#: Label of the check-worthy class. The shipped pipeline is an ensemble of textcat
#: components (``textcat``, ``textcat_1``, ...) whose check-worthy labels are
#: ``CHECKWORTHY_0``, ``CHECKWORTHY_1``, ...; a single-model pipeline uses ``CHECKWORTHY``.
#: The score is the mean of those probabilities.
POSITIVE_LABEL = "CHECKWORTHY"
#: Threshold used when metrics.json is missing or has none.
DEFAULT_THRESHOLD = 0.5

_MODEL_SUBPATH = Path("resources") / "models" / "checkworthy"


def default_model_path() -> Path:
    """Location of the shipped model (repo checkout or PyInstaller bundle)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass) / _MODEL_SUBPATH
    return Path(__file__).resolve().parents[2] / _MODEL_SUBPATH


@dataclass(frozen=True)
class CheckworthyResult:
    """Score of one sentence: probability of being check-worthy, and the decision."""

    score: float
    checkworthy: bool


class CheckworthyModel:
    """Thin wrapper around the trained spaCy pipeline.

    Never raises on construction: if the directory is missing or cannot be loaded,
    :attr:`available` is ``False`` and :attr:`error` says why.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path: Path = Path(path) if path is not None else default_model_path()
        self.available: bool = False
        self.threshold: float = DEFAULT_THRESHOLD
        self.metrics: dict[str, Any] = {}
        self.error: str | None = None
        self._nlp: Any = None
        self._keys: list[str] = []
        self._load()

    def _load(self) -> None:
        if not (self.path / "config.cfg").is_file():
            self.error = f"check-worthiness model not found at {self.path}"
            return
        try:
            import spacy  # imported lazily: keeps `import app.nlp.checkworthy` cheap

            nlp = spacy.load(self.path)
            self._keys = positive_labels(nlp)
        except Exception as exc:  # noqa: BLE001 - any load failure means "unavailable"
            self.error = f"check-worthiness model at {self.path} could not be loaded: {exc}"
            log.warning(self.error)
            return
        metrics_file = self.path / "metrics.json"
        if metrics_file.is_file():
            try:
                self.metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
                self.threshold = float(self.metrics.get("threshold", DEFAULT_THRESHOLD))
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

    def score(self, texts: Sequence[str], batch_size: int = 256) -> list[float]:
        """Probability (0..1) that each text is a check-worthy factual claim."""
        nlp = self._require()
        if isinstance(texts, str):
            texts = [texts]
        clean = [t if isinstance(t, str) else str(t) for t in texts]
        keys, n = self._keys, float(len(self._keys))
        return [
            min(1.0, max(0.0, sum(doc.cats[k] for k in keys) / n))
            for doc in nlp.pipe(clean, batch_size=batch_size)
        ]

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


def positive_labels(nlp: Any) -> list[str]:
    """The check-worthy label of every text classifier in the pipeline."""
    keys: list[str] = []
    for name in nlp.pipe_names:
        for label in getattr(nlp.get_pipe(name), "labels", ()):
            if label == POSITIVE_LABEL or label.startswith(POSITIVE_LABEL + "_"):
                keys.append(label)
    if not keys:
        raise ValueError(f"no {POSITIVE_LABEL!r} label in pipeline components {nlp.pipe_names}")
    return keys


@functools.lru_cache(maxsize=1)
def load_default() -> CheckworthyModel:
    """The shipped model, loaded once per process."""
    return CheckworthyModel()


__all__ = [
    "CheckworthyModel",
    "CheckworthyResult",
    "POSITIVE_LABEL",
    "default_model_path",
    "positive_labels",
    "load_default",
]
