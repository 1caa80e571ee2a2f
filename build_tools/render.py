"""Page generation: a pure function from the corpus to Markdown pages.

``render_pages(corpus)`` returns ``{path: markdown}`` with paths relative to
the site's docs root (``cases/<id>.md``, ``places/<slug>.md`` …). Nothing
here imports MkDocs, so the pages can be fed to another generator.

Every text that comes from YAML passes through :func:`esc` (Markdown text)
or :func:`html_esc` (inside raw HTML): a ``<script>`` in a record shows as
text and never runs.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict

from markupsafe import Markup

from . import model as m
from .corpus import Corpus
from .templating import esc, html_esc, markdown_env
from .views import fmt_value, figures_text, record_view


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

    def link(self, text: str, dst: str) -> str:
        return f"[{esc(text)}]({rel(self.path, dst)})"

    def rec(self, rid: str) -> str:
        r = self.c.records[rid]
        return self.link(r.title, record_path(rid))

    def place(self, slug: str) -> str:
        return self.link(self.c.place_name(slug), place_path(slug))

    def tag(self, slug: str) -> str:
        return self.link(self.c.tag_name(slug), tag_path(slug))


# ------------------------------------------------------------------ records


def render_record(corpus: Corpus, rec: m.Record, computed: list[tuple[str, float]] | None = None,
                  env=None) -> str:
    """The Markdown page of one record, from its view and the record template."""
    env = env or markdown_env()
    path = record_path(rec.id)
    view = record_view(corpus, rec)

    def link(text: str, dst: str) -> Markup:
        return Markup(f"[{esc(text)}]({rel(path, dst)})")

    others = [(rid, corpus.records[rid].title, corpus.full_place(corpus.records[rid])) for rid, _ in computed or []]
    return env.get_template("record.md.j2").render(
        v=view, computed=others, link=link, place_name=corpus.place_name, place_path=place_path,
        tag_path=tag_path, record_path=record_path, status_label=m.STATUS_LABELS[rec.status])


# ------------------------------------------------------------------ places


def _top_places(corpus: Corpus) -> list[str]:
    """Places that records name as ``place``, in registry order."""
    used = {r.place for r in corpus.records.values()}
    return [s for s in corpus.registry.places if s in used]


def place_tree_md(p: Page, corpus: Corpus, slug: str | None, depth: int = 0) -> list[str]:
    lines = []
    for child in corpus.children(slug):
        n = len(corpus.records_in(child.slug))
        label = p.place(child.slug) + f"（{esc(child.level)}" + (f"，{n} 条案例）" if n else "）")
        lines.append("    " * depth + f"- {label}")
        lines += place_tree_md(p, corpus, child.slug, depth + 1)
    return lines


def render_place(corpus: Corpus, slug: str) -> str:
    p = Page(corpus, place_path(slug))
    place = corpus.registry.places[slug]
    out = [f"# {esc(place.name)}", ""]
    chain = corpus.place_chain(slug)
    out += ["**位置**：" + " › ".join(p.place(s) for s in chain), "", f"**层级**：{esc(place.level)}", ""]
    kids = place_tree_md(p, corpus, slug)
    if kids:
        out += ["## 下辖地点", ""] + kids + [""]
    recs = corpus.records_in(slug)
    named = [r for r in corpus.records_naming(slug) if r not in recs]
    if not recs and not named:
        out += ["本地点暂无案例记录。", ""]
        return "\n".join(out)
    if recs:
        out += [f"## 案例（{len(recs)} 条）", ""]
        out += [_case_line(p, corpus, r, slug) for r in recs] + [""]
    if named:
        out += [f"## 写到本地的案例（{len(named)} 条）", "", "这些案例记在上级地点名下，正文写到了本地的做法。", ""]
        out += [_case_line(p, corpus, r, slug) for r in named] + [""]
    figures = [(r, mt) for r in recs for mt in r.metrics if mt.kind not in m.CONTEXT_KINDS]
    if figures:
        out += ["## 主要数字", "", "| 数字 | 指标 | 案例 |", "| ---: | --- | --- |"]
        for r, mt in figures[:40]:
            out.append(f"| {fmt_value(mt)}{esc(mt.unit)} | {esc(mt.label)} | {p.rec(r.id)} |")
        if len(figures) > 40:
            out += ["", f"另有 {len(figures) - 40} 项数字，见{p.link('数据一览', 'figures.md')}。"]
        out.append("")
    return "\n".join(out)


def _case_line(p: Page, corpus: Corpus, r: m.Record, here: str) -> str:
    """One case on a place page: link, unit when below this place, one-line summary, tags."""
    unit = f"（{esc(corpus.place_name(r.unit))}）" if r.unit and r.unit != here else ""
    first = r.summary.split("。")[0][:80]
    tags = "、".join(p.tag(t) for t in r.tags if t in corpus.registry.tags)
    return f"- {p.rec(r.id)}{unit}：{esc(first)}。" + (f" 标签：{tags}" if tags else "")


def render_places_index(corpus: Corpus) -> str:
    p = Page(corpus, "places/index.md")
    out = ["# 地点", "", "从省到市、县（区）、街道（镇）和社区（村）逐级浏览。括号中是该地及下辖地点的案例数。", ""]
    out += place_tree_md(p, corpus, None)
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------- tags


def render_tag(corpus: Corpus, slug: str) -> str:
    p = Page(corpus, tag_path(slug))
    tag = corpus.registry.tags[slug]
    group = corpus.registry.groups.get(tag.group)
    out = [f"# {esc(tag.name)}", ""]
    if group:
        out += [f"**分组**：{esc(group.name)}", ""]
    out += ['<div class="cb-summary" markdown>', "", esc(tag.definition), "", "</div>", ""]
    if tag.synonyms:
        out += ["**相关说法**：" + "、".join(esc(s) for s in tag.synonyms), ""]
    if tag.note:
        out += [f"**说明**：{esc(tag.note)}", ""]
    recs = corpus.records_with_tag(slug)
    if not recs:
        out += ["暂无使用此标签的案例。", ""]
        return "\n".join(out)
    out += ["## 各地做法对比", "",
            "| 地点 | 案例 | 实施层级 | 主要数字 | 组织链条 |", "| --- | --- | --- | --- | --- |"]
    for r in recs:
        chain = " → ".join(esc(s) for s in r.structure) if r.structure else "—"
        out.append(f"| {p.place(r.unit or r.place)} | {p.rec(r.id)} | {esc(r.level)} | {esc(figures_text(r))} | {chain} |")
    out.append("")
    out += ["## 按地点", ""]
    by_place: dict[str, list[m.Record]] = defaultdict(list)
    for r in recs:
        by_place[r.place].append(r)
    for place in _top_places(corpus):
        if place in by_place:
            out += [f"### {esc(corpus.place_name(place))} {{#{place}}}", ""]
            out += [f"- {p.rec(r.id)}：{esc(r.summary[:60])}{'…' if len(r.summary) > 60 else ''}" for r in by_place[place]] + [""]
    return "\n".join(out)


def render_tags_index(corpus: Corpus) -> str:
    p = Page(corpus, "tags/index.md")
    out = ["# 实践标签", "", "标签分两级：先按工作领域分组，再细分到具体做法。括号中是案例数。", ""]
    for g in corpus.registry.groups.values():
        out += [f"## {esc(g.name)}", "", esc(g.definition), ""]
        for t in corpus.registry.tags.values():
            if t.group == g.slug:
                out.append(f"- {p.tag(t.slug)}（{len(corpus.records_with_tag(t.slug))}）：{esc(t.definition)}")
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------ home, lists


def render_cases_index(corpus: Corpus) -> str:
    p = Page(corpus, "cases/index.md")
    out = ["# 全部案例", "", f"共 {len(corpus.records)} 条，按地点排列。", ""]
    for place in _top_places(corpus):
        recs = [r for r in corpus.records.values() if r.place == place]
        out += [f"## {esc(corpus.place_name(place))}", ""]
        out += [f"- {p.rec(r.id)}" + (f"（{esc(corpus.place_name(r.unit))}）" if r.unit else "") for r in recs] + [""]
    return "\n".join(out)


def render_home(corpus: Corpus) -> str:
    p = Page(corpus, "index.md")
    recs = list(corpus.records.values())
    places = _top_places(corpus)
    n_metrics = sum(len(r.metrics) for r in recs)
    out = [
        "# 基层治理案例库", "",
        "汇集江苏多地党建引领基层治理的工作方法：每条案例讲清背景、做法、组织架构、成效数字和经验，"
        "并附思考题，供社区书记、街道和区县干部学习借鉴，也供党校和培训中心组织案例教学。", "",
        f"**收录**：{len(recs)} 条案例 · {len(places)} 个地区 · {len(corpus.registry.tags)} 个实践标签 · {n_metrics} 项数字", "",
        "**从这里开始**：" + " · ".join([
            p.link("常见难题", PROBLEMS_PAGE), p.link("全部案例", "cases/index.md"), p.link("按地点浏览", "places/index.md"),
            p.link("按标签浏览", "tags/index.md"), p.link("数据一览", "figures.md"), p.link("检索", "search.md"),
            p.link("使用指南", "guide/cadres.md")]), "",
        "按顶部搜索框输入中文即可检索，不需要空格，例如“外卖骑手怎么参与社区治理”“红色物业”“三岗十八级”。", "",
        "## 哪里有哪种做法", "",
        "行是实践标签，列是地区，数字是案例数；点击数字查看该地的做法。", "",
    ]
    header = "| 标签 | " + " | ".join(esc(corpus.place_name(s)) for s in places) + " |"
    out += [header, "| --- |" + " ---: |" * len(places)]
    for t in corpus.registry.tags.values():
        cells = []
        for s in places:
            n = sum(1 for r in recs if r.place == s and t.slug in r.tags)
            cells.append(f"[{n}]({rel('index.md', tag_path(t.slug) + '#' + s)})" if n else "·")
        out.append(f"| {p.tag(t.slug)} | " + " | ".join(cells) + " |")
    out.append("")
    return "\n".join(out)


def render_figures(corpus: Corpus) -> str:
    p = Page(corpus, "figures.md")
    out = ["# 数据一览", "",
           "全部案例中的数字。在下方输入框中输入文字可筛选（如“网格”“无锡”），点击表头可排序；离线也能使用。", "",
           '<div class="cb-filter"><label>筛选：<input type="search" class="cb-filter__input" '
           'placeholder="输入地点、指标或案例名称" data-cb-filter="cb-figures"></label> '
           '<span class="cb-filter__count" aria-live="polite"></span></div>', "",
           '<div id="cb-figures" class="cb-sortable" markdown>', "",
           "| 地点 | 案例 | 指标 | 数值 | 单位 | 类型 | 证据原文 |",
           "| --- | --- | --- | ---: | --- | --- | --- |"]
    for r in corpus.records.values():
        for mt in r.metrics:
            out.append(f"| {p.place(r.unit or r.place)} | {p.rec(r.id)} | {esc(mt.label)} | {fmt_value(mt)} | "
                       f"{esc(mt.unit)} | {m.METRIC_KIND_LABELS[mt.kind]} | “{esc(mt.evidence)}” |")
    out += ["", "</div>", ""]
    return "\n".join(out)


def render_search_page(corpus: Corpus) -> str:
    """A search page with place and tag choices (the same engine as the search box, offline)."""
    places = [p for p in corpus.registry.places.values()
              if p.level in ("地级市", "县级市", "市辖区", "县") and corpus.records_in(p.slug)]
    opt_places = "".join(f'<option value="{html_esc(p.slug)}">{html_esc(p.name)}</option>' for p in places)
    groups = []
    for g in corpus.registry.groups.values():
        opts = "".join(f'<option value="{html_esc(t.slug)}">{html_esc(t.name)}</option>'
                       for t in corpus.registry.tags.values() if t.group == g.slug)
        groups.append(f'<optgroup label="{html_esc(g.name)}">{opts}</optgroup>')
    return "\n".join([
        "# 检索", "",
        "输入中文（不用空格），可再限定地点和标签；没有网络也能用。只选地点或标签、不填文字，会列出该范围内的全部案例。", "",
        '<form class="cb-search-form" data-cb-search role="search">',
        '<label>检索词 <input type="search" name="q" placeholder="如：外卖骑手怎么参与社区治理" autocomplete="off"></label>',
        f'<label>地点 <select name="place"><option value="">全部地点</option>{opt_places}</select></label>',
        f'<label>标签 <select name="tag"><option value="">全部标签</option>{"".join(groups)}</select></label>',
        '<button type="submit" class="md-button md-button--primary">检索</button>',
        "</form>", "",
        '<p class="cb-search-status" aria-live="polite"></p>',
        '<ol class="cb-search-results"></ol>', "",
    ])


PROBLEMS_PAGE = "problems.md"


def render_problems(corpus: Corpus, search) -> str:
    """常见难题: everyday problems by theme, each with the cases that answer it.

    The problems come from the lexicon (``common_problems``); the cases are
    what the shared search ranks first for each problem, so the page and the
    search box never disagree.
    """
    p = Page(corpus, PROBLEMS_PAGE)
    lex = corpus.registry.lexicon
    themes = lex.common_problems if lex else []
    n = sum(len(t.items) for t in themes)
    out = ["# 常见难题", "",
           f"社区书记、街道和村干部常遇到的 {n} 个难题，按主题分组；每个难题下面是能回答它的案例。"
           "没有找到自己的问题，可以直接用自己的话在顶部搜索框里搜。", ""]
    for theme in themes:
        out += [f"## {esc(theme.theme)}", ""]
        for item in theme.items:
            ids = search(item, 3)
            links = "；".join(p.rec(rid) for rid in ids) or "暂无对应案例"
            out += [f"- **{esc(item)}**  ", f"    {links}", ""]
    return "\n".join(out)


def render_pages(corpus: Corpus, computed_related: dict[str, list[tuple[str, float]]] | None = None,
                 search=None) -> dict[str, str]:
    """All generated pages: ``{docs-relative path: Markdown}``, in a stable order.

    ``search(text, n)`` returns the ids of the records the shared ranking puts
    first for ``text``; it fills the 常见难题 page.
    """
    computed_related = computed_related or {}
    pages: dict[str, str] = {
        PROBLEMS_PAGE: render_problems(corpus, search or (lambda text, n: [])),
        "index.md": render_home(corpus),
        "cases/index.md": render_cases_index(corpus),
        "places/index.md": render_places_index(corpus),
        "tags/index.md": render_tags_index(corpus),
        "figures.md": render_figures(corpus),
        "search.md": render_search_page(corpus),
    }
    env = markdown_env()
    for rid, rec in corpus.records.items():
        pages[record_path(rid)] = render_record(corpus, rec, computed_related.get(rid), env)
    for slug in corpus.registry.places:
        pages[place_path(slug)] = render_place(corpus, slug)
    for slug in corpus.registry.tags:
        pages[tag_path(slug)] = render_tag(corpus, slug)
    return pages
