"""Chinese search: the segmenter, the Whoosh index and CLI, the browser engine, quality floors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools import index, segment, whoosh_index
from build_tools.build import load_corpus
from build_tools.cli import main
from searcheval import evaluate, load_queries
from sitekit import ROOT, search

QUERIES = load_queries(ROOT / "tests" / "search_queries.yml")
# Floors just below what `make bench-search` measures on tests/problem_queries.yml (both engines).
PROBLEM_FLOOR_HIT5 = 0.99  # measured 1.000 (67 queries) since a record holding more of the query's concepts ranks higher
# Moved from 0.82: the content sweep's record edits took it to 0.791; the editor's analysis in search (and lessons
# and teaching notes out, PLAN fieldBoosts) brought it back to 0.821 (0.836 on the records before the latest edits).
# Raised to 0.83: lexicon terms at 0.3 instead of 0.8 (PLAN lexiconWeight) measure 0.836; at 0.8 it is 0.821, red here.
# Raised to 0.84: PLAN conceptCover measures 0.851.
PROBLEM_FLOOR_HIT1 = 0.84


@pytest.fixture(scope="module")
def corpus():
    c, validation = load_corpus(ROOT / "cases")
    assert validation.report.valid
    return c


@pytest.fixture(scope="module")
def index_dir(corpus, tmp_path_factory):
    d = tmp_path_factory.mktemp("ix") / "search_index"
    whoosh_index.build_whoosh(corpus, d)
    return d


@pytest.fixture(scope="module")
def searcher(index_dir):
    s = whoosh_index.Searcher(index_dir)
    yield s
    s.close()


def test_domain_dictionary_keeps_practice_words_whole(corpus):
    seg = segment.Segmenter.for_corpus(corpus)
    toks = seg.tokens("3326名新就业群体兼任网格员，推行红色物业和党员中心户", search_mode=False)
    for word in ["新就业群体", "网格员", "红色物业", "党员中心户"]:
        assert word in toks, toks
    assert "名新" not in toks


def test_analyzer_positions_count_words_not_characters():
    tk = whoosh_index.JiebaTokenizer(segment.Segmenter())
    toks = [(t.text, t.pos) for t in tk("快递小哥参与社区治理", positions=True)]
    positions = [p for _, p in toks]
    assert positions == sorted(positions) and positions[-1] < 6, toks


def _indexed_text(corpus, rid: str) -> str:
    return "\n".join(index.record_fields(corpus, corpus.records[rid]).values())


def test_phrase_query_finds_words_in_order_only(searcher, corpus):
    hits = searcher.search('"快递小哥"', limit=50)
    assert "jianhu-shuixiang-xianfeng" in {h.id for h in hits}
    # Every hit has the two words next to each other, in this order.
    assert hits and all("快递小哥" in _indexed_text(corpus, h.id) for h in hits), [h.id for h in hits]
    # Records that have both words, but never in this order, are not hits.
    apart = [rid for rid in corpus.records
             if "快递" in _indexed_text(corpus, rid) and "小哥" in _indexed_text(corpus, rid)
             and "快递小哥" not in _indexed_text(corpus, rid)]
    assert not {h.id for h in hits} & set(apart)
    reversed_hits = searcher.search('"小哥快递"', limit=50)
    assert all("小哥快递" in _indexed_text(corpus, h.id) for h in reversed_hits)
    assert searcher.search('"四级党建网格体系"', limit=3)[0].id == "jiangyin-siji-dangjian-wangge"


def test_filters_by_tag_and_place(searcher, corpus):
    hits = searcher.search("网格", place="changzhou", limit=20)
    assert hits
    for h in hits:
        rec = corpus.records[h.id]
        assert "changzhou" in index.record_places(corpus, rec)
    hits = searcher.search("", tag="hongse-wuye", limit=50)
    assert {h.id for h in hits} == {r.id for r in corpus.records_with_tag("hongse-wuye")}


def test_reindex_after_one_change_updates_only_that_record(corpus, tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    c1, _ = load_corpus(cases)
    d = tmp_path / "search_index"
    first = whoosh_index.build_whoosh(c1, d)
    assert first.rebuilt and first.added == len(c1.records)
    path = cases / "wuxi" / "wuxi-chuyan-jihua.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["aliases"].append("蓝鲸测试别名")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    c2, _ = load_corpus(cases)
    second = whoosh_index.build_whoosh(c2, d)
    assert (second.rebuilt, second.updated, second.added, second.removed) == (False, 1, 0, 0)
    assert second.unchanged == len(c2.records) - 1
    s = whoosh_index.Searcher(d)
    try:
        assert s.search("蓝鲸测试别名", limit=1)[0].id == "wuxi-chuyan-jihua"
    finally:
        s.close()


def test_rebuild_by_forked_workers_answers_as_one_process(corpus, searcher, tmp_path):
    """A big rebuild is written by a forked worker a core, each its own segment (forced here on the
    shipped records): every record is there, and phrases, snippets, tags and more-like-this are as before."""
    d = tmp_path / "search_index"
    report = whoosh_index.build_whoosh(corpus, d, procs=2)
    assert report.rebuilt and report.added == len(corpus.records)
    par = whoosh_index.Searcher(d)
    try:
        assert len(par.searcher.reader().leaf_readers()) == 2  # the workers' segments, not merged
        assert par.searcher.doc_count() == len(corpus.records)
        for q in [c.q for c in QUERIES] + ['"快递小哥"', '"四级党建网格体系"', '"党员" 网格']:
            got = [(h.id, h.snippet, h.tags) for h in par.search(q, limit=10)]
            assert got == [(h.id, h.snippet, h.tags) for h in searcher.search(q, limit=10)], q
        assert par.more_like("changzhou-sangang-shibaji") == searcher.more_like("changzhou-sangang-shibaji")
    finally:
        par.close()


def test_the_editors_analysis_is_searched_and_lessons_and_teaching_notes_are_not(tmp_path):
    """The analysis says why the problem arises, so a query in its words finds the case; lessons and teaching
    notes are advice to the reader, not the case's problem, and a query in their words does not."""
    from build_tools.ranking import search as rank_search

    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    path = cases / "wuxi" / "wuxi-chuyan-jihua.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["analysis"].append("编者认为，这和鲸鲨湾夜渡会有关。")
    data["lessons"].append("可以学蜃楼港晨钟社。")
    data["teaching"]["key_points"].append("比较雁栖滩暮鼓团。")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    c, _ = load_corpus(cases, strict=False)
    ix = index.rank_index(c, index.weigh(c))

    def records(q):
        return [ix.docs[d][0].removeprefix("cases/") for d, _ in rank_search(ix, q).items if d < ix.n_records]

    assert records("鲸鲨湾夜渡会")[:1] == ["wuxi-chuyan-jihua"]
    assert "wuxi-chuyan-jihua" not in records("蜃楼港晨钟社")
    assert "wuxi-chuyan-jihua" not in records("雁栖滩暮鼓团")


def test_cli_search_json_and_human_output(index_dir, searcher, corpus):
    runner = CliRunner()
    q = "外卖骑手怎么参与社区治理"
    r = runner.invoke(main, ["search", q, "--json", "--limit", "5", "--index-dir", str(index_dir)])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)
    assert {"id", "title", "place", "score", "snippet"} <= set(hits[0])
    # the ranked records, best first, each under its own title
    assert [h["id"] for h in hits] == [h.id for h in searcher.search(q, limit=5)]
    assert [h["title"] for h in hits] == [corpus.records[h["id"]].title for h in hits]
    r = runner.invoke(main, ["search", "三岗十八级", "--index-dir", str(index_dir)])
    assert r.exit_code == 0 and "Traceback" not in r.output
    # every snippet says 三岗十八级: the first result's own lines must name the record that is it
    lines = r.output.splitlines()
    assert lines[0] == "1. " + corpus.records["changzhou-sangang-shibaji"].title, lines[:3]
    assert "changzhou-sangang-shibaji" in lines[1]
    r = runner.invoke(main, ["search", "网格", "--index-dir", str(index_dir / "missing")])
    assert r.exit_code == 2 and "casebook index" in r.output


def test_more_like_this(searcher):
    like = searcher.more_like("changzhou-sangang-shibaji")
    assert like and "changzhou-sangang-shibaji" not in [r for r, _ in like]


def test_command_line_quality_floor(searcher):
    q = evaluate("cli", QUERIES, lambda text: [h.id for h in searcher.search(text, limit=10)])
    # measured: hit@1 0.942, hit@5 1.000, MRR 0.966 on 52 queries (both engines; 0.923 before round 5)
    assert len(QUERIES) >= 40
    assert q.hit5 >= 0.96, q.misses
    assert q.hit1 >= 0.90, q.misses


def test_browser_quality_floor(engine_page):
    from browsereval import engine_ids

    b, page, _ = engine_page
    q = evaluate("browser", QUERIES, lambda text: engine_ids(page, text))
    # measured: hit@1 0.942, hit@5 1.000, MRR 0.966 on 52 queries (both engines; 0.923 before round 5)
    assert q.hit5 >= 0.95, q.misses
    assert q.hit1 >= 0.85, q.misses
    assert b.external == []


def test_browser_counts_the_last_word_of_a_query_typed_without_spaces(engine_page):
    _, page, _ = engine_page
    plan = page.evaluate("window.__casebook_engine.parse('快递小哥送外卖')")
    # the last word counts in full (外卖, or 送外卖 where the lexicon knows it)
    assert any(t.endswith("外卖") and w >= 1 for t, w in plan["terms"].items()), plan


def test_browser_place_and_tag_filters(engine_page):
    b, page, site = engine_page
    places = page.evaluate("async () => (await window.__casebook_engine.search('网格 地点:常州', 50)).items.map(x => x.doc[2])")
    assert places and all(p.startswith("常州市") for p in places)
    tagged = page.evaluate("async () => (await window.__casebook_engine.search('标签:红色物业', 50)).items.map(x => x.doc[3])")
    assert tagged and all("红色物业" in t for t in tagged)
    p2 = b.open(site / "index.html")
    titles = search(p2, "网格 地点:江阴")
    shown = p2.locator(".md-search-result__item .cb-sr-place").all_inner_texts()
    # Every record listed in Material's result box is in 江阴, not only the first.
    assert titles and len(shown) == len(titles)
    assert all(p.startswith("无锡市江阴市") for p in shown), shown
    p2.close()


def test_record_page_shows_computed_related_marked_as_such(engine_page):
    _, page, site = engine_page
    html = (site / "cases" / "changzhou-sangang-shibaji.html").read_text(encoding="utf-8")
    # in the article, after the 相关案例 table: the note, then a list of other records not linked by hand
    body = html[html.index("<article"):html.index("</article>")]
    table, _, rest = body.partition('<p class="cb-computed-note">')
    assert rest.startswith("以下由检索索引按内容相似度自动计算"), "no note before the computed list"
    written = set(re.findall(r'href="([a-z0-9-]+)\.html"', table[table.rindex("<table"):]))
    computed = re.findall(r'<li><a href="([a-z0-9-]+)\.html">', rest[:rest.index("</ul>")])
    assert len(computed) == 3 and len(written) >= 3, (computed, written)
    assert not set(computed) & (written | {"changzhou-sangang-shibaji"}), (computed, written)
    assert all((site / "cases" / f"{rid}.html").is_file() for rid in computed)


def test_browser_and_python_agree_on_term_shards(engine_page):
    _, page, _ = engine_page
    shards = page.evaluate("window.__casebook_engine.meta.shards")
    terms = ["快递小哥", "红色物业", "5150", "#hongse-wuye", "@wuxi", "𠀋字", "a"]
    got = page.evaluate("ts => ts.map(t => window.__casebook_engine.shardOf(t))", terms)
    assert got == [index.shard_of(t, shards) for t in terms]


def test_browser_reads_the_packed_postings_as_the_command_line_stores_them(engine_page, index_dir):
    b, page, site = engine_page
    from browsereval import open_engine
    from build_tools import ranking

    stored = json.loads((index_dir / whoosh_index.RANK_FILE).read_text(encoding="utf-8"))["postings"]
    scale = ranking.PLAN["weightScale"]
    unpair = lambda flat: [[sum(flat[0:k + 1:2]), flat[k + 1] / scale] for k in range(0, len(flat), 2)]
    # every term of three shards, read from the site's packed files
    shards = page.evaluate("window.__casebook_engine.meta.shards")
    terms = sorted(t for t in stored if index.shard_of(t, shards) in (0, 1, shards - 1))
    assert len(terms) > 100
    got = page.evaluate("async ts => await window.__casebook_engine.postings(ts)", terms)
    assert [t for t in terms if got.get(t) != unpair(stored[t])] == []
    # gaps and weights of one, two and three digits, announced as a shard the engine has not loaded yet
    fresh = open_engine(b.context, site)
    big = [(0, 1), (63, 64), (127, 1727), (1854, 1728), (200_000, 63), (200_001, 100_000)]
    packed = index.pack_postings(big)
    assert len(packed) < len(json.dumps(index.encode_postings(big))) and set(packed) <= set(index.PACKING["digits"])
    got = fresh.evaluate("""async p => { const e = window.__casebook_engine, n = e.shardOf("假词");
      window.__casebook_terms(n, {"假词": p}); return (await e.postings(["假词"]))["假词"]; }""", packed)
    assert got == [[d, w / scale] for d, w in big]
    fresh.close()


def test_browser_loads_only_the_shards_a_query_needs(engine_page):
    b, _, site = engine_page
    from browsereval import open_engine

    page = open_engine(b.context, site)  # a fresh page: nothing loaded by earlier tests
    total_term_shards = len(list((site / "search" / "t").glob("*.js")))
    assert total_term_shards >= 4
    plan = page.evaluate("window.__casebook_engine.parse('红色物业')")
    page.evaluate("async () => await window.__casebook_engine.search('红色物业', 10)")
    # every shard comes in by a <script> tag of its own (file:// allows no fetch)
    srcs = page.evaluate("Array.from(document.scripts, s => s.src).filter(s => /\\/search\\/t\\//.test(s))")
    loaded = {"t" + re.search(r"/search/t/(\d+)\.js$", u).group(1) for u in srcs}
    shards = page.evaluate("window.__casebook_engine.meta.shards")
    # the query's words, and the pseudo-terms of the practice it names (#tag)
    f = plan["filters"]
    wanted = [*plan["terms"], *(f"#{t}" for t in f["tag"] + f["tagBoost"]), *(f"@{p}" for p in f["place"])]
    assert any(w.startswith("#") for w in wanted)
    needed = {f"t{index.shard_of(t, shards)}" for t in wanted}
    assert {k for k in loaded if k.startswith("t")} == needed
    assert len(needed) < total_term_shards
    page.close()


INDEX_SCRIPTS = "Array.from(document.scripts).filter(s => s.src.endsWith('/search/casebook-index.js')).length"
AFTER_IDLE = "() => new Promise(r => (window.requestIdleCallback || setTimeout)(() => setTimeout(r, 100)))"


def test_the_index_is_fetched_once_the_page_is_idle_before_anything_is_typed(engine_page):
    """A reader's first query waits only for its own shards: the index came while the page sat idle."""
    b, _, site = engine_page
    for name in ("index.html", "search.html"):
        page = b.context.new_page()
        page.goto((site / name).as_uri())
        page.wait_for_function(f"{INDEX_SCRIPTS} > 0", timeout=10_000)  # nothing focused, nothing typed
        page.evaluate(AFTER_IDLE)
        assert page.evaluate(INDEX_SCRIPTS) == 1, name  # the 检索 page's engine and the header's share it
        page.close()


def test_browser_fetches_the_text_of_the_results_shown_and_of_titles_that_may_hold_the_query(engine_page):
    b, page, site = engine_page
    from browsereval import open_engine

    run = """async ([q, n]) => { const e = window.__casebook_engine, r = await e.search(q, n);
      return [r.items.map(x => [x.doc[e.F.loc], x.score, x.direct]), r.nothing, r.total]; }"""
    blocks = "Array.from(document.scripts, s => s.src).filter(s => /\\/search\\/d\\//.test(s)).map(s => s.split('/').pop())"
    query = "外卖小哥不把自己当社区的人"
    per, n_docs = page.evaluate("[window.__casebook_engine.meta.docsPerShard, window.__casebook_engine.meta.nDocs]")
    fresh = open_engine(b.context, site)  # nothing fetched yet
    shown = fresh.evaluate(run, [query, 5])
    fetched = set(fresh.evaluate(blocks))
    fresh.close()
    # the 40 candidates checked for the title bonus (a limit as large as the index shows them all), by block
    pool = page.evaluate(run, [query, n_docs])[0][:40]
    at = page.evaluate("""async locs => { const e = window.__casebook_engine, out = {};
      const rows = Array.from({length: e.meta.nDocs}, (_, i) => ({id: i}));
      await e.fetchDocs(rows, () => {}); rows.forEach(r => { out[r.doc[e.F.loc]] = r.id; });
      return locs.map(l => out[l]); }""", [loc for loc, _, _ in pool])
    assert shown[0] == pool[:5] and len(pool) == 40
    pool_blocks = {f"{i // per}.js" for i in at}
    assert {f"{i // per}.js" for i in at[:5]} <= fetched <= pool_blocks
    assert len(fetched) < len(pool_blocks) / 2, (len(fetched), len(pool_blocks))
    # answers never change for it: a small limit gives the head of a large one, for every name and problem query
    queries = [q.q for q in QUERIES + PROBLEM_QUERIES] + [c["q"] for c in AGREEMENT]
    differ = [q for q in queries if page.evaluate(run, [q, 5])[0] != page.evaluate(run, [q, n_docs])[0][:5]]
    assert differ == []


LIST_STATES = """() => { window.__states = []; new MutationObserver(() => {
    const items = Array.from(document.querySelectorAll('.md-search-result__item h1'), h => h.textContent);
    const meta = document.querySelector('.md-search-result__meta');
    if (items.length) window.__states.push([items, meta && meta.firstChild ? meta.firstChild.textContent : '']); })
  .observe(document.body, {childList: true, subtree: true, characterData: true}); }"""


@pytest.mark.parametrize("query", ["网格化治理", "党员", "志愿服务"])
def test_header_box_lists_the_leading_results_first_then_all_of_them_in_the_same_order(engine_page, query):
    """On a fresh page the first few results show before the text of the others has come; every list the
    reader sees is the head of the final one, and the count line says the final count all along."""
    b, page, site = engine_page
    plan = page.evaluate("window.__casebook_engine.plan")
    fresh = b.context.new_page()
    fresh.goto((site / "index.html").as_uri())
    fresh.evaluate(LIST_STATES)
    box = fresh.locator("input.md-search__input")
    box.click()
    box.fill(query)
    # Material draws ten at first and the rest as the reader scrolls; Zensical's box draws them all
    fresh.wait_for_function(f"document.querySelectorAll('.md-search-result__item').length > {plan['earlyShown']}",
                            timeout=10_000)
    fresh.wait_for_timeout(300)
    states = fresh.evaluate("window.__states")
    fresh.close()
    final, line = states[-1]
    assert len(final) >= 10 and line.startswith("找到 ")
    assert [len(items) for items, _ in states][0] == plan["earlyShown"]
    assert all(items == final[:len(items)] for items, _ in states)
    assert {text for _, text in states} == {line}


def test_search_page_lists_the_leading_results_first_and_says_the_count_once(engine_page):
    """The 检索 page, opened from a link with ?q=, shows the first few results before the rest, keeps them at
    the head of the full list, and writes its status line (a live region) once, with the final count."""
    from urllib.parse import quote

    b, page, site = engine_page
    plan = page.evaluate("window.__casebook_engine.plan")
    fresh = b.context.new_page()
    fresh.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
      window.__states = []; window.__said = [];
      const list = document.querySelector('.cb-search-results'), status = document.querySelector('.cb-search-status');
      new MutationObserver(() => { const items = Array.from(list.querySelectorAll('li > a'), a => a.textContent);
        if (items.length) window.__states.push(items); }).observe(list, {childList: true});
      new MutationObserver(() => window.__said.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true}); });""")
    fresh.goto((site / "search.html").as_uri() + "?q=" + quote("网格化治理"))
    fresh.wait_for_function(f"window.__states && window.__states.some(s => s.length > {plan['earlyShown']})",
                            timeout=10_000)
    fresh.wait_for_timeout(300)
    states, said = fresh.evaluate("[window.__states, window.__said]")
    fresh.close()
    final = states[-1]
    assert len(states[0]) == plan["earlyShown"] and len(final) > plan["earlyShown"]
    assert all(items == final[:len(items)] for items in states)
    assert said == ["检索中…", f"找到 {len(final)} 条"]


def test_the_leading_results_shown_early_are_the_head_of_the_final_list(engine_page):
    """For name and problem queries on a fresh page (nothing fetched yet), what the engine hands out early is
    always the head of its final answer: a record whose title is still unchecked never gets passed over."""
    b, page, site = engine_page
    from browsereval import open_engine

    # ``every``: as if each title might hold the query (a mask of all ones), so that many are still
    # unchecked when the first documents come
    run = """async ([q, every]) => { const e = window.__casebook_engine, early = [];
      if (every) e.titleMasks = e.titleMasks.map(() => -1);
      const r = await e.search(q, e.plan.limit, x => early.push(x.items.map(i => i.doc[e.F.loc])));
      return [early, r.items.map(i => i.doc[e.F.loc])]; }"""
    queries = ["党员", "网格化治理", "志愿服务", "老旧小区", "红色物业"] + [q.q for q in QUERIES[::16] + PROBLEM_QUERIES[::16]]
    wrong, early_ones = [], 0
    for q in queries:
        for every in (False, True):
            fresh = open_engine(b.context, site)
            early, final = fresh.evaluate(run, [q, every])
            fresh.close()
            early_ones += bool(early)
            wrong += [(q, every) for items in early if items != final[:len(items)]]
    assert wrong == []
    assert early_ones >= len(queries) // 2, (early_ones, len(queries))


# ------------------------------------------------------------ one ranking, two engines

PROBLEM_QUERIES = load_queries(ROOT / "tests" / "problem_queries.yml")
AGREEMENT = yaml.safe_load((ROOT / "tests" / "search_agreement.yml").read_text(encoding="utf-8"))["queries"]


def _cli_ids(searcher, q: str, n: int = 5) -> list[str]:
    return [h.id for h in searcher.search(q, limit=n)]


@pytest.mark.parametrize("case", AGREEMENT, ids=[c["q"] for c in AGREEMENT])
def test_shared_fixture_command_line(searcher, case):
    assert _cli_ids(searcher, case["q"]) == case["top"]


def test_shared_fixture_browser_gives_the_same_top_five(engine_page):
    from browsereval import engine_ids

    _, page, _ = engine_page
    got = {c["q"]: engine_ids(page, c["q"], 5) for c in AGREEMENT}
    assert got == {c["q"]: c["top"] for c in AGREEMENT}


def test_both_engines_agree_on_every_evaluation_query(searcher, engine_page):
    from browsereval import engine_ids

    _, page, _ = engine_page
    differ = []
    for q in QUERIES + PROBLEM_QUERIES:
        cli, web = _cli_ids(searcher, q.q), engine_ids(page, q.q, 5)
        if cli != web:
            differ.append((q.q, cli, web))
    assert differ == []


def test_problem_queries_quality_floor_command_line(searcher):
    q = evaluate("cli", PROBLEM_QUERIES, lambda text: _cli_ids(searcher, text, 10))
    assert len(PROBLEM_QUERIES) >= 60
    assert q.hit5 >= PROBLEM_FLOOR_HIT5, q.misses
    assert q.hit1 >= PROBLEM_FLOOR_HIT1, q.misses


def test_problem_queries_quality_floor_browser(engine_page):
    from browsereval import engine_ids

    _, page, _ = engine_page
    q = evaluate("browser", PROBLEM_QUERIES, lambda text: engine_ids(page, text))
    assert q.hit5 >= PROBLEM_FLOOR_HIT5, q.misses
    assert q.hit1 >= PROBLEM_FLOOR_HIT1, q.misses


def test_never_an_empty_list_when_something_matches(searcher):
    empty = [q.q for q in QUERIES + PROBLEM_QUERIES if not searcher.search(q.q, limit=5)]
    assert empty == []
    # no record has both words: the best partial matches, and a note saying so
    hits = searcher.search("加装电梯 快递小哥 蓝鲸", limit=5)
    assert hits and hits.partial
    # no word the corpus knows: nothing, with a hint
    none = searcher.search("蓝鲸飞艇", limit=5)
    assert list(none) == [] and not none.known


def test_cli_says_when_results_match_only_part_of_the_query(index_dir):
    runner = CliRunner()
    r = runner.invoke(main, ["search", "加装电梯 快递小哥", "--index-dir", str(index_dir)])
    assert r.exit_code == 0 and "没有同时包含全部词语的案例" in r.output
    r = runner.invoke(main, ["search", "蓝鲸飞艇", "--index-dir", str(index_dir)])
    assert r.exit_code == 0 and "常见难题" in r.output


def test_everyday_words_reach_the_official_term(searcher):
    # 太累 and 派的活 never occur in the 减负 records' names: the lexicon carries them there
    for q in ("社区干部太累", "上面派的活太多"):
        ids = _cli_ids(searcher, q)
        assert any(r in ids for r in ("wuxi-liangjian-yiguifan", "changzhou-wushe-liandong-zhunru",
                                      "wuxi-paizi-luanxiang-qingli", "changzhou-1-2-5-zhengce-tixi")), (q, ids)


def test_browser_notice_for_partial_and_unknown_queries(engine_page):
    from sitekit import search

    b, _, site = engine_page
    page = b.open(site / "index.html")
    search(page, "加装电梯 快递小哥")
    assert "没有同时包含全部词语的案例" in page.locator(".md-search-result__meta").inner_text()
    search(page, "蓝鲸飞艇")
    assert "常见难题" in page.locator(".md-search-result__meta").inner_text()
    page.close()


def test_guide_pages_are_searchable_and_the_landing_page_marks_the_words(engine_page):
    from sitekit import search

    b, _, site = engine_page
    page = b.open(site / "index.html")
    titles = search(page, "编辑指南")
    assert "编辑指南" in titles[0]
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert "guide/editors.html?h=" in page.url
    # Material's own highlighter marks the words once it has the search config
    assert page.locator("article mark").count() >= 1
    assert b.external == [] and page.errors == []
    page.close()


def test_segmentation_cache_survives_into_the_next_build(tmp_path):
    """A second build of an unchanged corpus finds every cut in the cache (it used to drop half)."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path\n"
        "from build_tools import segment\n"
        "from build_tools.build import load_corpus\n"
        "from build_tools.index import weigh\n"
        "corpus, _ = load_corpus(Path(sys.argv[1]))\n"
        "seg = segment.Segmenter.for_corpus(corpus)\n"
        "seg.load_cache(sys.argv[2])\n"
        "before = seg.cache_size()\n"
        "weigh(corpus, segmenter=seg)\n"
        "print(before, seg.cache_size())\n"
        "seg.save_cache(sys.argv[2])\n")
    cache = tmp_path / "segments.pickle"
    run = lambda: subprocess.run([sys.executable, "-c", script, str(ROOT / "cases"), str(cache)],
                                 capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    first_before, first_after = map(int, run())
    assert first_before == 0 and first_after > 500
    second_before, second_after = map(int, run())
    assert second_before == first_after == second_after  # nothing dropped, nothing cut again


def test_prefetch_on_two_cores_cuts_exactly_as_one(monkeypatch):
    """The forked workers of a cold build give the same cuts as cutting in this process."""
    from build_tools import segment

    texts = [f"第{i}网格的党员中心户联系农户，小区党支部组织议事协商会{i % 7}次" for i in range(60)]
    import multiprocessing

    forks = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda m=None: forks.append(m) or real(m))
    monkeypatch.setattr(segment.threading, "active_count", lambda: 1)  # as in `casebook build`
    monkeypatch.setattr(segment, "PARALLEL_MIN", 10)
    seg = segment.Segmenter(["党员中心户", "小区党支部"])
    assert seg.prefetch(texts, workers=2) == 60
    assert forks == ["fork"]
    forked = {t: seg.tokens(t) for t in texts}
    seg.forget_cache()
    monkeypatch.setattr(segment, "PARALLEL_MIN", 10_000)
    assert seg.prefetch(texts, workers=2) == 60
    assert forks == ["fork"]  # cut here this time
    assert {t: seg.tokens(t) for t in texts} == forked
    assert "党员中心户" in forked[texts[0]]
    assert seg.prefetch(texts) == 0  # all cached now


def test_tokens_and_positions_match_jieba_search_and_tokenize_modes():
    """Both engines' tokens come from one cached cut; they equal jieba's own cut_for_search and tokenize."""
    import jieba

    from build_tools import segment
    from build_tools.build import load_corpus
    from build_tools.index import record_fields

    corpus, _ = load_corpus(ROOT / "cases")
    words = segment.domain_words(corpus)
    seg = segment.Segmenter(words)
    ref = jieba.Tokenizer()
    ref.initialize()
    for w in words:
        ref.add_word(w, freq=max(2000, 200 * len(w)))
    keep = lambda w: (w and w not in segment.STOP and re.search(r"[\w\u4e00-\u9fff]", w)
                      and not (len(w) == 1 and re.match(r"[\u4e00-\u9fff]", w)))
    texts = [v for r in list(corpus.records.values())[:40] for v in record_fields(corpus, r).values() if v]
    assert len(texts) > 150
    for text in texts:
        norm = segment.normalise(text)
        assert seg.tokens(text) == [w.strip() for w in ref.cut_for_search(norm) if keep(w.strip())]
        positions = [(w, start, end) for w, start, end in ref.tokenize(norm) if keep(w.strip())]
        assert [(w, s, e) for w, _, s, e in seg.tokens_with_positions(text)] == positions


# ------------------------------------------------------------ one ranking contract

SEARCH_SCRIPTS = [ROOT / "content" / "assets" / name for name in ("casebook-search.js", "casebook-search-worker.js")]
# Numbers the search script may write itself, each on one exact line and for a reason that is not ranking.
ALLOWED_LITERALS = {
    ("2", "var PAIR = 2;"): "postings are stored as flat [gap, weight] pairs (the index's format)",
    ("2", "var MSG = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };"): "Material's worker message types",
    ("3", "var MSG = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };"): "Material's worker message types",
}


def _number_literals(source: str) -> list[tuple[int, str, str]]:
    """(line, literal, the line's code) of every numeric literal, read by Pygments' JavaScript lexer
    (comments, strings and regular expressions are not numbers)."""
    from pygments.lexers import JavascriptLexer
    from pygments.token import Error, Number

    lines, line, out = source.splitlines(), 1, []
    for tok, text in JavascriptLexer(stripnl=False).get_tokens(source):
        assert tok not in Error, f"line {line}: the lexer could not read {text!r}"
        if tok in Number:
            out.append((line, text, lines[line - 1].split("/*")[0].strip()))
        line += text.count("\n")
    return out


@pytest.mark.parametrize("script", SEARCH_SCRIPTS, ids=lambda p: p.name)
def test_search_script_takes_every_ranking_number_from_the_published_plan(script):
    found = _number_literals(script.read_text(encoding="utf-8"))
    assert any(n in ("2", "3") for _, n, _ in found)  # the lexer does see numbers
    stray = [(line, n, code) for line, n, code in found
             if n not in ("0", "1") and (n, code) not in ALLOWED_LITERALS]
    assert stray == [], "put these in build_tools/ranking.py PLAN and read them from meta.plan"


def test_python_ranking_keeps_its_numbers_in_the_plan():
    """ranking.py's steps name every constant from PLAN, as the browser does."""
    import ast

    from build_tools import ranking

    tree = ast.parse(Path(ranking.__file__).read_text(encoding="utf-8"))
    funcs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    stray = [(c.lineno, c.value) for f in funcs for c in ast.walk(f)
             if isinstance(c, ast.Constant) and type(c.value) in (int, float) and c.value not in (0, 1, -1)]
    assert stray == []


def test_the_site_and_the_command_line_publish_the_python_plan(built_site, index_dir):
    from build_tools import ranking

    text = (built_site / "search" / "casebook-index.js").read_text(encoding="utf-8")
    meta = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
    assert meta["plan"] == ranking.PLAN and meta["hash"] == index.SHARD_HASH
    assert json.loads((index_dir / whoosh_index.RANK_FILE).read_text(encoding="utf-8"))["meta"]["plan"] == ranking.PLAN
    assert index.FIELD_BOOSTS is ranking.PLAN["fieldBoosts"] and (index.K1, index.B) == (ranking.PLAN["k1"], ranking.PLAN["b"])
    assert whoosh_index.highlight("甲" * 200 + "网格" + "乙" * 200, ["网格"]) == (
        "…" + "甲" * ranking.PLAN["snippetLead"] + "【网格】" + "乙" * (ranking.PLAN["snippetChars"] - ranking.PLAN["snippetLead"] - 2) + "…")
