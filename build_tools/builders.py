"""The site builders: MkDocs + Material (through the casebook plugin) or Zensical (from a docs tree).

Both take the pipeline's pages from a function the caller hands in, so a
build that has validated and weighed the corpus already does not do it
again; both build into a temporary folder and swap it in only on success,
so a failed build leaves the previous ``site/`` untouched. Both reuse the
last build of the same site folder, as recorded in ``site-stamps.json`` in
the build cache: MkDocs rebuilds only the pages whose records changed,
Zensical is not run at all when it would read the same bytes again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from .project import build_epoch, cache_dir as project_cache_dir

PLUGIN = "casebook"


class BuildError(Exception):
    """The site could not be built; the message is for the user."""


BUILDERS = ("mkdocs", "zensical")


def rejection(report) -> str:
    """What a build says when the records did not pass validation (one problem a line)."""
    return ("案例记录未通过校验，站点未构建：\n" + "\n".join(p.format() for p in report.errors())
            + "\n请修正后重试（casebook validate 可单独运行校验）。")


def write_site(root: Path, site_dir: Path, make: Callable, config_file: str = "mkdocs.yml",
               builder: str = "mkdocs") -> Path:
    """Build ``site_dir`` from the pipeline result that ``make()`` returns; swap it in only on success.

    ``builder`` is ``mkdocs`` (MkDocs + Material; the casebook plugin calls
    ``make`` instead of running the pipeline itself) or ``zensical`` (the
    pages are written as a docs tree, which Zensical builds). ``make`` is
    called once, by the builder, so the pages live no longer than it needs them.
    """
    import os
    import shutil
    import tempfile

    root = Path(root).resolve()
    site_dir = Path(site_dir).resolve()
    os.environ["SOURCE_DATE_EPOCH"] = build_epoch()  # the footer's date; MkDocs and Material read it too
    if builder == "zensical":
        return _zensical_site(root, site_dir, make)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    import logging

    class _Collect(logging.Handler):
        def __init__(self):
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    # MkDocs logs a plugin's error and raises a bare "Aborted": keep the message.
    collect = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(collect)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    stamp_file = project_cache_dir(root) / "site-stamps.json"
    stamp = _site_stamp(root, config_file)
    # Building again: start from a copy of the last site and let MkDocs skip
    # every page whose source is older than its output. Only when nothing but
    # records changed: the theme, config and hand-written pages are in the stamp.
    reuse = site_dir.is_dir() and _stamps(stamp_file).get(str(site_dir)) == stamp
    quiet = _DirtyNote()
    try:
        if reuse:
            shutil.rmtree(tmp)
            shutil.copytree(site_dir, tmp)
            logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        config = load_config(config_file=str(root / config_file), site_dir=str(tmp))
        plugin = config.plugins.get(PLUGIN)
        if plugin is None:
            raise BuildError(f"{config_file} 的 plugins 中没有 {PLUGIN}：网站页面由它生成，请加上")
        plugin.prepared = make
        mkdocs_build(config, dirty=reuse)
        if reuse:
            _drop_orphans(tmp, plugin)
    except (MkDocsException, Abort) as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError("\n".join(collect.messages) or str(err)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        mk_log.removeHandler(collect)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    _save_stamp(stamp_file, site_dir, stamp)
    return _swap_in(tmp, site_dir)


class _DirtyNote:
    """Drop MkDocs' warning about dirty builds: ours reuse only pages whose records did not change."""

    def filter(self, record) -> bool:
        return "'dirty' build" not in record.getMessage()


def _site_stamp(root: Path, config_file: str) -> str:
    """What every page depends on besides its own text: config, theme overrides, hand-written
    pages and assets, and the versions of the builder and the generator."""
    import hashlib
    import os
    from importlib.metadata import version

    h = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material", "casebook"):
        h.update(f"{name}={version(name)}".encode())
    h.update((root / config_file).read_bytes())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())  # the footer's build date
    package = Path(__file__).parent  # the generator's code and templates
    for base in (root / "content", root / "overrides", package):
        for p in sorted(base.rglob("*")) if base.is_dir() else []:
            if "__pycache__" in p.parts:
                continue
            if p.is_file():
                h.update(str(p.relative_to(base)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _stamps(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_stamp(path: Path, site_dir: Path, stamp) -> None:
    """Record what the site in ``site_dir`` was built from (one entry per folder, whichever builder made it)."""
    stamps = _stamps(path)
    stamps[str(site_dir)] = stamp
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamps, ensure_ascii=False, indent=1), encoding="utf-8")


def _drop_orphans(site: Path, plugin) -> None:
    """Pages of records, places or tags that no longer exist: a dirty build leaves them behind."""
    pages = getattr(plugin, "page_paths", None) or []
    keep = {p[:-3] + ".html" for p in pages}
    for folder in ("cases", "places", "tags", "courses"):
        for html in (site / folder).glob("*.html") if (site / folder).is_dir() else []:
            rel = f"{folder}/{html.name}"
            if rel not in keep:
                html.unlink()


def _swap_in(tmp: Path, site_dir: Path) -> Path:
    """Replace ``site_dir`` by the freshly built ``tmp`` (the old one goes only now)."""
    import shutil

    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    return site_dir


def _zensical_site(root: Path, site_dir: Path, make: Callable) -> Path:
    """The pipeline's pages as a docs tree, built by Zensical into ``site_dir`` unless it holds that build already.

    Zensical has no dirty build: every run renders and writes the whole site
    (10,000 records, its cache kept: about 8 s, and 2 s more to swap it in;
    from scratch it renders every page, in two processes at once from 1,000
    records, see :mod:`build_tools.zensical_run`). Its output depends only on
    what it reads (the same input gives the same bytes), so when the trees and
    config are byte for byte those of the last successful build of this
    folder, and the folder is as that build left it, the site is kept as it
    is. The stamp is written only after a successful swap: a failed build
    leaves both the site and the stamp as they were.
    """
    import shutil
    import tempfile

    from . import zensical_run

    result = make()
    cache = project_cache_dir(root)
    trees = zensical_run.write_trees(root, result.pages, cache, result.side_bytes)
    del result  # written: Zensical reads the trees, and needs the memory more
    stamp_file = cache / "site-stamps.json"
    stamp = {"builder": "zensical", "input": _zensical_input(trees.digest)}
    last = _stamps(stamp_file).get(str(site_dir))
    if (isinstance(last, dict) and {k: last.get(k) for k in stamp} == stamp and site_dir.is_dir()
            and last.get("site") == _site_marks(site_dir)):
        return site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        zensical_run.build(trees, tmp)
    except zensical_run.ZensicalError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"Zensical 构建失败：\n{err}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap_in(tmp, site_dir)
    _save_stamp(stamp_file, site_dir, {**stamp, "site": _site_marks(site_dir)})
    return site_dir


def _zensical_input(tree_digest: str) -> str:
    """Everything a Zensical site is made from: the tree, the versions of Zensical and of the
    libraries it renders with (Markdown, its extensions, Pygments…), and our touch-up of 404.html."""
    import hashlib
    import inspect
    import re
    from importlib.metadata import PackageNotFoundError, requires, version

    from .project import relative_404

    h = hashlib.sha256(f"{tree_digest}\0zensical={version('zensical')}\0".encode())
    for req in sorted(requires("zensical") or []):
        name = re.match(r"[A-Za-z0-9._-]+", req).group(0)
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:  # an optional extra that is not installed
            h.update(f"{name}=-\0".encode())
    h.update(inspect.getsource(relative_404).encode())
    return h.hexdigest()


def _site_marks(site: Path) -> str:
    """Every file's name, size and date in ``site``: a folder changed by hand or by the other builder shows."""
    import hashlib
    import os

    h = hashlib.sha256()
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            rel = os.path.relpath(os.path.join(folder, name), site)
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
