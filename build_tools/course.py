"""Course packs: a spec (``courses/<id>.yml``) → chosen records → teaching material.

A trainer writes a spec naming the sessions of a course and, for each
session, the records to teach (``cases``) or a selection (``select``: tags,
places, a query). This module

* checks a spec with the same machinery as records (:func:`load_course`,
  :func:`check_course`): problems are data with file, line and a Chinese
  message; an unknown record id gets the closest id as a suggestion;
* resolves the selections against the corpus (:func:`resolve`);
* lays the pack out once, as a list of neutral blocks (:func:`pack_blocks`),
  for the student edition (学员版: case texts and questions) or the trainer
  edition (教师版: plus 使用说明 per session: aims, questions with 分析思路
  and 关键要点, a 课堂计划 whose minutes add up, a comparison table);
* writes the blocks as Markdown (:func:`render_markdown`, and
  :func:`course_pages` for the site), standalone HTML for A4 printing
  (:func:`render_html`) or a Word document (:func:`render_docx`).

Every text from YAML goes through :func:`render.esc` (Markdown) or
:func:`render.html_esc` (HTML); python-docx escapes XML itself.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from . import model as m
from . import shape
from .corpus import Corpus
from .load import Document, display_path, load_file
from .load import format_path as _fmt
from .problems import ERROR, Problem, problem
from .render import Page, esc, figures_text, html_esc, record_path
from .text import slugify
from .views import record_view

# ------------------------------------------------------------------ the spec

MINUTES_MIN, MINUTES_MAX = 20, 480
LIMIT_MAX = 12
DEFAULT_LIMIT = 4          # records a selection yields unless it says otherwise
MINUTES_PER_RECORD = 15    # below this a session is too crowded to discuss its cases
EDITIONS = ("student", "trainer")
EDITION_LABELS = {"student": "学员版", "trainer": "教师版"}
FORMATS = ("html", "docx", "md")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Selection(_Spec):
    """Records chosen by condition: tags OR'ed, places OR'ed, both AND'ed; query ranks."""

    tags: list[str] = Field(default_factory=list, description="标签 slug：带任一标签的记录")
    places: list[str] = Field(default_factory=list, description="地点 slug：地点或单位在其辖区内的记录")
    query: str | None = Field(default=None, description="检索词：按相关度排序")
    limit: StrictInt = Field(default=DEFAULT_LIMIT, description=f"最多取几条（默认 {DEFAULT_LIMIT}）")


class Session(_Spec):
    """One teaching unit: a few records discussed together."""

    title: str = Field(min_length=1, max_length=60)
    minutes: StrictInt = Field(description="本单元课时（分钟）")
    purpose: str = Field(default="", description="教学目的（教师版）；省略时用课程的教学目标")
    cases: list[str] = Field(default_factory=list, description="记录 id")
    select: Selection | None = None
    questions: list[str] = Field(default_factory=list, description="单元讨论题（比较各地做法）")
    notes: list[str] = Field(default_factory=list, description="单元讨论题的分析思路（教师版）")


class CourseSpec(_Spec):
    """A course pack: who it is for, what it should achieve, and its sessions."""

    id: str | None = Field(default=None, pattern=m.ID_PATTERN, description="省略时取文件名")
    title: str = Field(min_length=1, max_length=60)
    audience: str = Field(min_length=1, description="培训对象")
    duration: Union[StrictInt, str] = Field(description="总时长：分钟数，或如“一天”的文字")
    objectives: list[str] = Field(min_length=1, description="教学目标")
    sessions: list[Session] = Field(min_length=1)




@dataclass
class CourseSession:
    """A session with its records resolved."""

    number: int
    spec: Session
    records: list[m.Record]

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def minutes(self) -> int:
        return self.spec.minutes


@dataclass
class Course:
    """A checked spec with every selection resolved to records."""

    id: str
    spec: CourseSpec
    sessions: list[CourseSession]
    file: str = ""

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    def records(self) -> list[m.Record]:
        seen: dict[str, m.Record] = {}
        for s in self.sessions:
            for r in s.records:
                seen.setdefault(r.id, r)
        return list(seen.values())


# --------------------------------------------------------------- selection

QueryFn = Callable[[Corpus, str], list[str]]


def _query(corpus: Corpus, text: str) -> list[str]:
    from .whoosh_index import query_records  # the project's one ranking, in memory

    return query_records(corpus, text, limit=20)


def diversify(corpus: Corpus, recs: list[m.Record]) -> list[m.Record]:
    """Interleave records place by place, so the first few come from different places."""
    groups: dict[str, list[m.Record]] = {}
    order = {slug: i for i, slug in enumerate(corpus.registry.places)}
    for r in recs:
        groups.setdefault(r.place, []).append(r)
    queues = [groups[k] for k in sorted(groups, key=lambda s: order.get(s, len(order)))]
    out: list[m.Record] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def select_records(corpus: Corpus, sel: Selection, query: QueryFn | None = None) -> list[m.Record]:
    """Records matching a selection.

    Tags and places each match when any listed value matches; given both, a
    record must match both. With a query the search ranking decides the order
    (the tags and places filter it); without one, records are interleaved by
    place so a comparison session gets several places.
    """
    def ok(rec: m.Record) -> bool:
        if sel.tags and not set(sel.tags) & set(rec.tags):
            return False
        if sel.places and not any(rec in corpus.records_in(p) for p in sel.places):
            return False
        return True

    if sel.query:
        ranked = (query or _query)(corpus, sel.query)
        recs = [corpus.records[rid] for rid in ranked if rid in corpus.records and ok(corpus.records[rid])]
    else:
        recs = diversify(corpus, [r for r in corpus.records.values() if ok(r)])
    return recs[:max(1, sel.limit)]


def _criteria(sel: Selection, corpus: Corpus) -> str:
    bits = []
    if sel.tags:
        bits.append("标签 " + "、".join(corpus.tag_name(t) for t in sel.tags))
    if sel.places:
        bits.append("地点 " + "、".join(corpus.place_name(p) for p in sel.places))
    if sel.query:
        bits.append(f"检索“{sel.query}”")
    return "；".join(bits) or "（空）"


# -------------------------------------------------------------- validation


def load_course(path: Path, display: str | None = None) -> Document:
    """Read a spec file, keeping the position of every node."""
    return load_file(Path(path), display or display_path(Path(path)))


def _suggest_record(value: str, corpus: Corpus) -> str:
    titles = {r.title: r.id for r in corpus.records.values()}
    if value in titles:
        return f"是否指“{titles[value]}”（{value}）？记录要用 id 引用"
    guess = shape.closest(value, list(corpus.records))
    if guess is None:
        hit = shape.closest(value, list(titles))
        guess = titles.get(hit) if hit else None
    if guess:
        return f"是否指“{guess}”（{corpus.records[guess].title}）？"
    return "可用 casebook course new 按标签或地点生成带记录 id 的课程骨架"


def _raw_refs(doc: Document, corpus: Corpus) -> Iterator[Problem]:
    """Unknown record ids, tags and places, checked on the raw data with positions."""
    f = doc.display
    reg = corpus.registry
    sessions = doc.data.get("sessions")
    if not isinstance(sessions, list):
        return
    for i, s in enumerate(sessions):
        if not isinstance(s, dict):
            continue
        cases = s.get("cases")
        for j, rid in enumerate(cases if isinstance(cases, list) else []):
            if isinstance(rid, str) and rid not in corpus.records:
                path = ("sessions", i, "cases", j)
                yield problem("unknown-record", f, doc.pos(path), _fmt(path), value=rid,
                              suggestion=_suggest_record(rid, corpus))
        sel = s.get("select")
        if not isinstance(sel, dict):
            continue
        tags = sel.get("tags")
        lookup = reg.tag_lookup()
        for j, t in enumerate(tags if isinstance(tags, list) else []):
            if isinstance(t, str) and t not in reg.tags:
                path = ("sessions", i, "select", "tags", j)
                yield problem("unknown-tag", f, doc.pos(path), _fmt(path), value=t,
                              suggestion=shape.suggest(t, reg.tags, lookup) or "可用的标签见 cases/_registry/tags.yml")
        places = sel.get("places")
        names = {p.name: p.slug for p in reg.places.values()}
        for j, p in enumerate(places if isinstance(places, list) else []):
            if isinstance(p, str) and p not in reg.places:
                path = ("sessions", i, "select", "places", j)
                yield problem("unknown-place", f, doc.pos(path), _fmt(path), value=p,
                              suggestion=shape.suggest(p, reg.places, names) or "可用的地点见 cases/_registry/places/")


def check_course(doc: Document, corpus: Corpus, query: QueryFn | None = None) -> tuple[Course | None, list[Problem]]:
    """Check one loaded spec against the corpus; resolve it when it has no errors.

    ``query`` replaces the search engine (for tests); by default
    :func:`build_tools.whoosh_index.query_records` ranks the records.
    """
    out: list[Problem] = list(doc.problems)
    if doc.data is None:
        return None, out
    f = doc.display
    out += list(_raw_refs(doc, corpus))
    spec, probs = shape.check_model(doc, CourseSpec)
    out += [replace(p, suggestion="课程包的字段见 courses/ 中的示例") if p.code == "missing-field" else p
            for p in probs]
    if spec is None:
        return None, out
    stem = doc.path.stem
    if spec.id and spec.id != stem:
        out.append(problem("id-filename-mismatch", f, doc.pos(("id",)), "id", value=spec.id, filename=doc.path.name,
                           suggestion=f"把文件改名为 {spec.id}.yml，或删去 id（默认取文件名）"))
    cid = spec.id or stem
    if not re.match(m.ID_PATTERN, cid):
        out.append(problem("invalid-id", f, (1, 1), "id", value=cid,
                           suggestion="课程文件名用小写拼音加连字符，如 hongse-wuye-xiaoqu-zhili.yml"))
    sessions: list[CourseSession] = []
    first_seen: dict[str, str] = {}
    for i, s in enumerate(spec.sessions):
        at = ("sessions", i)
        if not MINUTES_MIN <= s.minutes <= MINUTES_MAX:
            out.append(problem("invalid-value", f, doc.pos(at + ("minutes",)), _fmt(at + ("minutes",)),
                               field=_fmt(at + ("minutes",)), value=s.minutes,
                               detail=f"单元课时应在 {MINUTES_MIN}—{MINUTES_MAX} 分钟之间",
                               suggestion="一个单元通常 45—120 分钟；更长的内容请拆成几个单元"))
        if s.select and not 1 <= s.select.limit <= LIMIT_MAX:
            path = at + ("select", "limit")
            out.append(problem("invalid-value", f, doc.pos(path), _fmt(path), field=_fmt(path), value=s.select.limit,
                               detail=f"应为 1—{LIMIT_MAX}"))
        recs: list[m.Record] = [corpus.records[rid] for rid in s.cases if rid in corpus.records]
        if not s.cases and s.select is None:
            out.append(problem("session-without-cases", f, doc.pos(at), _fmt(at), title=s.title,
                               suggestion="写 cases: [记录 id]，或 select: {tags: [...], places: [...], query: ...}"))
        if s.select is not None:
            sel = s.select
            if not (sel.tags or sel.places or sel.query):
                out.append(problem("empty-selection", f, doc.pos(at + ("select",)), _fmt(at + ("select",)),
                                   criteria="（没有写任何条件）", suggestion="至少写 tags、places、query 之一"))
            elif all(t in corpus.registry.tags for t in sel.tags) and all(p in corpus.registry.places for p in sel.places):
                try:
                    found = select_records(corpus, sel, query)
                except Exception as err:  # noqa: BLE001 - the search engine is another module: report, don't crash
                    out.append(problem("query-failed", f, doc.pos(at + ("select", "query")), _fmt(at + ("select", "query")),
                                       detail=f"{type(err).__name__}: {err}"))
                    found = []
                else:
                    if not found:
                        out.append(problem("empty-selection", f, doc.pos(at + ("select",)), _fmt(at + ("select",)),
                                           criteria=_criteria(sel, corpus),
                                           suggestion="放宽条件（减少地点、换一个标签或检索词），或直接用 cases 列出记录 id"))
                recs += [r for r in found if r not in recs]
        for r in recs:
            where = f"{f}:{doc.pos(at)[0]}"
            if r.id in first_seen:
                out.append(problem("duplicate-course-record", f, doc.pos(at), _fmt(at), value=r.id,
                                   other=first_seen[r.id], suggestion="同一案例只在一个单元中讲；删去重复的一处"))
            else:
                first_seen[r.id] = where
        if recs and s.minutes >= MINUTES_MIN and s.minutes < MINUTES_PER_RECORD * len(recs):
            out.append(problem("session-crowded", f, doc.pos(at + ("minutes",)), _fmt(at + ("minutes",)),
                               title=s.title, count=len(recs), minutes=s.minutes, per=MINUTES_PER_RECORD,
                               suggestion="减少案例（select 可写 limit），或增加课时"))
        sessions.append(CourseSession(number=i + 1, spec=s, records=recs))
    total = sum(s.minutes for s in spec.sessions)
    if isinstance(spec.duration, int) and spec.duration != total:
        out.append(problem("course-duration", f, doc.pos(("duration",)), "duration", duration=spec.duration,
                           total=total, suggestion="改正 duration，或调整各单元的 minutes"))
    if any(p.severity == ERROR for p in out):
        return None, out
    return Course(id=cid, spec=spec.model_copy(update={"id": cid}), sessions=sessions, file=f), out


def course_files(courses_dir: Path) -> list[Path]:
    d = Path(courses_dir)
    return sorted(p for p in d.glob("*.y*ml") if p.suffix in (".yml", ".yaml") and not p.name.startswith((".", "_")))


def load_courses(courses_dir: Path, corpus: Corpus, query: QueryFn | None = None) -> tuple[list[Course], list[Problem]]:
    """Check every spec under ``courses_dir``; return the good courses and all problems."""
    courses: list[Course] = []
    problems: list[Problem] = []
    for p in course_files(courses_dir):
        course, probs = check_course(load_course(p), corpus, query)
        problems += probs
        if course:
            courses.append(course)
    return courses, problems


def resolve(corpus: Corpus, spec: CourseSpec | Course, query: QueryFn | None = None) -> Course:
    """A :class:`Course` from a spec object already checked (used by :func:`course_pages`)."""
    if isinstance(spec, Course):
        return spec
    sessions = []
    for i, s in enumerate(spec.sessions):
        recs = [corpus.records[rid] for rid in s.cases if rid in corpus.records]
        if s.select:
            recs += [r for r in select_records(corpus, s.select, query) if r not in recs]
        sessions.append(CourseSession(i + 1, s, recs))
    return Course(id=spec.id or course_slug(spec.title), spec=spec, sessions=sessions)


def course_slug(title: str) -> str:
    """The id of a course made from its title."""
    return slugify(title, "course")


# ------------------------------------------------------------- class plan

PLAN_BLOCKS = ("导入", "案例阅读", "分组讨论", "全班交流", "总结")


def apportion(total: int, weights: list[float], unit: int = 1) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up exactly.

    Largest remainder method in steps of ``unit``; every part gets at least
    one step when there are enough. ``total`` must be a multiple of ``unit``.
    """
    steps = total // unit
    n = len(weights)
    base = [1] * n if steps >= n else [0] * n
    rest = steps - sum(base)
    wsum = sum(weights) or 1.0
    quotas = [rest * w / wsum for w in weights]
    parts = [b + math.floor(q) for b, q in zip(base, quotas)]
    left = steps - sum(parts)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
    for i in order[:left]:
        parts[i] += 1
    return [p * unit for p in parts]


def class_plan(minutes: int, n_records: int, n_questions: int = 0) -> list[tuple[str, int, str]]:
    """The blocks of a session with their minutes (which add up to ``minutes``) and what happens."""
    n = max(1, n_records)
    weights = [1.0, 1.0 + 0.6 * min(n, 5), 3.0, 2.0 + (0.5 if n > 1 else 0.0), 1.0]
    unit = 5 if minutes % 5 == 0 and minutes // 5 >= 2 * len(weights) else 1
    mins = apportion(minutes, weights, unit)
    compare = "，对照案例对比表比较各地做法" if n > 1 else ""
    what = [
        "说明本单元的学习目的；请两三位学员简述本地在这方面的做法或难题",
        f"学员阅读{'本单元的 ' + str(n) + ' 个案例' if n > 1 else '案例'}，圈出关键做法和成效数字",
        f"分组讨论思考题（每组 5—7 人，推选记录员）"
        + (f"，每组至少讨论 1 道单元讨论题" if n_questions else ""),
        f"各组汇报，教师按“分析思路”追问{compare}",
        "教师归纳关键要点，布置课后任务：写出本地可借鉴的一条做法及前提条件",
    ]
    return list(zip(PLAN_BLOCKS, mins, what))


# -------------------------------------------------------------- the blocks


@dataclass
class H:
    level: int  # 0 = document title, 1 = session, 2 = record / part, 3 = section
    text: str
    rid: str | None = None  # a record heading (linked on the site)
    anchor: str = ""


@dataclass
class P:
    text: str
    kind: str = ""  # "", "meta", "lead", "note", "label", "edition"


@dataclass
class OL:
    items: list[str]


@dataclass
class UL:
    items: list[str]


@dataclass
class Table:
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
    "schedule": (0.30, 0.10, 0.60),
    "metrics": (0.34, 0.12, 0.10, 0.44),
    "plan": (0.16, 0.10, 0.74),
    "compare": (0.15, 0.23, 0.12, 0.25, 0.25),
}


@dataclass
class Break:
    pass


@dataclass
class Tick:
    """Not shown: marks the end of one record, for progress displays."""

    label: str


Block = Union[H, P, OL, UL, Table, Break, Tick]
Edition = Literal["student", "trainer"]


def _duration_text(course: Course) -> str:
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
        out += [H(3, "摘要"), P(v.summary, "lead")]
    for line in v.source_note:
        out.append(P(f"来源说明：{line}", "note"))

    def marked(it) -> str:
        text = f"{it.label}：{it.text}" if it.label else it.text
        return text + (f"［{it.note}］" if it.note else "")

    for sec in v.sections:
        if not sec.for_students and edition == "student":
            continue
        out.append(H(3, sec.heading))
        if sec.lead:
            out.append(P(sec.lead, "note"))
        if sec.chain:
            out.append(P(" → ".join(sec.chain)))
        if sec.context:
            out.append(P("背景口径（不是成效）：" + "；".join(f"{f.label} {f.value}{f.unit}［{f.note}］"
                                                           for f in sec.context)))
        if sec.items:
            items = [marked(it) for it in sec.items]
            out.append(OL(items) if sec.ordered else UL(items))
        if sec.figures:
            out.append(Table(["指标", "数值", "单位", "证据原文"],
                             [[f.label, f.value, f.unit, f"“{f.evidence}”［{f.note}］"] for f in sec.figures],
                             numeric=(1,), kind="metrics"))
    if v.notes:
        out += [H(3, "出处注释"), OL([n.text for n in v.notes])]
    return out


DEFAULT_SESSION_NOTE = ("对照案例对比表，从牵头主体、实施层级、组织链条和成效数字四个方面比较各地做法；"
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
            out += [P("思考题：", "label"), OL(list(rec.teaching.questions))]
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
                Table(["地点", "案例", "实施层级", "主要数字", "组织链条"],
                      [[corpus.full_place(r), r.title, r.level, figures_text(r, 3),
                        " → ".join(r.structure) if r.structure else "—"] for r in s.records], kind="compare")]
    return out


def pack_blocks(corpus: Corpus, course: Course, edition: Edition = "student") -> list[Block]:
    """The whole pack as blocks: cover, objectives, then per session the cases (and notes)."""
    spec = course.spec
    trainer = edition == "trainer"
    out: list[Block] = [H(0, spec.title), P(EDITION_LABELS[edition] + ("（内含教学使用说明，请勿发给学员）" if trainer else ""), "edition")]
    out.append(Table(["项目", "内容"], [
        ["培训对象", spec.audience],
        ["课程时长", _duration_text(course)],
        ["案例", f"{len(course.records())} 个，来自 {len({r.place for r in course.records()})} 个地区"],
    ], kind="cover"))
    out += [H(1, "教学目标", anchor="objectives"), OL(list(spec.objectives))]
    out += [H(1, "课程安排", anchor="schedule"),
            Table(["单元", "分钟", "案例"],
                  [[f"第 {s.number} 单元　{s.title}", str(s.minutes),
                    "；".join(f"{r.title}（{corpus.full_place(r)}）" for r in s.records)] for s in course.sessions]
                  + [["合计", str(course.minutes), ""]], numeric=(1,), kind="schedule")]
    for s in course.sessions:
        out += [Break(), H(1, f"第 {s.number} 单元　{s.title}（{s.minutes} 分钟）", anchor=f"session-{s.number}")]
        for j, rec in enumerate(s.records, 1):
            if j > 1:
                out.append(Break())
            out += record_blocks(corpus, rec, f"{s.number}.{j}")
            out.append(Tick(rec.title))
        if s.spec.questions:
            out += [H(2, f"第 {s.number} 单元讨论题", anchor=f"questions-{s.number}"), OL(list(s.spec.questions))]
        if trainer:
            out += [Break()] + teaching_blocks(corpus, course, s)
    return out


def _ticks(blocks: list[Block], tick: Callable[[str], None] | None) -> Iterator[Block]:
    for b in blocks:
        if isinstance(b, Tick):
            if tick:
                tick(b.label)
            continue
        yield b


# ---------------------------------------------------------------- Markdown


def render_markdown(corpus: Corpus, course: Course, edition: Edition = "student", page: str | None = None,
                    tick: Callable[[str], None] | None = None) -> str:
    """Markdown of a pack; with ``page`` (its docs path) record titles link to the record pages."""
    p = Page(corpus, page) if page else None
    out: list[str] = []
    for b in _ticks(pack_blocks(corpus, course, edition), tick):
        if isinstance(b, H):
            text = esc(b.text)
            if b.rid and p:
                text = f"{esc(b.text)}（{p.link('查看案例页', record_path(b.rid))}）"
            out += ["#" * (b.level + 1) + " " + text, ""]
        elif isinstance(b, P):
            text = esc(b.text)
            if b.kind in ("label", "edition"):
                text = f"**{text}**"
            elif b.kind == "meta":
                text = f"*{text}*"
            out += [text, ""]
        elif isinstance(b, OL):
            out += [f"{i}. {esc(x)}" for i, x in enumerate(b.items, 1)] + [""]
        elif isinstance(b, UL):
            out += [f"- {esc(x)}" for x in b.items] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(esc(h) for h in b.header) + " |")
            out.append("| " + " | ".join("---:" if i in b.numeric else "---" for i in range(len(b.header))) + " |")
            out += ["| " + " | ".join(esc(c) or " " for c in row) + " |" for row in b.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def course_path(cid: str) -> str:
    return f"courses/{cid}.md"


def course_pages(corpus: Corpus, specs: Iterable[CourseSpec | Course], query: QueryFn | None = None) -> dict[str, str]:
    """The site's 课程 section (student edition): ``{"courses/index.md": …, "courses/<id>.md": …}``."""
    courses = [resolve(corpus, s, query) for s in specs]
    pages: dict[str, str] = {}
    idx = Page(corpus, "courses/index.md")
    lines = ["# 课程", "",
             "按主题编排的教学案例包（学员版）：每个课程分几个单元，每个单元对比几地的做法，附思考题。"
             "培训教师可用 `casebook course build` 生成可打印的学员版、教师版（HTML、Word）。", ""]
    if courses:
        lines += ["| 课程 | 培训对象 | 时长 | 单元 | 案例 |", "| --- | --- | --- | ---: | ---: |"]
    for c in courses:
        lines.append(f"| {idx.link(c.title, course_path(c.id))} | {esc(c.spec.audience)} | {esc(_duration_text(c))} | "
                     f"{len(c.sessions)} | {len(c.records())} |")
    if not courses:
        lines.append("暂无课程。")
    pages["courses/index.md"] = "\n".join(lines) + "\n"
    for c in courses:
        pages[course_path(c.id)] = render_markdown(corpus, c, "student", page=course_path(c.id))
    return pages


# --------------------------------------------------------------------- HTML

HTML_CSS = """
@page { size: A4; margin: 18mm 17mm 20mm 17mm;
  @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f3f3f0; color: #1a1a1a;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "宋体", "WenQuanYi Micro Hei", serif;
  font-size: 11pt; line-height: 1.75; }
main { max-width: 190mm; margin: 0 auto; background: #fff; padding: 14mm 16mm; }
h1, h2, h3, .cb-edition, th { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  SimHei, "黑体", "WenQuanYi Micro Hei", sans-serif; }
.cb-title { font-size: 24pt; line-height: 1.3; margin: 30mm 0 4mm; border-bottom: 2px solid #8b0000; padding-bottom: 4mm; }
.cb-edition { font-size: 14pt; color: #8b0000; margin: 0 0 10mm; }
h2 { font-size: 16pt; margin: 8mm 0 3mm; color: #8b0000; }
h3 { font-size: 13pt; margin: 6mm 0 2mm; }
h4 { font-size: 11.5pt; margin: 4mm 0 1mm; }
p { margin: 0 0 2.5mm; text-align: justify; }
.cb-meta { color: #555; font-size: 10pt; }
.cb-lead { background: #f7f4ec; border-left: 3px solid #b08d57; padding: 2mm 4mm; }
.cb-note { color: #7a4b00; font-size: 10pt; }
.cb-label { font-weight: bold; margin-top: 3mm; }
ol, ul { margin: 0 0 3mm; padding-left: 8mm; }
li { margin: 0.5mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 10pt; line-height: 1.5; }
th, td { border: 1px solid #888; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
tr, li, .cb-lead { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3, h4, .cb-label { break-after: avoid; page-break-after: avoid; }
.cb-break { break-after: page; page-break-after: always; height: 0; }
.cb-toolbar { max-width: 190mm; margin: 0 auto; padding: 3mm 0; text-align: right; font-size: 10pt; }
.cb-toolbar button { font: inherit; padding: 1mm 4mm; cursor: pointer; }
@media screen { .cb-break { border-top: 1px dashed #ccc; margin: 8mm -16mm; } }
@media print { body { background: #fff; } main { max-width: none; padding: 0; } .cb-toolbar { display: none; }
  a { color: inherit; text-decoration: none; } }
"""


def render_html(corpus: Corpus, course: Course, edition: Edition = "student",
                tick: Callable[[str], None] | None = None) -> str:
    """One self-contained HTML file: styles inline, no external resource, A4 print layout."""
    body: list[str] = []
    for b in _ticks(pack_blocks(corpus, course, edition), tick):
        if isinstance(b, H):
            anchor = f' id="{html_esc(b.anchor)}"' if b.anchor else ""
            if b.level == 0:
                body.append(f'<h1 class="cb-title"{anchor}>{html_esc(b.text)}</h1>')
            else:
                body.append(f"<h{b.level + 1}{anchor}>{html_esc(b.text)}</h{b.level + 1}>")
        elif isinstance(b, P):
            cls = f' class="cb-{b.kind}"' if b.kind else ""
            body.append(f"<p{cls}>{html_esc(b.text)}</p>")
        elif isinstance(b, OL):
            body.append("<ol>" + "".join(f"<li>{html_esc(x)}</li>" for x in b.items) + "</ol>")
        elif isinstance(b, UL):
            body.append("<ul>" + "".join(f"<li>{html_esc(x)}</li>" for x in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f'<th scope="col">{html_esc(h)}</th>' for h in b.header)
            num = ' class="num"'
            rows = "".join("<tr>" + "".join(f"<td{num if i in b.numeric else ''}>{html_esc(c)}</td>"
                                            for i, c in enumerate(row)) + "</tr>" for row in b.rows)
            cls = f' class="cb-{b.kind}"' if b.kind else ""
            cols = "".join(f'<col style="width:{w * 100:.0f}%">' for w in b.widths)
            body.append(f"<table{cls}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                        f"<tbody>{rows}</tbody></table>")
        elif isinstance(b, Break):
            body.append('<div class="cb-break"></div>')
    title = f"{course.title}（{EDITION_LABELS[edition]}）"
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html_esc(title)}</title>\n"
            '<meta name="generator" content="casebook course build">\n'
            f"<style>{HTML_CSS}</style>\n</head>\n<body>\n"
            '<div class="cb-toolbar"><button type="button" onclick="window.print()">打印 / 另存为 PDF</button></div>\n'
            "<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


# --------------------------------------------------------------------- DOCX

DOCX_BODY_FONT = ("Times New Roman", "宋体")   # (ascii/hAnsi, eastAsia)
DOCX_HEAD_FONT = ("Arial", "黑体")
DOCX_MARGIN_CM = 2.2
DOCX_TEXT_WIDTH_CM = 21 - 2 * DOCX_MARGIN_CM


def _set_fonts(style, ascii_font: str, east_asia: str) -> None:
    """Declare both fonts on a style; drop theme fonts, which would override them."""
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), ascii_font)


def _setup_docx(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(DOCX_MARGIN_CM)
    sec.top_margin = sec.bottom_margin = Cm(DOCX_MARGIN_CM)
    # document defaults too: text without a style still gets Chinese fonts
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:ascii"), DOCX_BODY_FONT[0])
            rfonts.set(qn("w:hAnsi"), DOCX_BODY_FONT[0])
            rfonts.set(qn("w:eastAsia"), DOCX_BODY_FONT[1])
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _set_fonts(normal, *DOCX_BODY_FONT)
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    sizes = {"Title": 24, "Heading 1": 17, "Heading 2": 14, "Heading 3": 12}
    for name, size in sizes.items():
        st = doc.styles[name]
        _set_fonts(st, *DOCX_HEAD_FONT)
        st.font.size = Pt(size)
        st.font.bold = name != "Title"
        st.font.color.rgb = RGBColor(0x8B, 0x00, 0x00) if name in ("Title", "Heading 1", "Heading 2") else RGBColor(0x20, 0x20, 0x20)
        st.paragraph_format.keep_with_next = True
    for name in ("List Number", "List Bullet", "Subtitle", "Quote"):
        _set_fonts(doc.styles[name], *(DOCX_HEAD_FONT if name == "Subtitle" else DOCX_BODY_FONT))


class _Numbering:
    """Each numbered list restarts at 1: a new w:num per list over List Number's abstract numbering."""

    def __init__(self, doc):
        from docx.oxml.ns import qn

        self.doc = doc
        self.root = doc.part.numbering_part.element
        style = doc.styles["List Number"].element
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
        self.abstract = None
        for num in self.root.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                self.abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        self.next_id = max(int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))) + 1

    def new_list(self) -> int | None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if self.abstract is None:
            return None
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_id))
        ab = OxmlElement("w:abstractNumId")
        ab.set(qn("w:val"), self.abstract)
        num.append(ab)
        over = OxmlElement("w:lvlOverride")
        over.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        over.append(start)
        num.append(over)
        self.root.append(num)
        self.next_id += 1
        return self.next_id - 1

    @staticmethod
    def apply(paragraph, num_id: int | None) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if num_id is None:
            return
        ppr = paragraph._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        nid = OxmlElement("w:numId")
        nid.set(qn("w:val"), str(num_id))
        numpr.append(ilvl)
        numpr.append(nid)
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, numpr)


def _no_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _page_number_footer(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(f"{text}　第 ")
    run.font.size = Pt(9)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    para._p.append(fld)
    tail = para.add_run(" 页")
    tail.font.size = Pt(9)


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    """Text safe for XML (control characters dropped; python-docx escapes the rest)."""
    return _XML_BAD.sub("", str(text))


def render_docx(corpus: Corpus, course: Course, edition: Edition = "student", out: Path | None = None,
                tick: Callable[[str], None] | None = None):
    """A Word document with real heading styles, numbered lists, tables and page breaks.

    Returns the python-docx ``Document``; with ``out`` it is also saved there.
    """
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    _setup_docx(doc)
    numbering = _Numbering(doc)
    props = doc.core_properties
    props.title = _x(f"{course.title}（{EDITION_LABELS[edition]}）")
    props.author = "基层治理案例库"
    props.language = "zh-CN"
    props.comments = "由 casebook course build 生成"
    import datetime as _dt
    props.created = props.modified = _dt.datetime(2020, 1, 1)
    props.last_modified_by = "casebook"
    props.revision = 1
    _page_number_footer(doc, _x(f"{course.title} · {EDITION_LABELS[edition]}"))
    for b in _ticks(pack_blocks(corpus, course, edition), tick):
        if isinstance(b, H):
            doc.add_heading(_x(b.text), min(b.level, 9))
        elif isinstance(b, P):
            para = doc.add_paragraph()
            run = para.add_run(_x(b.text))
            if b.kind == "edition":
                run.bold = True
                run.font.size = Pt(15)
                run.font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
            elif b.kind == "meta":
                run.font.size = Pt(10)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            elif b.kind == "label":
                run.bold = True
            elif b.kind == "note":
                run.italic = True
            elif b.kind == "lead":
                para.paragraph_format.left_indent = Pt(12)
        elif isinstance(b, OL):
            num_id = numbering.new_list()
            for item in b.items:
                para = doc.add_paragraph(_x(item), style="List Number")
                numbering.apply(para, num_id)
        elif isinstance(b, UL):
            for item in b.items:
                doc.add_paragraph(_x(item), style="List Bullet")
        elif isinstance(b, Table):
            table = doc.add_table(rows=1, cols=len(b.header))
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            hdr = table.rows[0]
            _repeat_header(hdr)
            for cell, text in zip(hdr.cells, b.header):
                cell.text = ""
                run = cell.paragraphs[0].add_run(_x(text))
                run.bold = True
            for row in b.rows:
                cells = table.add_row().cells
                for i, (cell, text) in enumerate(zip(cells, row)):
                    cell.text = _x(text)
                    if i in b.numeric:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            table.autofit = False
            for col, width in zip(table.columns, b.widths):
                col.width = Cm(DOCX_TEXT_WIDTH_CM * width)  # the grid: LibreOffice and WPS read this
            for row in table.rows:
                _no_split(row)
                for cell, width in zip(row.cells, b.widths):
                    cell.width = Cm(DOCX_TEXT_WIDTH_CM * width)
                    for para in cell.paragraphs:
                        para.paragraph_format.space_after = Pt(0)
                        for run in para.runs:
                            run.font.size = Pt(10)
            doc.add_paragraph()
        elif isinstance(b, Break):
            doc.add_page_break()
    if out is not None:
        _atomic_save(Path(out), lambda p: doc.save(str(p)))
    return doc


# -------------------------------------------------------------------- build


def _atomic_save(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def output_name(course: Course, edition: str, fmt: str) -> str:
    """ASCII file names (a zip opened on Windows keeps them intact)."""
    return f"{course.id}-{edition}.{fmt}"


def build_pack(corpus: Corpus, course: Course, out_dir: Path, editions: Iterable[str] = ("student",),
               formats: Iterable[str] = ("html", "docx"), tick: Callable[[str], None] | None = None) -> list[Path]:
    """Write each edition in each format under ``out_dir``; return the files written.

    ``tick(label)`` is called once per record per edition and format.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for edition in editions:
        for fmt in formats:
            path = out_dir / output_name(course, edition, fmt)
            if fmt == "html":
                text = render_html(corpus, course, edition, tick)
                _atomic_save(path, lambda p: p.write_text(text, encoding="utf-8"))
            elif fmt == "md":
                text = render_markdown(corpus, course, edition, tick=tick)
                _atomic_save(path, lambda p: p.write_text(text, encoding="utf-8"))
            elif fmt == "docx":
                render_docx(corpus, course, edition, path, tick)
            else:
                raise ValueError(f"未知格式“{fmt}”")
            written.append(path)
    return written


def ticks_per_build(course: Course, editions: Iterable[str], formats: Iterable[str]) -> int:
    return sum(len(s.records) for s in course.sessions) * len(list(editions)) * len(list(formats))


# ---------------------------------------------------------------- new spec


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def compare_question(corpus: Corpus, recs: list[m.Record]) -> str:
    """A session question that makes cadres compare the places of ``recs``."""
    places = list(dict.fromkeys(corpus.place_name(r.place) for r in recs))
    if len(places) >= 2:
        return (f"比较{'、'.join(places[:4])}的做法：各由哪一级党组织牵头？靠什么机制把各方拉进来？"
                "成效数字说明了什么、没说明什么？哪一种最适合你所在的社区，需要先补齐什么条件？")
    return (f"{places[0] if places else '案例中'}的做法依赖哪些前提条件（编制、经费、党员力量、群众基础）？"
            "如果你所在的社区不具备这些条件，第一步应当做什么？")


def new_spec(corpus: Corpus, title: str, tags: Iterable[str] = (), places: Iterable[str] = (),
             query: str | None = None, query_fn: QueryFn | None = None,
             per_session: int = 3, max_sessions: int = 3) -> tuple[str, list[str]]:
    """YAML text of a spec pre-filled with the matching records, and their ids.

    Raises ValueError (Chinese message) for an unknown tag or place.
    """
    tags, places = list(tags), list(places)
    reg = corpus.registry
    for t in tags:
        if t not in reg.tags:
            hint = shape.suggest(t, reg.tags, reg.tag_lookup())
            raise ValueError(f"未登记的标签“{t}”" + (f"，{hint}" if hint else "；可用的标签见 cases/_registry/tags.yml"))
    names = {p.name: p.slug for p in reg.places.values()}
    for p in places:
        if p not in reg.places:
            hint = shape.suggest(p, reg.places, names)
            raise ValueError(f"未登记的地点“{p}”" + (f"，{hint}" if hint else "；可用的地点见 cases/_registry/places/"))
    sel = Selection(tags=tags, places=places, query=query or None, limit=LIMIT_MAX)
    found = select_records(corpus, sel, query_fn) if (tags or places or query) else []
    if not found:
        return "", []
    # sessions: one per tag when several tags were asked for, else chunks of the ranked list
    groups: list[tuple[str, list[m.Record]]] = []
    if len(tags) > 1:
        used: set[str] = set()
        for t in tags:
            recs = [r for r in found if t in r.tags and r.id not in used]
            if recs:
                used.update(r.id for r in recs[:per_session])
                groups.append((corpus.tag_name(t), recs))
    else:
        name = corpus.tag_name(tags[0]) if tags else (query or "、".join(corpus.place_name(p) for p in places))
        for k in range(0, len(found), per_session):
            groups.append((f"{name}（{k // per_session + 1}）" if len(found) > per_session else name, found[k:]))
    groups = groups[:max_sessions]
    chosen = {r.id for _, recs in groups for r in recs[:per_session]}
    spare = [r for r in found if r.id not in chosen]
    minutes = 90
    topic = "、".join(corpus.tag_name(t) for t in tags) or (query or "本课程主题")
    lines = [
        f"# 课程包：{title}",
        "# 由 casebook course new 生成，请按需修改：调整单元、换案例（写记录 id）、补写讨论题。",
        "# 生成：casebook course build 本文件 --edition trainer",
        "# 字段：title 课程名；audience 培训对象；duration 总分钟数；objectives 教学目标；",
        "#      sessions 单元：title、minutes、cases（记录 id）或 select（tags/places/query/limit）、questions、notes。",
        f"title: {_q(title)}",
        f"audience: {_q('社区党组织书记、居委会主任，街道（镇）分管基层治理的干部')}",
        f"duration: {minutes * len(groups)}",
        "objectives:",
        f"  - {_q(f'了解各地在{topic}方面的主要做法、组织链条和成效数字')}",
        f"  - {_q('比较不同地区做法的牵头主体、实施层级和前提条件，判断哪些适合本地')}",
        f"  - {_q('结合本社区实际，提出一条可以落地的改进措施')}",
        "sessions:",
    ]
    for name, recs in groups:
        recs = recs[:per_session]
        lines += [f"  - title: {_q(name)}", f"    minutes: {minutes}", "    cases:"]
        lines += [f"      - {r.id}  # {corpus.full_place(r)} · {r.title}".replace("\n", " ") for r in recs]
        lines += ["    questions:", f"      - {_q(compare_question(corpus, recs))}"]
    if spare:
        lines.append("# 其他匹配的记录（可换入上面的 cases）：")
        lines += [f"#   {r.id}  # {corpus.full_place(r)} · {r.title}".replace("\n", " ") for r in spare]
    return "\n".join(lines) + "\n", [r.id for _, recs in groups for r in recs[:per_session]]
