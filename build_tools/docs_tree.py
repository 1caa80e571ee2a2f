"""The generated site as a plain docs tree with its config, for a builder without a plugin API.

Zensical (the successor of Material for MkDocs) reads ``mkdocs.yml`` but runs
no MkDocs plugins, so the pipeline's pages, the search files and the
hand-written pages are written out as one folder, and a config that points
at it; any builder then turns that folder into ``site/``.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .project import footer

PLUGIN = "casebook"
# Zensical's own search (a dialog over a full-text index that it builds, and that
# the browser cannot load from file://) is switched off; our box takes its place
# in the header: a partial from overrides/zensical/, its script and its styles.
ZENSICAL_OVERRIDES = "zensical"
# Zensical's own names for its link checks (it maps MkDocs' validation keys onto these two).
ZENSICAL_LINK_CHECKS = {"invalid_links": False, "invalid_link_anchors": False}
SEARCH_BOX = {"extra_css": "assets/casebook-searchbox.css", "extra_javascript": "assets/casebook-searchbox.js"}


def _write_changed(files: dict[Path, bytes]) -> None:
    """Write each file whose bytes differ from what is on disk (an unchanged file keeps its date)."""
    for path, data in files.items():
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            continue
        if path.is_dir():  # a folder of an earlier tree where a file now goes
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def plugin_options(root: Path, config_file: str = "mkdocs.yml") -> dict:
    """The casebook plugin's options in the project's config (cases_dir, sources_dir, strict), or {}."""
    config = yaml.safe_load((Path(root) / config_file).read_text(encoding="utf-8")) or {}
    for item in config.get("plugins", []):
        if isinstance(item, dict) and PLUGIN in item:
            return dict(item[PLUGIN] or {})
    return {}


@dataclass(frozen=True)
class DocsTree:
    """A written docs tree: its config, and a digest of every byte a builder reads from it."""

    config: Path
    digest: str  # sha256 of the pages, assets, overrides and config: equal digests, equal input


def write_docs_tree(root: Path, pages: dict[str, str], search_files: dict[str, str], out: Path,
                    downloads: dict[str, bytes] | None = None,
                    side: Callable[[], dict[str, bytes]] | None = None) -> DocsTree:
    """Write ``content/`` plus the generated pages and search files under ``out``; return its config and digest.

    The folder is synchronised, not recreated: a file whose bytes did not
    change keeps its date, files no longer generated are removed, and the
    builder's own cache (Zensical's ``.cache/``) survives, so building again
    reuses its work. The digest covers the same bytes as the folder (names
    included), taken from memory rather than read back. ``side()``, when
    given, returns more search files and downloads (as bytes): it is asked for only once
    the pages are written, so a child process still making them works meanwhile.
    """
    root, out = Path(root), Path(out)
    want: dict[Path, bytes] = {}
    own = root / "overrides" / ZENSICAL_OVERRIDES
    # Zensical's own overrides last, so they stand in for shared ones of the same name.
    for base, dest in ((root / "content", out / "docs"), (root / "overrides", out / "overrides"),
                       (own, out / "overrides")):
        for p in sorted(base.rglob("*")) if base.is_dir() else []:
            if p.is_file() and (base == own or own not in p.parents):
                want[dest / p.relative_to(base)] = p.read_bytes()
    for rel, text in {**pages, **search_files}.items():
        want[out / "docs" / rel] = text.encode("utf-8")
    for rel, data in (downloads or {}).items():
        want[out / "docs" / rel] = data
    _write_changed(want)
    if side is not None:
        more = {out / "docs" / rel: data for rel, data in side().items()}
        _write_changed(more)
        want.update(more)
    for folder in (out / "docs", out / "overrides"):
        for p in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else []:
            if p.is_file() and p not in want:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    plugins = []
    for item in config.get("plugins", []):
        name = item if isinstance(item, str) else next(iter(item))
        if name == PLUGIN:
            continue  # its work is done: the pages are in the tree
        if name == "search":
            item = {"search": {"enabled": False}}
        plugins.append(item)
    config["plugins"] = plugins
    # Material's look, not Zensical's "modern" one: the site reads the same whichever builder made it,
    # and the colours and sizes of casebook-a11y.css are measured against it.
    config["theme"] = {**config.get("theme", {}), "variant": "classic"}
    for key, asset in SEARCH_BOX.items():
        config[key] = [*config.get(key, []), asset]
    config["copyright"] = footer(config.get("copyright"))
    # Zensical checks links by scanning every page's Markdown byte by byte in Python on
    # every build, cache or not: nearly all of a build again (1,000 records: 8 of its
    # 8.5 CPU seconds). Its warnings would be thrown away (the build shows Zensical's
    # output only when it fails), and the links are checked where they are made: by the
    # MkDocs build (validation in mkdocs.yml) and the tests of the pages.
    config["validation"] = dict(ZENSICAL_LINK_CHECKS)
    path = out / "mkdocs.yml"
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256()
    for p, data in sorted({**want, path: text.encode("utf-8")}.items()):
        # The name and length first, so no two different trees feed the hash the same bytes.
        digest.update(f"{p.relative_to(out).as_posix()}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)
    return DocsTree(path, digest.hexdigest())
