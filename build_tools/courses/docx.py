"""Packs as Word documents: real heading styles, numbered lists, tables, page breaks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable


from ..corpus import Corpus
from ..project import atomic_save
from .blocks import Break, Edition, H, OL, P, Table, UL, pack_blocks, strip_ticks
from .spec import EDITION_LABELS, Course

# --------------------------------------------------------------------- DOCX

DOCX_BODY_FONT = ("Times New Roman", "宋体")   # (ascii/hAnsi, eastAsia)
DOCX_HEAD_FONT = ("Arial", "黑体")
DOCX_MARGIN_CM = 2.2
DOCX_TEXT_WIDTH_CM = 21 - 2 * DOCX_MARGIN_CM


def _set_fonts(style, ascii_font: str, east_asia: str) -> None:
    """Declare both fonts on a style; drop theme fonts, which would override them."""
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), ascii_font)


def _setup_docx(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(DOCX_MARGIN_CM)
    sec.top_margin = sec.bottom_margin = Cm(DOCX_MARGIN_CM)
    # document defaults too: text without a style still gets Chinese fonts
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:ascii"), DOCX_BODY_FONT[0])
            rfonts.set(qn("w:hAnsi"), DOCX_BODY_FONT[0])
            rfonts.set(qn("w:eastAsia"), DOCX_BODY_FONT[1])
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _set_fonts(normal, *DOCX_BODY_FONT)
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    sizes = {"Title": 24, "Heading 1": 17, "Heading 2": 14, "Heading 3": 12}
    for name, size in sizes.items():
        st = doc.styles[name]
        _set_fonts(st, *DOCX_HEAD_FONT)
        st.font.size = Pt(size)
        st.font.bold = name != "Title"
        st.font.color.rgb = RGBColor(0x8B, 0x00, 0x00) if name in ("Title", "Heading 1", "Heading 2") else RGBColor(0x20, 0x20, 0x20)
        st.paragraph_format.keep_with_next = True
    for name in ("List Number", "List Bullet", "Subtitle", "Quote"):
        _set_fonts(doc.styles[name], *(DOCX_HEAD_FONT if name == "Subtitle" else DOCX_BODY_FONT))


class _Numbering:
    """Each numbered list restarts at 1: a new w:num per list over List Number's abstract numbering."""

    def __init__(self, doc):
        from docx.oxml.ns import qn

        self.doc = doc
        self.root = doc.part.numbering_part.element
        style = doc.styles["List Number"].element
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
        self.abstract = None
        for num in self.root.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                self.abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        self.next_id = max(int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))) + 1

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


def _page_number_footer(doc, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(f"{text}　第 ")
    run.font.size = Pt(9)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    para._p.append(fld)
    tail = para.add_run(" 页")
    tail.font.size = Pt(9)


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    """Text safe for XML (control characters dropped; python-docx escapes the rest)."""
    return _XML_BAD.sub("", str(text))


def render_docx(corpus: Corpus, course: Course, edition: Edition = "student", out: Path | None = None,
                tick: Callable[[str], None] | None = None):
    """A Word document with real heading styles, numbered lists, tables and page breaks.

    Returns the python-docx ``Document``; with ``out`` it is also saved there.
    """
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    _setup_docx(doc)
    numbering = _Numbering(doc)
    props = doc.core_properties
    props.title = _x(f"{course.title}（{EDITION_LABELS[edition]}）")
    props.author = "基层治理案例库"
    props.language = "zh-CN"
    props.comments = "由 casebook course build 生成"
    import datetime as _dt
    props.created = props.modified = _dt.datetime(2020, 1, 1)
    props.last_modified_by = "casebook"
    props.revision = 1
    _page_number_footer(doc, _x(f"{course.title} · {EDITION_LABELS[edition]}"))
    for b in strip_ticks(pack_blocks(corpus, course, edition), tick):
        if isinstance(b, H):
            doc.add_heading(_x(b.text), min(b.level, 9))
        elif isinstance(b, P):
            para = doc.add_paragraph()
            run = para.add_run(_x(b.text))
            if b.kind == "edition":
                run.bold = True
                run.font.size = Pt(15)
                run.font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
            elif b.kind == "meta":
                run.font.size = Pt(10)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            elif b.kind == "label":
                run.bold = True
            elif b.kind == "note":
                run.italic = True
            elif b.kind == "lead":
                para.paragraph_format.left_indent = Pt(12)
        elif isinstance(b, OL):
            num_id = numbering.new_list()
            for item in b.items:
                para = doc.add_paragraph(_x(item), style="List Number")
                numbering.apply(para, num_id)
        elif isinstance(b, UL):
            for item in b.items:
                doc.add_paragraph(_x(item), style="List Bullet")
        elif isinstance(b, Table):
            table = doc.add_table(rows=1, cols=len(b.header))
            table.style = doc.styles["Table Grid"]
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            hdr = table.rows[0]
            _repeat_header(hdr)
            for cell, text in zip(hdr.cells, b.header):
                cell.text = ""
                run = cell.paragraphs[0].add_run(_x(text))
                run.bold = True
            for row in b.rows:
                cells = table.add_row().cells
                for i, (cell, text) in enumerate(zip(cells, row)):
                    cell.text = _x(text)
                    if i in b.numeric:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            table.autofit = False
            for col, width in zip(table.columns, b.widths):
                col.width = Cm(DOCX_TEXT_WIDTH_CM * width)  # the grid: LibreOffice and WPS read this
            for row in table.rows:
                _no_split(row)
                for cell, width in zip(row.cells, b.widths):
                    cell.width = Cm(DOCX_TEXT_WIDTH_CM * width)
                    for para in cell.paragraphs:
                        para.paragraph_format.space_after = Pt(0)
                        for run in para.runs:
                            run.font.size = Pt(10)
            doc.add_paragraph()
        elif isinstance(b, Break):
            doc.add_page_break()
    if out is not None:
        atomic_save(Path(out), lambda p: doc.save(str(p)))
    return doc
