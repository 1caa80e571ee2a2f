"""Course packs (issue 6): spec validation, selection, class plan, and the three outputs.

The heavy checks open the real thing: the .docx is read back with
python-docx and converted by LibreOffice, whose first page is rendered by
pdftoppm and must not be blank; the HTML edition is opened from file:// in
Chromium with the network blocked and printed to an A4 PDF. In CI (CI=true)
a missing tool fails the test; locally it skips with a message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools import courses as C
from build_tools import model as m
from build_tools.build import load_corpus
from build_tools.cli import main
from build_tools.load import load_text
from conftest import dump, write
from sitekit import ARTIFACTS, ROOT, OfflineBrowser, require_chromium

EXAMPLES = sorted((ROOT / "courses").glob("*.yml"))
LINE_RE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+) (?P<code>[a-z][a-z0-9-]*)"
                     r"(?: (?P<field>[^\s:]+):)? (?P<message>\S.*)$")
TEACHER_ONLY = ("使用说明", "分析思路", "课堂计划", "关键要点")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} not found: `make test` installs it (APT_PACKAGES in the Makefile)")
    pytest.skip(f"{name} not found; run `make test` (or apt-get install libreoffice-writer-nogui poppler-utils)")


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def real():
    corpus, validation = load_corpus(ROOT / "cases")
    return corpus


@pytest.fixture(scope="module")
def examples(real):
    out = {}
    for p in EXAMPLES:
        course, probs = C.check_course(C.load_course(p), real)
        assert course is not None, [x.format() for x in probs]
        out[course.id] = course
    return out


@pytest.fixture
def small(valid_corpus):
    """The two-record corpus of conftest, plus a registered place without records."""
    write(valid_corpus / "_registry/places/extra.yml",
          {"places": [{"slug": "jiangyin", "name": "江阴市", "level": "县级市", "parent": "wuxi"}]})
    corpus, validation = load_corpus(valid_corpus)
    assert validation.report.valid
    return corpus


def spec_text(**over) -> str:
    data = {
        "title": "小区党建专题",
        "audience": "社区党组织书记",
        "duration": 90,
        "objectives": ["了解小区党支部的建法"],
        "sessions": [{"title": "小区党支部", "minutes": 90,
                      "cases": ["binhu-xiaoqu-dangzhibu", "binhu-wangge-tixi"],
                      "questions": ["比较两种做法的组织链条"]}],
    }
    data.update(over)
    return dump(data)


def check(text: str, corpus, name: str = "demo.yml", query=None):
    doc = load_text(text, f"courses/{name}", Path("courses") / name)
    return C.check_course(doc, corpus, query)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------- validation


def test_valid_spec_resolves(small):
    course, probs = check(spec_text(), small)
    assert probs == [] and course is not None
    assert course.id == "demo"
    assert [r.id for r in course.sessions[0].records] == ["binhu-xiaoqu-dangzhibu", "binhu-wangge-tixi"]


def test_unknown_record_id_has_line_and_closest_id(small):
    text = spec_text()
    text = text.replace("- binhu-wangge-tixi\n", "- binhu-wangge-tixx\n")
    line, src = next((i, l) for i, l in enumerate(text.splitlines(), 1) if l.strip() == "- binhu-wangge-tixx")
    course, probs = check(text, small)
    assert course is None
    [p] = [p for p in probs if p.code == "unknown-record"]
    assert (p.file, p.line, p.column) == ("courses/demo.yml", line, src.index("binhu") + 1)
    assert p.field == "sessions[0].cases[1]"
    assert "binhu-wangge-tixx" in p.message and "“binhu-wangge-tixi”" in p.suggestion
    assert re.match(LINE_RE, p.format())


def test_record_title_instead_of_id_is_pointed_to_the_id(small):
    course, probs = check(spec_text().replace("- binhu-wangge-tixi", "- 四级党建网格体系"), small)
    [p] = [p for p in probs if p.code == "unknown-record"]
    assert "binhu-wangge-tixi" in p.suggestion


def test_selection_that_matches_nothing_is_an_error(small):
    sessions = [{"title": "江阴的小区党建", "minutes": 60, "select": {"tags": ["xiaoqu-dangzhibu"], "places": ["jiangyin"]}}]
    text = spec_text(duration=60, sessions=sessions)
    course, probs = check(text, small)
    assert course is None
    [p] = [p for p in probs if p.code == "empty-selection"]
    assert p.line == text.splitlines().index("  select:") + 1
    assert "小区党支部" in p.message and "江阴市" in p.message
    # a query that finds nothing is the same error
    sessions[0]["select"] = {"query": "不存在的做法"}
    course, probs = check(spec_text(duration=60, sessions=sessions), small, query=lambda c, q: [])
    assert codes(probs) == ["empty-selection"]


def test_selection_by_tag_place_and_query(small):
    sel = C.Selection(tags=["wangge-zhili"], places=["binhu-shuixiu"])
    assert [r.id for r in C.select_records(small, sel)] == ["binhu-xiaoqu-dangzhibu"]
    sel = C.Selection(places=["wuxi"], limit=1)
    assert len(C.select_records(small, sel)) == 1
    # the query ranks (records from the search engine), tags and places filter
    ranked = ["binhu-wangge-tixi", "nope", "binhu-xiaoqu-dangzhibu"]
    sel = C.Selection(query="网格")
    assert [r.id for r in C.select_records(small, sel, lambda c, q: ranked)] == ["binhu-wangge-tixi", "binhu-xiaoqu-dangzhibu"]
    sel = C.Selection(query="网格", places=["binhu-shuixiu"])
    assert [r.id for r in C.select_records(small, sel, lambda c, q: ranked)] == ["binhu-xiaoqu-dangzhibu"]


def test_query_selection_uses_the_search_index(real):
    """No fake here: build_tools.whoosh_index.query_records ranks the real records."""
    sel = C.Selection(query="外卖骑手怎么参与社区治理", limit=4)
    recs = C.select_records(real, sel)
    assert recs and all("xinjiuye-qunti" in r.tags or "liangxin-dangjian" in r.tags for r in recs[:2])


def test_bad_fields_are_problems_with_positions(small):
    text = spec_text(titel="错字段", sessions=[{"title": "单元", "minutes": "90分钟", "cases": ["binhu-wangge-tixi"]}])
    lines = text.splitlines()
    course, probs = check(text, small)
    assert course is None
    by = {p.code: p for p in probs}
    assert by["unknown-field"].line == lines.index("titel: 错字段") + 1
    assert "是否指“title”" in by["unknown-field"].suggestion
    assert by["wrong-type"].field == "sessions[0].minutes"
    assert by["wrong-type"].line == next(i for i, l in enumerate(lines, 1) if "minutes:" in l)
    # a missing field is named (the spec's own field names are known to check_model)
    text = spec_text()
    text = "\n".join(l for l in text.splitlines() if not l.startswith("audience:")) + "\n"
    course, probs = check(text, small)
    [p] = probs
    assert p.code == "missing-field" and p.field == "audience" and "audience" in p.message


def test_rules_beyond_shape(small):
    sessions = [
        {"title": "太短", "minutes": 5, "cases": ["binhu-wangge-tixi"]},
        {"title": "没有案例", "minutes": 45},
        {"title": "错标签", "minutes": 45, "select": {"tags": ["小区支部"], "places": ["binhu-shuixu"]}},
    ]
    course, probs = check(spec_text(duration=95, sessions=sessions), small)
    assert course is None
    got = {(p.code, p.field) for p in probs}
    assert ("invalid-value", "sessions[0].minutes") in got
    assert ("session-without-cases", "sessions[1]") in got
    tag = next(p for p in probs if p.code == "unknown-tag")
    assert tag.field == "sessions[2].select.tags[0]" and "xiaoqu-dangzhibu" in tag.suggestion
    place = next(p for p in probs if p.code == "unknown-place")
    assert "binhu-shuixiu" in place.suggestion


def test_warnings_do_not_block(small):
    sessions = [{"title": "一", "minutes": 20, "cases": ["binhu-wangge-tixi", "binhu-xiaoqu-dangzhibu"]},
                {"title": "二", "minutes": 45, "cases": ["binhu-wangge-tixi"]}]
    course, probs = check(spec_text(duration=100, sessions=sessions), small)
    assert course is not None
    assert sorted(codes(probs)) == ["course-duration", "duplicate-course-record", "session-crowded"]
    assert all(p.severity == "warning" for p in probs)


def test_yaml_errors_and_id_mismatch(small):
    course, probs = check("title: [未闭合\n", small)
    assert course is None and codes(probs) == ["yaml-syntax"] and probs[0].line >= 1
    course, probs = check(spec_text(id="other"), small)
    assert codes(probs) == ["id-filename-mismatch"]


# ---------------------------------------------------------------- class plan


def test_class_plan_adds_up_exactly():
    for minutes in range(C.MINUTES_MIN, C.MINUTES_MAX + 1):
        for n in range(1, 7):
            plan = C.class_plan(minutes, n, 1)
            mins = [m for _, m, _ in plan]
            assert sum(mins) == minutes, (minutes, n, mins)
            assert [b for b, _, _ in plan] == list(C.PLAN_BLOCKS)
            assert all(m >= 1 for m in mins)
            if minutes % 5 == 0 and minutes >= 50:
                assert all(m % 5 == 0 for m in mins), (minutes, mins)
    # proportional: discussion is the largest block, the intro and summary the smallest
    plan = dict((b, m) for b, m, _ in C.class_plan(90, 3))
    assert plan == {"导入": 10, "案例阅读": 25, "分组讨论": 25, "全班交流": 20, "总结": 10}


def test_apportion_is_exact_for_odd_weights():
    for total in (7, 13, 59, 101):
        for weights in ([1, 1, 1], [0.1, 5, 2.5, 3], [3, 0, 1]):
            parts = C.apportion(total, weights)
            assert sum(parts) == total and all(p >= 1 for p in parts)


# ---------------------------------------------------------- example courses


def test_example_courses_are_clean_and_realistic(real):
    assert {p.stem for p in EXAMPLES} >= {"hongse-wuye-xiaoqu-zhili", "xinjiuye-qunti", "shequ-ganbu-duiwu"}
    for p in EXAMPLES:
        course, probs = C.check_course(C.load_course(p), real)
        assert probs == [], [x.format() for x in probs]
        assert 1 <= len(course.sessions) <= 4
        assert course.spec.duration == course.minutes
        assert len(course.spec.objectives) >= 3
        for s in course.sessions:
            assert 45 <= s.minutes <= 120 and s.spec.questions
        records = course.records()
        assert len(records) >= 3
        assert len({r.place for r in records} | {r.unit for r in records if r.unit}) >= 2, course.title
        # the 使用说明 to the case-centre standard
        spec = course.spec
        assert spec.prereading and spec.theory and spec.board and spec.homework and spec.grading, course.title


def test_cli_check_all_examples():
    r = invoke("course", "check", "--cases", ROOT / "cases", *EXAMPLES)
    assert r.exit_code == 0, r.output
    assert f"共 {len(EXAMPLES)} 个课程：0 个错误，0 个警告" in r.output


# ------------------------------------------------------------------ editions


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def hongse(examples):
    return examples["hongse-wuye-xiaoqu-zhili"]


@pytest.fixture(scope="module")
def built(real, hongse, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    ticks = []
    files = C.build_pack(real, hongse, out, ("student", "trainer"), ("html", "docx", "md"), ticks.append)
    assert len(ticks) == C.ticks_per_build(hongse, ("student", "trainer"), ("html", "docx", "md"))
    return {p.name: p for p in files}


def test_docx_structure_read_back(built, hongse):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(built["hongse-wuye-xiaoqu-zhili-trainer.docx"]))
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text == hongse.title
    heads = {lvl: [p.text for p in paras if p.style.name == f"Heading {lvl}"] for lvl in (1, 2, 3)}
    assert "教学目标" in heads[1] and "课程安排" in heads[1]
    assert any(h.startswith("第 1 单元") for h in heads[1])
    records = [r for s in hongse.sessions for r in s.records]
    for i, s in enumerate(hongse.sessions, 1):
        for j, r in enumerate(s.records, 1):
            assert f"案例 {i}.{j}　{r.title}" in heads[2]
    assert {"摘要", "背景", "主要做法", "成效", "来源", "思考题", "课堂计划", "案例对比"} <= set(heads[3])
    # numbered lists in List Number style, each restarting (its own w:num)
    numbered = [p for p in paras if p.style.name == "List Number"]
    assert len(numbered) > 20
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) > len(records)
    # tables with a header row, Table Grid style
    metrics = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["指标", "数值", "单位", "证据原文"]]
    # figures that are results get a table; 背景口径 and 工作标准 (a norm or target) do not
    assert len(metrics) == sum(1 for r in records if any(mt.kind in m.RESULT_KINDS for mt in r.metrics))
    assert all(t.style.name == "Table Grid" for t in doc.tables)
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in doc.tables)
    figures = {c.text for t in metrics for row in t.rows[1:] for c in row.cells}
    assert "18" in figures and "232" in figures  # 1+3+N's 示范点; 建湖's 覆盖小区
    # the class plan adds up to each session's minutes
    plans = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["环节", "分钟", "安排"]]
    assert len(plans) == len(hongse.sessions)
    for t, s in zip(plans, hongse.sessions):
        body = [row.cells for row in t.rows[1:-1]]
        assert [c[0].text for c in body] == list(C.PLAN_BLOCKS)
        assert sum(int(c[1].text) for c in body) == s.minutes == int(t.rows[-1].cells[1].text)
    # page breaks between records, Chinese fonts declared on the styles
    breaks = doc.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    assert len(breaks) == len(hongse.sessions)  # a page break before each unit, nowhere else
    for name, east in (("Normal", "宋体"), ("Title", "黑体"), ("Heading 1", "黑体"), ("Heading 2", "黑体"), ("Heading 3", "黑体")):
        rfonts = doc.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == east and rfonts.get(qn("w:ascii"))
        assert rfonts.get(qn("w:asciiTheme")) is None and rfonts.get(qn("w:eastAsiaTheme")) is None
    sec = doc.sections[0]
    assert abs(sec.page_width.cm - 21) < 0.1 and abs(sec.page_height.cm - 29.7) < 0.1


def test_editions_differ_by_teaching_notes(built, hongse):
    import docx

    trainer = _docx_text(docx.Document(str(built["hongse-wuye-xiaoqu-zhili-trainer.docx"])))
    student = _docx_text(docx.Document(str(built["hongse-wuye-xiaoqu-zhili-student.docx"])))
    for kind in ("html", "md"):
        t = built[f"hongse-wuye-xiaoqu-zhili-trainer.{kind}"].read_text(encoding="utf-8")
        s = built[f"hongse-wuye-xiaoqu-zhili-student.{kind}"].read_text(encoding="utf-8")
        trainer, student = trainer + t, student + s
    for word in TEACHER_ONLY:
        assert word in trainer and word not in student, word
    rec = hongse.sessions[1].records[0]
    assert rec.teaching.key_points[0] in trainer and rec.teaching.key_points[0] not in student
    # the student edition still has the questions: the record's and the session's
    assert rec.teaching.questions[0] in student
    assert hongse.sessions[1].spec.questions[0] in student


def _ppm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    tokens, pos = [], 0
    while len(tokens) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    assert tokens[0] == b"P6", tokens[0]
    w, h = int(tokens[1]), int(tokens[2])
    return w, h, data[pos + 1:pos + 1 + w * h * 3]


def test_docx_converts_to_pdf_with_a_non_blank_first_page(built, hongse, tmp_path):
    soffice = require_tool("soffice")
    require_tool("pdftoppm")
    src = built["hongse-wuye-xiaoqu-zhili-student.docx"]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (src.stem + ".pdf")
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > sum(len(s.records) for s in hongse.sessions)  # a page break before every record
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    [ppm] = list(tmp_path.glob("page*.ppm"))
    w, h, px = _ppm(ppm)
    assert w > 300 and h > 400 and len(px) == w * h * 3
    dark = sum(1 for i in range(0, len(px), 3) if px[i] + px[i + 1] + px[i + 2] < 600)
    mean = sum(px) / len(px)
    var = sum((b - mean) ** 2 for b in px[::7]) / len(px[::7])
    assert dark / (w * h) > 0.005 and var > 50, (dark, var)
    text = subprocess.run(["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    assert hongse.title in text and "教学目标" in text  # Chinese glyphs came through


def test_html_opens_offline_and_prints_on_a4(built, hongse):
    require_chromium()
    path = built["hongse-wuye-xiaoqu-zhili-trainer.html"]
    html = path.read_text(encoding="utf-8")
    assert "size: A4" in html and "<link" not in html and "src=" not in html
    browser = OfflineBrowser()
    try:
        page = browser.open(path)
        assert page.locator("h1").first.inner_text() == hongse.title
        assert any(t.startswith("第 1 单元") for t in page.locator("h2").all_inner_texts())
        h3 = page.locator("h3").all_inner_texts()  # one per record
        for s in hongse.sessions:
            for r in s.records:
                assert any(r.title in t for t in h3), r.title
        pdf = page.pdf(format="A4")
        assert page.errors == [], page.errors
        assert browser.external == [], browser.external
    finally:
        browser.close()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages >= 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "course-trainer.pdf").write_bytes(pdf)


def test_yaml_text_is_escaped_everywhere(small, tmp_path):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    text = spec_text(title="课程" + evil[:20], objectives=[evil],
                     sessions=[{"title": "单元", "minutes": 90, "cases": ["binhu-xiaoqu-dangzhibu"],
                                "questions": [evil], "notes": ["**粗体** [链接](http://example.com)"]}])
    course, probs = check(text, small)
    assert course is not None, probs
    html = C.render_html(small, course, "trainer")
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    md = C.render_markdown(small, course, "trainer")
    assert "<script>" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(http", md) and "\\*\\*粗体" in md  # no live link or emphasis
    doc = C.render_docx(small, course, "trainer", tmp_path / "x.docx")
    assert evil in _docx_text(doc)


# --------------------------------------------------------------- site pages


def test_course_pages_for_the_site(real, examples):
    pages = C.course_pages(real, list(examples.values()))
    assert set(pages) == {"courses/index.md"} | {f"courses/{cid}.md" for cid in examples}
    index = pages["courses/index.md"]
    for cid, course in examples.items():
        assert f"]({cid}.md)" in index
        page = pages[f"courses/{cid}.md"]
        assert f"\n# {course.title}\n" in "\n" + page and 'class="cb-downloads"' in page
        for r in course.records():
            assert f"](../cases/{r.id}.md)" in page
        body = page.split("</p>", 1)[1]  # after the download links (which name the trainer edition)
        for word in TEACHER_ONLY:
            assert word not in body
    # spec objects straight from YAML work too (resolved on the way)
    spec = C.CourseSpec.model_validate(yaml.safe_load((ROOT / "courses/xinjiuye-qunti.yml").read_text(encoding="utf-8")))
    spec = spec.model_copy(update={"id": "xinjiuye-qunti"})
    assert C.course_pages(real, [spec])["courses/xinjiuye-qunti.md"] == pages["courses/xinjiuye-qunti.md"]


# ---------------------------------------------------------------------- CLI


def test_cli_new_then_check_then_build(small, valid_corpus, tmp_path):
    spec = tmp_path / "out" / "xiaoqu.yml"
    r = invoke("course", "new", "--title", "小区党建", "--tag", "xiaoqu-dangzhibu", "--cases", valid_corpus,
               "--out", spec)
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert data["title"] == "小区党建" and data["sessions"][0]["cases"]
    assert set(data["sessions"][0]["cases"]) == {"binhu-xiaoqu-dangzhibu", "binhu-wangge-tixi"}
    r = invoke("course", "check", spec, "--cases", valid_corpus)
    assert r.exit_code == 0, r.output
    out = tmp_path / "built"
    r = invoke("course", "build", spec, "--cases", valid_corpus, "--edition", "both", "--format", "html,docx,md",
               "--out", out)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"xiaoqu-{e}.{f}" for e in ("student", "trainer") for f in ("html", "docx", "md"))
    r = invoke("course", "new", "--title", "小区党建", "--tag", "xiaoqu-dangzhibu", "--cases", valid_corpus,
               "--out", spec)
    assert r.exit_code == 2 and "已存在" in r.output


def test_cli_new_with_query_on_real_records(tmp_path):
    spec = tmp_path / "q.yml"
    r = invoke("course", "new", "--title", "骑手参与治理", "--query", "外卖骑手怎么参与社区治理",
               "--cases", ROOT / "cases", "--out", spec)
    assert r.exit_code == 0, r.output
    # the units hold the cases the query is about: riders are 新就业群体 (or 两新 党建) records
    corpus, _ = load_corpus(ROOT / "cases")
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    cases = [c for s in data["sessions"] for c in s["cases"]]
    assert len(cases) >= 4 and f"（{len(cases)} 条案例）" in r.output
    off = [c for c in cases if not {"xinjiuye-qunti", "liangxin-dangjian"} & set(corpus.records[c].tags)]
    assert off == [], off
    assert "外卖骑手怎么参与社区治理" in data["objectives"][0]
    r = invoke("course", "check", spec, "--cases", ROOT / "cases")
    assert r.exit_code == 0, r.output


def test_cli_errors_and_exit_codes(small, valid_corpus, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(spec_text().replace("- binhu-wangge-tixi", "- binhu-wangge-tixx"), encoding="utf-8")
    for cmd in ("check", "build"):
        r = invoke("course", cmd, bad, "--cases", valid_corpus, *(["--out", tmp_path / "o"] if cmd == "build" else []))
        assert r.exit_code == 1, r.output
        lines = [l for l in r.output.splitlines() if l.strip()]
        m = LINE_RE.match(lines[0])
        assert m and m["code"] == "unknown-record" and m["field"] == "sessions[0].cases[1]", lines[0]
        assert "是否指“binhu-wangge-tixi”" in lines[0]
    assert not (tmp_path / "o").exists()
    r = invoke("course", "build", tmp_path / "missing.yml", "--cases", valid_corpus)
    assert r.exit_code == 2 and "找不到课程文件" in r.output
    good = tmp_path / "good.yml"
    good.write_text(spec_text(), encoding="utf-8")
    r = invoke("course", "build", good, "--cases", valid_corpus, "--format", "pdf")
    assert r.exit_code == 2 and "未知的格式“pdf”" in r.output
    r = invoke("course", "new", "--title", "x", "--tag", "小区支部", "--cases", valid_corpus, "--out", tmp_path / "n.yml")
    assert r.exit_code == 2 and "xiaoqu-dangzhibu" in r.output
    r = invoke("course", "new", "--title", "x", "--place", "jiangyin", "--cases", valid_corpus, "--out", tmp_path / "n.yml")
    assert r.exit_code == 1 and "没有匹配的记录" in r.output
    binary = tmp_path / "gbk.yml"
    binary.write_bytes(spec_text().encode("gb18030"))
    r = invoke("course", "check", binary, "--cases", valid_corpus)
    assert r.exit_code == 1 and "encoding" in r.output


def test_site_offers_every_course_as_word_printable_html_and_zip(built_site, tmp_path):
    """The 课程 pages link the packs built with the site; they open from file:// and read back."""
    import zipfile

    import docx

    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    corpus, _ = load_corpus(ROOT / "cases")
    courses, problems = C.load_courses(ROOT / "courses", corpus)
    b = OfflineBrowser()
    try:
        for course in courses:
            page = b.open(built_site / "courses" / f"{course.id}.html")
            links = page.locator(".cb-downloads a")
            hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
            want = 5 if course.spec.publish_trainer else 3
            assert len(hrefs) == want, hrefs
            with page.expect_download() as dl:
                page.locator(".cb-downloads a", has_text="教师版 Word").click()
            path = tmp_path / f"{course.id}-trainer.docx"
            dl.value.save_as(path)
            doc = docx.Document(str(path))
            heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
            for rec in course.records():
                assert any(rec.title in h for h in heads), rec.title
            assert "课堂计划" in heads and "教学目的" in heads
            printable = b.open(built_site / "courses" / hrefs[1].replace("../", "../"))
            assert printable.locator("h1.cb-title").inner_text() == course.title
            printable.close()
            with zipfile.ZipFile(built_site / "downloads" / "courses" / f"{course.id}.zip") as z:
                assert len(z.namelist()) == want - 1
            page.close()
        assert b.external == []
    finally:
        b.close()


@pytest.mark.parametrize("tag", ["jianfu-zengxiao", "hongse-wuye", "xinjiuye-qunti"])
def test_course_new_by_tag_gives_distinct_units_and_questions(tmp_path, tag):
    spec = tmp_path / f"{tag}.yml"
    r = invoke("course", "new", "--title", "按标签", "--tag", tag, "--cases", ROOT / "cases", "--out", spec)
    assert r.exit_code == 0, r.output
    sessions = yaml.safe_load(spec.read_text(encoding="utf-8"))["sessions"]
    titles = [s["title"] for s in sessions]
    questions = [q for s in sessions for q in s["questions"]]
    assert len(sessions) >= 2
    assert len(set(titles)) == len(titles) and not any("（1）" in t for t in titles)
    assert len(set(questions)) == len(questions)
    r = invoke("course", "check", spec, "--cases", ROOT / "cases")
    assert r.exit_code == 0, r.output


def test_my_course_in_the_browser_prints_and_saves_a_spec_that_builds(built_site, tmp_path):
    """A trainer with no terminal: collect cases, order and time them, print, save the course file."""
    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    b = OfflineBrowser()
    try:
        b.context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
        page = b.open(built_site / "cases" / "wuxi-liangjian-yiguifan.html")
        page.locator("[data-cb-add]").click()
        assert page.locator("[data-cb-add]").is_disabled()
        page = b.open(built_site / "search.html")
        page.fill("form[data-cb-search] input[name=q]", "红色物业")
        page.click("form[data-cb-search] button")
        page.wait_for_selector(".cb-search-results [data-cb-add]")
        page.locator(".cb-search-results [data-cb-add]").first.click()
        first_hit = page.locator(".cb-search-results li a").first.inner_text()
        page = b.open(built_site / "mycourse.html")
        page.wait_for_selector(".cb-mycourse-unit")
        units = page.locator(".cb-mycourse-unit")
        assert units.count() == 2
        units.nth(1).locator("button", has_text="上移").click()  # the search hit first
        page.wait_for_function("document.querySelectorAll('.cb-mycourse-unit').length == 2")
        assert first_hit in page.locator(".cb-mycourse-unit").first.inner_text()
        minutes = page.locator(".cb-mycourse-unit input[type=number]").first
        minutes.fill("70")
        minutes.dispatch_event("change")
        page.wait_for_function("document.querySelector('.cb-mycourse-status').textContent.includes('100 分钟')")
        page.locator("[data-cb-print=student]").click()
        page.wait_for_function("window.__printed === 1")
        student = page.locator(".cb-mycourse-print").inner_text()
        assert first_hit in student and "两减一规范" in student and "教学要点" not in student
        page.locator("[data-cb-print=trainer]").click()
        page.wait_for_function("window.__printed === 2")
        assert "教学要点" in page.locator(".cb-mycourse-print").inner_text()
        with page.expect_download() as dl:
            page.locator("[data-cb-yaml]").click()
        path = tmp_path / "my-course.yml"
        dl.value.save_as(path)
        assert b.external == [] and page.errors == []
    finally:
        b.close()
    corpus, _ = load_corpus(ROOT / "cases")
    doc = C.load_course(path)
    course, problems = C.check_course(doc, corpus)
    assert course is not None and [p for p in problems if p.severity == "error"] == []
    assert course.minutes == 100 and [s.minutes for s in course.sessions] == [70, 30]
    files = C.build_pack(corpus, course, tmp_path / "pack", ("student", "trainer"), ("docx",))
    assert len(files) == 2 and all(f.stat().st_size > 10_000 for f in files)


def _page_lines(pdf: Path) -> list[list[str]]:
    """The non-empty text lines of each page, read back with pdftotext."""
    require_tool("pdftotext")
    n = int(next(l for l in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
                 .stdout.splitlines() if l.startswith("Pages")).split()[-1])
    out = []
    for i in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        out.append([l.strip() for l in text.splitlines() if l.strip()])
    return out


def test_printed_student_packs_have_no_half_empty_pages_but_before_a_unit(real, examples, tmp_path):
    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    b = OfflineBrowser()
    try:
        for cid, course in examples.items():
            html = tmp_path / f"{cid}.html"
            html.write_text(C.render_html(real, course, "student"), encoding="utf-8")
            page = b.open(html)
            page.emulate_media(media="print")
            pdf = tmp_path / f"{cid}.pdf"
            pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True))
            page.close()
            pages = _page_lines(pdf)
            full = max(len(p) for p in pages)
            for i, lines in enumerate(pages[:-1]):
                next_starts_unit = pages[i + 1][0].startswith("第 ") and "单元" in pages[i + 1][0]
                assert len(lines) >= full / 2 or next_starts_unit, (cid, i + 1, len(lines), full)
    finally:
        b.close()


def test_pack_reflows_on_a_phone_with_the_print_button_in_view(real, hongse, tmp_path):
    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    html = tmp_path / "pack.html"
    html.write_text(C.render_html(real, hongse, "student"), encoding="utf-8")
    b = OfflineBrowser()
    try:
        ctx = b.sized(390, 844)
        page = ctx.new_page()
        page.goto(html.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        button = page.locator(".cb-toolbar button")
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(200)
        box = button.bounding_box()
        assert 0 <= box["y"] < 844  # still in view after scrolling
        ctx.close()
    finally:
        b.close()



def test_a_two_hour_course_with_the_full_teaching_note(real, examples, tmp_path):
    import docx

    two_hours = [c for c in examples.values() if c.spec.duration == 120]
    assert two_hours, "an example course for one 2-hour class"
    course = two_hours[0]
    assert course.minutes == 120
    for s in course.sessions:
        assert sum(m for _, m, _ in C.class_plan(s.minutes, len(s.records), len(s.spec.questions))) == s.minutes
    path = C.build_pack(real, course, tmp_path, ("trainer",), ("docx",))[0]
    heads = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    for need in ("课前预习", "理论依据", "课堂计划", "板书设计", "延伸阅读", "课后作业", "评分参考"):
        assert need in heads, need
    student = C.render_markdown(real, course, "student")
    assert "理论依据" not in student and "评分参考" not in student and "课前预习" in student
