"""The orchestrator: runs the stages of the build in a fixed order.

load → validate → corpus → weigh → courses → views and pages → site →
Whoosh index. Each stage is a plain function in its own module; this module
only wires them together, and runs each stage once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import model as m
from . import side_files
from .corpus import Corpus, build_corpus
from .background import Later
from .builders import BUILDERS, BuildError, rejection, write_site  # noqa: F401 (BUILDERS, BuildError: re-exported)
from .index import Weighted, browser_index, computed_related, rank_index, weigh
from .load import load_cases
from .problems import Report
from .ranking import RankIndex
from .project import cache_dir as project_cache_dir
from .text import slugify
from .project import sources_dir as project_sources
from .render import render_pages
from .segment import Segmenter
from .validate import Validation, validate

TEMPLATE = Path(__file__).parent / "templates" / "record.yml"


def run_validation(cases_dir: Path, sources_dir: Path | None = None, strict: bool = False,
                   drafts: bool = False, segmenter: Segmenter | None = None) -> Validation:
    """Load and validate everything under ``cases_dir`` (with the drafts in ``_drafts/`` if ``drafts``).

    ``segmenter`` lends jieba's dictionary to the wording checks instead of loading it again.
    """
    return validate(load_cases(Path(cases_dir), drafts), sources_dir, strict, segmenter)


def load_corpus(cases_dir: Path, sources_dir: Path | None = None, strict: bool = True,
                segmenter: Segmenter | None = None) -> tuple[Corpus, Validation]:
    """Validate and build the corpus as the site build does; the caller decides what to do with problems.

    Every command that reads records (build, index, search, course) comes
    here, so each refuses what the site refuses: strict, and with the source
    articles beside the project when they are there.
    """
    if sources_dir is None:
        sources_dir = project_sources(Path(cases_dir).resolve().parent)
    validation = run_validation(cases_dir, sources_dir, strict, segmenter=segmenter)
    return build_corpus(validation), validation


def new_record(cases_dir: Path, place: str, title: str, rid: str | None = None) -> Path:
    """Write a record skeleton from the template and return its path."""
    validation = run_validation(cases_dir)
    reg = validation.registry
    if place not in reg.places:
        names = {p.name: p.slug for p in reg.places.values()}
        hint = names.get(place)
        raise ValueError(f"未登记的地点“{place}”" + (f"，是否指“{hint}”？" if hint else "；可用的地点见 cases/_registry/places/"))
    existing = {d.path.stem for d in validation.documents}
    base = rid or slugify(title, f"{place}-case")
    if not re.match(m.ID_PATTERN, base):
        raise ValueError(f"id“{base}”不合规：只能用小写 ASCII 字母、数字和连字符")
    if rid and rid in existing:
        raise ValueError(f"id“{rid}”已被使用")
    new_id, n = base, 2
    while new_id in existing:
        new_id, n = f"{base}-{n}", n + 1
    sources = [s.id for s in reg.sources.values() if place in s.places] or list(reg.sources)[:1] or ["未登记"]
    # Titles may hold “: ”, “#” or quotes: write them as double-quoted YAML.
    text = TEMPLATE.read_text(encoding="utf-8").format(
        id=new_id, title=json.dumps(title, ensure_ascii=False), place=place, source=sources[0])
    path = cases_dir / place / f"{new_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def corpus_stats(validation: Validation) -> dict:
    """Counts per place, per tag and per status, as plain data."""
    corpus = build_corpus(validation)
    reg = validation.registry
    recs = list(corpus.records.values())
    places = []
    for slug in sorted({r.place for r in recs}):
        mine = [r for r in recs if r.place == slug]
        places.append({"slug": slug, "name": corpus.place_name(slug), "records": len(mine),
                       "metrics": sum(len(r.metrics) for r in mine)})
    tags = []
    for t in reg.tags.values():
        tags.append({"slug": t.slug, "name": t.name, "group": reg.groups[t.group].name if t.group in reg.groups else t.group,
                     "records": sum(1 for r in recs if t.slug in r.tags), "note": t.note or ""})
    invalid = len({p.file for p in validation.report.errors()} & {d.display for d in validation.documents})
    evidence = {}
    for name in ("background", "practices", "outcomes", "people"):
        items = [x for r in recs for x in getattr(r, name)]
        evidence[name] = {"items": len(items), "with_evidence": sum(1 for x in items if x.evidence)}
    return {
        "evidence": evidence,
        "analysis_items": sum(len(r.analysis) for r in recs),
        "problems": sum(len(r.problems) for r in recs),
        "thin": sum(1 for r in recs if r.thin),
        "as_of": sum(1 for r in recs if r.as_of),
        "records": len(recs),
        "metrics": sum(len(r.metrics) for r in recs),
        "status": dict(Counter(r.status for r in recs)),
        "places": places,
        "tags": tags,
        "invalid_files": invalid,
    }


def write_schema(out: Path) -> Path:
    """Write the record JSON Schema generated from the model."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(m.record_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


@dataclass
class SiteResult:
    """What one run of the site pipeline produced."""

    report: Report
    corpus: Corpus | None
    pages: dict[str, str]
    search_files: dict[str, str]
    downloads: dict[str, bytes] = field(default_factory=dict)  # files offered for download (CSV, Excel)
    related: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # computed, per record
    later: Later | None = None  # more search files and downloads, being staged on disk by a child process
    staging: Path | None = None  # where the child stages them

    def side_files(self) -> tuple[dict[str, str], dict[str, bytes]]:
        """The search files and the downloads, all of them in memory: waits for the child that makes some."""
        if self.later is not None:
            search_files, downloads = side_files.read(self.later.get())
            self.search_files.update(search_files)
            self.downloads.update(downloads)
            self.later = None
        return self.search_files, self.downloads

    def side_bytes(self) -> dict[str, bytes]:
        """Every search file and download as bytes, read once and not kept here (for a docs tree)."""
        out = {rel: data if isinstance(data, bytes) else data.encode("utf-8")
               for rel, data in {**self.search_files, **self.downloads}.items()}
        if self.later is not None:
            out.update(side_files.read_bytes(self.later.get()))
            self.later = None
        return out

    def write_side_files(self, site: Path, only: set[str] | None = None) -> None:
        """Write the search files and the downloads into ``site`` (only the names in ``only``, when given).

        Those the child staged on disk are moved there, never read into memory:
        MkDocs holds every page's HTML by then (10,000 records: the build's peak).
        """
        # A fast refresh names the files it changed; the others from the last rebuild are still there.
        side_files.write_files(site, {**self.search_files, **self.downloads}, only)
        if self.later is not None:
            side_files.move_into(self.later.get(), site, only)
            self.later = None

    def discard(self) -> None:
        """The build failed: stop the child still making side files, and remove what it staged."""
        if self.later is not None:
            self.later.cancel()
            self.later = None
        if self.staging is not None:
            side_files.discard(self.staging)


class Pipeline:
    """The pages and the browser index from ``cases/``: load → validate → corpus → weigh → courses → outputs.

    :meth:`run` does it all (the MkDocs plugin under ``mkdocs build`` and
    ``mkdocs serve``); :class:`Build` calls the stages one by one. Across the
    runs of one ``mkdocs serve`` it keeps the segmenter, so jieba's
    dictionary is loaded once.
    """

    def __init__(self, cases_dir: Path, sources_dir: Path | None = None, strict: bool = True,
                 cache_dir: Path | None = None):
        self.cases_dir = Path(cases_dir)
        self.sources_dir = sources_dir
        self.strict = strict
        self.cache_dir = Path(cache_dir) if cache_dir else project_cache_dir(self.cases_dir.resolve().parent)
        self.segmenter: Segmenter | None = None  # the last corpus's

    @classmethod
    def for_project(cls, root: Path, cases_dir: str = "cases", sources_dir: str = "../shared/sources",
                    strict: bool = True) -> "Pipeline":
        """The pipeline as the casebook plugin's options describe it (a missing sources folder is skipped)."""
        sources = Path(root) / sources_dir
        return cls(Path(root) / cases_dir, sources if sources.is_dir() else None, strict=strict)

    @property
    def segments_file(self) -> Path:
        """The segmentation cache, shared by the site build and ``casebook index``."""
        return self.cache_dir / "segments.pickle"

    def run(self) -> SiteResult:
        corpus, validation = load_corpus(self.cases_dir, self.sources_dir, self.strict, self.segmenter)
        self.segmenter = self.segmenter or validation.segmenter  # jieba loaded once per process
        report = validation.report
        if not report.valid:
            return SiteResult(report, None, {}, {})
        # The parsed files and their positions are for problems only: let them go
        # before the pages are made (10,000 records: about 300 MB less at the peak).
        del validation
        weighted, ix = self.weigh(corpus)
        courses, problems = self.check_courses(corpus, ix)
        report.extend(problems)
        if not report.valid:
            return SiteResult(report, None, {}, {})
        related = computed_related(corpus, weighted)
        del weighted
        return self.outputs(corpus, report, related, ix, courses)

    def weigh(self, corpus: Corpus) -> tuple[Weighted, RankIndex]:
        """Segment the corpus once, with its own segmenter, and weigh it: both searches and related records use it."""
        seg = self.segmenter = Segmenter.for_corpus(corpus, like=self.segmenter)
        seg.load_cache(self.segments_file)
        weighted = weigh(corpus, segmenter=seg)
        seg.save_cache(self.segments_file)
        # Saved: let the cuts go before the pages are made. The Whoosh index and a
        # long-lived process (mkdocs serve) read them back from disk.
        seg.forget_cache()
        return weighted, rank_index(corpus, weighted)

    def check_courses(self, corpus: Corpus, ix: RankIndex) -> tuple[list, list]:
        """The course specs under ``courses/``, checked against the corpus: the good courses and every problem."""
        from .courses import load_courses
        from .whoosh_index import query_records

        courses_dir = self.cases_dir.resolve().parent / "courses"
        query = lambda c, text: query_records(c, text, 20, ix)
        return load_courses(courses_dir, corpus, query) if courses_dir.is_dir() else ([], [])

    def side_files_later(self, corpus: Corpus, ix: RankIndex, courses: list) -> tuple[Later, Path]:
        """The browser index and the downloads, made by a forked child while the builder converts the pages.

        Nothing the pages need waits for them: MkDocs asks for them
        (:meth:`SiteResult.side_files`) only when it writes them out, after
        converting the pages on one core, so on two cores they cost no time.
        Started after the pages, whose record pages use both cores themselves.
        """
        from .courses import course_downloads
        from .export import figure_downloads

        downloads, folder = self.cache_dir / "downloads", side_files.staging_folder(self.cache_dir)
        return Later(lambda: side_files.stage(folder, browser_index(ix), {
            **figure_downloads(corpus, downloads), **course_downloads(corpus, courses, downloads)})), folder

    def outputs(self, corpus: Corpus, report: Report, related: dict, ix: RankIndex, courses: list) -> SiteResult:
        """Views, pages, compare scripts, course pages; the browser index and downloads from a child process."""
        from .courses import course_pages
        from .diagrams import Diagrams
        from .views import record_view
        from .whoosh_index import query_records

        views = {rid: record_view(corpus, rec) for rid, rec in corpus.records.items()}  # once: pages and compare
        draw = Diagrams.for_cases(corpus.cases_dir)
        diagrams = {rid: draw.svg(rec.structure) for rid, rec in corpus.records.items() if rec.structure}
        pages = render_pages(corpus, related,
                             lambda text, n: query_records(corpus, text, n, ix), views, diagrams)
        compare = compare_files(views)
        del views
        pages.update(course_pages(corpus, courses))  # the 课程 section exists even when empty
        return SiteResult(report, corpus, pages, compare, {}, related, *self.side_files_later(corpus, ix, courses))


def compare_files(views: dict) -> dict[str, str]:
    """One small script per record for the compare page (loaded with <script>, so it works from file://)."""
    from .views import compare_data

    dump = lambda x: json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    return {f"compare/{rid}.js": f"window.__casebook_case({dump(rid)},{dump(compare_data(view))});\n"
            for rid, view in views.items()}


class Build:
    """``make site`` in one process: every stage once, each handing plain objects to the next.

    load → validate → corpus → weigh (segment) → courses → views and pages →
    site (MkDocs or Zensical) → Whoosh index, as ``mkdocs build`` runs its
    own stages. :meth:`run` stops at the first stage that finds problems,
    before anything is written, so a failed build leaves the previous
    ``site/`` and ``search_index/`` as they were; the Whoosh index is written
    only after the site is in place.
    """

    def __init__(self, root: Path, site_dir: Path | None = None, index_dir: Path | None = None,
                 builder: str = "mkdocs", config_file: str = "mkdocs.yml"):
        from .docs_tree import plugin_options

        self.root = Path(root).resolve()
        self.site_dir = Path(site_dir or self.root / "site")
        self.index_dir = Path(index_dir) if index_dir is not None else None  # None: no Whoosh index
        self.builder, self.config_file = builder, config_file
        # The plugin's options, as MkDocs would pass them: same records, same strictness.
        opts = plugin_options(self.root, config_file)
        known = ("cases_dir", "sources_dir", "strict")
        self.pipeline = Pipeline.for_project(self.root, **{k: opts[k] for k in known if k in opts})

    def run(self, show: Callable[[str, object], None] = lambda stage, value: None) -> Report:
        """Run every stage; ``show(stage, value)`` hears of each as it ends. Returns the problems found.

        The stages ``show`` hears of: ``validate`` (the :class:`Validation`),
        ``courses`` (number of course files, their problems), ``site`` (its
        folder) and ``index`` (the :class:`~build_tools.whoosh_index.IndexReport`).
        """
        from .courses import course_files
        from .whoosh_index import build_whoosh

        p = self.pipeline
        validation = run_validation(p.cases_dir, p.sources_dir, p.strict, segmenter=p.segmenter)
        p.segmenter = p.segmenter or validation.segmenter  # jieba loaded once per process
        show("validate", validation)
        report = validation.report
        if not report.valid:
            return report
        corpus = build_corpus(validation)
        del validation  # for problems only: let the parsed files go before the pages are made
        weighted, ix = p.weigh(corpus)
        courses, problems = p.check_courses(corpus, ix)
        courses_dir = self.root / "courses"
        show("courses", (len(course_files(courses_dir)) if courses_dir.is_dir() else 0, problems))
        report.extend(problems)
        if not report.valid:
            return report
        related = computed_related(corpus, weighted)
        del weighted
        # The builder asks for the pages when it is ready for them, and holds them only as long as it needs.
        make = lambda: p.outputs(corpus, report, related, ix, courses)
        show("site", write_site(self.root, self.site_dir, make, self.config_file, self.builder))
        if self.index_dir is not None:
            show("index", build_whoosh(corpus, self.index_dir, cache=p.segments_file, segmenter=p.segmenter,
                                       ranked=ix))
        return report


def build_site(root: Path, site_dir: Path | None = None, config_file: str = "mkdocs.yml",
               builder: str = "mkdocs") -> Path:
    """Validate and build the site alone (no Whoosh index); raise :class:`BuildError` on any problem.

    ``builder`` is ``mkdocs`` (MkDocs + Material) or ``zensical``. A failed
    build leaves the previous ``site/`` untouched.
    """
    build = Build(root, site_dir, None, builder, config_file)
    report = build.run()
    if not report.valid:
        raise BuildError(rejection(report))
    return build.site_dir.resolve()
