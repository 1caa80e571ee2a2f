"""Writing a pack's editions and formats to files."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable


from ..corpus import Corpus
from ..project import atomic_save
from .docx import render_docx
from .html import render_html
from .markdown import render_markdown
from .spec import Course

# -------------------------------------------------------------------- build




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
                atomic_save(path, lambda p: p.write_text(text, encoding="utf-8"))
            elif fmt == "md":
                text = render_markdown(corpus, course, edition, tick=tick)
                atomic_save(path, lambda p: p.write_text(text, encoding="utf-8"))
            elif fmt == "docx":
                render_docx(corpus, course, edition, path, tick)
            else:
                raise ValueError(f"未知格式“{fmt}”")
            written.append(path)
    return written


def ticks_per_build(course: Course, editions: Iterable[str], formats: Iterable[str]) -> int:
    return sum(len(s.records) for s in course.sessions) * len(list(editions)) * len(list(formats))
