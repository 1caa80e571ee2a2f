"""The MkDocs side: a thin adapter from the pipeline to MkDocs.

It validates ``cases/`` (a problem fails the build with the validator's
messages), asks :func:`build_tools.render.render_pages` for the pages and
hands them to MkDocs as generated files, writes the browser search index,
and tells ``mkdocs serve`` to watch the YAML. Everything else is plain
Python that does not import MkDocs.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import Pipeline
from .project import cache_dir, footer, relative_404

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
        self.pages: dict[str, str] = {}
        self.search_files: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config):
        root = self._root(config)
        cases = root / self.config.cases_dir
        sources = root / self.config.sources_dir
        if self.pipeline is None or self.pipeline.cases_dir != cases:
            self.pipeline = Pipeline(cases, sources if sources.is_dir() else None, strict=self.config.strict)
        result = self.pipeline.run()
        if not result.report.valid:
            lines = [p.format() for p in result.report.errors()]
            raise PluginError("案例记录未通过校验，站点未构建：\n" + "\n".join(lines)
                              + "\n请修正后重试（casebook validate 可单独运行校验）。")
        self.pages = result.pages
        config.copyright = footer(config.copyright)
        self.search_files = result.search_files
        self.downloads = result.downloads
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
            content = _FRONT[:-5] + text[4:] if text.startswith("---\n") else _FRONT + text
            target = out_dir / path
            keep.add(target)
            if not target.is_file() or target.read_text(encoding="utf-8") != content:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            files.append(File.generated(config, path, abs_src_path=str(target)))
        for old in out_dir.rglob("*.md") if out_dir.is_dir() else []:
            if old not in keep:
                old.unlink()
        return files

    def on_serve(self, server, config, builder):
        root = self._root(config)
        server.watch(str(root / self.config.cases_dir))
        if (root / "courses").is_dir():
            server.watch(str(root / "courses"))
        return server

    def on_post_build(self, config):
        site = Path(config.site_dir)
        relative_404(site)
        for rel, text in self.search_files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for rel, data in self.downloads.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # Material loads search/search_index.js when opened from file://: it
        # needs only the config (its highlighter reads the separator); our
        # engine answers the queries. Written whole, not read back from
        # Material's own file, which its plugin writes after this hook.
        data = {"config": {"lang": ["zh"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        (site / "search").mkdir(parents=True, exist_ok=True)
        (site / "search" / "search_index.js").write_text(
            "var __index = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n", encoding="utf-8")
