"""A PDF page's text layer as lines and paragraphs (for :mod:`build_tools.intake`)."""

from __future__ import annotations

import re


def page_text(page) -> str:
    """A PDF page's text, line by line, with glyphs of a second font put back where they stand.

    Word and LibreOffice often set “”, digits or Latin letters in another
    font than the Chinese text; pypdf hands each font's run over separately,
    the main run holding a space where each such glyph stands. On each line
    the glyphs of the other runs fill those spaces in order when their
    numbers agree; otherwise the runs are joined left to right.
    """
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text and text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.extend((x, y, t) for t in text.split("\n") if t.strip())

    plain = page.extract_text(visitor_text=visit) or ""
    if not runs:
        return plain
    lines: list[list[tuple[float, float, str]]] = []
    for run in sorted(runs, key=lambda r: (-round(r[1], 0), r[0])):
        if lines and abs(lines[-1][0][1] - run[1]) < 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    # A gap well above the usual line spacing ends a paragraph (a heading, a new block).
    gaps = sorted(a[0][1] - b[0][1] for a, b in zip(lines, lines[1:]))
    usual = gaps[len(gaps) // 2] if gaps else 0
    out = []
    for k, line in enumerate(lines):
        if k and usual and lines[k - 1][0][1] - line[0][1] > 1.4 * usual:
            out.append("")
        out.append(_join_runs(sorted(line)))
    return "\n".join(out)


def _join_runs(line: list[tuple[float, float, str]]) -> str:
    main = max(line, key=lambda r: len(r[2]))
    before = [r[2] for r in line if r[0] < main[0] - 0.5]
    after = [r for r in line if r is not main and r[0] >= main[0] - 0.5]
    glyphs = [c for r in after for c in r[2] if not c.isspace()]
    holes = [i for i, c in enumerate(main[2]) if c == " "]
    if glyphs and len(glyphs) == len(holes):
        text = list(main[2])
        for i, c in zip(holes, glyphs):
            text[i] = c
        return "".join(before) + "".join(text)
    return "".join(r[2].strip() for r in line)


def pdf_paragraphs(page: str) -> list[str]:
    """A PDF page's lines joined into paragraphs: a line that ends a sentence and falls short of the width ends one."""
    lines = [ln.strip() for ln in page.splitlines()]
    width = max((len(ln) for ln in lines), default=0)
    out, cur = [], ""
    for ln in lines:
        if not ln:
            if cur:
                out.append(cur)
            cur = ""
            continue
        cur += ln
        if re.search(r"[。！？”」：:]$", ln) and len(ln) < 0.9 * width:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out
