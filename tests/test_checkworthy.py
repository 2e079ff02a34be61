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
    """metrics.json says how its threshold was chosen (maximum F1 of the check-worthy class on the
    ClaimBuster dev split, grid 0.00..1.00), and its dev figures are consistent: ``selection.dev`` is the
    ensemble's score at that threshold, ``dev`` the same split scored as the app scores (cut-off rule)."""
    assert 0.0 < metrics["threshold"] < 1.0
    sel = metrics["selection"]
    assert "ClaimBuster dev split" in sel["threshold_selection"]
    for dev in (sel["dev"], metrics["dev"]):
        assert dev["tp"] + dev["fn"] == dev["positives"]
        assert dev["precision"] == pytest.approx(dev["tp"] / (dev["tp"] + dev["fp"]), abs=1e-4)
        assert dev["recall"] == pytest.approx(dev["tp"] / dev["positives"], abs=1e-4)
        assert dev["f1"] == pytest.approx(
            2 * dev["precision"] * dev["recall"] / (dev["precision"] + dev["recall"]), abs=1e-4)
    # the rule the model shipped by: at least the old model's dev F1 (0.6723), at most 30 MB
    assert sel["dev"]["f1"] >= 0.6723
    assert metrics["model_size_bytes"] <= 30 * 1024 * 1024


@pytest.mark.skipif(CLAIMBUSTER is None, reason="ClaimBuster data not found beside the repository")
def test_the_dev_figures_and_threshold_are_reproduced(model, metrics):
    """Re-score the ClaimBuster dev split (the whole debates the script holds out): the stored dev
    figures come out again at the stored threshold, and that threshold is the grid's best F1."""
    from claimdesk.nlp.train_checkworthy import best_threshold, load_splits, prf

    dev = load_splits(CLAIMBUSTER, None)["cb_dev"]
    assert len(dev) == metrics["dev"]["n"]
    gold = [r.label for r in dev]
    w = model.checkthat_weight
    cw, ct = model.label_scores([r.text for r in dev])
    combined = [(a + w * b) / (1.0 + w) for a, b in zip(cw, ct)]
    t, best = best_threshold(gold, combined)
    assert t == pytest.approx(model.threshold)
    got = prf(gold, [s >= model.threshold for s in combined])
    stored = metrics["selection"]["dev"]
    assert (got["tp"], got["fp"], got["fn"]) == (stored["tp"], stored["fp"], stored["fn"])
    assert best["f1"] == pytest.approx(stored["f1"], abs=1e-4)
    scored = prf(gold, [s >= model.threshold for s in model.score([r.text for r in dev])])
    assert (scored["tp"], scored["fp"], scored["fn"]) == tuple(metrics["dev"][k] for k in ("tp", "fp", "fn"))


def test_the_shipped_config_is_the_training_config():
    """Every member of the shipped pipeline is training/checkworthy/config.cfg as spaCy filled it when
    training it (members/checkworthy_i.cfg: same model, training settings; its own seed), and the
    shipped config.cfg (written by `spacy assemble`) holds those members' components unchanged."""
    from spacy.util import load_config

    committed = load_config(TRAIN_CONFIG)
    shipped = load_config(MODEL_DIR / "config.cfg")
    names = shipped["nlp"]["pipeline"]
    assert len(names) == committed["claimdesk"]["members"]
    (comp_name,) = committed["nlp"]["pipeline"]
    for i, name in enumerate(names):
        member = load_config(MODEL_DIR / "members" / f"{name}.cfg")
        assert member["components"] == committed["components"]
        assert member["system"]["seed"] == i
        for key, value in committed["training"].items():
            if key != "seed":
                assert member["training"][key] == value, key
        assert shipped["components"][name] == member["components"][comp_name]


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


@pytest.mark.parametrize("name", ["config.cfg", "config_joint.cfg", "config_checkthat.cfg"])
def test_training_configs_build(name):
    """The training configs are complete spaCy configs: config.cfg builds one member (an exclusive
    textcat, trained once per member), the others every member of a jointly trained ensemble."""
    from spacy.util import load_config, load_model_from_config

    from claimdesk.nlp.checkworthy import register_spacy_functions

    register_spacy_functions()  # the members' scorer (spacy train --code training/checkworthy/functions.py)
    config = load_config(TRAIN_CONFIG.parent / name)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    names = config["nlp"]["pipeline"]
    assert nlp.pipe_names == names
    if name == "config.cfg":
        assert [nlp.get_pipe(n).__class__.__name__ for n in names] == ["TextCategorizer"]
        ensemble = load_config(TRAIN_CONFIG.parent / config["claimdesk"]["ensemble"])
        assert len(ensemble["nlp"]["pipeline"]) == config["claimdesk"]["members"]
        return
    assert len(names) >= 2
    for i, n in enumerate(names):
        assert nlp.get_pipe(n).__class__.__name__ == "MultiLabel_TextCategorizer"
        assert config["initialize"]["components"][n]["labels"][0] == f"CHECKWORTHY_{i}"


def test_the_training_config_keeps_the_checkpoint_by_the_ensemble_f1():
    """Every member scores with the registered scorer, whose figure is the ensemble's best F1 on
    the ClaimBuster sentences of the dev corpus (CheckThat lines left out)."""
    import spacy
    from spacy.training import Example
    from spacy.util import load_config

    from claimdesk.nlp.checkworthy import SCORER_NAME, ensemble_dev_scores

    for name in ("config.cfg", "config_joint.cfg"):
        config = load_config(TRAIN_CONFIG.parent / name)
        assert config["training"]["score_weights"]["cats_checkworthy_f1"] == 1.0
        assert all(c["scorer"] == {"@scorers": SCORER_NAME} for c in config["components"].values())
    nlp = spacy.blank("en")

    def eg(pred: dict, gold: dict) -> Example:
        p, r = nlp.make_doc("x"), nlp.make_doc("x")
        p.cats, r.cats = pred, gold
        return Example(p, r)

    examples = [
        eg({"CHECKWORTHY_0": 0.9, "CHECKWORTHY_1": 0.7}, {"CHECKWORTHY_0": 1.0, "FACTUAL_0": 1.0}),
        eg({"CHECKWORTHY_0": 0.2, "CHECKWORTHY_1": 0.4}, {"CHECKWORTHY_0": 0.0, "FACTUAL_0": 1.0}),
        eg({"CHECKWORTHY_0": 0.5, "CHECKWORTHY_1": 0.3}, {"CHECKWORTHY_0": 1.0, "FACTUAL_0": 1.0}),
        # a CheckThat line is not a ClaimBuster sentence: not counted
        eg({"CHECKWORTHY_0": 0.0, "CHECKWORTHY_1": 0.0}, {"CHECKWORTHY_0": 1.0, "CHECKTHAT_0": 1.0}),
    ]
    got = ensemble_dev_scores(examples)
    # ensemble means 0.8 (yes), 0.3 (no), 0.4 (yes): every threshold in 0.31..0.40 separates them
    assert got["cats_checkworthy_f1"] == pytest.approx(1.0)
    assert got["cats_checkworthy_threshold"] == pytest.approx(0.31)
    # CheckThat lines: MAP per debate (the gold doc's user_data "group") of the mean CHECKTHAT_i
    ct = []
    for debate, pairs in {"a": [(0.9, 1.0), (0.8, 0.0), (0.1, 1.0)], "b": [(0.2, 1.0), (0.7, 0.0)]}.items():
        for score, label in pairs:
            e = eg({"CHECKTHAT_4": score}, {"CHECKTHAT_4": label})
            e.reference.user_data["group"] = debate
            ct.append(e)
    got = ensemble_dev_scores(ct)
    assert got["cats_checkthat_map"] == pytest.approx(((1 + 2 / 3) / 2 + 1 / 2) / 2)
    assert got["cats_checkworthy_f1"] == 0.0


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
    assert main(["prepare", "--claimbuster", str(cb), "--checkthat", str(ct), "--work", str(work),
                 "--config", str(TRAIN_CONFIG.parent / "config_checkthat.cfg")]) == 0
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


def test_members_trained_apart_get_their_own_corpus_of_claimbuster_sentences(tmp_path):
    """The shipped config trains each member on its own: member i's corpus holds ClaimBuster sentences
    only, with member i's three exclusive classes (CFS / UFS / NFS), exactly one of them 1."""
    from spacy.tokens import DocBin
    import spacy

    from claimdesk.nlp.train_checkworthy import config_uses_checkthat, main

    assert not config_uses_checkthat(TRAIN_CONFIG)
    cb, ct = _write_data(tmp_path)
    work = tmp_path / "work"
    assert main(["prepare", "--claimbuster", str(cb), "--checkthat", str(ct), "--work", str(work)]) == 0
    nlp = spacy.blank("en")
    for i in range(4):
        docs = [d for name in ("train", "dev")
                for d in DocBin().from_disk(work / "corpus" / f"{name}_{i}.spacy").get_docs(nlp.vocab)]
        assert len(docs) == 30 and "We owe $20 trillion." not in [d.text for d in docs]
        for d in docs:
            assert set(d.cats) == {f"{lab}_{i}" for lab in ("CHECKWORTHY", "UNIMPORTANT_FACTUAL", "NON_FACTUAL")}
            assert sorted(d.cats.values()) == [0.0, 0.0, 1.0]
        by_text = {d.text: d.cats for d in docs}
        assert by_text["We cut taxes by 10 percent, for everyone."][f"CHECKWORTHY_{i}"] == 1.0
        assert by_text["Thank you all for coming."][f"NON_FACTUAL_{i}"] == 1.0
        assert by_text["I was in Ohio on Monday."][f"UNIMPORTANT_FACTUAL_{i}"] == 1.0
    info = json.loads((work / "data.json").read_text())
    assert info["checkthat_trained_on"] is False


def test_a_checkthat_member_gets_the_checkthat_lines_with_their_debate(tmp_path):
    """config_plus_checkthat.cfg: members 0-3 as config.cfg, member 4 on CheckThat lines only (its own
    label, the debate kept for the per-debate MAP its checkpoint is chosen by)."""
    from spacy.tokens import DocBin
    import spacy

    from claimdesk.nlp.train_checkworthy import main

    cb, ct = _write_data(tmp_path)
    work = tmp_path / "work"
    assert main(["prepare", "--claimbuster", str(cb), "--checkthat", str(ct), "--work", str(work),
                 "--config", str(TRAIN_CONFIG.parent / "config_plus_checkthat.cfg")]) == 0
    nlp = spacy.blank("en")
    train = list(DocBin().from_disk(work / "corpus" / "train_4.spacy").get_docs(nlp.vocab))
    dev = list(DocBin().from_disk(work / "corpus" / "dev_4.spacy").get_docs(nlp.vocab))
    assert [d.text for d in train] == ["We owe $20 trillion.", "But"]
    assert [d.cats for d in train] == [{"CHECKTHAT_4": 1.0}, {"CHECKTHAT_4": 0.0}]
    assert {d.user_data["group"] for d in train} == {"ct:20160209_msnbc_dem.tsv"}
    assert {d.user_data["group"] for d in dev} == {"ct:20170228_trump_address.tsv"}
    member0 = [d.text for d in DocBin().from_disk(work / "corpus" / "train_0.spacy").get_docs(nlp.vocab)]
    assert "We owe $20 trillion." not in member0


def test_a_separate_checkthat_label_leaves_checkthat_lines_out_of_the_checkworthy_label(tmp_path):
    """``[claimdesk] checkthat_positives_checkworthy = false``: a CheckThat line only has its CHECKTHAT label."""
    from spacy.tokens import DocBin
    import spacy

    from claimdesk.nlp.train_checkworthy import main

    text = (TRAIN_CONFIG.parent / "config_checkthat.cfg").read_text(encoding="utf-8")
    cfg = tmp_path / "config.cfg"
    cfg.write_text(text + "\n[claimdesk]\ncheckthat_positives_checkworthy = false\n", encoding="utf-8")
    cb, ct = _write_data(tmp_path)
    work = tmp_path / "work"
    assert main(["prepare", "--claimbuster", str(cb), "--checkthat", str(ct), "--work", str(work),
                 "--config", str(cfg)]) == 0
    nlp = spacy.blank("en")
    docs = [d for name in ("train", "dev") for d in DocBin().from_disk(work / "corpus" / f"{name}.spacy").get_docs(nlp.vocab)]
    pos = next(d for d in docs if d.text == "We owe $20 trillion.")
    assert pos.cats["CHECKTHAT_0"] == 1.0 and "CHECKWORTHY_0" not in pos.cats


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
    # README's figures (P 0.868, R 0.908, F1 0.887): issue 14's targets (F1 >= 0.90, P >= 0.90) are not met
    assert got["f1"] >= 0.887 and got["precision"] >= 0.867
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
