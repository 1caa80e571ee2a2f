"""Packs as one self-contained HTML file for A4 printing (styles inline, no external resource)."""

from __future__ import annotations

from typing import Callable


from ..corpus import Corpus
from ..diagrams import Diagrams
from ..templating import TEMPLATES, html_env
from .blocks import Edition, pack_blocks, strip_ticks
from .spec import EDITION_LABELS, Course

# --------------------------------------------------------------------- HTML


def render_html(corpus: Corpus, course: Course, edition: Edition = "student",
                tick: Callable[[str], None] | None = None) -> str:
    """One self-contained HTML file: styles inline, no external resource, A4 print layout."""
    from markupsafe import Markup

    env = html_env()
    css = (TEMPLATES / "course" / "pack.css").read_text(encoding="utf-8")
    draw = Diagrams.for_cases(corpus.cases_dir)
    return env.get_template("pack.html.j2").render(
        title=f"{course.title}（{EDITION_LABELS[edition]}）", css=Markup(css), draw=lambda chain: Markup(draw.svg(chain)),
        blocks=list(strip_ticks(pack_blocks(corpus, course, edition), tick)))
