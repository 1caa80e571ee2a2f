"""Search indexes built from the corpus.

``browser_index`` builds the compact index that the site's own search engine
(``assets/casebook-search.js``) loads with ``<script>`` tags, so it works
from ``file://``. Terms come from :mod:`build_tools.segment`, the project's
single segmenter, and weights are BM25 with field boosts, computed here so
the browser only adds numbers.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .background import in_two
from .corpus import Corpus
from .ranking import DOC_FIELDS, FIELD_BOOSTS, PLAN, RankIndex
from . import concept_terms, segment, synonyms

# Field weights, BM25's k1 and b and the weight scale are the shared plan's (build_tools/ranking.py).
K1, B = PLAN["k1"], PLAN["b"]
SUMMARY_CHARS = 110
PARALLEL_RELATED = 1000  # records from which related records are scored on two cores


def record_fields(corpus: Corpus, rec) -> dict[str, str]:
    """The searchable text of a record, by field.

    The body is what the record says happened (summary, background, practices,
    structure, outcomes, figures); the editor's analysis, which says why the
    problem arises, is a field of its own weighed below the body. Lessons and
    teaching notes are advice for a reader of the case, not a description of
    its problem, and are left out of search (benchmarks/README.md).
    """
    tags = []
    for t in rec.tags:
        tag = corpus.registry.tags.get(t)
        if tag:
            tags += [tag.name, *tag.synonyms]
    places = [corpus.place_name(s) for s in corpus.place_chain(rec.unit or rec.place)]
    body = [rec.summary, *(c.text for c in rec.background), *(c.text for c in rec.practices),
            *(rec.structure or []), *(c.text for c in rec.outcomes),
            *[f"{mt.label} {mt.evidence}" for mt in rec.metrics]]
    return {"title": rec.title, "aliases": " ".join(rec.aliases), "problems": "\n".join(rec.problems),
            "tags": " ".join(tags), "place": " ".join(places), "body": "\n".join(body),
            "analysis": "\n".join(rec.analysis)}


def lexicon_terms(lexicon: dict[str, dict[str, list[str]]], text: str) -> list[str]:
    """Official terms the everyday words in ``text`` stand for (a record's problems)."""
    out: list[str] = []
    for word, entry in lexicon.items():
        if word in text:
            out += [t for t in entry["terms"] if t not in out]
    return out


def _bm25(docs_fields: list[dict[str, list[str]]]) -> dict[str, dict[int, float]]:
    n = len(docs_fields)
    if not n:
        return {}
    avg = {f: (sum(len(d.get(f, [])) for d in docs_fields) / n) or 1.0 for f in FIELD_BOOSTS}
    df: Counter = Counter()
    for d in docs_fields:
        df.update({t for toks in d.values() for t in toks})
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for i, d in enumerate(docs_fields):
        for f, toks in d.items():
            if not toks:
                continue
            tf = Counter(toks)
            norm = K1 * (1 - B + B * len(toks) / avg[f])
            for t, c in tf.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                out[t][i] = out[t].get(i, 0.0) + FIELD_BOOSTS[f] * idf * c * (K1 + 1) / (c + norm)
    return out


def place_words(corpus: Corpus) -> dict[str, str]:
    """Place names a cadre types (全称 and 简称: 江阴市 / 江阴) → place slug."""
    out: dict[str, str] = {}
    for p in corpus.registry.places.values():
        if p.level in ("省", "地级市", "县级市", "市辖区", "县"):
            out[p.name] = p.slug
            short = p.name[:-1] if p.name[-1] in "省市区县" else p.name
            if len(short) >= 2:
                out.setdefault(short, p.slug)
    return out


def tag_words(corpus: Corpus) -> dict[str, str]:
    """Tag names and synonyms → tag slug (a query word that names a practice)."""
    out: dict[str, str] = {}
    for t in corpus.registry.tags.values():
        for w in [t.name, *t.synonyms]:
            out.setdefault(segment.normalise(w), t.slug)
    return out


def record_places(corpus: Corpus, rec) -> list[str]:
    """The record's place and unit with all their ancestors."""
    spots = [rec.place] + ([rec.unit] if rec.unit else [])
    return sorted({s for x in spots for s in [x, *corpus.registry.ancestors(x)]})


@dataclass
class Weighted:
    """Documents of the search index with their BM25 term weights."""

    docs: list[list]  # ranking.DOC_FIELDS, then place slugs and tag slugs (for the pseudo-terms)
    weights: dict[str, dict[int, float]]
    n_records: int
    synonyms: list[list[str]] = field(default_factory=list)  # thesaurus groups among the index's words


@dataclass
class Page:
    """A hand-written page (a guide) that search should find too."""

    loc: str  # docs-relative, without .md
    title: str
    text: str


def guide_pages(corpus: Corpus) -> list[Page]:
    """The hand-written guide pages beside the cases (``content/guide/*.md``), as search documents."""
    import re
    from pathlib import Path

    docs_dir = Path(corpus.cases_dir or "cases").resolve().parent / "content"
    out = []
    for path in sorted((docs_dir / "guide").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("# ")), path.stem)
        plain = re.sub(r"[`*#>|\[\]()\-]+", " ", re.sub(r"\]\([^)]*\)", "]", text))
        out.append(Page(f"guide/{path.stem}", title, " ".join(plain.split())))
    return out


def weigh(corpus: Corpus, pages: list[Page] | None = None, segmenter: segment.Segmenter | None = None) -> Weighted:
    """Segment every record, tag, place and guide page once and weigh its terms (BM25, field boosts).

    The site, ``casebook index`` and course selections all weigh the same
    documents (guide pages included), so every ranking sees the same numbers.
    ``segmenter`` is the corpus's (:meth:`Segmenter.for_corpus`); without one, one is made.
    """
    from .lexicon import lexicon_map

    pages = guide_pages(corpus) if pages is None else pages
    seg = segmenter or segment.Segmenter.for_corpus(corpus)
    lexicon = lexicon_map(corpus.registry.lexicon)
    docs: list[list] = []
    fields: list[dict[str, list[str]]] = []
    record_texts = {rec.id: record_fields(corpus, rec) for rec in corpus.records.values()}
    concepts = corpus.concepts()
    seg.prefetch(v for f in record_texts.values() for v in f.values())
    for rec in corpus.records.values():
        f = record_texts[rec.id]
        docs.append([f"cases/{rec.id}", rec.title, corpus.full_place(rec), [corpus.tag_name(t) for t in rec.tags],
                     rec.summary[:SUMMARY_CHARS], " ".join(rec.aliases), record_places(corpus, rec), list(rec.tags)])
        toks = {k: seg.tokens(v) for k, v in f.items()}
        toks["lexicon"] = lexicon_terms(lexicon, f["problems"])
        toks["concepts"], toks["conceptsImplied"] = concept_terms.record_terms(concepts.get(rec.id, []))
        fields.append(toks)
    n_records = len(docs)
    for tag in corpus.registry.tags.values():
        docs.append([f"tags/{tag.slug}", f"标签：{tag.name}", "", [], tag.definition[:SUMMARY_CHARS],
                     " ".join(tag.synonyms), [], [tag.slug]])
        fields.append({"title": seg.tokens(tag.name), "aliases": seg.tokens(" ".join(tag.synonyms)),
                       "body": seg.tokens(tag.definition)})
    for place in corpus.registry.places.values():
        n = len(corpus.records_in(place.slug))
        docs.append([f"places/{place.slug}", f"地点：{place.name}", "", [], f"{place.level}，{n} 条案例", "",
                     [place.slug], []])
        fields.append({"title": seg.tokens(place.name)})
    weights = _bm25(fields)
    # Guide pages are weighed on their own, so editing a guide never moves a record's score.
    first = len(docs)
    guide_fields = []
    for page in pages:
        docs.append([page.loc, page.title, "", [], page.text[:SUMMARY_CHARS], "", [], []])
        guide_fields.append({"title": seg.tokens(page.title), "body": seg.tokens(page.text)})
    for t, post in _bm25(guide_fields).items():
        target = weights.setdefault(t, {})
        for i, wt in post.items():
            target[first + i] = wt
    words = [t for t in set(weights) | set(lexicon) if not t.startswith(concept_terms.PREFIX)]
    return Weighted(docs, weights, n_records, synonyms.groups(words, seg.base_freq, PLAN))


GENERIC_SHARE = PLAN["genericShare"]


def rank_index(corpus: Corpus, weighted: Weighted) -> RankIndex:
    """The data the shared ranking reads, in the CLI and (as shards) in the browser."""
    from .lexicon import lexicon_map

    w, scale = weighted, PLAN["weightScale"]
    postings: dict[str, list[tuple[int, int]]] = {
        t: [(i, max(1, round(wt * scale))) for i, wt in sorted(p.items())] for t, p in w.weights.items()}
    for i, d in enumerate(w.docs[:w.n_records]):
        for slug in d[6]:
            postings.setdefault("@" + slug, []).append((i, scale))
        for slug in d[7]:
            postings.setdefault("#" + slug, []).append((i, scale))
    # Words found in over a fifth of the records say little about which one is meant.
    common = {t for t, p in w.weights.items() if not t.startswith(concept_terms.PREFIX)
              and sum(1 for i in p if i < w.n_records) > GENERIC_SHARE * w.n_records}
    lexicon = lexicon_map(corpus.registry.lexicon)
    generic = set(segment.GENERIC) | common
    groups = [g for g in ([x for x in group if x not in generic] for group in weighted.synonyms) if len(g) >= 2]
    return RankIndex(
        vocab=sorted(t for t in set(w.weights) | set(lexicon) if not t.startswith(concept_terms.PREFIX)),
        postings=postings, concepts=concept_terms.concept_meta(corpus),
        docs=[d[:len(DOC_FIELDS)] for d in w.docs], n_records=w.n_records,
        place_words=place_words(corpus), tag_words=tag_words(corpus),
        generic=generic, lexicon=lexicon, synonyms=groups,
        places={s: p.name for s, p in corpus.registry.places.items()},
        tags={s: t.name for s, t in corpus.registry.tags.items()})


def rank_meta(ix: RankIndex) -> dict:
    """Everything of a RankIndex but postings and documents (they go in shards)."""
    return {"plan": PLAN, "docFields": DOC_FIELDS, "nDocs": len(ix.docs), "nRecords": ix.n_records,
            "vocab": ix.vocab, "placeWords": ix.place_words, "tagWords": ix.tag_words,
            "generic": sorted(ix.generic), "lexicon": ix.lexicon, "places": ix.places, "tags": ix.tags,
            "concepts": ix.concepts, "synonyms": ix.synonyms}


# Tuned at 10,000 records (benchmarks/README.md): a query's words fall in ~9 term shards and the
# documents it reads (title_masks) in 20-40 blocks, so it fetches mostly whole shards and blocks of
# which it needs little; small ones (about 360 and 2,000 files) keep that near 0.22 MB besides
# casebook-index.js.
SHARD_BYTES = 12_000  # aim per term shard (packed postings)
DOCS_PER_SHARD = 5

# Term shards keep postings as strings of printable ASCII digits (pack_postings): about 2.2 bytes per
# posting instead of 5.4 as JSON numbers. Published as meta["packing"] for the browser's reader.
PACKING = {"digits": "".join(chr(c) for c in range(0x23, 0x7F) if chr(c) != "\\"), "last": 64}


# FNV-1a (32 bits); published in the index (meta["hash"]) for the browser's copy of shard_of.
SHARD_HASH = {"basis": 0x811C9DC5, "prime": 0x01000193}


def shard_of(term: str, shards: int) -> int:
    """Which term shard holds ``term``; the same FNV-1a hash runs in the browser."""
    h = SHARD_HASH["basis"]
    data = term.encode("utf-16-le")  # JavaScript strings are UTF-16 code units
    for k in range(0, len(data), 2):
        h ^= data[k] | (data[k + 1] << 8)
        h = (h * SHARD_HASH["prime"]) & 0xFFFFFFFF
    return h % shards


def encode_postings(p: list[tuple[int, int]]) -> list:
    """[first doc, weight×10, gap, weight×10, …]: small integers keep the files small."""
    out, prev = [], 0
    for i, w10 in p:
        out += [i - prev, w10]
        prev = i
    return out


def pack_numbers(numbers: list[int]) -> str:
    """Non-negative integers as one string of ``PACKING`` digits (the browser's ``unpack`` reads it).

    A digit among the first ``last`` ends a number and gives its remainder
    modulo ``last``; the digits before it (the others, base ``len(digits) - last``,
    most significant first) give the quotient. Most gaps and weights of the
    postings take one digit, and JSON needs no quotes or commas between them.
    """
    digits, last = PACKING["digits"], PACKING["last"]
    base, out = len(digits) - last, []
    for v in numbers:
        high, more = v // last, []
        while high:
            more.append(digits[last + high % base])
            high //= base
        out += [*reversed(more), digits[v % last]]
    return "".join(out)


def pack_postings(p: list[tuple[int, int]]) -> str:
    """A term's postings as the browser's term shards hold them: :func:`encode_postings`, packed."""
    return pack_numbers(encode_postings(p))


TITLE_BITS = 30  # one JavaScript integer per document (its bitwise operators work on 32 bits, signed)


def title_masks(docs: list[list]) -> list[int]:
    """Per document, the Han characters of its title and aliases as bits (character code modulo TITLE_BITS).

    The title bonus needs the whole query inside a title: a candidate whose mask
    lacks a bit of the query's characters cannot have it, so the browser fetches
    the text of only the candidates it shows and those that may.
    """
    title, aliases = DOC_FIELDS.index("title"), DOC_FIELDS.index("aliases")
    return [sum({1 << (ord(c) % TITLE_BITS) for c in f"{d[title]} {d[aliases]}".lower() if "\u4e00" <= c <= "\u9fff"})
            for d in docs]


def browser_index(ix: RankIndex) -> dict[str, str]:
    """The browser index as files under ``search/``, each loadable by a ``<script>`` tag.

    ``casebook-index.js`` holds the plan's constants, the vocabulary, the
    lexicon and the query words; terms live in hashed shards and documents in
    blocks, both loaded only when a query needs them, so the bytes read before
    the first result stay small as the corpus grows. Places and tags are
    pseudo-terms (``@wuxi``, ``#hongse-wuye``) for filtering.
    """
    packed = {t: pack_postings(p) for t, p in ix.postings.items()}
    size = sum(len(t.encode()) + len(v) + 6 for t, v in packed.items())  # as the shard files will hold them
    shards = max(1, -(-size // SHARD_BYTES))
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for t in sorted(packed):
        buckets[shard_of(t, shards)][t] = packed[t]
    meta = {"version": 5, "shards": shards, "hash": SHARD_HASH, "packing": PACKING, "docsPerShard": DOCS_PER_SHARD,
            "titleBits": TITLE_BITS, "titleMasks": pack_numbers(title_masks(ix.docs)), **rank_meta(ix)}
    dump = lambda x: json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    files = {"search/casebook-index.js": f"window.__casebook_index={dump(meta)};\n"}
    for k, bucket in enumerate(buckets):
        files[f"search/t/{k}.js"] = f"__casebook_terms({k},{dump(bucket)});\n"
    for k in range(0, len(ix.docs), DOCS_PER_SHARD):
        n = k // DOCS_PER_SHARD
        files[f"search/d/{n}.js"] = f"__casebook_docs({n},{dump(ix.docs[k:k + DOCS_PER_SHARD])});\n"
    return files


def computed_related(corpus: Corpus, weighted: Weighted, top: int = 3, terms_per_doc: int = 12) -> dict[str, list[tuple[str, float]]]:
    """More-like-this over body and tags: for each record, the records sharing its strongest terms.

    Only distinctive terms take part (a term in many records says little about
    likeness, and would make this quadratic). Records already linked by hand
    are left out: they are shown anyway.
    """
    import heapq

    n = weighted.n_records
    ids = list(corpus.records)
    limit = max(30, min(200, n // 50))
    rare = {t: {i: w for i, w in p.items() if i < n} for t, p in weighted.weights.items()
            if t not in segment.GENERIC and not t.startswith(concept_terms.PREFIX)}
    rare = {t: p for t, p in rare.items() if 1 < len(p) <= limit}
    by_doc: list[list[tuple[float, str]]] = [[] for _ in range(n)]
    for term, post in rare.items():
        for i, wt in post.items():
            by_doc[i].append((wt, term))

    def related(lo: int, hi: int) -> dict[str, list[tuple[str, float]]]:
        out: dict[str, list[tuple[str, float]]] = {}
        for i in range(lo, hi):
            rid = ids[i]
            scores: dict[int, float] = defaultdict(float)
            for wt, term in heapq.nlargest(terms_per_doc, by_doc[i]):
                for j, wj in rare[term].items():
                    if j != i:
                        scores[j] += wt * wj
            linked = {l.target for l in corpus.links.get(rid, [])}
            best = heapq.nsmallest(top + len(linked), ((-sc, ids[j]) for j, sc in scores.items()))
            out[rid] = [(r, round(-sc, 2)) for sc, r in best if r not in linked][:top]
        return out

    # Many records: a forked child scores the second half on the other core.
    first, second = in_two(n, PARALLEL_RELATED, related)
    return {**first, **second}
