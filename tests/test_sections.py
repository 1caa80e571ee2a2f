"""One presentation contract: section ids, order, labels and where each is shown live in build_tools/sections.py.

The record page, the compare page, 我的课程's printout, the HTML and the Word packs all follow it: a
contract changed in the test (labels renamed, order shuffled, a trainer-only section opened to
students) shows up on every output, so no output keeps a copy of its own. A scan of the code,
templates and scripts finds no label written out anywhere else.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml

from build_tools import courses as C
from build_tools import sections
from build_tools.build import build_site, load_corpus
from build_tools.views import record_view
from sitekit import ROOT, OfflineBrowser, make_project, require_chromium

FACTS = "binhu-liangwei-banzi-jili"  # context figures, analysis, questions, key points
PEOPLE = "binhu-dangqun-fuwuquan"  # people and an organisation chain
RENAMED = {"problems": "碰到的难处", "background": "来龙去脉", "practices": "怎么做的", "structure": "组织链路",
           "outcomes": "做出的成绩", "people": "报道点名的人", "analysis": "编者评析", "questions": "讨论题",
           "key_points": "讲授提示", "sources": "出处"}
RENAMED_PARTS = {"summary": "内容提要", "source_note": "来源交代", "context": "背景数字（非成效）", "notes": "原文出处"}
# questions first, outcomes before practices, the rest as shipped
SHUFFLED = ["questions", "problems", "background", "outcomes", "practices", "structure", "people",
            "analysis", "key_points", "sources"]
OLD_LABELS = {s.label for s in sections.contract()} | set(sections.PARTS.values())


def _changed_contract() -> tuple[sections.SectionSpec, ...]:
    by_key = {s.key: s for s in sections.contract()}
    out = []
    for key in SHUFFLED:
        s = dataclasses.replace(by_key[key], label=RENAMED[key])
        if key == "key_points":  # opened to students: the editions follow the contract too
            s = dataclasses.replace(s, shown=(*s.shown, "student"))
        out.append(s)
    return tuple(out)


def _expected(present: set[str], where: str) -> list[str]:
    return [s.label for s in _changed_contract() if s.key in present and s.shown_in(where)]


def _heads(html: str, tag: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)]


def test_the_contract_has_one_entry_per_key_and_label():
    specs = sections.contract()
    assert len({s.key for s in specs}) == len({s.label for s in specs}) == len(specs)
    assert all(s.kind in ("fact", "analysis", "editorial", "reference") for s in specs)
    assert {w for s in specs for w in s.shown} <= set(sections.EVERYWHERE)
    data = sections.published()
    assert [s["label"] for s in data["sections"]] == [s.label for s in specs]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_a_changed_contract_shows_on_every_output(monkeypatch, tmp_path):
    """Rename every label, shuffle the order, open 教学要点 to students: every output follows."""
    require_chromium()
    monkeypatch.setattr(sections, "SECTIONS", _changed_contract())
    monkeypatch.setattr(sections, "PARTS", RENAMED_PARTS)
    records = {}
    for rid in (FACTS, PEOPLE):
        path = next((ROOT / "cases").glob(f"*/{rid}.yml"))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records[f"{path.parent.name}/{path.name}"] = {**data, "related": []}  # the others are not in this project
    project = make_project(tmp_path / "proj", records)
    site = build_site(project, project / "site")
    corpus, _ = load_corpus(project / "cases")
    present = {rid: {s.key for s in record_view(corpus, corpus.records[rid]).sections} for rid in (FACTS, PEOPLE)}

    # the record page: every section under its new label, in the new order
    page_heads = _heads((site / "cases" / f"{PEOPLE}.html").read_text(encoding="utf-8"), "h2")
    assert [h for h in page_heads if h in RENAMED.values()] == _expected(present[PEOPLE], "page")
    facts_page = (site / "cases" / f"{FACTS}.html").read_text(encoding="utf-8")
    assert RENAMED_PARTS["context"] in facts_page and RENAMED_PARTS["source_note"] in facts_page
    assert not OLD_LABELS & {*page_heads, *_heads(facts_page, "h2")}

    # the HTML and Word packs, student edition: the same labels and order, 讲授提示 included
    spec = C.CourseSpec.model_validate({
        "id": "contract", "title": "合同", "audience": "社区书记", "duration": 60, "objectives": ["了解做法"],
        "sessions": [{"title": "单元", "minutes": 60, "cases": [PEOPLE]}]})
    files = {p.suffix: p for p in C.build_pack(corpus, C.resolve(corpus, spec), tmp_path / "pack",
                                               ("student",), ("html", "docx"))}
    students = _expected(present[PEOPLE], "student")
    assert "讲授提示" in students and "编者评析" not in students
    pack_heads = _heads(files[".html"].read_text(encoding="utf-8"), "h4")
    assert [h for h in pack_heads if h in RENAMED.values()] == students
    assert pack_heads[0] == RENAMED_PARTS["summary"] and pack_heads[-1] == RENAMED_PARTS["notes"]
    import docx

    word_heads = [p.text for p in docx.Document(str(files[".docx"])).paragraphs if p.style.name == "Heading 3"]
    assert word_heads == pack_heads
    assert not OLD_LABELS & set(pack_heads)

    # the compare page and 我的课程's printouts, drawn by casebook.js from the published contract
    b = OfflineBrowser()
    try:
        b.context.add_init_script(
            "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
            f"localStorage.setItem('casebook.mycourse', JSON.stringify({{units: [{{id: '{PEOPLE}', minutes: 30}}]}}));")
        page = b.context.new_page()
        page.goto((site / "compare.html").as_uri() + f"?ids={FACTS},{PEOPLE}")
        page.wait_for_selector(".cb-cmp-row")
        rows = page.locator(".cb-cmp-row h2").all_inner_texts()
        compared = {rid: {s["key"] for s in _compare(site, rid)} for rid in (FACTS, PEOPLE)}
        assert rows == ["案例", RENAMED_PARTS["summary"], *_expected(compared[FACTS] | compared[PEOPLE], "compare")]
        page = b.open(site / "mycourse.html")
        page.wait_for_selector(".cb-mycourse-unit")
        for n, edition in enumerate(("student", "trainer"), 1):
            page.locator(f"[data-cb-print={edition}]").click()
            page.wait_for_function(f"window.__printed === {n}")
            printed = page.locator(".cb-mycourse-print h3").all_inner_texts()
            assert printed == _expected(compared[PEOPLE], edition)
        assert "编者评析" in printed and "讲授提示" in printed and page.errors == [] and b.external == []
    finally:
        b.close()


def _compare(site: Path, rid: str) -> list[dict]:
    """The sections a record's compare script carries (keys and items, no labels)."""
    text = (site / "compare" / f"{rid}.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index(",") + 1:text.rindex(")")])
    assert all(set(s) == {"key", "items"} for s in data["sections"])
    return data["sections"]


# ------------------------------------------------------- no second copy of a label

LABELS = {s.label for s in sections.contract()} | set(sections.PARTS.values())
# Where a label may be written out, and why.
ALLOWED = {
    "build_tools/sections.py": "the contract itself",
}
# Not scanned: the guides (content/guide/*.md) and the README describe the sections to readers in
# prose; the record skeleton (templates/record.yml) and the schema's field descriptions name the YAML
# fields for editors. Those are words about the sections, not labels an output shows.
_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
_TEMPLATE_TEXT = [re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{#.*\})?$", re.M), re.compile(r"\*\*(.+?)\*\*"),
                  re.compile(r">([^<>\n]+)<"), re.compile(r'"([^"\n]*)"'), re.compile(r"^\|(.+)\|$", re.M)]


def _is_label(text: str) -> bool:
    return text.strip().rstrip("：:").strip() in LABELS


def _python_labels(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and _is_label(n.value)]


def _script_labels(path: Path) -> list[tuple[int, str]]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        out += [(i, a or b) for a, b in _QUOTED.findall(line) if _is_label(a or b)]
    return out


def _template_labels(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    out = []
    for pattern in _TEMPLATE_TEXT:
        for m in pattern.finditer(text):
            cells = m.group(1).split("|") if pattern.pattern.startswith("^\\|") else [m.group(1)]
            out += [(text.count("\n", 0, m.start()) + 1, c.strip()) for c in cells if _is_label(c)]
    return out


def hard_coded_labels(root: Path) -> list[str]:
    """``path:line: label`` for every section or part label written out outside the contract."""
    scans = [(root / "build_tools", "*.py", _python_labels), (root / "build_tools" / "templates", "*.j2", _template_labels),
             (root / "content" / "assets", "*.js", _script_labels), (root / "overrides", "*.html", _template_labels)]
    found = []
    for base, pattern, scan in scans:
        for path in sorted(base.rglob(pattern)):
            rel = path.relative_to(root).as_posix()
            if rel not in ALLOWED:
                found += [f"{rel}:{line}: {label}" for line, label in scan(path)]
    return found


def test_no_section_label_is_written_out_outside_the_contract():
    assert hard_coded_labels(ROOT) == []


def test_the_scan_finds_a_label_in_code_a_template_and_a_script(tmp_path):
    """The scan itself can fail: one planted label of each kind is found."""
    (tmp_path / "build_tools" / "templates").mkdir(parents=True)
    (tmp_path / "content" / "assets").mkdir(parents=True)
    (tmp_path / "build_tools" / "m.py").write_text('H(3, "出处注释")\nx = f"编者分析 {n} 条"\n', encoding="utf-8")
    (tmp_path / "build_tools" / "templates" / "t.md.j2").write_text("## 主要做法\n\n!!! info \"来源说明\"\n",
                                                                    encoding="utf-8")
    (tmp_path / "content" / "assets" / "s.js").write_text('row("摘要", x);\n', encoding="utf-8")
    assert hard_coded_labels(tmp_path) == [
        "build_tools/m.py:1: 出处注释", "build_tools/m.py:2: 编者分析 ", "build_tools/templates/t.md.j2:1: 主要做法",
        "build_tools/templates/t.md.j2:3: 来源说明", "content/assets/s.js:1: 摘要"]
