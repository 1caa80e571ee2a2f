"""Page generation: a pure function from the corpus to Markdown pages.

``render_pages(corpus)`` returns ``{path: markdown}`` with paths relative to
the site's docs root (``cases/<id>.md``, ``places/<slug>.md`` …). Nothing
here imports MkDocs, so the pages can be fed to another generator.

Every text that comes from YAML passes through :func:`esc` (Markdown text)
or :func:`html_esc` (inside raw HTML): a ``<script>`` in a record shows as
text and never runs.
"""

from __future__ import annotations

import json
import posixpath

from markupsafe import Markup

from . import model as m
from .background import Later
from .corpus import Corpus
from .sections import FIGURE_HEADER, contract, parts, published
from .templating import esc, markdown_env
from .figures import figure_cells, is_result, role_label, sort_value
from .views import COMPARE_HEADER, comparison, record_view


PARALLEL_RECORDS = 1000  # records from which the pages are rendered on two cores (fewer: forking costs more)


def rel(src: str, dst: str) -> str:
    """Relative link from page ``src`` to page ``dst`` (both docs-relative .md paths)."""
    target, _, anchor = dst.partition("#")
    src_dir = src.rpartition("/")[0]
    if "/" not in src_dir and "/" not in target.rpartition("/")[0]:
        # Our pages are at most one folder deep: no need for os.path (hot path).
        dst_dir, _, name = target.rpartition("/")
        if src_dir == dst_dir:
            out = name
        else:
            out = ("../" if src_dir else "") + target
    else:
        out = posixpath.relpath(target, src_dir or ".")
    return out + (f"#{anchor}" if anchor else "")


def course_limits_json() -> str:
    """The course spec's limits for the 我的课程 script (a data attribute, like the sections)."""
    from .courses.spec import page_limits  # here, not at the top: the courses package imports this module

    return json.dumps(page_limits(), separators=(",", ":"))


def sections_json() -> str:
    """The presentation contract for the compare and 我的课程 scripts (a data attribute: works from file://)."""
    return json.dumps(published(), ensure_ascii=False, separators=(",", ":"))


def record_path(rid: str) -> str:
    return f"cases/{rid}.md"


def place_path(slug: str) -> str:
    return f"places/{slug}.md"


def tag_path(slug: str) -> str:
    return f"tags/{slug}.md"


class Page:
    """Helpers bound to one page path, so links are always relative and right."""

    def __init__(self, corpus: Corpus, path: str):
        self.c = corpus
        self.path = path

    def link(self, text: object, dst: str) -> Markup:
        return Markup(f"[{esc(text)}]({rel(self.path, dst)})")

    def rec(self, rid: str) -> Markup:
        r = self.c.records[rid]
        return self.link(r.title, record_path(rid))

    def place(self, slug: str) -> Markup:
        return self.link(self.c.place_name(slug), place_path(slug))

    def tag(self, slug: str) -> Markup:
        return self.link(self.c.tag_name(slug), tag_path(slug))


# ------------------------------------------------------------------ records


def render_record(corpus: Corpus, rec: m.Record, computed: list[tuple[str, float]] | None = None,
                  env=None, view=None, diagram: str | None = None) -> str:
    """The Markdown page of one record, from its view and the record template (``diagram``: its chain as SVG)."""
    env = env or markdown_env()
    view = view or record_view(corpus, rec)
    link = Page(corpus, record_path(rec.id)).link
    others = [(rid, corpus.records[rid].title, corpus.full_place(corpus.records[rid])) for rid, _ in computed or []]
    return env.get_template("record.md.j2").render(
        v=view, computed=others, link=link, place_name=corpus.place_name, place_path=place_path,
        tag_path=tag_path, record_path=record_path, status_label=m.STATUS_LABELS[rec.status],
        parts=parts(), figure_header=FIGURE_HEADER, diagram=Markup(diagram) if diagram else None)


# ------------------------------------------------------------------ places


def _top_places(corpus: Corpus) -> list[str]:
    """Places that records name as ``place``, in registry order."""
    used = {r.place for r in corpus.records.values()}
    return [s for s in corpus.registry.places if s in used]


def place_tree(corpus: Corpus, slug: str | None, depth: int = 0) -> list[dict]:
    """The places under ``slug``, depth first, each with its depth, level and count of cases."""
    out = []
    for c in corpus.children(slug):
        out.append({"slug": c.slug, "level": c.level, "count": len(corpus.records_in(c.slug)), "depth": depth})
        out += place_tree(corpus, c.slug, depth + 1)
    return out


def _case(corpus: Corpus, r: m.Record, here: str) -> dict:
    """One case on a place page: unit when below this place, first sentence of the summary, tags."""
    return {"id": r.id, "unit": corpus.place_name(r.unit) if r.unit and r.unit != here else "",
            "first": _first_sentence(r.summary), "tags": [t for t in r.tags if t in corpus.registry.tags]}


def _first_sentence(text: str, limit: int = 80) -> str:
    """The summary's first sentence with its full stop, or its first ``limit`` characters and “…”."""
    first = text.split("。")[0]
    return first[:limit] + "…" if len(first) > limit else first + "。"


def render_place(corpus: Corpus, slug: str, env=None) -> str:
    recs = corpus.records_in(slug)
    named = [r for r in corpus.records_naming(slug) if r not in recs]
    figures = [dict(zip(("value", "unit"), figure_cells(mt)), label=mt.label, rid=r.id)
               for r in recs for mt in r.metrics if is_result(mt)]
    return (env or markdown_env()).get_template("place.md.j2").render(
        kit=Page(corpus, place_path(slug)), place=corpus.registry.places[slug], chain=corpus.place_chain(slug),
        tree=place_tree(corpus, slug), cases=[_case(corpus, r, slug) for r in recs],
        named=[_case(corpus, r, slug) for r in named], figures=figures)


def render_places_index(corpus: Corpus, env=None) -> str:
    return (env or markdown_env()).get_template("places_index.md.j2").render(
        kit=Page(corpus, "places/index.md"), tree=place_tree(corpus, None))


# -------------------------------------------------------------------- tags


def render_tag(corpus: Corpus, slug: str, env=None) -> str:
    tag = corpus.registry.tags[slug]
    recs = corpus.records_with_tag(slug)
    rows = comparison(corpus, recs)
    by_place = [{"slug": place, "name": corpus.place_name(place),
                 "cases": [{"id": r.id, "summary": r.summary[:60] + ("…" if len(r.summary) > 60 else "")}
                           for r in recs if r.place == place]}
                for place in _top_places(corpus) if any(r.place == place for r in recs)]
    return (env or markdown_env()).get_template("tag.md.j2").render(
        kit=Page(corpus, tag_path(slug)), tag=tag, group=corpus.registry.groups.get(tag.group), rows=rows,
        header=COMPARE_HEADER, place_path=place_path,
        by_place=by_place)


def render_tags_index(corpus: Corpus, env=None) -> str:
    reg = corpus.registry
    groups = [{"name": g.name, "definition": g.definition,
               "tags": [{"slug": t.slug, "definition": t.definition, "count": len(corpus.records_with_tag(t.slug))}
                        for t in reg.tags.values() if t.group == g.slug]} for g in reg.groups.values()]
    return (env or markdown_env()).get_template("tags_index.md.j2").render(
        kit=Page(corpus, "tags/index.md"), groups=groups)


# ------------------------------------------------------------ home, lists


def render_cases_index(corpus: Corpus, env=None) -> str:
    """全部案例: every record with its one-line summary, filterable by place, tag and level (casebook.js)."""
    reg = corpus.registry
    order = {s: i for i, s in enumerate(reg.places)}
    recs = sorted(corpus.records.values(), key=lambda r: (order.get(r.place, 0), r.id))
    cases = [{"href": rel("cases/index.md", record_path(r.id)).replace(".md", ".html"), "title": r.title,
              "place": corpus.full_place(r), "level": r.level, "summary": _first_sentence(r.summary, 100),
              "places": " ".join(sorted({s for x in (r.place, r.unit) if x for s in [x, *reg.ancestors(x)]})),
              "tags": " ".join(r.tags)} for r in recs]
    places = [p for p in reg.places.values() if p.level in ("地级市", "县级市", "市辖区", "县") and corpus.records_in(p.slug)]
    groups = [{"name": g.name, "tags": [t for t in reg.tags.values() if t.group == g.slug]} for g in reg.groups.values()]
    levels = [lv for lv in ("市级", "县级", "镇街级", "社区级", "村级", "小区级") if any(r.level == lv for r in recs)]
    return (env or markdown_env()).get_template("cases_index.md.j2").render(
        total=len(recs), cases=cases, places=places, groups=groups, levels=levels)


PROBLEMS_PAGE = "problems.md"
START_LINKS = [("常见难题", PROBLEMS_PAGE), ("全部案例", "cases/index.md"), ("按地点浏览", "places/index.md"),
               ("按标签浏览", "tags/index.md"), ("数据一览", "figures.md"), ("检索", "search.md"),
               ("使用指南", "guide/cadres.md")]


def shade(n: int) -> int:
    """How dark a count's cell is on the home overview: 0 (none) to 4 (five cases or more)."""
    return 0 if n <= 0 else 1 if n == 1 else 2 if n == 2 else 3 if n <= 4 else 4


def overview(corpus: Corpus) -> dict:
    """The home page's place × practice counts, by tag group.

    A count is what 全部案例 lists for that place and tag: the records whose
    place or unit is the place or lies within it (so 无锡市 counts 江阴市's
    cases too), the cell's link opening that very list.
    """
    reg = corpus.registry
    places = _top_places(corpus)
    within = {r.id: {s for x in (r.place, r.unit) if x for s in [x, *reg.ancestors(x)]} for r in corpus.records.values()}
    cases = rel("index.md", "cases/index.md").replace(".md", ".html")
    groups = []
    for g in reg.groups.values():
        rows = []
        for t in (t for t in reg.tags.values() if t.group == g.slug):
            tagged = [rid for rid in within if t.slug in corpus.records[rid].tags]
            counts = [sum(1 for rid in tagged if s in within[rid]) for s in places]
            rows.append({"tag": t.slug, "name": t.name, "href": rel("index.md", tag_path(t.slug)).replace(".md", ".html"),
                         "cells": [{"n": n, "shade": shade(n), "place": corpus.place_name(s),
                                    "href": f"{cases}?place={s}&tag={t.slug}"} for n, s in zip(counts, places)]})
        if rows:
            groups.append({"name": g.name, "rows": rows})
    heads = [{"slug": s, "name": corpus.place_name(s),
              "within": [corpus.place_name(q) for q in places if s in reg.ancestors(q)]} for s in places]
    return {"places": heads, "groups": groups}


def render_home(corpus: Corpus, env=None) -> str:
    recs = list(corpus.records.values())
    return (env or markdown_env()).get_template("home.md.j2").render(
        kit=Page(corpus, "index.md"), n_records=len(recs), n_tags=len(corpus.registry.tags),
        n_metrics=sum(len(r.metrics) for r in recs), start=START_LINKS, overview=overview(corpus),
        sep=Markup(" · "))


def render_figures(corpus: Corpus, env=None) -> str:
    """数据一览: every figure; the filter also matches tags and titles; values sort by their number (casebook.js)."""
    here = "figures.md"
    figures = []
    for r in corpus.records.values():
        tags = " ".join(corpus.tag_name(t) for t in r.tags)
        for mt in r.metrics:
            place = r.unit or r.place
            figures.append({
                "place_href": rel(here, place_path(place)).replace(".md", ".html"), "place_name": corpus.place_name(place),
                "rec_href": rel(here, record_path(r.id)).replace(".md", ".html"), "title": r.title, "label": mt.label,
                **dict(zip(("value", "unit"), figure_cells(mt))), "kind": m.METRIC_KIND_LABELS[mt.kind],
                "role": role_label(mt),
                "evidence": mt.evidence, "search": f"{tags} {r.title} {corpus.full_place(r)}",
                "sort": format(sort_value(mt), ".12g")})
    return (env or markdown_env()).get_template("figures.md.j2").render(figures=figures)


def render_search_page(corpus: Corpus, env=None) -> str:
    """A search page with place and tag choices (the same engine as the search box, offline)."""
    reg = corpus.registry
    places = [p for p in reg.places.values()
              if p.level in ("地级市", "县级市", "市辖区", "县") and corpus.records_in(p.slug)]
    groups = [{"name": g.name, "tags": [t for t in reg.tags.values() if t.group == g.slug]} for g in reg.groups.values()]
    return (env or markdown_env()).get_template("search.md.j2").render(places=places, groups=groups)


def render_problems(corpus: Corpus, search, env=None) -> str:
    """常见难题: everyday problems by theme, each with the cases that answer it.

    The problems come from the lexicon (``common_problems``); the cases are
    what the shared search ranks first for each problem, so the page and the
    search box never disagree.
    """
    lex = corpus.registry.lexicon
    themes = [{"name": t.theme, "problems": [{"text": item, "ids": search(item, 3)} for item in t.items]}
              for t in (lex.common_problems if lex else [])]
    return (env or markdown_env()).get_template("problems.md.j2").render(
        kit=Page(corpus, PROBLEMS_PAGE), themes=themes, total=sum(len(t["problems"]) for t in themes),
        hard_break=Markup("  "), indent=Markup("    "))


def render_pages(corpus: Corpus, computed_related: dict[str, list[tuple[str, float]]] | None = None,
                 search=None, views: dict | None = None, diagrams: dict[str, str] | None = None) -> dict[str, str]:
    """All generated pages: ``{docs-relative path: Markdown}``, in a stable order.

    ``search(text, n)`` returns the ids of the records the shared ranking puts
    first for ``text``; it fills the 常见难题 page. ``diagrams`` holds each
    record's 组织架构 drawing (SVG, from :mod:`build_tools.diagrams`).
    """
    computed_related = computed_related or {}
    env = markdown_env()
    views, diagrams = views or {}, diagrams or {}

    def records(ids: list[str]) -> dict[str, str]:
        return {record_path(rid): render_record(corpus, corpus.records[rid], computed_related.get(rid), env,
                                                views.get(rid), diagrams.get(rid)) for rid in ids}

    def places_and_tags() -> tuple[dict[str, str], dict[str, str]]:
        return ({place_path(slug): render_place(corpus, slug, env) for slug in corpus.registry.places},
                {tag_path(slug): render_tag(corpus, slug, env) for slug in corpus.registry.tags})

    ids = list(corpus.records)
    # Many records: a forked child renders the place and tag pages and the second half of
    # the record pages on the other core (at 10,000 records each side has about half the work).
    two = len(ids) >= PARALLEL_RECORDS
    cut = len(ids) // 2 if two else len(ids)
    later = Later(lambda: (records(ids[cut:]), *places_and_tags()), fork=two)
    pages: dict[str, str] = {
        PROBLEMS_PAGE: render_problems(corpus, search or (lambda text, n: []), env),
        "index.md": render_home(corpus, env),
        "cases/index.md": render_cases_index(corpus, env),
        "places/index.md": render_places_index(corpus, env),
        "tags/index.md": render_tags_index(corpus, env),
        "figures.md": render_figures(corpus, env),
        "search.md": render_search_page(corpus, env),
        "compare.md": env.get_template("compare.md.j2").render(
            sections_json=sections_json(), compared=[s.label for s in contract() if s.shown_in("compare")]),
        "mycourse.md": env.get_template("mycourse.md.j2").render(sections_json=sections_json(),
                                                                 limits_json=course_limits_json()),
        **records(ids[:cut]),
    }
    second_half, places, tags = later.get()
    return {**pages, **second_half, **places, **tags}
