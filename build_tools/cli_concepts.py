"""``casebook concepts``: which records have which governance concept, and what an edit of the registry changes.

A thin layer over :mod:`build_tools.concepts`. Exit codes as everywhere:
0 done, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from rich.console import Console

from . import model as m
from .cli_help import ChineseCommand
from .concepts import HOW_LABELS, Assigned, assign_all, check_concepts, diff
from .load import load_file, load_text
from .problems import ERROR

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _corpus(cases_dir: str | None):
    """The corpus as the site sees it, or every problem printed and exit 1."""
    from .build import load_corpus

    p = Path(cases_dir or "cases")
    if not p.is_dir():
        raise click.UsageError(f"找不到案例目录“{p}”：请在项目根目录运行，或给出 CASES_DIR")
    corpus, validation = load_corpus(p)
    if not validation.report.valid:
        for prob in validation.report.sorted():
            click.echo(prob.format(), err=True)
        click.echo("✘ 记录或登记表未通过校验，先按上面的提示修正，再比较概念", err=True)
        sys.exit(1)
    return corpus


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)


def _older_registry(against: str, registry_file: Path) -> tuple[dict[str, m.Concept], str]:
    """The concepts of an older registry (a file, or the registry at a git revision) and how to name it."""
    if Path(against).is_file():
        doc = load_file(Path(against), against)
        label = against
    else:
        folder = registry_file.parent
        top = _git(folder, "rev-parse", "--show-toplevel")
        if top.returncode != 0:
            raise click.UsageError(f"“{against}”既不是文件，也无法当作 git 版本读取（{folder} 不在 git 仓库中）")
        if _git(folder, "rev-parse", "--verify", "--quiet", f"{against}^{{commit}}").returncode != 0:
            raise click.UsageError(f"找不到文件或 git 版本“{against}”：可写 HEAD、HEAD~3、分支名、提交号，或一个文件路径")
        rel = registry_file.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = _git(folder, "show", f"{against}:{rel}")
        label = f"{against}:{rel}"
        if shown.returncode != 0:  # the registry did not exist yet: every concept is new
            return {}, f"{label}（该版本还没有概念登记表，所有概念都算新增）"
        doc = load_text(shown.stdout, label)
    concepts, problems = check_concepts(doc)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        for p in errors:
            click.echo(p.format(), err=True)
        click.echo(f"✘ 旧的概念登记表 {label} 有错误，出错的条目不参与比较", err=True)
    return concepts, label


def _describe(a: Assigned, names: dict[str, str]) -> str:
    if a.how == "text":
        return f"{HOW_LABELS['text']}含“{a.via}”"
    if a.how == "implied":
        return f"由下位概念“{names.get(a.via, a.via)}”推出"
    return HOW_LABELS[a.how]


@click.command(cls=ChineseCommand, context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(file_okay=False))
@click.option("--record", "rid", default=None, help="只看这条记录（记录 id）：它有哪些概念，各从何而来。")
@click.option("--against", default=None, metavar="REV|FILE",
              help="与旧的概念登记表比较（git 版本如 HEAD，或一个文件）：列出每个概念多了、少了哪些记录。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def concepts(cases_dir: str | None, rid: str | None, against: str | None, as_json: bool) -> None:
    """治理概念：每个概念落在哪些记录上（来自正文、编者补上，或由下位概念推出）。

    \b
    例：casebook concepts                        每个概念的记录
        casebook concepts --record binhu-lao-niangjiu   一条记录的概念
        casebook concepts --against HEAD          改了 cases/_registry/concepts.yml 以后，哪些记录多了或少了概念
    概念登记表的写法见编辑指南“治理概念”。
    """
    corpus = _corpus(cases_dir)
    reg = corpus.registry
    names = {c.id: c.name for c in reg.concepts.values()}
    if rid is not None and rid not in corpus.records:
        from .shape import suggest

        raise click.UsageError(f"没有 id 为“{rid}”的记录" + (f"，{suggest(rid, corpus.records)}" if suggest(rid, corpus.records) else ""))
    now = corpus.concepts()
    if against is not None:
        _show_diff(corpus, now, against, rid, names, as_json)
    elif rid is not None:
        _show_record(corpus, now[rid], rid, names, as_json)
    else:
        _show_all(corpus, now, names, as_json)


def _show_all(corpus, now: dict[str, list[Assigned]], names: dict[str, str], as_json: bool) -> None:
    holders: dict[str, list[tuple[str, Assigned]]] = {cid: [] for cid in names}
    for record, got in now.items():
        for a in got:
            holders[a.concept].append((record, a))
    if as_json:
        click.echo(json.dumps({"concepts": [
            {"id": cid, "name": names[cid], "records": [{"id": r, "how": a.how, "via": a.via} for r, a in hs]}
            for cid, hs in holders.items()]}, ensure_ascii=False, indent=2))
        return
    console = _console()
    for cid, hs in holders.items():
        counts = "，".join(f"{label} {n}" for how, label in HOW_LABELS.items()
                          if (n := sum(1 for _, a in hs if a.how == how)))
        console.print(f"{names[cid]}（{cid}）：{len(hs)} 条记录" + (f"（{counts}）" if counts else ""),
                      style="bold", markup=False)
        if hs:
            console.print("  " + "、".join(r for r, _ in hs), markup=False)
    with_any = sum(1 for got in now.values() if got)
    console.print(f"共 {len(names)} 个概念；{len(now)} 条记录中 {with_any} 条至少有一个概念", markup=False)


def _show_record(corpus, got: list[Assigned], rid: str, names: dict[str, str], as_json: bool) -> None:
    refused = list(corpus.records[rid].concepts.refuse)
    if as_json:
        click.echo(json.dumps({"record": rid, "concepts": [
            {"id": a.concept, "name": names[a.concept], "how": a.how, "via": a.via} for a in got],
            "refused": refused}, ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(f"{corpus.records[rid].title}（{rid}，{corpus.files.get(rid, '')}）", style="bold", markup=False)
    if not got:
        console.print("  没有概念：可在记录里写 concepts: {add: [概念 id]} 补上", markup=False)
    for a in got:
        console.print(f"  {names[a.concept]}（{a.concept}）：{_describe(a, names)}", markup=False)
    if refused:
        console.print("  已拒绝：" + "、".join(f"{names.get(c, c)}（{c}）" for c in refused), markup=False)


def _show_diff(corpus, now: dict[str, list[Assigned]], against: str, rid: str | None,
               names: dict[str, str], as_json: bool) -> None:
    registry_file = Path(corpus.cases_dir or "cases") / "_registry" / "concepts.yml"
    old_concepts, label = _older_registry(against, registry_file)
    tag_names = {t.slug: t.name for t in corpus.registry.tags.values()}
    before = assign_all(corpus.records.values(), old_concepts, tag_names)
    if rid is not None:
        before, now = {rid: before[rid]}, {rid: now[rid]}
    changes = diff(before, now)
    all_names = {**{c.id: c.name for c in old_concepts.values()}, **names}
    if as_json:
        click.echo(json.dumps({"against": label, "changes": [
            {"id": cid, "name": all_names.get(cid, cid), "registered": cid in names, **ch}
            for cid, ch in changes.items()]}, ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(f"比较对象：{label}", markup=False)
    if not changes:
        console.print("  没有记录多出或失去概念", markup=False)
    for cid, ch in changes.items():
        gone = "" if cid in names else "（已从登记表删去）"
        console.print(f"{all_names.get(cid, cid)}（{cid}）{gone}", style="bold", markup=False)
        if ch["gained"]:
            console.print(f"  + 多了 {len(ch['gained'])} 条：" + "、".join(ch["gained"]), style="green", markup=False)
        if ch["lost"]:
            console.print(f"  − 少了 {len(ch['lost'])} 条：" + "、".join(ch["lost"]), style="red", markup=False)
