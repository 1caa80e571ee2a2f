"""我的课程 at the page's extremes: every course the page lets a trainer save builds as HTML and Word.

The page's limits come from the course spec (``courses.spec.page_limits``,
published as ``data-cb-limits``); these tests drive the page to its shortest
and longest settings, save the file it offers, and build it with
``casebook course build`` as a trainer would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools import courses as C
from build_tools.build import load_corpus
from build_tools.cli import main
from build_tools.courses.spec import page_limits
from sitekit import ROOT, OfflineBrowser, require_chromium

LIMITS = page_limits()
KEY = "casebook.mycourse"


@pytest.fixture(scope="module")
def corpus():
    c, _ = load_corpus(ROOT / "cases")
    return c


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    b = OfflineBrowser()
    yield b
    b.close()


def _open_with(b: OfflineBrowser, site: Path, ids: list[str]):
    """The 我的课程 page holding ``ids``, one unit each, as the 加入我的课程 buttons leave them."""
    page = b.open(site / "mycourse.html")
    page.evaluate("([key, ids]) => localStorage.setItem(key, JSON.stringify("
                  "{units: ids.map(id => ({cases: [id], minutes: null}))}))", [KEY, ids])
    page.reload()
    page.wait_for_function("n => document.querySelectorAll('.cb-mycourse-unit').length === n", arg=len(ids))
    return page


def _set(page, locator, value: str, redraw: bool = True) -> None:
    """Type a value and leave the field, as a trainer does; wait for the page to redraw the units."""
    drawn = page.evaluate("() => +document.querySelector('[data-cb-mycourse]').dataset.cbDrawn")
    locator.fill(value)
    locator.dispatch_event("change")
    if redraw:
        page.wait_for_function("n => +document.querySelector('[data-cb-mycourse]').dataset.cbDrawn > n", arg=drawn)


def _save_and_build(page, tmp_path: Path, corpus) -> tuple[Path, str]:
    with page.expect_download() as dl:
        page.locator("[data-cb-yaml]").click()
    spec = tmp_path / "my-course.yml"
    dl.value.save_as(spec)
    course, problems = C.check_course(C.load_course(spec), corpus)
    assert course is not None and problems == [], [p.message for p in problems]
    out = tmp_path / "pack"
    r = CliRunner().invoke(main, ["course", "build", str(spec), "--edition", "both", "--format", "html,docx",
                                  "--out", str(out), "--cases", str(ROOT / "cases")])
    assert r.exit_code == 0, r.output
    assert "错误" not in r.output and "警告" not in r.output, r.output
    return out, course.title


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_the_page_takes_its_limits_from_the_course_spec(built_site):
    import json
    import re

    html = (built_site / "mycourse.html").read_text(encoding="utf-8")
    raw = re.search(r'data-cb-limits="([^"]*)"', html).group(1)
    assert json.loads(raw.replace("&#34;", '"').replace("&quot;", '"')) == LIMITS
    assert (C.MINUTES_MIN, C.MINUTES_MAX) == (LIMITS["minutesMin"], LIMITS["minutesMax"])


def test_shortest_course_the_page_allows_builds(built_site, browser, corpus, tmp_path):
    rid = sorted(corpus.records)[0]
    page = _open_with(browser, built_site, [rid])
    _set(page, page.locator("input[name=title]"), "课", redraw=False)
    _set(page, page.locator("input[name=audience]"), "书", redraw=False)
    minutes = page.locator(".cb-mycourse-unit input[type=number]")
    _set(page, minutes, "10")  # below the spec's minimum: the page keeps the minimum
    assert int(page.locator(".cb-mycourse-unit input[type=number]").input_value()) == LIMITS["minutesMin"]
    assert f"共 {LIMITS['minutesMin']} 分钟" in page.locator(".cb-mycourse-status").inner_text()
    out, title = _save_and_build(page, tmp_path, corpus)
    assert title == "课"
    assert page.errors == [] and browser.external == []
    page.close()
    files = sorted(p.name for p in out.iterdir())
    assert [f for f in files if f.endswith((".html", ".docx"))] == [
        "my-course-student.docx", "my-course-student.html", "my-course-trainer.docx", "my-course-trainer.html"], files
    assert "课" in _docx_text(out / "my-course-student.docx")
    assert corpus.records[rid].title in _docx_text(out / "my-course-trainer.docx")


def test_longest_course_the_page_allows_builds(built_site, browser, corpus, tmp_path):
    most, per_unit = LIMITS["sessionsMax"], LIMITS["casesMax"]
    ids = sorted(corpus.records)[: most + per_unit - 1]
    page = _open_with(browser, built_site, ids)
    units = page.locator(".cb-mycourse-unit")
    # The first unit takes as many cases as the spec allows, merged in one by one.
    for n in range(2, per_unit + 1):
        units.nth(1).locator(".cb-mycourse-merge").click()
        page.wait_for_function("n => document.querySelector('.cb-mycourse-cases').children.length === n", arg=n)
    assert units.count() == most
    assert units.nth(1).locator(".cb-mycourse-merge").is_disabled()  # one more would be too many
    long_title = "长" * (LIMITS["titleMax"] + 5)
    _set(page, page.locator("input[name=title]"), long_title, redraw=False)
    _set(page, page.locator("input[name=audience]"), "街道（镇）党（工）委书记、社区党组织书记和网格员，" * 8, redraw=False)
    for i in range(most):
        unit = page.locator(".cb-mycourse-unit").nth(i)
        _set(page, unit.locator("input[type=number]"), "9999")  # above the maximum: the page keeps the maximum
        _set(page, page.locator(".cb-mycourse-unit").nth(i).locator(".cb-mycourse-title"), f"第{i}单元" + "讨" * 80)
    values = page.locator(".cb-mycourse-unit input[type=number]").evaluate_all("els => els.map(e => +e.value)")
    assert values == [LIMITS["minutesMax"]] * most
    assert page.locator("[data-cb-yaml]").is_enabled()
    out, title = _save_and_build(page, tmp_path, corpus)
    assert title == "长" * LIMITS["titleMax"]
    assert page.errors == [] and browser.external == []
    page.close()
    student = _docx_text(out / "my-course-student.docx")
    assert title in student and f"第{most - 1}单元" in student
    assert all(corpus.records[rid].title in _docx_text(out / "my-course-trainer.docx") for rid in ids[:per_unit])


def test_a_course_with_too_many_units_is_not_offered_for_download(built_site, browser, corpus):
    most = LIMITS["sessionsMax"]
    page = _open_with(browser, built_site, sorted(corpus.records)[: most + 1])
    assert page.locator("[data-cb-yaml]").is_disabled()
    assert f"最多 {most} 个单元" in page.locator(".cb-mycourse-status").inner_text()
    page.locator(".cb-mycourse-unit").nth(1).locator(".cb-mycourse-merge").click()
    page.wait_for_function("n => document.querySelectorAll('.cb-mycourse-unit').length === n", arg=most)
    assert page.locator("[data-cb-yaml]").is_enabled()
    assert page.errors == []
    page.close()
