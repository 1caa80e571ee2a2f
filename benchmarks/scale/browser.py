"""Browser figures: in Chromium from file://, the search bytes loaded before the first result and how soon it shows."""

from __future__ import annotations

import statistics
from pathlib import Path
from urllib.parse import unquote, urlparse

BROWSER_QUERIES = ["外卖骑手怎么参与社区治理", "红色物业", "三岗十八级"]


def browser_figures(site: Path) -> dict:
    """Bytes of search/ files requested from page load to the first result, and the median seconds to it."""
    from browsereval import first_result_seconds
    from sitekit import OfflineBrowser

    out: dict = {}
    b = OfflineBrowser()
    try:
        page = b.context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto((site / "index.html").as_uri())
        page.wait_for_load_state("load")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(BROWSER_QUERIES[0])
        page.wait_for_selector(".md-search-result__item", timeout=60_000)
        search_dir = (site / "search").resolve()
        files = set()
        for url in requested:
            u = urlparse(url)
            if u.scheme != "file":
                continue
            p = Path(unquote(u.path)).resolve()
            if search_dir in p.parents and p.is_file():
                files.add(p)
        out["browser_index_bytes"] = sum(p.stat().st_size for p in files)
        out["browser_index_files"] = sorted(str(p.relative_to(site)) for p in files)
        out["browser_requests"] = len(requested)
        page.close()
        times = [first_result_seconds(b.context, site, q) for q in BROWSER_QUERIES]
        out["browser_first_result_s"] = statistics.median(times)
        out["browser_first_result_each_s"] = times
        out["browser_external_requests"] = list(b.external)
    finally:
        b.close()
    return out
