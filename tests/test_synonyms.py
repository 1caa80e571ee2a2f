"""General synonyms (the Cilin thesaurus): which groups take part, and a query that only the thesaurus answers, in both engines."""

from __future__ import annotations

import json

import pytest

from build_tools import index, synonyms, whoosh_index
from build_tools.build import load_corpus
from build_tools.ranking import PLAN
from sitekit import ROOT, search

QUERY, SYNONYM = "报酬", "待遇"  # one Cilin group; the records say 待遇 far more often


# ------------------------------------------------------------ which groups take part

def test_only_tight_groups_of_common_index_words_take_part():
    common = {"报酬": 900, "待遇": 900, "餐厅": 900, "食堂": 900, "饭堂": 10, "怎么": 900, "如何": 900}
    thesaurus = [
        ["报酬", "待遇", "酬劳"],                    # 酬劳 is no index word
        ["餐厅", "食堂", "饭堂"],                    # 饭堂 is too rare in jieba's dictionary
        ["餐厅", "食堂", "饭堂"],                    # repeated under another heading: published once
        ["怎么", "如何"],                            # 怎么 is filler only: 如何 is left alone
        ["人", "人士", "人物"],                      # one character is never a word
        ["甲方", "乙方", "丙方", "丁方", "戊方", "己方"],  # a large group is related words, not synonyms
    ]
    vocab = [*common, "人士", "人物", "甲方", "乙方", "丙方", "丁方", "戊方", "己方"]
    got = synonyms.groups(vocab, lambda w: common.get(w, 900), PLAN, thesaurus)
    assert got == [["报酬", "待遇"], ["餐厅", "食堂"], ["人士", "人物"]]
    assert synonyms.synonym_map([["a", "b"], ["a", "c", "b"]]) == {"a": ["b", "c"], "b": ["a", "c"], "c": ["a", "b"]}


def test_the_thesaurus_gives_words_of_one_meaning_only():
    groups = synonyms.thesaurus_groups()
    assert len(groups) > 9000
    assert any({QUERY, SYNONYM} <= set(g) for g in groups)
    # 良民 and 顺民 stand in a group Cilin marks "#" (of one kind, not one meaning)
    assert not any({"良民", "顺民"} <= set(g) for g in groups)


# ------------------------------------------------------------ the shipped records

@pytest.fixture(scope="module")
def shipped():
    corpus, validation = load_corpus(ROOT / "cases")
    assert validation.report.valid
    return corpus, index.rank_index(corpus, index.weigh(corpus))


@pytest.fixture(scope="module")
def only_synonym(shipped):
    """Records that say 待遇 and never 报酬: only the thesaurus can bring them to a query for 报酬."""
    corpus, _ = shipped
    texts = {rid: " ".join(index.record_fields(corpus, rec).values()) for rid, rec in corpus.records.items()}
    found = {rid for rid, t in texts.items() if SYNONYM in t and QUERY not in t}
    assert found and any(QUERY in t for t in texts.values())
    return found


def test_the_index_publishes_small_synonym_groups(shipped):
    _, ix = shipped
    meta = index.rank_meta(ix)
    assert [QUERY, SYNONYM] in meta["synonyms"]
    assert all(len(g) >= 2 and not set(g) & ix.generic and all(ix.has(w) for w in g) for g in meta["synonyms"])
    # Every group Cilin could give fits in meta whatever the corpus: a few KB, not shards.
    assert len(json.dumps(meta["synonyms"], ensure_ascii=False).encode()) < 20_000


@pytest.fixture(scope="module")
def index_dir(shipped, tmp_path_factory):
    d = tmp_path_factory.mktemp("ix") / "search_index"
    whoosh_index.build_whoosh(shipped[0], d)
    return d


def test_cli_finds_what_records_say_in_other_words(index_dir, only_synonym):
    s = whoosh_index.Searcher(index_dir)
    try:
        hits = s.search(QUERY, limit=5)
    finally:
        s.close()
    assert not hits.nothing  # a record says 报酬 itself
    assert hits[0].match == "direct"
    assert {h.id for h in hits} & only_synonym, [h.id for h in hits]


def test_the_site_finds_them_too_and_agrees_with_the_cli(engine_page, index_dir, shipped, only_synonym):
    from browsereval import engine_answer

    b, page, site = engine_page
    s = whoosh_index.Searcher(index_dir)
    try:
        hits = s.search(QUERY, limit=5)
    finally:
        s.close()
    assert engine_answer(page, QUERY, 5) == ([h.id for h in hits], hits.nothing)
    corpus, _ = shipped
    user = b.context.new_page()
    user.goto((site / "index.html").as_uri())
    titles = search(user, QUERY)
    assert {corpus.records[r].title for r in only_synonym} & set(titles), titles
