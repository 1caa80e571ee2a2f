"""One record, one view: the site page, the course HTML and the Word file show the same sections in the same order."""

from __future__ import annotations

import re

import pytest

from build_tools import courses as C
from build_tools.build import load_corpus
from build_tools.sections import order
from build_tools.views import record_view
from sitekit import ROOT

RID = "binhu-liangwei-banzi-jili"  # facts, context figures, analysis, questions and key points


@pytest.fixture(scope="module")
def corpus():
    c, validation = load_corpus(ROOT / "cases", ROOT.parent / "shared" / "sources", strict=True)
    assert validation.report.valid
    return c


@pytest.fixture(scope="module")
def pack(corpus, tmp_path_factory):
    spec = C.CourseSpec.model_validate({
        "id": "one-record", "title": "单案例", "audience": "社区书记", "duration": 60,
        "objectives": ["了解做法"], "sessions": [{"title": "单元", "minutes": 60, "cases": [RID]}]})
    course = C.resolve(corpus, spec)
    out = tmp_path_factory.mktemp("pack")
    files = C.build_pack(corpus, course, out, ("student",), ("html", "docx"))
    return {p.suffix: p for p in files}


def _student_headings(corpus) -> list[str]:
    view = record_view(corpus, corpus.records[RID])
    return [s.heading for s in view.sections if s.for_students]


def _in_order(found: list[str], expected: list[str]) -> list[str]:
    """The expected headings as they occur in ``found`` (order kept)."""
    return [h for h in found if h in expected]


def test_view_sections_follow_the_one_order(corpus):
    keys = [s.key for s in record_view(corpus, corpus.records[RID]).sections]
    assert keys == [k for k in order() if k in keys]
    assert {"practices", "analysis", "key_points", "sources"} <= set(keys)


def test_site_course_html_and_word_show_the_same_sections_in_the_same_order(corpus, pack, built_site):
    import docx

    view = record_view(corpus, corpus.records[RID])
    everything = [s.heading for s in view.sections]
    students = _student_headings(corpus)
    site_html = (built_site / "cases" / f"{RID}.html").read_text(encoding="utf-8")
    site_heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", site_html)]
    assert _in_order(site_heads, everything) == everything
    course_html = pack[".html"].read_text(encoding="utf-8")
    course_heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h4[^>]*>(.*?)</h4>", course_html)]
    assert _in_order(course_heads, everything) == students
    word = docx.Document(str(pack[".docx"]))
    word_heads = [p.text for p in word.paragraphs if p.style.name == "Heading 3"]
    assert _in_order(word_heads, everything) == students
    # the facts' source notes travel too
    assert "出处注释" in word_heads and "出处注释" in course_heads
