"""Governance concepts (cases/_registry/concepts.yml): checked like the tags, assigned to records by rule.

A concept is a problem or practice of grassroots governance (老旧小区,
基层减负, 服务时间 …) with the everyday phrasings cadres use, narrower words
that imply it, and broader concepts it belongs to. A record gets a concept
when one of the concept's words occurs in its text, when an editor adds it
(``concepts.add``), and — flagged as implied — when it has a narrower one;
``concepts.refuse`` takes a concept away. Both search engines read the
result as plain data: record id → [(concept id, how, via)].
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Iterator, NamedTuple

from . import model as m
from .load import Document, format_path
from .problems import Problem, problem
from .shape import check_model, suggest

REGISTRY_FILE = "cases/_registry/concepts.yml"
WORD_FIELDS = ("phrasings", "narrower")
# How a record came by a concept, strongest first.
HOW_LABELS = {"text": "正文", "added": "编者补上", "implied": "由下位概念推出"}


class Assigned(NamedTuple):
    """One concept of one record: how it came (text / added / implied) and through what (a word, a concept id)."""

    concept: str
    how: str
    via: str


# ------------------------------------------------------------ the registry


def check_concepts(doc: Document, lexicon: m.LexiconFile | None = None) -> tuple[dict[str, m.Concept], list[Problem]]:
    """The concepts of a registry file, each checked alone, then the rules across them.

    One bad entry does not hide the others: it is reported and left out.
    """
    out = list(doc.problems)
    if doc.data is None:
        return {}, out
    items = doc.data.get("concepts") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        out.append(problem("missing-field", doc.display, (1, 1), "concepts", field="concepts",
                           suggestion="文件应以 concepts: 开头，下面每个概念一项"))
        return {}, out
    concepts: dict[str, m.Concept] = {}
    where: dict[str, int] = {}
    for i, item in enumerate(items):
        empty = list(_empty_spots(doc, i, item))
        out.extend(empty)
        if empty:
            continue
        sub = Document(path=doc.path, display=doc.display, data=item,
                       positions={k[2:]: v for k, v in doc.positions.items() if k[:2] == ("concepts", i)})
        obj, probs = check_model(sub, m.Concept)
        pre = format_path(("concepts", i))
        out.extend(replace(p, field=f"{pre}.{p.field}" if p.field else pre) for p in probs)
        if obj is None:
            continue
        if obj.id in concepts:
            out.append(problem("concept-duplicate", doc.display, doc.pos(("concepts", i, "id")), f"concepts[{i}].id",
                               value=obj.id, other=f"第 {where[obj.id]} 行", suggestion="给其中一个换一个 id，或把两者合并"))
            continue
        concepts[obj.id] = obj
        where[obj.id] = doc.pos(("concepts", i))[0]
    out.extend(_check_words(doc, concepts, lexicon))
    out.extend(_check_broader(doc, concepts))
    return concepts, out


def _index_of(doc: Document) -> dict[str, int]:
    """Concept id → its position in the file's list (for positions of fields)."""
    items = doc.data.get("concepts") if isinstance(doc.data, dict) else None
    return {it["id"]: i for i, it in reversed(list(enumerate(items or []))) if isinstance(it, dict) and "id" in it
            and isinstance(it["id"], str)}


def _empty_spots(doc: Document, i: int, item: Any) -> Iterator[Problem]:
    """An entry with nothing in it, or a blank name or word (YAML's ``- `` or ``""``)."""
    at = ("concepts", i)
    if not item:
        yield problem("concept-empty", doc.display, doc.pos(at), format_path(at), what="这一项是空的",
                      suggestion="删去这一行，或写上 id、name 和说法")
        return
    if not isinstance(item, dict):
        return  # the model says what is wrong with it
    name = item.get("name")
    if name is None or (isinstance(name, str) and not name.strip()):
        yield problem("concept-empty", doc.display, doc.pos(at + ("name",)), format_path(at + ("name",)),
                      what="名称是空的", suggestion="写上概念的中文名称")
    for key in (*WORD_FIELDS, "broader"):
        words = item.get(key)
        for j, w in enumerate(words if isinstance(words, list) else []):
            if w is None or (isinstance(w, str) and not w.strip()):
                path = at + (key, j)
                yield problem("concept-empty", doc.display, doc.pos(path), format_path(path),
                              what="这个说法是空的", suggestion="删去空项（多余的“- ”或 \"\"）")


def _check_words(doc: Document, concepts: dict[str, m.Concept], lexicon: m.LexiconFile | None) -> Iterator[Problem]:
    """One word, one concept; a concept's everyday phrasing is not also a lexicon word."""
    idx = _index_of(doc)
    first: dict[str, tuple[str, int]] = {}
    lex_words = {w: i for i, e in enumerate(lexicon.entries if lexicon else []) for w in e.words}
    for c in concepts.values():
        i = idx[c.id]
        spots = [(c.name, ("concepts", i, "name"))]
        spots += [(w, ("concepts", i, key, j)) for key in WORD_FIELDS for j, w in enumerate(getattr(c, key))]
        for word, path in spots:
            line = doc.pos(path)[0]
            if len(word) < 2:
                yield problem("concept-word-short", doc.display, doc.pos(path), format_path(path), value=word,
                              suggestion="一个字会出现在许多无关的记录里：写成两个字以上的说法")
            if word in first and first[word][0] != c.id:
                yield problem("concept-duplicate", doc.display, doc.pos(path), format_path(path), value=word,
                              other=f"第 {first[word][1]} 行",
                              suggestion="一个说法只放在一个概念里；两者若是上下位关系，放在较窄的概念里，较宽的会被自动推出")
            first.setdefault(word, (c.id, line))
        for j, w in enumerate(c.phrasings):
            if w in lex_words:
                path = ("concepts", i, "phrasings", j)
                yield problem("concept-phrasing-in-lexicon", doc.display, doc.pos(path), format_path(path), value=w,
                              suggestion=(f"它已在日常说法词表 lexicon.yml 的第 {lex_words[w] + 1} 个条目里："
                                          "删去这里的，并确认那个条目的 terms 含有本概念的名称或下位说法"))


def _check_broader(doc: Document, concepts: dict[str, m.Concept]) -> Iterator[Problem]:
    """Broader ids must be registered, and following them must not lead back."""
    idx = _index_of(doc)
    for c in concepts.values():
        for j, b in enumerate(c.broader):
            path = ("concepts", idx[c.id], "broader", j)
            if b not in concepts:
                yield problem("concept-unknown", doc.display, doc.pos(path), format_path(path), value=b,
                              suggestion=suggest(b, concepts, {x.name: x.id for x in concepts.values()})
                              or f"先在 {doc.display} 中登记这个概念")
            elif b == c.id or c.id in broader_chain(b, concepts):
                yield problem("concept-cycle", doc.display, doc.pos(path), format_path(path), value=c.id, other=b,
                              suggestion="上位概念应当更宽：删去形成循环的那一个 broader")


def broader_chain(cid: str, concepts: dict[str, m.Concept]) -> list[str]:
    """Every concept above ``cid``, nearest first (each once, loops cut)."""
    out: list[str] = []
    todo = list(concepts[cid].broader) if cid in concepts else []
    while todo:
        b = todo.pop(0)
        if b in out or b == cid or b not in concepts:
            continue
        out.append(b)
        todo.extend(concepts[b].broader)
    return out


# ------------------------------------------------------------- the records


def check_record_concepts(doc: Document, concepts: dict[str, m.Concept]) -> Iterator[Problem]:
    """A record's ``concepts.add`` and ``concepts.refuse``: registered ids, each once (raw data, like tags)."""
    d = doc.data.get("concepts") if isinstance(doc.data, dict) else None
    if not isinstance(d, dict):
        return
    names = {c.name: c.id for c in concepts.values()}
    names.update({w: c.id for c in concepts.values() for key in WORD_FIELDS for w in getattr(c, key)})
    seen: dict[str, str] = {}
    for key in ("add", "refuse"):
        ids = d.get(key)
        for j, cid in enumerate(ids if isinstance(ids, list) else []):
            if not isinstance(cid, str):
                continue
            path = ("concepts", key, j)
            if cid not in concepts:
                yield problem("concept-unknown", doc.display, doc.pos(path), format_path(path), value=cid,
                              suggestion=suggest(cid, concepts, names) or f"可用的概念见 {REGISTRY_FILE}")
            elif cid in seen:
                yield problem("concept-duplicate", doc.display, doc.pos(path), format_path(path), value=cid,
                              other=f"concepts.{seen[cid]}", suggestion="一个概念在一条记录里只写一次：要么补上，要么拒绝")
            seen.setdefault(cid, key)


def record_text(rec: m.Record, tag_names: dict[str, str] | None = None) -> str:
    """The text concepts are looked for in: what the record says it is about, not the editor's asides.

    Title, aliases, summary, problems, the background, practices and outcomes
    as we wrote them, the structure, and the names of its tags; not the
    analysis, lessons, teaching notes or evidence quotes.
    """
    claims = [*rec.background, *rec.practices, *rec.outcomes]
    tags = [(tag_names or {}).get(t, "") for t in rec.tags]
    return "\n".join([rec.title, *rec.aliases, rec.summary, *rec.problems, *(c.text for c in claims),
                      *(rec.structure or []), *tags])


def concept_words(concepts: dict[str, m.Concept]) -> dict[str, str]:
    """Every word of the registry (name, phrasings, narrower) → its concept id."""
    out: dict[str, str] = {}
    for c in concepts.values():
        for w in (c.name, *c.phrasings, *c.narrower):
            out.setdefault(w, c.id)
    return out


class Rules(NamedTuple):
    """A registry made ready for matching many records: words by their first two characters, chains of broader concepts."""

    concepts: dict[str, m.Concept]
    words: dict[str, str]
    order: dict[str, int]
    heads: dict[str, list[str]]
    chains: dict[str, list[str]]
    short: bool  # a one-character word is registered (a warning, still honoured)

    @classmethod
    def of(cls, concepts: dict[str, m.Concept]) -> "Rules":
        words = concept_words(concepts)
        heads: dict[str, list[str]] = {}
        for w in words:  # a one-character word (warned about) is keyed by itself
            heads.setdefault(w[:2], []).append(w)
        return cls(concepts, words, {w: i for i, w in enumerate(words)}, heads,
                   {cid: broader_chain(cid, concepts) for cid in concepts}, any(len(w) < 2 for w in words))

    def found_in(self, text: str) -> list[str]:
        """The registry's words that occur in ``text``, in registry order."""
        # Only words starting with a pair of characters the text has can occur:
        # at 10,000 records this is four times faster than trying every word.
        pairs = {text[i:i + 2] for i in range(len(text) - 1)}
        if self.short:
            pairs |= set(text)
        hits = {w for p in pairs & self.heads.keys() for w in self.heads[p] if w in text}
        return sorted(hits, key=self.order.__getitem__)


def assign(text: str, fixes: m.RecordConcepts, concepts: dict[str, m.Concept],
           rules: Rules | None = None) -> list[Assigned]:
    """The concepts of one record, in registry order: found in its text, added, then implied by narrower ones.

    A refused concept is dropped however it came, implied included.
    """
    rules = rules or Rules.of(concepts)
    refused = set(fixes.refuse)
    direct: dict[str, Assigned] = {}
    for w in rules.found_in(text):
        cid = rules.words[w]
        if cid not in direct and cid not in refused:
            direct[cid] = Assigned(cid, "text", w)
    for cid in fixes.add:
        if cid in concepts and cid not in direct and cid not in refused:
            direct[cid] = Assigned(cid, "added", "")
    got = dict(direct)
    for cid in direct:
        for b in rules.chains.get(cid, []):
            if b not in got and b not in refused:
                got[b] = Assigned(b, "implied", cid)
    return [got[c] for c in concepts if c in got]


def assign_all(records: Iterable[m.Record], concepts: dict[str, m.Concept],
               tag_names: dict[str, str] | None = None) -> dict[str, list[Assigned]]:
    """record id → its concepts (see :func:`assign`)."""
    rules = Rules.of(concepts)
    return {r.id: assign(record_text(r, tag_names), r.concepts, concepts, rules) for r in records}


def diff(old: dict[str, list[Assigned]], new: dict[str, list[Assigned]]) -> dict[str, dict[str, list[str]]]:
    """concept id → {"gained": [record ids], "lost": [record ids]} between two assignments; unchanged concepts left out."""
    def holders(a: dict[str, list[Assigned]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for rid, got in a.items():
            for x in got:
                out.setdefault(x.concept, set()).add(rid)
        return out

    before, after = holders(old), holders(new)
    out = {}
    for cid in dict.fromkeys([*after, *before]):
        gained = sorted(after.get(cid, set()) - before.get(cid, set()))
        lost = sorted(before.get(cid, set()) - after.get(cid, set()))
        if gained or lost:
            out[cid] = {"gained": gained, "lost": lost}
    return out
