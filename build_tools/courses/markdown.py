"""Packs as Markdown, and the site's 课程 section."""

from __future__ import annotations

from typing import Callable, Iterable

from markupsafe import Markup


from ..corpus import Corpus
from ..render import Page, record_path
from ..templating import markdown_env
from .blocks import Edition, duration_text, pack_blocks, strip_ticks
from .spec import Course, CourseSpec, QueryFn, resolve

# ---------------------------------------------------------------- Markdown


def render_markdown(corpus: Corpus, course: Course, edition: Edition = "student", page: str | None = None,
                    tick: Callable[[str], None] | None = None) -> str:
    """Markdown of a pack; with ``page`` (its docs path) record titles link to the record pages,
    and the page offers the pack's downloads."""
    text = markdown_env().get_template("pack.md.j2").render(
        blocks=list(strip_ticks(pack_blocks(corpus, course, edition), tick)),
        kit=Page(corpus, page) if page else None, record_path=record_path,
        downloads=download_links(course) if page else [],
        hashes=lambda n: Markup("#" * n), nbsp=Markup(" "))
    return text.rstrip() + "\n"


def download_links(course: Course) -> list[tuple[str, str]]:
    """(label, path from a course page) of the files the site offers for a course."""
    base = "../downloads/courses/"
    links = [("学员版 Word", f"{base}{course.id}-student.docx"), ("学员版（可打印网页）", f"{base}{course.id}-student.html")]
    if course.spec.publish_trainer:
        links += [("教师版 Word（含使用说明）", f"{base}{course.id}-trainer.docx"),
                  ("教师版（可打印网页）", f"{base}{course.id}-trainer.html")]
    return links + [("全部打包（zip）", f"{base}{course.id}.zip")]


def course_path(cid: str) -> str:
    return f"courses/{cid}.md"


def course_pages(corpus: Corpus, specs: Iterable[CourseSpec | Course], query: QueryFn | None = None) -> dict[str, str]:
    """The site's 课程 section (student edition): ``{"courses/index.md": …, "courses/<id>.md": …}``."""
    courses = [resolve(corpus, s, query) for s in specs]
    rows = [{"title": c.title, "path": course_path(c.id), "audience": c.spec.audience, "duration": duration_text(c),
             "sessions": len(c.sessions), "records": len(c.records()), "zip": f"../downloads/courses/{c.id}.zip"}
            for c in courses]
    pages = {"courses/index.md": markdown_env().get_template("courses_index.md.j2").render(
        kit=Page(corpus, "courses/index.md"), courses=rows)}
    for c in courses:
        pages[course_path(c.id)] = front_matter(title=c.title) + render_markdown(corpus, c, "student", page=course_path(c.id))
    return pages


def front_matter(**meta: str) -> str:
    """A page's metadata block: the course's own title for the browser tab (the page opens with its
    downloads, so MkDocs would otherwise name the tab after the file, in pinyin)."""
    import yaml

    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
