"""Word packs take every style from a reference document (issue 21, item 5).

A training centre restyles its Word packs by replacing ``courses/reference.docx``
only: these tests build packs, read them back with python-docx and compare
their styles with the reference's, then restyle the reference (as a trainer
would in Word, here with python-docx) and see the packs follow with no code
change. A reference LibreOffice has saved, one that is not a .docx and one
with a style deleted are covered too.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from build_tools import courses as C
from build_tools.build import load_corpus
from build_tools.courses.reference import DEFAULT_REFERENCE, STYLES, check_reference, pack_styles
from conftest import dump
from sitekit import ROOT
from test_course import invoke, require_tool

XML = lambda el: etree.tostring(el, encoding="unicode")  # noqa: E731 - a style's whole definition, to compare
PARAGRAPH_PARTS = {qn("w:pStyle"), qn("w:numPr"), qn("w:jc")}  # a style, a list number, a right-aligned figure


@pytest.fixture(scope="module")
def real():
    corpus, _ = load_corpus(ROOT / "cases")
    return corpus


@pytest.fixture(scope="module")
def hongse_pack(real, tmp_path_factory):
    course, probs = C.check_course(C.load_course(ROOT / "courses/hongse-wuye-xiaoqu-zhili.yml"), real)
    assert course is not None, probs
    [path] = C.build_pack(real, course, tmp_path_factory.mktemp("pack"), ("trainer",), ("docx",))
    return docx.Document(str(path))


def spec(valid_corpus: Path, folder: Path) -> Path:
    """A two-case course over the conftest records, in ``folder`` (where a reference.docx may sit)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "xiaoqu.yml"
    path.write_text(dump({
        "title": "小区党建专题", "audience": "社区党组织书记", "duration": 90,
        "objectives": ["了解小区党支部的建法"],
        "sessions": [{"title": "小区党支部", "minutes": 90, "cases": ["binhu-xiaoqu-dangzhibu", "binhu-wangge-tixi"],
                      "questions": ["比较两种做法的组织链条"]}],
    }), encoding="utf-8")
    return path


def restyled(out: Path, colour: str = "0000FF") -> Path:
    """The default reference with 标题 1 in another font, size and colour and wider margins, as a trainer might make it."""
    doc = docx.Document(str(DEFAULT_REFERENCE))
    styles = pack_styles(doc)
    h1 = styles["Heading 1"]
    h1.font.name = "Georgia"  # ascii and hAnsi
    h1.element.rPr.rFonts.set(qn("w:eastAsia"), "楷体")
    h1.font.size = Pt(20)
    h1.font.color.rgb = RGBColor.from_string(colour)
    styles["表格文字"].font.size = Pt(9)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(3)
    doc.save(str(out))
    return out


def runs_and_paragraphs(doc):
    paras = list(doc.paragraphs) + [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    paras += doc.sections[0].footer.paragraphs
    return paras


# ------------------------------------------------------------ the default


def test_every_paragraph_of_a_pack_takes_a_style_of_the_reference(hongse_pack):
    doc = hongse_pack
    ref = pack_styles(docx.Document(str(DEFAULT_REFERENCE)))
    used = {p.style.name for p in doc.paragraphs}
    # each kind of block has its own style: title, edition, headings, body, caption, summary, notes, labels, lists
    assert used == {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal", "Caption", "Quote",
                    "注释", "小标题", "List Number", "List Bullet"}, used
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[1].style.name == "Subtitle"
    metas = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert metas and all(t.startswith("地点：") for t in metas)
    assert all(t.style.name == "Table Grid" for t in doc.tables) and len(doc.tables) > 5
    for t in doc.tables:
        assert {p.style.name for c in t.rows[0].cells for p in c.paragraphs} == {"表头"}
        assert {p.style.name for row in t.rows[1:] for c in row.cells for p in c.paragraphs} == {"表格文字"}
    [footer] = doc.sections[0].footer.paragraphs
    assert footer.style.name == "Footer" and footer.text.endswith(" 页")
    # no font, size, colour or spacing set on a paragraph or a run: all of it is in the styles
    for p in runs_and_paragraphs(doc):
        ppr = p._p.pPr
        assert ppr is None or {child.tag for child in ppr} <= PARAGRAPH_PARTS, (p.text, XML(ppr))
        for r in p.runs:
            assert r._r.rPr is None, (p.text, XML(r._r.rPr))
    # and the styles are the reference's, as it defines them
    mine = pack_styles(doc)
    for name in STYLES:
        assert XML(mine[name].element) == XML(ref[name].element), name
    defaults = lambda d: XML(d.styles.element.find(qn("w:docDefaults")))  # noqa: E731
    assert defaults(doc) == defaults(docx.Document(str(DEFAULT_REFERENCE)))
    assert doc.sections[0].left_margin == docx.Document(str(DEFAULT_REFERENCE)).sections[0].left_margin


def test_the_default_reference_declares_chinese_fonts_and_shows_each_style():
    doc = docx.Document(str(DEFAULT_REFERENCE))
    assert check_reference(DEFAULT_REFERENCE) == []
    rfonts = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert rfonts.get(qn("w:eastAsia")) == "宋体" and rfonts.get(qn("w:eastAsiaTheme")) is None
    styles = pack_styles(doc)
    for name, east in (("Title", "黑体"), ("Subtitle", "黑体"), ("Heading 1", "黑体"), ("Heading 2", "黑体"),
                       ("Heading 3", "黑体"), ("Normal", "宋体")):
        st = styles[name].element.rPr.rFonts
        assert st.get(qn("w:eastAsia")) == east and st.get(qn("w:eastAsiaTheme")) is None, name
    # a trainer opening it sees every style once, by its Chinese name
    shown = {p.style.name for p in doc.paragraphs} | {p.style.name for t in doc.tables for row in t.rows
                                                      for c in row.cells for p in c.paragraphs}
    shown |= {p.style.name for p in doc.sections[0].footer.paragraphs}
    assert shown >= set(STYLES) - {"Table Grid"}
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "courses/reference.docx" in text and all(f"样式：{STYLES[n]}" in text for n in ("Title", "Caption", "Quote"))


# ------------------------------------------------------------ restyling


def test_packs_are_restyled_by_replacing_the_reference_only(valid_corpus, tmp_path):
    default_spec = spec(valid_corpus, tmp_path / "plain")
    own_spec = spec(valid_corpus, tmp_path / "courses")
    reference = restyled(tmp_path / "courses" / "reference.docx")
    packs = {}
    for name, path in (("plain", default_spec), ("own", own_spec)):
        r = invoke("course", "build", path, "--cases", valid_corpus, "--edition", "trainer", "--format", "docx",
                   "--out", tmp_path / f"out-{name}")
        assert r.exit_code == 0, r.output
        packs[name] = docx.Document(str(tmp_path / f"out-{name}" / "xiaoqu-trainer.docx"))
    own, plain = pack_styles(packs["own"]), pack_styles(packs["plain"])
    h1 = own["Heading 1"]
    assert (h1.font.name, h1.element.rPr.rFonts.get(qn("w:eastAsia"))) == ("Georgia", "楷体")
    assert h1.font.size == Pt(20) and str(h1.font.color.rgb) == "0000FF"
    assert [p.style.name for p in packs["own"].paragraphs if p.text.startswith("第 1 单元　")] == ["Heading 1"]
    assert plain["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"  # no reference beside it: the default
    ref = pack_styles(docx.Document(str(reference)))
    for name in STYLES:
        assert XML(own[name].element) == XML(ref[name].element), name
    # the page setup comes along: 3 cm margins leave 15 cm for each table
    assert abs(packs["own"].sections[0].left_margin.cm - 3) < 0.01
    for t in packs["own"].tables:
        grid = t._tbl.tblGrid.findall(qn("w:gridCol"))
        assert abs(sum(int(g.get(qn("w:w"))) for g in grid) / 567 - 15) < 0.05  # twentieths of a point per cm
    assert abs(packs["plain"].sections[0].left_margin.cm - 2.2) < 0.01


def test_site_downloads_follow_a_restyled_reference(valid_corpus, tmp_path):
    corpus, _ = load_corpus(valid_corpus)
    folder = tmp_path / "courses"
    spec(valid_corpus, folder)
    cache = tmp_path / "cache"

    def downloads():
        courses, problems = C.load_courses(folder, corpus)
        assert problems == [] and len(courses) == 1
        return C.course_downloads(corpus, courses, cache)

    def heading_colour(files) -> str:
        doc = docx.Document(io.BytesIO(files["downloads/courses/xiaoqu-student.docx"]))
        return str(pack_styles(doc)["Heading 1"].font.color.rgb)

    first = downloads()
    assert heading_colour(first) == "8B0000"
    assert downloads() == first  # unchanged: the same bytes, from the cache
    restyled(folder / "reference.docx", "00AA00")
    second = downloads()
    assert heading_colour(second) == "00AA00"
    restyled(folder / "reference.docx", "0000FF")
    assert heading_colour(downloads()) == "0000FF"
    with zipfile.ZipFile(io.BytesIO(second["downloads/courses/xiaoqu.zip"])) as z:
        inner = z.read("xiaoqu/xiaoqu-student.docx")
    assert heading_colour({"downloads/courses/xiaoqu-student.docx": inner}) == "00AA00"


def test_a_reference_saved_by_libreoffice_still_styles_the_pack(valid_corpus, tmp_path):
    soffice = require_tool("soffice")
    (tmp_path / "in").mkdir()
    src = restyled(tmp_path / "in" / "reference.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "courses"), str(src)],
                   check=True, capture_output=True, timeout=180)
    path = spec(valid_corpus, tmp_path / "courses")
    saved = docx.Document(str(tmp_path / "courses" / "reference.docx"))
    with pytest.raises(KeyError):  # how LibreOffice spells built-in names: python-docx's own lookup misses them
        saved.styles["Heading 1"]
    r = invoke("course", "build", path, "--cases", valid_corpus, "--edition", "trainer", "--format", "docx",
               "--out", tmp_path / "out")
    assert r.exit_code == 0, r.output
    doc = docx.Document(str(tmp_path / "out" / "xiaoqu-trainer.docx"))
    h1 = pack_styles(doc)["Heading 1"]
    assert h1.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体" and str(h1.font.color.rgb) == "0000FF"
    # the namesake LibreOffice adds (its own 题注) is not the one the pack uses
    caption = {p.style.style_id for p in doc.paragraphs if p.text.startswith("地点：")}
    assert caption == {pack_styles(saved)["Caption"].style_id}
    assert pack_styles(saved)["Caption"].font.size == Pt(10)


# ------------------------------------------------------------ bad references


def test_a_broken_reference_is_reported_with_the_file_and_a_fix(valid_corpus, tmp_path):
    path = spec(valid_corpus, tmp_path / "courses")
    reference = tmp_path / "courses" / "reference.docx"
    reference.write_bytes("这其实是 WPS 的 .wps 文件".encode("utf-8"))
    for args in (("check",), ("build", "--format", "docx", "--out", tmp_path / "out")):
        r = invoke("course", args[0], path, "--cases", valid_corpus, *args[1:])
        assert r.exit_code == 1, r.output
        assert f"{reference} reference-unreadable Word 样式模板无法打开：不是 .docx 文件" in r.output
        assert "另存为“Word 文档（*.docx）”" in r.output
    assert not (tmp_path / "out").exists()
    # the HTML edition does not need it
    r = invoke("course", "build", path, "--cases", valid_corpus, "--format", "html", "--out", tmp_path / "html")
    assert r.exit_code == 0, r.output
    # a Word template (.dotx) saved under the name
    buf = io.BytesIO()
    with zipfile.ZipFile(DEFAULT_REFERENCE) as zin, zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(item, data)
    reference.write_bytes(buf.getvalue())
    [p] = check_reference(reference, "courses/reference.docx")
    assert p.format().startswith("courses/reference.docx reference-unreadable Word 样式模板无法打开：这是 Word 模板")
    # the site build sees the same problem (load_courses is its course stage)
    _, problems = C.load_courses(tmp_path / "courses", load_corpus(valid_corpus)[0])
    assert [x.code for x in problems] == ["reference-unreadable"]


def test_a_reference_without_a_style_names_the_style(valid_corpus, tmp_path):
    path = spec(valid_corpus, tmp_path / "courses")
    doc = docx.Document(str(DEFAULT_REFERENCE))
    styles = pack_styles(doc)
    styles["表头"].delete()
    styles["Caption"].delete()
    doc.save(str(tmp_path / "courses" / "reference.docx"))
    r = invoke("course", "build", path, "--cases", valid_corpus, "--format", "docx", "--out", tmp_path / "out")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "reference-missing-style Word 样式模板缺少课程包要用的样式：题注（Caption）、表头；" in r.output
    assert "casebook course styles" in r.output
    assert not (tmp_path / "out").exists()


def test_styles_command_writes_the_default_reference(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("course", "styles")
    assert r.exit_code == 0, r.output
    out = tmp_path / "courses" / "reference.docx"
    assert out.read_bytes() == DEFAULT_REFERENCE.read_bytes() and "Word 或 WPS" in r.output
    r = invoke("course", "styles")
    assert r.exit_code == 2 and "已存在" in r.output and "--force" in r.output
    out.write_bytes(b"x")
    assert invoke("course", "styles", "--force").exit_code == 0 and out.read_bytes() == DEFAULT_REFERENCE.read_bytes()
    r = invoke("course", "styles", "elsewhere.docx")
    assert r.exit_code == 0 and "命名为 reference.docx" in r.output
