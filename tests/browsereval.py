"""Drive the site's own search engine in Chromium from file:// (for quality and timing)."""

from __future__ import annotations

import time
from pathlib import Path

ENGINE_READY = "() => !!window.__casebook_engine"


def open_engine(context, site: Path):
    """Open the home page and wake the search engine the way a user does (focus the box)."""
    page = context.new_page()
    page.goto((Path(site) / "index.html").as_uri())
    page.locator("input.md-search__input").click()
    page.wait_for_function(ENGINE_READY, timeout=30_000)
    return page


def engine_ids(page, query: str, limit: int = 10) -> list[str]:
    """Record ids the browser engine ranks for ``query``."""
    # Ask for enough to have ``limit`` records after tag, place and guide pages.
    locs = page.evaluate(
        "async ([q, n]) => { const e = window.__casebook_engine;"
        " return (await e.search(q, n + e.meta.nDocs - e.meta.nRecords)).items.map(x => x.doc[e.F.loc]); }",
        [query, limit])
    return [l[len("cases/"):] for l in locs if l.startswith("cases/")][:limit]


def engine_answer(page, query: str, limit: int = 10) -> tuple[list[str], bool]:
    """Record ids the browser engine ranks for ``query``, and whether it says the library has nothing on it."""
    got = page.evaluate(
        "async ([q, n]) => { const e = window.__casebook_engine;"
        " const r = await e.search(q, n + e.meta.nDocs - e.meta.nRecords);"
        " return [r.items.map(x => x.doc[e.F.loc]), !!r.nothing]; }",
        [query, limit])
    return [l[len("cases/"):] for l in got[0] if l.startswith("cases/")][:limit], got[1]


def first_result_seconds(context, site: Path, query: str) -> float:
    """Seconds from typing a query on a fresh page to the first result shown."""
    page = context.new_page()
    page.goto((Path(site) / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    start = time.perf_counter()
    box.fill(query)
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    took = time.perf_counter() - start
    page.close()
    return took
