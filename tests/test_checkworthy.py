"""Tests for the check-worthiness classifier (uses the shipped model; never retrains).

The figures in metrics.json are re-measured here from the shipped model and the data, so a
model, a threshold or a normalisation that no longer gives them makes these tests fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimdesk.nlp.checkworthy import (
    CheckworthyModel,
    CheckworthyResult,
    default_model_path,
    is_cut_off,
    load_default,
    normalize,
)

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "resources" / "models" / "checkworthy"
TRAIN_CONFIG = ROOT / "training" / "checkworthy" / "config.cfg"
CLAIMBUSTER = next((p for p in (ROOT.parent / "shared" / "data" / "claimbuster",
                                Path("/work/shared/data/claimbuster")) if (p / "groundtruth.csv").is_file()), None)

CHECKWORTHY = "Unemployment rose by 12 percent in 2023, according to official figures."
NOT_CHECKWORTHY = "Thank you very much, it is great to be here tonight."
CLAIMS = [
    CHECKWORTHY,
    "We have lost 70,000 factories since China entered the World Trade Organization.",
    "Our taxes went up by $4,000 a family over the last eight years.",
    "The state cut 30 percent of its education budget in 2011.",
]
FRAGMENTS = ["But--", "And-- but--", "We need--", "I -- I --", "Well, if you look --", "HOLT: And--"]


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


def test_the_stored_threshold_is_the_one_the_dev_split_chose(metrics):
    """metrics.json says how its threshold was chosen (the epoch with the best dev F1, at that epoch's
    best threshold): a threshold or a dev figure changed by hand, or copied from another run, fails here."""
    best = max(metrics["dev_per_epoch"], key=lambda e: e["f1"])
    assert metrics["epochs"] == best["epoch"]
    assert metrics["threshold"] == best["threshold"]
    assert 0.0 < metrics["threshold"] < 1.0
    dev = metrics["dev"]
    assert dev["f1"] == pytest.approx(best["f1"], abs=1e-4)
    assert dev["tp"] + dev["fn"] == dev["positives"]
    assert dev["precision"] == pytest.approx(dev["tp"] / (dev["tp"] + dev["fp"]), abs=1e-4)
    assert dev["recall"] == pytest.approx(dev["tp"] / dev["positives"], abs=1e-4)
    assert dev["f1"] == pytest.approx(2 * dev["precision"] * dev["recall"] / (dev["precision"] + dev["recall"]),
                                      abs=1e-4)


def test_the_model_applies_the_threshold_and_weight_of_its_metrics_json(tmp_path, model, metrics):
    """The shipped pipeline beside an edited metrics.json: the threshold and the CheckThat weight read
    from the file are the ones classify() and score() use; without the file, the defaults."""
    from claimdesk.nlp.checkworthy import DEFAULT_THRESHOLD

    for entry in MODEL_DIR.iterdir():
        if entry.name != "metrics.json":
            (tmp_path / entry.name).symlink_to(entry)
    (score,) = model.score([CHECKWORTHY])
    assert model.classify([CHECKWORTHY])[0].checkworthy
    above = round((score + 1.0) / 2, 6)  # a threshold this sentence does not reach
    (tmp_path / "metrics.json").write_text(json.dumps(dict(metrics, threshold=above, checkthat_weight=1.0)))
    edited = CheckworthyModel(tmp_path)
    assert (edited.threshold, edited.checkthat_weight) == (above, 1.0)
    assert edited.classify([CHECKWORTHY])[0].checkworthy is False
    (cw,), (ct,) = edited.label_scores([CHECKWORTHY])
    assert edited.score([CHECKWORTHY]) == [pytest.approx((cw + ct) / 2)]
    (tmp_path / "metrics.json").unlink()
    bare = CheckworthyModel(tmp_path)
    assert (bare.threshold, bare.checkthat_weight) == (DEFAULT_THRESHOLD, 0.0)


def test_load_default_is_cached():
    assert load_default() is load_default()
    assert load_default().available


@pytest.mark.parametrize("raw, clean", [
    ("But--", "But"),
    ("And-- but--", "And, but"),
    ("HOLT: We need--", "We need"),
    ("MR. TRUMP: We owe $20 trillion.", "We owe $20 trillion."),
    ("I -- I worked hard for McCain-Feingold.", "I worked hard for McCain-Feingold."),
    ("Nine million people -- nine million people lost their jobs.", "nine million people lost their jobs."),
    ("They left -- fired 1,400 people.", "They left, fired 1,400 people."),
    ("15 million euros\u2014about $16 million", "15 million euros, about $16 million"),
    ("NATO: the alliance grew.", "NATO: the alliance grew."),
    ("--", ""),
    ("", ""),
])
def test_normalize(raw, clean):
    assert normalize(raw) == clean


def test_cut_off_speech():
    assert all(is_cut_off(t) for t in ["But--", "We need --", "If I could...", "Look \u2014"])
    assert not any(is_cut_off(t) for t in [CHECKWORTHY, "-- it will raise wages.", "A 6.8 quake\u2014the worst."])


def test_scores_in_unit_interval(model):
    texts = [CHECKWORTHY, NOT_CHECKWORTHY, "", "   ", "--", "We spent $3 billion.", "Why?", 42]
    scores = model.score(texts)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert scores[2] == scores[3] == scores[4] == 0.0


def test_obvious_examples(model):
    pos, neg = model.score([CHECKWORTHY, NOT_CHECKWORTHY])
    assert pos >= model.threshold, (pos, model.threshold)
    assert neg < model.threshold, (neg, model.threshold)


def test_interruption_fragments_rank_below_every_claim(model):
    frag = model.score(FRAGMENTS)
    claims = model.score(CLAIMS)
    assert max(frag) < model.threshold, dict(zip(FRAGMENTS, frag))
    assert max(frag) < min(claims), (dict(zip(FRAGMENTS, frag)), dict(zip(CLAIMS, claims)))


def test_a_speaker_tag_does_not_change_the_score(model):
    plain, tagged = model.score([CLAIMS[1], "TRUMP: " + CLAIMS[1]])
    assert plain == pytest.approx(tagged)


def test_classify(model):
    results = model.classify([CHECKWORTHY, NOT_CHECKWORTHY])
    assert all(isinstance(r, CheckworthyResult) for r in results)
    assert [r.checkworthy for r in results] == [True, False]
    assert model.classify([]) == []


def test_scoring_is_deterministic_and_batch_independent(model):
    texts = [CHECKWORTHY, NOT_CHECKWORTHY] * 3
    assert model.score(texts, batch_size=1) == pytest.approx(model.score(texts, batch_size=256))


def test_training_config_builds_the_ensemble():
    """training/checkworthy/config.cfg is a complete spaCy config: it builds every member with its labels."""
    from spacy.util import load_config, load_model_from_config

    config = load_config(TRAIN_CONFIG)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    names = config["nlp"]["pipeline"]
    assert nlp.pipe_names == names and len(names) >= 2
    for i, name in enumerate(names):
        assert nlp.get_pipe(name).__class__.__name__ == "MultiLabel_TextCategorizer"
        assert config["initialize"]["components"][name]["labels"] == [
            f"CHECKWORTHY_{i}", f"CHECKTHAT_{i}", f"FACTUAL_{i}"]


def _write_data(tmp_path: Path) -> tuple[Path, Path]:
    cb = tmp_path / "claimbuster"
    cb.mkdir()
    header = "Sentence_id,Text,Speaker,Speaker_title,Speaker_party,File_id,Length,Line_number,Sentiment,Verdict\n"
    crowd = [header]
    for d in range(10):
        crowd.append(f"{d}1,We cut taxes by {d}0 percent -- for everyone.,A,,,{d}.txt,5,1,0,1\n")
        crowd.append(f"{d}2,Thank you all for coming.,B,,,{d}.txt,5,2,0,-1\n")
        crowd.append(f"{d}3,I was in Ohio on Monday.,B,,,{d}.txt,5,3,0,0\n")
    crowd.append("999,The same sentence as the test set.,A,,,9.txt,5,4,0,1\n")
    (cb / "crowdsourced.csv").write_text("".join(crowd), encoding="utf-8")
    (cb / "groundtruth.csv").write_text(header + "1,The same sentence as the test set.,A,,,x.txt,5,1,0,1\n",
                                         encoding="utf-8")
    ct = tmp_path / "checkthat"
    ct.mkdir()
    for name in ("20160209_msnbc_dem.tsv", "20170228_trump_address.tsv"):
        (ct / name).write_text("1\tTRUMP\tWe owe $20 trillion.\t1\n2\tHOLT\tBut--\t0\n3\tHOLT\t--\t0\n",
                               encoding="utf-8")
    return cb, ct


def test_prepare_writes_spacy_corpora_with_missing_labels_left_out(tmp_path):
    from spacy.tokens import DocBin
    import spacy

    from claimdesk.nlp.train_checkworthy import main

    cb, ct = _write_data(tmp_path)
    work = tmp_path / "work"
    assert main(["prepare", "--claimbuster", str(cb), "--checkthat", str(ct), "--work", str(work)]) == 0
    nlp = spacy.blank("en")
    train = list(DocBin().from_disk(work / "corpus" / "train.spacy").get_docs(nlp.vocab))
    dev = list(DocBin().from_disk(work / "corpus" / "dev.spacy").get_docs(nlp.vocab))
    texts = [d.text for d in train + dev]
    assert "The same sentence as the test set." not in texts  # the test set never leaks into training
    assert "We cut taxes by 10 percent, for everyone." in texts  # normalised as when scoring
    assert "" not in texts and "--" not in texts
    cb_doc = next(d for d in train if d.text.startswith("Thank you"))
    assert cb_doc.cats["CHECKWORTHY_0"] == 0.0 and cb_doc.cats["FACTUAL_0"] == 0.0
    assert not any(k.startswith("CHECKTHAT") for k in cb_doc.cats)
    ct_pos = next(d for d in train + dev if d.text == "We owe $20 trillion.")
    assert ct_pos.cats["CHECKTHAT_0"] == 1.0 and ct_pos.cats["CHECKWORTHY_0"] == 1.0
    ct_neg = next(d for d in train + dev if d.text == "But")
    assert ct_neg.cats["CHECKTHAT_0"] == 0.0 and "CHECKWORTHY_0" not in ct_neg.cats
    info = json.loads((work / "data.json").read_text())
    assert info["claimbuster"]["dropped_overlapping_groundtruth"] == 1
    assert info["checkthat"]["dev_debates"] == ["20170228_trump_address.tsv"]


def test_the_checkthat_2019_test_debates_are_refused(tmp_path):
    from claimdesk.nlp.train_checkworthy import read_checkthat

    _, ct = _write_data(tmp_path)
    (ct / "20190205_trump_state.tsv").write_text("1\tTRUMP\tx\t0\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="test debates"):
        read_checkthat(ct)


def test_ranking_metrics():
    from claimdesk.nlp.train_checkworthy import Row, average_precision, best_threshold, mean_average_precision

    assert average_precision([True, False, True], [0.9, 0.8, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([False, False], [0.5, 0.4]) == 0.0
    rows = [Row("a", "ct:x", True, "checkthat"), Row("b", "ct:x", False, "checkthat"),
            Row("c", "ct:y", False, "checkthat"), Row("d", "ct:y", True, "checkthat")]
    m, per = mean_average_precision(rows, [0.9, 0.1, 0.9, 0.1])
    assert per == {"x": 1.0, "y": 0.5} and m == 0.75
    t, best = best_threshold([True, False, True], [0.9, 0.5, 0.7])
    assert best["f1"] == 1.0 and 0.5 < t <= 0.7


def test_dash_fragments_are_counted_per_debate_among_the_top_lines():
    from claimdesk.nlp.train_checkworthy import Row, dash_fragments_in_top, is_dash_fragment

    assert is_dash_fragment("But--") and is_dash_fragment("HOLT: And-- but--")
    assert not is_dash_fragment("But") and not is_dash_fragment("We cut taxes -- by 20 percent -- for 90 percent of families.")
    rows = [Row("We need--", "ct:a", False, "checkthat"), Row("Taxes rose 4 percent.", "ct:a", True, "checkthat"),
            Row("Well --", "ct:b", False, "checkthat"), Row("Thank you.", "ct:b", False, "checkthat")]
    assert dash_fragments_in_top(rows, [0.9, 0.5, 0.1, 0.2], top=1) == {"a": 1, "b": 0}
    assert dash_fragments_in_top(rows, [0.9, 0.5, 0.1, 0.2], top=2) == {"a": 1, "b": 1}


@pytest.mark.skipif(CLAIMBUSTER is None, reason="ClaimBuster data not found beside the repository")
def test_groundtruth_figures_are_reproduced(model, metrics):
    """Re-score groundtruth.csv: the stored figures must come out again (the shipped model, scored on
    normalised text), and stay at least as good as the figures README gives."""
    from claimdesk.nlp.train_checkworthy import prf, read_claimbuster

    rows = read_claimbuster(CLAIMBUSTER / "groundtruth.csv")
    assert len(rows) == 1032
    scores = model.score([r.text for r in rows])
    got = prf([r.label for r in rows], [s >= model.threshold for s in scores])
    stored = metrics["groundtruth"]
    assert (got["tp"], got["fp"], got["fn"]) == (stored["tp"], stored["fp"], stored["fn"])
    assert got["f1"] >= 0.896 and got["precision"] >= 0.90
    assert metrics["groundtruth_number_rule"]["f1"] + 0.1 < got["f1"]


def test_model_is_small():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 30 * 1024 * 1024


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
