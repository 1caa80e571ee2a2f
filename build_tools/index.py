"""Search indexes built from the corpus.

``browser_index`` builds the compact index that the site's own search engine
(``assets/casebook-search.js``) loads with ``<script>`` tags, so it works
from ``file://``. Terms come from :mod:`build_tools.segment`, the project's
single segmenter, and weights are BM25 with field boosts, computed here so
the browser only adds numbers.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .project import cache_dir
from . import segment

FIELD_BOOSTS = {"title": 6.0, "aliases": 5.0, "tags": 2.5, "place": 2.5, "body": 1.0}
K1, B = 1.2, 0.75


def record_fields(corpus: Corpus, rec) -> dict[str, str]:
    """The searchable text of a record, by field."""
    tags = []
    for t in rec.tags:
        tag = corpus.registry.tags.get(t)
        if tag:
            tags += [tag.name, *tag.synonyms]
    places = [corpus.place_name(s) for s in corpus.place_chain(rec.unit or rec.place)]
    body = [rec.summary, *(c.text for c in rec.background), *(c.text for c in rec.practices),
            *(rec.structure or []), *(c.text for c in rec.outcomes),
            *[f"{mt.label} {mt.evidence}" for mt in rec.metrics], *rec.lessons]
    return {"title": rec.title, "aliases": " ".join(rec.aliases), "tags": " ".join(tags),
            "place": " ".join(places), "body": "\n".join(body)}


def _bm25(docs_fields: list[dict[str, list[str]]]) -> dict[str, dict[int, float]]:
    n = len(docs_fields)
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
    """Documents of the browser index with their BM25 term weights."""

    docs: list[list]
    weights: dict[str, dict[int, float]]
    n_records: int


def weigh(corpus: Corpus) -> Weighted:
    """Segment every record, tag and place once and weigh its terms (BM25, field boosts)."""
    segment.init(segment.domain_words(corpus))
    docs: list[list] = []
    fields: list[dict[str, list[str]]] = []
    for rec in corpus.records.values():
        f = record_fields(corpus, rec)
        docs.append([f"cases/{rec.id}.html", rec.title, corpus.full_place(rec),
                     [corpus.tag_name(t) for t in rec.tags], rec.summary, record_places(corpus, rec),
                     list(rec.tags), " ".join(rec.aliases)])
        fields.append({k: segment.tokens(v) for k, v in f.items()})
    n_records = len(docs)
    for tag in corpus.registry.tags.values():
        docs.append([f"tags/{tag.slug}.html", f"标签：{tag.name}", "", [], tag.definition, [], [tag.slug],
                     " ".join(tag.synonyms)])
        fields.append({"title": segment.tokens(tag.name), "aliases": segment.tokens(" ".join(tag.synonyms)),
                       "body": segment.tokens(tag.definition)})
    for place in corpus.registry.places.values():
        n = len(corpus.records_in(place.slug))
        docs.append([f"places/{place.slug}.html", f"地点：{place.name}", "", [], f"{place.level}，{n} 条案例",
                     [place.slug], [], ""])
        fields.append({"title": segment.tokens(place.name)})
    return Weighted(docs, _bm25(fields), n_records)


SHARD_BYTES = 48_000  # aim per term shard: a query loads a few of these
DOCS_PER_SHARD = 200
SUMMARY_CHARS = 110


def shard_of(term: str, shards: int) -> int:
    """Which term shard holds ``term``; the same FNV-1a hash runs in the browser."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")  # JavaScript strings are UTF-16 code units
    for k in range(0, len(data), 2):
        h ^= data[k] | (data[k + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _postings(p: dict[int, float]) -> list:
    """[first doc, weight×10, gap, weight×10, …]: small integers keep the files small."""
    out, prev = [], 0
    for i, wt in sorted(p.items()):
        out += [i - prev, max(1, round(wt * 10))]
        prev = i
    return out


def browser_index(corpus: Corpus, weighted: Weighted | None = None) -> dict[str, str]:
    """The browser index as files under ``search/``, each loadable by a ``<script>`` tag.

    ``casebook-index.js`` holds the vocabulary and query words; terms live in
    hashed shards and documents in blocks, both loaded only when a query needs
    them, so the bytes read before the first result stay small as the corpus grows.
    Places and tags are pseudo-terms (``@wuxi``, ``#hongse-wuye``) for filtering.
    """
    w = weighted or weigh(corpus)
    postings: dict[str, dict[int, float]] = dict(w.weights)
    for i, d in enumerate(w.docs[:w.n_records]):
        for slug in d[5]:
            postings.setdefault("@" + slug, {})[i] = 1.0
        for slug in d[6]:
            postings.setdefault("#" + slug, {})[i] = 1.0
    encoded = {t: _postings(p) for t, p in postings.items()}
    size = sum(len(t) * 3 + 4 * len(v) for t, v in encoded.items())
    shards = max(1, -(-size // SHARD_BYTES))
    buckets: list[dict[str, list]] = [{} for _ in range(shards)]
    for t in sorted(encoded):
        buckets[shard_of(t, shards)][t] = encoded[t]
    docs = [[d[0][:-5], d[1], d[2], d[3], d[4][:SUMMARY_CHARS], d[7]] for d in w.docs]
    meta = {
        "version": 3, "shards": shards, "docsPerShard": DOCS_PER_SHARD, "nDocs": len(docs),
        "nRecords": w.n_records, "vocab": sorted(t for t in w.weights),
        "places": {s: p.name for s, p in corpus.registry.places.items()},
        "tags": {s: t.name for s, t in corpus.registry.tags.items()},
        "placeWords": place_words(corpus), "tagWords": tag_words(corpus), "generic": sorted(segment.GENERIC),
    }
    dump = lambda x: json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    files = {"search/casebook-index.js": f"window.__casebook_index={dump(meta)};\n"}
    for k, bucket in enumerate(buckets):
        files[f"search/t/{k}.js"] = f"__casebook_terms({k},{dump(bucket)});\n"
    for k in range(0, len(docs), DOCS_PER_SHARD):
        n = k // DOCS_PER_SHARD
        files[f"search/d/{n}.js"] = f"__casebook_docs({n},{dump(docs[k:k + DOCS_PER_SHARD])});\n"
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
            if t not in segment.GENERIC}
    rare = {t: p for t, p in rare.items() if 1 < len(p) <= limit}
    by_doc: list[list[tuple[float, str]]] = [[] for _ in range(n)]
    for term, post in rare.items():
        for i, wt in post.items():
            by_doc[i].append((wt, term))
    out: dict[str, list[tuple[str, float]]] = {}
    for i, rid in enumerate(ids):
        scores: dict[int, float] = defaultdict(float)
        for wt, term in heapq.nlargest(terms_per_doc, by_doc[i]):
            for j, wj in rare[term].items():
                if j != i:
                    scores[j] += wt * wj
        linked = {l.target for l in corpus.links.get(rid, [])}
        best = heapq.nsmallest(top + len(linked), ((-sc, ids[j]) for j, sc in scores.items()))
        out[rid] = [(r, round(-sc, 2)) for sc, r in best if r not in linked][:top]
    return out


# ---------------------------------------------------------------- Whoosh

INDEX_VERSION = 4
META_FILE = "casebook.json"
DICT_FILE = "userdict.txt"

try:  # whoosh-reloaded keeps the import name
    from whoosh.analysis import Token, Tokenizer
except ImportError as err:  # pragma: no cover - an install problem, said plainly
    raise ImportError("需要 whoosh-reloaded：请运行 make site 安装依赖") from err


class JiebaTokenizer(Tokenizer):
    """Chinese tokenizer whose positions count words, so phrase queries work.

    At index time (``mode="index"``) the sub-words of a long word
    (新就业群体 → 就业, 群体) are added at the same position as the word, so a
    short query still matches while consecutive words keep consecutive
    positions. Queries are analysed without sub-words.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word, pos, start, end in segment.tokens_with_positions(value):
            forms = [word]
            if mode == "index" and len(word) > 2:
                forms += [w for w in segment.tokens(word) if w != word]
            for form in forms:
                t.text = form
                t.boost = 1.0
                if keeporiginal:
                    t.original = form
                t.stopped = False
                if positions:
                    t.pos = start_pos + pos
                if chars:
                    t.startchar = start_char + start
                    t.endchar = start_char + end
                yield t


def _schema():
    from whoosh.analysis import LowercaseFilter
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    ana = JiebaTokenizer() | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=ana, stored=True, field_boost=FIELD_BOOSTS["title"]),
        aliases=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["aliases"]),
        tagtext=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["tags"]),
        placetext=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["place"]),
        body=TEXT(analyzer=ana, stored=True, field_boost=FIELD_BOOSTS["body"]),
        tags=KEYWORD(stored=True, commas=True, scorable=True),
        places=KEYWORD(stored=True, commas=True),
        place=STORED(),
        summary=STORED(),
        snip=STORED(),
        digest=STORED(),
    )


def _record_doc(corpus: Corpus, rec) -> dict:
    f = record_fields(corpus, rec)
    places = record_places(corpus, rec)
    payload = json.dumps([rec.model_dump(mode="json"), f], ensure_ascii=False, sort_keys=True)
    return {
        "id": rec.id, "title": rec.title, "aliases": f["aliases"], "tagtext": f["tags"], "placetext": f["place"],
        "body": f["body"], "tags": ",".join(rec.tags), "places": ",".join(places),
        "place": corpus.full_place(rec), "summary": rec.summary,
        # Snippets are cut from this shorter text: highlighting re-reads it per hit.
        "snip": "\n".join([rec.summary, *(c.text for c in rec.practices), *(c.text for c in rec.outcomes),
                          *(mt.evidence for mt in rec.metrics)])[:900],
        "digest": hashlib.sha256(payload.encode()).hexdigest(),
    }


@dataclass
class IndexReport:
    """What ``build_whoosh`` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False


def build_whoosh(corpus: Corpus, index_dir: Path) -> IndexReport:
    """Create or update the Whoosh index; only changed records are rewritten."""
    from whoosh import index as windex

    index_dir = Path(index_dir)
    words = segment.domain_words(corpus)
    segment.init(words)
    meta = {"version": INDEX_VERSION, "places": place_words(corpus), "tags": tag_words(corpus)}
    meta_path = index_dir / META_FILE
    old_meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
    dict_path = index_dir / DICT_FILE
    old_words = set(dict_path.read_text(encoding="utf-8").splitlines()) if dict_path.exists() else set()
    report = IndexReport()
    if (old_meta or {}).get("version") != INDEX_VERSION or not windex.exists_in(str(index_dir)):
        import shutil

        shutil.rmtree(index_dir, ignore_errors=True)
        index_dir.mkdir(parents=True)
        ix = windex.create_in(str(index_dir), _schema())
        report.rebuilt = True
        stored: dict[str, str] = {}
        changed_words: set[str] = set()
    else:
        ix = windex.open_dir(str(index_dir))
        with ix.searcher() as s:
            stored = {f["id"]: f["digest"] for f in s.all_stored_fields()}
        # A word added to or dropped from the dictionary changes how texts that
        # contain it are cut, and only those: re-index them, not everything.
        changed_words = old_words ^ set(words)
    dict_path.write_text("\n".join(words) + "\n", encoding="utf-8")
    writer = ix.writer()
    for rid in sorted(set(stored) - set(corpus.records)):
        writer.delete_by_term("id", rid)
        report.removed += 1
    for rec in corpus.records.values():
        doc = _record_doc(corpus, rec)
        text = "".join(str(doc[k]) for k in ("title", "aliases", "tagtext", "placetext", "body"))
        if stored.get(rec.id) == doc["digest"] and not any(w in text for w in changed_words):
            report.unchanged += 1
            continue
        if rec.id in stored:
            report.updated += 1
        else:
            report.added += 1
        writer.update_document(**doc)
    if report.added or report.updated or report.removed:
        writer.commit(optimize=report.rebuilt)
    else:
        writer.cancel()
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return report


@dataclass
class Hit:
    """One search result."""

    id: str
    title: str
    place: str
    score: float
    snippet: str
    tags: list[str]


def _parse_query(text: str):
    """Quoted parts become phrases; the rest are words, any of which may match."""
    import re as _re

    phrases = [p for p in _re.findall(r"[\"“”']([^\"“”']+)[\"“”']", text) if p.strip()]
    rest = _re.sub(r"[\"“”'][^\"“”']*[\"“”']", " ", text)
    return phrases, rest


@dataclass
class QueryPlan:
    """What a query asks for: words (with weights), phrases, practices and places."""

    words: dict[str, float]
    phrases: list[list[str]]
    tags: list[str]
    places: list[str]


def plan_query(text: str, places: dict[str, str], tags: dict[str, str]) -> QueryPlan:
    """Understand a query the same way in the command line and the browser.

    Place names (江阴, 常州市) restrict the results to that place; words that
    name a practice (外卖骑手 → 新就业群体) also look for its tag; generic words
    (社区, 治理) count little; quoted text must match as a phrase.
    """
    phrases_txt, rest = _parse_query(text)
    phrases = [[w for w, *_ in segment.tokens_with_positions(p)] for p in phrases_txt]
    words: dict[str, float] = {}
    found_places: list[str] = []
    found_tags: list[str] = []
    for w, *_ in segment.tokens_with_positions(rest):
        if w in places:
            found_places.append(places[w])
            continue
        if w in tags and tags[w] not in found_tags:
            found_tags.append(tags[w])
        words[w] = min(words.get(w, 1.0), 0.3 if w in segment.GENERIC else 1.0)
    return QueryPlan(words, [p for p in phrases if p], found_tags, list(dict.fromkeys(found_places)))


def _build_query(plan: QueryPlan):
    from whoosh import query as Q

    fields = ["title", "aliases", "tagtext", "placetext", "body"]
    must = []
    for words in plan.phrases:
        if len(words) == 1:
            must.append(Q.Or([Q.Term(f, words[0]) for f in fields]))
        else:
            must.append(Q.Or([Q.Phrase(f, words) for f in fields]))
    words = plan.words
    core = {w: wt for w, wt in words.items() if wt >= 1} or words
    should = [Q.Or([Q.Term(f, w, boost=weight) for f in fields]) for w, weight in core.items()]
    # Words typed next to each other score more where they stand together
    # (108个网格, 快递小哥送外卖); generic words take no part.
    seq = list(core)
    should += [Q.Phrase("body", [a, b], slop=2, boost=1.5) for a, b in zip(seq, seq[1:])]
    optional: list = []
    should += [Q.Term("tags", t, boost=2.0) for t in plan.tags]
    if must and should:
        return Q.AndMaybe(Q.And(must), Q.Or(should))
    if must:
        return Q.And(must)
    return Q.Or(should) if should else None


GENERIC_SHARE = 0.2


class Searcher:
    """A reusable searcher over ``search_index/`` (keep one for many queries)."""

    def __init__(self, index_dir: Path):
        from whoosh import index as windex

        index_dir = Path(index_dir)
        if not windex.exists_in(str(index_dir)):
            raise FileNotFoundError(f"找不到检索索引 {index_dir}：请先运行 casebook index")
        words = (index_dir / DICT_FILE).read_text(encoding="utf-8").splitlines() if (index_dir / DICT_FILE).exists() else []
        segment.init(words)
        self.ix = windex.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        meta = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
        self.place_words = meta.get("places", {})
        self.tag_words = meta.get("tags", {})

    def close(self) -> None:
        self.searcher.close()

    def search(self, text: str, tag: str | None = None, place: str | None = None, limit: int = 10) -> list[Hit]:
        """Ranked records for ``text``, optionally only those with a tag or in a place."""
        from whoosh import query as Q
        from whoosh.highlight import ContextFragmenter

        plan = plan_query(text, self.place_words, self.tag_words)
        # Words found in over a fifth of the records say little about which
        # one is meant (and make the query slow): they count as generic.
        n = max(1, self.searcher.doc_count())
        for w in list(plan.words):
            if plan.words[w] >= 1 and self.searcher.doc_frequency("body", w) > GENERIC_SHARE * n:
                plan.words[w] = 0.3
        q = _build_query(plan)
        filters = [Q.Term("tags", tag)] if tag else []
        for p in ([place] if place else []) + plan.places:
            filters.append(Q.Term("places", p))
        filt = Q.And(filters) if filters else None
        if q is None:
            if filt is None:
                return []
            q = Q.Every()
        results = self.searcher.search(q, limit=limit, filter=filt)
        results.fragmenter = ContextFragmenter(maxchars=80, surround=30)
        results.formatter = _bracket_formatter()
        out = []
        for r in results:
            snip = (r.highlights("body", text=r["snip"], top=2) or r["summary"][:80]).replace("\n", " ")
            out.append(Hit(r["id"], r["title"], r["place"], round(r.score, 3), snip, r["tags"].split(",")))
        return out

    def more_like(self, rid: str, top: int = 5) -> list[tuple[str, float]]:
        """Records most like ``rid`` by body and tags (computed, not edited)."""
        docnum = self.searcher.document_number(id=rid)
        if docnum is None:
            return []
        text = self.searcher.stored_fields(docnum)["body"]
        res = self.searcher.more_like(docnum, "body", text=text, top=top, numterms=20)
        return [(r["id"], round(r.score, 3)) for r in res]


def _bracket_formatter():
    """Highlight matches as 【…】 for a terminal (no HTML in CLI output)."""
    from whoosh.highlight import Formatter, get_text

    class Bracket(Formatter):
        between = " … "

        def format_token(self, text, token, replace=False):
            return "【" + get_text(text, token, replace) + "】"

    return Bracket()


def query_records(corpus: Corpus, query: str, limit: int = 20, index_dir: Path | None = None) -> list[str]:
    """Record ids ranked for ``query``, from the Whoosh index (built or refreshed as needed)."""
    # A private index in the cache: a course build must not rewrite the
    # project's search_index/ behind the user's back.
    index_dir = Path(index_dir or cache_dir(corpus_root(corpus)) / "query_index")
    key = (str(index_dir.resolve()), id(corpus))
    if key not in _refreshed:
        # Refresh the index once per corpus in this process, not once per query.
        # The entry keeps the corpus alive, so its id cannot be reused by another.
        build_whoosh(corpus, index_dir)
        _refreshed[key] = (corpus, Searcher(index_dir))
    return [h.id for h in _refreshed[key][1].search(query, limit=limit)]


_refreshed: dict[tuple[str, int], tuple[Corpus, "Searcher"]] = {}


def corpus_root(corpus: Corpus) -> Path:
    """The project folder of a corpus (the parent of its cases directory)."""
    return Path(corpus.cases_dir or "cases").resolve().parent
