"""Run Zensical on docs trees: one tree, or two at once that each render part of the record pages.

Zensical renders every page's Markdown in Python, one page after another
(10,000 records: 88 s on one core of two). From ``SPLIT_MIN_RECORDS`` record
pages the pages are split (:func:`split_pages`): the first tree renders part
of the record pages and every other page, with the rest of the record pages
as stubs; the second tree renders those, with every other generated page as
a stub. A stub keeps the page's name (so links to it are rewritten as
before) and its front matter and title; record pages are not in the
navigation, so no other page shows anything of a stub. The two Zensical
processes run at once (10,000 records: 55 s), and the second one's record
pages replace the first one's stubs: the same bytes as one run over the
whole tree (tests/test_zensical.py; at 10,000 records all 22,507 files).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# From this many record pages two Zensical processes share them (below, one is quicker: each run
# starts Zensical and renders the hand-written pages).
SPLIT_MIN_RECORDS = 1000
# The second tree's share of the record pages. Each run templates every page, stubs too (10,000
# records: about 24 s of each run), and the first renders the long lists as well (about 12 s):
# by the length of the Markdown the second got 87% of the records and ran 61 s against 42 s.
SECOND_SHARE = 0.64
_RECORD_DIR = "cases/"
_RECORD_INDEX = "cases/index.md"


class ZensicalError(Exception):
    """Zensical failed; the message is its own output (the end of it)."""


@dataclass
class Split:
    """The pages of two trees, and the pages only the second renders for real."""

    first: dict[str, str]
    second: dict[str, str]
    second_real: list[str]


def stub(text: str) -> str:
    """A page's front matter and first heading, the rest left out (or the page itself when it has no heading)."""
    lines = text.splitlines(keepends=True)
    keep, i = [], 0
    if lines and lines[0].strip() == "---":  # front matter: up to its closing line
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        if end is None:
            return text
        keep, i = lines[:end + 1], end + 1
    title = next((line for line in lines[i:] if line.startswith("# ")), None)
    return text if title is None else "".join(keep) + title


def split_pages(pages: dict[str, str], minimum: int | None = None) -> Split | None:
    """The generated pages as two trees that render part of them each, or None below ``minimum`` record pages.

    ``minimum`` is ``SPLIT_MIN_RECORDS`` unless given. The second tree takes the last
    ``SECOND_SHARE`` of the record pages (in name order); the first renders the rest and the long
    lists (places, tags, figures).
    """
    records = sorted(rel for rel in pages if rel.startswith(_RECORD_DIR) and rel != _RECORD_INDEX
                     and "/" not in rel[len(_RECORD_DIR):])
    if len(records) < max(SPLIT_MIN_RECORDS if minimum is None else minimum, 2):
        return None
    moved = set(records[len(records) - max(1, min(len(records) - 1, round(SECOND_SHARE * len(records)))):])
    first = {rel: stub(text) if rel in moved else text for rel, text in pages.items()}
    other = {rel: text if rel in moved else stub(text) for rel, text in pages.items()}
    return Split(first, other, sorted(moved))


def html_of(rel: str) -> str:
    """The file Zensical writes for a page (``use_directory_urls: false``)."""
    return rel[:-len(".md")] + ".html"


@dataclass
class Trees:
    """Docs trees written for one build: their configs (the first tree's, then the second's when split)."""

    configs: list[Path]
    moved: list[str]  # the pages the second tree renders for real
    digest: str       # of every byte the runs read


def write_trees(root: Path, pages: dict[str, str], folder: Path, side: Callable[[], dict[str, bytes]]) -> Trees:
    """Write the pages as one docs tree in ``folder``/zensical, or, split, as two (the second in zensical-2).

    The second tree is written first and the side files are asked for last: the child making them works meanwhile.
    """
    from .docs_tree import write_docs_tree

    first, second = folder / "zensical", folder / "zensical-2"
    split = split_pages(pages)
    if split is None:
        shutil.rmtree(second, ignore_errors=True)  # an earlier split build's second tree
        written, moved = [write_docs_tree(root, pages, {}, first, side=side)], []
    else:
        other = write_docs_tree(root, split.second, {}, second)
        written, moved = [write_docs_tree(root, split.first, {}, first, side=side), other], split.second_real
    digest = hashlib.sha256("\0".join(t.digest for t in written).encode()).hexdigest()
    return Trees([t.config for t in written], moved, digest)


def build(trees: Trees, out: Path) -> None:
    """Run Zensical on every tree at once and move the first tree's site, with the second's real pages, to ``out``.

    Raises :class:`ZensicalError` when a run fails.
    """
    from .project import relative_404

    def one(config: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config)],
                              capture_output=True, text=True, cwd=config.parent)

    with ThreadPoolExecutor(len(trees.configs)) as pool:  # each run is a process; the threads only wait
        runs = list(pool.map(one, trees.configs))
    sites = [c.parent / "site" for c in trees.configs]
    for site, run in zip(sites, runs):
        if run.returncode != 0 or not (site / "index.html").is_file():
            raise ZensicalError((run.stderr or run.stdout).strip()[-2000:])
    for site in sites[1:]:
        for rel in trees.moved:
            shutil.move(str(site / html_of(rel)), str(sites[0] / html_of(rel)))
        shutil.rmtree(site, ignore_errors=True)
    relative_404(sites[0])
    shutil.rmtree(out)
    shutil.move(str(sites[0]), str(out))
