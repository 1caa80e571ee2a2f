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
3. Pieces left over, and the last word being typed, are completed from the
   vocabulary (prefix search) with lower weights.
4. Everyday words from the lexicon (太累 → 减负) add their official terms
   (weight LEXICON_WEIGHT) and boost their tags.
5. Generic words (社区, 治理, words in over a fifth of the records) count little.
6. Score = Σ term weight × BM25 weight of the term in the document (fields
   weighted, ``problems`` high), × (0.25 + cover²) where cover is the share of
   the query's full words the document has, × (1 + TAG_BOOST per boosted tag);
   titles or aliases containing the whole query rank higher (TITLE_BONUS).
7. When no record has every word, the best partial matches are listed and the
   result says so (``partial``); only a query with no known word returns nothing.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

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
    "lexiconWeight": 0.8,   # official terms reached from an everyday word
    # step 6: scores
    "fieldBoosts": {"title": 6.0, "aliases": 5.0, "problems": 6.0, "tags": 2.5, "place": 2.5, "lexicon": 2.0,
                    "body": 1.0},  # the problems a method answers weigh nearly as much as its name
    "k1": 1.2,              # BM25 term-frequency saturation
    "b": 0.75,              # BM25 length normalisation
    "weightScale": 10,      # postings keep weight × this as an integer (small index files)
    "tagBoost": 0.5,        # per boosted tag a record has
    "titleBonus": 1.5,      # the whole query stands in the title or aliases
    "titleMinChars": 2,     # shortest Han query that can earn the title bonus
    "coverBase": 0.25,      # score share of a document that has none of the full words
    "pool": 40,             # candidates re-checked for the title bonus
    "limit": 20,            # results when the caller does not say how many
    # results shown: a snippet around the first matched word
    "snippetChars": 90,
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

    def __post_init__(self):
        self._vocab = set(self.vocab)

    def has(self, w: str) -> bool:
        return w in self._vocab

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


@dataclass
class Ranked:
    items: list[tuple[int, float]]  # (doc, score)
    terms: list[str]
    partial: bool  # no document has every full word of the query
    known: bool    # at least one word of the query is in the index


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
                add(t, PLAN["lexiconWeight"], True)  # one step only: terms are not expanded again
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
            for g in gaps:
                if len(g) >= PLAN["minGap"]:
                    for w in ix.expand(g, limit):
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
    return Plan(terms, filters, "".join(re.findall(r"[\u4e00-\u9fff]+", q)))


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
    for t, qw in terms.items():
        for d, w10 in ix.postings.get(t, []):
            scores[d] = scores.get(d, 0.0) + w10 / PLAN["weightScale"] * qw
            if qw >= PLAN["fullWeight"]:
                hits[d] = hits.get(d, 0) + 1
    if not terms and allow is not None:
        scores = {d: 1.0 for d in allow}
    ranked: list[list] = []
    full = False
    for d, s in scores.items():
        if allow is not None and (d not in allow or d >= ix.n_records):
            continue
        cover = hits.get(d, 0) / required if required else 1.0
        full = full or cover >= 1
        ranked.append([d, s * (PLAN["coverBase"] + cover * cover) * (1 + PLAN["tagBoost"] * boost.get(d, 0))])
    ranked.sort(key=lambda r: (-r[1], r[0]))
    pool = ranked[:max(limit, PLAN["pool"])]
    if len(plan.han) >= PLAN["titleMinChars"]:
        for r in pool:
            doc = ix.docs[r[0]]
            if plan.han in f"{doc[_TITLE]} {doc[_ALIASES]}".lower():
                r[1] *= PLAN["titleBonus"]
    pool.sort(key=lambda r: (-r[1], r[0]))
    return Ranked([(d, s) for d, s in pool[:limit]], list(terms), partial=bool(ranked) and required > 0 and not full,
                  known=bool(ranked) or bool(terms))


def search(ix: RankIndex, query: str, limit: int = PLAN["limit"]) -> Ranked:
    """Parse and rank in one call."""
    return rank(ix, parse(ix, query), limit)
