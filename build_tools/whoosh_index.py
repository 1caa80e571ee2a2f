"""The command line's search index: Whoosh stores the records, answers phrase
queries and more-like-this; ranking follows the plan shared with the browser.

``casebook index`` writes ``search_index/``: the Whoosh index (updated record
by record) and ``ranking.json``, the same term weights, vocabulary and
lexicon the browser index carries, so ``casebook search`` and the site rank a
query the same way (:mod:`build_tools.ranking`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import concept_terms, segment
from .corpus import Corpus
from .index import (Weighted, encode_postings, place_words, rank_index, rank_meta, record_fields,
                    record_places, tag_words, weigh)
from .ranking import DOC_FIELDS, FIELD_BOOSTS, PLAN, RankIndex, parse, rank

INDEX_VERSION = 6
META_FILE = "casebook.json"
DICT_FILE = "userdict.txt"
RANK_FILE = "ranking.json"

try:  # whoosh-reloaded keeps the import name
    from whoosh.analysis import Token, Tokenizer
    from whoosh.filedb.filestore import FileStorage
except ImportError as err:  # pragma: no cover - an install problem, said plainly
    raise ImportError("需要 whoosh-reloaded：请运行 make site 安装依赖") from err


class JiebaTokenizer(Tokenizer):
    """Chinese tokenizer whose positions count words, so phrase queries work.

    At index time (``mode="index"``) the sub-words of a long word
    (新就业群体 → 就业, 群体) are added at the same position as the word, so a
    short query still matches while consecutive words keep consecutive
    positions. Queries are analysed without sub-words. The segmenter is the
    corpus's; Whoosh pickles the schema into the index, so it is left out there
    and the schema is made again, with a segmenter, each time the index opens.
    """

    def __init__(self, segmenter: segment.Segmenter | None = None):
        self.segmenter = segmenter

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self.segmenter = None

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        seg = self.segmenter
        for word, pos, start, end in seg.tokens_with_positions(value):
            forms = [word]
            if mode == "index" and len(word) > 2:
                forms += [w for w in seg.tokens(word) if w != word]
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


def _schema(seg: segment.Segmenter):
    from whoosh.analysis import LowercaseFilter
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    ana = JiebaTokenizer(seg) | LowercaseFilter()
    # Stored: only what the command line shows and updates need; titles and places are in ranking.json.
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["title"]),
        aliases=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["aliases"]),
        tagtext=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["tags"]),
        placetext=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["place"]),
        problems=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["problems"]),
        body=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["body"]),
        tags=KEYWORD(stored=True, commas=True, scorable=True),
        places=KEYWORD(commas=True),
        snip=STORED(),
        digest=STORED(),
    )


WRITE_BATCH = 2000
WRITER_MB = 512
PARALLEL_MIN = 2000  # records from which a rebuild is written by forked workers (fewer: starting them costs more)
TEXT_FIELDS = ("title", "aliases", "tagtext", "placetext", "problems", "body")  # analysed by JiebaTokenizer


def _record_doc(corpus: Corpus, rec) -> dict:
    f = record_fields(corpus, rec)
    places = record_places(corpus, rec)
    # pydantic's own JSON (in Rust) is several times faster than json.dumps of model_dump
    payload = rec.model_dump_json() + json.dumps(f, ensure_ascii=False, sort_keys=True)
    return {
        "id": rec.id, "title": rec.title, "aliases": f["aliases"], "tagtext": f["tags"], "placetext": f["place"],
        "problems": f["problems"],
        "body": f["body"], "tags": ",".join(rec.tags), "places": ",".join(places),
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


class _SchemaStorage(FileStorage):
    """An index folder opened with our schema (the analyser with its cuts), also by forked writer workers."""

    def __init__(self, path: Path, schema):
        super().__init__(str(path))
        self.schema = schema

    def open_index(self, indexname=None, schema=None, indexclass=None):
        return super().open_index(indexname or "MAIN", schema or self.schema, indexclass)


def _workers(n_docs: int, procs: int | None) -> int:
    """How many forked processes write a rebuild: one a core for a big corpus, if forking is safe here."""
    import multiprocessing as mp
    import os
    import threading

    safe = mp.get_start_method() == "fork" and threading.active_count() == 1  # see Segmenter.prefetch
    return procs or (min(os.cpu_count() or 1, 4) if safe and n_docs >= PARALLEL_MIN else 1)


def build_whoosh(corpus: Corpus, index_dir: Path, weighted: Weighted | None = None,
                 cache: Path | None = None, segmenter: segment.Segmenter | None = None,
                 ranked: RankIndex | None = None, procs: int | None = None) -> IndexReport:
    """Create or update the index; only changed records are rewritten in Whoosh.

    ``cache`` is the site build's segmentation cache (``segments.pickle``): texts the build already cut
    are not cut again. The staged build hands over what it already has: the corpus's ``segmenter`` and
    its ranking data (``ranked``), so nothing is weighed twice. A rebuild of a big corpus is written by
    ``procs`` forked workers (default: one a core), each its own segment.
    """
    from whoosh import index as windex

    index_dir = Path(index_dir)
    words = corpus.domain_words()
    seg = segmenter or segment.Segmenter.for_corpus(corpus)
    if cache is not None:
        seg.load_cache(cache)
    meta = {"version": INDEX_VERSION, "places": place_words(corpus), "tags": tag_words(corpus)}
    meta_path = index_dir / META_FILE
    old_meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
    dict_path = index_dir / DICT_FILE
    old_words = set(dict_path.read_text(encoding="utf-8").splitlines()) if dict_path.exists() else set()
    report = IndexReport()
    if (old_meta or {}).get("version") != INDEX_VERSION or not windex.exists_in(str(index_dir)):
        shutil.rmtree(index_dir, ignore_errors=True)
        index_dir.mkdir(parents=True)
        schema = _schema(seg)
        ix = _SchemaStorage(index_dir, schema).create_index(schema)
        report.rebuilt = True
        stored: dict[str, str] = {}
        changed_words: set[str] = set()
    else:
        ix = windex.open_dir(str(index_dir), schema=_schema(seg))
        with ix.searcher() as s:
            stored = {f["id"]: f["digest"] for f in s.all_stored_fields()}
        # A word added to or dropped from the dictionary changes how texts that
        # contain it are cut, and only those: re-index them, not everything.
        changed_words = old_words ^ set(words)
    dict_path.write_text("\n".join(words) + "\n", encoding="utf-8")
    # The shared ranking first: it needs the cut texts of the whole corpus, which
    # then leave memory before Whoosh fills it with postings.
    pending = index_dir / (RANK_FILE + ".new")
    write_ranking(ranked or rank_index(corpus, weighted or weigh(corpus, segmenter=seg)), pending)
    if cache is not None:
        seg.save_cache(cache)
    seg.forget_search_tokens()  # the analyser needs only the cuts
    # Postings of a rebuild stay in memory up to this size instead of being
    # pickled to temporary runs and merged back (10,000 records: 2.3 million).
    workers = _workers(len(corpus.records), procs) if report.rebuilt else 1
    if workers > 1:  # forked workers see only the cuts the parent holds when they start: all, first
        seg.prefetch([t for rec in corpus.records.values() for t in record_fields(corpus, rec).values()])
        writer = ix.writer(procs=workers, multisegment=True, limitmb=WRITER_MB // workers)
    else:
        writer = ix.writer(limitmb=WRITER_MB)
    for rid in sorted(set(stored) - set(corpus.records)):
        writer.delete_by_term("id", rid)
        report.removed += 1
    batch: list[dict] = []
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
        batch.append(doc)
        if len(batch) == WRITE_BATCH:
            _write_batch(writer, batch, seg, report.rebuilt)
    _write_batch(writer, batch, seg, report.rebuilt)
    if report.added or report.updated or report.removed:
        # The workers' segments stay apart: merging them would redo their work in one process.
        writer.commit(optimize=report.rebuilt and workers == 1)
    else:
        writer.cancel()
    if workers > 1 and ix.doc_count() != report.added:  # a worker died and Whoosh went on without its share
        shutil.rmtree(index_dir)
        return build_whoosh(corpus, index_dir, weighted, cache, seg, ranked, procs=1)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    pending.replace(index_dir / RANK_FILE)
    return report


def _write_batch(writer, batch: list[dict], seg: segment.Segmenter, new: bool) -> None:
    """Add a batch of documents, their texts cut first on every core (the biggest cost of a rebuild)."""
    texts = [d[f] for d in batch for f in TEXT_FIELDS]
    seg.prefetch(texts)
    add = writer.add_document if new else writer.update_document  # new: nothing to replace, no lookup by id
    for doc in batch:
        add(**doc)
    seg.forget_texts(texts)  # their postings are in the writer now: make room for them
    batch.clear()


def write_ranking(ix: RankIndex, path: Path) -> None:
    """The shared ranking data, for ``Searcher``."""
    data = {"meta": rank_meta(ix), "postings": {t: encode_postings(p) for t, p in ix.postings.items()}, "docs": ix.docs}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def read_ranking(path: Path) -> RankIndex:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = data["meta"]
    postings = {}
    for t, flat in data["postings"].items():
        doc, out = 0, []
        for k in range(0, len(flat), 2):
            doc += flat[k]
            out.append((doc, flat[k + 1]))
        postings[t] = out
    return RankIndex(vocab=meta["vocab"], postings=postings, docs=data["docs"], n_records=meta["nRecords"],
                     place_words=meta["placeWords"], tag_words=meta["tagWords"], generic=set(meta["generic"]),
                     lexicon=meta["lexicon"], places=meta["places"], tags=meta["tags"],
                     concepts=meta.get("concepts", {}), synonyms=meta.get("synonyms", []))


@dataclass
class Hit:
    """One search result."""

    id: str
    title: str
    place: str
    score: float
    snippet: str
    tags: list[str]
    match: str = "direct"  # "direct": answers the query; "related": 可能相关 only


class Hits(list):
    """Ranked hits, and whether they match only part of the query."""

    partial: bool = False  # no record has every word: best partial matches, said so
    known: bool = True     # False: no word of the query is in the index
    nothing: bool = False  # no record answers the query: the hits are only 可能相关


def _phrases(text: str) -> tuple[list[str], str]:
    """Quoted parts (phrases that must match in order) and the rest of the query."""
    import re

    phrases = [p for p in re.findall(r"[\"“”']([^\"“”']+)[\"“”']", text) if p.strip()]
    return phrases, re.sub(r"[\"“”']", " ", text)


def highlight(text: str, terms: list[str], size: int = PLAN["snippetChars"]) -> str:
    """A snippet around the first matched word, matches in 【】 (no HTML in a terminal)."""
    words = sorted((t for t in terms if t and not t.startswith(("@", "#", concept_terms.PREFIX))), key=len, reverse=True)
    pos = next((p for p in (text.find(t) for t in words) if p >= 0), -1)
    start = max(0, pos - PLAN["snippetLead"])
    s = text[start:start + size]
    for t in words:
        s = s.replace(t, "\x00" + t + "\x01")
    s = s.replace("\x00", "【").replace("\x01", "】")
    while "】【" in s:
        s = s.replace("】【", "")
    return ("…" if start else "") + s.replace("\n", " ") + ("…" if start + size < len(text) else "")


class Searcher:
    """A reusable searcher over ``search_index/`` (keep one for many queries)."""

    def __init__(self, index_dir: Path, segmenter: segment.Segmenter | None = None):
        """Open ``index_dir``; ``segmenter`` (any) lends its base dictionary, saving jieba's load."""
        from whoosh import index as windex

        index_dir = Path(index_dir)
        if not windex.exists_in(str(index_dir)) or not (index_dir / RANK_FILE).exists():
            raise FileNotFoundError(f"找不到检索索引 {index_dir}：请先运行 casebook index")
        words = (index_dir / DICT_FILE).read_text(encoding="utf-8").splitlines() if (index_dir / DICT_FILE).exists() else []
        self.segmenter = segment.Segmenter.for_words(words, like=segmenter)
        self.ix = _SchemaStorage(index_dir, _schema(self.segmenter)).open_index()
        self.searcher = self.ix.searcher()
        self.rank_index = read_ranking(index_dir / RANK_FILE)

    def close(self) -> None:
        self.searcher.close()

    def _phrase_ids(self, phrases: list[str]) -> set[str]:
        from whoosh import query as Q

        fields = ["title", "aliases", "problems", "tagtext", "placetext", "body"]
        must = []
        for p in phrases:
            words = [w for w, *_ in self.segmenter.tokens_with_positions(p)]
            if len(words) == 1:
                must.append(Q.Or([Q.Term(f, words[0]) for f in fields]))
            elif words:
                must.append(Q.Or([Q.Phrase(f, words) for f in fields]))
        results = self.searcher.search(Q.And(must), limit=None, scored=False)
        return {r["id"] for r in results}

    def search(self, text: str, tag: str | None = None, place: str | None = None, limit: int = 10) -> Hits:
        """Ranked records for ``text`` (the shared plan), optionally only with a tag or in a place."""
        phrases, rest = _phrases(text)
        ix = self.rank_index
        plan = parse(ix, " ".join([rest, *phrases]))
        if tag:
            plan.filters["tag"].append(tag)
        if place:
            plan.filters["place"].append(place)
        allowed = self._phrase_ids(phrases) if phrases else None
        # Tag, place and guide pages rank too (the site lists them); the CLI lists records only.
        others = len(ix.docs) - ix.n_records
        ranked = rank(ix, plan, limit=(len(ix.docs) if allowed is not None else limit + others))
        out = Hits()
        out.partial, out.known, out.nothing = ranked.partial, ranked.known, ranked.nothing
        for (d, score), direct in zip(ranked.items, ranked.direct):
            if d >= ix.n_records:
                continue
            doc = dict(zip(DOC_FIELDS, ix.docs[d]))
            rid = doc["loc"].removeprefix("cases/")
            if allowed is not None and rid not in allowed:
                continue
            stored = self.searcher.document(id=rid) or {}
            snip = highlight(stored.get("snip") or doc["summary"], ranked.terms)
            out.append(Hit(rid, doc["title"], doc["place"], round(score, 3), snip, stored.get("tags", "").split(","),
                           "direct" if direct else "related"))
            if len(out) >= limit:
                break
        return out

    def more_like(self, rid: str, top: int = 5) -> list[tuple[str, float]]:
        """Records most like ``rid`` by body and tags (computed, not edited)."""
        docnum = self.searcher.document_number(id=rid)
        if docnum is None:
            return []
        # The body is not stored (the command line never shows it): the snippet text says what the record is about.
        text = self.searcher.stored_fields(docnum)["snip"]
        res = self.searcher.more_like(docnum, "body", text=text, top=top, numterms=20)
        return [(r["id"], round(r.score, 3)) for r in res]


def query_records(corpus: Corpus, query: str, limit: int = PLAN["limit"], ix: RankIndex | None = None) -> list[str]:
    """Record ids ranked for ``query`` by the shared plan, from the corpus in memory (writes nothing)."""
    ix = ix or rank_index(corpus, weigh(corpus))
    ranked = rank(ix, parse(ix, query), limit=limit + len(ix.docs))
    found = [(ix.docs[d][0].removeprefix("cases/"), direct) for (d, _), direct in zip(ranked.items, ranked.direct)
             if d < ix.n_records]
    # Course units and the 常见难题 page list the records that answer the query; 可能相关 ones only
    # when nothing answers it.
    ids = [rid for rid, direct in found if direct] or [rid for rid, _ in found]
    return ids[:limit]
