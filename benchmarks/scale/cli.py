"""Command-line search stage: warm query times of one ``Searcher`` over the test queries."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from .common import ROOT


def p95(values: list[float]) -> float:
    """95th percentile, nearest rank."""
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(0.95 * len(v))) - 1))]


def stage_cli(project: Path, n: int) -> dict:
    """Every query of tests/search_queries.yml once to warm up, then three timed passes."""
    from build_tools.whoosh_index import Searcher
    from searcheval import load_queries

    queries = [q.q for q in load_queries(ROOT / "tests" / "search_queries.yml")][:60]
    s = Searcher(project / "search_index")
    try:
        for q in queries:  # warm-up pass, not timed
            s.search(q, limit=10)
        times, cpu = [], []
        hits = 0
        for _ in range(3):
            for q in queries:
                c, t = time.process_time(), time.perf_counter()
                res = s.search(q, limit=10)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                hits += bool(res)
    finally:
        s.close()
    slowest = sorted(zip(times, queries * 3), reverse=True)[:5]
    return {"cli_query_ms_p50": statistics.median(times), "cli_query_ms_p95": p95(times),
            "cli_query_cpu_ms_p50": statistics.median(cpu), "cli_query_cpu_ms_p95": p95(cpu),
            "cli_queries": len(times), "cli_queries_with_hits": hits,
            "cli_slowest_ms": [[round(ms, 1), q] for ms, q in slowest]}
