"""Run every benchmark and print a Markdown table (the one README keeps)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import resource
import sys

import claimdesk.bench as bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimdesk.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    parser.add_argument("only", nargs="*", help="run only these modules (e.g. bench_align)")
    args = parser.parse_args(argv)
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if args.only:
        names = [n for n in names if n in args.only or n.removeprefix("bench_") in args.only]
    rows = []
    for name in names:
        module = importlib.import_module(f"claimdesk.bench.{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run(quick=args.quick))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Machine: {bench.machine()}\n")
    print("| benchmark | result | target | note |")
    print("|---|---|---|---|")
    for r in rows:
        value = f"{r.value:,.3g}" if abs(r.value) < 1000 else f"{r.value:,.0f}"
        print(f"| {r.name} | {value} {r.unit} | {r.target} | {r.note} |")
    print(f"| peak memory of the benchmark process | {peak_mb:,.0f} MB | | all benchmarks in one process |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
