"""The same records built by Zensical (no plugin API): the docs tree, opened from file:// offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import ROOT, internal_links


@pytest.fixture(scope="module")
def zsite(site_of):
    return site_of("zensical")


@pytest.mark.parametrize("rel", ["index.html", "problems.html", "cases/binhu-kaimen-yijianshi.html",
                                 "places/binhu.html", "tags/hongse-wuye.html", "guide/editors.html"])
def test_zensical_pages_offline_without_errors(zsite, browser, rel):
    page = browser.open(zsite / rel)
    assert page.locator("article h1").count() == 1
    broken = [t for _, t in internal_links(page, zsite) if not t.exists()]
    assert broken == [] and page.errors == [] and browser.external == []
    page.close()


def test_zensical_record_page_keeps_sections_and_source_notes(zsite, browser):
    page = browser.open(zsite / "cases/binhu-kaimen-yijianshi.html")
    heads = page.locator("article h2").all_inner_texts()
    assert heads[:4] == ["适用情形", "主要做法", "成效", "编者分析"]
    assert page.locator(".footnote li").count() >= 3
    page.close()


def test_zensical_search_page_answers_offline(zsite, browser):
    page = browser.open(zsite / "search.html")
    page.fill("form[data-cb-search] input[name=q]", "社区干部太累")
    page.click("form[data-cb-search] button")
    page.wait_for_function("document.querySelectorAll('.cb-search-results li').length > 0", timeout=10_000)
    first = page.locator(".cb-search-results li a").first
    assert "两减一规范" in first.inner_text()
    href = first.get_attribute("href").split("?")[0]
    assert href.startswith("file://") and Path(href[len("file://"):]).exists()
    assert page.errors == [] and browser.external == []
    page.close()


def test_docs_tree_is_synchronised_so_zensical_keeps_its_cache(tmp_path):
    """Building again rewrites only what changed and leaves Zensical's own cache in place."""
    import os

    from build_tools.docs_tree import write_docs_tree

    out = tmp_path / "tree"
    pages = {"cases/a.md": "# 甲\n", "cases/b.md": "# 乙\n"}
    write_docs_tree(ROOT, pages, {"search/x.js": "var x;\n"}, out)
    (out / ".cache").mkdir()
    (out / ".cache" / "zensical-state").write_text("kept", encoding="utf-8")
    a, b = out / "docs" / "cases" / "a.md", out / "docs" / "cases" / "b.md"
    for p in (a, out / "mkdocs.yml"):
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    write_docs_tree(ROOT, {"cases/a.md": "# 甲\n", "cases/c.md": "# 丙\n"}, {"search/x.js": "var y;\n"}, out)
    assert (out / ".cache" / "zensical-state").read_text(encoding="utf-8") == "kept"
    assert a.stat().st_mtime_ns == 1_000_000_000  # unchanged: not rewritten
    assert (out / "mkdocs.yml").stat().st_mtime_ns == 1_000_000_000  # the same config: not rewritten
    assert not b.exists() and (out / "docs" / "cases" / "c.md").read_text(encoding="utf-8") == "# 丙\n"
    assert (out / "docs" / "search" / "x.js").read_text(encoding="utf-8") == "var y;\n"
    assert (out / "docs" / "guide" / "cadres.md").is_file()  # the hand-written pages are there too


def test_docs_tree_asks_for_the_side_files_only_once_the_pages_are_written(tmp_path):
    """A child still making the browser index works while the pages are written; its files join the tree and digest."""
    from build_tools.docs_tree import write_docs_tree

    out, seen = tmp_path / "tree", []

    def side():
        seen.append((out / "docs" / "cases" / "a.md").is_file())
        return {"search/x.js": b"var x;\n", "downloads/f.csv": b"a,b\n"}

    tree = write_docs_tree(ROOT, {"cases/a.md": "# 甲\n"}, {}, out, side=side)
    assert seen == [True]
    assert (out / "docs" / "search" / "x.js").read_text(encoding="utf-8") == "var x;\n"
    assert (out / "docs" / "downloads" / "f.csv").read_bytes() == b"a,b\n"
    same = write_docs_tree(ROOT, {"cases/a.md": "# 甲\n"}, {"search/x.js": "var x;\n"}, out,
                           {"downloads/f.csv": b"a,b\n"})
    assert same.digest == tree.digest  # the same files, whichever way they came


def test_docs_tree_leaves_link_checks_to_the_mkdocs_build(tmp_path):
    """Zensical checks links by scanning every page byte by byte in Python on every build, cache or
    not (1,000 records: 8 of the 8.5 CPU seconds of a build again): the tree's config turns that off."""
    import yaml

    from build_tools.docs_tree import write_docs_tree

    config = write_docs_tree(ROOT, {"cases/a.md": "# 甲\n\n[乙](b.md)\n"}, {}, tmp_path / "tree").config
    checks = yaml.safe_load(config.read_text(encoding="utf-8"))["validation"]
    assert checks == {"invalid_links": False, "invalid_link_anchors": False}


def test_zensical_header_box_is_a_combobox_answered_by_our_engine(zsite, browser):
    """Arrow keys choose a result (the focus stays in the box), Enter opens the chosen one, Escape
    closes the list and keeps the query; Zensical's own search (its dialog, its index) is not there."""
    from sitekit import search

    page = browser.open(zsite / "cases/hongse-wuye-1-3-n.html")
    assert page.locator(".md-search, [data-md-component=search]").count() == 0
    assert not (zsite / "search.json").exists() or '"items":[]' in (zsite / "search.json").read_text(encoding="utf-8")
    titles = search(page, "红色物业")
    box = page.locator("input.md-search__input")
    links = page.locator(".md-search-result__link")
    assert len(titles) >= 3 and box.get_attribute("aria-expanded") == "true"
    assert page.locator("[role=listbox] [role=option]").count() == links.count() == len(titles)
    # the status line counts what the query finds and what the list shows, in one sentence
    count = page.locator(".md-search-result__meta[role=status]").inner_text()
    assert count.startswith("找到 ") and f"这里列出最相关的 {len(titles)} 条。" in count, count
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = links.nth(1)
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert box.get_attribute("aria-activedescendant") == chosen.get_attribute("id")
    assert chosen.get_attribute("aria-selected") == "true" and links.first.get_attribute("aria-selected") == "false"
    box.press("Escape")
    assert page.locator(".md-search-result").is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "红色物业" and not page.evaluate("document.getElementById('__search').checked")
    box.press("ArrowDown")  # the list comes back with its first result chosen, then the second
    box.press("ArrowDown")
    href = links.nth(1).get_attribute("href")
    box.press("Enter")
    page.wait_for_url(href.split("#")[0])
    assert page.locator("article mark").count() >= 1  # the query's words, marked where it opened
    assert page.errors == [] and browser.external == []
    page.close()


def test_a_page_stub_keeps_its_front_matter_and_title_only():
    from build_tools.zensical_run import stub

    assert stub("# 甲\n\n正文\n\n## 乙\n") == "# 甲\n"
    assert stub("---\nhide:\n  - toc\n---\n\n# 数据一览\n\n| a |\n") == "---\nhide:\n  - toc\n---\n# 数据一览\n"
    assert stub("没有标题的页面\n") == "没有标题的页面\n"  # kept whole: Zensical would take its title from the text


def test_record_pages_are_split_in_two_from_the_minimum_and_every_page_is_real_in_one_tree():
    from build_tools.zensical_run import split_pages, stub

    pages = {"index.md": "# 首页\n", "cases/index.md": "# 全部案例\n" + "长" * 400, "places/wuxi.md": "# 无锡\n" + "列" * 300}
    pages.update({f"cases/r{i:02d}.md": f"# 记录{i}\n" + "字" * 300 for i in range(10)})
    assert split_pages(pages, minimum=11) is None
    split = split_pages(pages, minimum=10)
    assert split.second_real == [f"cases/r{i:02d}.md" for i in range(4, 10)]  # the last SECOND_SHARE of them
    for rel, text in pages.items():
        mine, other = (split.second, split.first) if rel in split.second_real else (split.first, split.second)
        assert mine[rel] == text and other[rel] == stub(text)


def test_two_zensical_runs_at_once_make_the_same_site_as_one(site_of, tmp_path, monkeypatch):
    """From SPLIT_MIN_RECORDS record pages two Zensical processes render half the records each, at once
    (10,000 records: 58 s against 88 s on two cores); their site is byte for byte the site of one run."""
    import subprocess

    from build_tools import zensical_run
    from build_tools.build import build_site

    whole = site_of("zensical")
    runs, real = [], subprocess.run

    def run(cmd, *args, **kwargs):
        if "zensical" in cmd:
            runs.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(zensical_run, "SPLIT_MIN_RECORDS", 2)
    monkeypatch.setattr(subprocess, "run", run)
    split = build_site(ROOT, tmp_path / "site", builder="zensical")
    assert len(runs) == 2 and (tmp_path / "cache" / "zensical-2" / "docs" / "cases").is_dir()
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(split) for p in split.rglob("*") if p.is_file())
    assert [rel for rel in files if (whole / rel).read_bytes() != (split / rel).read_bytes()] == []
