"""我的课程 at the page's extremes: every course the page lets a trainer save builds as HTML and Word.

The page's limits come from the course spec (``courses.spec.page_limits``,
published as ``data-cb-limits``); these tests drive the page to its shortest
and longest settings, save the file it offers, and build it with
``casebook course build`` as a trainer would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools import courses as C
from build_tools.build import load_corpus
from build_tools.cli import main
from build_tools.courses.spec import page_limits
from sitekit import ROOT, OfflineBrowser

LIMITS = page_limits()
KEY = "casebook.mycourse"


@pytest.fixture(scope="module")
def corpus():
    c, _ = load_corpus(ROOT / "cases")
    return c


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
        _set(page, page.locator(".cb-mycourse-unit").nth(i).locator(".cb-mycourse-title"), f"第{i}单元" + "讨" * 80,
             redraw=False)
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


# ------------------------------------------- issue 23, items 3 and 7: a course that round-trips

WIDTHS = [390, 1366]


def _labels():
    from build_tools.sections import label, part

    return label("sources"), part("source_note")


def _noted(corpus) -> list[str]:
    """Three records with a 来源说明 (every shipped record has one), sorted by id."""
    return sorted(rid for rid, r in corpus.records.items() if r.attribution_note)[:3]


def _sized(browser, width: int, ids: list[str]):
    ctx = browser.sized(width)
    page = ctx.new_page()
    page.goto((_SITE[0] / "mycourse.html").as_uri())
    page.evaluate("([key, ids]) => localStorage.setItem(key, JSON.stringify("
                  "{units: ids.map(id => ({cases: [id], minutes: null}))}))", [KEY, ids])
    page.reload()
    page.wait_for_function("n => document.querySelectorAll('.cb-mycourse-unit').length === n", arg=len(ids))
    return ctx, page


_SITE: list[Path] = []


@pytest.fixture
def site(built_site):
    _SITE[:] = [built_site]
    return built_site


def _fill_course(page) -> None:
    """A trainer's course: a title, objectives, two cases in the first unit, a purpose, questions and notes."""
    page.locator(".cb-mycourse-unit").nth(1).locator(".cb-mycourse-merge").click()
    page.wait_for_function("() => document.querySelector('.cb-mycourse-cases').children.length === 2")
    page.locator("input[name=title]").fill("物业矛盾怎样化解")
    page.locator("textarea[name=objectives]").fill("比较两地做法\n为本社区拟一个方案")
    unit = page.locator(".cb-mycourse-unit").first
    unit.locator(".cb-mycourse-title").fill("两地对照")
    unit.locator(".cb-mycourse-purpose").fill("看清牵头主体的差别")
    unit.locator(".cb-mycourse-questions").fill("谁来牵头？\n钱从哪里来？")
    unit.locator(".cb-mycourse-notes").fill("先比牵头主体，再比经费")


def _download(page, selector: str, tmp_path: Path) -> Path:
    with page.expect_download() as dl:
        page.locator(selector).click()
    out = tmp_path / dl.value.suggested_filename
    dl.value.save_as(out)
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_a_course_saved_cleared_and_loaded_back_is_the_same_course(site, browser, corpus, tmp_path, width):
    ids = _noted(corpus)
    ctx, page = _sized(browser, width, ids)
    _fill_course(page)
    first = _download(page, "[data-cb-yaml]", tmp_path)
    text = first.read_text(encoding="utf-8")
    course, problems = C.check_course(C.load_course(first), corpus)
    assert course is not None and problems == [], [p.message for p in problems]
    s1 = course.spec.sessions[0]
    assert (s1.title, s1.cases, s1.purpose, s1.questions, s1.notes) == (
        "两地对照", ids[:2], "看清牵头主体的差别", ["谁来牵头？", "钱从哪里来？"], ["先比牵头主体，再比经费"])
    assert course.spec.objectives == ["比较两地做法", "为本社区拟一个方案"]

    # 清空 asks first; Esc keeps the course, the dialog's 清空 (reached by keyboard) empties it.
    page.locator("[data-cb-clear]").click()
    dialog = page.locator("dialog.cb-mycourse-confirm")
    assert dialog.is_visible() and "清空我的课程？" in dialog.inner_text()
    assert page.evaluate("() => document.activeElement.textContent") == "取消"
    page.keyboard.press("Escape")
    assert not dialog.is_visible() and page.locator(".cb-mycourse-unit").count() == 2
    page.locator("[data-cb-clear]").click()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "清空"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.cb-mycourse-unit').length === 0")
    assert page.locator("input[name=title]").input_value() == "我的课程"

    page.locator("input[data-cb-load]").set_input_files(str(first))
    page.wait_for_function("() => document.querySelectorAll('.cb-mycourse-unit').length === 2")
    assert "已读入" in page.locator(".cb-mycourse-load-status").inner_text()
    assert page.locator("input[name=title]").input_value() == "物业矛盾怎样化解"
    assert page.locator(".cb-mycourse-unit").first.locator(".cb-mycourse-cases li").count() == 2
    again = _download(page, "[data-cb-yaml]", tmp_path / "again")
    assert again.read_text(encoding="utf-8") == text
    assert page.errors == [] and browser.external == []
    ctx.close()


def test_the_course_title_and_unit_texts_survive_a_reload(site, browser, corpus):
    ctx, page = _sized(browser, 1366, _noted(corpus)[:1])
    page.locator("input[name=title]").fill("周三的课")
    page.locator(".cb-mycourse-notes").fill("注意口径")
    page.reload()
    page.wait_for_selector(".cb-mycourse-unit")
    assert page.locator("input[name=title]").input_value() == "周三的课"
    assert page.locator(".cb-mycourse-notes").input_value() == "注意口径"
    # every field is named by a label element and drawn with a border
    fields = page.locator(".cb-mycourse input:not([type=file]), .cb-mycourse textarea")
    assert fields.count() >= 7
    assert fields.evaluate_all("els => els.every(e => e.closest('label') && e.closest('label').textContent.trim().length > 1"
                               " && getComputedStyle(e).borderTopStyle === 'solid' && parseFloat(getComputedStyle(e).borderTopWidth) >= 1)")
    ctx.close()


def test_a_course_from_courses_loads_and_a_bad_file_is_named(site, browser, corpus, tmp_path):
    ctx, page = _sized(browser, 390, _noted(corpus)[:1])
    spec = ROOT / "courses" / "hongse-wuye-xiaoqu-zhili.yml"
    page.locator("input[data-cb-load]").set_input_files(str(spec))
    page.wait_for_function("() => document.querySelectorAll('.cb-mycourse-unit').length === 3")
    saved = _download(page, "[data-cb-yaml]", tmp_path)
    course, problems = C.check_course(C.load_course(saved), corpus)
    original, _ = C.check_course(C.load_course(spec), corpus)
    assert problems == [] and course.spec.model_dump(exclude={"id"}) == original.spec.model_dump(exclude={"id"})
    status = page.locator(".cb-mycourse-load-status")
    page.locator("input[data-cb-load]").set_input_files(str(ROOT / "courses" / "shequ-ganbu-duiwu.yml"))
    page.wait_for_function("() => /没有读入/.test(document.querySelector('.cb-mycourse-load-status').textContent)")
    assert "第 4 个单元用 select" in status.inner_text() and "cases" in status.inner_text()
    bad = tmp_path / "bad.yml"
    bad.write_text("title: 课\nsessions:\n  - title: 一\n    cases: |\n      a\n", encoding="utf-8")
    page.locator("input[data-cb-load]").set_input_files(str(bad))
    page.wait_for_function("() => /第 4 行/.test(document.querySelector('.cb-mycourse-load-status').textContent)")
    assert page.locator(".cb-mycourse-unit").count() == 3  # a file not read leaves the course as it was
    assert page.errors == []
    ctx.close()


def test_printout_and_word_file_carry_each_cases_sources_and_source_note(site, browser, corpus, tmp_path):
    import shutil
    import subprocess

    sources, note = _labels()
    ids = _noted(corpus)
    ctx, page = _sized(browser, 1366, ids)
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    _fill_course(page)
    page.locator("[data-cb-print=student]").click()
    page.wait_for_function("window.__printed === 1")
    out = page.locator(".cb-mycourse-print")
    printed = out.inner_text()
    for rid in ids:
        rec = corpus.records[rid]
        assert all(c in printed for c in corpus.citations(rec)), rid
        if rec.attribution_note:
            assert f"{note}：{rec.attribution_note}" in printed
    assert out.locator("h3", has_text=sources).count() == len(ids)
    assert "谁来牵头？" in printed and "先比牵头主体" not in printed  # notes: trainer edition only
    # 适用情形 is our wording: the printout says so under its heading, once per case
    from build_tools.sections import PROBLEMS_LABEL
    assert printed.count(PROBLEMS_LABEL) == sum(1 for rid in ids if corpus.records[rid].problems)

    doc = _download(page, "[data-cb-word=trainer]", tmp_path)
    assert doc.suffix == ".doc" and "教师版" in doc.name
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice reads the Word file back (make test installs it)"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--infilter=HTML (StarWriter)", "--convert-to", "docx", "--outdir", str(tmp_path / "docx"), str(doc)],
                   check=True, capture_output=True, timeout=180)
    word = tmp_path / "docx" / (doc.stem + ".docx")
    import docx

    heads = [(p.style.name, p.text) for p in docx.Document(str(word)).paragraphs if p.style.name.startswith("Heading")]
    assert heads[:2] == [("Heading 1", "物业矛盾怎样化解（教师版）"), ("Heading 2", "第 1 单元　两地对照（60 分钟）")]
    assert ("Heading 3", sources) in heads
    text = _docx_text(word)
    assert "物业矛盾怎样化解（教师版）" in text and "第 1 单元　两地对照" in text
    assert "教学目的：看清牵头主体的差别" in text and "先比牵头主体，再比经费" in text
    for rid in ids:
        rec = corpus.records[rid]
        assert rec.title in text and all(c in text for c in corpus.citations(rec))
        if rec.attribution_note:
            assert f"{note}：{rec.attribution_note}" in text
    assert page.errors == [] and browser.external == []
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_header_search_results_offer_compare_and_add_to_course(site, builder, browser, corpus, width):
    from sitekit import search

    ctx = browser.sized(width)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    if width < 1000:
        page.locator("label[for=__search]").first.click()
    titles = search(page, "物业")
    assert len(titles) >= 2
    items = page.locator(".md-search-result__item:has(.cb-sr-actions)")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item .cb-sr-actions').length >= 2")
    first_add = items.nth(0).locator(".cb-sr-add")
    assert first_add.get_attribute("aria-label").startswith("加入我的课程：")
    first_add.click()
    stored = page.evaluate(f"() => JSON.parse(localStorage.getItem('{KEY}')).units.map(u => u.cases[0])")
    first_link = items.nth(0).locator("a.md-search-result__link")
    href = first_link.get_attribute("href")
    first_id = re.search(r"cases/([a-z0-9-]+)\.html", href).group(1)
    assert stored == [first_id] and first_add.inner_text() == "已加入我的课程"
    assert page.evaluate("() => document.activeElement.className").find("cb-sr-compare") >= 0  # not dropped on <body>
    hint = page.locator("#" + first_link.get_attribute("aria-describedby"))
    assert "对比" in hint.text_content() and "加入我的课程" in hint.text_content()
    box = page.locator("input.md-search__input")
    box.focus()
    focused = "() => document.activeElement.className"
    if builder == "zensical":
        # Our combobox: ↓ chooses the first result while the focus stays in the box, → goes on to its
        # 对比, ← comes back to the box with the result still chosen, Escape too, Enter presses 对比.
        box.press("ArrowDown")
        assert page.evaluate(focused).find("md-search__input") >= 0
        assert box.get_attribute("aria-activedescendant") == first_link.get_attribute("id")
        assert first_link.get_attribute("aria-selected") == "true"
        page.keyboard.press("ArrowRight")
        assert page.evaluate(focused).find("cb-sr-compare") >= 0
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(focused).find("md-search__input") >= 0
        assert box.get_attribute("aria-activedescendant") == first_link.get_attribute("id")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Escape")
        assert page.evaluate(focused).find("md-search__input") >= 0 and items.nth(0).is_visible()
        page.keyboard.press("ArrowRight")
    else:
        # Material: ↓ moves the focus onto the first result (past the link to all results on the
        # 检索 page), → to its 对比.
        for _ in range(3):
            page.keyboard.press("ArrowDown")
            if page.evaluate("() => document.activeElement.classList.contains('md-search-result__link')"):
                break
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == href
        page.keyboard.press("ArrowRight")
    assert page.evaluate(focused).find("cb-sr-compare") >= 0
    page.keyboard.press("Enter")
    assert items.nth(0).locator(".cb-sr-compare").get_attribute("aria-pressed") == "true"
    second = re.search(r"cases/([a-z0-9-]+)\.html", items.nth(1).locator("a.md-search-result__link").get_attribute("href")).group(1)
    items.nth(1).locator(".cb-sr-compare").click()
    page.wait_for_url(re.compile(r"compare\.html\?ids="))
    page.wait_for_selector(".cb-cmp-row")
    shown = page.locator(".cb-cmp-row").first.locator(".cb-cmp-case").all_inner_texts()
    assert shown == [corpus.records[first_id].title, corpus.records[second].title]
    assert page.errors == [] and browser.external == []
    ctx.close()
