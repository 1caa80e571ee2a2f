"""The readers' and trainers' journeys (issue 23), in Chromium at a phone's and a laptop's width.

Each list a reader shapes keeps its state in the page's address, so Back,
reload and a link sent to a colleague show the same list: from file:// (the
USB stick) and over http. Tables read on both widths and sort by number.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from build_tools.build import load_corpus
from sitekit import ROOT

WIDTHS = [390, 1366]


@pytest.fixture(scope="module")
def corpus():
    c, _ = load_corpus(ROOT / "cases")
    return c


@contextmanager
def opened(browser, width: int):
    """A page at ``width`` px whose script errors and outside requests fail the test."""
    ctx = browser.sized(width)
    page = ctx.new_page()
    yield page
    assert page.errors == [] and browser.external == []
    ctx.close()


def query(page) -> dict[str, str]:
    """The state in the page's address, as the page itself reads it."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def shown_ids(page, selector: str) -> list[str]:
    hrefs = page.locator(selector).evaluate_all("els => els.map(e => e.href)")
    return [h.split("?")[0].split("/")[-1][:-5] for h in hrefs]


# ------------------------------------------------------------ 全部案例

@pytest.mark.parametrize("width", WIDTHS)
def test_all_cases_filters_come_back_after_back_reload_and_a_shared_link(built_site, browser, corpus, width):
    reg = corpus.registry
    within = lambda r: {s for x in (r.place, r.unit) if x for s in [x, *reg.ancestors(x)]}  # noqa: E731
    want = sorted(r.id for r in corpus.records.values() if "wuxi" in within(r) and "hongse-wuye" in r.tags)
    assert 2 < len(want) < len(corpus.records)
    visible = "ol.cb-cases > li:not([hidden]) > a"
    with opened(browser, width) as page:
        # a link a colleague sent: the list is filtered as soon as it opens
        page.goto((built_site / "cases/index.html").as_uri() + "?place=wuxi&tag=hongse-wuye")
        assert sorted(shown_ids(page, visible)) == want
        assert page.locator("select[name=place]").input_value() == "wuxi"
        # the reader narrows it further and sorts by name: the address follows
        page.select_option("form[data-cb-cases] select[name=sort]", "title")
        assert query(page) == {"place": "wuxi", "tag": "hongse-wuye", "sort": "title"}
        before = shown_ids(page, visible)
        page.locator(visible).first.click()
        page.wait_for_load_state("load")
        assert "/cases/" in page.url and "index.html" not in page.url
        page.go_back()
        page.wait_for_load_state("load")
        assert shown_ids(page, visible) == before
        page.reload()
        assert shown_ids(page, visible) == before
        assert page.locator(".cb-cases-count").inner_text() == f"显示 {len(want)} / {len(corpus.records)} 条"


# ------------------------------------------------------------ 数据一览

def _value_from_text(value: str, unit: str) -> float:
    """What a reader reads in the 数值 and 单位 cells, as a number: 近 3,500 → 3500, 10—30 → 10, 2.7 万余名 → 27000, 1:18 → 1/18."""
    value = value.replace(",", "")
    if ":" in value:
        left, right = (float(re.search(r"[\d.]+", x).group()) for x in value.split(":"))
        return left / right
    n = float(re.search(r"\d+(\.\d+)?", value).group())
    return n * {"万": 1e4, "亿": 1e8}.get(unit[:1], 1)


@pytest.mark.parametrize("width", WIDTHS)
def test_figures_sort_by_number_keep_their_state_and_numbers_never_break(built_site, browser, corpus, width):
    total = sum(len(r.metrics) for r in corpus.records.values())
    with opened(browser, width) as page:
        page.goto((built_site / "figures.html").as_uri())
        head = page.locator("#cb-figures thead th", has_text="数值")
        if width > 800:
            # a laptop: the table has the page's width, the empty right column is gone
            assert page.locator(".md-sidebar--secondary").is_hidden()
            assert page.locator("#cb-figures table").evaluate("e => e.getBoundingClientRect().width") > 0.65 * width
            head.click()
        else:
            # a phone: the header row is hidden by the cards, a choice above the table sorts
            assert head.is_hidden()
            page.select_option("select.cb-sort-choice", label="数值：从小到大")
        assert head.get_attribute("aria-sort") == "ascending"
        rows = page.locator("#cb-figures tbody tr").evaluate_all(
            "rs => rs.map(r => [r.cells[3].textContent.trim(), r.cells[4].textContent.trim()])")
        values = [_value_from_text(v, u) for v, u in rows]
        assert len(values) == total and values == sorted(values)
        assert any("—" in v for v, _ in rows) and any(u.startswith("万") for _, u in rows)
        # no number is broken over two lines, and digits line up
        cells = page.locator("#cb-figures td.cb-num")
        broken = cells.evaluate_all("cs => cs.filter(c => { const r = document.createRange(); r.selectNodeContents(c);"
                                    " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })"
                                    ".map(c => c.textContent)")
        assert broken == []
        assert "tabular-nums" in cells.first.evaluate("c => getComputedStyle(c).fontVariantNumeric")
        # largest first, filtered: the address keeps both; reload and Back bring them back
        if width > 800:
            head.click()
        else:
            page.select_option("select.cb-sort-choice", label="数值：从大到小")
        page.fill("input[data-cb-filter]", "无锡")
        assert query(page) == {"sort": "value", "dir": "desc", "filter": "无锡"}
        first = page.locator("#cb-figures tbody tr:not([hidden])").first.inner_text()
        shown = page.locator("#cb-figures tbody tr:not([hidden])").count()
        assert 0 < shown < total
        page.reload()
        assert head.get_attribute("aria-sort") == "descending"
        assert page.locator("input[data-cb-filter]").input_value() == "无锡"
        assert page.locator("#cb-figures tbody tr:not([hidden])").count() == shown
        assert page.locator("#cb-figures tbody tr:not([hidden])").first.inner_text() == first
        page.locator("#cb-figures tbody tr:not([hidden]) td:nth-child(2) a").first.click()
        page.wait_for_load_state("load")
        page.go_back()
        page.wait_for_load_state("load")
        assert page.locator("#cb-figures tbody tr:not([hidden])").first.inner_text() == first


def test_figures_without_a_number_sort_last_both_ways(built_site, browser):
    with opened(browser, 1366) as page:
        page.goto((built_site / "figures.html").as_uri())
        # a row whose number is missing (none ships today; an editor's draft could have one)
        page.evaluate("() => { const b = document.querySelector('#cb-figures tbody'), r = b.rows[5].cloneNode(true);"
                      " r.cells[3].textContent = '—'; r.cells[3].setAttribute('data-cb-value', ''); r.id = 'cb-none';"
                      " b.insertBefore(r, b.firstChild); }")
        head = page.locator("#cb-figures thead th", has_text="数值")
        for direction in ("ascending", "descending"):
            head.click()
            assert head.get_attribute("aria-sort") == direction
            assert page.locator("#cb-figures tbody tr").last.get_attribute("id") == "cb-none"


# ------------------------------------------------------------ 检索

def _status(page) -> str:
    page.wait_for_function("() => /找到|没有/.test(document.querySelector('.cb-search-status').textContent)",
                           timeout=5_000)
    return page.locator(".cb-search-status").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_answers_a_query_in_its_address_and_agrees_with_the_header_box(built_site, browser, width):
    q = "社区干部太累"
    with opened(browser, width) as page:
        # opened from file:// with ?q=: the page answers (no endless 检索中…), the theme's box stays shut
        page.goto((built_site / "search.html").as_uri() + "?q=" + quote(q))
        status = _status(page)
        total = int(re.search(r"找到 (\d+) 条", status).group(1))
        assert page.locator(".cb-search-results li").count() == min(total, 50)
        assert page.locator("input[data-md-toggle=search]").is_checked() is False
        assert page.locator("form[data-cb-search] input[name=q]").input_value() == q
        assert query(page) == {"q": q}
        # the header box finds as many, and sends the reader to this page for all of them
        if width < 800:
            page.locator("label[for=__search]").first.click()
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(q, delay=5)
        note = page.locator(".md-search-result__meta .cb-search-notice")
        note.wait_for()
        assert page.locator(".md-search-result__meta").inner_text().startswith(f"找到 {total} 条，这里列出最相关的 ")
        note.locator("a.cb-search-all").click()
        page.wait_for_load_state("load")
        assert query(page) == {"q": q} and f"找到 {total} 条" in _status(page)
        # narrowed to one place, a case opened, then Back: the same query, place and list
        page.select_option("form[data-cb-search] select[name=place]", "wuxi")
        page.wait_for_function("() => /place=wuxi/.test(location.search)")
        status = _status(page)
        listed = shown_ids(page, ".cb-search-results li > a")
        assert listed
        page.locator(".cb-search-results li > a").first.click()
        page.wait_for_load_state("load")
        page.go_back()
        page.wait_for_load_state("load")
        assert _status(page) == status and shown_ids(page, ".cb-search-results li > a") == listed
        assert page.locator("form[data-cb-search] select[name=place]").input_value() == "wuxi"


# ------------------------------------------------------------ 对比

@pytest.mark.parametrize("width", WIDTHS)
def test_cases_ticked_for_comparison_stay_ticked_after_back(built_site, browser, width):
    with opened(browser, width) as page:
        page.goto((built_site / "tags/xinjiuye-qunti.html").as_uri())
        boxes = page.locator(".cb-pick input.cb-pick-box")
        boxes.nth(0).check()
        boxes.nth(2).check()
        ids = [boxes.nth(i).get_attribute("value") for i in (0, 2)]
        assert query(page) == {"pick": ",".join(ids)}
        page.locator(".cb-pick a[href*='.html']:not([href*='places/'])").first.click()
        page.wait_for_load_state("load")
        page.go_back()
        page.wait_for_load_state("load")
        ticked = page.locator(".cb-pick input.cb-pick-box:checked").evaluate_all("cs => cs.map(c => c.value)")
        assert ticked == ids
        page.locator(".cb-pick-bar button").click()
        page.wait_for_selector(".cb-cmp-row")
        assert query(page) == {"ids": ",".join(ids)}
        page.reload()
        page.wait_for_selector(".cb-cmp-row")
        assert shown_ids(page, ".cb-cmp-row a") == ids


# ------------------------------------------------------------ over http as well

@pytest.fixture(scope="module")
def served(built_site):
    """The built site served over http on a free local port."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_same_state_comes_back_over_http(browser, served, corpus):
    ctx = browser.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    outside: list[str] = []
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served)
              else (outside.append(route.request.url), route.abort()))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served + "cases/index.html?level=" + quote("县级"))
    visible = "ol.cb-cases > li:not([hidden]) > a"
    assert len(shown_ids(page, visible)) == sum(1 for r in corpus.records.values() if r.level == "县级")
    page.select_option("form[data-cb-cases] select[name=place]", "wuxi")
    listed = shown_ids(page, visible)
    page.locator(visible).first.click()
    page.wait_for_load_state("load")
    page.go_back()
    page.wait_for_load_state("load")
    assert shown_ids(page, visible) == listed and query(page) == {"level": "县级", "place": "wuxi"}
    page.goto(served + "search.html?q=" + quote("网格") + "&tag=wangge-zhili")
    status = _status(page)
    assert "找到" in status and page.locator("select[name=tag]").input_value() == "wangge-zhili"
    assert errors == [] and outside == []
    ctx.close()


# ------------------------------------------------------------ Chinese everywhere a reader looks

# Latin words a Chinese reader meets on purpose, each for a reason:
LATIN_ALLOWED = {
    # files and formats a reader opens, saves or is told to double-click
    "index.html", "Word", "Excel", "WPS", "wps", "CSV", "xlsx", "docx", "doc", "dotx", "zip", "PDF", "HTML", "YAML",
    "UTF-", "GBK",
    # programs and keys by their own names
    "LibreOffice", "Windows", "VS Code", "Ctrl", "Material", "Zensical", "MkDocs", "Whoosh", "Chromium", "jieba",
    "Tab", "Shift", "Enter", "Esc",  # keys as printed on the keyboard (readers' guide: using the site by keyboard)
    "courses",  # the project folder of course files, named where 我的课程 reads one back
    # words of the source articles themselves (AB岗, 手机 APP)
    "AB", "APP",
    # the editors' guide: field names and values editors type, and the search measures it reports
    "id", "slug", "stub", "partial", "complete", "figures", "records", "hit", "MRR", "BM",
    "True", "False",  # the values of 是否成效 in a machine export (casebook export --ids)
}
LATIN_RUN = r"[A-Za-z]{2,}(?:[ .'-]*[A-Za-z]+)*[.-]?"


def latin_ui_strings(site: Path) -> dict[str, str]:
    """Latin-letter words in what readers see (text, tab titles, tooltips, aria-labels, placeholders,
    alt texts) outside code, scripts and styles: {word: first page}."""
    from lxml import html

    found: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        if "downloads" in path.parts:  # course packs: tests/test_course.py reads them
            continue
        doc = html.fromstring(path.read_bytes())
        for node in doc.xpath("//script | //style | //code | //pre | //kbd | //svg"):
            node.drop_tree()
        texts = doc.xpath("//text() | //@title | //@aria-label | //@placeholder | //@alt")
        for text in texts:
            for word in re.findall(LATIN_RUN, str(text)):
                if word not in LATIN_ALLOWED:
                    found.setdefault(word, str(path.relative_to(site)))
    return found


def test_no_english_or_pinyin_left_for_readers(built_site):
    assert latin_ui_strings(built_site) == {}
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in page


def test_course_pages_are_named_in_chinese_in_the_browser_tab(built_site, browser):
    page = browser.open(built_site / "courses/xinjiuye-qunti.html")
    title = page.title()
    assert title.startswith(page.locator("article h1").first.inner_text().strip()) and not re.search("[A-Za-z]", title)
    page.close()
