"""The built site opened from file:// in Chromium with the network blocked."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from build_tools.build import BuildError, build_site
from sitekit import ARTIFACTS, ROOT, OfflineBrowser, internal_links, make_project, require_chromium, search


@pytest.fixture(scope="session")
def site(built_site) -> Path:
    return built_site


PAGES = ["index.html", "places/wuxi.html", "tags/hongse-wuye.html", "figures.html",
         "cases/hongse-wuye-1-3-n.html", "cases/5150-qingmiao-jihua.html", "cases/jiangyin-siji-dangjian-wangge.html",
         "places/index.html", "tags/index.html", "guide/cadres.html", "courses/index.html",
         "courses/hongse-wuye-xiaoqu-zhili.html", "guide/trainers.html", "guide/editors.html"]


@pytest.mark.parametrize("rel", PAGES)
def test_page_offline_without_errors_and_links_resolve(site, browser, rel):
    page = browser.open(site / rel)
    assert page.locator("h1").first.inner_text().strip()
    links = internal_links(page, site)
    assert links, f"{rel} has no internal links"
    broken = [href for href, target in links if not target.exists()]
    assert broken == [], f"broken links on {rel}: {broken[:5]}"
    assert page.errors == [], page.errors
    assert browser.external == [], f"requests left the machine: {browser.external[:5]}"
    page.close()


def test_record_page_shows_tags_figures_and_links_both_ways(site, browser):
    page = browser.open(site / "cases/hongse-wuye-1-3-n.html")
    text = page.locator("article").inner_text()
    assert "红色物业" in page.locator("a[href*='tags/hongse-wuye']").first.inner_text()
    table = page.locator("table", has_text="证据原文").first
    assert "18" in table.inner_text() and "打造党建引领物业管理服务工作省级示范点18个" in table.inner_text()
    assert "相关案例" in text
    # a link written on another record shows here too, and ours shows there: read from the
    # records themselves, and from the 相关案例 table only (the computed list below it links records too)
    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    outgoing = {r.id for r in corpus.records["hongse-wuye-1-3-n"].related}
    incoming = {o.id for o in corpus.records.values() if "hongse-wuye-1-3-n" in {r.id for r in o.related}}
    assert outgoing and incoming
    related = "xpath=//article//h2[contains(., '相关案例')]/following::table[1]//a"
    linked = lambda p: {h.split("/")[-1][:-5] for h in p.locator(related).evaluate_all("els => els.map(e => e.href)")}
    assert linked(page) == outgoing | incoming
    for rid in sorted(outgoing | incoming):
        other = browser.open(site / f"cases/{rid}.html")
        assert "hongse-wuye-1-3-n" in linked(other), rid
        other.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "record.png"), full_page=True)
    page.close()


def test_home_matrix_and_screenshot(site, browser):
    page = browser.open(site / "index.html")
    matrix = page.locator("table").first
    assert "无锡市" in matrix.inner_text() and "常州市" in matrix.inner_text()
    cells = matrix.locator("td a[href*='place=']").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), e.textContent.trim()])")
    assert len(cells) > 30
    # each number opens 全部案例 filtered to that place and tag (every cell: tests/test_diagrams.py)
    page.locator("td a[href*='place=']").first.click()  # in the browser, the first one
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelector('.cb-cases-count').textContent.trim() !== ''")
    listed = page.locator("ol.cb-cases > li:visible")
    assert listed.count() == int(cells[0][1]) and listed.first.is_visible()
    page.goto((site / "index.html").as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    page.close()


def test_figures_page_filters_and_sorts_offline(site, browser):
    page = browser.open(site / "figures.html")
    rows = page.locator("#cb-figures tbody tr")
    total = rows.count()
    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    assert total == sum(len(r.metrics) for r in corpus.records.values())  # every figure of every record
    page.fill("input[data-cb-filter]", "网格")
    visible = page.locator("#cb-figures tbody tr:not([hidden])").count()
    assert 0 < visible < total
    assert f"{visible} / {total}" in page.locator(".cb-filter__count").inner_text()
    # the rows left are those that say 网格 (in a cell, or in their case's tags), and only those
    says = page.locator("#cb-figures tbody tr").evaluate_all(
        "rs => rs.map(r => [!r.hidden, (r.textContent + ' ' + r.dataset.cbSearch).includes('网格')])")
    assert [shown for shown, _ in says] == [word for _, word in says]
    page.fill("input[data-cb-filter]", "")
    value_header = page.locator("#cb-figures thead th", has_text="数值")
    value_header.click()
    value_header.click()
    assert page.locator("#cb-figures thead th[aria-sort=descending]").count() == 1
    page.close()


@pytest.mark.parametrize("query,expected", [
    ("快递小哥", "兼职网格员"),  # 建湖: 为80余名快递小哥、外卖配送员颁发“兼职网格员”聘书
    ("红色物业", "红色物业"),
    ("5150青苗计划", "5150青苗计划"),
    ("三岗十八级", "三岗十八级"),
])
def test_search_box_finds_record_from_chinese_without_spaces(site, browser, query, expected):
    page = browser.open(site / "index.html")
    titles = search(page, query)
    assert any(expected in t for t in titles[:5]), titles[:5]
    assert browser.external == []
    assert page.errors == []
    page.close()


def test_search_works_from_a_record_page_in_a_subfolder(site, browser):
    page = browser.open(site / "cases/hongse-wuye-1-3-n.html")
    titles = search(page, "党员中心户")
    assert any("党员中心户" in t for t in titles[:5]), titles[:5]
    _open_first_result(page, titles[0], site)
    page.close()


def _open_first_result(page, title: str, site: Path) -> None:
    """Click the first result: the page that opens is the record it names, inside ``site``."""
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    path = Path(page.url[7:].split("#")[0].split("?")[0])
    assert page.url.startswith("file://") and path.exists() and path.parent == site / "cases", page.url
    assert page.locator("article h1").inner_text().strip() == title.strip()


XSS = {
    "id": "xss-probe", "title": "带<script>的标题", "aliases": ["<b>粗体</b>"], "place": "wuxi", "level": "市级",
    "summary": "摘要里有<script>window.__pwned=1</script>和<img src=x onerror=window.__pwned=2>，应原样显示。",
    "background": "[链接](javascript:alert(1)) *星号* `代码`", "practices": ["<iframe src=evil></iframe>做法"],
    "outcomes": ["成效"], "tags": ["hongse-wuye"], "sources": [{"source": "wuxi", "section": "<i>节</i>"}],
    "metrics": [{"label": "<u>数</u>", "value": 18, "unit": "个", "kind": "count", "evidence": "示范点18个<script>"}],
    "structure": ["<b>一</b>", "二"], "lessons": ["启示"], "teaching": {"questions": ["问一<script>？", "问二？"],
                                                                      "key_points": ["要点"]},
    "status": "complete",
}


def test_script_in_a_record_shows_as_text_and_never_runs(tmp_path, browser):
    project = make_project(tmp_path / "proj", {"wuxi/xss-probe.yml": XSS})
    site = build_site(project, project / "site")
    page = browser.open(site / "cases/xss-probe.html")
    assert page.evaluate("window.__pwned") is None
    body = page.locator("article").inner_text()
    assert "<script>window.__pwned=1</script>" in body
    assert "<iframe src=evil></iframe>做法" in body
    assert page.locator("article script, article iframe, article img[src=x]").count() == 0
    assert page.locator("article a[href^='javascript']").count() == 0
    titles = search(page, "摘要")
    assert page.evaluate("window.__pwned") is None
    page.close()


def test_failed_build_keeps_previous_site(tmp_path):
    project = make_project(tmp_path / "proj", {"wuxi/ok.yml": {**XSS, "id": "ok"}})
    site = build_site(project, project / "site")
    marker = (site / "cases" / "ok.html").read_bytes()
    (project / "cases" / "wuxi" / "bad.yml").write_text("id: bad\ntitle: 坏\nplace: nowhere\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_site(project, project / "site")
    assert "unknown-place" in str(err.value) and "bad.yml" in str(err.value)
    assert (site / "cases" / "ok.html").read_bytes() == marker


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_two_builds_are_byte_identical(site, builder, tmp_path):
    again = build_site(ROOT, tmp_path / "site", builder=builder)
    assert _digest(again) == _digest(site)


def test_site_stays_small_and_navigation_does_not_list_every_record(site):
    import re

    html = (site / "cases" / "hongse-wuye-1-3-n.html").read_text(encoding="utf-8")
    start = html.find('<nav class="md-nav md-nav--primary')
    assert start > 0, "no primary navigation on the record page"
    nav = html[start:html.index("md-sidebar--secondary", start)]
    # links resolved as the browser does: from cases/, a record is "x.html", not "cases/x.html"
    targets = {(site / "cases" / h).resolve() for h in re.findall(r'href="([^"#]+)', nav)}
    assert (site / "problems.html").resolve() in targets and (site / "cases" / "index.html").resolve() in targets
    records = [t for t in targets if t.parent == (site / "cases").resolve() and t.name != "index.html"]
    assert len(records) < 10, sorted(t.name for t in records)
    assert len(html.encode()) < 120_000
    for p in site.rglob("*.html"):
        text = p.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "unpkg.com" not in text, p


def test_dist_zip_has_ascii_names_and_instructions_first(site, tmp_path, browser):
    import zipfile

    from build_tools.dist import make_dist

    out = make_dist(site, tmp_path / "dist" / "casebook-site.zip")
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert names[0] == "casebook-site/README.txt"
        assert "使用说明" in z.read(names[0]).decode("utf-8-sig")
        assert all(n.isascii() for n in names)
        assert "casebook-site/index.html" in names
        z.extractall(tmp_path / "usb")
    page = browser.open(tmp_path / "usb" / "casebook-site" / "index.html")
    titles = search(page, "红色物业")
    assert any("红色物业" in t for t in titles[:3]), titles[:5]
    _open_first_result(page, titles[0], tmp_path / "usb" / "casebook-site")  # the case pages came along
    assert browser.external == [] and page.errors == []
    page.close()


def test_record_prints_cleanly_on_a4(site, browser):
    page = browser.open(site / "cases/jiangyin-siji-dangjian-wangge.html")
    page.emulate_media(media="print")
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".md-sidebar--primary").evaluate("e => getComputedStyle(e).display") == "none"
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 6, pages
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "record-print.pdf").write_bytes(pdf)
    page.close()


def test_search_page_with_place_and_tag_choices_offline(site, browser):
    page = browser.open(site / "search.html")
    page.fill("form[data-cb-search] input[name=q]", "网格")
    page.select_option("form[data-cb-search] select[name=place]", "changzhou")
    page.click("form[data-cb-search] button[type=submit]")
    page.wait_for_function("() => /找到|没有/.test(document.querySelector('.cb-search-status').textContent)")
    places = page.locator(".cb-search-results .cb-sr-place").all_inner_texts()
    assert places and all(p.startswith("常州市") for p in places), places
    page.select_option("form[data-cb-search] select[name=place]", "")
    page.fill("form[data-cb-search] input[name=q]", "")
    page.select_option("form[data-cb-search] select[name=tag]", "xinjiuye-qunti")
    page.wait_for_function("() => /找到/.test(document.querySelector('.cb-search-status').textContent)")
    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    links = page.locator(".cb-search-results a")
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    # no words, one practice: every case with that tag, and no other
    assert sorted(h.split("?")[0].split("/")[-1][:-5] for h in hrefs) == \
        sorted(r.id for r in corpus.records.values() if "xinjiuye-qunti" in r.tags)
    href = hrefs[0]
    assert href.startswith("file://") and Path(href[7:].split("?")[0]).exists()
    assert page.errors == [] and browser.external == []
    page.close()


# ------------------------------------------------------------ provenance on the page

MEMO_WORDING = ("文章称", "文章未", "归属待核", "图片说明所记", "据文章")


def _prose(html_text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html_text)


def test_built_pages_have_no_research_memo_wording_and_a_chinese_footer(site):
    offenders = {}
    for path in site.rglob("*.html"):
        text = _prose(path.read_text(encoding="utf-8"))
        found = [w for w in MEMO_WORDING if w in text]
        if found:
            offenders[str(path.relative_to(site))] = found
    assert offenders == {}
    record = (site / "cases/binhu-kaimen-yijianshi.html").read_text(encoding="utf-8")
    assert "记录编号" not in record
    assert [p.name for p in site.rglob("*.html") if "Made with" in p.read_text(encoding="utf-8")] == []
    assert "可离线使用" in record


def test_footnote_shows_the_verbatim_clause_on_tap_at_phone_width(site, browser):
    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    rec = corpus.records["binhu-kaimen-yijianshi"]
    clause = rec.practices[0].evidence[0]
    ctx = browser.sized(390, 844, touch=True)
    page = ctx.new_page()
    page.goto((site / "cases/binhu-kaimen-yijianshi.html").as_uri())
    ref = page.locator("h2:has-text('主要做法') + ol a.footnote-ref").first
    assert not page.get_by_text(clause).first.is_visible() or not _in_view(page, page.get_by_text(clause).first)
    ref.tap()
    page.wait_for_timeout(400)
    shown = [el for el in page.get_by_text(clause).all() if el.is_visible() and _in_view(page, el)]
    assert shown, "tapping the note marker did not show its clause"
    assert "滨湖区" in shown[0].inner_text()  # with the article it comes from
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "record-footnote-phone.png"))
    ctx.close()
    assert browser.external == []


def _in_view(page, el) -> bool:
    box = el.bounding_box()
    vh = page.viewport_size["height"]
    return bool(box) and box["y"] < vh and box["y"] + box["height"] > 0


def test_printed_record_lists_the_clauses_as_footnotes(site, browser):
    import subprocess

    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    rec = corpus.records["binhu-kaimen-yijianshi"]
    claims = [c for c in (*rec.background, *rec.practices, *rec.outcomes) if c.evidence]
    page = browser.open(site / "cases/binhu-kaimen-yijianshi.html")
    page.emulate_media(media="print")
    notes = page.locator(".footnote li")
    assert notes.count() == len(claims) + len(rec.metrics) == 4  # one note per fact and per figure
    assert notes.first.is_visible()
    assert "推动新一届社区“两委”班子结合“我为群众办实事”承办“开门一件事”" in notes.first.inner_text()
    pdf = page.pdf(format="A4")
    page.close()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    printed = "".join(text.split())  # lines wrap anywhere in Chinese
    quoted = [q for c in claims for q in c.evidence] + [mt.evidence for mt in rec.metrics]
    missing = [q for q in quoted if "".join(q.split()) not in printed]
    assert missing == [], "clauses not on the printed page"


def test_analysis_is_labelled_and_kept_apart_from_facts(site):
    html_text = (site / "cases/binhu-kaimen-yijianshi.html").read_text(encoding="utf-8")
    body = _prose(html_text)
    assert body.index("主要做法") < body.index("编者分析") < body.index("以下是编者的分析和归纳")
    # facts carry note markers; the analysis does not
    analysis = html_text[html_text.index('id="analysis"'):html_text.index('id="questions"')]
    assert "footnote-ref" not in analysis
    practices = html_text[html_text.index('id="practices"'):html_text.index('id="analysis"')]
    assert practices.count("footnote-ref") >= 3


def test_problems_are_labelled_as_the_editors_wording(site):
    """适用情形 is our wording of a cadre's problem, not the article's: the page says so before the items."""
    html_text = (site / "cases/wuxi-hesuan-xiaowu-bianmin-zhan.html").read_text(encoding="utf-8")
    problems = html_text[html_text.index('id="problems"'):html_text.index('id="practices"')]
    body = _prose(problems)
    assert body.index("以下是编者用基层干部常说的话归纳的问题，不是报道原文的内容") < body.index("核酸小屋空着没人用")
    assert "footnote-ref" not in problems


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_common_problems_page_offline_at_phone_and_desktop(site, browser, width, height):
    ctx = browser.sized(width, height)
    page = ctx.new_page()
    errors = page.errors
    page.goto((site / "problems.html").as_uri())
    items = page.locator("article li")
    assert 30 <= items.count() <= 60
    # every problem links to at least one case, and every link resolves
    for i in range(items.count()):
        assert items.nth(i).locator("a[href*='cases/']").count() >= 1, items.nth(i).inner_text()
    broken = [t for _, t in internal_links(page, site) if not t.exists()]
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    home = (site / "index.html").read_text(encoding="utf-8")
    # reachable from the home page's own text and from the top navigation, each on its own
    tabs, body = home[home.index('<nav class="md-tabs"'):home.index("</nav>", home.index('<nav class="md-tabs"'))], \
        home[home.index("<article"):home.index("</article>")]
    link = re.compile(r'href="(\./)?problems\.html"')  # Zensical writes the tabs' links as ./page.html
    assert link.search(body) and link.search(tabs)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"problems-{width}.png"), full_page=False)
    assert errors == [] and browser.external == []
    ctx.close()


def test_place_pages_list_each_case_once_and_the_communities_records_describe(site):
    import re

    from build_tools.build import load_corpus

    def article(rel: str) -> str:  # the page's own content: the tabs and sidebar link ../cases/ too
        html = (site / rel).read_text(encoding="utf-8")
        return html[html.index("<article"):html.index("</article>")]

    def section(body: str, heading: str) -> tuple[str, str]:
        """(heading text, the HTML up to the next h2) of the h2 starting with ``heading``."""
        m = re.search(r"<h2[^>]*>(" + heading + r"[^<]*)</h2>(.*?)(?=<h2|$)", body, re.S)
        assert m, f"no “{heading}” section"
        return m.group(1), m.group(2)

    corpus, _ = load_corpus(ROOT / "cases")
    filed = {r.id for r in corpus.records.values() if r.place == "binhu" or (r.unit or "").startswith("binhu-")}
    head, cases = section(article("places/binhu.html"), "案例")
    listed = re.findall(r'<li><a href="\.\./cases/([a-z0-9-]+)\.html"', cases)
    # every case filed under 滨湖区 or one of its communities, each once, and the heading counts them
    assert sorted(listed) == sorted(filed) and len(listed) == len(set(listed)), "a case is listed more than once"
    assert head == f"案例（{len(filed)} 条）"
    # communities with no case of their own list the cases whose text describes them
    described = {"binhu-meihu": "binhu-hongse-juzhen", "binhu-guzhu": "binhu-hongse-juzhen",
                 "binhu-hujing": "binhu-hongse-juzhen", "binhu-xiyuan": "binhu-hongse-juzhen",
                 "binhu-rongxiang": "binhu-shifandian-bentu-jingyan", "binhu-beiqiao": "binhu-mulin-wenhua"}
    for slug, rid in described.items():
        body = article(f"places/{slug}.html")
        assert "本地点暂无案例记录" not in body, slug
        head, named = section(body, "写到本地的案例")
        assert re.findall(r'href="\.\./cases/([a-z0-9-]+)\.html"', named) == [rid], slug
        assert head == "写到本地的案例（1 条）", slug


def test_building_again_reuses_unchanged_pages_and_shows_every_edit(tmp_path):
    import os
    import shutil

    import yaml

    project = tmp_path / "proj"
    for name in ("content", "overrides", "cases", "courses"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    path = project / "cases" / "binhu" / "binhu-kaimen-yijianshi.yml"
    extra = yaml.safe_load(path.read_text(encoding="utf-8"))
    extra.update(id="binhu-linshi-jilu", title="临时记录", related=[])
    (project / "cases" / "binhu" / "binhu-linshi-jilu.yml").write_text(
        yaml.safe_dump(extra, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = build_site(project, project / "site")
    assert (site / "cases/binhu-linshi-jilu.html").exists()
    for html in site.rglob("*.html"):  # mark every page, keeping its time: a rebuilt page loses the mark
        st = html.stat()
        html.write_text(html.read_text(encoding="utf-8") + "<!-- reused -->", encoding="utf-8")
        os.utime(html, ns=(st.st_atime_ns, st.st_mtime_ns))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = "改过的标题：开门一件事"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (project / "cases" / "binhu" / "binhu-linshi-jilu.yml").unlink()
    site = build_site(project, project / "site")
    assert "改过的标题：开门一件事" in (site / "cases/binhu-kaimen-yijianshi.html").read_text(encoding="utf-8")
    assert "改过的标题：开门一件事" in (site / "tags/minsheng-shishi.html").read_text(encoding="utf-8")
    assert not (site / "cases/binhu-linshi-jilu.html").exists()
    pages = list(site.rglob("*.html"))
    rebuilt = {str(p.relative_to(site)) for p in pages if "<!-- reused -->" not in p.read_text(encoding="utf-8")}
    assert "cases/binhu-kaimen-yijianshi.html" in rebuilt
    assert len(rebuilt) < len(pages) / 4, sorted(rebuilt)  # the rest were reused


def test_built_pages_have_no_half_width_space_after_chinese_punctuation(site):
    import re

    from build_tools.load import STRAY_SPACE

    offenders = {}
    for path in site.rglob("*.html"):
        html_text = path.read_text(encoding="utf-8")
        body = html_text[html_text.find("<article"):html_text.find("</article>")]
        text = re.sub(r"\s*<[^>]+>\s*", "", body)  # words split by tags join up; layout spaces go
        found = STRAY_SPACE.findall(text)
        if found:
            offenders[str(path.relative_to(site))] = len(found)
    assert offenders == {}


def test_404_page_works_from_a_usb_stick_and_the_footer_is_chinese(site, browser):
    page = browser.open(site / "404.html")
    # Material's stylesheet loaded (relative paths): the header is laid out, not an unstyled list
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    assert page.errors == [] and browser.external == []
    footer = page.locator(".md-copyright").inner_text()
    assert "可离线使用" in footer and "构建于" in footer and "Made with" not in footer
    page.close()


def test_tag_comparison_says_what_each_place_did_with_full_place_names(site, browser):
    page = browser.open(site / "tags/xinjiuye-qunti.html")
    table = page.locator("table").first
    assert table.locator("th").all_inner_texts() == ["地点", "案例", "做法要点", "主要数字", "实施层级"]
    places = table.locator("tbody tr td:first-child").all_inner_texts()
    assert "盐城市建湖县近湖街道" in places
    gists = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert all(g.strip() and g.strip() != "—" for g in gists)
    page.close()


def test_all_cases_page_filters_and_sorts_offline(site, browser):
    from build_tools.build import load_corpus

    corpus, _ = load_corpus(ROOT / "cases")
    page = browser.open(site / "cases/index.html")
    visible = lambda: page.locator("ol.cb-cases > li:not([hidden])")
    assert visible().count() == len(corpus.records) == 125
    assert page.locator("ol.cb-cases > li").first.inner_text().count("\n") >= 1  # title line, then the summary
    page.select_option("form[data-cb-cases] select[name=place]", "changzhou")
    assert visible().count() == len(corpus.records_in("changzhou"))
    page.select_option("form[data-cb-cases] select[name=tag]", "hongse-wuye")
    want = {r.id for r in corpus.records_in("changzhou") if "hongse-wuye" in r.tags}
    got = {a.split("/")[-1][:-5] for a in visible().locator("a").evaluate_all("els => els.map(e => e.href)")}
    assert got == want
    page.select_option("form[data-cb-cases] select[name=place]", "")
    page.select_option("form[data-cb-cases] select[name=tag]", "")
    page.select_option("form[data-cb-cases] select[name=level]", "县级")
    assert visible().count() == sum(1 for r in corpus.records.values() if r.level == "县级")
    page.select_option("form[data-cb-cases] select[name=sort]", "title")
    titles = visible().locator("a").all_inner_texts()
    in_order = page.evaluate("ts => [...ts].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))", titles)
    assert len(titles) > 5 and titles == in_order
    assert "显示" in page.locator(".cb-cases-count").inner_text()
    broken = [t for _, t in internal_links(page, site) if not t.exists()]
    assert broken == [] and page.errors == [] and browser.external == []
    page.close()


def test_figures_filter_by_tag_and_downloads(site, browser, tmp_path):
    import csv
    import io

    import openpyxl

    page = browser.open(site / "figures.html")
    total = page.locator("#cb-figures tbody tr").count()
    assert total > 100  # every figure of the shipped records (the count moves as records are edited)
    page.fill("input[data-cb-filter]", "减负")  # a tag name: no figure's own text says 减负
    assert 0 < page.locator("#cb-figures tbody tr:not([hidden])").count() < total
    page.fill("input[data-cb-filter]", "")
    # sorting by number: tests/test_journeys.py
    with page.expect_download() as dl:
        page.locator("a[href='downloads/figures.xlsx']").click()
    dl.value.save_as(tmp_path / "figures.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "figures.xlsx")
    ws = wb["数字"]
    assert ws.max_row == total + 1 and ws["A1"].value == "案例" and ws["N1"].value == "证据原文"
    assert all(ws.cell(row=r, column=14).value for r in range(2, total + 2))  # every figure with its evidence
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:U{total + 1}"  # header in view, filter buttons
    assert ws["B2"].value and not re.search(r"[a-z]", ws["B2"].value)  # 地点 by name, its id at the end
    with page.expect_download() as dl:
        page.locator("a[href='downloads/figures.csv']").click()
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    assert len(list(csv.reader(io.StringIO(text)))) == total + 1
    assert page.errors == [] and browser.external == []
    page.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_compare_two_cases_picked_on_a_tag_page(site, browser, width):
    ctx = browser.sized(width)
    page = ctx.new_page()
    errors = page.errors
    page.goto((site / "tags/xinjiuye-qunti.html").as_uri())
    boxes = page.locator(".cb-pick input.cb-pick-box")
    assert boxes.count() >= 3
    button = page.locator(".cb-pick-bar button")
    boxes.nth(0).check()
    assert button.is_disabled()  # one case is not a comparison
    boxes.nth(1).check()
    ids = [boxes.nth(i).get_attribute("value") for i in (0, 1)]
    button.click()
    page.wait_for_load_state("load")
    assert "compare.html?ids=" in page.url
    page.wait_for_selector(".cb-cmp-row")
    heads = page.locator(".cb-cmp-row h2").all_inner_texts()
    assert heads[:2] == ["案例", "摘要"] and "主要做法" in heads
    # the editors' wording is labelled as such once per row, the article's facts are not
    from build_tools.sections import PROBLEMS_LABEL
    problems = page.locator(".cb-cmp-row", has=page.locator("h2", has_text="适用情形"))
    assert problems.locator(".cb-analysis-label").inner_text() == PROBLEMS_LABEL
    assert page.locator(".cb-cmp-row", has=page.locator("h2", has_text="主要做法")).locator(".cb-analysis-label").count() == 0
    row = page.locator(".cb-cmp-row", has=page.locator("h2", has_text="主要做法"))
    cells = row.locator(".cb-cmp-cell")
    assert cells.count() == 2
    boxes_x = [cells.nth(i).bounding_box()["x"] for i in range(2)]
    # side by side on a desktop, one above the other on a phone
    assert (boxes_x[0] != boxes_x[1]) == (width > 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.locator(".cb-cmp-row a").evaluate_all("els => els.map(e => e.href)")
    assert [l.split("/")[-1][:-5] for l in links] == ids
    assert errors == [] and browser.external == []
    ctx.close()


def test_compare_from_search_results(site, browser):
    page = browser.open(site / "search.html")
    page.fill("form[data-cb-search] input[name=q]", "红色物业")
    page.click("form[data-cb-search] button")
    page.wait_for_selector(".cb-search-results li input.cb-pick-box")
    items = page.locator(".cb-search-results li")
    ids, titles = [], []
    for i in (0, 2):
        items.nth(i).locator("input.cb-pick-box").check()
        ids.append(items.nth(i).locator("input.cb-pick-box").get_attribute("value"))
        titles.append(items.nth(i).locator("a").first.inner_text().strip())
    page.locator(".cb-pick-bar button").click()
    page.wait_for_selector(".cb-cmp-row")
    first = page.locator(".cb-cmp-row").first.locator(".cb-cmp-cell")
    assert first.count() == 2
    # the two cases ticked, in the order of the list, each under its own title
    assert [titles[i] in first.nth(i).inner_text() for i in (0, 1)] == [True, True], titles
    links = page.locator(".cb-cmp-row a").evaluate_all("els => els.map(e => e.href)")
    assert [l.split("/")[-1][:-5] for l in links] == ids
    assert page.errors == [] and browser.external == []
    page.close()


PHONE_PAGES = ["index.html", "cases/binhu-liangwei-banzi-jili.html", "tags/xinjiuye-qunti.html", "places/binhu.html",
               "figures.html", "cases/index.html"]


@pytest.mark.parametrize("rel", PHONE_PAGES)
def test_phone_width_nothing_off_screen_and_no_sideways_tables(site, browser, rel):
    ctx = browser.sized(390, 844)
    page = ctx.new_page()
    page.goto((site / rel).as_uri())
    page.wait_for_load_state("load")
    found = page.evaluate("""() => {
      const w = window.innerWidth;
      const wide = [...document.querySelectorAll('article *')].filter(e => {
        const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1; }).map(e => e.tagName);
      const sideways = [...document.querySelectorAll('article table, article .md-typeset__scrollwrap')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length;
      return {wide: wide.slice(0, 5), sideways, doc: document.documentElement.scrollWidth, tables: document.querySelectorAll('article table').length};
    }""")
    assert found["wide"] == [] and found["sideways"] == 0 and found["doc"] <= 390, found
    if rel != "index.html" and found["tables"]:
        # a table on a phone is a list of cards, each cell labelled with its column
        assert page.locator("article table.cb-cards td[data-label]").count() > 0
    assert browser.external == []
    ctx.close()


def test_home_matrix_shows_every_place_on_a_laptop(site, browser):
    ctx = browser.sized(1366)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    table = page.locator(".cb-matrix table")
    heads = table.locator("thead th").all_inner_texts()
    assert len(heads) == 1 + 7 and heads[-1] == "射阳县"
    last = table.locator("thead th").last.bounding_box()
    box = page.locator("article").bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"] + 1  # the last column is not cut off
    wrap = page.locator(".cb-matrix .md-typeset__scrollwrap")
    if wrap.count():
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    ctx.close()
