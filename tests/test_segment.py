"""The segmenter is an object made per corpus: two corpora in one process cut each with its own dictionary."""

from __future__ import annotations

import copy
import re
import sys

from build_tools import segment
from build_tools.build import load_corpus
from build_tools.index import weigh
from conftest import TAGS

TEXT = "楼道睦邻议事点和睦邻客厅都开了"


def _corpus_with_tag(make_cases, name: str, tag_name: str, valid_record):
    tags = copy.deepcopy(TAGS)
    tags["tags"].append({"slug": "extra", "name": tag_name, "group": "zuzhi", "definition": "试验用的标签。"})
    cases = make_cases({"_registry/tags.yml": tags, "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record}, name=name)
    corpus, _ = load_corpus(cases, None, False)
    return corpus


def test_two_corpora_in_one_process_cut_independently(make_cases):
    from conftest import valid_record

    a = _corpus_with_tag(make_cases, "a", "睦邻议事点", valid_record())
    b = _corpus_with_tag(make_cases, "b", "议事点和睦", valid_record())
    seg_a = segment.Segmenter.for_corpus(a)
    cut_a = seg_a.tokens(TEXT, search_mode=False)
    assert "睦邻议事点" in cut_a
    # B's segmenter borrows A's base dictionary (no second load of jieba), but not A's words.
    seg_b = segment.Segmenter.for_corpus(b, like=seg_a)
    cut_b = seg_b.tokens(TEXT, search_mode=False)
    assert "议事点和睦" in cut_b and "睦邻议事点" not in cut_b
    # A is as it was, and each cuts exactly as a segmenter made on its own.
    seg_a.forget_cache()
    assert seg_a.tokens(TEXT, search_mode=False) == cut_a
    assert segment.Segmenter(b.domain_words()).tokens(TEXT, search_mode=False) == cut_b
    assert segment.Segmenter(a.domain_words(), like=seg_b).tokens(TEXT, search_mode=False) == cut_a
    # Weighing each corpus with its own segmenter: one corpus's words never reach the other's index.
    assert "睦邻议事点" in weigh(a, pages=[], segmenter=seg_a).weights
    assert "睦邻议事点" not in weigh(b, pages=[], segmenter=seg_b).weights
    assert "议事点和睦" in weigh(b, pages=[], segmenter=seg_b).weights


def test_a_segmenter_with_the_same_words_is_reused_and_keeps_its_cache(make_cases):
    from conftest import valid_record

    a = _corpus_with_tag(make_cases, "a", "睦邻议事点", valid_record())
    seg = segment.Segmenter.for_corpus(a)
    seg.tokens(TEXT)
    assert segment.Segmenter.for_corpus(a, like=seg) is seg and seg.cache_size() == 1


def test_the_cache_on_disk_drops_only_cuts_a_changed_word_touches(tmp_path):
    path = tmp_path / "segments.pickle"
    first = segment.Segmenter(["睦邻议事点"])
    first.prefetch([TEXT, "网格员入户走访"])
    first.save_cache(path)
    again = segment.Segmenter(["睦邻议事点"], like=first)
    again.load_cache(path)
    assert again.cache_size() == 2
    other = segment.Segmenter(["议事点和睦"], like=first)
    other.load_cache(path)
    assert other.cache_size() == 1  # the text holding a word that came or went is cut again
    assert "睦邻议事点" not in other.tokens(TEXT, search_mode=False)


def test_the_fast_tokenizer_cuts_every_shipped_text_and_query_as_jieba_does():
    """jieba_fast stands in for jieba only because its cuts are jieba's: every record text and every test query."""
    import logging
    from pathlib import Path

    import jieba
    import yaml

    from build_tools.index import record_fields

    root = Path(__file__).resolve().parent.parent
    corpus, _ = load_corpus(root / "cases", None, False)
    words = corpus.domain_words()
    seg = segment.Segmenter(words)
    jieba.setLogLevel(logging.WARNING)
    ref = jieba.Tokenizer()
    ref.initialize()
    for w in sorted(words):
        ref.add_word(w, freq=segment.word_freq(w))
    texts = [v for r in corpus.records.values() for v in record_fields(corpus, r).values() if v]
    for name in ("search_queries.yml", "problem_queries.yml", "heldout_queries.yml"):
        data = yaml.safe_load((root / "tests" / name).read_text(encoding="utf-8"))
        texts += [q["q"] for part in data.values() if isinstance(part, list) for q in part if "q" in q]
    assert len(texts) > 1400
    keep = lambda w: (w and w not in segment.STOP and re.search(r"[\w\u4e00-\u9fff]", w)
                      and not (len(w) == 1 and re.match(r"[\u4e00-\u9fff]", w)))
    for text in texts:
        want = [(w, s, e) for w, s, e in ref.tokenize(segment.normalise(text)) if keep(w.strip())]
        assert [(w, s, e) for w, _, s, e in seg.tokens_with_positions(text)] == want, text
    assert "jieba_fast" in sys.modules


def test_jieba_says_nothing_while_the_site_is_built():
    """Material's search plugin loads jieba too: its "Building prefix dict…" lines stay out of `make site`."""
    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.DEBUG)  # as importing jieba first leaves it
    segment.Segmenter(["议事厅"])
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("jieba_fast").getEffectiveLevel() >= logging.WARNING
