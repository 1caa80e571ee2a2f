"""Search quality: hit@1, hit@5 and MRR over a file of queries.

Used by ``make bench-search`` (benchmarks/search_quality.py) and by the tests,
which assert floors just below the measured figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml


@dataclass
class Query:
    q: str
    kind: str
    expect: list[str]


@dataclass
class Quality:
    """Scores of one engine over one query set."""

    engine: str
    n: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    empty: int = 0    # queries with no result at all
    nothing: int = 0  # queries answered "库里暂时没有…"
    absent: bool = False  # topics no record answers: scored by the "nothing here" answers
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def line(self) -> str:
        if self.absent:
            return (f"{self.engine}: “库里暂时没有” {self.nothing}/{self.n}（{self.nothing / max(1, self.n):.0%}），"
                    f"空列表 {self.empty}（{self.n} 个库里没有的话题）")
        return (f"{self.engine}: hit@1 {self.hit1:.3f}  hit@5 {self.hit5:.3f}  MRR {self.mrr:.3f}  "
                f"空列表 {self.empty}  “库里暂时没有” {self.nothing}（{self.n} 条查询）")



def load_queries(path: Path, part: str = "queries") -> list[Query]:
    """The queries of one part of a query file.

    ``search_queries.yml`` and ``problem_queries.yml`` have one part,
    ``queries`` (accepted records under ``expect``); ``heldout_queries.yml``
    has ``dev``, ``test``, ``absent_dev`` and ``absent_test`` (accepted records
    under ``accept``; none for an absent topic, where the right answer is
    "nothing here").
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [Query(str(x["q"]), x.get("kind", part), list(x.get("expect", x.get("accept", []))))
            for x in data[part]]


def evaluate(engine: str, queries: list[Query], run: Callable[[str], list[str] | tuple[list[str], bool]]) -> Quality:
    """Run every query through ``run`` (query → ranked ids, or ranked ids and the "nothing here" verdict) and score it.

    A set whose queries accept no record (topics the library does not cover)
    is scored by how often the answer is "nothing here".
    """
    out = Quality(engine=engine, n=len(queries), absent=not any(q.expect for q in queries))
    h1 = h5 = rr = 0.0
    for qu in queries:
        got = run(qu.q)
        ranked, nothing = got if isinstance(got, tuple) else (got, False)
        out.empty += not ranked
        out.nothing += nothing
        if not qu.expect:
            continue
        rank = next((i for i, rid in enumerate(ranked) if rid in qu.expect), None)
        if rank == 0:
            h1 += 1
        if rank is not None and rank < 5:
            h5 += 1
        if rank is not None:
            rr += 1 / (rank + 1)
        if rank != 0:
            out.misses.append((qu.q, qu.expect, ranked[:5]))
    if queries:
        out.hit1, out.hit5, out.mrr = h1 / len(queries), h5 / len(queries), rr / len(queries)
    return out
