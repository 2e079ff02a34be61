"""The suite as CI runs it: every test, the slow ones included (`-m "not slow"` is for a quick local run)."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _deselects(args: list[str]) -> bool:
    return any(a == "-m" or a.startswith(("-m", "-k", "--deselect", "--ignore")) for a in args)


def test_ci_and_dev_sh_run_every_test_including_the_slow_ones():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in config["markers"])
    assert not _deselects(shlex.split(config.get("addopts", "")))
    # .ci/run: `./dev.sh test ARGS`, and dev.sh hands ARGS to pytest unchanged
    ci = [shlex.split(l) for l in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if l.strip() and not l.lstrip().startswith("#")]
    (run,) = [args for args in ci if args[:2] == ["./dev.sh", "test"]]
    assert not _deselects(run[2:]), run
    test_task = (ROOT / "dev.sh").read_text(encoding="utf-8").split("\n    test)", 1)[1].split(";;", 1)[0]
    (line,) = [l for l in test_task.splitlines() if "-m pytest" in l]
    assert shlex.split(line.split("-m pytest", 1)[1]) == ["$@"], line
