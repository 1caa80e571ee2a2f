"""Shared helpers for tests that build the site and open it in Chromium.

Chromium is Debian's package driven by Playwright for Python; `make test`
installs it. In CI (CI=true) a missing browser fails the run, it never skips.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Screenshots and PDFs for a person to look at; conftest points this at a
# temporary folder unless CASEBOOK_ARTIFACTS says where to keep them.
ARTIFACTS = Path(os.environ.get("CASEBOOK_ARTIFACTS") or ROOT / "tests" / "artifacts")
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; run `make test` to install it")


def make_project(tmp: Path, records: dict[str, dict], strict: bool = False) -> Path:
    """A throw-away project: the real config, pages and registries plus ``records``."""
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copytree(ROOT / "cases" / "_registry", tmp / "cases" / "_registry")
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("      sources_dir: ../shared/sources", f"      sources_dir: ../shared/sources\n      strict: {str(strict).lower()}")
    (tmp / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    for rel, data in records.items():
        p = tmp / "cases" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp


class OfflineBrowser:
    """Chromium where every non-file request is blocked and recorded."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.external: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def sized(self, width: int, height: int = 900, touch: bool = False):
        """A new context of this size (a phone, a laptop), its requests blocked and recorded like the rest.

        ``page.errors`` collects script errors, as :meth:`open` does."""
        ctx = self.browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", has_touch=touch)
        ctx.route("**/*", self._route)
        ctx.on("page", lambda page: (setattr(page, "errors", []),
                                     page.on("pageerror", lambda e: page.errors.append(str(e)))))
        return ctx

    def open(self, path: Path):
        """Open a page and collect its script errors in ``page.errors``."""
        page = self.context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page

    def close(self):
        self.context.close()
        self.browser.close()
        self._pw.stop()


def internal_links(page, site: Path) -> list[tuple[str, Path]]:
    """(href, file it points to) for every link to a page of the site."""
    out = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        u = urlparse(href)
        if u.scheme != "file":
            continue
        target = Path(unquote(u.path))
        if target.is_dir():
            target = target / "index.html"
        out.append((href, target))
    return out


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box; return the result titles."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=5)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta') && "
        "!/键入|初始化/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10_000)
    # Results for the first characters typed may show before those of the whole
    # query: read until the list has stayed the same for a few polls.
    last, same = None, 0
    for _ in range(60):
        titles = page.locator(".md-search-result__item h1").all_inner_texts()
        same = same + 1 if titles == last else 0
        if same >= 3:
            break
        last = titles
        page.wait_for_timeout(100)
    return titles
