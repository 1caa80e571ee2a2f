"""The ``casebook`` command: a thin layer over the library.

Every command calls a library function and only formats its result, so all
logic stays testable without a subprocess. Bad input never ends in a
traceback: problems are printed and the exit code says what happened
(0 clean, 1 problems found, 2 usage error).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import __version__
from .cli_help import VERSION_TEXT, ChineseGroup
from .problems import ERROR, INFO, WARNING

PARTIAL_NOTE = "没有同时包含全部词语的案例，以下按匹配程度列出。"
NOTHING_NOTE = "库里暂时没有直接讲这个问题的案例。"
ELSEWHERE_NOTE = "也可以看网站上的“常见难题”页，或在“标签”页按做法浏览。"
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _cases_dir(path: str | None) -> Path:
    p = Path(path or "cases")
    if not p.is_dir():
        raise click.UsageError(f"找不到案例目录“{p}”：请在项目根目录运行，或给出 CASES_DIR")
    return p


def _checked_corpus(cases_dir: str | None, not_done: str):
    """The corpus as the site sees it, or every problem printed and exit 1 (saying what was not done)."""
    from .build import load_corpus

    corpus, validation = load_corpus(_cases_dir(cases_dir))
    if not validation.report.valid:
        for p in validation.report.sorted():
            click.echo(p.format(), err=True)
        click.echo(f"✘ 记录未通过校验，{not_done}", err=True)
        sys.exit(1)
    return corpus


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="casebook", message="%(prog)s %(version)s", help=VERSION_TEXT)
def main() -> None:
    """基层治理案例库命令行工具：校验记录、构建站点与检索索引、生成课程包。

    \b
    常用命令：
      casebook validate --strict --sources ../shared/sources   校验全部记录
      casebook new --place binhu --title 某某工作法             新建记录骨架
      casebook source add 文章.docx --sources ../shared/sources  读入新文章；source check 看它有什么、哪些已有记录
      casebook new --from-source 来源id --item 3                 从文章的第 3 项起草记录（放在 cases/_drafts/）
      casebook stats                                           统计
      casebook review 记录id --sources ../shared/sources       逐句对照证据，供第二位读者核对
      casebook build                                           校验并构建网站 site/ 和检索索引
      casebook index && casebook search 外卖骑手怎么参与社区治理  命令行检索
      casebook course build courses/xinjiuye-qunti.yml         生成课程包
      casebook export --format xlsx                            导出记录和数字（json、csv、xlsx）
      casebook concepts --against HEAD                         改了概念登记表后，哪些记录多了或少了概念
    """


@main.command(context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="把警告也当作错误（CI 使用）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题列表，供其他工具使用。")
@click.option("--sources", "sources_dir", type=click.Path(), default=None,
              help="来源文章目录（如 ../shared/sources）：核对每条证据是否逐字出自原文。")
def validate(cases_dir: str | None, strict: bool, as_json: bool, sources_dir: str | None) -> None:
    """校验 CASES_DIR（默认 cases/）下的全部记录和登记表，一次列出所有问题。

    退出码：0 无问题；1 发现问题；2 用法错误。
    """
    from .build import run_validation

    cases = _cases_dir(cases_dir)
    validation = run_validation(cases, Path(sources_dir) if sources_dir else None, strict, drafts=True)
    report = validation.report
    if as_json:
        click.echo(json.dumps({
            "valid": report.valid,
            "records": len(validation.documents),
            "problems": [p.as_dict() for p in report.sorted()],
        }, ensure_ascii=False, indent=2))
    else:
        _print_checked(report.sorted(), f"共 {len(validation.documents)} 条记录", strict)
    sys.exit(0 if report.valid else 1)


def _print_checked(problems: list, what: str, strict: bool) -> bool:
    """Every problem on its own line, then the verdict (``casebook validate``'s format); whether it passed."""
    console = _console()
    for p in problems:
        style = {ERROR: "red", WARNING: "yellow", INFO: "dim"}.get(p.severity, "")
        if strict and p.severity == WARNING:
            style = "red"
        console.print(p.format(), style=style, markup=False)
    counts = Counter(p.severity for p in problems)
    ok = not counts[ERROR] and not (strict and counts[WARNING])
    summary = (f"{what}：{counts[ERROR]} 个错误，{counts[WARNING]} 个警告"
               + ("（--strict：警告按错误计）" if strict and counts[WARNING] else ""))
    console.print(("✔ " if ok else "✘ ") + summary + ("，校验通过" if ok else ""),
                  style="green" if ok else "red bold", markup=False)
    return ok


@main.command(context_settings=CONTEXT)
@click.option("--place", default=None, help="地点编号，如 binhu（见 cases/_registry/places/）。")
@click.option("--title", default=None, help="做法名称（中文）。")
@click.option("--id", "rid", default=None, help="记录 id（ASCII）；省略时自动生成。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
@click.option("--from-source", "from_source", default=None, help="来源 id：从这篇文章起草（草稿写到 cases/_drafts/）。")
@click.option("--item", type=int, default=None, help="和 --from-source 一起用：casebook source check 列出的序号。")
@click.option("--sources", "sources_dir", default=None, type=click.Path(file_okay=False),
              help="和 --from-source 一起用：来源目录（默认项目旁的 ../shared/sources）。")
def new(place: str | None, title: str | None, rid: str | None, cases_dir: str, from_source: str | None,
        item: int | None, sources_dir: str | None) -> None:
    """按模板新建一条记录骨架，写到 cases/<地点>/<id>.yml；或用 --from-source 从文章起草。

    --from-source 来源id --item 序号：草稿写到 cases/_drafts/<id>.yml，附上地点、来源、标题候选，
    文章中这一项前后每句话一个陈述位置，证据原文已填好，陈述留给编辑写（“【待写】”）。
    """
    from .build import new_record

    if from_source:
        from .cli_source import new_from_source

        return new_from_source(from_source, item, sources_dir, place, rid, cases_dir)
    if not place or not title:
        raise click.UsageError("需要 --place 和 --title（或用 --from-source 从文章起草）")
    try:
        path = new_record(_cases_dir(cases_dir), place, title, rid)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    click.echo(f"已创建 {path}\n下一步：补全内容后运行 casebook validate")


@main.command(context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def stats(cases_dir: str | None, as_json: bool) -> None:
    """统计：各地点、各标签的记录数，指标数，状态分布。"""
    from .build import corpus_stats, run_validation

    validation = run_validation(_cases_dir(cases_dir), None, False)
    data = corpus_stats(validation)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = _console()
    t = Table(title="按地点")
    t.add_column("地点")
    t.add_column("记录数", justify="right")
    t.add_column("指标数", justify="right")
    for row in data["places"]:
        t.add_row(row["name"], str(row["records"]), str(row["metrics"]))
    console.print(t)
    t = Table(title="按标签")
    t.add_column("分组")
    t.add_column("标签")
    t.add_column("记录数", justify="right")
    t.add_column("说明")
    for row in data["tags"]:
        t.add_row(row["group"], f"{row['name']}（{row['slug']}）", str(row["records"]),
                  row["note"] or ("" if row["records"] >= 2 else "少于两条记录"))
    console.print(t)
    t = Table(title="事实陈述的证据（逐字出自来源文章）")
    t.add_column("内容")
    t.add_column("条数", justify="right")
    t.add_column("附证据", justify="right")
    t.add_column("占比", justify="right")
    from .sections import label

    for key, row in data["evidence"].items():
        share = f"{row['with_evidence'] / row['items']:.0%}" if row["items"] else "—"
        t.add_row(label(key), str(row["items"]), str(row["with_evidence"]), share)
    console.print(t)
    console.print(f"{label('analysis')} {data['analysis_items']} 条（不作为事实）；{label('problems')} {data['problems']} 条；"
                  f"注明年份的记录 {data['as_of']} 条；原文着墨不多的记录 {data['thin']} 条", markup=False)
    st = data["status"]
    console.print(f"记录 {data['records']} 条（完成 {st.get('complete', 0)}，部分完成 {st.get('partial', 0)}，"
                  f"草稿 {st.get('stub', 0)}）；指标 {data['metrics']} 个；未通过校验的文件 {data['invalid_files']} 个",
                  markup=False)


@main.command(context_settings=CONTEXT)
@click.option("--out", default="schema/record.schema.json", show_default=True, type=click.Path(dir_okay=False))
def schema(out: str) -> None:
    """从数据模型生成记录的 JSON Schema（编辑器用它边写边校验）。"""
    from .build import write_schema

    path = write_schema(Path(out))
    click.echo(f"已写出 {path}")


@main.command(context_settings=CONTEXT)
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False),
              help="网站输出目录。")
@click.option("--builder", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="mkdocs：MkDocs + Material；zensical：Material 的后继者 Zensical（页面先写成文档目录再构建）。")
@click.option("--index-dir", default="search_index", show_default=True, type=click.Path(file_okay=False),
              help="命令行检索索引目录（同 casebook index --out）。")
@click.option("--no-index", is_flag=True, help="只构建网站，不更新命令行检索索引。")
def build(site_dir: str, builder: str, index_dir: str, no_index: bool) -> None:
    """校验记录和课程，构建网站（site/）和命令行检索索引（search_index/）。

    记录只读一遍、校验一遍（严格模式，旁边有来源文章时逐字核对证据），依次完成 casebook validate、casebook course check、网站和 casebook index 的工作。有问题时一个都不写：原有 site/ 和 search_index/ 保持不变。
    """
    import logging

    from .build import Build, BuildError

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if not Path("mkdocs.yml").is_file():
        raise click.UsageError("找不到 mkdocs.yml：请在项目根目录运行")
    run = Build(Path("."), Path(site_dir), None if no_index else Path(index_dir), builder)
    strict = run.pipeline.strict

    def show(stage: str, value) -> None:
        if stage == "validate":
            _print_checked(value.report.sorted(), f"共 {len(value.documents)} 条记录", strict)
        elif stage == "courses":
            _print_checked(sorted(value[1], key=lambda p: (p.file, p.line, p.column, p.code)),
                           f"共 {value[0]} 个课程", strict)
        elif stage == "site":
            pages = sum(1 for _ in value.rglob("*.html"))
            click.echo(f"✔ 网站已构建到 {value}（{pages} 个页面）；可直接打开 {value / 'index.html'}")
        elif stage == "index":
            click.echo(_indexed(value, index_dir))

    failed = "✘ 构建失败，原有网站" + ("未改动" if no_index else "和检索索引未改动")
    try:
        report = run.run(show)
    except BuildError as err:
        click.echo(str(err), err=True)
        click.echo(failed, err=True)
        sys.exit(1)
    if not report.valid:
        click.echo(failed, err=True)
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False))
@click.option("--out", default="dist/casebook-site.zip", show_default=True, type=click.Path(dir_okay=False))
def dist(site_dir: str, out: str) -> None:
    """把已构建的网站打包成 zip（文件名全为 ASCII，附使用说明），复制到 U 盘离线使用。"""
    from .build import BuildError
    from .dist import make_dist

    try:
        path = make_dist(Path(site_dir), Path(out))
    except BuildError as err:
        click.echo(f"✘ {err}", err=True)
        sys.exit(1)
    click.echo(f"✔ 已打包 {path}（{path.stat().st_size // 1024} KB）：解压后双击 casebook-site/index.html")


@main.command(context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(file_okay=False))
@click.option("--out", "index_dir", default="search_index", show_default=True, type=click.Path(file_okay=False),
              help="索引目录。")
def index(cases_dir: str | None, index_dir: str) -> None:
    """建立或更新命令行检索索引（Whoosh）。只重写有改动的记录。"""
    from .whoosh_index import build_whoosh

    from .project import cache_dir

    corpus = _checked_corpus(cases_dir, "索引未更新")
    root = Path(corpus.cases_dir or "cases").resolve().parent
    r = build_whoosh(corpus, Path(index_dir), cache=cache_dir(root) / "segments.pickle")
    click.echo(_indexed(r, index_dir))


def _indexed(r, index_dir: str) -> str:
    """The line that says what ``build_whoosh`` did."""
    how = "重建" if r.rebuilt else "更新"
    return f"✔ 已{how}索引 {index_dir}：新增 {r.added}，更新 {r.updated}，删除 {r.removed}，未变 {r.unchanged}"


@main.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--tag", default=None, help="只看带此标签的记录（标签编号，如 hongse-wuye）。")
@click.option("--place", default=None, help="只看此地点及下辖地点的记录（地点编号，如 wuxi）。")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：结果列表，每条有 id、title、place、score、snippet、tags 和 match（direct 直接相关，related 仅可能相关）。")
@click.option("--index-dir", default="search_index", show_default=True, type=click.Path(file_okay=False))
def search(query: tuple[str, ...], tag: str | None, place: str | None, limit: int, as_json: bool, index_dir: str) -> None:
    """检索案例。QUERY 直接写中文，不用加空格；用引号括起的词组须整体出现，如 '"快递小哥"'。

    
    例：casebook search 外卖骑手怎么参与社区治理
        casebook search 网格 --place changzhou --limit 5
    """
    from .whoosh_index import Searcher

    try:
        s = Searcher(Path(index_dir))
    except FileNotFoundError as err:
        click.echo(f"✘ {err}", err=True)
        sys.exit(2)
    try:
        hits = s.search(" ".join(query), tag=tag, place=place, limit=limit)
    finally:
        s.close()
    if as_json:
        click.echo(json.dumps([h.__dict__ for h in hits], ensure_ascii=False, indent=2))
        return
    console = _console()
    if hits.nothing:
        console.print(NOTHING_NOTE + ("下面几条可能相关：" if hits else ""), style="yellow", markup=False)
        for i, h in enumerate(hits, 1):
            console.print(f"{i}. （可能相关）{h.title}", style="bold", markup=False)
            console.print(f"   {h.place} · {h.id}", style="dim", markup=False)
        console.print(ELSEWHERE_NOTE, markup=False)
        sys.exit(0)
    if not hits:
        hint = ("检索词都不在案例库里：试试少输几个字、换个常用说法，或看网站上的“常见难题”页。" if not hits.known
                else "没有找到相关案例。试试换个说法，或去掉 --tag / --place 限定。")
        console.print(hint, markup=False)
        sys.exit(0)
    if hits.partial:
        console.print(PARTIAL_NOTE, style="yellow", markup=False)
    for i, h in enumerate(hits, 1):
        console.print(f"{i}. {h.title}", style="bold", markup=False)
        console.print(f"   {h.place} · {h.id} · 相关度 {h.score}", style="dim", markup=False)
        console.print(f"   {h.snippet}", markup=False)


@main.command(context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="xlsx", show_default=True,
              help="json：全部记录和数字；csv：records.csv 与 figures.csv（带 BOM，Excel、WPS 可直接打开）；xlsx：一个工作簿两张表。")
@click.option("--out", default="export", show_default=True, type=click.Path(file_okay=False), help="输出目录。")
@click.option("--ids", is_flag=True,
              help="表头用固定的英文列名、地点和标签用编号，供程序读取（列名见编辑指南“导出”）；不加时表头是中文，编号在最后几列。")
def export(cases_dir: str | None, fmt: str, out: str, ids: bool) -> None:
    """导出记录和数字：表头是中文，地点、标签写名称，Excel 表头冻结、可筛选。"""
    from .export import export as write

    corpus = _checked_corpus(cases_dir, "未导出")
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in write(corpus, fmt, ids).items():
        (out_dir / name).write_bytes(data)
        click.echo(f"✔ 已写出 {out_dir / name}（{len(data) // 1024} KB）")


def _register_subcommands() -> None:
    """Command groups that live in their own modules."""
    from .cli_concepts import concepts
    from .cli_course import course
    from .cli_review import review
    from .cli_source import evidence, source

    main.add_command(course)
    main.add_command(concepts)
    main.add_command(review)
    main.add_command(source)
    main.add_command(evidence)


_register_subcommands()


def run() -> None:
    """Entry point: never let a traceback reach the user for ordinary failures."""
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("已中断", err=True)
        sys.exit(130)


if __name__ == "__main__":  # python -m build_tools.cli … must run the command, not import and exit 0 silently
    run()
