"""Train the check-worthiness classifier with spaCy's own tooling, from the data.

One script reproduces the shipped model (``resources/models/checkworthy``)::

    python -m claimdesk.nlp.train_checkworthy all          # prepare, train, threshold, evaluate, package
    python -m claimdesk.nlp.train_checkworthy prepare      # data -> build/checkworthy/corpus/*.spacy
    python -m claimdesk.nlp.train_checkworthy train        # spacy train (per member) + spacy assemble
    python -m claimdesk.nlp.train_checkworthy threshold    # threshold on the dev split (never on a test set)
    python -m claimdesk.nlp.train_checkworthy evaluate     # ClaimBuster ground truth, CheckThat dev MAP, speed
    python -m claimdesk.nlp.train_checkworthy package      # copy model-best + metrics.json into resources/

Steps are plain spaCy. ``training/checkworthy/config.cfg`` is one member (``[claimdesk] members = 6``):
``spacy train`` trains it once per member with ``--system.seed i`` on member i's corpus (its labels
carry the member's number), then ``spacy assemble training/checkworthy/ensemble.cfg`` sources the
members into one pipeline; each member's filled config ships in the model's ``members/`` folder. Each
member's checkpoint is the one with the best check-worthy F1 on the ClaimBuster dev split
(``claimdesk.checkworthy_scorer.v1``, registered by ``training/checkworthy/functions.py``, given to
spaCy with ``--code``). A config without ``[claimdesk] members`` is one pipeline trained at once
(``config_joint.cfg``, ``config_checkthat.cfg``); ``[claimdesk] checkthat_member`` adds a member
trained on the CheckThat training debates (``config_plus_checkthat.cfg``). The threshold is the linear
search ``spacy find-threshold`` does (0.00..1.00, step 0.01, maximum F1 of the check-worthy class), run
on the ensemble's score; with a CheckThat label its weight is chosen first, on the CheckThat dev debates.

Data (none of it is in the repository; give the folders with ``--claimbuster`` / ``--checkthat``):

* **ClaimBuster** (Arslan, Hassan, Li, Tremayne, ICWSM 2020, arXiv:2004.14425, Zenodo
  DOI 10.5281/zenodo.3609356), folder with ``crowdsourced.csv`` and ``groundtruth.csv``
  (default ``../shared/data/claimbuster``; its ``SOURCE.md`` says where the copies come from).
  ``crowdsourced.csv`` is training data: check-worthy = Verdict 1 (CFS). Whole debates
  (``File_id``, seed 13, 20 % of the sentences) are held out as the dev split. The 15 rows
  whose text is also in ``groundtruth.csv`` are dropped. ``groundtruth.csv`` is the test set:
  scored once at the end, never used for a choice.
* **CLEF CheckThat! 2019 task 1, training debates only** (Atanasova et al., "Overview of the
  CLEF-2019 CheckThat! Lab ... Task 1: Check-Worthiness", CLEF 2019): the 19 files of
  ``data/training/`` in the lab's public repository ``apepa/clef2019-factchecking-task1``
  (commit 7d463336897ad1f870cb6a481953b94550c788a7), copied to a folder of ``*.tsv`` files
  (default ``build/checkthat2019-training``). Columns: line, speaker, text, label (1 = the
  line was fact-checked). Four whole debates (``CHECKTHAT_DEV``) are held out as dev for
  checkpoint selection and the ranking weight. The lab's 2019 *test* debates (``data/test``,
  ``data/test_annotated``) are the hidden evaluation and are never read: :func:`read_checkthat`
  refuses a folder holding any of them.

Every text goes through :func:`claimdesk.nlp.checkworthy.normalize` (speaker tags, interruption
dashes and restarts removed) before training, as before scoring.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from claimdesk.nlp.checkworthy import default_model_path, normalize

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / "training" / "checkworthy" / "config.cfg"
#: Registers the scorer the configs name (``spacy train --code``).
FUNCTIONS = REPO_ROOT / "training" / "checkworthy" / "functions.py"
DEFAULT_CLAIMBUSTER = REPO_ROOT.parent / "shared" / "data" / "claimbuster"
if not DEFAULT_CLAIMBUSTER.is_dir():
    DEFAULT_CLAIMBUSTER = Path("/work/shared/data/claimbuster")
DEFAULT_CHECKTHAT = REPO_ROOT / "build" / "checkthat2019-training"
DEFAULT_WORK = REPO_ROOT / "build" / "checkworthy"
DEFAULT_OUT = default_model_path()

SPLIT_SEED = 13
DEV_FRACTION = 0.2
#: CheckThat 2019 training debates held out as dev (none of them is in ClaimBuster).
CHECKTHAT_DEV = (
    "20160226_10_gop.tsv",
    "20170228_trump_address.tsv",
    "20180926_un_press.tsv",
    "20190108_oval_office.tsv",
)
#: The CheckThat 2019 task 1 test debates: reserved for the hidden evaluation, never read.
CHECKTHAT_2019_TEST = (
    "20151219_3_dem.tsv",
    "20160129_7_gop.tsv",
    "20160311_12_gop.tsv",
    "20180131_state_union.tsv",
    "20181015_60_min.tsv",
    "20190205_trump_state.tsv",
    "20190215_trump_emergency.tsv",
)
NUMBER_RULE = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?)\b",
    re.IGNORECASE,
)
THRESHOLD_GRID = [round(0.01 * i, 2) for i in range(101)]


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Row:
    text: str
    group: str  # debate
    label: bool
    source: str  # "claimbuster" | "checkthat"
    factual: bool | None = None  # ClaimBuster: CFS or UFS (a factual sentence); None = not annotated


def read_claimbuster(path: Path) -> list[Row]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            Row(r["Text"], "cb:" + r["File_id"], r["Verdict"].strip() == "1", "claimbuster",
                r["Verdict"].strip() in ("0", "1"))
            for r in csv.DictReader(fh)
        ]


def read_checkthat(folder: Path) -> list[Row]:
    """Lines of the CheckThat training debates in ``folder`` (refuses the 2019 test debates)."""
    files = sorted(folder.glob("*.tsv"))
    reserved = [f.name for f in files if f.name in CHECKTHAT_2019_TEST]
    if reserved:
        raise SystemExit(f"{folder} holds CheckThat 2019 test debates ({', '.join(reserved)}): not training data")
    rows = []
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            for rec in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(rec) >= 4 and rec[3].strip() in ("0", "1"):
                    rows.append(Row(rec[2], "ct:" + f.name, rec[3].strip() == "1", "checkthat"))
    return rows


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def split_claimbuster(rows: Sequence[Row], fraction: float = DEV_FRACTION, seed: int = SPLIT_SEED):
    """Hold out whole debates until >= fraction of the sentences are in dev (as the earlier model)."""
    files = sorted({r.group for r in rows})
    random.Random(seed).shuffle(files)
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r.group] = sizes.get(r.group, 0) + 1
    dev: set[str] = set()
    n = 0
    for f in files:
        if n >= fraction * len(rows):
            break
        dev.add(f)
        n += sizes[f]
    return [r for r in rows if r.group not in dev], [r for r in rows if r.group in dev]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cats_for(row: Row, members: int, checkthat_positives_checkworthy: bool = True) -> dict[str, float]:
    """Gold cats of one sentence for every member; a label without annotation is left out.

    A CheckThat line has its own label; with ``checkthat_positives_checkworthy`` a line fact-checkers
    chose is also a check-worthy example (``[claimdesk]`` section of the config, default true).
    """
    cats: dict[str, float] = {}
    for i in range(members):
        if row.source == "claimbuster":
            cats[f"CHECKWORTHY_{i}"] = float(row.label)
            cats[f"FACTUAL_{i}"] = float(bool(row.factual))
        else:
            cats[f"CHECKTHAT_{i}"] = float(row.label)
            if row.label and checkthat_positives_checkworthy:  # a line fact-checkers chose is check-worthy
                cats[f"CHECKWORTHY_{i}"] = 1.0
    return cats


def member_cats(row: Row, i: int) -> dict[str, float]:
    """Gold cats of a ClaimBuster sentence for member ``i`` trained on its own: three exclusive classes."""
    cls = "CHECKWORTHY" if row.label else ("UNIMPORTANT_FACTUAL" if row.factual else "NON_FACTUAL")
    return {f"{c}_{i}": float(c == cls) for c in ("CHECKWORTHY", "UNIMPORTANT_FACTUAL", "NON_FACTUAL")}


def write_member_docbin(rows: Iterable[Row], path: Path, i: int) -> int:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=False)
    n = 0
    for r in rows:
        text = normalize(r.text)
        if not text or r.source != "claimbuster":
            continue
        doc = nlp.make_doc(text)
        doc.cats = member_cats(r, i)
        db.add(doc)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def write_checkthat_docbin(rows: Iterable[Row], path: Path, i: int) -> int:
    """Member ``i`` trained on CheckThat lines only: one label, ``CHECKTHAT_i``; the debate in user_data
    (the scorer's MAP is per debate)."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=True)
    n = 0
    for r in rows:
        text = normalize(r.text)
        if not text or r.source != "checkthat":
            continue
        doc = nlp.make_doc(text)
        doc.cats = {f"CHECKTHAT_{i}": float(r.label)}
        doc.user_data["group"] = r.group
        db.add(doc)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def write_docbin(rows: Iterable[Row], path: Path, members: int, checkthat_positives_checkworthy: bool = True) -> int:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=False)
    n = 0
    for r in rows:
        text = normalize(r.text)
        if not text:
            continue
        doc = nlp.make_doc(text)
        doc.cats = cats_for(r, members, checkthat_positives_checkworthy)
        db.add(doc)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def members_in_config(config: Path = CONFIG) -> int:
    from spacy.util import load_config

    cfg = load_config(config)
    separate = cfg.get("claimdesk", {}).get("members")
    return int(separate) if separate else len(cfg["nlp"]["pipeline"])


def separate_members(config: Path = CONFIG) -> int:
    """How many members are trained one by one from ``config`` (``[claimdesk] members``), else 0."""
    return int(config_option(config, "members", 0) or 0)


def config_option(config: Path, name: str, default: Any) -> Any:
    """A data option of the ``[claimdesk]`` section of a training config (spaCy ignores the section)."""
    from spacy.util import load_config

    return load_config(config).get("claimdesk", {}).get(name, default)


def config_uses_checkthat(config: Path = CONFIG) -> bool:
    """True when the config's members have a CHECKTHAT label (then the CheckThat debates are trained on)."""
    from spacy.util import load_config

    comps = load_config(config).get("initialize", {}).get("components", {})
    return any(str(lab).startswith("CHECKTHAT") for c in comps.values() for lab in c.get("labels", []))


def load_splits(claimbuster: Path, checkthat: Path | None):
    crowd = read_claimbuster(claimbuster / "crowdsourced.csv")
    ground = read_claimbuster(claimbuster / "groundtruth.csv")
    gt = {_key(r.text) for r in ground}
    kept = [r for r in crowd if _key(r.text) not in gt]
    cb_train, cb_dev = split_claimbuster(kept)
    ct_rows = read_checkthat(checkthat) if checkthat and checkthat.is_dir() else []
    ct_dev_groups = {"ct:" + f for f in CHECKTHAT_DEV}
    ct_train = [r for r in ct_rows if r.group not in ct_dev_groups]
    ct_dev = [r for r in ct_rows if r.group in ct_dev_groups]
    return {
        "crowd": crowd, "ground": ground, "cb_train": cb_train, "cb_dev": cb_dev,
        "ct_train": ct_train, "ct_dev": ct_dev,
    }


def prepare(args) -> dict[str, Any]:
    s = load_splits(args.claimbuster, args.checkthat)
    ct_member = config_option(args.config, "checkthat_member", None)
    uses_checkthat = (config_uses_checkthat(args.config) or bool(ct_member)) and not args.no_checkthat
    if not uses_checkthat:  # a ClaimBuster-only config: no CheckThat line in training or its dev corpus
        s["ct_train"], s["ct_dev"] = [], []
    members = members_in_config(args.config)
    ct_pos_cw = config_option(args.config, "checkthat_positives_checkworthy", True)
    corpus = args.work / "corpus"
    if separate_members(args.config):
        if config_uses_checkthat(args.config):
            raise SystemExit(f"{args.config}: members trained one by one take ClaimBuster sentences only")
        counts = {}
        for i in range(members):
            counts[f"train_{i}"] = write_member_docbin(s["cb_train"], corpus / f"train_{i}.spacy", i)
            counts[f"dev_{i}"] = write_member_docbin(s["cb_dev"], corpus / f"dev_{i}.spacy", i)
        if uses_checkthat:  # a member of its own for the CheckThat label, numbered after the others
            if not s["ct_train"] or not s["ct_dev"]:
                raise SystemExit(f"{args.config} trains a CheckThat member: no CheckThat training debates in {args.checkthat}")
            counts[f"train_{members}"] = write_checkthat_docbin(s["ct_train"], corpus / f"train_{members}.spacy", members)
            counts[f"dev_{members}"] = write_checkthat_docbin(s["ct_dev"], corpus / f"dev_{members}.spacy", members)
    else:
        counts = {
            "train": write_docbin(s["cb_train"] + s["ct_train"], corpus / "train.spacy", members, ct_pos_cw),
            "dev": write_docbin(s["cb_dev"] + s["ct_dev"], corpus / "dev.spacy", members, ct_pos_cw),
            "dev_claimbuster": write_docbin(s["cb_dev"], corpus / "dev_claimbuster.spacy", members),
        }
    info = {
        "members": members,
        "config": str(args.config.resolve().relative_to(REPO_ROOT)) if args.config.resolve().is_relative_to(REPO_ROOT) else str(args.config),
        "config_sha256": sha256(args.config),
        "checkthat_trained_on": uses_checkthat,
        "checkthat_positives_checkworthy": bool(uses_checkthat and ct_pos_cw),
        "docs": counts,
        "claimbuster": {
            "crowdsourced_rows": len(s["crowd"]),
            "dropped_overlapping_groundtruth": len(s["crowd"]) - len(s["cb_train"]) - len(s["cb_dev"]),
            "train_rows": len(s["cb_train"]),
            "dev_rows": len(s["cb_dev"]),
            "dev_debates": sorted({r.group[3:] for r in s["cb_dev"]}),
            "crowdsourced_sha256": sha256(args.claimbuster / "crowdsourced.csv"),
            "groundtruth_sha256": sha256(args.claimbuster / "groundtruth.csv"),
        },
        "checkthat": {
            "source": "apepa/clef2019-factchecking-task1@7d463336897ad1f870cb6a481953b94550c788a7 data/training/",
            "train_rows": len(s["ct_train"]),
            "train_positives": sum(r.label for r in s["ct_train"]),
            "train_debates": sorted({r.group[3:] for r in s["ct_train"]}),
            "dev_rows": len(s["ct_dev"]),
            "dev_positives": sum(r.label for r in s["ct_dev"]),
            "dev_debates": sorted({r.group[3:] for r in s["ct_dev"]}),
        },
    }
    (args.work / "data.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(info["docs"]), flush=True)
    return info


def _spacy(args: list[str]) -> None:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    cmd = [sys.executable, "-m", "spacy", *args, "--code", str(FUNCTIONS)]
    print(" ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env)


def train(args) -> None:
    """``spacy train`` the config; members trained one by one are then put together by ``spacy assemble``."""
    corpus = args.work / "corpus"
    t0 = time.time()
    skipped = False
    n = separate_members(args.config)
    if n:
        ct_member = config_option(args.config, "checkthat_member", None)
        configs = [args.config] * n + ([args.config.parent / ct_member] if ct_member else [])
        for i, cfg in enumerate(configs):
            if args.resume and (args.work / f"member_{i}" / "model-best" / "meta.json").is_file():
                print(f"member {i}: {args.work / f'member_{i}'} already trained (--resume)", flush=True)
                skipped = True
                continue
            _spacy(["train", str(cfg), "--output", str(args.work / f"member_{i}"),
                    "--paths.train", str(corpus / f"train_{i}.spacy"), "--paths.dev", str(corpus / f"dev_{i}.spacy"),
                    "--system.seed", str(i)])
        ensemble = args.config.parent / config_option(args.config, "ensemble", "ensemble.cfg")
        out = args.work / "model" / "model-best"
        if out.exists():
            shutil.rmtree(out)
        _spacy(["assemble", str(ensemble), str(out), "--paths.members", str(args.work.resolve())])
    else:
        _spacy(["train", str(args.config), "--output", str(args.work / "model"),
                "--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy")])
    timing = args.work / "train_time.json"
    if skipped and timing.is_file():
        return  # the time of the run that trained the members stands
    timing.write_text(json.dumps({"seconds": round(time.time() - t0, 1)}), encoding="utf-8")


# --------------------------------------------------------------------------- metrics
def prf(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "n": len(gold), "positives": sum(1 for g in gold if g)}


def best_threshold(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, dict[str, Any]]:
    """The grid threshold with the highest F1 (ties: the lowest), as ``spacy find-threshold``."""
    best_t, best_m = 0.5, {"f1": -1.0}
    for t in THRESHOLD_GRID:
        m = prf(gold, [s >= t for s in scores])
        if m["f1"] > best_m["f1"]:
            best_t, best_m = t, m
    return best_t, best_m


def average_precision(gold: Sequence[bool], scores: Sequence[float]) -> float:
    """AP of one debate ranked by score (stable order for ties), as the CheckThat scorer."""
    order = sorted(range(len(gold)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if gold[i]:
            hits += 1
            total += hits / rank
    positives = sum(1 for g in gold if g)
    return total / positives if positives else 0.0


def mean_average_precision(rows: Sequence[Row], scores: Sequence[float]) -> tuple[float, dict[str, float]]:
    by: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by.setdefault(r.group, []).append(i)
    per = {g[3:]: average_precision([rows[i].label for i in idx], [scores[i] for i in idx]) for g, idx in by.items()}
    return (sum(per.values()) / len(per) if per else 0.0), per


def is_dash_fragment(text: str) -> bool:
    """A short line broken by "--" or a dash ("But--", "And-- but--", "We need--")."""
    return bool(re.search(r"--|\u2014", text)) and len(normalize(text).split()) < 5


def dash_fragments_in_top(rows: Sequence[Row], scores: Sequence[float], top: int = 20) -> dict[str, int]:
    """How many dash fragments each debate has among its ``top`` highest-scoring lines."""
    out = {}
    for g in sorted({r.group for r in rows}):
        idx = sorted((i for i, r in enumerate(rows) if r.group == g), key=lambda i: -scores[i])[:top]
        out[g[3:]] = sum(1 for i in idx if is_dash_fragment(rows[i].text))
    return out


def number_rule(texts: Iterable[str]) -> list[bool]:
    return [bool(NUMBER_RULE.search(t)) for t in texts]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _model_dir(args) -> Path:
    return args.model if args.model else args.work / "model" / "model-best"


def _member_scores(model_dir: Path, rows: Sequence[Row]) -> tuple[list[float], list[float]]:
    from claimdesk.nlp.checkworthy import CheckworthyModel

    m = CheckworthyModel(model_dir, threshold=0.5, checkthat_weight=0.0)
    if not m.available:
        raise SystemExit(m.error)
    cw, ct = m.label_scores([r.text for r in rows])
    return cw, ct


def threshold(args) -> dict[str, Any]:
    """Ranking weight on the CheckThat dev debates, then the threshold on the ClaimBuster dev split."""
    s = load_splits(args.claimbuster, args.checkthat)
    model_dir = _model_dir(args)
    ct_cw, ct_ct = _member_scores(model_dir, s["ct_dev"]) if s["ct_dev"] else ([], [])
    weights = [round(0.1 * i, 1) for i in range(11)]
    per_weight = {}
    for w in weights:
        per_weight[w] = mean_average_precision(s["ct_dev"], [a + w * b for a, b in zip(ct_cw, ct_ct)])[0] if ct_cw else 0.0
    # smallest weight within 0.005 MAP of the best: the ClaimBuster score stays in charge
    top = max(per_weight.values())
    weight = min(w for w, v in per_weight.items() if v >= top - 0.005)
    cb_cw, cb_ct = _member_scores(model_dir, s["cb_dev"])
    gold = [r.label for r in s["cb_dev"]]
    combined = [(a + weight * b) / (1.0 + weight) for a, b in zip(cb_cw, cb_ct)]
    t, m = best_threshold(gold, combined)
    out = {
        "threshold": t,
        "threshold_selection": "maximum F1 of the check-worthy class on the ClaimBuster dev split "
                               "(whole debates), grid 0.00..1.00 step 0.01",
        "checkthat_weight": weight,
        "checkthat_weight_selection": "smallest weight within 0.005 of the best MAP on the CheckThat dev debates",
        "checkthat_dev_map_per_weight": {str(k): round(v, 4) for k, v in per_weight.items()},
        "dev": m,
    }
    (args.work / "threshold.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "dev"}, indent=1), "\ndev", m, flush=True)
    return out


def speed(model_dir: Path, texts: Sequence[str], repeats: int = 3) -> float:
    from claimdesk.nlp.checkworthy import CheckworthyModel

    m = CheckworthyModel(model_dir)
    m.score(texts[:200])
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        m.score(texts)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return sorted(rates)[len(rates) // 2]


def evaluate(args, model_dir: Path | None = None) -> dict[str, Any]:
    """Ground truth P/R/F1 at the stored threshold, CheckThat dev MAP, fragments, speed, size."""
    from claimdesk.nlp.checkworthy import CheckworthyModel

    model_dir = model_dir or _model_dir(args)
    thr_file = args.work / "threshold.json"
    kw = {}
    if (model_dir / "metrics.json").is_file() is False and thr_file.is_file():
        t = json.loads(thr_file.read_text(encoding="utf-8"))
        kw = {"threshold": t["threshold"], "checkthat_weight": t["checkthat_weight"]}
    m = CheckworthyModel(model_dir, **kw)
    if not m.available:
        raise SystemExit(m.error)
    s = load_splits(args.claimbuster, args.checkthat)
    ground = s["ground"]
    gt_texts = [r.text for r in ground]
    gold = [r.label for r in ground]
    scores = m.score(gt_texts)
    gt = prf(gold, [x >= m.threshold for x in scores])
    cb_dev = prf([r.label for r in s["cb_dev"]], [x >= m.threshold for x in m.score([r.text for r in s["cb_dev"]])])
    out: dict[str, Any] = {
        "model": str(model_dir),
        "threshold": m.threshold,
        "checkthat_weight": m.checkthat_weight,
        "groundtruth": gt,
        "groundtruth_number_rule": prf(gold, number_rule(gt_texts)),
        "dev": cb_dev,
    }
    if s["ct_dev"]:
        ct_scores = m.score([r.text for r in s["ct_dev"]])
        mp, per = mean_average_precision(s["ct_dev"], ct_scores)
        out["checkthat_dev"] = {"map": round(mp, 4), "per_debate": {k: round(v, 4) for k, v in per.items()},
                                "dash_fragments_in_top20": dash_fragments_in_top(s["ct_dev"], ct_scores),
                                "lines": len(s["ct_dev"])}
    if s["ct_train"] or s["ct_dev"]:
        every = s["ct_train"] + s["ct_dev"]
        frags = dash_fragments_in_top(every, m.score([r.text for r in every]))
        out["checkthat_training_debates"] = {"debates": len(frags), "lines": len(every),
                                             "dash_fragments_in_top20": sum(frags.values()),
                                             "per_debate": frags}
    out["sentences_per_second"] = round(speed(model_dir, gt_texts * 2), 1)
    out["model_size_bytes"] = dir_size(model_dir)
    print(json.dumps(out, indent=1), flush=True)
    return out


def _members_best(work: Path, n: int) -> list[dict[str, Any]]:
    """Each separately trained member's kept checkpoint: its step and dev scores (spaCy's meta.json)."""
    out = []
    for i in range(n):
        meta = json.loads((work / f"member_{i}" / "model-best" / "meta.json").read_text(encoding="utf-8"))
        perf = meta.get("performance", {})
        out.append({"member": i, "seed": i,
                    "dev_checkworthy_f1": round(float(perf.get("cats_checkworthy_f1", 0.0)), 4),
                    "dev_threshold": perf.get("cats_checkworthy_threshold"),
                    "dev_checkthat_map": round(float(perf.get("cats_checkthat_map", 0.0)), 4)})
    return out


def write_meta(out: Path, members: int) -> None:
    """Name, description, licence note and data source in the pipeline's meta.json (spaCy writes blanks)."""
    path = out / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update({
        "name": "checkworthy",
        "version": "2.0.0",
        "description": f"Check-worthiness sentence classifier (spaCy textcat ensemble, {members} members trained "
                       "apart by spacy train); score = mean P(CHECKWORTHY_i) over the members",
        "license": "training data ClaimBuster: CC BY 4.0 per SOURCE.md, not yet confirmed on the Zenodo record",
        "sources": [{"name": "ClaimBuster: A Benchmark Dataset of Check-worthy Factual Claims",
                     "url": "https://doi.org/10.5281/zenodo.3609356",
                     "author": "Arslan, Hassan, Li, Tremayne (ICWSM 2020, arXiv:2004.14425)"}],
    })
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def package(args) -> dict[str, Any]:
    """Copy model-best into resources/ with metrics.json (threshold, weight, figures, provenance)."""
    import spacy
    import thinc

    src = _model_dir(args)
    thr = json.loads((args.work / "threshold.json").read_text(encoding="utf-8"))
    data = json.loads((args.work / "data.json").read_text(encoding="utf-8"))
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src, out, ignore=shutil.ignore_patterns("metrics.json"))
    write_meta(out, len(json.loads((src / "meta.json").read_text(encoding="utf-8")).get("pipeline", [])))
    n = separate_members(args.config) + (1 if config_option(args.config, "checkthat_member", None) else 0)
    for i in range(n):  # the config spaCy wrote when training each member (the assembled one is config.cfg)
        (out / "members").mkdir(exist_ok=True)
        shutil.copyfile(args.work / f"member_{i}" / "model-best" / "config.cfg", out / "members" / f"checkworthy_{i}.cfg")
    metrics: dict[str, Any] = {
        "threshold": thr["threshold"],
        "checkthat_weight": thr["checkthat_weight"],
        "score": "(mean P(CHECKWORTHY_i) + w * mean P(CHECKTHAT_i)) / (1 + w) over the members, w = checkthat_weight",
        "selection": {k: v for k, v in thr.items() if k not in ("threshold", "checkthat_weight")},
        "data": data,
        "members_best_checkpoint": _members_best(args.work, n),
        "spacy_version": spacy.__version__,
        "thinc_version": thinc.__version__,
        "python_version": platform.python_version(),
    }
    tt = args.work / "train_time.json"
    if tt.is_file():
        metrics["train_time_seconds"] = json.loads(tt.read_text())["seconds"]
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    ev = evaluate(args, model_dir=out)
    metrics.update({k: v for k, v in ev.items() if k not in ("model", "threshold", "checkthat_weight")})
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    metrics["model_size_bytes"] = dir_size(out)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_readme(out, metrics)
    return metrics


def args_config(m: dict[str, Any]) -> Path:
    """The training config a packaged model's data.json names."""
    cfg = Path(m["data"].get("config", CONFIG))
    return cfg if cfg.is_absolute() else REPO_ROOT / cfg


def _member_width(config: Path) -> Any:
    """Width of the members' embeddings in a training config (\"?\" when the config says none)."""
    from spacy.util import load_config

    try:
        comps = load_config(config)["components"]
        return next(iter(comps.values()))["model"]["tok2vec"]["embed"]["width"]
    except (OSError, KeyError, StopIteration, TypeError):
        return "?"


def write_readme(out: Path, m: dict[str, Any]) -> None:
    template = (REPO_ROOT / "training" / "checkworthy" / "MODEL_README.md").read_text(encoding="utf-8")
    credit = (REPO_ROOT / "training" / "checkworthy" / "CREDITS.md").read_text(encoding="utf-8")
    if not m["data"].get("checkthat_trained_on"):  # the CheckThat! note is about models trained on it
        credit = credit.split("**CheckThat! data.**")[0].rstrip() + "\n"
    gt, dev, nr = m["groundtruth"], m["dev"], m["groundtruth_number_rule"]
    ct = m.get("checkthat_dev", {})
    text = template.format(
        threshold=m["threshold"], weight=m["checkthat_weight"],
        gt_p=f"{gt['precision']:.3f}", gt_r=f"{gt['recall']:.3f}", gt_f1=f"{gt['f1']:.3f}",
        dev_p=f"{dev['precision']:.3f}", dev_r=f"{dev['recall']:.3f}", dev_f1=f"{dev['f1']:.3f}",
        nr_p=f"{nr['precision']:.3f}", nr_r=f"{nr['recall']:.3f}", nr_f1=f"{nr['f1']:.3f}",
        ct_debates=", ".join(sorted(ct.get("per_debate", {}))), ct_map=ct.get("map", "n/a"),
        ct_frag=sum(ct.get("dash_fragments_in_top20", {}).values()),
        ct_all_debates=m.get("checkthat_training_debates", {}).get("debates", "n/a"),
        ct_frag_all=m.get("checkthat_training_debates", {}).get("dash_fragments_in_top20", "n/a"),
        size_mb=f"{m['model_size_bytes'] / 1e6:.1f}", speed=f"{m['sentences_per_second']:,.0f}",
        spacy_version=m["spacy_version"], train_min=f"{m.get('train_time_seconds', 0) / 60:.0f}",
        members=m["data"]["members"], width=_member_width(args_config(m)),
        sel_f1=f"{m.get('selection', {}).get('dev', {}).get('f1', float('nan')):.4f}",
    )
    (out / "README.md").write_text(text + "\n" + credit, encoding="utf-8")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("step", choices=["all", "prepare", "train", "threshold", "evaluate", "package"])
    p.add_argument("--claimbuster", type=Path, default=DEFAULT_CLAIMBUSTER, help="default: %(default)s")
    p.add_argument("--checkthat", type=Path, default=DEFAULT_CHECKTHAT,
                   help="folder of CheckThat 2019 *training* .tsv files (default: %(default)s)")
    p.add_argument("--config", type=Path, default=CONFIG, help="default: %(default)s")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpus and training output (default: %(default)s)")
    p.add_argument("--model", type=Path, default=None, help="model to evaluate (default: WORK/model/model-best)")
    p.add_argument("--resume", action="store_true",
                   help="train: keep the members already trained in WORK (member_i/model-best)")
    p.add_argument("--no-checkthat", action="store_true", help="prepare: ClaimBuster only (an ablation)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where `package` puts the model (default: %(default)s)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for name in ("crowdsourced.csv", "groundtruth.csv"):
        if not (args.claimbuster / name).is_file():
            print(f"error: {args.claimbuster / name} not found (use --claimbuster)", file=sys.stderr)
            return 2
    steps = ["prepare", "train", "threshold", "package"] if args.step == "all" else [args.step]
    for step in steps:
        {"prepare": prepare, "train": train, "threshold": threshold, "evaluate": evaluate, "package": package}[step](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
