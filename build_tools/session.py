"""A preview session (``mkdocs serve``): an edited record's own page at once, the rest just after.

The full pipeline takes most of a minute at 10,000 records, too long to wait
for a typo fix. Between the rebuilds of one ``mkdocs serve`` the session keeps
the last full result. When only a few record files were edited (same ids,
same hand-written links), it re-checks those files alone and renders their
own pages and compare data into the last result: the edit is on screen in
seconds. Their place, tag and list pages, related records and the search
index are then stale, so the session says a catch-up is due: the caller
triggers one more rebuild, which runs the whole pipeline and leaves the site
exactly as ``casebook build`` would. Anything else (a registry, a course, a
file added or removed, an invalid edit) goes straight to the full run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import Pipeline, SiteResult, compare_files
from .corpus import Corpus
from .load import display_path, load_file
from .render import record_path, render_record
from .validate import check_record
from .views import record_view

# More edited files than this at once (a checkout, a search-and-replace) go to the full run.
FAST_LIMIT = 5


@dataclass
class Refresh:
    """What one session run did: the pages it rendered and whether the full run is still owed."""

    fast: bool
    records: list[str] = field(default_factory=list)
    catch_up: bool = False
    changed: set[str] = field(default_factory=set)  # pages and files a fast refresh rewrote


class Session:
    """The pipeline plus what its last full run produced, kept between the rebuilds of one ``serve``."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline
        self.result: SiteResult | None = None
        self.stamps: dict[Path, tuple[int, int]] = {}
        self.last = Refresh(fast=False)

    def _inputs(self) -> dict[Path, tuple[int, int]]:
        """Date and size of every file the pipeline reads: ``cases/``, ``courses/``, the guide pages."""
        out = {}
        root = self.pipeline.cases_dir.resolve().parent
        for base in (self.pipeline.cases_dir, root / "courses", root / "content" / "guide"):
            for p in base.rglob("*") if base.is_dir() else []:
                if p.is_file():
                    st = p.stat()
                    out[p] = (st.st_mtime_ns, st.st_size)
        return out

    def run(self) -> SiteResult:
        """Refresh the edited records' pages when that is enough, else run the whole pipeline."""
        stamps = self._inputs()
        changed = {p for p in stamps.keys() | self.stamps.keys() if stamps.get(p) != self.stamps.get(p)}
        if self.result is not None and not changed and not self.last.catch_up:
            # A theme or hand-written page changed: MkDocs rebuilds that alone.
            self.last = Refresh(fast=True)
            return self.result
        fast = self._fast(changed) if self.result is not None and changed else None
        if fast is not None:
            self.stamps = stamps
            return fast
        # The last result goes first: two full results at once would double the memory.
        self.result = None
        result = self.pipeline.run()
        if result.report.valid:
            result.side_files()  # made here, not by a child: serve runs other threads
            # Kept between rebuilds without the texts of pages and files: they are
            # written by then, and a fast refresh rewrites only its own.
            self.result = replace(result, pages=dict.fromkeys(result.pages),
                                  search_files=dict.fromkeys(result.search_files),
                                  downloads=dict.fromkeys(result.downloads))
            self.stamps = stamps
            self.last = Refresh(fast=False)
        return result

    def reset(self) -> None:
        """Forget the last result: the next run is a full one."""
        self.result, self.stamps = None, {}
        self.last = Refresh(fast=False)

    def _fast(self, changed: set[Path]) -> SiteResult | None:
        """The last result with the edited records' own pages redone, or None when that would not do."""
        if len(changed) > FAST_LIMIT:
            return None
        old: Corpus = self.result.corpus
        by_file = {f: rid for rid, f in old.files.items()}
        recs = dict(old.records)
        for path in sorted(changed):
            display = display_path(path)
            rid = by_file.get(display)
            if rid is None or not path.is_file():
                return None  # not a record the last run built (registry, course, new file) or deleted
            rec, report = check_record(load_file(path, display), old.registry, self.pipeline.sources_dir,
                                       self.pipeline.strict, self.pipeline.segmenter)
            if rec is None or not report.valid or rec.id != rid:
                return None  # the full run reports it, with every check
            recs[rid] = rec
        edited = [rid for rid in recs if recs[rid] is not old.records[rid]]
        corpus = old.with_records(recs)
        views = {rid: record_view(corpus, recs[rid]) for rid in edited}
        pages = dict(self.result.pages)
        for rid in edited:
            related = self.result.related.get(rid)
            pages[record_path(rid)] = render_record(corpus, recs[rid], related, view=views[rid])
        compare = compare_files(views)
        search_files = {**self.result.search_files, **compare}
        self.result = replace(self.result, corpus=corpus, pages=pages, search_files=search_files)
        self.last = Refresh(fast=True, records=edited, catch_up=True,
                            changed={*(record_path(rid) for rid in edited), *compare})
        return self.result

    def catch_up_due(self) -> bool:
        """After a fast refresh: the full run that brings every other page up to date is still owed."""
        return self.last.catch_up
