"""Whoosh stages: the command-line index from scratch, with the site build's segmentation cache and without any."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .common import Clock
from .corpus import load_valid


def whoosh_from_scratch(project: Path, cache: Path) -> tuple[Clock, object]:
    """Build the project's Whoosh index anew with the given segmentation cache; the clock and Whoosh's report."""
    from build_tools.whoosh_index import build_whoosh

    corpus = load_valid(project)
    index_dir = project / "search_index"
    shutil.rmtree(index_dir, ignore_errors=True)
    with Clock() as c:
        report = build_whoosh(corpus, index_dir, cache=cache)
    return c, report


def stage_whoosh_cold(project: Path, n: int) -> dict:
    """The Whoosh index from scratch with no segmentation cache at all (details only)."""
    with tempfile.TemporaryDirectory() as empty:
        c, _ = whoosh_from_scratch(project, Path(empty) / "segments.pickle")
    return {"whoosh_index_cold_s": c.wall, "whoosh_index_cold_cpu_s": c.cpu}


def stage_whoosh(project: Path, n: int) -> dict:
    """The Whoosh index from scratch as ``make site`` runs ``casebook index``: after the site build,
    whose cuts are in the project's cache."""
    from build_tools.project import cache_dir

    cache = cache_dir(project) / "segments.pickle"
    if not cache.is_file():
        raise RuntimeError("构建阶段没有留下切词缓存")
    c, report = whoosh_from_scratch(project, cache)
    size = sum(p.stat().st_size for p in (project / "search_index").rglob("*") if p.is_file())
    return {"whoosh_index_s": c.wall, "whoosh_index_cpu_s": c.cpu, "whoosh_added": report.added,
            "whoosh_bytes": size}
