"""The ranking's fast path (scores only, the pool taken with heapq) gives what sorting every candidate gives."""

from __future__ import annotations

import math

import pytest
import yaml

from build_tools import concept_terms
from build_tools.build import load_corpus
from build_tools.index import rank_index, weigh
from build_tools.ranking import DOC_FIELDS, PLAN, Ranked, parse, rank
from sitekit import ROOT

TITLE, ALIASES = DOC_FIELDS.index("title"), DOC_FIELDS.index("aliases")
# Filters alone (every score the same, so the document order decides), one character, nothing, Latin, a phrase.
EXTRA = ["地点:江阴", "标签:红色物业", "治理 地点:无锡", "机", "人", "量子计算机", "社区", "", "1+3+n", "党建 服务", "a"]


def _all_queries() -> list[str]:
    """Every query of every part of tests/*queries*.yml, then the edge cases above."""
    out = []
    for path in sorted((ROOT / "tests").glob("*queries*.yml")):
        for part in yaml.safe_load(path.read_text(encoding="utf-8")).values():
            out += [str(x["q"]) for x in part if isinstance(x, dict) and "q" in x] if isinstance(part, list) else []
    return out + EXTRA


def _rank_by_sorting_everything(ix, plan, limit: int) -> tuple[Ranked, int, bool]:
    """Steps 6–7 of the plan written plainly: a row per candidate, all of them sorted.

    Also says how many candidates there were and whether the title bonus moved a document."""
    terms, f = plan.terms, plan.filters
    allow = None
    for key in [f"@{p}" for p in f["place"]] + [f"#{t}" for t in f["tag"]]:
        docs = {d for d, _ in ix.postings.get(key, [])}
        allow = docs if allow is None else allow & docs
    boost: dict[int, int] = {}
    for t in f["tagBoost"]:
        for d, _ in ix.postings.get(f"#{t}", []):
            boost[d] = boost.get(d, 0) + 1
    required = sum(1 for w in terms.values() if w >= PLAN["fullWeight"])
    scores, hits = {}, {}
    # Own words: the query's words some record holds, less the generic ones (unless all are); a record holds
    # a word when it has the word or a synonym of it that the plan searches for.
    held = [w for w in plan.full if any(d < ix.n_records for d, _ in ix.postings.get(w, []))]
    own_words = [w for w in held if w not in ix.generic] or held or plan.full
    enough = max(1, math.ceil(PLAN["directCover"] * len(own_words)))
    holders = {w: {d for t in [w] + [x for x in ix.synonym_of.get(w, []) if x in terms]
                   for d, _ in ix.postings.get(t, [])} for w in own_words}
    owns = {d: sum(d in h for h in holders.values()) for h in holders.values() for d in h}
    for t, qw in terms.items():
        for d, w10 in ix.postings.get(t, []):
            scores[d] = scores.get(d, 0.0) + w10 / PLAN["weightScale"] * qw
            hits[d] = hits.get(d, 0) + (qw >= PLAN["fullWeight"])
    if not terms and allow is not None:
        scores = {d: 1.0 for d in allow}
    keyed = {d for d, _ in ix.postings.get(concept_terms.term(plan.key), [])} if plan.key else set()
    evidence = dict(owns)  # the query's meaningful words and named concepts a record holds
    for cid in plan.concepts:
        for d, _ in ix.postings.get(concept_terms.term(cid), []):
            evidence[d] = evidence.get(d, 0) + 1
    rows = []
    for d, s in scores.items():
        if allow is not None and (d not in allow or d >= ix.n_records):
            continue
        cover = hits.get(d, 0) / required if required else 1.0
        known = not plan.unknown or (d < ix.n_records and evidence.get(d, 0) >= PLAN["verdictEvidenceWords"])
        direct = not terms or (known and (d in keyed or owns.get(d, 0) >= enough))
        score = s * (PLAN["coverBase"] + cover * cover) * (1 + PLAN["tagBoost"] * boost.get(d, 0))
        score *= 1 + PLAN["keyBoost"] * (d in keyed)
        if len(plan.concepts) > 1:  # the share of the query's concepts the record holds
            held_concepts = sum(any(x == d for x, _ in ix.postings.get(concept_terms.term(c), []))
                                for c in plan.concepts)
            score *= 1 + PLAN["conceptCover"] * (held_concepts / len(plan.concepts))
        rows.append([score, d, direct, cover])
    rows.sort(key=lambda r: (-r[0], r[1]))
    pool = rows[:max(limit, PLAN["pool"])]
    before = [r[1] for r in pool]
    for r in pool:
        doc = ix.docs[r[1]]
        if len(plan.han) >= PLAN["titleMinChars"] and plan.han in f"{doc[TITLE]} {doc[ALIASES]}".lower():
            r[0] *= PLAN["titleBonus"]
            r[2] = True
    pool.sort(key=lambda r: (-r[0], r[1]))
    nothing = (len(plan.han) >= PLAN["honestMinChars"] or required > 0) and not any(r[2] for r in pool)
    top = pool[:PLAN["relatedMax"] if nothing else limit]
    full = any(r[3] >= 1 for r in rows)
    ranked = Ranked([(r[1], r[0]) for r in top], list(terms), partial=bool(rows) and required > 0 and not full,
                    known=bool(rows) or bool(terms), direct=[r[2] for r in top], nothing=nothing)
    return ranked, len(rows), before != [r[1] for r in pool]


@pytest.fixture(scope="module")
def ix():
    corpus, validation = load_corpus(ROOT / "cases")
    assert validation.report.valid
    return rank_index(corpus, weigh(corpus))


def test_ranking_equals_sorting_every_candidate(ix):
    """Same documents, same exact scores, same order, verdicts and notices, at every limit the callers use."""
    others = len(ix.docs) - ix.n_records
    differ, beyond_pool, bonus_moved = [], 0, 0
    for i, q in enumerate(_all_queries()):
        plan = parse(ix, q)
        # the site's page, the CLI's default, the pool's edge, the CLI's records plus other pages, everything
        for limit in (5, 10, PLAN["pool"] - 1, PLAN["pool"] + 1, 10 + others, len(ix.docs)):
            want, candidates, moved = _rank_by_sorting_everything(ix, plan, limit)
            got = rank(ix, plan, limit)
            beyond_pool += candidates > max(limit, PLAN["pool"])
            bonus_moved += moved
            if (got.items, got.direct, got.terms, got.partial, got.known, got.nothing) != (
                    want.items, want.direct, want.terms, want.partial, want.known, want.nothing):
                differ.append((i, limit))  # positions, not texts: the held-out test parts stay unread
    assert differ == []
    # The comparison means something: the pool cuts candidates off, and the title bonus reorders it.
    assert beyond_pool > 500 and bonus_moved > 20


# ------------------------------------------------------------ the verdict: evidence the library knows the topic

def _tiny_index():
    """Two records that share 开会 and 商量; only the first says 议事 and holds the concept 议事协商."""
    from build_tools.ranking import RankIndex

    both = [(0, 10), (1, 10)]
    return RankIndex(vocab=["议事", "开会", "商量"], postings={"开会": both, "商量": both, "议事": [(0, 10)],
                                                          "~yishi": [(0, 10)]},
                     docs=[["cases/a", "甲", "", "", "", ""], ["cases/b", "乙", "", "", "", ""]], n_records=2,
                     place_words={}, tag_words={}, generic=set(), lexicon={},
                     concepts={"words": {"议事": "yishi"}, "broader": {}, "df": {"yishi": 1}})


def test_a_record_with_three_of_the_querys_words_and_concepts_answers_despite_unknown_pieces():
    ix = _tiny_index()
    plan = parse(ix, "开会议事吵吵嚷嚷")  # 吵吵嚷嚷: half the query, nothing in the library explains it
    assert plan.unknown and plan.concepts == ["yishi"]
    got = rank(ix, plan)
    # record a holds 开会, 议事 and the concept 议事: three, the plan's verdictEvidenceWords
    assert PLAN["verdictEvidenceWords"] == 3
    assert not got.nothing
    assert [ix.docs[d][0] for d, _ in got.items] == ["cases/a", "cases/b"] and got.direct == [True, False]


def test_two_shared_words_do_not_make_an_unknown_topic_known():
    ix = _tiny_index()
    plan = parse(ix, "开会商量吵吵嚷嚷")  # both records hold 开会 and 商量, no concept: two, not enough
    assert plan.unknown and plan.concepts == []
    got = rank(ix, plan)
    assert got.nothing and got.direct == [False, False]


# ------------------------------------------------------------ scores: how much the words covered and the key concept count

def _five_records(postings: dict, concepts: dict | None = None):
    """Five records (a key concept may be held by at most a fifth of them, PLAN keyMaxShare)."""
    from build_tools.ranking import RankIndex

    return RankIndex(vocab=sorted(w for w in postings if not w.startswith("~")), postings=postings,
                     docs=[[f"cases/{c}", c, "", "", "", ""] for c in "abcde"], n_records=5,
                     place_words={}, tag_words={}, generic=set(), lexicon={},
                     concepts=concepts or {"words": {}, "broader": {}, "df": {}})


def test_a_record_with_every_word_outranks_one_three_times_as_strong_on_half_of_them():
    # a: 开会 and 商量 (1 + 1), every word; b: 开会 only, three times as strong (3). The score is
    # Σ × (coverBase + cover²): a 2 × 1.1 = 2.2, b 6 × 0.35 = 2.1. With coverBase 0.25 (before round 5) b came first.
    ix = _five_records({"开会": [(0, 10), (1, 60)], "商量": [(0, 10)]})
    got = rank(ix, parse(ix, "开会商量"))
    assert [ix.docs[d][0] for d, _ in got.items] == ["cases/a", "cases/b"]
    assert PLAN["coverBase"] == 0.1


def test_the_record_holding_the_key_concept_doubles_its_score():
    # Both records have both words; b is stronger on 开会 (3 + 1 against 1 + 1), only a holds the concept 议事,
    # the query's key: a (2 + 0.5) × 1.1 × (1 + keyBoost 1) = 5.5 beats b 4 × 1.1 = 4.4 (at 0.2, before round 5: 3.3).
    ix = _five_records({"开会": [(0, 10), (1, 30)], "议事": [(0, 10), (1, 10)], "~yishi": [(0, 10)]},
                       {"words": {"议事": "yishi"}, "broader": {}, "df": {"yishi": 1}})
    plan = parse(ix, "开会议事")
    assert plan.key == "yishi"
    got = rank(ix, plan)
    assert [ix.docs[d][0] for d, _ in got.items] == ["cases/a", "cases/b"]
    assert got.items[0][1] == pytest.approx(5.5) and got.items[1][1] == pytest.approx(4.4)
    assert PLAN["keyBoost"] == 1.0
