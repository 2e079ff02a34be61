"""The value reader against quantulum3 on our labelled table of phrases, by category.

The table (``tests/data/values_table.jsonl``) holds one sentence a row, the
character span of the figure in it, its category and what a reader should get:
an amount (and ``high`` for a range) in a unit written the way pint spells it
(``metric_ton``, ``km/hour``, ``degC``), an ISO 4217 code, ``%``/``pp``, no
unit for a plain count, or a date / a time of day with its zone. Rows that
expect ``none`` hold no figure at the span (or in the whole sentence): every
value read there is a spurious reading.

Both readers are scored the same way: the first value that overlaps the span
is compared with the label after converting both to SI base units with pint,
so "40 km" read as 40,000 m is as right as 40 km. "number" means the amount
(both ends of a range) is right; "number+unit" also needs the unit's
dimension and currency to be right. quantulum3 reports a range as its middle
and an uncertainty; that is turned back into two ends.

Run: ``python -m claimdesk.bench bench_values`` (the README table), or
``python -m claimdesk.bench.bench_values`` for the per-category table and the misses.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from claimdesk.bench import Result, median_time

TABLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "values_table.jsonl"
_CODE = re.compile(r"^[A-Z]{3}$")
_SPECIAL = {None, "%", "pp", "magnitude", "ordinal", "mpg", "rpm"}
# our unit names that pint spells otherwise
_PINT_SPELLING = {"m2": "m**2", "km/h": "km/hour", "Mbit/s": "Mbit/second"}


def load_table(path: Path = TABLE) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@lru_cache(maxsize=1)
def _ureg():
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=4096)
def _base_factor(unit: str) -> tuple[float, float, str] | None:
    """(factor, offset, base unit) with base = amount * factor + offset, or None if pint cannot read it."""
    ureg = _ureg()
    try:
        q0 = ureg.Quantity(0.0, unit).to_base_units()
        q1 = ureg.Quantity(1.0, unit).to_base_units()
    except Exception:  # noqa: BLE001 - pint raises many kinds for a unit it does not know
        return None
    return float(q1.magnitude - q0.magnitude), float(q0.magnitude), str(q1.units)


def base(amount: float | None, unit: str | None) -> tuple[float | None, str | None]:
    if amount is None or unit in _SPECIAL or _CODE.match(unit or ""):
        return amount, unit
    got = _base_factor(_PINT_SPELLING.get(unit, unit))
    if got is None:
        return amount, unit
    factor, offset, base_unit = got
    return amount * factor + offset, base_unit


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=0.005, abs_tol=1e-9)


# -- a reading, reduced to what the table can check -------------------------------------------------


@dataclass
class Reading:
    start: int
    end: int
    low: float | None
    high: float | None
    unit: str | None
    kind: str = "value"  # "value", "date" or "time"
    date: str | None = None  # ISO date, or "HH:MM" for a time
    zone: str | None = None
    bound: str | None = None


def ours(sentence: str) -> list[Reading]:
    from claimdesk.nlp.values import read_values

    out = []
    for v in read_values(sentence, published="2024-02-27"):
        unit = v.unit
        kind = "value"
        if v.type == "count":
            unit = None
        elif v.type == "ordinal":
            unit = "ordinal"
        elif v.type == "date":
            kind = "date"
        elif v.type == "time":
            kind = "time"
        high = getattr(v, "high", None)
        zone = v.unit if kind == "time" and v.unit != "hour" else None
        out.append(Reading(v.start, v.end, v.amount, high if high is not None else v.amount, unit, kind,
                           v.date, zone, v.bound))
    return out


_Q_UNITS = {"percentage": "%", "percentage point": "pp", "dimensionless": None, "degree Celsius": "degC",
            "degree fahrenheit": "degF", "degree Fahrenheit": "degF", "dozen": None,
            "revolution per minute": "rpm", "mile per gallon": "mpg", "mile per US gallon": "mpg"}


def _q_unit(q) -> str | None:
    code = getattr(q.unit, "currency_code", None)
    if code:
        return code
    name = q.unit.name
    if name in _Q_UNITS:
        return _Q_UNITS[name]
    for candidate in (name, name.replace(" ", "_")):
        if _base_factor(candidate) is not None:
            return candidate
    return name


def quantulum_parser(raw: bool = False):
    """quantulum3's ``parser.parse``, its results as Readings (or as they come, with ``raw``)."""
    import logging
    import warnings

    logging.getLogger("quantulum3").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    def parse_raw(text: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return parser.parse(text)

    if raw:
        return parse_raw

    def parse(text: str) -> list[Reading]:
        found = parse_raw(text)
        out = []
        for q in found:
            unc = q.uncertainty or 0.0
            factor = 12 if q.unit.name == "dozen" else 1
            out.append(Reading(q.span[0], q.span[1], (q.value - unc) * factor, (q.value + unc) * factor,
                               _q_unit(q)))
        return out

    return parse


# -- scoring ---------------------------------------------------------------------------------------


@dataclass
class Score:
    rows: int = 0
    number: int = 0
    unit: int = 0
    bound_rows: int = 0
    bound: int = 0
    none_rows: int = 0
    spurious: int = 0
    misses: list[str] = field(default_factory=list)


def _overlapping(readings: list[Reading], row: dict) -> list[Reading]:
    if row.get("span") is None:
        return readings
    s, e = row["span"]
    return [r for r in readings if r.start < e and s < r.end]


def judge(row: dict, readings: list[Reading]) -> tuple[bool, bool, bool | None]:
    """(number right, number and unit right, bound right or None when the row sets no bound)."""
    hits = _overlapping(readings, row)
    if not hits:
        return False, False, (False if row.get("bound") else None)
    r = hits[0]
    bound_ok = (r.bound == row["bound"]) if row.get("bound") else None
    if row["expect"] == "date":
        ok = r.kind == "date" and r.date == row["date"]
        if not ok and re.fullmatch(r"\d{4}", row["date"]) and r.kind == "value" and r.low == int(row["date"]):
            return True, False, bound_ok  # the year as a bare number: the number is right, not what it is
        return ok, ok, bound_ok
    if row["expect"] == "time":
        hh, mm = map(int, row["time"].split(":"))
        if r.kind == "time":
            ok = r.date == row["time"]
            return ok, ok and r.zone == row.get("zone"), bound_ok
        ok = _close(r.low, hh + mm / 60) or _close(r.low, hh * 100 + mm) or (mm == 0 and _close(r.low, hh % 12))
        return ok, False, bound_ok
    want_lo, want_hi = row["amount"], row.get("high", row["amount"])
    if r.kind != "value":
        return False, False, bound_ok
    lo_b, unit_b = base(want_lo, row["unit"])
    hi_b, _ = base(want_hi, row["unit"])
    got_lo, got_unit = base(r.low, r.unit)
    got_hi, _ = base(r.high, r.unit)
    raw = _close(r.low, want_lo) and _close(r.high, want_hi)
    based = _close(got_lo, lo_b) and _close(got_hi, hi_b)
    number = raw or based
    unit = based and got_unit == unit_b
    return number, unit, bound_ok


def score(rows: list[dict], read) -> dict[str, Score]:
    """Per category, and "all"."""
    scores: dict[str, Score] = defaultdict(Score)
    for row in rows:
        readings = read(row["sentence"])
        for key in (row["category"], "all"):
            sc = scores[key]
            if row["expect"] == "none":
                n = len(_overlapping(readings, row))
                sc.none_rows += 1
                sc.spurious += n
                if n and key != "all":
                    sc.misses.append(row["sentence"])
                continue
            number, unit, bound = judge(row, readings)
            sc.rows += 1
            sc.number += number
            sc.unit += unit
            if bound is not None:
                sc.bound_rows += 1
                sc.bound += bound
            if not unit and key != "all":
                sc.misses.append(row["sentence"])
    return dict(scores)


def speed(sentences: list[str], read, repeat: int = 3) -> float:
    """Median seconds to read every sentence once."""
    return median_time(lambda: [read(s) for s in sentences], repeat=repeat, warmup=1)


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.0f}" if n else "-"


def markdown(mine: dict[str, Score], theirs: dict[str, Score]) -> str:
    lines = ["| category | phrases | number (ours / quantulum3) | number+unit (ours / quantulum3) |",
             "|---|---|---|---|"]
    for cat in sorted(k for k in mine if k != "all"):
        a, b = mine[cat], theirs.get(cat, Score())
        if a.rows:
            lines.append(f"| {cat} | {a.rows} | {_pct(a.number, a.rows)} / {_pct(b.number, b.rows)} % | "
                         f"{_pct(a.unit, a.rows)} / {_pct(b.unit, b.rows)} % |")
        else:
            lines.append(f"| {cat} (spurious readings) | {a.none_rows} | {a.spurious} / {b.spurious} | |")
    a, b = mine["all"], theirs["all"]
    lines.append(f"| **all** | {a.rows} | {100 * a.number / a.rows:.1f} / {100 * b.number / b.rows:.1f} % | "
                 f"{100 * a.unit / a.rows:.1f} / {100 * b.unit / b.rows:.1f} % |")
    return "\n".join(lines)


def run(quick: bool) -> list[Result]:
    from claimdesk.bench.bench_suggest import MIN_WORDS, QUICK_WORDS, _paragraphs, corpus
    from claimdesk.nlp.values import read_values

    rows = load_table()
    parse = quantulum_parser()
    parse(rows[0]["sentence"])  # load its classifier
    mine, theirs = score(rows, ours), score(rows, parse)
    a, b = mine["all"], theirs["all"]
    repeat = 1 if quick else 3
    # speed: the table's sentences, and sentences with figures from the suggestion benchmark's corpus
    raw = quantulum_parser(raw=True)
    table_sentences = [r["sentence"] for r in rows]
    t_ours, t_theirs = speed(table_sentences, read_values, repeat * 3), speed(table_sentences, raw, repeat)
    paragraphs = _paragraphs(corpus(QUICK_WORDS if quick else MIN_WORDS))
    news = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if re.search(r"\d", s)]
    news = news[: 40 if quick else 150]
    n_ours, n_theirs = speed(news, read_values, repeat * 3), speed(news, raw, repeat)
    n = len(rows)
    return [
        Result("value reader, right number (own table)", 100 * a.number / a.rows, "%", "≥ 85 %",
               f"{a.rows} labelled figures in {len([k for k in mine if k != 'all' and mine[k].rows])} categories; "
               f"quantulum3 {100 * b.number / b.rows:.1f} %"),
        Result("value reader, right number and unit (own table)", 100 * a.unit / a.rows, "%", "≥ 75 %",
               f"quantulum3 {100 * b.unit / b.rows:.1f} %"),
        Result("value reader, right bound (own table)", 100 * a.bound / max(1, a.bound_rows), "%", "",
               f"{a.bound_rows} rows that state a bound"),
        Result("value reader, spurious readings (own table)", a.spurious, "values", "≤ 12",
               f"{a.none_rows} sentences with no figure or a tricky non-figure; quantulum3 {b.spurious}"),
        Result("value reader speed vs quantulum3 (own table)", t_theirs / t_ours, "x faster", "≥ 2x",
               f"{n} sentences: read_values {n / t_ours:,.0f}/s, quantulum3 {n / t_theirs:,.1f}/s; medians"),
        Result("value reader speed vs quantulum3 (news sentences)", n_theirs / n_ours, "x faster", "≥ 2x",
               f"{len(news)} sentences with figures: read_values {len(news) / n_ours:,.0f}/s, "
               f"quantulum3 {len(news) / n_theirs:,.1f}/s; medians"),
    ]


def main() -> int:
    rows = load_table()
    parse = quantulum_parser()
    mine, theirs = score(rows, ours), score(rows, parse)
    print(markdown(mine, theirs))
    print()
    for cat in sorted(mine):
        if cat != "all" and mine[cat].misses:
            print(f"{cat}: " + " | ".join(mine[cat].misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
