"""A course spec (courses/<id>.yml): its model, checks with positions, and record selection."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from .. import model as m
from .. import shape
from ..corpus import Corpus
from ..load import Document, display_path, load_file
from ..load import format_path as _fmt
from ..problems import ERROR, Problem, problem
from ..text import slugify
from .reference import reference_problems

# ------------------------------------------------------------------ the spec

MINUTES_MIN, MINUTES_MAX = 20, 480
LIMIT_MAX = 12
CASES_MAX = LIMIT_MAX      # records listed in one session, as many as a selection may yield
SESSIONS_MAX = 20
TITLE_MAX = m.TITLE_MAX     # course and session titles, as long as a record's (a unit may take its title)
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

    title: str = Field(min_length=1, max_length=TITLE_MAX)
    minutes: StrictInt = Field(description="本单元课时（分钟）")
    purpose: str = Field(default="", description="教学目的（教师版）；省略时用课程的教学目标")
    cases: list[str] = Field(default_factory=list, max_length=CASES_MAX, description="记录 id")
    select: Selection | None = None
    questions: list[str] = Field(default_factory=list, description="单元讨论题（比较各地做法）")
    notes: list[str] = Field(default_factory=list, description="单元讨论题的分析思路（教师版）")


class Theory(_Spec):
    """A public-governance framework and how the course's cases illustrate it (the editor's analysis)."""

    name: str = Field(min_length=1, max_length=30, description="如 协同治理、多中心治理、社会资本、整体性治理")
    how: str = Field(min_length=1, description="本课程的案例怎样体现它（编者分析，不陈述原文没有的事实）")


class CourseSpec(_Spec):
    """A course pack: who it is for, what it should achieve, and its sessions."""

    id: str | None = Field(default=None, pattern=m.ID_PATTERN, description="省略时取文件名")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    audience: str = Field(min_length=1, description="培训对象")
    duration: Union[StrictInt, str] = Field(description="总时长：分钟数，或如“一天”的文字")
    objectives: list[str] = Field(min_length=1, description="教学目标")
    sessions: list[Session] = Field(min_length=1, max_length=SESSIONS_MAX)
    # The 使用说明 to the case-centre standard; all optional.
    prereading: list[str] = Field(default_factory=list, description="课前预习：读什么、约几分钟（学员版、教师版）")
    theory: list[Theory] = Field(default_factory=list, description="理论依据：框架名与案例如何体现（编者分析）")
    board: list[str] = Field(default_factory=list, description="板书设计：每行一块板书（教师版）")
    further_reading: list[str] = Field(default_factory=list,
                                       description="延伸阅读：只列来源文章本身提到的文件（教师版）")
    homework: list[str] = Field(default_factory=list, description="课后作业（学员版、教师版）")
    grading: list[str] = Field(default_factory=list, description="评分参考（教师版）")
    publish_trainer: bool = Field(default=True, description="网站上是否提供教师版下载")



def page_limits() -> dict:
    """The spec's limits as plain data, published with the site for the 我的课程 page.

    The page offers only what these checks accept, so any course saved there
    builds; the step and the default of a new unit are the page's own choices.
    """
    return {"minutesMin": MINUTES_MIN, "minutesMax": MINUTES_MAX, "minutesPerCase": MINUTES_PER_RECORD,
            "minutesStep": 5, "minutesDefault": 30, "casesMax": CASES_MAX, "sessionsMax": SESSIONS_MAX,
            "titleMax": TITLE_MAX}


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


def ranked_query() -> QueryFn:
    """A query function over the project's one ranking; its data is built on first use, once per corpus."""
    built: dict[int, object] = {}

    def run(corpus: Corpus, text: str) -> list[str]:
        from ..index import rank_index, weigh
        from ..whoosh_index import query_records

        if id(corpus) not in built:
            built[id(corpus)] = rank_index(corpus, weigh(corpus))
        return query_records(corpus, text, 20, built[id(corpus)])

    return run


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
        ranked = (query or ranked_query())(corpus, sel.query)
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
    :func:`ranked_query` ranks the records with the project's one ranking.
    """
    query = query or ranked_query()  # one ranking for all sessions
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
    """Check every spec under ``courses_dir`` and its Word reference document; return the good courses and all problems."""
    courses: list[Course] = []
    problems: list[Problem] = reference_problems([Path(courses_dir)])
    query = query or ranked_query()  # shared by every spec: the ranking data is built once
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
    query = query or ranked_query()  # one ranking for all sessions
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
