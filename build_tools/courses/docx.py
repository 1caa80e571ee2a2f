"""Packs as Word documents in the reference document's styles: headings, numbered lists, tables, page breaks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable


from ..corpus import Corpus
from ..diagrams import PNG_DPI, Diagrams
from ..project import atomic_save
from .blocks import Break, Diagram, Edition, H, OL, P, Table, UL, pack_blocks, strip_ticks
from .reference import check_reference, open_reference, reference_for
from .spec import EDITION_LABELS, Course

# Which style each block takes. Fonts, sizes, colours and spacing live in the
# reference document (reference.py), never here: a training centre restyles
# its packs by replacing that one file.
HEADING_STYLES = {0: "Title", 1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
PARAGRAPH_STYLES = {"": "Normal", "edition": "Subtitle", "meta": "Caption", "lead": "Quote", "note": "注释",
                    "label": "小标题"}
TABLE_STYLE, TABLE_HEADING, TABLE_TEXT, FOOTER_STYLE = "Table Grid", "表头", "表格文字", "Footer"


class _Numbering:
    """Each numbered list restarts at 1: a new w:num per list over List Number's abstract numbering."""

    def __init__(self, doc, list_number):
        from docx.oxml.ns import qn

        self.doc = doc
        self.root = doc.part.numbering_part.element
        style = list_number.element
        # A reference saved by another program may number the style differently, or not at all:
        # then the lists keep the style's own numbering (or none) rather than fail.
        found = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        num_id = found.get(qn("w:val")) if found is not None else None
        self.abstract = None
        for num in self.root.findall(qn("w:num")):
            ab = num.find(qn("w:abstractNumId"))
            if num_id is not None and num.get(qn("w:numId")) == num_id and ab is not None:
                self.abstract = ab.get(qn("w:val"))
        self.next_id = max((int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))), default=0) + 1

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


def _page_number_footer(doc, text: str, style) -> None:
    """The footer: the pack's name and the page number, in the Footer style (the reference's sample text goes)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    for child in list(footer._element):
        footer._element.remove(child)
    para = footer.add_paragraph(style=style)
    para.add_run(f"{text}　第 ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    para._p.append(fld)
    para.add_run(" 页")


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    """Text safe for XML (control characters dropped; python-docx escapes the rest)."""
    return _XML_BAD.sub("", str(text))


def _picture(doc, png: bytes, text_width: int, alt: str) -> None:
    """A drawing at the size dot drew it (at most the text width), with the chain as its alternative text."""
    import io
    import struct

    from docx.shared import Emu

    pixels = struct.unpack(">I", png[16:20])[0]  # the PNG header's width
    shape = doc.add_picture(io.BytesIO(png), width=Emu(min(int(pixels / PNG_DPI * 914400), int(text_width))))
    shape._inline.docPr.set("descr", _x(alt))  # python-docx has no setter for the alternative text


def render_docx(corpus: Corpus, course: Course, edition: Edition = "student", out: Path | None = None,
                tick: Callable[[str], None] | None = None, reference: Path | None = None):
    """A Word document with real heading styles, numbered lists, tables and page breaks.

    Every paragraph and table takes a named style of the ``reference`` document
    (default: the one beside the course file, else casebook's own; see
    :mod:`.reference`), and so does the page setup. Returns the python-docx
    ``Document``; with ``out`` it is also saved there.
    """
    import datetime

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu

    path = reference or reference_for(course.file)
    problems = check_reference(path)
    if problems:
        raise ValueError(problems[0].format())
    doc, styles = open_reference(path)
    numbering = _Numbering(doc, styles["List Number"])
    props = doc.core_properties
    props.title = _x(f"{course.title}（{EDITION_LABELS[edition]}）")
    props.author = "基层治理案例库"
    props.language = "zh-CN"
    props.comments = "由 casebook course build 生成"
    props.subject = props.keywords = props.category = ""
    props.created = props.modified = datetime.datetime(2020, 1, 1)
    props.last_modified_by = "casebook"
    props.revision = 1
    sec = doc.sections[0]
    text_width = sec.page_width - sec.left_margin - sec.right_margin  # the reference's page setup
    _page_number_footer(doc, _x(f"{course.title} · {EDITION_LABELS[edition]}"), styles[FOOTER_STYLE])
    draw = Diagrams.for_cases(corpus.cases_dir)
    for b in strip_ticks(pack_blocks(corpus, course, edition), tick):
        if isinstance(b, H):
            doc.add_paragraph(_x(b.text), style=styles[HEADING_STYLES[min(max(b.level, 0), 3)]])
        elif isinstance(b, P):
            doc.add_paragraph(_x(b.text), style=styles[PARAGRAPH_STYLES.get(b.kind, "Normal")])
        elif isinstance(b, OL):
            num_id = numbering.new_list()
            for item in b.items:
                para = doc.add_paragraph(_x(item), style=styles["List Number"])
                numbering.apply(para, num_id)
        elif isinstance(b, UL):
            for item in b.items:
                doc.add_paragraph(_x(item), style=styles["List Bullet"])
        elif isinstance(b, Table):
            table = doc.add_table(rows=1, cols=len(b.header))
            table.style = styles[TABLE_STYLE]
            hdr = table.rows[0]
            _repeat_header(hdr)
            for cell, text in zip(hdr.cells, b.header):
                cell.paragraphs[0].text = _x(text)
                cell.paragraphs[0].style = styles[TABLE_HEADING]
            for row in b.rows:
                cells = table.add_row().cells
                for i, (cell, text) in enumerate(zip(cells, row)):
                    cell.paragraphs[0].text = _x(text)
                    cell.paragraphs[0].style = styles[TABLE_TEXT]
                    if i in b.numeric:  # numbers line up on the right whatever the style says
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            table.autofit = False
            for col, width in zip(table.columns, b.widths):
                col.width = Emu(int(text_width * width))  # the grid: LibreOffice and WPS read this
            for row in table.rows:
                _no_split(row)
                for cell, width in zip(row.cells, b.widths):
                    cell.width = Emu(int(text_width * width))
            doc.add_paragraph(style=styles["Normal"])  # two tables in a row would otherwise merge into one
        elif isinstance(b, Diagram):
            _picture(doc, draw.png(b.chain), text_width, " → ".join(b.chain))
        elif isinstance(b, Break):
            doc.add_page_break()
    if out is not None:
        atomic_save(Path(out), lambda p: doc.save(str(p)))
    return doc
