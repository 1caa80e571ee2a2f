"""make bench-search: search quality (hit@1, hit@5, MRR) for the command line and the browser.

Two query sets: tests/search_queries.yml (names, topics, figures, places) and
tests/problem_queries.yml (problems in cadres' everyday words, written from
the problem side). Both engines run the one plan (build_tools/ranking.py);
the browser engine is driven in headless Chromium from file:// with every
non-file request blocked. Prints the misses, the queries where the two
engines' top five differ, and empty result lists.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browsereval import engine_ids, first_result_seconds, open_engine  # noqa: E402
from build_tools import whoosh_index  # noqa: E402
from build_tools.build import build_site, load_corpus  # noqa: E402
from searcheval import evaluate, load_queries  # noqa: E402
from sitekit import OfflineBrowser  # noqa: E402

SETS = {"名称与主题（search_queries.yml）": "search_queries.yml", "日常说法的问题（problem_queries.yml）": "problem_queries.yml"}


def main() -> int:
    import tempfile

    corpus, _ = load_corpus(ROOT / "cases")
    out = Path(tempfile.mkdtemp(prefix="bench-search-"))
    whoosh_index.build_whoosh(corpus, out / "search_index")
    s = whoosh_index.Searcher(out / "search_index")
    site = build_site(ROOT, out / "site")
    b = OfflineBrowser()
    page = open_engine(b.context, site)
    for title, name in SETS.items():
        queries = load_queries(ROOT / "tests" / name)
        cli = evaluate("命令行", queries, lambda q: [h.id for h in s.search(q, limit=10)])
        web = evaluate("浏览器（file://）", queries, lambda q: engine_ids(page, q))
        print(f"== {title}")
        for res in (cli, web):
            print("  " + res.line())
        for q, expect, got in cli.misses:
            print(f"   未命中第一位：{q}  期望 {expect[:3]}  实得 {got[:3]}")
        differ = [q.q for q in queries if [h.id for h in s.search(q.q, limit=5)] != engine_ids(page, q.q, 5)]
        empty = [q.q for q in queries if not s.search(q.q, limit=5)]
        print(f"  两个引擎前五条不同的查询：{len(differ)} {differ[:5]}；结果为空的查询：{len(empty)} {empty[:5]}")
    queries = load_queries(ROOT / "tests" / "search_queries.yml")
    t = time.perf_counter()
    for q in queries:
        s.search(q.q, limit=10)
    cli_ms = (time.perf_counter() - t) * 1000 / len(queries)
    s.close()
    first = first_result_seconds(b.context, site, "外卖骑手怎么参与社区治理")
    external = list(b.external)
    b.close()
    print(f"命令行平均查询时间（热）：{cli_ms:.1f} ms；浏览器从输入到首个结果：{first * 1000:.0f} ms；外部请求：{len(external)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
