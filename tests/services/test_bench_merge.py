"""The merge benchmark (issue 17) runs as committed, small: two reviewers' files with differing claim AND fact
decisions, merged in a fresh process; its own checks (every differing decision disputed, the second merge a
no-op) hold."""

from __future__ import annotations

from claimdesk.bench import bench_merge


def test_quick_merge_benchmark_disputes_claims_and_facts():
    rows = bench_merge.run(quick=True)
    first, again, memory = rows
    assert "1,000 differing claim and 1,000 differing fact decisions" in first.name
    assert "1,000 claims and 1,000 facts disputed" in first.note
    assert first.unit == again.unit == "s" and first.value > 0 and again.value > 0
    assert memory.unit == "MB" and 0 < memory.value < 500
