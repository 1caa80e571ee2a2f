"""The orchestrator: runs the pipeline stages in a fixed order.

load → validate → corpus → (render, index, course). Each stage is a plain
function in its own module; this module only wires them together.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .corpus import Corpus, build_corpus
from .index import browser_index, computed_related, rank_index, weigh
from .load import load_cases
from .problems import Report
from .project import cache_dir as project_cache_dir
from .text import slugify
from .project import sources_dir as project_sources
from .render import render_pages
from .validate import Validation, validate

TEMPLATE = Path(__file__).parent / "templates" / "record.yml"


def run_validation(cases_dir: Path, sources_dir: Path | None = None, strict: bool = False) -> Validation:
    """Load and validate everything under ``cases_dir``."""
    return validate(load_cases(Path(cases_dir)), sources_dir, strict)


def load_corpus(cases_dir: Path, sources_dir: Path | None = None, strict: bool = True) -> tuple[Corpus, Validation]:
    """Validate and build the corpus as the site build does; the caller decides what to do with problems.

    Every command that reads records (build, index, search, course) comes
    here, so each refuses what the site refuses: strict, and with the source
    articles beside the project when they are there.
    """
    if sources_dir is None:
        sources_dir = project_sources(Path(cases_dir).resolve().parent)
    validation = run_validation(cases_dir, sources_dir, strict)
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


class Pipeline:
    """load → validate → corpus → pages and browser index, in that order."""

    def __init__(self, cases_dir: Path, sources_dir: Path | None = None, strict: bool = True,
                 cache_dir: Path | None = None):
        self.cases_dir = Path(cases_dir)
        self.sources_dir = sources_dir
        self.strict = strict
        self.cache_dir = Path(cache_dir) if cache_dir else project_cache_dir(self.cases_dir.resolve().parent)

    @classmethod
    def for_project(cls, root: Path, cases_dir: str = "cases", sources_dir: str = "../shared/sources",
                    strict: bool = True) -> "Pipeline":
        """The pipeline as the casebook plugin's options describe it (a missing sources folder is skipped)."""
        sources = Path(root) / sources_dir
        return cls(Path(root) / cases_dir, sources if sources.is_dir() else None, strict=strict)

    def run(self) -> SiteResult:
        from . import segment

        corpus, validation = load_corpus(self.cases_dir, self.sources_dir, self.strict)
        report = validation.report
        if not report.valid:
            return SiteResult(report, None, {}, {})
        # The parsed files and their positions are for problems only: let them go
        # before the pages are made (10,000 records: about 300 MB less at the peak).
        del validation
        cache = self.cache_dir / "segments.pickle"
        segment.load_cache(cache, corpus.domain_words())
        root = self.cases_dir.resolve().parent
        # segment once; used by both searches and by related records
        weighted = weigh(corpus)
        segment.save_cache(cache)
        # Saved: let the cuts go before the pages are made. A long-lived process
        # (mkdocs serve) reads them back from disk for its next full run.
        segment.forget_cache()
        ix = rank_index(corpus, weighted)
        from .courses import course_pages, load_courses
        from .whoosh_index import query_records

        from .views import record_view

        views = {rid: record_view(corpus, rec) for rid, rec in corpus.records.items()}  # once: pages and compare
        related = computed_related(corpus, weighted)
        del weighted
        pages = render_pages(corpus, related,
                             lambda text, n: query_records(corpus, text, n, ix), views)
        compare = compare_files(views)
        del views
        courses_dir = root / "courses"
        query = lambda c, text: query_records(c, text, 20, ix)
        courses, problems = load_courses(courses_dir, corpus, query) if courses_dir.is_dir() else ([], [])
        report.extend(problems)
        if not report.valid:
            return SiteResult(report, None, {}, {})
        pages.update(course_pages(corpus, courses))  # the 课程 section exists even when empty
        search_files = {**browser_index(ix), **compare}
        from .courses import course_downloads
        from .export import figure_downloads

        downloads = {**figure_downloads(corpus, self.cache_dir / "downloads"),
                     **course_downloads(corpus, courses, self.cache_dir / "downloads")}
        return SiteResult(report, corpus, pages, search_files, downloads, related)


def compare_files(views: dict) -> dict[str, str]:
    """One small script per record for the compare page (loaded with <script>, so it works from file://)."""
    from .views import compare_data

    dump = lambda x: json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    return {f"compare/{rid}.js": f"window.__casebook_case({dump(rid)},{dump(compare_data(view))});\n"
            for rid, view in views.items()}


class BuildError(Exception):
    """The site could not be built; the message is for the user."""


def _source_date_epoch(root: Path) -> str:
    """A fixed build date (the last commit's), so two builds are byte-identical."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        return out or "0"
    except (OSError, subprocess.SubprocessError):
        return "0"


BUILDERS = ("mkdocs", "zensical")


def build_site(root: Path, site_dir: Path | None = None, config_file: str = "mkdocs.yml",
               builder: str = "mkdocs") -> Path:
    """Build the site into a temporary folder and swap it in only on success.

    ``builder`` is ``mkdocs`` (MkDocs + Material, pages from the plugin) or
    ``zensical`` (the pipeline writes a docs tree; Zensical builds it). A
    failed build leaves the previous ``site/`` untouched.
    """
    import os
    import shutil
    import tempfile

    root = Path(root).resolve()
    site_dir = Path(site_dir or root / "site").resolve()
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = _source_date_epoch(root)
    if builder == "zensical":
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
        try:
            _zensical_build(root, tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return _swap_in(tmp, site_dir)
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
        mkdocs_build(config, dirty=reuse)
        if reuse:
            _drop_orphans(tmp, config.plugins.get("casebook"))
    except (MkDocsException, Abort) as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError("\n".join(collect.messages) or str(err)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        mk_log.removeHandler(collect)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    stamps = _stamps(stamp_file)
    stamps[str(site_dir)] = stamp
    stamp_file.parent.mkdir(parents=True, exist_ok=True)
    stamp_file.write_text(json.dumps(stamps, ensure_ascii=False, indent=1), encoding="utf-8")
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


def _zensical_build(root: Path, out: Path) -> None:
    """The pipeline's pages as a docs tree, built by Zensical into ``out``."""
    import subprocess
    import sys

    from .docs_tree import plugin_options, write_docs_tree

    # The plugin's options, as MkDocs would pass them: same records, same strictness.
    opts = plugin_options(root)
    known = ("cases_dir", "sources_dir", "strict")
    result = Pipeline.for_project(root, **{k: opts[k] for k in known if k in opts}).run()
    if not result.report.valid:
        raise BuildError("案例记录未通过校验，站点未构建：\n" + "\n".join(p.format() for p in result.report.errors())
                         + "\n请修正后重试（casebook validate 可单独运行校验）。")
    tree = project_cache_dir(root) / "zensical"
    config = write_docs_tree(root, result.pages, result.search_files, tree, result.downloads)
    del result  # written: Zensical reads the tree, and needs the memory more
    run = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config)],
                         capture_output=True, text=True, cwd=tree)
    if run.returncode != 0 or not (tree / "site" / "index.html").is_file():
        raise BuildError("Zensical 构建失败：\n" + (run.stderr or run.stdout).strip()[-2000:])
    import shutil

    from .project import relative_404

    relative_404(tree / "site")
    shutil.rmtree(out)
    shutil.move(str(tree / "site"), str(out))
