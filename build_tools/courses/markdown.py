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
    """Markdown of a pack; with ``page`` (its docs path) record titles link to the record pages."""
    text = markdown_env().get_template("pack.md.j2").render(
        blocks=list(strip_ticks(pack_blocks(corpus, course, edition), tick)),
        kit=Page(corpus, page) if page else None, record_path=record_path,
        hashes=lambda n: Markup("#" * n), nbsp=Markup(" "))
    return text.rstrip() + "\n"


def course_path(cid: str) -> str:
    return f"courses/{cid}.md"


def course_pages(corpus: Corpus, specs: Iterable[CourseSpec | Course], query: QueryFn | None = None) -> dict[str, str]:
    """The site's 课程 section (student edition): ``{"courses/index.md": …, "courses/<id>.md": …}``."""
    courses = [resolve(corpus, s, query) for s in specs]
    rows = [{"title": c.title, "path": course_path(c.id), "audience": c.spec.audience, "duration": duration_text(c),
             "sessions": len(c.sessions), "records": len(c.records())} for c in courses]
    pages = {"courses/index.md": markdown_env().get_template("courses_index.md.j2").render(
        kit=Page(corpus, "courses/index.md"), courses=rows)}
    for c in courses:
        pages[course_path(c.id)] = render_markdown(corpus, c, "student", page=course_path(c.id))
    return pages
