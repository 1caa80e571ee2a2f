"""Concepts in search: matched in queries, indexed with records, and the honest "nothing here" in both engines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from build_tools import concept_terms, whoosh_index
from build_tools.build import load_corpus
from build_tools.cli import main
from build_tools.index import rank_index, weigh
from build_tools.ranking import PLAN, search as rank_search
from searcheval import load_queries
from sitekit import ROOT, search

NOTHING = "库里暂时没有直接讲这个问题的案例"
ABSENT = "量子计算机"  # no article is about it; 机 alone used to bring 20 results
PRESENT = "红色物业"


# ------------------------------------------------------------ matching, alone

WORDS = {"饭馆": "canyin", "小饭馆": "canyin", "后厨": "canyin", "食安": "shipin-anquan", "饭": "x"}


def test_the_longest_word_at_each_position_wins_left_to_right():
    spans = concept_terms.spans(WORDS, "小饭馆后厨食安", 12)
    assert [(s.start, s.end, s.concept) for s in spans] == [(0, 3, "canyin"), (3, 5, "canyin"), (5, 7, "shipin-anquan")]
    assert concept_terms.match(WORDS, "小饭馆后厨食安", 12) == ["canyin", "shipin-anquan"]
    assert concept_terms.leftovers(WORDS, "大饭馆门口的后厨了", 12) == ["大", "门口的", "了"]


def _tiny_index():
    """Two documents: a record that says 作业, a guide page that alone says 秸秆焚烧."""
    from build_tools.ranking import RankIndex

    return RankIndex(vocab=["作业", "秸秆焚烧"], postings={"作业": [(0, 10)], "秸秆焚烧": [(1, 10)]},
                     docs=[["cases/a", "甲", "", "", "", ""], ["guide/editors", "乙", "", "", "", ""]], n_records=1,
                     place_words={}, tag_words={}, generic=set(), lexicon={},
                     concepts={"words": {"代写家庭作业": "zuoye"}, "broader": {}, "df": {"zuoye": 1}})


def test_a_concept_word_explains_the_characters_it_spans_across_index_words():
    from build_tools.ranking import parse

    plan = parse(_tiny_index(), "代写家庭作业")  # the segmenter sees 代写家庭|作业; the concept word spans both
    assert plan.concepts == ["zuoye"] and not plan.unknown


def test_a_word_only_the_guide_pages_use_is_unknown_to_the_records():
    from build_tools.ranking import parse

    assert parse(_tiny_index(), "秸秆焚烧").unknown  # an index word, but no record holds it


def test_a_colloquial_remainder_is_not_an_unknown_topic_but_an_unknown_object_is():
    # 软塌塌 (3 characters the records never use) beside 支部 and 没人管 is how cadres talk, not a new topic;
    # 秸秆焚烧 and 造谣带节奏 are what the query is about, and nothing in the library explains them.
    assert not concept_terms.unknown(["有的", "软塌塌也"], "有的支部软塌塌也没人管", PLAN)
    assert concept_terms.unknown(["秸秆焚烧"], "农村秸秆焚烧管不住", PLAN)
    assert concept_terms.unknown(["造谣带节奏"], "业主群里有人造谣带节奏", PLAN)
    # Spoken particles and light verbs are filler too: 咋进、找谁帮 beside 想进 and 说上话 leave too little unexplained.
    assert not concept_terms.unknown(["想进", "说上话", "能进吗", "咋进"], "社区干部想进业委会说上话能进吗咋进", PLAN)


def test_the_key_concept_is_the_rarest_that_records_hold():
    df = {"a": 30, "b": 2, "c": 0, "d": 2}
    assert concept_terms.key_concept(["a", "b", "c", "d"], df) == "b"  # first of the rarest
    assert concept_terms.key_concept(["c"], df) is None  # no record holds it


# ------------------------------------------------------------ the shipped records

@pytest.fixture(scope="module")
def shipped():
    corpus, validation = load_corpus(ROOT / "cases")
    assert validation.report.valid
    return corpus, rank_index(corpus, weigh(corpus))


def _ids(ix, ranked):
    return [ix.docs[d][0].removeprefix("cases/") for d, _ in ranked.items]


def test_records_hold_concept_terms_below_their_own_words(shipped):
    corpus, ix = shipped
    assert PLAN["fieldBoosts"]["concepts"] < PLAN["fieldBoosts"]["body"] * 2 < PLAN["fieldBoosts"]["title"]
    assert PLAN["fieldBoosts"]["conceptsImplied"] < PLAN["fieldBoosts"]["concepts"]
    held = {a.concept for a in corpus.concepts()["wuxi-xiaoge-ru-wangge"]}
    assert "shipin-anquan" in held
    post = dict(ix.postings[concept_terms.term("shipin-anquan")])
    rid = list(corpus.records).index("wuxi-xiaoge-ru-wangge")
    assert rid in post
    assert not any(w.startswith(concept_terms.PREFIX) for w in ix.vocab)  # pseudo-terms are not typed words


def test_a_concept_reaches_a_record_that_shares_no_word_with_the_query(shipped):
    corpus, ix = shipped
    rec = corpus.records["wuxi-xiaoge-ru-wangge"]
    text = json.dumps(rec.model_dump(), ensure_ascii=False)
    assert "饭店" not in text and "后厨" not in text
    ranked = rank_search(ix, "饭店后厨")  # 饭店, 后厨 → 餐饮 → 食品安全, which the record holds
    assert "wuxi-xiaoge-ru-wangge" in _ids(ix, ranked)[:3]
    assert not ranked.nothing


def test_a_topic_no_record_covers_gets_the_honest_answer(shipped):
    _, ix = shipped
    ranked = rank_search(ix, ABSENT)
    assert ranked.nothing
    assert len(ranked.items) <= PLAN["relatedMax"] and not any(ranked.direct)


def test_one_common_character_never_answers_on_its_own(shipped):
    _, ix = shipped
    for ch in "机人事":
        ranked = rank_search(ix, ch)
        assert not any(ranked.direct), ch


def test_a_question_the_library_answers_is_never_told_nothing(shipped):
    _, ix = shipped
    for q in [PRESENT, "三岗十八级", "老小区没人管", "外卖骑手怎么参与社区治理"]:
        ranked = rank_search(ix, q)
        assert not ranked.nothing and ranked.direct[0], q


def test_a_word_no_record_holds_is_not_asked_of_one_and_a_synonym_counts_as_the_word(shipped):
    """「太多」 is in no record, so 「12345投诉太多」 asks a record for 12345 and 投诉 only; a record with 高校
    (a thesaurus synonym of 大学) holds 大学 in 「大学老师帮着提炼」. Both were told "nothing here" before."""
    _, ix = shipped
    for q, first in [("12345投诉太多", "jianhu-zhili-zhihui-zhongxin"),
                     ("大学老师帮着提炼", "binhu-shequ-zhili-chuangxin-zhongxin")]:
        ranked = rank_search(ix, q)
        assert not ranked.nothing and ranked.direct[0] and _ids(ix, ranked)[0] == first, q


# ------------------------------------------------------------ command line

@pytest.fixture(scope="module")
def index_dir(shipped, tmp_path_factory):
    corpus, _ = shipped
    d = tmp_path_factory.mktemp("ix") / "search_index"
    whoosh_index.build_whoosh(corpus, d)
    return d


def test_cli_says_so_in_chinese_and_json_marks_each_result(index_dir):
    r = CliRunner().invoke(main, ["search", ABSENT, "--index-dir", str(index_dir), "--json"])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.output)
    assert isinstance(hits, list) and 0 < len(hits) <= PLAN["relatedMax"]
    assert {h["match"] for h in hits} == {"related"}
    r = CliRunner().invoke(main, ["search", ABSENT, "--index-dir", str(index_dir)])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].startswith(NOTHING)
    assert all("（可能相关）" in l for l in lines if l[:1].isdigit())
    assert "常见难题" in lines[-1]
    r = CliRunner().invoke(main, ["search", PRESENT, "--index-dir", str(index_dir), "--json"])
    hits = json.loads(r.output)
    assert hits[0]["match"] == "direct"
    r = CliRunner().invoke(main, ["search", PRESENT, "--index-dir", str(index_dir)])
    assert NOTHING not in r.output


# ------------------------------------------------------------ both engines

HELDOUT = ROOT / "tests" / "heldout_queries.yml"


def test_both_engines_give_the_same_answer_and_verdict(index_dir, engine_page):
    from browsereval import engine_answer

    _, page, _ = engine_page
    s = whoosh_index.Searcher(index_dir)
    try:
        differ = []
        # The development parts of every round (round 7: dev7, absent_dev7); test parts are compared by bench-search.
        parts = ("dev", "absent_dev", "dev2", "absent_dev2", "dev3", "absent_dev3", "dev5", "absent_dev5", "dev6",
                 "absent_dev6", "dev7", "absent_dev7")
        for q in [q.q for part in parts for q in load_queries(HELDOUT, part)] + ["12345投诉太多", "大学老师帮着提炼"]:
            hits = s.search(q, limit=5)
            cli = ([h.id for h in hits], hits.nothing)
            web = engine_answer(page, q, 5)
            if cli != web:
                differ.append((q, cli, web))
    finally:
        s.close()
    assert differ == []


@pytest.mark.parametrize("width", [390, 1366])
def test_header_box_says_nothing_here_from_file(engine_page, width):
    b, _, site = engine_page
    ctx = b.sized(width, touch=width < 600)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    if width < 600:  # on a phone the box sits behind the search button
        page.locator("label.md-search__icon, label[for=__search]").first.click()
    search(page, ABSENT)
    note = page.locator(".cb-search-notice")
    note.wait_for()
    assert note.inner_text().startswith(NOTHING)
    assert note.is_visible()
    hrefs = note.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert [h.split("/")[-1] for h in hrefs] == ["problems.html", "index.html"]
    assert all((site / h.split(site.name + "/", 1)[1]).is_file() for h in hrefs)
    items = page.locator(".md-search-result__item")
    assert 0 < items.count() <= PLAN["relatedMax"]
    assert all(t.startswith("可能相关") for t in page.locator(".md-search-result__item h1").all_inner_texts())
    search(page, PRESENT)
    page.wait_for_function("() => !/库里暂时没有/.test(document.querySelector('.md-search-result__meta').textContent)")
    assert not page.locator(".cb-sr-related").count()
    assert page.errors == [] and b.external == []
    ctx.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_search_page_says_nothing_here_from_file(engine_page, width):
    b, _, site = engine_page
    ctx = b.sized(width)
    page = ctx.new_page()
    page.goto((site / "search.html").as_uri() + "?q=" + ABSENT)
    status = page.locator(".cb-search-status")
    page.wait_for_function("() => /库里暂时没有/.test(document.querySelector('.cb-search-status').textContent)")
    assert status.is_visible()
    assert [a.split("/")[-1] for a in status.locator("a").evaluate_all("as => as.map(a => a.href)")] == [
        "problems.html", "index.html"]
    rows = page.locator(".cb-search-results > li")
    assert 0 < rows.count() <= PLAN["relatedMax"]
    assert rows.locator(".cb-sr-related").count() == rows.count()
    assert page.errors == [] and b.external == []
    ctx.close()


# ------------------------------------------------------------ quality floors (make bench-search)

# Just below what `make bench-search` measured (both engines agree on every query), development and test side
# by side: dev 0.903 / 1.000 (0 of 31 told "nothing here"), test 0.724 / 0.895 (6 of 76), dev2 0.511 / 0.867
# (1 of 45), test2 0.578 / 0.822 (11 of 45); hit@1, hit@5, most present topics told "nothing here".
# dev and dev2 rose with the editor's analysis in search (PLAN fieldBoosts); test's hit@1 floor moved from 0.73 to
# 0.70 on purpose: measured once at the end, on records the content sweep was editing, it fell from 0.750 to 0.724.
# Round 3 (dev3, 40 queries): 0.575 / 0.850 (8 told "nothing here") with lexicon terms at 0.3 (PLAN lexiconWeight),
# 0.550 / 0.800 at 0.8: the floor goes red if that change is undone. test3 (40, never tuned on, totals read once at the
# end of the round): 0.675 / 0.850, 6 told "nothing here" (0.650 / 0.875, 6 before).
# dev3 told "nothing here" 8 -> 5 with the verdict's evidence (PLAN verdictEvidenceWords): a record holding 3 of the
# query's meaningful words and concepts is not ruled out as an unknown topic; the floor goes red if it is undone.
# Final report of the round (read once, after the last change): test 0.737 / 0.895 (5 told "nothing here"), test2
# 0.578 / 0.822 (10), test3 0.675 / 0.850 (4). Round 4 (test4, 40 queries written after the ranking was settled, a
# test part only): 0.500 / 0.825, 13 told "nothing here" -- the floors record that, they are not targets.
# Round 5 (dev5 / absent_dev5 tuned on, 30 + 8; test5 / absent_test5 never, their floors come after the final run):
# coverBase 0.25 -> 0.1 and keyBoost 0.2 -> 1.0 (PLAN) measure dev 0.935 / 1.000 (0), dev2 0.600 / 0.911 (1),
# dev3 0.625 / 0.900 (5), dev5 0.900 / 1.000 (0); before them 0.903 / 1.000, 0.556 / 0.867, 0.575 / 0.850,
# 0.867 / 1.000. The development floors sit one query below: undoing either change turns dev2 red.
# Final report of round 5 (test parts read once, after both changes; with the old two constants in brackets, the
# same code and records): test 0.697 / 0.895, 5 told "nothing here" (0.737 / 0.895, 5), test2 0.556 / 0.822, 10
# (0.578 / 0.822, 10), test3 0.725 / 0.850, 4 (0.675 / 0.850, 4), test4 0.575 / 0.850, 13 (0.500 / 0.825, 13), and
# the new test5, written before any change and never tuned on, 0.800 / 0.967, 5 (0.767 / 0.967, 5). test's and
# test2's floors move down on purpose: the two changes cost them 3 and 1 queries of hit@1, and gained test3 2,
# test4 3, test5 1. absent_test5 8/8 (8/8 before).
# Round 6 (dev6 / absent_dev6 tuned on, 30 + 8, first looked at before any change: 0.700 / 0.933, 2 told "nothing
# here"; test6 / absent_test6 never): a word no record holds is not asked of one and a synonym counts as the word
# (verdict only: test2 told "nothing here" 10 -> 8, test5 5 -> 3, dev6 2 -> 1, no absent topic lost), and the concept
# fuwu-kaoping (dev3 hit@5 0.900 -> 0.925). Final report, test parts read once: test6 0.667 / 0.867, 6 told
# "nothing here"; the other test parts as in round 5 but for the verdicts above (benchmarks/README.md, 第六轮查询).
# Round 7 (dev7 / absent_dev7 tuned on, first looked at before any change: 0.667 / 0.967, 5 told "nothing here";
# test7 / absent_test7 never): spoken particles and light verbs are filler for the unknown-topic test (verdict only:
# dev3 5 -> 4, dev7 5 -> 3, test 5 -> 4, test2 8 -> 7, absent_test7 5 -> 6, no absent topic lost). Final report,
# test parts read once: test7 0.767 / 0.967, 6 told "nothing here" (benchmarks/README.md, 第七轮查询). Then, chosen on
# the development parts only, a record holding more of the query's concepts ranks higher (PLAN conceptCover): dev6
# hit@5 0.933 -> 0.967, dev7 hit@1 0.667 -> 0.700; test2 hit@5 0.822 -> 0.844, absent_test7 6/8 -> 5/8 in bench-search.
# Round 8 is a test round only (test8 / absent_test8, 60 + 16, written by an eighth writer after all the above): read
# once with the code as it stood, 0.700 / 0.833, 13 told "nothing here"; absent_test8 11/16 (benchmarks/README.md).
# Round 9, likewise a test round by a ninth writer, read once at the end of the same day with nothing changed in the
# ranking: test9 0.667 / 0.900, 7 told "nothing here"; absent_test9 12/16.
# Round 10, a test round by a tenth writer (2026-12-07, sixth session), read once before anything else that day,
# the ranking unchanged since round 9: test10 0.633 / 0.933, 9 told "nothing here"; absent_test10 12/16.
# Round 11, a test round by an eleventh writer (2026-12-07, seventh session), read once with the ranking unchanged
# since round 9 (only the browser's early display changed, not its answers): test11 0.667 / 0.783, 13 told "nothing
# here"; absent_test11 11/16.
FLOORS = {"dev": (0.93, 0.96, 0), "test": (0.68, 0.88, 4), "dev2": (0.59, 0.90, 1), "test2": (0.53, 0.83, 7),
          "dev3": (0.62, 0.92, 4), "test3": (0.70, 0.82, 4), "test4": (0.55, 0.82, 13), "dev5": (0.89, 0.96, 0),
          "test5": (0.77, 0.93, 3), "dev6": (0.69, 0.96, 1), "test6": (0.66, 0.86, 6), "dev7": (0.69, 0.96, 3),
          "test7": (0.76, 0.96, 6), "test8": (0.68, 0.81, 13),
          "test9": (0.65, 0.88, 7), "test10": (0.61, 0.91, 10), "test11": (0.65, 0.76, 14)}
# Topics no article covers told "nothing here": absent_dev 15/18, absent_test 11/16, absent_dev2 10/12, absent_test2 7/12.
# Lowered from 13, 12 and 11 on purpose: the stricter "unknown topic" line (PLAN unknownMinChars 4, unknownShare 0.5)
# trades them for 7 fewer present topics told "nothing here" in the test parts (benchmarks/README.md). absent_dev2
# (11 -> 10) and absent_test2 (9 -> 7) lowered again on purpose: the analysis's words now explain more of a query,
# which also spares present topics (test 8 -> 6 told "nothing here").
# Round 3: absent_dev3 7/10, absent_test3 9/10. Round 4: absent_test4 9/10. Round 5: absent_dev5 6/8.
# Round 6: absent_dev6 6/8, absent_test6 6/8. Round 7: absent_dev7 6/8, absent_test7 6/8 in bench-search, 5/8 here
# (this index holds the records only: without the guide pages' words one query of it is cut into other pieces).
ABSENT_FLOORS = {"absent_dev": 15, "absent_test": 11, "absent_dev2": 10, "absent_test2": 7, "absent_dev3": 7,
                 "absent_test3": 9, "absent_test4": 9, "absent_dev5": 6, "absent_test5": 7, "absent_dev6": 6,
                 "absent_test6": 6, "absent_dev7": 6, "absent_test7": 5, "absent_test8": 11, "absent_test9": 12,
                 "absent_test10": 11, "absent_test11": 10}


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_held_out_problem_queries_keep_their_floor(shipped, part):
    from searcheval import evaluate

    _, ix = shipped
    queries = load_queries(HELDOUT, part)

    def records(text):  # as the CLI lists them, with its verdict
        ranked = rank_search(ix, text, 40)
        return [r for r in _ids(ix, ranked) if "/" not in r][:10], ranked.nothing

    q = evaluate(part, queries, records)
    # Totals only: a failing assertion must never print a test part's queries (q.misses holds them).
    got = (round(q.hit1, 3), round(q.hit5, 3), q.nothing)
    hit1, hit5, told_nothing = FLOORS[part]
    assert got[1] >= hit5 and got[0] >= hit1 and got[2] <= told_nothing, got


@pytest.mark.parametrize("part", sorted(ABSENT_FLOORS))
def test_most_topics_no_article_covers_are_told_nothing_here(shipped, part):
    _, ix = shipped
    queries = load_queries(HELDOUT, part)
    told = sum(rank_search(ix, q.q).nothing for q in queries)
    assert told >= ABSENT_FLOORS[part], told
