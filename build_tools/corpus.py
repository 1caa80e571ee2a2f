"""The corpus: validated records with registries and two-way links.

This is the one object that the output stages (render, index, course) take.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from . import segment
from .concepts import Assigned, assign_all
from .registry import Registry
from .validate import Validation


@dataclass(frozen=True)
class Link:
    """A related record as seen from one end of a hand-written link."""

    target: str
    relation: str
    label: str
    written_here: bool


@dataclass
class Corpus:
    """Valid records keyed by id, in id order, plus everything needed to render them."""

    records: dict[str, m.Record]
    registry: Registry
    files: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[Link]] = field(default_factory=dict)
    cases_dir: Path | None = None
    _by_place: dict | None = field(default=None, repr=False, compare=False)
    _naming_text: dict | None = field(default=None, repr=False, compare=False)
    _domain_words: list | None = field(default=None, repr=False, compare=False)
    _concepts: dict | None = field(default=None, repr=False, compare=False)

    def concepts(self) -> dict[str, list[Assigned]]:
        """record id → its governance concepts (concept id, how: text / added / implied, via), worked out once."""
        if self._concepts is None:
            tag_names = {t.slug: t.name for t in self.registry.tags.values()}
            self._concepts = assign_all(self.records.values(), self.registry.concepts, tag_names)
        return self._concepts

    def domain_words(self) -> list[str]:
        """The segmenter's domain dictionary for this corpus (worked out once: the build and the index both need it)."""
        if self._domain_words is None:
            self._domain_words = segment.domain_words(self)
        return self._domain_words

    # -- places
    def place_name(self, slug: str | None) -> str:
        if not slug:
            return ""
        p = self.registry.places.get(slug)
        return p.name if p else slug

    def place_chain(self, slug: str) -> list[str]:
        """From the province down to ``slug``."""
        return list(reversed(self.registry.ancestors(slug))) + [slug]

    def full_place(self, rec: m.Record) -> str:
        """Human place of a record: 无锡市滨湖区河埒街道水秀社区 style."""
        target = rec.unit or rec.place
        names = [self.place_name(s) for s in self.place_chain(target)
                 if self.registry.places[s].level != "省"] if target in self.registry.places else [target]
        return "".join(names)

    def records_in(self, slug: str) -> list[m.Record]:
        """Records whose place or unit is ``slug`` or lies under it (in id order)."""
        if self._by_place is None:
            by: dict[str, list[m.Record]] = {}
            for rec in self.records.values():
                chain: set[str] = set()
                for s in {rec.place, rec.unit} - {None}:
                    chain.add(s)
                    chain.update(self.registry.ancestors(s))
                for s in chain:
                    by.setdefault(s, []).append(rec)
            self._by_place = by
        return list(self._by_place.get(slug, []))

    def records_naming(self, slug: str) -> list[m.Record]:
        """Records filed elsewhere whose text, evidence or people name this place."""
        place = self.registry.places.get(slug)
        if place is None or place.level not in ("街道", "镇", "社区", "村", "小区"):
            return []
        names = {place.name}
        short = re.sub(r"(街道|镇|社区|村|小区)$", "", place.name)
        if len(short) >= 2:
            names.add(short + ("社区" if place.level == "社区" else ""))
        if self._naming_text is None:  # joined once per corpus, not once per place page
            texts = {}
            for rec in self.records.values():
                claims = [*rec.background, *rec.practices, *rec.outcomes]
                texts[rec.id] = "".join([rec.title, rec.summary, *rec.aliases, *(c.text for c in claims),
                                         *(q for c in claims for q in c.evidence), *(p.unit for p in rec.people)])
            self._naming_text = texts
        return [rec for rec in self.records.values() if any(n in self._naming_text[rec.id] for n in names)]

    def with_records(self, records: dict[str, m.Record]) -> "Corpus":
        """This corpus with some records replaced under the same ids; links and lazy lookups follow."""
        return Corpus(records=records, registry=self.registry, files=self.files, links=link_records(records),
                      cases_dir=self.cases_dir)

    def children(self, slug: str | None) -> list[m.Place]:
        return sorted((p for p in self.registry.places.values() if p.parent == slug), key=lambda p: p.slug)

    # -- sources
    def citations(self, rec: m.Record) -> list[str]:
        """Plain-text citations of a record's sources: 《标题》，日期，版面，“小节”部分."""
        out = []
        for s in rec.sources:
            src = self.registry.sources.get(s.source)
            if src is None:
                continue
            bits = [f"《{src.title}》"]
            if src.date:
                bits.append(src.date.isoformat())
            if src.pages:
                bits.append(src.pages)
            if s.section:
                bits.append(f"“{s.section}”部分")
            out.append("，".join(bits))
        return list(dict.fromkeys(out))

    def source_label(self, rec: m.Record, source: str | None = None) -> str:
        """《标题》 · 小节 of the source a statement cites (the record's first by default)."""
        sid = source or (rec.sources[0].source if rec.sources else "")
        src = self.registry.sources.get(sid)
        title = f"《{src.title}》" if src else sid
        section = next((s.section for s in rec.sources if s.source == sid and s.section), "")
        return title + (f" · {section}" if section else "")

    # -- tags
    def records_with_tag(self, tag: str) -> list[m.Record]:
        return [r for r in self.records.values() if tag in r.tags]

    def tag_name(self, slug: str) -> str:
        t = self.registry.tags.get(slug)
        return t.name if t else slug


def link_records(records: dict[str, m.Record]) -> dict[str, list[Link]]:
    """Hand-written links seen from both ends (each pair once, as the first record to name it wrote it)."""
    links: dict[str, list[Link]] = {rid: [] for rid in records}
    done: set[tuple[str, str]] = set()
    for rec in records.values():
        for rel in rec.related:
            if rel.id not in records or rel.id == rec.id or (rec.id, rel.id) in done:
                continue
            done.add((rec.id, rel.id))
            done.add((rel.id, rec.id))
            here, there = m.RELATION_LABELS[rel.relation]
            links[rec.id].append(Link(rel.id, rel.relation, here, True))
            links[rel.id].append(Link(rec.id, rel.relation, there, False))
    return links


def build_corpus(validation: Validation) -> Corpus:
    """Collect the validated records into a :class:`Corpus` (records in id order)."""
    pairs = sorted(validation.records, key=lambda p: p[0].id)
    seen: set[str] = set()
    records: dict[str, m.Record] = {}
    files: dict[str, str] = {}
    for rec, doc in pairs:
        if rec.id in seen:  # a duplicate id is already a problem; keep the first
            continue
        seen.add(rec.id)
        records[rec.id] = rec
        files[rec.id] = doc.display
    links = link_records(records)
    return Corpus(records=records, registry=validation.registry, files=files, links=links,
                  cases_dir=validation.cases_dir)
