"""The MkDocs side: a thin adapter from the pipeline to MkDocs.

It validates ``cases/`` (a problem fails the build with the validator's
messages), asks :func:`build_tools.render.render_pages` for the pages and
hands them to MkDocs as generated files, writes the browser search index,
and tells ``mkdocs serve`` to watch the YAML. Under ``mkdocs serve`` the
plugin lives across rebuilds (it has ``on_startup``) and keeps a
:class:`~build_tools.session.Session`, so an edited record's page shows in
seconds and one more rebuild brings the rest up to date. Under ``casebook
build`` the records are validated and weighed already: the build hands the
plugin a function that makes the pages (``prepared``), so nothing is loaded
twice. Everything else is plain Python that does not import MkDocs.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import Pipeline, SiteResult
from .builders import rejection
from .project import cache_dir, footer, relative_404
from .session import Session

log = logging.getLogger("mkdocs.plugins.casebook")


_FRONT = "---\nsearch:\n  exclude: true\n---\n\n"


class CasebookConfig(Config):
    cases_dir = c.Type(str, default="cases")
    sources_dir = c.Type(str, default="../shared/sources")
    strict = c.Type(bool, default=True)


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Generate the knowledge-base pages from ``cases/`` at build time."""

    supports_multiple_instances = False

    def __init__(self):
        self.pipeline: Pipeline | None = None
        self.session: Session | None = None
        self.serving = self.dirty = False
        self.pages: dict[str, str] = {}
        self.page_paths: set[str] = set()  # the generated pages of the last build, after their texts went
        self.side: SiteResult | None = None  # this build's result, until its side files are written
        self.fast: set[str] | None = None  # after a fast refresh: the only pages and files that changed
        # Set by a build that has validated and weighed the corpus already: it makes the result instead.
        self.prepared = None

    def on_startup(self, *, command, dirty):
        # Defining this hook keeps the plugin, and its session, across the rebuilds of one serve.
        self.serving, self.dirty = command == "serve", dirty

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config):
        root = self._root(config)
        if self.pipeline is None or self.pipeline.cases_dir != root / self.config.cases_dir:
            self.pipeline = Pipeline.for_project(root, self.config.cases_dir, self.config.sources_dir,
                                                 self.config.strict)
            # A plain `mkdocs serve` empties the site before each build: it needs every file each time.
            self.session = Session(self.pipeline) if self.serving and self.dirty else None
        self.pages, self.side = {}, None  # let the last build's go first
        make, self.prepared = self.prepared, None
        if make is not None:
            result, self.fast = make(), None
        else:
            result = self.session.run() if self.session else self.pipeline.run()
            self.fast = self.session.last.changed if self.session and self.session.last.fast else None
        if not result.report.valid:
            raise PluginError(rejection(result.report))
        self.pages = result.pages
        config.copyright = footer(config.copyright)
        # Not waited for yet: the rest are still being made beside MkDocs's own work (on_post_build).
        # Kept without the pages, whose texts go once written (on_files).
        self.side = replace(result, pages={})
        return config

    def on_files(self, files: Files, config) -> Files:
        # Pages are backed by files that keep their mtime while their text is
        # unchanged, so `mkdocs serve --dirty` rebuilds only what an edit touched.
        out_dir = cache_dir(self._root(config)) / "pages"
        keep = set()
        for path, text in self.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            # Our own engine indexes the records; keep Material's index (and
            # its slow jieba pass) to the hand-written pages.
            # A page with its own front matter (the home page hides the sidebars) keeps it.
            target = out_dir / path
            keep.add(target)
            if self.fast is not None and path not in self.fast:
                # A fast refresh: the page is as the last build wrote it (the
                # session keeps no text for it, only that it exists).
                if not target.is_file():
                    self.session.reset()
                    raise PluginError(f"预览缓存中缺少 {path}，下一次保存时整体重建；也可以重新运行 make serve。")
            else:
                content = _FRONT[:-5] + text[4:] if text.startswith("---\n") else _FRONT + text
                if not target.is_file() or target.read_text(encoding="utf-8") != content:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(content, encoding="utf-8")
            files.append(File.generated(config, path, abs_src_path=str(target)))
        for old in out_dir.rglob("*.md") if out_dir.is_dir() else []:
            if old not in keep:
                old.unlink()
        # Written: MkDocs reads them from the files, and holds every page's HTML
        # until the build ends, so the texts go now (10,000 records: about 100 MB).
        self.page_paths, self.pages = set(self.pages), {}
        return files

    def on_page_content(self, html, *, page, config, files):
        # Converted: MkDocs keeps every page until the build ends, and nothing
        # reads a generated page's Markdown again (10,000 records: ~100 MB less).
        if page.file.src_uri in self.page_paths:
            page.markdown = ""
        return html

    def on_build_error(self, error):
        # Nobody will write this build's side files: stop the child still making them.
        if self.side is not None:
            self.side.discard()
        self.side = None

    def _trigger(self, config) -> Path:
        return cache_dir(self._root(config)) / "serve-catch-up"

    def on_serve(self, server, config, builder):
        root = self._root(config)
        server.watch(str(root / self.config.cases_dir))
        trigger = self._trigger(config)
        trigger.mkdir(parents=True, exist_ok=True)
        server.watch(str(trigger))
        if (root / "courses").is_dir():
            server.watch(str(root / "courses"))
        return server

    def on_post_build(self, config):
        site = Path(config.site_dir)
        relative_404(site)
        self.side.write_side_files(site, self.fast)
        self.side = None
        # Material loads search/search_index.js when opened from file://: it
        # needs only the config (its highlighter reads the separator); our
        # engine answers the queries. Written whole, not read back from
        # Material's own file, which its plugin writes after this hook.
        data = {"config": {"lang": ["zh"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        (site / "search").mkdir(parents=True, exist_ok=True)
        (site / "search" / "search_index.js").write_text(
            "var __index = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n", encoding="utf-8")
        if self.session is not None and self.session.catch_up_due():
            # The edited records' pages are up to date; their place, tag and list
            # pages and the search index follow in one more rebuild, started by
            # touching a folder that serve watches.
            log.info("已更新改动的案例页面（%s）；地点、标签、列表页和检索索引接着补齐……",
                     "、".join(self.session.last.records))
            trigger = self._trigger(config)
            trigger.mkdir(parents=True, exist_ok=True)
            (trigger / "pending").write_text(",".join(self.session.last.records), encoding="utf-8")
