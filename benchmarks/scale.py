"""make bench: how the casebook scales to 1,000 and 10,000 records.

For each size N this script

1. generates a synthetic project in ``benchmarks/out/corpus-N/`` (the real
   config, pages and registries, and N records recombined from the real ones;
   generation is not timed);
2. runs every measured stage in its own fresh Python process (so one stage's
   caches never warm the next, a crash or a timeout costs one figure, and each
   stage's peak RSS is its own), and the browser measurements in Chromium
   from file:// with every non-file request blocked;
3. prints a table against the targets and writes ``benchmarks/results.json``.

Network traffic goes to 127.0.0.1 only (``mkdocs serve`` for the incremental
rebuild). Usage::

    .venv/bin/python benchmarks/scale.py              # 1,000 and 10,000 records
    .venv/bin/python benchmarks/scale.py --quick      # 1,000 only
    .venv/bin/python benchmarks/scale.py --sizes 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
OUT = BENCH / "out"
RESULTS = BENCH / "results.json"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs" if (BIN / "mkdocs").exists() else ROOT / ".venv" / "bin" / "mkdocs"

SEED = 20240601
KEYS = ["validate_s", "generate_s", "build_s", "reference_build_s", "whoosh_index_s", "incremental_s",
        "cli_query_ms_p50", "cli_query_ms_p95", "browser_index_bytes", "browser_first_result_s", "peak_rss_mb",
        "build_again_s", "build_after_edit_s", "zensical_build_s", "zensical_build_again_s"]
# Stages run in a fresh process each, in this order (cli needs whoosh's index).
STAGES = ["validate", "generate", "build", "build_cached", "whoosh_cold", "whoosh", "cli", "incremental", "zensical",
          "reference_pages", "reference"]
# Stages that start cold: the project's build cache (.cache/) is removed first. The Whoosh stage
# runs after the builds, as `make site` does, and measures itself both with and without their cache.
COLD = {"validate", "generate", "build", "zensical", "reference_pages"}
STAGE_TIMEOUT = {"validate": 1800, "generate": 1800, "build": 3600, "build_cached": 3600, "whoosh": 3600,
                 "whoosh_cold": 3600, "cli": 900, "incremental": 2400, "zensical": 3600, "reference_pages": 1800, "reference": 2400}
REFERENCE_TIMEOUT = 1800      # the plain MkDocs + Material build itself
SERVE_START_TIMEOUT = 1800    # mkdocs serve's first build, before the edit
INCREMENTAL_TIMEOUT = 300     # from the edit to the new text being served
BROWSER_QUERIES = ["外卖骑手怎么参与社区治理", "红色物业", "三岗十八级"]
MB = 1024 * 1024

# Issue 16's targets, all at 10,000 records: (key, limit, what the limit is relative to or None, text).
TARGETS = [
    ("build_s", 0.7, "reference_build_s", "整站构建 ≤ 0.7 × MkDocs + Material 参照"),
    ("build_again_s", 0.5, "build_s", "什么都没改再构建 ≤ 0.5 × 从零构建"),
    ("build_after_edit_s", 0.5, "build_s", "改一条记录后再构建 ≤ 0.5 × 从零构建"),
    ("incremental_s", 5.0, None, "make serve 改一条记录：新文字上页面 ≤ 5 秒"),
    ("browser_index_bytes", 2_000_000, None, "浏览器首个结果前加载 ≤ 2 MB"),
    ("browser_first_result_s", 0.5, None, "浏览器首个结果（file://）≤ 0.5 秒"),
    ("cli_query_ms_p95", 30.0, None, "命令行热查询 p95 ≤ 30 毫秒"),
    ("whoosh_index_s", 30.0, None, "Whoosh 索引从零 ≤ 30 秒"),
    ("peak_rss_mb", 1024.0, None, "各阶段（含 serve）峰值内存 ≤ 1 GB"),
]
TARGET_SIZE = 10000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (robust to other load on the machine)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall-clock (perf_counter) and CPU seconds of a block."""

    def __enter__(self):
        self.wall = self.cpu = None
        self._w, self._c = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self._w, _cpu() - self._c
        return False


# ------------------------------------------------------------------ corpus


def project_dir(n: int) -> Path:
    return OUT / f"corpus-{n}"


def _config_text() -> str:
    """The repo's mkdocs.yml with the casebook plugin set to strict: false and no sources."""
    import yaml

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    try:
        cfg = yaml.safe_load(text)
        for i, plug in enumerate(cfg.get("plugins", [])):
            if plug == "casebook":
                cfg["plugins"][i] = plug = {"casebook": {}}
            if isinstance(plug, dict) and "casebook" in plug:
                opts = plug["casebook"] or {}
                opts.update({"sources_dir": "_no_sources_here_", "strict": False})
                plug["casebook"] = opts
                return yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False)
        raise ValueError("mkdocs.yml 中没有 casebook 插件")
    except yaml.YAMLError:  # custom tags (!ENV …): patch the text instead
        import re

        new, k = re.subn(r"^(\s+)sources_dir:.*$", r"\1sources_dir: _no_sources_here_\n\1strict: false", text,
                         count=1, flags=re.M)
        if not k:
            raise
        return new


def generate_corpus(n: int) -> Path:
    """Write a project of ``n`` valid synthetic records; return its folder."""
    import yaml

    from build_tools.build import load_corpus

    corpus, validation = load_corpus(ROOT / "cases")
    real = [r.model_dump(mode="json") for r in corpus.records.values()]
    if not real:
        raise RuntimeError("真实语料为空，无法生成合成记录")
    rng = random.Random(f"{SEED}-{n}")
    dest = project_dir(n)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "cases" / "_registry", dest / "cases" / "_registry")
    (dest / "mkdocs.yml").write_text(_config_text(), encoding="utf-8")

    def pick() -> dict:
        return rng.choice(real)

    relations = ["same-mechanism", "part-of", "teach-together"]
    for k in range(n):
        base = pick()  # where and what: title, aliases, place, unit, level, period, sources
        practices = list(pick()["practices"])
        if rng.random() < 0.5:  # mix in a step or two from another method
            extra = pick()["practices"]
            practices += rng.sample(extra, min(len(extra), rng.randint(1, 2)))
        metrics = []
        for mt in pick()["metrics"]:  # each metric whole: its value stays in its evidence
            metrics.append({key: v for key, v in mt.items() if v is not None})
        teach = pick()
        rec = {
            "id": f"syn-{k:06d}",
            "title": base["title"],
            "aliases": list(base["aliases"]),
            "place": base["place"],
            "unit": base["unit"],
            "level": base["level"],
            "period": base["period"],
            "summary": pick()["summary"],
            "background": pick()["background"],
            "practices": practices,
            "structure": pick()["structure"],
            "outcomes": list(pick()["outcomes"]),
            "metrics": metrics,
            "tags": list(pick()["tags"]),
            "related": [],
            "sources": [dict(s) for s in base["sources"]],
            "lessons": list(pick()["lessons"]),
            "teaching": {"questions": list(teach["teaching"]["questions"]),
                         "key_points": list(teach["teaching"]["key_points"])},
            "attribution_note": pick()["attribution_note"] if rng.random() < 0.3 else None,
            "status": "complete",
        }
        # Links only to earlier synthetic records: they exist, and no pair is written twice.
        if k:
            targets = rng.sample(range(k), min(k, rng.choice([0, 0, 1, 1, 2, 3])))
            rec["related"] = [{"id": f"syn-{j:06d}", "relation": rng.choice(relations)} for j in targets]
        need = [rec["summary"], rec["background"], rec["practices"], rec["outcomes"], rec["tags"],
                rec["lessons"], rec["teaching"]["key_points"]]
        if not all(need) or not 2 <= len(rec["teaching"]["questions"]) <= 4 or not 1 <= len(rec["tags"]) <= 6:
            rec["status"] = "partial"
        path = dest / "cases" / rec["place"] / f"{rec['id']}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# 合成记录（benchmarks/scale.py 生成，仅供性能测试）\n"
                        + yaml.safe_dump(rec, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return dest


# ------------------------------------------------------------------ stages (each in a fresh process)


def _load(project: Path):
    from build_tools.build import load_corpus

    # Synthetic records are recombined for timing; warnings (strict) do not matter here.
    corpus, validation = load_corpus(project / "cases", None, False)
    if not validation.report.valid:
        errs = [p.format() for p in validation.report.errors()][:10]
        raise RuntimeError("合成记录未通过校验：\n" + "\n".join(errs))
    return corpus


def stage_validate(project: Path, n: int) -> dict:
    from build_tools.build import run_validation

    with Clock() as c:
        validation = run_validation(project / "cases", None, strict=False)
    if not validation.report.valid:
        raise RuntimeError("合成记录未通过校验：\n" + "\n".join(p.format() for p in validation.report.errors()[:10]))
    if len(validation.records) != n:
        raise RuntimeError(f"应有 {n} 条记录，校验得到 {len(validation.records)} 条")
    return {"validate_s": c.wall, "validate_cpu_s": c.cpu}


def stage_generate(project: Path, n: int) -> dict:
    """What Pipeline.run does after validation (weigh, related, pages, browser index…).

    The corpus is loaded first, untimed; Pipeline.run is then timed with its
    ``load_corpus`` answered from that, so the figure follows whatever the
    pipeline does today without counting validation.
    """
    import build_tools.build as B

    loaded = [B.load_corpus(project / "cases", None, False)]
    if not loaded[0][1].report.valid:
        raise RuntimeError("合成记录未通过校验")
    calls = []

    def preloaded(*args, **kwargs):
        # Handed over, not kept: the pipeline lets the parsed files go once the
        # corpus is built, and this stage's memory must be the pipeline's own.
        calls.append(1)
        return loaded.pop()

    B.load_corpus = preloaded
    with Clock() as c:
        result = B.Pipeline(project / "cases", None, strict=False).run()
    if not calls:
        raise RuntimeError("Pipeline.run 不再调用 build.load_corpus：无法从计时中扣除校验，请更新 scale.py")
    if not result.report.valid:
        raise RuntimeError("Pipeline.run 报告问题：" + "；".join(p.format() for p in result.report.errors()[:5]))
    out = {"generate_s": c.wall, "generate_cpu_s": c.cpu, "pages": len(result.pages)}
    files = getattr(result, "search_files", None)
    if isinstance(files, dict):
        out["browser_index_total_bytes"] = sum(len(str(v).encode()) for v in files.values())
        out["browser_index_files_total"] = len(files)
    return out


def stage_build(project: Path, n: int) -> dict:
    from build_tools.build import build_site

    site = OUT / f"site-{n}"
    with Clock() as c:
        build_site(project, site)
    html = sum(1 for _ in site.rglob("*.html"))
    return {"build_s": c.wall, "build_cpu_s": c.cpu, "html_files": html}


class _OneEdit:
    """Within the block, the first record's summary starts with an edit; the file is put back after."""

    def __init__(self, project: Path):
        self.path = sorted((project / "cases").glob("*/*.yml"))[0]

    def __enter__(self):
        self.original = self.path.read_text(encoding="utf-8")
        self.path.write_text(self.original.replace("\nsummary: ", "\nsummary: 编辑测试。", 1), encoding="utf-8")
        return self

    def __exit__(self, *exc):
        self.path.write_text(self.original, encoding="utf-8")
        return False


def stage_build_cached(project: Path, n: int) -> dict:
    """``casebook build`` again into the same site: nothing changed, then one record edited."""
    from build_tools.build import build_site

    site = OUT / f"site-{n}"
    with Clock() as c:
        build_site(project, site)
    with _OneEdit(project), Clock() as e:
        build_site(project, site)
    return {"build_again_s": c.wall, "build_again_cpu_s": c.cpu, "build_after_edit_s": e.wall}


def _whoosh_from_scratch(project: Path, cache: Path) -> tuple[Clock, object]:
    from build_tools.whoosh_index import build_whoosh

    corpus = _load(project)
    index_dir = project / "search_index"
    shutil.rmtree(index_dir, ignore_errors=True)
    with Clock() as c:
        report = build_whoosh(corpus, index_dir, cache=cache)
    return c, report


def stage_whoosh_cold(project: Path, n: int) -> dict:
    """The Whoosh index from scratch with no segmentation cache at all (details only)."""
    import tempfile

    with tempfile.TemporaryDirectory() as empty:
        c, _ = _whoosh_from_scratch(project, Path(empty) / "segments.pickle")
    return {"whoosh_index_cold_s": c.wall, "whoosh_index_cold_cpu_s": c.cpu}


def stage_whoosh(project: Path, n: int) -> dict:
    """The Whoosh index from scratch as ``make site`` runs ``casebook index``: after the site build,
    whose cuts are in the project's cache."""
    from build_tools.project import cache_dir

    cache = cache_dir(project) / "segments.pickle"
    if not cache.is_file():
        raise RuntimeError("构建阶段没有留下切词缓存")
    c, report = _whoosh_from_scratch(project, cache)
    size = sum(p.stat().st_size for p in (project / "search_index").rglob("*") if p.is_file())
    return {"whoosh_index_s": c.wall, "whoosh_index_cpu_s": c.cpu, "whoosh_added": report.added,
            "whoosh_bytes": size}


def stage_cli(project: Path, n: int) -> dict:
    from build_tools.whoosh_index import Searcher
    from searcheval import load_queries

    queries = [q.q for q in load_queries(ROOT / "tests" / "search_queries.yml")][:60]
    s = Searcher(project / "search_index")
    try:
        for q in queries:  # warm-up pass, not timed
            s.search(q, limit=10)
        times, cpu = [], []
        hits = 0
        for _ in range(3):
            for q in queries:
                c, t = time.process_time(), time.perf_counter()
                res = s.search(q, limit=10)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                hits += bool(res)
    finally:
        s.close()
    slowest = sorted(zip(times, queries * 3), reverse=True)[:5]
    return {"cli_query_ms_p50": statistics.median(times), "cli_query_ms_p95": _p95(times),
            "cli_query_cpu_ms_p50": statistics.median(cpu), "cli_query_cpu_ms_p95": _p95(cpu),
            "cli_queries": len(times), "cli_queries_with_hits": hits,
            "cli_slowest_ms": [[round(ms, 1), q] for ms, q in slowest]}


def stage_zensical(project: Path, n: int) -> dict:
    """The Zensical builder: from scratch (its cache removed), again with its cache, after one edit."""
    from build_tools.build import build_site

    site = OUT / f"zensical-site-{n}"
    with Clock() as c:
        build_site(project, site, builder="zensical")
    with Clock() as again:
        build_site(project, site, builder="zensical")
    with _OneEdit(project), Clock() as e:
        build_site(project, site, builder="zensical")
    return {"zensical_build_s": c.wall, "zensical_build_cpu_s": c.cpu, "zensical_build_again_s": again.wall,
            "zensical_build_after_edit_s": e.wall,
            "zensical_html_files": sum(1 for _ in site.rglob("*.html"))}


def _p95(values: list[float]) -> float:
    """95th percentile, nearest rank."""
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(0.95 * len(v))) - 1))]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    """GET from the loopback server, never through a proxy."""
    import urllib.error
    import urllib.request

    assert url.startswith("http://127.0.0.1:"), url
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def stage_incremental(project: Path, n: int) -> dict:
    """mkdocs serve: seconds from writing one record's new summary to the new text being served."""
    import yaml

    rid = f"syn-{n // 2:06d}"
    files = list((project / "cases").glob(f"*/{rid}.yml"))
    if not files:
        raise RuntimeError(f"找不到记录 {rid}")
    path = files[0]
    original = path.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/cases/{rid}.html"
    serve_log = OUT / "logs" / f"serve-{n}.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    with open(serve_log, "w", encoding="utf-8") as logf:
        proc = subprocess.Popen([str(MKDOCS), "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"], cwd=project,
                                stdout=logf, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        t0 = time.perf_counter()
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 已退出（{proc.returncode}），见 {serve_log}")
            status, body = _get(url)
            if status == 200 and rid in body:
                break
            if time.perf_counter() - t0 > SERVE_START_TIMEOUT:
                raise TimeoutError(f"mkdocs serve {SERVE_START_TIMEOUT} 秒内未就绪")
            time.sleep(0.5)
        first_build = time.perf_counter() - t0
        time.sleep(2.0)  # let the watcher settle
        marker = f"基准测试改动标记{random.Random(time.time_ns()).randrange(10**8):08d}"
        if marker in body:
            raise RuntimeError("标记已在页面中")
        data = yaml.safe_load(original)
        data["summary"] = data["summary"][:200] + marker
        new_text = "# 合成记录（已被基准测试修改）\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        t = time.perf_counter()
        path.write_text(new_text, encoding="utf-8")
        took = None
        while time.perf_counter() - t < INCREMENTAL_TIMEOUT:
            status, body = _get(url)
            if status == 200 and marker in body:
                took = time.perf_counter() - t
                break
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 在重建时退出（{proc.returncode}），见 {serve_log}")
            time.sleep(0.1)
        if took is None:
            raise TimeoutError(f"{INCREMENTAL_TIMEOUT} 秒内未看到修改后的内容")
        time.sleep(1.0)  # let mkdocs log the end of the rebuild
        import re

        built = re.findall(r"Documentation built in ([0-9.]+) seconds", serve_log.read_text(encoding="utf-8", errors="replace"))
        return {"incremental_s": took, "serve_first_build_s": first_build,
                "serve_rebuild_reported_s": float(built[-1]) if len(built) >= 2 else None}
    finally:
        path.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # mkdocs serve shuts down cleanly on Ctrl+C
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


def _reference_dir(n: int) -> Path:
    return OUT / f"reference-{n}"


def stage_reference_pages(project: Path, n: int) -> dict:
    """Write the pages our build generates into a plain MkDocs + Material project (not timed)."""
    import yaml

    from build_tools.build import Pipeline

    result = Pipeline(project / "cases", None, strict=False).run()
    if not result.report.valid:
        raise RuntimeError("合成记录未通过校验")
    ref = _reference_dir(n)
    shutil.rmtree(ref, ignore_errors=True)
    docs = ref / "docs"
    for rel_path, text in result.pages.items():
        p = docs / rel_path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for p in (project / "content").rglob("*.md"):  # the hand-written pages (guides) that our site has too
        target = docs / p.relative_to(project / "content")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, target)
    ours = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg = {
        "site_name": "基层治理案例库（参照构建）",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}],
        "markdown_extensions": ours.get("markdown_extensions", []),
        "nav": ours.get("nav"),
        "not_in_nav": ours.get("not_in_nav", "/cases/*.md\n/places/*.md\n/tags/*.md\n"),
        "validation": ours.get("validation", {}),
    }
    (ref / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"reference_pages": len(result.pages)}


def stage_reference(project: Path, n: int) -> dict:
    """`mkdocs build` of the reference project, started from this lean process (so its peak RSS is its own)."""
    ref = _reference_dir(n)
    if not (ref / "mkdocs.yml").exists():
        raise RuntimeError("参照项目未生成（reference_pages 阶段失败）")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    with open(OUT / "logs" / f"reference-build-{n}.log", "w", encoding="utf-8") as logf:
        try:
            with Clock() as c:
                proc = subprocess.run([str(MKDOCS), "build", "-f", str(ref / "mkdocs.yml")], cwd=ref, env=env,
                                      stdout=logf, stderr=subprocess.STDOUT, timeout=REFERENCE_TIMEOUT)
        except subprocess.TimeoutExpired:
            return {"reference_build_s": None,
                    "note": f"参照构建超过 {REFERENCE_TIMEOUT} 秒，已中止（记为 null）"}
    if proc.returncode:
        raise RuntimeError(f"参照构建失败（退出码 {proc.returncode}），见 benchmarks/out/logs/reference-build-{n}.log")
    idx = ref / "site" / "search" / "search_index.json"
    return {"reference_build_s": c.wall, "reference_build_cpu_s": c.cpu,
            "reference_search_index_bytes": idx.stat().st_size if idx.exists() else None}


STAGE_FUNCS = {"validate": stage_validate, "generate": stage_generate, "build": stage_build,
               "build_cached": stage_build_cached, "zensical": stage_zensical, "whoosh_cold": stage_whoosh_cold,
               "whoosh": stage_whoosh, "cli": stage_cli, "incremental": stage_incremental,
               "reference_pages": stage_reference_pages, "reference": stage_reference}


def worker(stage: str, project: Path, n: int, result: Path) -> int:
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
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--project", str(project),
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


# ------------------------------------------------------------------ browser (Chromium, file://)


def browser_figures(site: Path) -> dict:
    from browsereval import first_result_seconds
    from sitekit import OfflineBrowser

    out: dict = {}
    b = OfflineBrowser()
    try:
        # Bytes of search/ files requested from page load to the first result.
        page = b.context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto((site / "index.html").as_uri())
        page.wait_for_load_state("load")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(BROWSER_QUERIES[0])
        page.wait_for_selector(".md-search-result__item", timeout=60_000)
        search_dir = (site / "search").resolve()
        files = set()
        for url in requested:
            u = urlparse(url)
            if u.scheme != "file":
                continue
            p = Path(unquote(u.path)).resolve()
            if search_dir in p.parents and p.is_file():
                files.add(p)
        out["browser_index_bytes"] = sum(p.stat().st_size for p in files)
        out["browser_index_files"] = sorted(str(p.relative_to(site)) for p in files)
        out["browser_requests"] = len(requested)
        page.close()
        times = [first_result_seconds(b.context, site, q) for q in BROWSER_QUERIES]
        out["browser_first_result_s"] = statistics.median(times)
        out["browser_first_result_each_s"] = times
        out["browser_external_requests"] = list(b.external)
    finally:
        b.close()
    return out


# ------------------------------------------------------------------ report


def measure(n: int, notes: dict, details: dict) -> dict:
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
        res = run_stage(stage, project, n)
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
            elif stage == "reference_pages":
                pass  # set-up of the reference project
            else:
                rss[stage] = round(max(res["rss_self_mb"], res["rss_children_mb"]), 1)
        log(f"[{n}] 阶段 {stage}：" + ", ".join(f"{k}={_fmt(v)}" for k, v in res.items()
                                                 if k not in ("traceback", "browser_index_files")))
    det["rss_mb_by_stage"] = rss
    fig["peak_rss_mb"] = max(rss.values()) if rss else None
    site = OUT / f"site-{n}"
    if (site / "index.html").exists() and "build" in rss and fig["build_s"] is not None:
        log(f"[{n}] 浏览器 …")
        try:
            res = browser_figures(site)
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
    else:
        msgs.append("browser：网站未构建，跳过")
    for k in ("validate_s", "generate_s", "build_s", "reference_build_s", "whoosh_index_s", "incremental_s",
              "browser_first_result_s", "build_again_s", "build_after_edit_s", "zensical_build_s",
              "zensical_build_again_s"):
        if isinstance(fig[k], float):
            fig[k] = round(fig[k], 3)
    for k in ("cli_query_ms_p50", "cli_query_ms_p95", "peak_rss_mb"):
        if isinstance(fig[k], float):
            fig[k] = round(fig[k], 2)
    return fig


def _fmt(v) -> str:
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


def print_tables(sizes: dict, targets: list[dict], details: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    cols = list(sizes)
    t = Table(title="规模测试（秒，除注明外）")
    t.add_column("指标")
    for c in cols:
        t.add_column(f"{int(c):,} 条", justify="right")
    labels = [
        ("validate_s", "载入 + 校验（秒）"), ("generate_s", "页面生成（含相关推荐、浏览器索引）"),
        ("build_s", "整站构建：我们（秒）"), ("reference_build_s", "整站构建：MkDocs + Material 参照（秒）"),
        ("ratio", "构建比值 我们/参照"), ("cpu_ratio", "构建 CPU 秒比值 我们/参照"), ("whoosh_index_s", "Whoosh 索引（从零，秒）"),
        ("build_again_s", "什么都没改再构建（秒）"), ("build_after_edit_s", "改一条记录后再构建（秒）"),
        ("zensical_build_s", "Zensical 从零构建（秒）"), ("zensical_build_again_s", "Zensical 带缓存再构建（秒）"),
        ("incremental_s", "mkdocs serve 改一条后新文字上页面（秒）"), ("cli_query_ms_p50", "命令行热查询 p50（毫秒）"),
        ("cli_query_ms_p95", "命令行热查询 p95（毫秒）"), ("browser_index_bytes", "浏览器首个结果前加载索引（MB）"),
        ("browser_first_result_s", "浏览器首个结果（秒，3 次中位数）"), ("peak_rss_mb", "峰值内存（MB）"),
    ]
    for key, label in labels:
        row = []
        for c in cols:
            f = sizes[c]
            if key == "cpu_ratio":
                d = details.get(c, {})
                ours, ref = d.get("build_cpu_s"), d.get("reference_build_cpu_s")
                row.append(f"{ours / ref:.2f}（{ours:.0f}/{ref:.0f}）" if ours and ref else "—")
                continue
            if key == "ratio":
                v = f["build_s"] / f["reference_build_s"] if f.get("build_s") and f.get("reference_build_s") else None
                row.append(f"{v:.2f}" if v is not None else "—")
                continue
            v = f.get(key)
            if v is None:
                row.append("[red]失败/未测[/red]")
            elif key == "browser_index_bytes":
                row.append(f"{v / 1e6:.2f}")
            else:
                row.append(f"{v:,.3f}" if isinstance(v, float) and v < 10 else f"{v:,.1f}")
        t.add_row(label, *row)
    console.print(t)
    tt = Table(title=f"目标（{TARGET_SIZE:,} 条）")
    tt.add_column("目标")
    tt.add_column("实测", justify="right")
    tt.add_column("上限", justify="right")
    tt.add_column("达标")
    for tg in targets:
        v, b = tg["value"], tg["bound"]
        mb = tg["key"] == "browser_index_bytes"
        show = lambda x: "—" if x is None else (f"{x / 1e6:.2f} MB" if mb else f"{x:,.2f}")
        met = "[yellow]未测[/yellow]" if tg["met"] is None else ("[green]达标[/green]" if tg["met"] else "[red]未达标[/red]")
        tt.add_row(tg["target"], show(v), show(b), met)
    console.print(tt)


def machine_info() -> dict:
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="规模测试：1 千和 1 万条合成记录的校验、构建、检索耗时与内存")
    ap.add_argument("--sizes", default="1000,10000", help="逗号分隔的记录数（默认 1000,10000）")
    ap.add_argument("--quick", action="store_true", help="只测 1000 条")
    ap.add_argument("--stage", choices=sorted(STAGE_FUNCS), help=argparse.SUPPRESS)
    ap.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        return worker(args.stage, args.project, args.n, args.result)
    sizes_list = [1000] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "logs").mkdir(exist_ok=True)
    started = dt.datetime.now().astimezone()
    sizes: dict[str, dict] = {}
    notes: dict[str, list] = {}
    details: dict[str, dict] = {}
    for n in sizes_list:
        sizes[str(n)] = measure(n, notes, details)
        _write(sizes, notes, details, started)  # after each size, so a long run leaves partial results
    targets = check_targets(sizes)
    _write(sizes, notes, details, started, targets)
    print_tables(sizes, targets, details)
    for n, msgs in notes.items():
        for msg in msgs:
            print(f"注（{n} 条）：{msg.splitlines()[0][:300]}")
    print(f"结果已写入 {RESULTS.relative_to(ROOT)}")
    return 0


def _write(sizes, notes, details, started, targets=None) -> None:
    data = {"sizes": sizes, "machine": machine_info(), "date": started.isoformat(timespec="seconds"),
            "seed": SEED, "notes": {k: v for k, v in notes.items() if v}, "details": details}
    if targets is not None:
        data["targets"] = targets
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
