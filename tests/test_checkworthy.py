"""Tests for the check-worthiness classifier (uses the shipped model; never retrains)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.nlp.checkworthy import CheckworthyModel, CheckworthyResult, default_model_path, load_default

MODEL_DIR = Path(__file__).resolve().parents[1] / "resources" / "models" / "checkworthy"

CHECKWORTHY = "Unemployment rose by 12 percent in 2023, according to official figures."
NOT_CHECKWORTHY = "Thank you very much, it is great to be here tonight."


@pytest.fixture(scope="module")
def model() -> CheckworthyModel:
    m = CheckworthyModel(MODEL_DIR)
    assert m.available, m.error
    return m


@pytest.fixture(scope="module")
def metrics() -> dict:
    return json.loads((MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))


def test_default_path_points_at_shipped_model():
    assert default_model_path() == MODEL_DIR


def test_model_loads(model):
    assert model.available
    assert 0.0 < model.threshold < 1.0


def test_load_default_is_cached():
    assert load_default() is load_default()
    assert load_default().available


def test_scores_in_unit_interval(model):
    texts = [CHECKWORTHY, NOT_CHECKWORTHY, "", "   ", "We spent $3 billion.", "Why?"]
    scores = model.score(texts)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_obvious_examples(model):
    pos, neg = model.score([CHECKWORTHY, NOT_CHECKWORTHY])
    assert pos >= model.threshold, (pos, model.threshold)
    assert neg < model.threshold, (neg, model.threshold)


def test_classify(model):
    results = model.classify([CHECKWORTHY, NOT_CHECKWORTHY])
    assert all(isinstance(r, CheckworthyResult) for r in results)
    assert [r.checkworthy for r in results] == [True, False]
    assert model.classify([]) == []


def test_scoring_is_deterministic_and_batch_independent(model):
    texts = [CHECKWORTHY, NOT_CHECKWORTHY] * 3
    assert model.score(texts, batch_size=1) == pytest.approx(model.score(texts, batch_size=256))


def test_metrics_meet_target(metrics, model):
    gt = metrics["groundtruth"]
    assert gt["f1"] >= 0.87
    assert gt["precision"] >= 0.80
    assert gt["n"] == 1032
    assert metrics["threshold"] == pytest.approx(model.threshold)
    assert metrics["groundtruth_number_rule"]["f1"] < gt["f1"]
    for key in ("dev", "train_time_seconds", "spacy_version", "number_rule_baseline_f1"):
        assert key in metrics


def test_model_is_small():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 20 * 1024 * 1024


def test_missing_model_is_unavailable():
    m = CheckworthyModel(Path("/nonexistent"))
    assert m.available is False
    with pytest.raises(RuntimeError, match="check-worthiness model not found at"):
        m.score(["anything"])
    with pytest.raises(RuntimeError):
        m.classify(["anything"])


def test_corrupt_model_is_unavailable(tmp_path):
    (tmp_path / "config.cfg").write_text("this is not a spaCy config", encoding="utf-8")
    m = CheckworthyModel(tmp_path)
    assert m.available is False
    with pytest.raises(RuntimeError, match="check-worthiness model not found at"):
        m.score(["anything"])
