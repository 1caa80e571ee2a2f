"""One view of a record, built once from the corpus and rendered to every output.

The site's Markdown, the course packs' HTML and Word all walk the same
:class:`RecordView`: its sections come in the order, and under the labels,
of the presentation contract (:mod:`build_tools.sections`), each fact
carries the number of its source note, and the editor's own analysis is a
section of its own. What a record shows is worked out here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import model as m
from .corpus import Corpus
from .figures import figure_cells, figure_text, fmt_number, fmt_value, is_result  # noqa: F401 (fmt_*: re-exported)
from .sections import label, order, spec

THIN_TEXT = "报道对这一做法着墨不多，本页只记下报道写到的内容，不作扩写。"
NO_YEAR = "报道未注明"


@dataclass
class Note:
    """A source note: the verbatim clauses behind one statement, and where they stand."""

    number: int
    quotes: list[str]
    source: str  # the article's title, with the section when known

    @property
    def text(self) -> str:
        return "；".join(f"“{q}”" for q in self.quotes) + f"（{self.source}）"


@dataclass
class Item:
    """One line of a section: our text and, for a fact, the number of its note."""

    text: str
    note: int | None = None
    label: str = ""  # a person's name and role, a figure's label


@dataclass
class Figure:
    label: str
    value: str
    unit: str
    kind: str
    note: int
    evidence: str
    text: str = ""  # in running text: 近 3,500 人


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    ordered: bool = False
    lead: str = ""  # a line before the items (the analysis label)
    context: list[Figure] = field(default_factory=list)  # 背景口径: figures that are not results
    rules: list[Figure] = field(default_factory=list)  # 工作标准: norms and targets, shown with the practices

    @property
    def for_students(self) -> bool:
        return spec(self.key).shown_in("student")

    @property
    def kind(self) -> str:
        return spec(self.key).kind


@dataclass
class RelatedView:
    label: str
    rid: str
    title: str
    place: str


@dataclass
class RecordView:
    """Everything a page or a pack shows of one record, in order."""

    id: str
    title: str
    place: str  # full name, e.g. 无锡市滨湖区
    place_slug: str
    unit_slug: str | None
    level: str
    period: str
    year: str
    year_note: int | None
    tags: list[tuple[str, str]]
    aliases: list[str]
    summary: str
    source_note: list[str]
    sections: list[Section]
    notes: list[Note]
    related: list[RelatedView]
    status: str

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


class _Notes:
    """Numbers source notes in reading order; one clause cited twice keeps one number."""

    def __init__(self, corpus: Corpus, rec: m.Record):
        self.corpus = corpus
        self.rec = rec
        self.notes: list[Note] = []
        self._seen: dict[tuple, int] = {}

    def add(self, quotes: list[str], source: str | None) -> int | None:
        if not quotes:
            return None
        where = self.corpus.source_label(self.rec, source)
        key = (tuple(quotes), where)
        if key not in self._seen:
            self.notes.append(Note(len(self.notes) + 1, list(quotes), where))
            self._seen[key] = len(self.notes)
        return self._seen[key]


def record_view(corpus: Corpus, rec: m.Record) -> RecordView:
    """Build the view of one record (pure: the corpus is only read)."""
    notes = _Notes(corpus, rec)
    year_note = notes.add([rec.as_of.evidence], rec.as_of.source) if rec.as_of else None

    def facts(claims: list[m.Claim]) -> list[Item]:
        return [Item(c.text, notes.add(c.evidence, c.source)) for c in claims]

    # What fills each section. They run in the contract's order, so source notes
    # are numbered in reading order whatever that order is.
    fill: dict[str, Callable[[], dict]] = {
        "problems": lambda: {"items": [Item(p) for p in rec.problems]},
        # Figures that describe the setting (a year, an age limit) are background, not results.
        "background": lambda: {"items": facts(rec.background), "context": [
            _figure(notes, mt) for mt in rec.metrics if mt.kind in m.CONTEXT_KINDS]},
        "practices": lambda: {"items": facts(rec.practices), "rules": [
            _figure(notes, mt) for mt in rec.metrics if mt.kind in m.RULE_KINDS]},
        "structure": lambda: {"chain": list(rec.structure or [])},
        "outcomes": lambda: {"items": facts(rec.outcomes), "figures": [
            _figure(notes, mt) for mt in rec.metrics if is_result(mt)]},
        "people": lambda: {"items": [Item(p.said, notes.add(p.evidence, p.source), label=_person_label(p))
                                     for p in rec.people]},
        "analysis": lambda: {"items": [Item(t) for t in [*rec.analysis, *rec.lessons]]},
        "questions": lambda: {"items": [Item(q) for q in rec.teaching.questions]},
        "key_points": lambda: {"items": [Item(k) for k in rec.teaching.key_points]},
        "sources": lambda: {"items": [Item(c) for c in corpus.citations(rec)]},
    }
    sections: list[Section] = []
    for key in order():
        parts = fill[key]()
        # A section with nothing in it is left out; the sources are always listed.
        if spec(key).kind == "reference" or any(parts.values()):
            sections.append(Section(key, label(key), ordered=spec(key).ordered,
                                    lead=spec(key).lead, **parts))
    source_note = [t for t in (rec.attribution_note, THIN_TEXT if rec.thin else None) if t]
    related = [RelatedView(ln.label, ln.target, corpus.records[ln.target].title,
                           corpus.full_place(corpus.records[ln.target]))
               for ln in corpus.links.get(rec.id, [])]
    return RecordView(
        id=rec.id, title=rec.title, place=corpus.full_place(rec), place_slug=rec.place, unit_slug=rec.unit,
        level=rec.level, period=rec.period or "", year=f"{rec.as_of.year}年" if rec.as_of else NO_YEAR,
        year_note=year_note, tags=[(t, corpus.tag_name(t)) for t in rec.tags if t in corpus.registry.tags],
        aliases=list(rec.aliases), summary=rec.summary, source_note=source_note, sections=sections,
        notes=notes.notes, related=related, status=rec.status)


def _figure(notes: _Notes, mt: m.Metric) -> Figure:
    value, unit = figure_cells(mt)
    return Figure(mt.label, value, unit, mt.kind, notes.add([mt.evidence], mt.source), mt.evidence, figure_text(mt))


def _person_label(p: m.Person) -> str:
    extra = "，".join(x for x in (p.unit, p.role) if x)
    return p.name + (f"（{extra}）" if extra else "")


def figures_text(rec: m.Record, n: int = 2) -> str:
    """A record's first result figures as plain text: “标签 数值单位；…”."""
    shown = [mt for mt in rec.metrics if is_result(mt)][:n]
    return "；".join(f"{mt.label} {figure_text(mt)}" for mt in shown) or "—"


COMPARE_HEADER = ["地点", "案例", "做法要点", "主要数字", "实施层级"]


@dataclass
class CompareRow:
    """One record in a comparison of places doing the same thing (tag pages and course packs)."""

    place_slug: str
    place: str  # full name: 盐城市建湖县近湖街道
    id: str
    title: str
    gist: str   # what this place did, in one line, from the record's first practice
    figures: str
    level: str

    @property
    def cells(self) -> list[str]:
        return [self.place, self.title, self.gist, self.figures, self.level]


def gist(rec: m.Record, limit: int = 48) -> str:
    """The record's first practice in one line."""
    text = rec.practices[0].text if rec.practices else rec.summary
    text = text.rstrip("。")
    return text[:limit] + "…" if len(text) > limit else text


def comparison(corpus: Corpus, recs: list[m.Record]) -> list[CompareRow]:
    """Rows comparing records side by side, in the order given."""
    return [CompareRow(r.unit or r.place, corpus.full_place(r), r.id, r.title, gist(r), figures_text(r, 3), r.level)
            for r in recs]


def compare_data(v: RecordView) -> dict:
    """What the compare page and 我的课程 show of a record, section by section (plain data for a script file).

    Sections go by key only: the page's script takes labels and order from the
    presentation contract published into the page, and shows on each output
    only the sections the contract shows there (the sources: in 我的课程's
    printout and Word file, as in the course packs, not on the compare page)."""
    sections = []
    for sec in v.sections:
        items = [f"{it.label}：{it.text}" if it.label else it.text for it in sec.items]
        items += [" → ".join(sec.chain)] if sec.chain else []
        items += [f"{f.label}：{f.text}" for f in sec.figures]
        if items:
            sections.append({"key": sec.key, "items": items})
    return {"id": v.id, "title": v.title, "place": v.place, "level": v.level, "year": v.year,
            "summary": v.summary, "sourceNote": v.source_note, "sections": sections}
