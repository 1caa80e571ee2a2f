"""make profile: where each stage spends its time, for benchmarks/README.md.

Runs one stage of the build on a synthetic project made by ``benchmarks.scale``
under cProfile (each stage in a fresh process, like ``make bench``) and
prints the functions with the most own time and the most cumulative time,
plus the stage's peak RSS. Usage::

    .venv/bin/python benchmarks/profile_stages.py --n 10000 --stage generate
    .venv/bin/python benchmarks/profile_stages.py --n 1000            # every stage
    .venv/bin/python -X importtime -c "import build_tools.mkdocs_plugin" 2> imports.txt
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale.common import OUT  # noqa: E402
from benchmarks.scale.corpus import generate_corpus, project_dir  # noqa: E402

STAGES = ("validate", "generate", "build", "build_again", "whoosh")


def _project(n: int) -> Path:
    project = project_dir(n)
    if not (project / "cases").is_dir():
        generate_corpus(n)
    return project


def run(stage: str, project: Path) -> None:
    """The stage's work, exactly as ``make bench`` (benchmarks/scale) times it."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from build_tools.build import Pipeline, build_site, load_corpus, run_validation

    if stage == "validate":
        run_validation(project / "cases", None, strict=False)
    elif stage == "generate":
        Pipeline(project / "cases", None, strict=False).run().side_files()
    elif stage in ("build", "build_again"):
        build_site(project, OUT / f"profile-site-{project.name}")
    elif stage == "whoosh":
        from build_tools.whoosh_index import build_whoosh

        corpus, _ = load_corpus(project / "cases", None, False)
        target = OUT / f"profile-whoosh-{project.name}"
        shutil.rmtree(target, ignore_errors=True)
        build_whoosh(corpus, target)


def profile(stage: str, n: int, top: int) -> str:
    project = _project(n)
    if stage in ("validate", "generate", "build", "whoosh"):  # cold, as in make bench
        shutil.rmtree(project / ".cache", ignore_errors=True)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    run(stage, project)
    prof.disable()
    wall = time.perf_counter() - t
    out = io.StringIO()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(f"## {stage}，{n:,} 条：{wall:.1f} 秒（cProfile 下），峰值 RSS {rss:.0f} MB\n\n")
    stats = pstats.Stats(prof, stream=out)
    stats.strip_dirs()
    out.write("### 自身耗时最多\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write("### 累计耗时最多\n")
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="逐阶段性能剖析（cProfile），结果写到 benchmarks/out/profile-*.txt")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--stage", choices=STAGES)
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    if args.stage:
        text = profile(args.stage, args.n, args.top)
        dest = OUT / f"profile-{args.stage}-{args.n}.txt"
        dest.write_text(text, encoding="utf-8")
        print(text)
        return 0
    for stage in STAGES:  # each in its own process: caches and memory are the stage's own
        code = subprocess.call([sys.executable, __file__, "--n", str(args.n), "--stage", stage, "--top", str(args.top)])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
