"""Train the check-worthiness sentence classifier (spaCy ``textcat``) on ClaimBuster.

Usage (from the repository root)::

    python -m app.nlp.train_checkworthy --data ../shared/data/claimbuster \\
        --out resources/models/checkworthy
    python -m app.nlp.train_checkworthy --evaluate-only      # re-score the saved model

Data: the ClaimBuster benchmark (Arslan, Hassan, Li, Tremayne, ICWSM 2020,
arXiv:2004.14425, Zenodo DOI 10.5281/zenodo.3609356).

* ``crowdsourced.csv`` is the only training data. Check-worthy = ``Verdict == 1`` (CFS);
  the component is trained on the three labels CFS / UFS / NFS (UFS and NFS together are
  "not check-worthy") and the score is P(CFS).
* A held-out dev split of ``crowdsourced.csv`` (whole debates, i.e. ``File_id`` groups, fixed
  seed) is used for every choice: number of epochs and the decision threshold.
* ``groundtruth.csv`` is only used at the very end, once, to report precision/recall/F1.
  Crowdsourced rows whose text also occurs in groundtruth (15 rows, case/space-insensitive)
  are dropped from training so the test set is not leaked.

Procedure:

1. Dev phase: train ``--models`` ensemble members (different seeds) on the train debates
   for up to ``--max-epochs`` epochs, scoring the dev debates after every epoch. The epoch
   count with the best dev F1 (ensemble average, best threshold) is chosen, and the
   threshold maximising dev F1 at that epoch is the decision threshold.
2. Final phase: retrain the members on train+dev for the chosen number of epochs.
3. The members are stored in one spaCy pipeline as components ``textcat`` (member 0),
   ``textcat_1`` ... ; member *i* has labels ``CHECKWORTHY_i`` etc. so that ``doc.cats``
   holds every member's score; the check-worthiness score is the mean of the
   ``CHECKWORTHY*`` probabilities (see :mod:`app.nlp.checkworthy`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import multiprocessing as mp
import os
import platform
import random
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from app.nlp.checkworthy import POSITIVE_LABEL as POSITIVE
from app.nlp.checkworthy import positive_labels

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "claimbuster"
DEFAULT_OUT = REPO_ROOT / "resources" / "models" / "checkworthy"

LABELS = {"1": POSITIVE, "0": "UNIMPORTANT_FACTUAL", "-1": "NON_FACTUAL"}

# Digit, or a cardinal number word -> "mentions a number" baseline.
NUMBER_RULE = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- config
@dataclass
class TrainConfig:
    models: int = 4  # ensemble members (seeds seed, seed+1, ...)
    seed: int = 0
    split_seed: int = 13  # which debates go to dev
    dev_fraction: float = 0.2  # fraction of crowdsourced sentences (whole debates) held out
    max_epochs: int = 5
    dropout: float = 0.2
    learn_rate: float = 0.001
    l2: float = 0.01  # decoupled weight decay (spaCy's default optimizer setting)
    batch_start: float = 8.0  # compounding batch size 8 -> 32
    batch_stop: float = 32.0
    width: int = 64  # tok2vec width
    depth: int = 2  # CNN layers
    embed_rows: list[int] = field(default_factory=lambda: [5000, 1000, 2500, 2500])
    ngram_size: int = 1  # bag-of-words part of the ensemble
    bow_length: int = 2**15  # unigram hash buckets (~12k word types in the data)
    use_averages: bool = True  # evaluate / save the optimizer's moving parameter averages
    jobs: int = 2


def textcat_model_config(cfg: TrainConfig) -> dict[str, Any]:
    """spaCy TextCatEnsemble.v2 = CNN tok2vec with attention + bag-of-words linear model."""
    return {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": cfg.width,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": list(cfg.embed_rows),
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": cfg.width,
                "window_size": 1,
                "maxout_pieces": 3,
                "depth": cfg.depth,
            },
        },
        "linear_model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": cfg.ngram_size,
            "no_output_layer": False,
            "length": cfg.bow_length,
        },
    }


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Row:
    sentence_id: str
    text: str
    file_id: str
    verdict: str

    @property
    def checkworthy(self) -> bool:
        return self.verdict == "1"


def read_rows(path: Path) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            Row(r["Sentence_id"], r["Text"], r["File_id"], r["Verdict"].strip())
            for r in csv.DictReader(fh)
        ]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def split_by_debate(rows: Sequence[Row], fraction: float, seed: int) -> tuple[list[Row], list[Row], list[str]]:
    """Hold out whole debates (File_id) until >= fraction of the sentences are in dev."""
    files = sorted({r.file_id for r in rows})
    random.Random(seed).shuffle(files)
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r.file_id] = sizes.get(r.file_id, 0) + 1
    dev_files: set[str] = set()
    n = 0
    for f in files:
        if n >= fraction * len(rows):
            break
        dev_files.add(f)
        n += sizes[f]
    train = [r for r in rows if r.file_id not in dev_files]
    dev = [r for r in rows if r.file_id in dev_files]
    return train, dev, sorted(dev_files)


# --------------------------------------------------------------------------- metrics
def prf(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "n": len(gold),
        "positives": sum(1 for g in gold if g),
    }


THRESHOLD_GRID = [round(0.05 + 0.01 * i, 2) for i in range(91)]  # 0.05 .. 0.95


def best_threshold(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, dict[str, Any]]:
    """Threshold on the grid that maximises F1 (ties: the lowest such threshold)."""
    best_t, best_m = 0.5, {"f1": -1.0}
    for t in THRESHOLD_GRID:
        m = prf(gold, [s >= t for s in scores])
        if m["f1"] > best_m["f1"]:
            best_t, best_m = t, m
    return best_t, best_m


def number_rule(texts: Iterable[str]) -> list[bool]:
    return [bool(NUMBER_RULE.search(t)) for t in texts]


# --------------------------------------------------------------------------- training
def _member_labels(member: int, n_members: int) -> dict[str, str]:
    """verdict -> label name of this member (suffixed when there are several members)."""
    if n_members == 1:
        return dict(LABELS)
    return {v: f"{name}_{member}" for v, name in LABELS.items()}


def _blank_member(cfg: TrainConfig, member: int, n_members: int):
    import spacy

    nlp = spacy.blank("en")
    tc = nlp.add_pipe("textcat", config={"model": textcat_model_config(cfg), "threshold": 0.5})
    for label in _member_labels(member, n_members).values():
        tc.add_label(label)
    return nlp


def _break_output_symmetry(tc, seed: int) -> None:
    """Randomise the ensemble's zero-initialised softmax output layer.

    With a zero-initialised output layer and a fresh bag-of-words model (which outputs a
    uniform distribution), the output weights of the bag-of-words inputs receive identical
    updates for every class, so the gradient reaching the bag-of-words model is exactly
    zero and it never learns (spaCy 3.8 TextCatEnsemble.v2 with exclusive classes).
    Small random output weights break the symmetry.
    """
    import numpy

    out = tc.model.layers[-1]
    W = out.get_param("W")
    rs = numpy.random.RandomState(seed)
    out.set_param("W", out.ops.asarray(rs.normal(0.0, 0.1, W.shape).astype(W.dtype)))


def train_member(args: tuple) -> dict[str, Any]:
    """Train one ensemble member; returns dev scores per epoch and the final component bytes."""
    cfg, member, n_members, train, dev_texts, epochs = args
    import spacy
    from spacy.training import Example
    from spacy.util import compounding, fix_random_seed, minibatch
    from thinc.api import Adam

    seed = cfg.seed + member
    fix_random_seed(seed)
    nlp = _blank_member(cfg, member, n_members)
    tc = nlp.get_pipe("textcat")
    labels = _member_labels(member, n_members)
    pos = labels["1"]
    examples = [
        Example.from_dict(
            nlp.make_doc(text),
            {"cats": {name: float(verdict == v) for v, name in labels.items()}},
        )
        for text, verdict in train
    ]
    nlp.initialize(lambda: examples)
    optimizer = Adam(cfg.learn_rate, L2=cfg.l2, grad_clip=1.0, use_averages=cfg.use_averages)
    _break_output_symmetry(tc, seed)
    rng = random.Random(seed)
    dev_scores: list[list[float]] = []
    losses_per_epoch: list[float] = []
    for _epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(cfg.batch_start, cfg.batch_stop, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=cfg.dropout, losses=losses)
        losses_per_epoch.append(round(float(losses.get("textcat", 0.0)), 3))
        if dev_texts:
            ctx = nlp.use_params(optimizer.averages) if cfg.use_averages else contextlib.nullcontext()
            with ctx:
                dev_scores.append(
                    [float(d.cats[pos]) for d in nlp.pipe(dev_texts, batch_size=256)]
                )
    model_bytes = None
    if not dev_texts:  # final phase: keep the (averaged) weights
        ctx = nlp.use_params(optimizer.averages) if cfg.use_averages else contextlib.nullcontext()
        with ctx:
            model_bytes = nlp.to_bytes()
    return {"member": member, "dev_scores": dev_scores, "losses": losses_per_epoch, "bytes": model_bytes}


def _run_members(cfg: TrainConfig, train: list[tuple[str, str]], dev_texts: list[str], epochs: int) -> list[dict]:
    tasks = [(cfg, m, cfg.models, train, dev_texts, epochs) for m in range(cfg.models)]
    jobs = max(1, min(cfg.jobs, cfg.models))
    if jobs == 1:
        results = [train_member(t) for t in tasks]
    else:
        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ctx.Pool(jobs, maxtasksperchild=1) as pool:
            results = pool.map(train_member, tasks, chunksize=1)
    return sorted(results, key=lambda r: r["member"])


def assemble_pipeline(cfg: TrainConfig, results: list[dict], meta: dict[str, Any]):
    """Put the members into one pipeline: textcat, textcat_1, textcat_2, ..."""
    import spacy

    nlp = spacy.blank("en")
    for res in results:
        m = res["member"]
        member_nlp = _blank_member(cfg, m, cfg.models)
        member_nlp.from_bytes(res["bytes"])
        name = "textcat" if m == 0 else f"textcat_{m}"
        nlp.add_pipe("textcat", name=name, source=member_nlp)
    nlp.meta.update(meta)
    return nlp


def ensemble_scores(nlp, texts: Sequence[str], batch_size: int = 256) -> list[float]:
    """Mean P(CHECKWORTHY) over the ensemble members (same rule as app.nlp.checkworthy)."""
    keys = positive_labels(nlp)
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append(sum(doc.cats[k] for k in keys) / len(keys))
    return out


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- main
def load_data(data: Path):
    crowd = read_rows(data / "crowdsourced.csv")
    ground = read_rows(data / "groundtruth.csv")
    gt_texts = {_norm(r.text) for r in ground}
    gt_ids = {r.sentence_id for r in ground}
    kept = [r for r in crowd if _norm(r.text) not in gt_texts and r.sentence_id not in gt_ids]
    return crowd, kept, ground


def _fmt_row(name: str, m: dict[str, Any]) -> str:
    return f"{name:<34} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>7.3f} {m['n']:>6}"


def print_table(metrics: dict[str, Any]) -> None:
    print()
    print(f"{'check-worthy class (CFS)':<34} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>6}")
    print("-" * 68)
    print(_fmt_row(f"dev (crowdsourced) @ {metrics['threshold']:.2f}", metrics["dev"]))
    print(_fmt_row("dev number rule", metrics["dev_number_rule"]))
    print(_fmt_row(f"groundtruth @ {metrics['threshold']:.2f}", metrics["groundtruth"]))
    print(_fmt_row("groundtruth number rule", metrics["groundtruth_number_rule"]))
    print("-" * 68)
    print(
        f"threshold {metrics['threshold']:.2f} (chosen on dev), epochs {metrics['epochs']}, "
        f"members {metrics['config']['models']}, train time {metrics['train_time_seconds']:.0f}s, "
        f"model {metrics.get('model_size_bytes', 0) / 1e6:.1f} MB, spaCy {metrics['spacy_version']}"
    )


def train(data: Path, out: Path, cfg: TrainConfig) -> dict[str, Any]:
    import spacy
    import thinc

    t0 = time.time()
    crowd, rows, ground = load_data(data)
    train_rows, dev_rows, dev_files = split_by_debate(rows, cfg.dev_fraction, cfg.split_seed)
    print(
        f"crowdsourced: {len(crowd)} rows, {len(crowd) - len(rows)} dropped (text also in groundtruth); "
        f"train {len(train_rows)} / dev {len(dev_rows)} ({len(dev_files)} debates)",
        flush=True,
    )
    as_pairs = lambda rs: [(r.text, r.verdict) for r in rs]  # noqa: E731
    dev_texts = [r.text for r in dev_rows]
    dev_gold = [r.checkworthy for r in dev_rows]

    # 1. dev phase ------------------------------------------------------------
    print(f"dev phase: {cfg.models} member(s) x {cfg.max_epochs} epochs ...", flush=True)
    dev_results = _run_members(cfg, as_pairs(train_rows), dev_texts, cfg.max_epochs)
    per_epoch = []
    for e in range(cfg.max_epochs):
        avg = [sum(r["dev_scores"][e][i] for r in dev_results) / len(dev_results) for i in range(len(dev_texts))]
        t, m = best_threshold(dev_gold, avg)
        members_f1 = [best_threshold(dev_gold, r["dev_scores"][e])[1]["f1"] for r in dev_results]
        per_epoch.append({"epoch": e + 1, "threshold": t, "f1": m["f1"], "member_best_f1": members_f1, "_scores": avg})
        print(f"  epoch {e + 1}: dev F1 {m['f1']:.4f} @ {t:.2f}  (members {members_f1})", flush=True)
    best = max(per_epoch, key=lambda p: (p["f1"], -p["epoch"]))
    epochs, threshold = best["epoch"], best["threshold"]
    dev_metrics = prf(dev_gold, [s >= threshold for s in best["_scores"]])
    dev_phase_time = time.time() - t0
    print(f"chosen: {epochs} epoch(s), threshold {threshold:.2f} (dev F1 {dev_metrics['f1']:.4f})", flush=True)

    # 2. final phase: train + dev ---------------------------------------------
    print(f"final phase: {cfg.models} member(s) x {epochs} epochs on train+dev ...", flush=True)
    t1 = time.time()
    final_results = _run_members(cfg, as_pairs(train_rows + dev_rows), [], epochs)
    final_phase_time = time.time() - t1

    meta = {
        "lang": "en",
        "name": "checkworthy",
        "version": "1.0.0",
        "description": (
            "Check-worthiness sentence classifier (spaCy textcat ensemble, "
            f"{cfg.models} member(s)); score = mean P(CHECKWORTHY*) over the members"
        ),
        "license": "training data ClaimBuster: CC BY 4.0 per SOURCE.md, not yet confirmed on the Zenodo record",
        "sources": [
            {
                "name": "ClaimBuster: A Benchmark Dataset of Check-worthy Factual Claims",
                "url": "https://doi.org/10.5281/zenodo.3609356",
                "author": "Arslan, Hassan, Li, Tremayne (ICWSM 2020, arXiv:2004.14425)",
            }
        ],
    }
    nlp = assemble_pipeline(cfg, final_results, meta)

    # 3. report -----------------------------------------------------------------
    gt_texts = [r.text for r in ground]
    gt_gold = [r.checkworthy for r in ground]
    gt_scores = ensemble_scores(nlp, gt_texts)
    gt_metrics = prf(gt_gold, [s >= threshold for s in gt_scores])
    metrics: dict[str, Any] = {
        "threshold": threshold,
        "threshold_selection": "maximum F1 of the check-worthy class on the dev split (grid 0.05..0.95 step 0.01)",
        "epochs": epochs,
        "epoch_selection": "maximum dev F1 (ensemble average, best threshold) over 1..max_epochs",
        "score": "mean P(CHECKWORTHY) over the textcat components",
        "positive_labels": positive_labels(nlp),
        "dev": dev_metrics,
        "dev_per_epoch": [{k: v for k, v in p.items() if k != "_scores"} for p in per_epoch],
        "dev_number_rule": prf(dev_gold, number_rule(dev_texts)),
        "groundtruth": gt_metrics,
        "groundtruth_number_rule": prf(gt_gold, number_rule(gt_texts)),
        "number_rule_baseline_f1": prf(gt_gold, number_rule(gt_texts))["f1"],
        "train_time_seconds": round(time.time() - t0, 1),
        "dev_phase_seconds": round(dev_phase_time, 1),
        "final_phase_seconds": round(final_phase_time, 1),
        "spacy_version": spacy.__version__,
        "thinc_version": thinc.__version__,
        "python_version": platform.python_version(),
        "config": asdict(cfg),
        "data": {
            "train_file": "crowdsourced.csv",
            "test_file": "groundtruth.csv",
            "crowdsourced_sha256": sha256(data / "crowdsourced.csv"),
            "groundtruth_sha256": sha256(data / "groundtruth.csv"),
            "crowdsourced_rows": len(crowd),
            "dropped_overlapping_groundtruth": len(crowd) - len(rows),
            "train_rows": len(train_rows),
            "dev_rows": len(dev_rows),
            "dev_debates": dev_files,
            "final_training_rows": len(train_rows) + len(dev_rows),
            "groundtruth_rows": len(ground),
            "label_rule": "check-worthy = Verdict 1 (CFS); Verdict 0 (UFS) and -1 (NFS) = not",
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("textcat*"):  # members of an earlier, larger ensemble
        if stale.is_dir() and stale.name not in nlp.pipe_names:
            shutil.rmtree(stale)
    nlp.to_disk(out)
    metrics["model_size_bytes"] = dir_size(out) + 4096  # + metrics.json (approx.)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    metrics["model_size_bytes"] = dir_size(out)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print_table(metrics)
    return metrics


def evaluate_only(data: Path, out: Path) -> dict[str, Any]:
    """Re-score the saved model on groundtruth.csv with the stored threshold (no training)."""
    from app.nlp.checkworthy import CheckworthyModel

    t0 = time.time()
    model = CheckworthyModel(out)
    load_s = time.time() - t0
    if not model.available:
        raise SystemExit(model.error or f"no model at {out}")
    ground = read_rows(data / "groundtruth.csv")
    texts = [r.text for r in ground]
    gold = [r.checkworthy for r in ground]
    t1 = time.time()
    scores = model.score(texts)
    score_s = time.time() - t1
    m = prf(gold, [s >= model.threshold for s in scores])
    base = prf(gold, number_rule(texts))
    print(f"{'groundtruth (re-evaluated)':<34} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>6}")
    print(_fmt_row(f"model @ {model.threshold:.2f}", m))
    print(_fmt_row("number rule", base))
    stored = model.metrics.get("groundtruth", {})
    if stored:
        print(_fmt_row("stored in metrics.json", stored))
    print(
        f"load {load_s:.2f}s, scoring {len(texts) / score_s:.0f} sentences/s, "
        f"model {dir_size(out) / 1e6:.1f} MB"
    )
    return {"groundtruth": m, "number_rule": base, "load_seconds": load_s}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    d = TrainConfig()
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ClaimBuster directory (default: %(default)s)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output pipeline directory (default: %(default)s)")
    p.add_argument("--evaluate-only", action="store_true", help="re-evaluate the saved model on groundtruth.csv")
    p.add_argument("--models", type=int, default=d.models, help="ensemble members (default: %(default)s)")
    p.add_argument("--max-epochs", type=int, default=d.max_epochs, help="epochs tried on dev (default: %(default)s)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--jobs", type=int, default=d.jobs, help="parallel training processes (default: %(default)s)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data, out = args.data.resolve(), args.out
    if not out.is_absolute():
        out = (Path.cwd() / out).resolve()
    for name in ("crowdsourced.csv", "groundtruth.csv"):
        if not (data / name).is_file():
            print(f"error: {data / name} not found (use --data)", file=sys.stderr)
            return 2
    if args.evaluate_only:
        evaluate_only(data, out)
        return 0
    # one BLAS thread per worker process; parallelism comes from --jobs
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    cfg = TrainConfig(models=args.models, max_epochs=args.max_epochs, seed=args.seed, jobs=args.jobs)
    train(data, out, cfg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
