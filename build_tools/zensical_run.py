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

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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


def build(trees: list[Path], configs: list[Path], out: Path, real: list[list[str]]) -> None:
    """Run Zensical on every tree at once and move the first tree's site to ``out``.

    ``real[k]`` names the pages that tree ``k`` (from the second on) renders for real: their HTML
    replaces the first site's stubs. Raises :class:`ZensicalError` when a run fails.
    """
    from .project import relative_404

    def one(k: int) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(configs[k])],
                              capture_output=True, text=True, cwd=trees[k])

    if len(trees) == 1:
        runs = [one(0)]
    else:
        with ThreadPoolExecutor(len(trees)) as pool:  # each run is a process; the threads only wait
            runs = list(pool.map(one, range(len(trees))))
    for tree, run in zip(trees, runs):
        if run.returncode != 0 or not (tree / "site" / "index.html").is_file():
            raise ZensicalError((run.stderr or run.stdout).strip()[-2000:])
    site = trees[0] / "site"
    for tree, rels in zip(trees[1:], real):
        for rel in rels:
            shutil.move(str(tree / "site" / html_of(rel)), str(site / html_of(rel)))
        shutil.rmtree(tree / "site", ignore_errors=True)
    relative_404(site)
    shutil.rmtree(out)
    shutil.move(str(site), str(out))
