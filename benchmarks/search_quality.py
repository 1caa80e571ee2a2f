"""make bench-search: search quality (hit@1, hit@5, MRR) for the command line and the browser.

The browser engine is driven in headless Chromium from file:// with every
non-file request blocked. Prints the per-query misses.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from build_tools import whoosh_index  # noqa: E402
from browsereval import engine_ids, first_result_seconds, open_engine  # noqa: E402
from build_tools.build import build_site, load_corpus  # noqa: E402
from searcheval import evaluate, load_queries  # noqa: E402
from sitekit import OfflineBrowser  # noqa: E402


def main() -> int:
    queries = load_queries(ROOT / "tests" / "search_queries.yml")
    corpus, _ = load_corpus(ROOT / "cases")
    out = ROOT / "benchmarks" / "out"
    whoosh_index.build_whoosh(corpus, out / "search_index")
    s = whoosh_index.Searcher(out / "search_index")
    cli = evaluate("命令行（Whoosh）", queries, lambda q: [h.id for h in s.search(q, limit=10)])
    t = time.perf_counter()
    for q in queries:
        s.search(q.q, limit=10)
    cli_ms = (time.perf_counter() - t) * 1000 / len(queries)
    s.close()
    site = build_site(ROOT, out / "site")
    b = OfflineBrowser()
    page = open_engine(b.context, site)
    web = evaluate("浏览器（file://）", queries, lambda q: engine_ids(page, q))
    first = first_result_seconds(b.context, site, "外卖骑手怎么参与社区治理")
    external = list(b.external)
    b.close()
    for res in (cli, web):
        print(res.line())
        for q, expect, got in res.misses:
            print(f"   未命中第一位：{q}  期望 {expect[:3]}  实得 {got[:3]}")
    print(f"命令行平均查询时间（热）：{cli_ms:.1f} ms；浏览器从输入到首个结果：{first * 1000:.0f} ms；外部请求：{len(external)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
