"""The measured stages in order, and each one run in a fresh Python process that writes its figures to a file."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from .build import (stage_build, stage_build_cached, stage_generate, stage_reference, stage_reference_pages,
                    stage_validate, stage_zensical)
from .cli import stage_cli
from .common import OUT, ROOT
from .serve import stage_incremental
from .whoosh import stage_whoosh, stage_whoosh_cold

# Stages run in a fresh process each, in this order (cli needs whoosh's index).
STAGES = ["validate", "generate", "build", "build_cached", "whoosh_cold", "whoosh", "cli", "incremental", "zensical",
          "reference_pages", "reference"]
# Stages that start cold: the project's build cache (.cache/) is removed first. The Whoosh stage
# runs after the builds, as `make site` does, and measures itself both with and without their cache.
COLD = {"validate", "generate", "build", "zensical", "reference_pages"}
STAGE_TIMEOUT = {"validate": 1800, "generate": 1800, "build": 3600, "build_cached": 3600, "whoosh": 3600,
                 "whoosh_cold": 3600, "cli": 900, "incremental": 2400, "zensical": 3600, "reference_pages": 1800,
                 "reference": 2400}
STAGE_FUNCS = {"validate": stage_validate, "generate": stage_generate, "build": stage_build,
               "build_cached": stage_build_cached, "zensical": stage_zensical, "whoosh_cold": stage_whoosh_cold,
               "whoosh": stage_whoosh, "cli": stage_cli, "incremental": stage_incremental,
               "reference_pages": stage_reference_pages, "reference": stage_reference}


def worker(stage: str, project: Path, n: int, result: Path) -> int:
    """Inside the fresh process: run the stage, write its figures (or its error) and peak RSS to ``result``."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # build_site would otherwise ask git for a date
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    out: dict = {}
    try:
        out = STAGE_FUNCS[stage](project, n)
    except BaseException as err:  # report, never hide: the figure becomes null
        out = {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
    out["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0 if "error" not in out else 1


def run_stage(stage: str, project: Path, n: int) -> dict:
    """Run one stage in a fresh process (its own session, so a timeout ends all it started)."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    result = logs / f"{stage}-{n}.json"
    result.unlink(missing_ok=True)
    if stage in COLD:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "benchmarks.scale", "--stage", stage, "--project", str(project),
           "--n", str(n), "--result", str(result)]
    with open(logs / f"{stage}-{n}.log", "w", encoding="utf-8") as logf:
        proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
        try:
            proc.wait(timeout=STAGE_TIMEOUT[stage])
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this script created for the stage
            proc.wait(timeout=30)
            return {"error": f"阶段 {stage} 超过 {STAGE_TIMEOUT[stage]} 秒，已中止"}
    if not result.exists():
        tail = (logs / f"{stage}-{n}.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        return {"error": f"阶段 {stage} 没有结果（退出码 {proc.returncode}）：{tail}"}
    return json.loads(result.read_text(encoding="utf-8"))
