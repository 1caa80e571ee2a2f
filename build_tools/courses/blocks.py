"""A pack laid out once as neutral blocks (headings, paragraphs, lists, tables, breaks) for every writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Literal, Union


from .. import model as m
from ..corpus import Corpus
from ..sections import ANALYSIS_LABEL, FIGURE_HEADER, label, part
from ..views import COMPARE_HEADER, comparison, record_view
from .plan import class_plan
from .spec import EDITION_LABELS, Course, CourseSession

# -------------------------------------------------------------- the blocks


@dataclass
class H:
    tag = "h"  # what a template tests
    level: int  # 0 = document title, 1 = session, 2 = record / part, 3 = section
    text: str
    rid: str | None = None  # a record heading (linked on the site)
    anchor: str = ""


@dataclass
class P:
    tag = "p"  # what a template tests
    text: str
    kind: str = ""  # "", "meta", "lead", "note", "label", "edition"


@dataclass
class OL:
    tag = "ol"  # what a template tests
    items: list[str]


@dataclass
class UL:
    tag = "ul"  # what a template tests
    items: list[str]


@dataclass
class Table:
    tag = "table"  # what a template tests
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()
    kind: str = ""

    @property
    def widths(self) -> list[float]:
        """Relative column widths (fractions of the text width)."""
        known = TABLE_WIDTHS.get(self.kind)
        if known and len(known) == len(self.header):
            return list(known)
        return [1 / len(self.header)] * len(self.header)


TABLE_WIDTHS = {
    "cover": (0.22, 0.78),
    "schedule": (0.28, 0.13, 0.09, 0.50),
    "metrics": (0.34, 0.12, 0.10, 0.44),
    "plan": (0.16, 0.10, 0.74),
    "compare": (0.17, 0.22, 0.33, 0.18, 0.10),
}


@dataclass
class Diagram:
    """A record's 组织架构 drawn as boxes and arrows; the chain's text follows it as a paragraph."""

    tag = "diagram"  # what a template tests
    chain: list[str]


@dataclass
class Break:
    tag = "break"  # what a template tests
    pass


@dataclass
class Tick:
    """Not shown: marks the end of one record, for progress displays."""

    tag = "tick"  # what a template tests
    label: str


Block = Union[H, P, OL, UL, Table, Diagram, Break, Tick]
Edition = Literal["student", "trainer"]


def duration_text(course: Course) -> str:
    d = course.spec.duration
    total = course.minutes
    if isinstance(d, int):
        return f"{d} 分钟（{len(course.sessions)} 个单元）"
    return f"{d}（{len(course.sessions)} 个单元，合计 {total} 分钟）"


def record_blocks(corpus: Corpus, rec: m.Record, number: str, edition: Edition = "student") -> list[Block]:
    """The 案例正文 of one record: the sections of its view, in the view's order."""
    v = record_view(corpus, rec)
    meta = f"地点：{v.place} · 实施层级：{v.level}" + (f" · 时期：{v.period}" if v.period else "") + f" · 年份：{v.year}"
    out: list[Block] = [H(2, f"案例 {number}　{rec.title}", rid=rec.id, anchor=f"case-{rec.id}"), P(meta, "meta")]
    if v.summary:
        out += [H(3, part("summary")), P(v.summary, "lead")]
    for line in v.source_note:
        out.append(P(f"{part('source_note')}：{line}", "note"))

    def marked(it) -> str:
        text = f"{it.label}：{it.text}" if it.label else it.text
        return text + (f"［{it.note}］" if it.note else "")

    # Sections, headings and their order come with the view (the presentation contract);
    # within a section the parts follow the record page.
    for sec in v.sections:
        if not sec.for_students and edition == "student":
            continue
        out.append(H(3, sec.heading))
        if sec.lead:
            out.append(P(sec.lead, "note"))
        if sec.chain:
            out += [Diagram(list(sec.chain)), P(" → ".join(sec.chain))]
        if sec.items:
            items = [marked(it) for it in sec.items]
            out.append(OL(items) if sec.ordered else UL(items))
        if sec.figures:
            out.append(Table(list(FIGURE_HEADER),
                             [[f.label, f.value, f.unit, f"“{f.evidence}”［{f.note}］"] for f in sec.figures],
                             numeric=(1,), kind="metrics"))
        for key, figs in (("context", sec.context), ("rules", sec.rules)):
            if figs:
                out.append(P(f"{part(key)}：" + "；".join(f"{f.label} {f.text}［{f.note}］" for f in figs)))
    if v.notes:
        out += [H(3, part("notes")), OL([n.text for n in v.notes])]
    return out


DEFAULT_SESSION_NOTE = ("对照案例对比表，从做法要点、成效数字和实施层级几个方面比较各地做法；"
                        "追问每种做法依赖的前提条件（编制、经费、党员数量、物业或企业状况），"
                        "引导学员说明哪些能在本地照搬、哪些需要改造、哪些不适用。")


def teaching_blocks(corpus: Corpus, course: Course, s: CourseSession) -> list[Block]:
    """使用说明 of one session (trainer edition only)."""
    out: list[Block] = [H(2, f"使用说明　第 {s.number} 单元：{s.title}", anchor=f"notes-{s.number}")]
    out += [H(3, "教学目的")]
    out += [P(s.spec.purpose)] if s.spec.purpose else [OL(list(course.spec.objectives))]
    out += [H(3, "适用对象"), P(course.spec.audience)]
    out += [H(3, "启发思考题、分析思路与关键要点")]
    for j, rec in enumerate(s.records, 1):
        out.append(P(f"案例 {s.number}.{j}　{rec.title}", "label"))
        if rec.teaching.questions:
            out += [P(f"{label('questions')}：", "label"), OL(list(rec.teaching.questions))]
        if rec.teaching.key_points:
            out += [P("分析思路：", "label"), UL(list(rec.teaching.key_points))]
        if rec.lessons:
            out += [P("关键要点：", "label"), UL(list(rec.lessons))]
    if s.spec.questions:
        out += [P("单元讨论题", "label"), OL(list(s.spec.questions)),
                P("分析思路：", "label"), UL(list(s.spec.notes) or [DEFAULT_SESSION_NOTE])]
    plan = class_plan(s.minutes, len(s.records), len(s.spec.questions))
    out += [H(3, "课堂计划"),
            Table(["环节", "分钟", "安排"], [[name, str(mins), what] for name, mins, what in plan]
                  + [["合计", str(sum(x[1] for x in plan)), ""]], numeric=(1,), kind="plan")]
    if len(s.records) > 1:
        out += [H(3, "案例对比"),
                Table(list(COMPARE_HEADER), [row.cells for row in comparison(corpus, s.records)], kind="compare")]
    return out


def course_guide_blocks(course: Course) -> list[Block]:
    """使用说明 of the whole course (trainer edition): frameworks, board plan, reading, grading."""
    spec = course.spec
    out: list[Block] = []
    if spec.theory:
        out += [H(1, "理论依据", anchor="theory"), P(ANALYSIS_LABEL, "note")]
        for t in spec.theory:
            out += [P(t.name, "label"), P(t.how)]
    if spec.board:
        out += [H(1, "板书设计", anchor="board"), OL(list(spec.board))]
    if spec.further_reading:
        out += [H(1, "延伸阅读", anchor="reading"), P("只列来源报道本身提到的文件；全文请向发文单位或公开渠道查找。", "note"),
                UL(list(spec.further_reading))]
    if spec.grading:
        out += [H(1, "评分参考", anchor="grading"), UL(list(spec.grading))]
    return out


def pack_blocks(corpus: Corpus, course: Course, edition: Edition = "student") -> list[Block]:
    """The whole pack as blocks: cover, objectives, then per session the cases (and notes)."""
    spec = course.spec
    trainer = edition == "trainer"
    out: list[Block] = [H(0, spec.title), P(EDITION_LABELS[edition] + ("（内含教学使用说明，请勿发给学员）" if trainer else ""), "edition")]
    out.append(Table(["项目", "内容"], [
        ["培训对象", spec.audience],
        ["课程时长", duration_text(course)],
        ["案例", f"{len(course.records())} 个，来自 {len({r.place for r in course.records()})} 个地区"],
    ], kind="cover"))
    out += [H(1, "教学目标", anchor="objectives"), OL(list(spec.objectives))]
    # The timetable: each unit's place in the course, as minutes from the start.
    starts = [sum(x.minutes for x in course.sessions[:i]) for i in range(len(course.sessions))]
    out += [H(1, "课程安排", anchor="schedule"),
            Table(["单元", "时段（分钟）", "分钟", "案例"],
                  [[f"第 {s.number} 单元　{s.title}", f"{start}—{start + s.minutes}", str(s.minutes),
                    "；".join(f"{r.title}（{corpus.full_place(r)}）" for r in s.records)]
                   for s, start in zip(course.sessions, starts)]
                  + [["合计", "", str(course.minutes), ""]], numeric=(2,), kind="schedule")]
    if spec.prereading:
        out += [H(1, "课前预习", anchor="prereading"), OL(list(spec.prereading))]
    if trainer:
        out += course_guide_blocks(course)
    for s in course.sessions:
        out += [Break(), H(1, f"第 {s.number} 单元　{s.title}（{s.minutes} 分钟）", anchor=f"session-{s.number}")]
        # Page breaks only before units: cases and notes run on, so no page is left half empty.
        for j, rec in enumerate(s.records, 1):
            out += record_blocks(corpus, rec, f"{s.number}.{j}")
            out.append(Tick(rec.title))
        if s.spec.questions:
            out += [H(2, f"第 {s.number} 单元讨论题", anchor=f"questions-{s.number}"), OL(list(s.spec.questions))]
        if trainer:
            out += teaching_blocks(corpus, course, s)
    if spec.homework:
        out += [H(1, "课后作业", anchor="homework"), OL(list(spec.homework))]
    return out


def strip_ticks(blocks: list[Block], tick: Callable[[str], None] | None) -> Iterator[Block]:
    for b in blocks:
        if isinstance(b, Tick):
            if tick:
                tick(b.label)
            continue
        yield b
