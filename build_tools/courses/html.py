"""Packs as one self-contained HTML file for A4 printing (styles inline, no external resource)."""

from __future__ import annotations

from typing import Callable


from ..corpus import Corpus
from ..render import html_esc
from .blocks import Break, Edition, H, OL, P, Table, UL, pack_blocks, strip_ticks
from .spec import EDITION_LABELS, Course

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
    for b in strip_ticks(pack_blocks(corpus, course, edition), tick):
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
