"""make bench-search: search quality (hit@1, hit@5, MRR, empty lists, "nothing here") in both engines.

Query sets, each reported on its own:

- tests/search_queries.yml — names, topics, figures, places;
- tests/problem_queries.yml — problems in cadres' everyday words;
- tests/heldout_queries.yml — ``dev`` (tuned on) and ``test`` (written first,
  never tuned on) problem queries from the articles, and ``absent_dev`` /
  ``absent_test``: everyday topics no article covers, where the right answer
  is 「库里暂时没有直接讲这个问题的案例」; a second round by another writer,
  ``dev2`` / ``test2`` / ``absent_dev2`` / ``absent_test2``, and a third by
  a third writer, ``dev3`` / ``test3`` / ``absent_dev3`` / ``absent_test3``,
  split the same way; a fourth, ``test4`` / ``absent_test4``, is a test part
  only, written after the ranking was settled on the development parts; a
  fifth by a fifth writer, ``dev5`` / ``test5`` / ``absent_dev5`` /
  ``absent_test5``, split into development and test parts like the first three;
  a sixth by a sixth writer, ``dev6`` / ``test6`` / ``absent_dev6`` / ``absent_test6``, the same way;
  a seventh, ``dev7`` / ``test7`` / ``absent_dev7`` / ``absent_test7``, likewise;
  an eighth, ``test8`` / ``absent_test8``, and a ninth, ``test9`` / ``absent_test9``, are test rounds
  only, like the fourth.

Both engines run the one plan (build_tools/ranking.py); the browser engine is
driven in headless Chromium from file:// with every non-file request blocked.
Misses are printed for the sets one may tune on, never for a test part.

``--dev-only`` runs only what one may tune on (the two guard sets and the
development parts), so a tuning round never computes a test part; the full
report, test parts as totals, is run once at the end of a round.
``--cli-only`` skips the browser (quick; the two engines are compared in the
full report and by tests/test_concept_terms.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browsereval import engine_answer, first_result_seconds, open_engine  # noqa: E402
from build_tools import whoosh_index  # noqa: E402
from build_tools.build import build_site, load_corpus  # noqa: E402
from searcheval import evaluate, load_queries  # noqa: E402
from sitekit import OfflineBrowser  # noqa: E402

HELDOUT = "heldout_queries.yml"
# (title, file, part, misses may be shown: only for what one tunes on)
SETS = [
    ("名称与主题（search_queries.yml）", "search_queries.yml", "queries", True),
    ("日常说法的问题（problem_queries.yml）", "problem_queries.yml", "queries", True),
    ("文章里的问题·开发部分（heldout dev）", HELDOUT, "dev", True),
    ("文章里的问题·测试部分（heldout test，从未据此调参）", HELDOUT, "test", False),
    ("库里没有的话题·开发部分（absent_dev）", HELDOUT, "absent_dev", True),
    ("库里没有的话题·测试部分（absent_test，从未据此调参）", HELDOUT, "absent_test", False),
    ("文章里的问题·第二轮开发部分（heldout dev2）", HELDOUT, "dev2", True),
    ("文章里的问题·第二轮测试部分（heldout test2，从未据此调参）", HELDOUT, "test2", False),
    ("库里没有的话题·第二轮开发部分（absent_dev2）", HELDOUT, "absent_dev2", True),
    ("库里没有的话题·第二轮测试部分（absent_test2，从未据此调参）", HELDOUT, "absent_test2", False),
    ("文章里的问题·第三轮开发部分（heldout dev3）", HELDOUT, "dev3", True),
    ("文章里的问题·第三轮测试部分（heldout test3，从未据此调参）", HELDOUT, "test3", False),
    ("库里没有的话题·第三轮开发部分（absent_dev3）", HELDOUT, "absent_dev3", True),
    ("库里没有的话题·第三轮测试部分（absent_test3，从未据此调参）", HELDOUT, "absent_test3", False),
    # Round 4 is a test part only: written after the last change to the ranking was decided on the dev parts.
    ("文章里的问题·第四轮（heldout test4，只作检验）", HELDOUT, "test4", False),
    ("库里没有的话题·第四轮（absent_test4，只作检验）", HELDOUT, "absent_test4", False),
    ("文章里的问题·第五轮开发部分（heldout dev5）", HELDOUT, "dev5", True),
    ("文章里的问题·第五轮测试部分（heldout test5，从未据此调参）", HELDOUT, "test5", False),
    ("库里没有的话题·第五轮开发部分（absent_dev5）", HELDOUT, "absent_dev5", True),
    ("库里没有的话题·第五轮测试部分（absent_test5，从未据此调参）", HELDOUT, "absent_test5", False),
    ("文章里的问题·第六轮开发部分（heldout dev6）", HELDOUT, "dev6", True),
    ("文章里的问题·第六轮测试部分（heldout test6，从未据此调参）", HELDOUT, "test6", False),
    ("库里没有的话题·第六轮开发部分（absent_dev6）", HELDOUT, "absent_dev6", True),
    ("库里没有的话题·第六轮测试部分（absent_test6，从未据此调参）", HELDOUT, "absent_test6", False),
    ("文章里的问题·第七轮开发部分（heldout dev7）", HELDOUT, "dev7", True),
    ("文章里的问题·第七轮测试部分（heldout test7，从未据此调参）", HELDOUT, "test7", False),
    ("库里没有的话题·第七轮开发部分（absent_dev7）", HELDOUT, "absent_dev7", True),
    ("库里没有的话题·第七轮测试部分（absent_test7，从未据此调参）", HELDOUT, "absent_test7", False),
    # Round 8 is a test round only, like round 4.
    ("文章里的问题·第八轮（heldout test8，只作检验）", HELDOUT, "test8", False),
    ("库里没有的话题·第八轮（absent_test8，只作检验）", HELDOUT, "absent_test8", False),
    ("文章里的问题·第九轮（heldout test9，只作检验）", HELDOUT, "test9", False),
    ("库里没有的话题·第九轮（absent_test9，只作检验）", HELDOUT, "absent_test9", False),
    ("文章里的问题·第十轮（heldout test10，只作检验）", HELDOUT, "test10", False),
    ("库里没有的话题·第十轮（absent_test10，只作检验）", HELDOUT, "absent_test10", False),
    ("文章里的问题·第十一轮（heldout test11，只作检验）", HELDOUT, "test11", False),
    ("库里没有的话题·第十一轮（absent_test11，只作检验）", HELDOUT, "absent_test11", False),
]


def main(argv: list[str]) -> int:
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(description="检索质量：两个引擎分套报告 hit@1、hit@5、MRR、空列表和“库里暂时没有”")
    ap.add_argument("--dev-only", action="store_true", help="只跑可以调参的几套（名称、日常说法、各轮开发部分），不碰测试部分")
    ap.add_argument("--cli-only", action="store_true", help="只跑命令行引擎（快；两个引擎是否一致由完整报告检查）")
    args = ap.parse_args(argv)
    corpus, _ = load_corpus(ROOT / "cases")
    out = Path(tempfile.mkdtemp(prefix="bench-search-"))
    whoosh_index.build_whoosh(corpus, out / "search_index")
    s = whoosh_index.Searcher(out / "search_index")
    b = page = site = None
    if not args.cli_only:
        site = build_site(ROOT, out / "site")
        b = OfflineBrowser()
        page = open_engine(b.context, site)

    def cli(q: str, n: int = 10) -> tuple[list[str], bool]:
        hits = s.search(q, limit=n)
        return [h.id for h in hits], hits.nothing

    for title, name, part, show in SETS:
        if args.dev_only and not show:
            continue
        queries = load_queries(ROOT / "tests" / name, part)
        results = [evaluate("命令行", queries, cli)]
        if page is not None:
            results.append(evaluate("浏览器（file://）", queries, lambda q: engine_answer(page, q)))
        print(f"== {title}")
        for res in results:
            print("  " + res.line())
        if show:
            for q, expect, got in results[0].misses:
                print(f"   未命中第一位：{q}  期望 {expect[:3]}  实得 {got[:3]}")
            if results[0].absent:
                said = [q.q for q in queries if not cli(q.q)[1]]
                print(f"   没有说“库里暂时没有”的：{said}")
        if page is not None:
            differ = sum(1 for q in queries if cli(q.q, 5) != engine_answer(page, q.q, 5))
            print(f"  两个引擎前五条或结论不同的查询：{differ}")
    queries = load_queries(ROOT / "tests" / "search_queries.yml")
    times = []
    for q in queries:
        t = time.perf_counter()
        s.search(q.q, limit=10)
        times.append((time.perf_counter() - t) * 1000)
    s.close()
    times.sort()
    line = f"命令行查询时间（热）：平均 {sum(times) / len(times):.1f} ms，p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms"
    if b is not None:
        first = first_result_seconds(b.context, site, "外卖骑手怎么参与社区治理")
        external = list(b.external)
        b.close()
        line += f"；浏览器从输入到首个结果：{first * 1000:.0f} ms；外部请求：{len(external)}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
