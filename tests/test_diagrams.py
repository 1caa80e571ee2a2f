"""Pictures: each record's 组织架构 drawn by Graphviz (page, HTML and Word packs), and the home page's
place × practice overview whose every count opens 全部案例 filtered to that many cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools.build import load_corpus
from build_tools.cli import main
from build_tools.diagrams import DiagramError, Diagrams, wrap
from build_tools.sections import label
from sitekit import ROOT, make_project

CHAINED = "binhu-sanji-shuji-xiangmu"  # three tiers, the first a long list (wrapped in its box)
LONG = ["区：区委党的建设领导小组会议、区委常委社区党建联系点、社区书记队伍建设五年规划", "街道", "社区<b>网格</b>"]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "cases")[0]


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


# ---------------------------------------------------------------- the drawing itself


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_drawing_is_text_deterministic_and_drawn_once(tmp_path, monkeypatch):
    first, second = Diagrams(tmp_path / "a"), Diagrams(tmp_path / "b")
    svg = first.svg(LONG)
    assert svg == second.svg(LONG)  # two drawings from scratch: the same bytes
    # text as text, in the site's faces with the installed CJK face last; long tiers wrapped, markup escaped
    assert "".join(_texts(svg)).replace("&lt;", "<").replace("&gt;", ">") == "".join(LONG)
    assert all(len(line) <= 16 for line in wrap(LONG[0]))
    assert 'font-family="PingFang SC' in svg and "WenQuanYi Micro Hei" in svg and "<b>" not in svg
    # one inline element: no prologue, comments, titles (English tooltips) or ids (many drawings on a page)
    assert svg.startswith("<svg") and "\n" not in svg
    assert not re.search(r"<!--|<title|\sid=|<\?xml|DOCTYPE", svg)
    assert 'aria-hidden="true"' in svg
    # kept by content: a second drawing of the same chain does not run dot
    monkeypatch.setattr("build_tools.diagrams.subprocess.run", lambda *a, **k: pytest.fail("dot ran again"))
    assert Diagrams(tmp_path / "a", version=first.version).svg(LONG) == svg
    monkeypatch.undo()
    assert first.png(LONG)[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_dot_the_build_stops_and_names_the_fix(tmp_path, monkeypatch):
    path = next((ROOT / "cases").rglob(f"{CHAINED}.yml"))
    rec = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec["related"] = []  # alone in its project
    project = make_project(tmp_path / "proj", {path.relative_to(ROOT / "cases").as_posix(): rec})
    monkeypatch.chdir(project)
    monkeypatch.setenv("PATH", str(Path(__file__).parent))  # no dot here
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))  # nothing drawn before
    with pytest.raises(DiagramError):
        Diagrams(tmp_path / "d").svg(["一", "二"])
    r = CliRunner().invoke(main, ["build", "--no-index"])
    assert r.exit_code == 1, r.output
    assert "没有找到 Graphviz 的 dot 命令" in r.output and "make sysdeps" in r.output, r.output
    assert "Traceback" not in r.output and "✘ 构建失败" in r.output
    assert not (project / "site").exists()


# ------------------------------------------------------------------- the record page


@pytest.mark.parametrize("width", [390, 1366])
def test_record_page_shows_the_chain_drawn_with_its_list_as_text(site, browser, corpus, width):
    chain = corpus.records[CHAINED].structure
    ctx = browser.sized(width)
    page = ctx.new_page()
    page.goto((site / f"cases/{CHAINED}.html").as_uri())
    heading = page.locator("article h2#structure")
    assert label("structure") in heading.inner_text()
    figure = page.locator("article figure.cb-diagram")
    svg = figure.locator("svg")
    svg.scroll_into_view_if_needed()
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["height"] > 40 * len(chain) and box["width"] > 100  # drawn, one box a tier
    # the tiers are in the drawing as text, and again in the list that is its text alternative
    assert "".join(svg.locator("text").all_text_contents()) == "".join(chain)
    assert svg.get_attribute("aria-hidden") == "true"
    items = figure.locator("figcaption ol.cb-chain > li .cb-chain__step").all_inner_texts()
    assert items == chain and figure.locator("figcaption ol.cb-chain").is_visible()
    # a drawing comes after its section's heading, not elsewhere
    assert page.evaluate("(h) => h.compareDocumentPosition(document.querySelector('figure.cb-diagram')) & 4",
                         heading.element_handle())
    # nothing runs off a phone's screen, and the drawing is not shrunk to fit: its text stays readable
    wide = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
        svg: document.querySelector('figure.cb-diagram svg').getBoundingClientRect().right,
        text: Math.min(...[...document.querySelectorAll('figure.cb-diagram svg text')].map(t => t.getBoundingClientRect().height))})""")
    assert wide["doc"] <= width and wide["svg"] <= width and wide["text"] >= 14, wide
    # a record without a structure has no drawing
    bare = next(r for r in corpus.records.values() if not r.structure)
    page.goto((site / f"cases/{bare.id}.html").as_uri())
    assert page.locator("figure.cb-diagram").count() == 0
    ctx.close()


# ----------------------------------------------------------------- the course packs


def test_html_and_word_packs_carry_the_drawing(tmp_path, monkeypatch, corpus):
    import docx

    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(main, ["course", "build", "courses/shequ-ganbu-duiwu.yml", "--edition", "student",
                                  "--format", "html,docx", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    chains = {" → ".join(x.structure) for x in corpus.records.values() if x.structure}
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    drawn = re.findall(r'<figure class="cb-diagram">(<svg.*?</svg>)</figure>', html)
    assert drawn and all("".join(_texts(s)) in {c.replace(" → ", "") for c in chains} for s in drawn)
    doc = docx.Document(str(next(tmp_path.glob("*.docx"))))
    shapes = doc.inline_shapes
    assert len(shapes) == len(drawn)
    for shape in shapes:
        alt = shape._inline.docPr.get("descr")
        assert alt in chains, alt
        assert 0 < shape.width <= doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    # the chain's text follows each picture
    paras = [p for p in doc.paragraphs]
    with_picture = [i for i, p in enumerate(paras) if p._p.xpath(".//pic:pic")]
    assert [paras[i + 1].text for i in with_picture] == [s._inline.docPr.get("descr") for s in shapes]


# ------------------------------------------------------------------ the home overview


def _cases_listed(page) -> int:
    page.wait_for_function("document.querySelector('.cb-cases-count') && "
                           "document.querySelector('.cb-cases-count').textContent.trim() !== ''")
    return page.locator("ol.cb-cases > li:visible").count()


def test_overview_is_a_table_whose_counts_open_that_many_cases(site, browser, corpus):
    ctx = browser.sized(1366)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    table = page.locator("article table.cb-overview")
    assert table.is_visible()
    # a real table: column, row and group headers with their scope
    assert page.evaluate("[...document.querySelectorAll('table.cb-overview th')].every(t => t.scope)")
    assert table.locator("thead th[scope=col]").count() == 8
    assert table.locator("tbody th[scope=rowgroup]").count() == len(corpus.registry.groups)
    assert table.locator("tbody th[scope=row]").count() == len(corpus.registry.tags)
    cells = table.locator("td a").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), +e.textContent.trim(), e.closest('td').className])")
    assert len(cells) > 100
    # the shade follows the number (the number is always written)
    assert {(min(n, 5), cls) for _, n, cls in cells} >= {(1, "cb-shade-1"), (2, "cb-shade-2"), (5, "cb-shade-4")}
    assert all(cls == f"cb-shade-{1 if n == 1 else 2 if n == 2 else 3 if n <= 4 else 4}" for _, n, cls in cells)
    # the largest count, the first and one of each column open 全部案例 showing exactly that many cases
    picks = {max(cells, key=lambda c: c[1])[0], cells[0][0], cells[-1][0]}
    for href, n, _ in cells:
        target = site / href.split("?")[0]
        assert target.is_file() and re.fullmatch(r"cases/index\.html\?place=[a-z-]+&tag=[a-z0-9-]+", href), href
    for href in sorted(picks):
        n = next(c[1] for c in cells if c[0] == href)
        page.goto((site / "index.html").as_uri())
        page.locator(f"table.cb-overview td a[href='{href}']").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(href.split("/")[-1])
        assert _cases_listed(page) == n, href
        place, tag = re.search(r"place=([^&]+)&tag=(.+)", href).groups()
        assert page.locator("form[data-cb-cases] select[name=place]").input_value() == place
        assert page.locator("form[data-cb-cases] select[name=tag]").input_value() == tag
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_overview_numbers_read_on_every_shade(site, browser, scheme):
    ctx = browser.sized(1366)
    page = ctx.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto((site / "index.html").as_uri())
    worst = page.evaluate("""() => {
      const rgb = s => s.match(/[\\d.]+/g).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; })
        .reduce((a, v, i) => a + v * [.2126, .7152, .0722][i], 0);
      const page = rgb(getComputedStyle(document.querySelector('.md-main')).backgroundColor || 'rgb(255,255,255)');
      let worst = 99;
      for (const cls of ['cb-shade-1', 'cb-shade-2', 'cb-shade-3', 'cb-shade-4']) {
        const a = document.querySelector('table.cb-overview td.' + cls + ' a'), td = a.closest('td');
        const bg = rgb(getComputedStyle(td).backgroundColor), fg = rgb(getComputedStyle(a).color);
        const mix = (c, under) => c.length > 3 ? c.slice(0, 3).map((v, i) => v * c[3] + under[i] * (1 - c[3])) : c;
        const back = mix(bg, page.length ? page.slice(0, 3) : [255, 255, 255]), fore = mix(fg, back);
        const [l1, l2] = [lum(fore), lum(back)].sort((x, y) => y - x);
        worst = Math.min(worst, (l1 + .05) / (l2 + .05));
      }
      return worst; }""")
    assert worst >= 4.5, (scheme, worst)
    ctx.close()


def test_overview_on_a_phone_is_a_list_whose_links_open_that_many_cases(site, browser):
    ctx = browser.sized(390)
    page = ctx.new_page()
    page.goto((site / "index.html").as_uri())
    assert not page.locator("table.cb-overview").is_visible()
    links = page.locator(".cb-matrix-phone a[href*='place=']")
    assert links.count() > 100 and links.first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    text = links.first.inner_text()
    n = int(re.search(r"（(\d+)）", text).group(1))
    links.first.click()
    page.wait_for_load_state("load")
    assert _cases_listed(page) == n
    ctx.close()
