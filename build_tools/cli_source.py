"""``casebook source add / check``, ``casebook evidence suggest`` and ``casebook new --from-source``.

A thin layer over :mod:`build_tools.intake` (reading and registering an
article), :mod:`build_tools.source_items` (what it contains, what is covered)
and :mod:`build_tools.drafts` (drafts and evidence suggestions). Bad input is
a Chinese message naming the file and what to do, exit code 1, and nothing
written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .cli_help import ChineseGroup

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _fail(err) -> None:
    """An :class:`~build_tools.intake.IntakeError` said in Chinese, and exit 1."""
    click.echo(f"✘ {err}", err=True)
    click.echo("  没有写入任何文件。", err=True)
    sys.exit(1)


def _cases(path: str) -> Path:
    p = Path(path)
    if not (p / "_registry").is_dir():
        raise click.UsageError(f"找不到案例目录“{p}”（或其中的 _registry/）：请在项目根目录运行，或用 --cases 指定")
    return p


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
def source() -> None:
    """来源文章：读入新文章（source add），查看文章里有什么、哪些已有记录（source check）。"""


@source.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--sources", "sources_dir", required=True, type=click.Path(file_okay=False),
              help="来源目录（项目之外），如 ../shared/sources：文章的文字写到这里。")
@click.option("--id", "sid", default=None, help="来源 id（小写字母、数字、连字符）；省略时由标题生成。")
@click.option("--title", default=None, help="文章标题；省略时取文件里的标题或第一行。")
@click.option("--places", default="", help="文章所写的地点编号或地名，用逗号分隔，如 binhu,wuxi。")
@click.option("--date", default=None, help="文章注明的日期，如 2023-05-18；没有注明就不写。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
def add(file: str, sources_dir: str, sid: str | None, title: str | None, places: str, date: str | None,
        cases_dir: str) -> None:
    """读入一篇新文章 FILE（.txt、.docx、保存的 .html 网页、有文字层的 .pdf），登记为来源。

    \b
    文字统一为 UTF-8（.txt 可以是 UTF-8 或 GBK/GB18030，自动识别），全角标点保留；
    版面标记（下转B5版）单独成行并标为“〔版面〕”，图片说明标为“〔图片说明〕”，
    重复的段落逐一报告（不删除）。文字写到 --sources 目录（项目之外），
    登记项追加到 cases/_registry/sources.yml 末尾。任何一项检查不通过，都不写任何文件。
    """
    from .intake import IntakeError, add_source

    names = [p.strip() for p in places.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    try:
        added = add_source(Path(file), Path(sources_dir), _cases(cases_dir), sid, title, names, date)
    except IntakeError as err:
        _fail(err)
    art = added.article
    click.echo(f"✔ 已写入 {added.file}（{art.lines} 行，{len(art.text)} 字，读自 {art.format}）")
    click.echo(f"✔ 已登记来源“{added.id}”：{added.registry}")
    if art.page_marks:
        click.echo(f"  版面标记 {len(art.page_marks)} 处（第 {'、'.join(map(str, art.page_marks))} 行），已标为“〔版面〕”")
    if art.captions:
        click.echo(f"  图片说明 {len(art.captions)} 处（第 {'、'.join(map(str, art.captions))} 行），已标为“〔图片说明〕”")
    for line, first, whole in art.repeats:
        click.echo(f"  ⚠ 第 {line} 行的段落{'与' if whole else '的内容已在'}第 {first} 行{'重复' if whole else '出现过'}"
                   "（保留未删，引用证据时只用一处）")
    click.echo(f"下一步：casebook source check {added.id} --sources {sources_dir}")


@source.command(context_settings=CONTEXT)
@click.argument("source_id")
@click.option("--sources", "sources_dir", required=True, type=click.Path(file_okay=False),
              help="来源目录，如 ../shared/sources。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help='输出 JSON：{"source": id, "items": [{"kind", "text", "line", "covered_by"}]}。')
def check(source_id: str, sources_dir: str, cases_dir: str, as_json: bool) -> None:
    """列出来源文章 SOURCE_ID 里的做法、数字和人物，以及哪些记录的证据已经覆盖了它们。

    \b
    做法：带引号的名称（“1+3+N”物业服务协调共治体系）、以工作法、机制、模式、平台、
    制度、工程等结尾的名称、“……等做法”里列出的名称、一是……二是……列出的措施；
    数字：带单位的数字和它所在的短句；人物：职务前后的人名。
    一项算“已覆盖”，是指引用这篇文章的记录，其证据或数字的原文短句包含了它。
    表格先列未覆盖的项；序号用于 casebook new --from-source SOURCE_ID --item 序号。
    """
    from .build import run_validation
    from .source_items import KIND_LABELS, check_source

    validation = run_validation(_cases(cases_dir), drafts=True)
    reg = validation.registry
    src = reg.sources.get(source_id)
    if src is None:
        from .intake import IntakeError
        from .shape import suggest

        _fail(IntakeError(reg.sources_file, f"来源“{source_id}”未登记 {suggest(source_id, reg.sources)}".rstrip(),
                          f"已登记的来源：{'、'.join(reg.sources)}；新文章先用 casebook source add 登记"))
    if not (Path(sources_dir) / src.file).is_file():
        from .intake import IntakeError

        _fail(IntakeError(str(Path(sources_dir) / src.file), f"来源“{source_id}”的文章不在来源目录里",
                          "用 --sources 指定来源目录，如 ../shared/sources"))
    records = [r for r, _ in validation.records] + [r for r, _ in validation.drafts]
    result = check_source(records, src, Path(sources_dir))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(f"来源“{source_id}”（{src.title}，{src.file}）：共 {len(result.items)} 项，"
                  f"未覆盖 {len(result.uncovered)} 项", style="bold", markup=False)
    t = Table()
    for col, justify in (("序号", "right"), ("类别", "left"), ("内容", "left"), ("行", "right"), ("已有记录", "left")):
        t.add_column(col, justify=justify, overflow="fold")
    numbered = list(enumerate(result.items, 1))
    for n, it in sorted(numbered, key=lambda x: (bool(x[1].covered_by), x[0])):
        shown = f"{it.key}：{it.text}" if it.kind == "figure" else it.text
        t.add_row(str(n), KIND_LABELS[it.kind], shown, str(it.line), "、".join(it.covered_by) or "（未覆盖）",
                  style="" if it.covered_by else "yellow")
    console.print(t)
    console.print(f"从某一项起草记录：casebook new --from-source {source_id} --item 序号 --sources {sources_dir}",
                  markup=False)


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
def evidence() -> None:
    """证据：为记录的每句陈述找原文中最能支持它的短句（evidence suggest）。"""


@evidence.command(context_settings=CONTEXT)
@click.argument("record")
@click.option("--sources", "sources_dir", required=True, type=click.Path(file_okay=False),
              help="来源目录，如 ../shared/sources。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def suggest(record: str, sources_dir: str, cases_dir: str, as_json: bool) -> None:
    """为记录 RECORD（也可以是草稿）的每句陈述列出原文中最支持它的三个短句（附行号）。

    证据里一个关键词也没有的陈述标为“⚠”：这正是核查时常见的“说得比原文多”，请改写陈述或换证据。
    """
    from .build import run_validation
    from .corpus import build_corpus
    from .drafts import as_dict, suggest_evidence
    from .segment import Segmenter

    validation = run_validation(_cases(cases_dir), drafts=True)
    found = next(((r, d) for r, d in validation.records + validation.drafts if r.id == record), None)
    if found is None:
        click.echo(f"✘ 找不到记录“{record}”（或它没有通过校验：先运行 casebook validate）", err=True)
        sys.exit(1)
    rec, doc = found
    reg = validation.registry
    articles = {}
    for ref in rec.sources:
        src = reg.sources.get(ref.source)
        if src and (Path(sources_dir) / src.file).is_file():
            articles[src.id] = (Path(sources_dir) / src.file).read_text(encoding="utf-8", errors="replace")
    if not articles:
        click.echo(f"✘ {doc.display}：记录引用的来源文章不在 {sources_dir} 里；用 --sources 指定来源目录", err=True)
        sys.exit(1)
    rows = suggest_evidence(rec, doc, articles, Segmenter.for_corpus(build_corpus(validation)))
    if as_json:
        click.echo(json.dumps({"record": rec.id, "statements": as_dict(rows)}, ensure_ascii=False, indent=2))
        return
    console = _console()
    flagged = sum(1 for r in rows if r.unshared)
    console.print(f"== {rec.title}（{rec.id}，{doc.display}）：{len(rows)} 句陈述，{flagged} 句的证据里没有它的关键词",
                  style="bold", markup=False)
    for r in rows:
        console.print(f"\n[{r.field}] 第 {r.line} 行：{r.text}", style="bold", markup=False)
        if r.unshared:
            console.print(f"  ⚠ 证据里没有这句的关键词（{'、'.join(r.keywords)}）：可能说得比原文多", style="yellow",
                          markup=False)
        for s in r.suggestions:
            console.print(f"  · 第 {s.line} 行：{s.clause}（共有：{'、'.join(s.shared)}）", markup=False)
        if not r.suggestions:
            console.print("  （原文中没有含这些关键词的短句）", style="dim", markup=False)


def new_from_source(source_id: str, item: int | None, sources_dir: str | None, place: str | None,
                    rid: str | None, cases_dir: str) -> None:
    """``casebook new --from-source``: draft item ``item`` of the article into ``cases/_drafts/``."""
    from .build import run_validation
    from .drafts import draft_record
    from .intake import IntakeError
    from .project import sources_dir as project_sources

    if item is None:
        raise click.UsageError("--from-source 需要 --item 序号（序号见 casebook source check）")
    cases = _cases(cases_dir)
    sources = Path(sources_dir) if sources_dir else project_sources(cases.resolve().parent)
    if sources is None:
        raise click.UsageError("找不到来源目录：用 --sources 指定，如 ../shared/sources")
    validation = run_validation(cases, drafts=True)
    try:
        path = draft_record(validation, source_id, sources, item, place, rid)
    except IntakeError as err:
        _fail(err)
    click.echo(f"已起草 {path}\n下一步：把每个“【待写】”换成自己的话，删去用不上的证据，"
               f"再运行 casebook validate --sources {sources}")
