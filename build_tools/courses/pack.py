"""Writing a pack's editions and formats to files."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable


from ..corpus import Corpus
from ..project import atomic_save
from .docx import render_docx
from .html import render_html
from .markdown import render_markdown
from .reference import reference_for
from .spec import Course

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


def course_downloads(corpus: Corpus, courses: Iterable[Course], cache: Path | None = None) -> dict[str, bytes]:
    """Every course's editions as Word and printable HTML, and one zip of them, for the site.

    The trainer edition is left out where the course says ``publish_trainer: false``. With a
    ``cache`` folder, a course whose spec, records, Word reference document and generator are
    unchanged is not built again.
    """
    import hashlib
    import io
    import pickle
    import tempfile
    import zipfile

    from ..project import fixed_zip_times

    code = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.parent.rglob("*.py")))
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for course in courses:
            # What a pack shows: the spec, its records, the registry names they are shown with,
            # and the Word styles (a restyled reference.docx must rebuild the pack).
            styles = hashlib.sha256(reference_for(course.file).read_bytes()).hexdigest()
            key = hashlib.sha256("\n".join([code, styles, course.spec.model_dump_json(), course.id, *(
                r.model_dump_json() + corpus.full_place(r) + "".join(corpus.citations(r))
                + "".join(corpus.tag_name(t) for t in r.tags) for r in course.records())]).encode()).hexdigest()
            cached = Path(cache) / f"course-{key}.pickle" if cache else None
            if cached and cached.is_file():
                out.update(pickle.loads(cached.read_bytes()))
                continue
            mine: dict[str, bytes] = {}
            editions = ("student", "trainer") if course.spec.publish_trainer else ("student",)
            files = build_pack(corpus, course, Path(tmp), editions, ("docx", "html"))
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for path in sorted(files):
                    data = path.read_bytes()
                    data = fixed_zip_times(data) if path.suffix == ".docx" else data
                    mine[f"downloads/courses/{path.name}"] = data
                    info = zipfile.ZipInfo(f"{course.id}/{path.name}", (2020, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, data)
            mine[f"downloads/courses/{course.id}.zip"] = buf.getvalue()
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(pickle.dumps(mine))
            out.update(mine)
    return out
