"""Facts do not depend on how Python hashes strings in a run (PYTHONHASHSEED).

Each run is a real process with its own hash seed, as two users (or two CI runs) would get.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("1", "2", "3")

# Two articles name a different subject once each for the same figure: the label's subject is a tie
# that must be broken by the text, not by set order.
_TIE = r'''
import json
from claimdesk.core.facts import compute_facts
from claimdesk.services.pipeline import attribute_words
from claimdesk.core.model import EXACT, Article, Claim, Value

def claim(i, article, text, quote, subject):
    k = text.index(quote)
    c = Claim(article_id=article, start=0, end=len(text), text=text, kind="count", score=0.9, id=i)
    c.values.append(Value(start=k, end=k + len(quote), text=quote, type="money", amount=2e9, unit="USD",
                          bound=EXACT, subject=subject, attribute="investment"))
    return c

claims = [claim(1, 1, "Northwind Ventures made an investment of $2 billion in the startup.", "$2 billion",
                "Northwind Ventures"),
          claim(2, 2, "Bluefin Capital led the investment of $2 billion in the startup.", "$2 billion",
                "Bluefin Capital")]
arts = [Article(text="", id=i, published="2024-03-04") for i in (1, 2)]
print(json.dumps([f.label for f in compute_facts(claims, arts, attributes=attribute_words())]))
'''


def _run(args, seed):
    env = dict(os.environ, PYTHONHASHSEED=seed)
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_tie_between_subjects_is_broken_by_the_text_not_the_hash_seed():
    labels = {seed: json.loads(_run(["-c", _TIE], seed)) for seed in SEEDS}
    assert labels["1"] == ["Northwind Ventures' investment"]
    assert all(v == labels["1"] for v in labels.values()), labels


@pytest.mark.slow
def test_analyze_gives_the_same_facts_and_links_under_any_hash_seed():
    paths = [*sorted((ROOT / "resources" / "samples" / "mistral-2024").glob("*.txt")),
             *sorted((ROOT / "tests" / "data" / "sets").glob("*/*.txt"))]
    out = {}
    for seed in SEEDS[:2]:
        report = json.loads(_run(["-m", "claimdesk", "analyze", "--json", *map(str, paths)], seed))
        out[seed] = (report["facts"], report["links"])
    assert out["1"][0], "no facts: the check would prove nothing"
    assert out["1"] == out["2"]
