"""Readable by everyone (issue 26): axe-core on every page kind, keyboard only, 大字, narrow screens.

axe-core comes inside the axe-playwright-python wheel (``axe.min.js``) and is injected into the page:
nothing is fetched, and the browser's requests stay blocked as in every browser test. The rules run
are WCAG 2.0/2.1 A and AA plus WCAG 2.2's target size; a critical or serious finding fails.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from sitekit import ARTIFACTS

# The page kinds a reader meets, each with what makes it whole (a query, two cases, a course).
PAGES = {
    "首页": "index.html",
    "案例页": "cases/binhu-siji-guanli-tixi.html",   # has an 组织架构 chain, figures and footnotes
    "地点页": "places/binhu.html",
    "标签页": "tags/hongse-wuye.html",
    "常见难题": "problems.html",
    "全部案例": "cases/index.html",
    "数据一览": "figures.html",
    "检索": "search.html?q=社区干部太累",
    "对比": "compare.html?ids=binhu-kaimen-yijianshi,binhu-lao-niangjiu",
    "课程": "courses/xinjiuye-qunti.html",
    "我的课程": "mycourse.html",
    "使用指南": "guide/cadres.html",
    "404": "404.html",
}
# What each page fills in after loading: axe must see the finished page.
READY = {
    "检索": "document.querySelectorAll('.cb-search-results li').length > 0",
    "对比": "document.querySelector('.cb-cmp') !== null",
    "我的课程": "document.querySelectorAll('.cb-mycourse-unit').length > 0",
}
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
         "resultTypes": ["violations"], "preload": False}  # preload reads the style sheets again; no rule here needs it
# Rules that misfire on this site, each with its reason. Keep it short; a real finding is fixed, not listed.
ALLOWED: dict[str, str] = {}
RECORD = "binhu-siji-guanli-tixi"


def _url(site: Path, rel: str) -> str:
    path, _, query = rel.partition("?")
    return (site / path).as_uri() + ("?" + query if query else "")


def _open(page, site: Path, kind: str) -> None:
    page.goto(_url(site, PAGES[kind]))
    page.wait_for_load_state("load")
    if kind in READY:
        page.wait_for_function(READY[kind], timeout=10_000)


def _context(browser, site: Path, width: int, scheme: str, large: bool):
    """A reader's browser: this width, the system's light or dark scheme, 大字 switched on or not.

    The scheme is the reader's system setting (Material follows it); 大字 is switched on the way a
    reader does it, with the button in the header, and every later page remembers it."""
    ctx = browser.sized(width, 900)
    page = ctx.new_page()
    page.emulate_media(color_scheme="dark" if scheme == "slate" else "light")
    _open(page, site, "首页")
    assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
    if large:
        page.locator("[data-cb-large]").click()
    return ctx, page


def _hold_a_case(page) -> None:
    """我的课程 with one case in it, as the 加入我的课程 button leaves it."""
    page.evaluate("id => localStorage.setItem('casebook.mycourse', JSON.stringify({units: [{cases: [id], minutes: null}]}))",
                  RECORD)


def _serious(axe, page) -> list[str]:
    # Colours are read once every transition has ended: Material fades the tabs out as the page
    # scrolls (to an opened footnote, say), and half-faded text is not what a reader is left with.
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    found = []
    for v in axe.run(page, options=RULES).response["violations"]:
        if v["impact"] in ("critical", "serious") and v["id"] not in ALLOWED:
            targets = [" ".join(n["target"]) for n in v["nodes"][:3]]
            found.append(f"{v['impact']} {v['id']} ×{len(v['nodes'])}: {targets}")
    return found


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


def test_axe_ships_inside_the_wheel_and_fetches_nothing():
    from axe_playwright_python import base

    assert base.AXE_FILE_PATH.is_file() and "axe v4" in base.AXE_SCRIPT[:200]


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_no_serious_axe_violation_on_any_page_kind(site, browser, width, scheme, large):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx, page = _context(browser, site, width, scheme, large)
    problems = {}
    for kind in PAGES:
        _open(page, site, kind)
        assert page.evaluate("document.documentElement.classList.contains('cb-large')") == large, kind
        if kind == "案例页":
            page.locator("article a.footnote-ref").first.click()  # a note open in place is checked too
            page.wait_for_selector(".cb-fn-pop")
        found = _serious(axe, page)
        if found:
            problems[kind] = found
        if kind == "案例页":  # 我的课程 below holds this case
            page.locator("[data-cb-add]").first.click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-mycourse-{width}-{scheme}-{'large' if large else 'normal'}.png"))
    errors = page.errors
    ctx.close()
    assert problems == {}, problems
    assert errors == [] and browser.external == []


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_every_page_kind_fits_320_px_without_sideways_scrolling(site, browser, large):
    """WCAG 1.4.10 reflow: 320 CSS px is a 1280 px window at 400 % zoom (so 200 % holds too)."""
    ctx, page = _context(browser, site, 320, "default", large)
    _hold_a_case(page)
    wide = {}
    for kind in PAGES:
        _open(page, site, kind)
        sizes = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            wide[kind] = sizes + page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                ".map(e => e.tagName + '.' + e.className).slice(-3)")
    ctx.close()
    assert wide == {}, f"pages wider than the screen (scrollWidth, innerWidth, what sticks out): {wide}"


def test_large_text_is_18px_and_up_remembered_and_applied_before_the_first_paint(site, browser):
    ctx, page = _context(browser, site, 390, "default", False)
    body = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)")
    gap = lambda: page.evaluate("(s => parseFloat(s.lineHeight) / parseFloat(s.fontSize))"
                                "(getComputedStyle(document.querySelector('article.md-typeset p')))")
    button = page.locator("[data-cb-large]")
    assert body() < 18 and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert body() >= 18 and gap() >= 1.8 and button.get_attribute("aria-pressed") == "true"
    # Another page, a new visit: the class is on <html> before any script at the end of the page runs.
    page.add_init_script("document.addEventListener('readystatechange', () => { if (document.readyState === 'interactive')"
                         " window.__largeAtParse = document.documentElement.classList.contains('cb-large'); });")
    _open(page, site, "案例页")
    assert page.evaluate("window.__largeAtParse") is True and body() >= 18
    assert page.locator("[data-cb-large]").get_attribute("aria-pressed") == "true"
    # Bigger targets too: the note markers and the main action.
    marker = page.locator("article a.footnote-ref").first.bounding_box()
    add = page.locator("[data-cb-add]").first.bounding_box()
    assert marker["width"] >= 32 and marker["height"] >= 32 and add["height"] >= 44
    # Printed large, too.
    page.emulate_media(media="print")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)") >= 17
    page.emulate_media(media="screen")
    page.locator("[data-cb-large]").click()
    _open(page, site, "首页")
    assert body() < 18
    ctx.close()


def test_note_markers_are_24px_targets_that_open_in_place_on_tap_and_close_with_escape(site, browser):
    ctx = browser.sized(390, 844, touch=True)
    page = ctx.new_page()
    _open(page, site, "案例页")
    refs = page.locator("article a.footnote-ref")
    sizes = refs.evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    assert sizes and min(min(s) for s in sizes) >= 24, sizes
    ticks = page.locator("input[type=checkbox]:visible")
    ref = refs.first
    ref.scroll_into_view_if_needed()
    top = page.evaluate("scrollY")
    ref.tap()
    pop = page.locator(".cb-fn-pop")
    assert pop.count() == 1 and pop.is_visible() and ref.get_attribute("aria-expanded") == "true"
    assert page.evaluate("scrollY") == top, "the note opened somewhere else on the page"
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "《" in pop.inner_text() and "↩" not in pop.inner_text()   # the clause with its article, no back link
    page.keyboard.press("Escape")
    assert pop.count() == 0 and ref.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('footnote-ref')")
    # By keyboard: Enter opens, Space closes, the close button is the next stop and gives focus back.
    page.keyboard.press("Enter")
    assert pop.count() == 1
    page.keyboard.press("Space")
    assert pop.count() == 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('cb-fn-pop__close')")
    page.keyboard.press("Enter")
    assert pop.count() == 0 and page.evaluate("document.activeElement.classList.contains('footnote-ref')")
    assert ticks.count() == 0 or min(ticks.evaluate_all("els => els.map(e => e.offsetWidth)")) >= 24
    ctx.close()


def test_page_structure_one_h1_headings_in_order_zh_cn_and_a_skip_link(site, browser):
    ctx, page = _context(browser, site, 1366, "default", False)
    _hold_a_case(page)
    bad = {}
    for kind in PAGES:
        _open(page, site, kind)
        levels = page.evaluate("[...document.querySelectorAll('article h1, article h2, article h3, article h4')]"
                               ".filter(h => h.offsetParent !== null).map(h => +h.tagName[1])")
        jumps = [b for a, b in zip(levels, levels[1:]) if b > a + 1]
        headers = page.evaluate("[...document.querySelectorAll('article table th')].filter(t => !t.scope).length")
        if levels.count(1) != 1 or levels[0] != 1 or jumps or headers:
            bad[kind] = {"levels": levels, "unscoped th": headers}
    assert bad == {}
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    _open(page, site, "案例页")
    chain = page.locator("article ol.cb-chain")
    assert chain.get_attribute("aria-label") == "组织架构" and chain.locator("> li").count() >= 3
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('article')")
    ctx.close()
    assert inside, "after 跳到正文 the next Tab did not land in the page's text"


def _focus_ring(page) -> str:
    """The focused element's visible ring (outline or box-shadow), or '' when there is none."""
    # The palette's radio button is hidden; the label after it shows its focus.
    return page.evaluate("""() => { const a = document.activeElement;
        const e = a.matches('.md-option') ? a.nextElementSibling : a, s = getComputedStyle(e);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? s.outlineStyle + ' ' + s.outlineWidth : '';
        const shadow = s.boxShadow !== 'none' ? s.boxShadow : '';
        return a === document.body ? '' : (outline || shadow); }""")


def _tab_to(page, test: str, limit: int = 80, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element passes ``test``; each stop must show its ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        label = page.evaluate("(() => { const e = document.activeElement; return e.tagName + ' ' + (e.textContent || e.value || '').trim().slice(0, 20); })()")
        assert _focus_ring(page), f"no visible focus on {label}"
        if page.evaluate(f"(e => {test})(document.activeElement)"):
            return
    raise AssertionError(f"{test} not reached in {limit} presses of Tab")


def _wait_for_the_list_of(page, query: str, first: str) -> None:
    """Wait, as a reader does, until the list answers the whole query, with ``first`` on top: the list of
    an earlier query may still be on screen with the same record first. Each result links with ?h=…,
    the words it was found by."""
    page.wait_for_function(
        """([q, t]) => { const a = document.querySelector('.md-search-result__item a.md-search-result__link');
                         return !!a && a.querySelector('h1').textContent.includes(t)
                             && new URL(a.href).searchParams.get('h').replace(/ /g, '') === q; }""",
        arg=[query, first], timeout=10_000)


def test_keyboard_only_search_record_add_my_course_print(site, browser):
    """search → record → 加入我的课程 → 我的课程 → print, with Tab, Shift+Tab, Enter, Space and Escape only."""
    ctx, page = _context(browser, site, 1366, "default", False)
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    _open(page, site, "首页")
    _tab_to(page, "e.classList.contains('md-search__input')")
    page.keyboard.type("四级")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.keyboard.press("Escape")                       # Escape closes the results
    assert page.evaluate("!document.getElementById('__search').checked")
    _tab_to(page, "e.matches('[data-cb-large]')", back=True)   # the button before the search box
    _tab_to(page, "e.classList.contains('md-search__input')")
    page.keyboard.type("管理体系")                       # Tab selected the old query: the new one replaces it
    _wait_for_the_list_of(page, "管理体系", first="四级管理体系")
    page.keyboard.press("Enter")                        # Enter opens the best result
    page.wait_for_url(f"**/{RECORD}.html*")
    _tab_to(page, "e.matches('[data-cb-add]')")
    page.keyboard.press("Space")
    assert page.locator("[data-cb-add]").first.inner_text() == "已加入我的课程"
    _tab_to(page, "e.tagName === 'A' && e.href.endsWith('mycourse.html')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mycourse.html")
    page.wait_for_function(READY["我的课程"])
    assert RECORD in page.locator(".cb-mycourse-cases a").first.get_attribute("href")
    _tab_to(page, "e.matches('[data-cb-print=trainer]')")
    _tab_to(page, "e.matches('[data-cb-print=student]')", back=True)
    page.keyboard.press("Enter")
    page.wait_for_function("window.__printed === 1")
    assert "四级" in page.locator(".cb-mycourse-print").inner_text()
    assert page.errors == [] and browser.external == []
    ctx.close()


def test_enter_opens_the_best_result_when_the_focus_comes_back_to_the_box_at_once(site, browser):
    """On a busy page Escape, Shift+Tab and Tab back can fall inside the moment Material waits before it
    notices the focus leave: the result panel must open all the same, and Enter open the best result
    rather than reload the page with ?query=. A form that submits anyway asks the 检索 page."""
    ctx, page = _context(browser, site, 1366, "default", False)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("四级", delay=5)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.evaluate("""() => { const box = document.querySelector('.md-search__input');
        box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
        document.querySelector('[data-cb-large]').focus();
        box.focus(); box.select(); }""")
    page.wait_for_timeout(100)                          # longer than Material's wait
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("管理体系")
    _wait_for_the_list_of(page, "管理体系", first="四级管理体系")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{RECORD}.html*", timeout=10_000)
    page.go_back()
    page.wait_for_load_state("load")
    page.evaluate("""() => { const box = document.querySelector('.md-search__input');
        box.value = '没有这种说法的查询词'; box.form.requestSubmit(); }""")
    page.wait_for_url("**/search.html?q=*", timeout=10_000)
    assert parse_qs(urlparse(page.url).query)["q"] == ["没有这种说法的查询词"]
    assert page.errors == [] and browser.external == []
    ctx.close()


def test_enter_in_the_header_box_opens_the_best_result_beside_the_link_to_all(site, browser):
    """More results than the list shows: the result line links to the 检索 page for all of them, and
    Enter in the header box still opens the best (first) result, with no script error on the way."""
    import re

    from sitekit import search

    ctx, page = _context(browser, site, 1366, "default", False)
    titles = search(page, "社区干部太累")
    everything = page.locator(".md-search-result__meta .cb-search-notice a.cb-search-all")
    line = page.locator(".md-search-result__meta").inner_text()
    # one sentence with both numbers, not the theme's count of the list beside a second count
    total, shown = re.match(r"找到 (\d+) 条，这里列出最相关的 (\d+) 条。", line).groups()
    assert "符合条件" not in line
    # Chinese typography: no space after a full-width full stop, neither typed nor drawn as a margin
    assert "。 " not in line and "\u3000" not in line
    gap = page.evaluate("""() => {
        const box = document.querySelector('.md-search-result__meta .cb-search-notice');
        return parseFloat(getComputedStyle(box).marginLeft); }""")
    assert gap == 0
    assert everything.is_visible() and everything.inner_text() == f"在检索页查看全部 {total} 条"
    assert int(total) > int(shown) and titles
    best = page.locator(".md-search-result__link").first.evaluate("a => a.href.split(/[?#]/)[0]")
    page.locator("input.md-search__input").press("Enter")
    page.wait_for_url(lambda url: url.split("?")[0].split("#")[0] == best, timeout=10_000)
    assert page.locator("article h1").inner_text() == titles[0]
    assert page.errors == [] and browser.external == []
    ctx.close()
