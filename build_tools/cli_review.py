"""``casebook review``: one record's reader-facing sentences next to their evidence, for a second reader.

A thin layer over :mod:`build_tools.review`. Exit codes as everywhere:
0 done, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from .cli_help import ChineseCommand

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(cls=ChineseCommand, context_settings=CONTEXT)
@click.argument("records", nargs=-1, required=True)
@click.option("--sources", "sources_dir", required=True, type=click.Path(file_okay=False),
              help="来源文章目录，如 ../shared/sources。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def review(records: tuple[str, ...], sources_dir: str, cases_dir: str, as_json: bool) -> None:
    """逐句列出记录中读者看得到的文字和它的证据原文，标出差异，供第二位读者核对。

    \b
    标出的差异：证据里没有的强度词（建成、全部、一一对应……）、丢掉的限定词（近、余、超……）、
    名称里的数字被当成统计数字、引号里原文没有的说法、来源说明里的工作笔记用语、
    分析和启示里写成事实而报道没有写到的效果（认同感、更容易……）、重复编者分析的经验启示；
    每一句“原文没有……”都列出原文中含有相同关键词的句子（说法只用“两者”“效果”这类抽象的词时，
    按这一句和同一段前文里的具体词找，说没写效果的再列出做法名称附近写结果的句子），请逐条确认；
    一句也找不到的标出来，须有人通读原文。
    RECORDS 是一个或多个记录 id。
    """
    from .build import run_validation
    from .review import review as make_sheet

    cases, sources = Path(cases_dir), Path(sources_dir)
    if not cases.is_dir():
        raise click.UsageError(f"找不到案例目录“{cases}”：请在项目根目录运行，或用 --cases 指定")
    if not sources.is_dir():
        raise click.UsageError(f"找不到来源目录“{sources}”：核对要读原文，请用 --sources 指定")
    validation = run_validation(cases, sources)
    sheets, missing = [], []
    for rid in records:
        sheet = make_sheet(validation, rid, sources)
        (sheets.append(sheet) if sheet else missing.append(rid))
    if as_json:
        click.echo(json.dumps({"records": [s.as_dict() for s in sheets], "missing": missing},
                              ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False, soft_wrap=True)
        for sheet in sheets:
            _print_sheet(console, sheet)
        for rid in missing:
            console.print(f"✘ 找不到记录“{rid}”（或它没有通过校验：先运行 casebook validate）", style="red", markup=False)
    sys.exit(1 if missing else 0)


def _print_sheet(console: Console, sheet) -> None:
    console.print(f"== {sheet.title}（{sheet.id}，{sheet.file}）", style="bold", markup=False)
    console.print(f"   共 {len(sheet.lines)} 处文字，{sheet.marked} 处需要留意"
                  + (f"，{sheet.unchecked} 句“原文没有……”找不到可对照的原文句子，须通读原文" if sheet.unchecked else ""),
                  style="dim", markup=False)
    for ln in sheet.lines:
        style = "yellow" if ln.marks or ln.absences else ""
        console.print(f"\n[{ln.field}] 第 {ln.line} 行", style="bold " + style if style else "bold", markup=False)
        console.print(f"  文字：{ln.text}", markup=False)
        if ln.own_evidence:
            console.print("  证据：" + ("；".join(f"“{e}”" for e in ln.evidence) or "（没有证据）"), style="green",
                          markup=False)
        else:
            console.print("  证据：（这一栏没有自己的证据，对照全记录的证据读）", style="dim", markup=False)
        for mk in ln.marks:
            console.print(f"  ⚠ {mk}", style="yellow", markup=False)
        for ab in ln.absences:
            console.print(f"  ？ “{ab.claim}”——原文中可能相关的句子：", style="cyan", markup=False)
            if ab.keys:
                console.print(f"     （说法用的是抽象的词，按这一句和同一段前文里的具体词找：{'、'.join(ab.keys)}）",
                              style="dim", markup=False)
            for c in ab.candidates:
                console.print(f"     · {c.sentence}（共有：{'、'.join(c.shared)}）", markup=False)
            for c in ab.results:
                console.print(f"     · 写结果的句子：{c.sentence}（{'、'.join(c.shared)}）", markup=False)
            if ab.unchecked:
                console.print("  ⚠ 原文中没有可对照的句子：须有人通读原文这一段，确认原文确实没有写", style="yellow",
                              markup=False)
    console.print("")
