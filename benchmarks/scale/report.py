"""The report: the figures' keys, issue 16's targets, the printed tables and ``results.json``."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path

from .corpus import SEED

KEYS = ["validate_s", "generate_s", "build_s", "reference_build_s", "whoosh_index_s", "incremental_s",
        "cli_query_ms_p50", "cli_query_ms_p95", "browser_index_bytes", "browser_first_result_s", "peak_rss_mb",
        "build_again_s", "build_after_edit_s", "zensical_build_s", "zensical_build_again_s"]
# The targets at 10,000 records (issues 16, 22 and 27): (key, limit, what the limit is relative to or None, text).
TARGETS = [
    ("build_s", 0.7, "reference_build_s", "整站构建 ≤ 0.7 × MkDocs + Material 参照"),
    ("build_again_s", 0.5, "build_s", "什么都没改再构建 ≤ 0.5 × 从零构建"),
    ("build_after_edit_s", 0.5, "build_s", "改一条记录后再构建 ≤ 0.5 × 从零构建"),
    ("zensical_build_s", 1.0, "build_s", "Zensical 从零构建 ≤ 同一次运行的 MkDocs 构建"),
    ("zensical_build_again_s", 1.0, "build_again_s", "Zensical 带缓存再构建 ≤ MkDocs 再构建"),
    ("incremental_s", 5.0, None, "make serve 改一条记录：新文字上页面 ≤ 5 秒"),
    ("browser_index_bytes", 1_000_000, None, "浏览器首个结果前加载 ≤ 1 MB"),
    ("browser_first_result_s", 0.4, None, "浏览器首个结果（file://）≤ 0.4 秒"),
    ("cli_query_ms_p95", 20.0, None, "命令行热查询 p95 ≤ 20 毫秒"),
    ("whoosh_index_s", 30.0, None, "Whoosh 索引从零 ≤ 30 秒"),
    ("peak_rss_mb", 1024.0, None, "各阶段（含 serve）峰值内存 ≤ 1 GB"),
]
TARGET_SIZE = 10000
LABELS = [
    ("validate_s", "载入 + 校验（秒）"), ("generate_s", "页面生成（含相关推荐、浏览器索引）"),
    ("build_s", "整站构建：我们（秒）"), ("reference_build_s", "整站构建：MkDocs + Material 参照（秒）"),
    ("ratio", "构建比值 我们/参照"), ("cpu_ratio", "构建 CPU 秒比值 我们/参照"), ("whoosh_index_s", "Whoosh 索引（从零，秒）"),
    ("build_again_s", "什么都没改再构建（秒）"), ("build_after_edit_s", "改一条记录后再构建（秒）"),
    ("zensical_build_s", "Zensical 从零构建（秒）"), ("z_ratio", "从零构建比值 Zensical/MkDocs"),
    ("zensical_build_again_s", "Zensical 带缓存再构建（秒）"), ("z_again_ratio", "再构建比值 Zensical/MkDocs"),
    ("incremental_s", "mkdocs serve 改一条后新文字上页面（秒）"), ("cli_query_ms_p50", "命令行热查询 p50（毫秒）"),
    ("cli_query_ms_p95", "命令行热查询 p95（毫秒）"), ("browser_index_bytes", "浏览器首个结果前加载索引（MB）"),
    ("browser_first_result_s", "浏览器首个结果（秒，3 次中位数）"), ("peak_rss_mb", "峰值内存（MB）"),
]


def fmt(v) -> str:
    """A stage result's value for the progress log."""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, list):
        return f"[{len(v)} 项]"
    return str(v)


def check_targets(sizes: dict) -> list[dict]:
    """Each target of issue 16 at 10,000 records: the figure, the limit it is held to, met or not."""
    out = []
    f = sizes.get(str(TARGET_SIZE)) or {}
    for key, limit, relative_to, text in TARGETS:
        value = f.get(key)
        bound = limit
        if relative_to is not None:
            base = f.get(relative_to)
            bound = limit * base if base is not None else None
        met = (value <= bound) if value is not None and bound is not None else None
        out.append({"target": text, "key": key, "size": TARGET_SIZE, "limit": limit, "relative_to": relative_to,
                    "bound": bound, "value": value, "met": met})
    return out


def size_cell(key: str, figures: dict, details: dict) -> str:
    """One cell of the sizes table: a figure, a ratio of two, or a red “failed or not measured”."""
    if key == "cpu_ratio":
        ours, ref = details.get("build_cpu_s"), details.get("reference_build_cpu_s")
        return f"{ours / ref:.2f}（{ours:.0f}/{ref:.0f}）" if ours and ref else "—"
    ratios = {"ratio": ("build_s", "reference_build_s"), "z_ratio": ("zensical_build_s", "build_s"),
              "z_again_ratio": ("zensical_build_again_s", "build_again_s")}
    if key in ratios:
        ours, ref = (figures.get(k) for k in ratios[key])
        return f"{ours / ref:.2f}" if ours and ref else "—"
    v = figures.get(key)
    if v is None:
        return "[red]失败/未测[/red]"
    if key == "browser_index_bytes":
        return f"{v / 1e6:.2f}"
    return f"{v:,.3f}" if isinstance(v, float) and v < 10 else f"{v:,.1f}"


def print_tables(sizes: dict, targets: list[dict], details: dict) -> None:
    """The figures of every size (with the build's ours/reference ratios), then the targets met or not."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title="规模测试（秒，除注明外）")
    t.add_column("指标")
    for c in sizes:
        t.add_column(f"{int(c):,} 条", justify="right")
    for key, label in LABELS:
        t.add_row(label, *(size_cell(key, sizes[c], details.get(c, {})) for c in sizes))
    console.print(t)
    tt = Table(title=f"目标（{TARGET_SIZE:,} 条）")
    tt.add_column("目标")
    tt.add_column("实测", justify="right")
    tt.add_column("上限", justify="right")
    tt.add_column("达标")
    for tg in targets:
        mb = tg["key"] == "browser_index_bytes"

        def show(x) -> str:
            return "—" if x is None else (f"{x / 1e6:.2f} MB" if mb else f"{x:,.2f}")

        met = "[yellow]未测[/yellow]" if tg["met"] is None else ("[green]达标[/green]" if tg["met"] else "[red]未达标[/red]")
        tt.add_row(tg["target"], show(tg["value"]), show(tg["bound"]), met)
    console.print(tt)


def machine_info() -> dict:
    """Cores, memory, Python and the measured tools' versions."""
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info = {"cores": os.cpu_count(), "memory_gb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor() or platform.machine()}
    try:
        from importlib.metadata import version

        for pkg in ("mkdocs", "mkdocs-material", "whoosh-reloaded", "jieba", "playwright"):
            info[pkg] = version(pkg)
    except Exception:
        pass
    try:
        info["chromium"] = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                          timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def write_results(path: Path, sizes: dict, notes: dict, details: dict, started, targets=None) -> None:
    """``results.json``: the figures by size, the machine, the date, notes on failures, details, the targets."""
    data = {"sizes": sizes, "machine": machine_info(), "date": started.isoformat(timespec="seconds"),
            "seed": SEED, "notes": {k: v for k, v in notes.items() if v}, "details": details}
    if targets is not None:
        data["targets"] = targets
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
