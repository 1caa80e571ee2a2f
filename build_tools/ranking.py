"""The query plan and ranking shared by the command line and the browser.

One documented plan (see the editors' guide, 检索是怎样排序的), two runtimes:
this module runs it in Python for ``casebook search`` and course selections;
``content/assets/casebook-search.js`` runs the same steps in the browser on
the same index data, with the constants below shipped in the index
(``meta.plan``), so neither side keeps its own copy of a number.

1. Normalise (NFKC, lower case); ``地点:江阴`` and ``标签:红色物业`` become filters.
2. Cut each run of Han characters into index words by dynamic programming
   (longest words first: score Σ length²); a place name restricts the results
   to that place; a practice name (tag name or synonym) boosts its records.
3. Leftover pieces and the word being typed are completed from the vocabulary.
4. Everyday words (太累 → 减负) add their official terms and tags; thesaurus
   synonyms and the governance concepts the query names add pseudo-terms.
5. Generic words (社区, 治理, words in over a fifth of the records) count little.
6. Score = Σ term weight × BM25 weight of the term in the document (fields
   weighted), × (coverBase + cover²), × the boosts of practices, of the key
   concept and of the share of the query's concepts; whole titles rank higher.
7. Which records answer the query, and whether the library has nothing on it.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
from dataclasses import dataclass, field

from . import concept_terms, synonyms

# The one ranking contract: every constant, field weight, expansion rule and
# threshold of the plan. It is published with both indexes (meta["plan"] in the
# browser's casebook-index.js, the same meta in search_index/ranking.json) and
# nothing else keeps a number of its own: the browser script reads it from the
# index (tests/test_search.py fails on a ranking literal there), the BM25 weights
# in index.py and Whoosh's field boosts come from here.
PLAN = {
    # step 2: segmentation
    "minWord": 2,           # shortest index word the segmenter tries (one character is never a word)
    "maxWord": 14,          # longest index word the segmenter tries
    # steps 3-5: term weights
    "fullWeight": 1,        # a word of the query itself; completions weigh less and are not required
    "minGap": 2,            # leftover pieces this long are completed as words (shorter: as a lone character)
    "expandLimit": 12,      # completions per unfinished piece
    "gapWeight": 0.6,       # completions of a leftover piece
    "charWeight": 0.4,      # completions of a lone character
    "tailCharWeight": 0.2,  # completions of one character typed after whole words
    "latinWeight": 0.5,     # completions of a Latin/number piece
    "genericWeight": 0.3,   # words that say little
    "genericShare": 0.2,    # a word in more than this share of the records says little
    "lexiconWeight": 0.3,   # official terms reached from an everyday word; 0.8 before round 3 (benchmarks/README.md)
    # step 4a: general synonyms (build_tools/synonyms.py, the Cilin thesaurus)
    "synonymWeight": 0.8,   # index words that mean the same as a word of the query (餐厅 → 食堂)
    "synonymMaxGroup": 5,   # only the thesaurus's tight groups (finest level, "=") of at most this many words
    "synonymMinFreq": 500,  # only words jieba's own dictionary counts at least this often
    # step 4b: governance concepts (build_tools/concept_terms.py)
    "conceptWeight": 0.5,   # a concept the query names (its pseudo-term ~id)
    "broaderWeight": 0.3,   # a broader concept of one the query names
    "maxConceptWord": 12,   # longest concept word looked for in a query
    "keyBoost": 1.0,        # records holding the query's key (rarest) concept: × 2; 0.2 before round 5 (benchmarks/README.md)
    "conceptCover": 0.5,    # a query naming several concepts: × (1 + this × the share of them a record holds); round 7
    # step 7: what answers the query
    "honestMinChars": 2,    # shorter queries (a character being typed) get no "nothing here" verdict
    "directCover": 0.5,     # share of the query's words a record must have to answer it (with nothing unknown)
    "keyMaxShare": 0.2,     # a concept held by more of the records is too broad to be the key
    "unknownMinChars": 4,   # the query names a topic the library does not know when this many of its characters
    "unknownShare": 0.5,    # (and this share of those not filler) stand in pieces nothing explains (benchmarks/README.md)
    "verdictEvidenceWords": 3,  # ...unless a record holds this many of the query's meaningful words and concepts
    "fillerChars": "的了和与及等在是为对把被让将由从向以之其或并而也都就又要有个中上下很少多太老总没不能会该"
                   "想给去来着过得地吗呢啊吧怎么办哪些谁什啥这那里外自己到底再还才刚已经每各找做用我们你他她咱"
                   "咋呀嘛啦呗哦咯么儿帮搞弄整点些",  # round 7: colloquial 咋整、搞出点、找谁帮 (benchmarks/README.md)
    "relatedMax": 3,        # "nothing here": at most this many 可能相关 records
    # step 6: scores
    "fieldBoosts": {"title": 6.0, "aliases": 5.0, "problems": 6.0, "tags": 2.5, "place": 2.5, "lexicon": 2.0,
                    "body": 1.0, "analysis": 0.7, "concepts": 1.5, "conceptsImplied": 0.5},
    # the problems a method answers weigh nearly as much as its name; the editor's analysis below what the record
    # says: 0.7 chosen on two development rounds, lessons and teaching notes left out (benchmarks/README.md)
    "k1": 1.2,              # BM25 term-frequency saturation
    "b": 0.75,              # BM25 length normalisation
    "weightScale": 10,      # postings keep weight × this as an integer (small index files)
    "tagBoost": 0.5,        # per boosted tag a record has
    "titleBonus": 1.5,      # the whole query stands in the title or aliases
    "titleMinChars": 2,     # shortest Han query that can earn the title bonus
    "coverBase": 0.1,       # score share of a document that has none of the full words; 0.25 before round 5: gains on
                            # dev2 (hit@5 +1) and dev3 (hit@1, hit@5 +1), costs names one hit@1 (benchmarks/README.md)
    "pool": 40,             # candidates re-checked for the title bonus
    "limit": 20,            # results when the caller does not say how many
    "earlyShown": 5,        # the browser lists this many first, as soon as they are settled (the order is the same)
    "snippetChars": 90,     # results shown: a snippet this long around the first matched word
    "snippetLead": 20,      # characters kept before the first match
}
FIELD_BOOSTS = PLAN["fieldBoosts"]
DOC_FIELDS = ["loc", "title", "place", "tags", "summary", "aliases"]
_TITLE, _ALIASES = DOC_FIELDS.index("title"), DOC_FIELDS.index("aliases")

_FILTER = re.compile(r"(?P<key>地点|地区|place|标签|tag)[:：]\s*(?P<value>\S+)")
_PARTS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9.+]+")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass
class RankIndex:
    """The data both runtimes rank with (the browser gets it in shards)."""

    vocab: list[str]                       # sorted
    postings: dict[str, list[tuple[int, int]]]  # term -> [(doc, weight × 10)]
    docs: list[list]                       # DOC_FIELDS per document
    n_records: int
    place_words: dict[str, str]
    tag_words: dict[str, str]
    generic: set[str]
    lexicon: dict[str, dict[str, list[str]]]  # everyday word -> {"terms": [...], "tags": [...]}
    places: dict[str, str] = field(default_factory=dict)  # slug -> name
    tags: dict[str, str] = field(default_factory=dict)
    concepts: dict = field(default_factory=dict)  # concept_terms.concept_meta: words, broader, df
    synonyms: list[list[str]] = field(default_factory=list)  # groups of index words that mean the same

    def __post_init__(self):
        self._vocab = set(self.vocab)
        self.synonym_of = synonyms.synonym_map(self.synonyms)

    def has(self, w: str) -> bool:
        return w in self._vocab

    def in_records(self, w: str) -> bool:
        return any(d < self.n_records for d, _ in self.postings.get(w, []))

    def expand(self, prefix: str, limit: int) -> list[str]:
        """Index words that start with ``prefix`` (for a word still being typed)."""
        out = []
        for w in self.vocab[bisect.bisect_left(self.vocab, prefix):]:
            if len(out) >= limit or not w.startswith(prefix):
                break
            if w != prefix:
                out.append(w)
        return out


@dataclass
class Plan:
    terms: dict[str, float]
    filters: dict[str, list[str]]
    han: str
    concepts: list[str] = field(default_factory=list)  # concepts the query names (not their broader ones)
    full: list[str] = field(default_factory=list)  # the query's own words found in the index (generic ones too)
    key: str | None = None  # the rarest of them that some record holds
    unknown: bool = False   # the query names a topic the library does not know


@dataclass
class Ranked:
    items: list[tuple[int, float]]  # (doc, score)
    terms: list[str]
    partial: bool  # no document has every full word of the query
    known: bool    # at least one word of the query is in the index
    direct: list[bool] = field(default_factory=list)  # per item: answers the query (else 可能相关)
    nothing: bool = False  # no record answers the query: say so, list at most relatedMax related ones


def segment_han(ix: RankIndex, s: str) -> tuple[list[str], list[str]]:
    """Best split of a Han run into index words (Σ length²); the pieces in between."""
    n = len(s)
    best = [0] + [-1] * n
    back: list = [None] * (n + 1)
    for i in range(n):
        if best[i] < 0:
            continue
        # On a tie the earlier word wins (应急|时, not 应|急时): text reads left to right.
        if best[i] >= best[i + 1]:
            best[i + 1], back[i + 1] = best[i], (i, False)
        for j in range(i + PLAN["minWord"], min(n, i + PLAN["maxWord"]) + 1):
            if ix.has(s[i:j]):
                score = best[i] + (j - i) * (j - i)
                if score > best[j]:
                    best[j], back[j] = score, (i, True)
    words, gaps, end, gap_end = [], [], n, -1
    while end > 0:
        start, is_word = back[end]
        if is_word:
            if gap_end >= 0:
                gaps.append(s[end:gap_end])
                gap_end = -1
            words.append(s[start:end])
        elif gap_end < 0:
            gap_end = end
        end = start
    if gap_end > 0:
        gaps.append(s[:gap_end])
    return words[::-1], gaps[::-1]


def _slug_for(value: str, words: dict[str, str], names: dict[str, str]) -> str:
    if value in words:
        return words[value]
    return next((slug for slug, name in names.items() if name == value or slug == value), value)


def parse(ix: RankIndex, query: str) -> Plan:
    """A query as weighted terms and filters (steps 1–5 of the plan)."""
    q = unicodedata.normalize("NFKC", query).lower()
    filters: dict[str, list[str]] = {"place": [], "tag": [], "tagBoost": []}

    def take_filter(m: re.Match) -> str:
        key, value = m.group("key"), m.group("value")
        if key in ("地点", "地区", "place"):
            filters["place"].append(_slug_for(value, ix.place_words, ix.places))
        else:
            filters["tag"].append(_slug_for(value, ix.tag_words, ix.tags))
        return " "

    q = _FILTER.sub(take_filter, q)
    terms: dict[str, float] = {}
    full_weight = PLAN["fullWeight"]
    reached: list[str] = []  # official terms everyday words led to (they may name concepts)
    full: list[str] = []

    def add(w: str, weight: float, expanded: bool = False) -> None:
        if w in ix.place_words and weight >= full_weight:
            if ix.place_words[w] not in filters["place"]:
                filters["place"].append(ix.place_words[w])
            return
        if w in ix.tag_words and weight >= full_weight and ix.tag_words[w] not in filters["tagBoost"]:
            filters["tagBoost"].append(ix.tag_words[w])
        if weight >= full_weight and not expanded and w in ix.lexicon:
            entry = ix.lexicon[w]
            for t in entry["tags"]:
                if t not in filters["tagBoost"]:
                    filters["tagBoost"].append(t)
            for t in entry["terms"]:
                reached.append(t)
                add(t, PLAN["lexiconWeight"], True)  # one step only: terms are not expanded again
        if weight >= full_weight and not expanded and w not in full:
            full.append(w)
        if w in ix.generic:
            weight = min(weight, PLAN["genericWeight"])
        if w not in terms or terms[w] < weight:
            terms[w] = weight

    parts = _PARTS.findall(q)
    limit = PLAN["expandLimit"]
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if _HAN.match(part):
            if part in ix.place_words:
                add(part, full_weight)
                continue
            words, gaps = segment_han(ix, part)
            for w in words:
                add(w, full_weight)
                for s in ix.synonym_of.get(w, []):  # never required, never expanded further
                    add(s, PLAN["synonymWeight"], True)
            for g in gaps:
                for w in (ix.expand(g, limit) if len(g) >= PLAN["minGap"] else []):
                    add(w, PLAN["gapWeight"])
            if not words and len(part) == 1:
                for w in ix.expand(part, limit):
                    add(w, PLAN["charWeight"])
            if last:
                tail = gaps[-1] if gaps else ""
                if tail and part.endswith(tail):
                    # the word still being typed; one character says little
                    weight = PLAN["gapWeight"] if len(tail) >= PLAN["minGap"] else PLAN["tailCharWeight"]
                    for w in ix.expand(tail, limit):
                        add(w, weight)
        else:
            for p in (x for x in part.split("+") if x):
                if ix.has(p):
                    add(p, full_weight)
                if last or not ix.has(p):
                    for w in ix.expand(p, limit):
                        add(w, PLAN["latinWeight"])
    han = "".join(re.findall(r"[\u4e00-\u9fff]+", q))
    named = _name_concepts(ix, [p for p in parts if _HAN.match(p)], reached)
    for cid in named:
        _raise(terms, concept_terms.term(cid), PLAN["conceptWeight"])
        for b in ix.concepts.get("broader", {}).get(cid, []):
            _raise(terms, concept_terms.term(b), PLAN["broaderWeight"])
    key = _key(ix, named)
    if key:  # a broader concept standing in as the key weighs as much as a named one
        _raise(terms, concept_terms.term(key), PLAN["conceptWeight"])
    return Plan(terms, filters, han, named, full, key, concept_terms.unknown(_unexplained(ix, parts), han, PLAN))


def _unexplained(ix: RankIndex, parts: list[str]) -> list[str]:
    """Pieces of the query that no concept word, record word or lexicon word explains.

    Concept words go first, so one that straddles two index words (写|作业) explains both;
    the rest is segmented again: leftovers the index cannot complete are unexplained, and so
    are words only the guide pages use (秸秆 in an example) unless the lexicon or thesaurus has them.
    """
    out: list[str] = []
    for part in (p for p in parts if _HAN.match(p) and p not in ix.place_words):
        for piece in concept_terms.leftovers(ix.concepts.get("words", {}), part, PLAN["maxConceptWord"]):
            words, gaps = segment_han(ix, piece)
            out += [g for g in gaps if len(g) < PLAN["minGap"] or not ix.expand(g, 1)]
            out += [w for w in words if not (w in ix.lexicon or w in ix.synonym_of or w in ix.place_words
                                             or ix.in_records(w))]
    return out


def _key(ix: RankIndex, named: list[str]) -> str | None:
    """The query's key concept: the rarest it names that records hold, else the rarest of their broader ones."""
    df, broader = ix.concepts.get("df", {}), ix.concepts.get("broader", {})
    narrow = [c for c in df if df[c] <= PLAN["keyMaxShare"] * ix.n_records]
    key = concept_terms.key_concept([c for c in named if c in narrow], df)
    if key is None:
        up = [b for c in named for b in broader.get(c, []) if b in narrow]
        key = concept_terms.key_concept(up, df)
    return key


def _raise(terms: dict[str, float], t: str, weight: float) -> None:
    if terms.get(t, 0) < weight:
        terms[t] = weight


def _name_concepts(ix: RankIndex, han_parts: list[str], reached: list[str]) -> list[str]:
    """Concepts the query names in its own words, then those its everyday words lead to."""
    words = ix.concepts.get("words", {})
    found = [c for part in han_parts for c in concept_terms.match(words, part, PLAN["maxConceptWord"])]
    found += [words[t] for t in reached if t in words]
    return list(dict.fromkeys(found))


def rank(ix: RankIndex, plan: Plan, limit: int = PLAN["limit"]) -> Ranked:
    """Ranked documents for a plan (steps 6–7)."""
    terms, f = plan.terms, plan.filters
    allow: set[int] | None = None
    for key in [f"@{p}" for p in f["place"]] + [f"#{t}" for t in f["tag"]]:
        docs = {d for d, _ in ix.postings.get(key, [])}
        allow = docs if allow is None else allow & docs
    boost: dict[int, int] = {}
    for t in f["tagBoost"]:
        for d, _ in ix.postings.get(f"#{t}", []):
            boost[d] = boost.get(d, 0) + 1
    required = sum(1 for w in terms.values() if w >= PLAN["fullWeight"])
    scores: dict[int, float] = {}
    hits: dict[int, int] = {}
    # A very frequent word, or one no record holds (the unknown-topic test counts it), never answers on its
    # own; a record holds a word when it has the word or a thesaurus synonym of it.
    held = [w for w in plan.full if ix.in_records(w)]
    own_words = [w for w in held if w not in ix.generic] or held or plan.full
    enough = max(1, math.ceil(PLAN["directCover"] * len(own_words)))
    owns: dict[int, int] = {}  # how many of the own words a document holds
    for w in own_words:
        for d in {d for t in [w, *(x for x in ix.synonym_of.get(w, []) if x in terms)]
                  for d, _ in ix.postings.get(t, [])}:
            owns[d] = owns.get(d, 0) + 1
    scale = PLAN["weightScale"]
    for t, qw in terms.items():
        posts = ix.postings.get(t, [])
        for d, w10 in posts:  # each document sums its terms in the plan's order: the same floats every time
            scores[d] = scores.get(d, 0.0) + w10 / scale * qw
        if qw >= PLAN["fullWeight"]:
            for d, _ in posts:
                hits[d] = hits.get(d, 0) + 1
    if not terms and allow is not None:
        scores = {d: 1.0 for d in allow}
    keyed = {d for d, _ in ix.postings.get(concept_terms.term(plan.key), [])} if plan.key else set()
    several = len(plan.concepts) > 1  # a record holding more of the query's concepts answers more of it
    concepts_held = concept_terms.held_counts(ix.postings, plan.concepts) if several or plan.unknown else {}
    known = concept_terms.known_to(concepts_held, owns, ix.n_records, PLAN) if plan.unknown else set()
    # Scores only, no object per candidate: at 10,000 records thousands of live rows per query set off the
    # garbage collector's full passes over the index's millions of posting tuples (CLI p95 80 ms), and sorting
    # them all took most of the rest. Only the pool needs an order.
    final: dict[int, float] = {}
    full = False
    for d, s in scores.items():
        if allow is not None and (d not in allow or d >= ix.n_records):
            continue
        cover = hits.get(d, 0) / required if required else 1.0
        full = full or cover >= 1
        score = s * (PLAN["coverBase"] + cover * cover) * (1 + PLAN["tagBoost"] * boost.get(d, 0))
        final[d] = score * (1 + PLAN["keyBoost"] * (d in keyed))
        if several:
            final[d] *= 1 + PLAN["conceptCover"] * (concepts_held.get(d, 0) / len(plan.concepts))
    # The same documents in the same order as sorting them all by (-score, doc) and cutting (heapq's contract).
    pool = heapq.nsmallest(max(limit, PLAN["pool"]), final, key=lambda d: (-final[d], d))
    # Every meaningful word of the query, none of it unknown (or the record shows the topic is known),
    # or the query's key concept: an answer.
    direct = {d: not terms or ((not plan.unknown or d in known) and (d in keyed or owns.get(d, 0) >= enough))
              for d in pool}
    for d in pool if len(plan.han) >= PLAN["titleMinChars"] else []:
        if plan.han in f"{ix.docs[d][_TITLE]} {ix.docs[d][_ALIASES]}".lower():
            final[d] *= PLAN["titleBonus"]
            direct[d] = True
    pool.sort(key=lambda d: (-final[d], d))
    weighty = len(plan.han) >= PLAN["honestMinChars"] or required > 0
    nothing = weighty and not any(direct.values())  # an empty list says "nothing here" too
    top = pool[:PLAN["relatedMax"] if nothing else limit]
    return Ranked([(d, final[d]) for d in top], list(terms), partial=bool(final) and required > 0 and not full,
                  known=bool(final) or bool(terms), direct=[direct[d] for d in top], nothing=nothing)


def search(ix: RankIndex, query: str, limit: int = PLAN["limit"]) -> Ranked:
    """Parse and rank in one call."""
    return rank(ix, parse(ix, query), limit)
