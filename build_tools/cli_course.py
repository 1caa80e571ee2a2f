"""``casebook course``: course packs for trainers (a thin layer over :mod:`build_tools.courses`).

Exit codes as everywhere: 0 done, 1 problems found (printed one a line as
``casebook validate`` prints them), 2 usage error.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click
from rich.console import Console

from .cli_help import ChineseGroup
from .problems import ERROR, INFO, WARNING, Problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console(stderr: bool = False) -> Console:
    return Console(highlight=False, soft_wrap=True, stderr=stderr)


def _cases_dir(path: str) -> Path:
    p = Path(path)
    if not p.is_dir():
        raise click.UsageError(f"找不到案例目录“{p}”：请在项目根目录运行，或用 --cases 指定")
    return p


def _corpus(cases: str):
    """The corpus, or exit 1 after printing the records' problems."""
    from .build import load_corpus

    corpus, validation = load_corpus(_cases_dir(cases))
    if not validation.report.valid:
        _print_problems(validation.report.errors())
        _console().print("✘ 案例记录未通过校验，课程包未生成；请先运行 casebook validate 修正", style="red bold",
                         markup=False)
        sys.exit(1)
    return corpus


def _print_problems(problems: list[Problem]) -> Counter:
    console = _console()
    ordered = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))
    for p in ordered:
        style = {ERROR: "red", WARNING: "yellow", INFO: "dim"}.get(p.severity, "")
        console.print(p.format(), style=style, markup=False)
    return Counter(p.severity for p in ordered)


def _spec_paths(specs: tuple[str, ...], default_dir: str = "courses") -> list[Path]:
    from .courses import course_files

    if not specs:
        paths = course_files(Path(default_dir)) if Path(default_dir).is_dir() else []
        if not paths:
            raise click.UsageError(f"没有给出课程文件，{default_dir}/ 下也没有 *.yml")
        return paths
    out = []
    for s in specs:
        p = Path(s)
        if not p.is_file():
            raise click.UsageError(f"找不到课程文件“{p}”" + ("（这是一个目录）" if p.is_dir() else ""))
        out.append(p)
    return out


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
def course() -> None:
    """课程包：从案例中编排教学课程，生成学员版和教师版（HTML、Word、Markdown）。

    \b
    常用命令：
      casebook course new --title 红色物业与小区治理 --tag hongse-wuye   生成课程骨架
      casebook course check                                               校验 courses/ 下的全部课程
      casebook course build courses/x.yml --edition trainer --format html,docx
      casebook course styles                                              取出 Word 样式模板，改样式用
    """


@course.command(context_settings=CONTEXT)
@click.option("--title", required=True, help="课程名称（中文）。")
@click.option("--tag", "tags", multiple=True, help="标签编号，可写多次：带任一标签的记录（多个标签时每个标签一个单元）。")
@click.option("--place", "places", multiple=True, help="地点编号，可写多次：地点或单位在其辖区内的记录。")
@click.option("--query", default=None, help="检索词（中文，不用空格）：按相关度选记录。")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="输出文件；默认 courses/<由标题生成的 id>.yml。")
@click.option("--force", is_flag=True, help="覆盖已有的文件。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
def new(title: str, tags: tuple[str, ...], places: tuple[str, ...], query: str | None, out: str | None,
        force: bool, cases_dir: str) -> None:
    """生成课程骨架：按标签、地点或检索词预先填好匹配的记录，打开后按需修改。"""
    from .courses import course_slug, new_spec

    if not (tags or places or query):
        raise click.UsageError("请至少给出 --tag、--place、--query 之一，用来挑选案例")
    corpus = _corpus(cases_dir)
    try:
        text, ids = new_spec(corpus, title, tags, places, query)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    if not ids:
        click.echo("✘ 没有匹配的记录：请换一个标签、地点或检索词（casebook stats 列出各标签的记录数）", err=True)
        sys.exit(1)
    path = Path(out) if out else Path("courses") / f"{course_slug(title)}.yml"
    if path.exists() and not force:
        raise click.UsageError(f"文件“{path}”已存在；换一个 --out，或加 --force 覆盖")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"✔ 已写出 {path}（{len(ids)} 条案例）\n下一步：修改教学目标和讨论题后运行 casebook course build {path}")


@course.command(context_settings=CONTEXT)
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
def check(specs: tuple[str, ...], cases_dir: str) -> None:
    """校验课程文件 SPECS（默认 courses/ 下全部）：记录 id、筛选条件、课时，以及旁边的 Word 样式模板 reference.docx。"""
    from .courses import check_course, load_course
    from .courses.reference import reference_problems

    paths = _spec_paths(specs)
    corpus = _corpus(cases_dir)
    problems: list[Problem] = reference_problems([p.parent for p in paths])
    for p in paths:
        problems += check_course(load_course(p), corpus)[1]
    counts = _print_problems(problems)
    ok = not counts[ERROR]
    _console().print(("✔ " if ok else "✘ ") + f"共 {len(paths)} 个课程：{counts[ERROR]} 个错误，{counts[WARNING]} 个警告"
                     + ("，校验通过" if ok else ""), style="green" if ok else "red bold", markup=False)
    sys.exit(0 if ok else 1)


def _formats(value: str) -> list[str]:
    from .courses import FORMATS

    out = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise click.UsageError(f"未知的格式“{'、'.join(bad) or value}”；可选 {'、'.join(FORMATS)}，用逗号分隔")
    return list(dict.fromkeys(out))


@course.command(context_settings=CONTEXT)
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--edition", type=click.Choice(["student", "trainer", "both"]), default="student", show_default=True,
              help="student 学员版（案例和思考题，不含答案）；trainer 教师版（另含使用说明）；both 两版都生成。")
@click.option("--format", "formats", default="html,docx", show_default=True,
              help="输出格式，逗号分隔：html（单文件，可离线打开、A4 打印）、docx（Word/WPS）、md。")
@click.option("--out", "out_dir", default="dist/courses", show_default=True, type=click.Path(file_okay=False),
              help="输出目录。")
@click.option("--cases", "cases_dir", default="cases", show_default=True, type=click.Path(file_okay=False))
def build(specs: tuple[str, ...], edition: str, formats: str, out_dir: str, cases_dir: str) -> None:
    """按课程文件 SPECS 生成课程包。校验不通过时列出问题，不生成任何文件。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .courses import build_pack, check_course, load_course, ticks_per_build
    from .courses.reference import reference_problems

    fmts = _formats(formats)
    editions = ["student", "trainer"] if edition == "both" else [edition]
    paths = _spec_paths(specs)
    corpus = _corpus(cases_dir)
    courses, problems = [], reference_problems([p.parent for p in paths]) if "docx" in fmts else []
    for p in paths:
        c, probs = check_course(load_course(p), corpus)
        problems += probs
        if c:
            courses.append(c)
    counts = _print_problems(problems)
    if counts[ERROR]:
        _console().print(f"✘ 课程文件有 {counts[ERROR]} 个错误，未生成课程包", style="red bold", markup=False)
        sys.exit(1)
    start = time.monotonic()
    written: list[Path] = []
    console = _console(stderr=True)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            for c in courses:
                task = progress.add_task(f"{c.title}", total=ticks_per_build(c, editions, fmts))

                def tick(label: str, task=task, title=c.title) -> None:
                    progress.update(task, advance=1, description=f"{title}：{label[:24]}")

                written += build_pack(corpus, c, Path(out_dir), editions, fmts, tick)
                progress.update(task, description=f"{c.title} ✔")
    except OSError as err:
        click.echo(f"✘ 无法写出课程包：{err.strerror or err}（{getattr(err, 'filename', '') or out_dir}）", err=True)
        sys.exit(1)
    secs = time.monotonic() - start
    out = _console()
    out.print(f"✔ 已生成 {len(written)} 个文件（用时 {secs:.1f} 秒）：", style="green", markup=False)
    for w in written:
        out.print(f"  {w}（{max(1, w.stat().st_size // 1024)} KB）", markup=False)


@course.command(context_settings=CONTEXT)
@click.argument("out", default="courses/reference.docx", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="覆盖已有的文件（会丢掉其中改过的样式）。")
def styles(out: str, force: bool) -> None:
    """取出默认的 Word 样式模板到 OUT（默认 courses/reference.docx）。

    \b
    在 Word 或 WPS 中打开它，修改其中各段所用的样式（标题、正文、题注、表格等）后保存；
    之后生成的 Word 课程包都用这些样式。放在课程文件旁边、名为 reference.docx 的模板才会生效。
    """
    from .courses.reference import DEFAULT_REFERENCE, REFERENCE_NAME

    path = Path(out)
    if path.exists() and not force:
        raise click.UsageError(f"文件“{path}”已存在；换一个文件名，或加 --force 覆盖（会丢掉其中改过的样式）")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(DEFAULT_REFERENCE.read_bytes())
    except OSError as err:
        click.echo(f"✘ 无法写出“{path}”：{err.strerror or err}", err=True)
        sys.exit(1)
    hint = "" if path.name == REFERENCE_NAME else f"；改好后命名为 {REFERENCE_NAME}，放在课程文件旁边（如 courses/）才会生效"
    click.echo(f"✔ 已写出 {path}：用 Word 或 WPS 打开，修改样式后保存{hint}")
