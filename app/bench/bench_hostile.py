"""Import time per MB of hostile text next to ordinary prose, and the peak memory of one import.

Each input is written to a file and imported (read, suggest, align) into a new
project by ``claimdesk``'s own ``import_paths`` in a fresh process, which
reports its wall time and its peak resident memory. The inputs:

- ordinary prose: the sample and dev-set articles, figures varied, paragraphs as written;
- symbol runs: lines of 30,000 ``€`` (six such lines took 344 s before issue 16);
- emoji runs: lines of emoji with skin tones and ZWJ sequences;
- symbols and letters: ``a:a::1:`` and the like with no blank (quadratic in spaCy's tokenizer);
- one line: prose with every line break removed (one line of 10 MB in the full run);
- 20 MB of ordinary prose (1 MB with ``--quick``).

The target: every kind within 3x of ordinary prose per MB, and under 2 GB of
memory for 20 MB. Each figure is one run (a 20 MB import takes minutes).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimdesk.bench import Result

MB = 1024 * 1024


def _prose(size: int, seed: int = 16, one_line: bool = False) -> str:
    from claimdesk.bench.bench_suggest import _source_texts, _vary

    rng = random.Random(seed)
    texts = _source_texts()
    parts, total, n = [], 0, 0
    while total < size:
        t = _vary(texts[n % len(texts)], rng)
        parts.append(t)
        total += len(t.encode("utf-8")) + 2
        n += 1
    text = "\n\n".join(parts)
    if one_line:
        text = re.sub(r"\s*\n\s*", " ", text)
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def _symbols(size: int) -> str:
    line = "€" * 30_000
    lines = ["The council spent €12m on roads in 2023, officials said."]
    while sum(len(x.encode("utf-8")) + 1 for x in lines) < size:
        lines.append(line)
    return "\n".join(lines)


def _emoji(size: int) -> str:
    unit = "😀👍🏽👨\u200d👩\u200d👧🇫🇷🎉"
    line = unit * 2_000
    lines = ["More than 2,000 homes were evacuated on Saturday night."]
    while sum(len(x.encode("utf-8")) + 1 for x in lines) < size:
        lines.append(line)
    return "\n".join(lines)


def _mixed(size: int) -> str:
    rng = random.Random(5)
    alphabet = "a:1(é\"%-."
    lines = ["The river peaked at 5.2 metres in Skelby, the agency said."]
    while sum(len(x.encode("utf-8")) + 1 for x in lines) < size:
        lines.append("".join(rng.choice(alphabet) for _ in range(9_000)))
    return "\n".join(lines)


KINDS = {
    "ordinary prose": lambda size: _prose(size),
    "symbol runs (lines of 30,000 €)": _symbols,
    "emoji runs": _emoji,
    "symbols and letters, no blanks": _mixed,
    "one line of prose": lambda size: _prose(size, one_line=True),
}


def _one(kind: str, size: int) -> dict:
    """Import one generated file in this process; report seconds, MB and peak memory."""
    import resource

    from claimdesk.services.pipeline import default_suggester, import_paths
    from claimdesk.storage.project import Project

    default_suggester()  # loading spaCy is not part of the import's time
    text = KINDS[kind](size)
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-hostile-") as tmp:
        path = Path(tmp) / "input.txt"
        path.write_text(text, encoding="utf-8")
        mb = path.stat().st_size / MB
        with Project(Path(tmp) / "p.claimdesk") as project:
            t = time.perf_counter()
            results = import_paths(project, [path])
            seconds = time.perf_counter() - t
            claims = project.counts()["claims"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "mb": mb, "peak_mb": peak, "claims": claims,
            "error": results[0].error}


def _measure(kind: str, size: int) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run([sys.executable, "-m", "claimdesk.bench.bench_hostile", kind, str(size)],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Result]:
    size = MB // 4 if quick else MB
    results = []
    base = _measure("ordinary prose", size)
    per_mb = base["seconds"] / base["mb"]
    results.append(Result(name=f"import, ordinary prose ({base['mb']:.2f} MB)", value=per_mb, unit="s/MB",
                          note=f"{base['claims']} claims; peak memory {base['peak_mb']:,.0f} MB"))
    for kind in list(KINDS)[1:]:
        kind_size = 10 * MB if kind == "one line of prose" and not quick else size
        r = _measure(kind, kind_size)
        ratio = (r["seconds"] / r["mb"]) / per_mb
        results.append(Result(
            name=f"import, {kind} ({r['mb']:.2f} MB)", value=r["seconds"] / r["mb"], unit="s/MB",
            target="≤ 3x prose", note=f"{ratio:.2f}x prose per MB; peak memory {r['peak_mb']:,.0f} MB"
            + (f"; refused: {r['error']}" if r["error"] else "")))
    big = _measure("ordinary prose", MB if quick else 20 * MB)
    results.append(Result(
        name=f"import, {big['mb']:.0f} MB of ordinary prose", value=big["peak_mb"], unit="MB peak",
        target="< 2 GB", note=f"{big['seconds']:,.0f} s ({big['seconds'] / big['mb'] / per_mb:.2f}x prose per MB); "
        f"{big['claims']:,} claims"))
    return results


if __name__ == "__main__":
    print(json.dumps(_one(sys.argv[1], int(sys.argv[2]))))
