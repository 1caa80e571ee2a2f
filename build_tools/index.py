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

from .corpus import Corpus
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
    body = [rec.summary, rec.background, *rec.practices, *(rec.structure or []), *rec.outcomes,
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


def browser_index(corpus: Corpus) -> dict:
    """The compact browser index: documents, and term → [doc, weight, doc, weight, …]."""
    segment.init(segment.domain_words(corpus))
    docs: list[list] = []
    fields: list[dict[str, list[str]]] = []
    for rec in corpus.records.values():
        f = record_fields(corpus, rec)
        docs.append([f"cases/{rec.id}.html", rec.title, corpus.full_place(rec),
                     [corpus.tag_name(t) for t in rec.tags], rec.summary, rec.place,
                     list(rec.tags), " ".join(rec.aliases)])
        fields.append({k: segment.tokens(v) for k, v in f.items()})
    for tag in corpus.registry.tags.values():
        docs.append([f"tags/{tag.slug}.html", f"标签：{tag.name}", "", [], tag.definition, "", [tag.slug],
                     " ".join(tag.synonyms)])
        fields.append({"title": segment.tokens(tag.name), "aliases": segment.tokens(" ".join(tag.synonyms)),
                       "body": segment.tokens(tag.definition)})
    for place in corpus.registry.places.values():
        n = len(corpus.records_in(place.slug))
        docs.append([f"places/{place.slug}.html", f"地点：{place.name}", "", [], f"{place.level}，{n} 条案例",
                     place.slug, [], ""])
        fields.append({"title": segment.tokens(place.name)})
    weights = _bm25(fields)
    terms = {t: [x for i, w in sorted(p.items()) for x in (i, round(w, 2))] for t, p in sorted(weights.items())}
    return {"version": 1, "docs": docs, "terms": terms,
            "places": {s: p.name for s, p in corpus.registry.places.items()},
            "tags": {s: t.name for s, t in corpus.registry.tags.items()}}


def browser_index_js(index: dict) -> str:
    """The index as a script that a ``<script>`` tag can load from ``file://``."""
    return "window.__casebook_index=" + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n"
