"""Build stages: validation, page generation, the site build (cold, again, after an edit), Zensical and the MkDocs reference."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .common import MKDOCS, OUT, ROOT, Clock, site_dir, tool_env
from .corpus import OneEdit

REFERENCE_TIMEOUT = 1800      # the plain MkDocs + Material build itself


def stage_validate(project: Path, n: int) -> dict:
    """Load and validate every record (``build.run_validation``)."""
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
        result.side_files()  # timed too: made beside the pages by a child, but part of what the stage makes
    if not calls:
        raise RuntimeError("Pipeline.run 不再调用 build.load_corpus：无法从计时中扣除校验，请更新 benchmarks/scale/build.py")
    if not result.report.valid:
        raise RuntimeError("Pipeline.run 报告问题：" + "；".join(p.format() for p in result.report.errors()[:5]))
    out = {"generate_s": c.wall, "generate_cpu_s": c.cpu, "pages": len(result.pages)}
    files = getattr(result, "search_files", None)
    if isinstance(files, dict):
        out["browser_index_total_bytes"] = sum(len(str(v).encode()) for v in files.values())
        out["browser_index_files_total"] = len(files)
    return out


def stage_build(project: Path, n: int) -> dict:
    """Our whole-site build from scratch (``build.build_site``)."""
    from build_tools.build import build_site

    site = site_dir(n)
    with Clock() as c:
        build_site(project, site)
    html = sum(1 for _ in site.rglob("*.html"))
    return {"build_s": c.wall, "build_cpu_s": c.cpu, "html_files": html}


def stage_build_cached(project: Path, n: int) -> dict:
    """``casebook build`` again into the same site: nothing changed, then one record edited."""
    from build_tools.build import build_site

    site = site_dir(n)
    with Clock() as c:
        build_site(project, site)
    with OneEdit(project), Clock() as e:
        build_site(project, site)
    return {"build_again_s": c.wall, "build_again_cpu_s": c.cpu, "build_after_edit_s": e.wall}


def stage_zensical(project: Path, n: int) -> dict:
    """The Zensical builder: from scratch (its cache removed), again with its cache, after one edit."""
    from build_tools.build import build_site

    site = OUT / f"zensical-site-{n}"
    with Clock() as c:
        build_site(project, site, builder="zensical")
    with Clock() as again:
        build_site(project, site, builder="zensical")
    with OneEdit(project), Clock() as e:
        build_site(project, site, builder="zensical")
    return {"zensical_build_s": c.wall, "zensical_build_cpu_s": c.cpu, "zensical_build_again_s": again.wall,
            "zensical_build_after_edit_s": e.wall,
            "zensical_html_files": sum(1 for _ in site.rglob("*.html"))}


def reference_dir(n: int) -> Path:
    """The plain MkDocs + Material project holding our generated pages."""
    return OUT / f"reference-{n}"


def stage_reference_pages(project: Path, n: int) -> dict:
    """Write the pages our build generates into a plain MkDocs + Material project (not timed)."""
    import yaml

    from build_tools.build import Pipeline

    result = Pipeline(project / "cases", None, strict=False).run()
    if not result.report.valid:
        raise RuntimeError("合成记录未通过校验")
    ref = reference_dir(n)
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
    ref = reference_dir(n)
    if not (ref / "mkdocs.yml").exists():
        raise RuntimeError("参照项目未生成（reference_pages 阶段失败）")
    with open(OUT / "logs" / f"reference-build-{n}.log", "w", encoding="utf-8") as logf:
        try:
            with Clock() as c:
                proc = subprocess.run([str(MKDOCS), "build", "-f", str(ref / "mkdocs.yml")], cwd=ref, env=tool_env(),
                                      stdout=logf, stderr=subprocess.STDOUT, timeout=REFERENCE_TIMEOUT)
        except subprocess.TimeoutExpired:
            return {"reference_build_s": None,
                    "note": f"参照构建超过 {REFERENCE_TIMEOUT} 秒，已中止（记为 null）"}
    if proc.returncode:
        raise RuntimeError(f"参照构建失败（退出码 {proc.returncode}），见 benchmarks/out/logs/reference-build-{n}.log")
    idx = ref / "site" / "search" / "search_index.json"
    return {"reference_build_s": c.wall, "reference_build_cpu_s": c.cpu,
            "reference_search_index_bytes": idx.stat().st_size if idx.exists() else None}
