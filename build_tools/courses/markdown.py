"""Packs as Markdown, and the site's 课程 section."""

from __future__ import annotations

from typing import Callable, Iterable


from ..corpus import Corpus
from ..render import Page, esc, record_path
from .blocks import Edition, H, OL, P, Table, UL, duration_text, pack_blocks, strip_ticks
from .spec import Course, CourseSpec, QueryFn, resolve

# ---------------------------------------------------------------- Markdown


def render_markdown(corpus: Corpus, course: Course, edition: Edition = "student", page: str | None = None,
                    tick: Callable[[str], None] | None = None) -> str:
    """Markdown of a pack; with ``page`` (its docs path) record titles link to the record pages."""
    p = Page(corpus, page) if page else None
    out: list[str] = []
    for b in strip_ticks(pack_blocks(corpus, course, edition), tick):
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
        lines.append(f"| {idx.link(c.title, course_path(c.id))} | {esc(c.spec.audience)} | {esc(duration_text(c))} | "
                     f"{len(c.sessions)} | {len(c.records())} |")
    if not courses:
        lines.append("暂无课程。")
    pages["courses/index.md"] = "\n".join(lines) + "\n"
    for c in courses:
        pages[course_path(c.id)] = render_markdown(corpus, c, "student", page=course_path(c.id))
    return pages
