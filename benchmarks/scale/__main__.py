"""Entry point of ``make bench``: every size through every stage, then the tables and results.json."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import traceback
from pathlib import Path

from .browser import browser_figures
from .common import OUT, RESULTS, ROOT, log, site_dir
from .corpus import generate_corpus, project_dir
from .report import KEYS, check_targets, fmt, print_tables, write_results
from .stages import STAGE_FUNCS, STAGES, run_stage, worker

ROUNDED_3 = ("validate_s", "generate_s", "build_s", "reference_build_s", "whoosh_index_s", "incremental_s",
             "browser_first_result_s", "build_again_s", "build_after_edit_s", "zensical_build_s",
             "zensical_build_again_s")
ROUNDED_2 = ("cli_query_ms_p50", "cli_query_ms_p95", "peak_rss_mb")


def file_stage_result(n: int, stage: str, res: dict, fig: dict, det: dict, msgs: list, rss: dict) -> None:
    """One stage's result filed: figures into ``fig``, the rest into ``det``, failures into ``msgs``, its RSS."""
    if "error" in res:
        msgs.append(f"{stage}：{res['error']}")
        print(f"[{n}] 阶段 {stage} 失败：{res['error']}", file=sys.stderr)
        if res.get("traceback"):
            print(res["traceback"], file=sys.stderr)
    if res.get("note"):
        msgs.append(f"{stage}：{res['note']}")
    for k, v in res.items():
        if k in KEYS:
            fig[k] = v
        elif k not in ("error", "traceback", "note", "rss_self_mb", "rss_children_mb"):
            det[k] = round(v, 3) if isinstance(v, float) else v
    if "rss_self_mb" in res:
        if stage == "reference":  # not ours: reported apart, left out of peak_rss_mb
            det["reference_peak_rss_mb"] = round(res["rss_children_mb"], 1)
        elif stage == "zensical":  # Zensical's own process, reported (issue 16 asks figures, no target)
            det["zensical_peak_rss_mb"] = round(res["rss_children_mb"], 1)
            det["zensical_pipeline_peak_rss_mb"] = round(res["rss_self_mb"], 1)
        elif stage != "reference_pages":  # that stage only sets up the reference project
            rss[stage] = round(max(res["rss_self_mb"], res["rss_children_mb"]), 1)
    log(f"[{n}] 阶段 {stage}：" + ", ".join(f"{k}={fmt(v)}" for k, v in res.items()
                                             if k not in ("traceback", "browser_index_files")))


def measure_browser(n: int, fig: dict, det: dict, msgs: list) -> None:
    """The browser figures on the site the build stage left, filed like a stage's."""
    log(f"[{n}] 浏览器 …")
    try:
        res = browser_figures(site_dir(n))
        for k, v in res.items():
            if k in KEYS:
                fig[k] = v
            else:
                det[k] = [round(x, 3) for x in v] if k == "browser_first_result_each_s" else v
        if res.get("browser_external_requests"):
            msgs.append(f"浏览器试图访问外部地址：{res['browser_external_requests'][:3]}")
    except Exception as err:
        msgs.append(f"browser：{type(err).__name__}: {err}")
        print(f"[{n}] 浏览器测量失败：{err}", file=sys.stderr)
        traceback.print_exc()


def measure(n: int, notes: dict, details: dict) -> dict:
    """Every figure at ``n`` records (None where a stage failed); notes and details filed by size."""
    fig = {k: None for k in KEYS}
    det = details.setdefault(str(n), {})
    msgs = notes.setdefault(str(n), [])
    log(f"生成 {n} 条合成记录 → {project_dir(n).relative_to(ROOT)}")
    t = time.perf_counter()
    try:
        project = generate_corpus(n)
    except Exception as err:
        msgs.append(f"生成失败：{err}")
        print(f"[{n}] 生成失败：{err}", file=sys.stderr)
        traceback.print_exc()
        return fig
    det["generate_corpus_s"] = round(time.perf_counter() - t, 1)
    rss: dict[str, float] = {}
    for stage in STAGES:
        load = os.getloadavg()[0]
        log(f"[{n}] 阶段 {stage} …（开始时 1 分钟负载 {load:.2f}，{os.cpu_count()} 核）")
        if load > (os.cpu_count() or 1) + 1:
            log("  注意：机器上另有负载，耗时会偏大；CPU 秒（details 中的 *_cpu_s）受影响较小")
        det.setdefault("loadavg_1min_at_start", {})[stage] = round(load, 2)
        file_stage_result(n, stage, run_stage(stage, project, n), fig, det, msgs, rss)
    det["rss_mb_by_stage"] = rss
    fig["peak_rss_mb"] = max(rss.values()) if rss else None
    if (site_dir(n) / "index.html").exists() and "build" in rss and fig["build_s"] is not None:
        measure_browser(n, fig, det, msgs)
    else:
        msgs.append("browser：网站未构建，跳过")
    for keys, digits in ((ROUNDED_3, 3), (ROUNDED_2, 2)):
        for k in keys:
            if isinstance(fig[k], float):
                fig[k] = round(fig[k], digits)
    return fig


def main(argv: list[str] | None = None) -> int:
    """``make bench`` (or, with the hidden --stage, one stage inside its fresh process)."""
    sys.path.insert(0, str(ROOT / "tests"))  # searcheval, sitekit, browsereval: the tests' own helpers
    ap = argparse.ArgumentParser(prog="python -m benchmarks.scale",
                                 description="规模测试：1 千和 1 万条合成记录的校验、构建、检索耗时与内存")
    ap.add_argument("--sizes", default="1000,10000", help="逗号分隔的记录数（默认 1000,10000）")
    ap.add_argument("--quick", action="store_true", help="只测 1000 条")
    ap.add_argument("--results", type=Path, default=RESULTS,
                    help="结果写到哪个文件（默认 benchmarks/results.json）")
    ap.add_argument("--stage", choices=sorted(STAGE_FUNCS), help=argparse.SUPPRESS)
    ap.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        return worker(args.stage, args.project, args.n, args.result)
    sizes_list = [1000] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().astimezone()
    sizes: dict[str, dict] = {}
    notes: dict[str, list] = {}
    details: dict[str, dict] = {}
    for n in sizes_list:
        sizes[str(n)] = measure(n, notes, details)
        write_results(args.results, sizes, notes, details, started)  # after each size: a long run leaves partial results
    targets = check_targets(sizes)
    write_results(args.results, sizes, notes, details, started, targets)
    print_tables(sizes, targets, details)
    for n, msgs in notes.items():
        for msg in msgs:
            print(f"注（{n} 条）：{msg.splitlines()[0][:300]}")
    shown = args.results.resolve()
    print(f"结果已写入 {shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
